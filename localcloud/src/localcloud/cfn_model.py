"""The one base of every CloudFormation model a layer adds to moto's CloudFormation.

A model is a thin CloudFormation handle on an object that lives in a moto backend: it keeps the ids
(and what GetAtt answers), never state of its own, so the service's own API (GetStage, DescribeAlarms,
GetSchedule, ...) answers what the template said. moto finds models through lru-cached lookups over
`CloudFormationModel.__subclasses__()`, which lists *direct* subclasses only, so a model names both:

    class CloudWatchAlarm(CfnModel, CloudFormationModel):
        TYPE = "AWS::CloudWatch::Alarm"
        NAME_PROPERTY = "AlarmName"
        ATTRIBUTES = ("Arn",)

Defining one clears moto's caches, so the type is known at once; the CloudFormation engine clears them
again before each stack and, at install, refuses to start if moto would pick another model for a type.
A model implements `create` over the resource's Properties; by default an update replaces the object
(delete, then create), right for configuration-only objects (a stage's settings, an alarm, a
subscription) that nothing holds on to by identity, and a model whose objects others hold on to
implements `update` in place. A model without `delete` is deleted through its
`delete_from_cloudformation_json`, as moto does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.core.common_models import CloudFormationModel

CACHED_LOOKUPS = ("get_model_list", "get_model_map", "get_name_type_map")  # in moto.cloudformation.parsing

Properties = Any  # a resource's Properties (a JSON object, intrinsic functions resolved), untyped as moto passes it


def refresh_model_map() -> None:
    from moto.cloudformation import parsing

    for name in CACHED_LOOKUPS:
        getattr(parsing, name).cache_clear()


class CfnModel:
    TYPE: ClassVar[str] = ""  # the CloudFormation resource type
    NAME_PROPERTY: ClassVar[str] = ""  # the property that names the object, "" when it has none
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()  # what Fn::GetAtt may ask for

    def __init__(self, account_id: str, region_name: str, physical_id: str, **attributes: Any) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self._physical_id = physical_id
        self.attributes = attributes  # GetAtt values by name, and whatever else the model must remember

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if CloudFormationModel in cls.__bases__:
            if not cls.TYPE:
                raise TypeError(f"{cls.__name__} must set TYPE, the CloudFormation type it models")
            refresh_model_map()

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_PROPERTY

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id  # what Ref returns

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name in self.ATTRIBUTES:
            return self.attributes.get(attribute_name, self._physical_id)
        raise UnformattedGetAttTemplateException()

    # moto calls these two with the resource's template entry; a model implements `create` (and `update`
    # when the default, a replacement, is wrong) over its Properties.
    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        return cls.create(resource_name, cloudformation_json.get("Properties", {}), account_id, region_name, **kwargs)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        props = cloudformation_json.get("Properties", {})
        return cls.update(original_resource, new_resource_name, props, account_id, region_name)

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> Any:
        """Create the object in moto's backend; `kwargs` carry moto's LogicalId and StackId."""
        raise NotImplementedError  # every model defines its own

    @classmethod
    def update(cls, original: Any, name: str, props: Properties, account_id: str, region_name: str) -> Any:
        original.delete(account_id, region_name)
        return cls.create(name, props, account_id, region_name)


def models() -> list[type[CfnModel]]:
    """Every model the imported layers define."""
    found: list[type[CfnModel]] = []
    pending = list(CfnModel.__subclasses__())
    while pending:
        cls = pending.pop(0)
        pending += cls.__subclasses__()
        if CloudFormationModel in cls.__bases__:
            found.append(cls)
    return found


def unseen_models() -> list[str]:
    """Models moto's CloudFormation would not use (another definition of the type wins)."""
    from moto.cloudformation import parsing

    refresh_model_map()
    model_map: dict[str, Any] = parsing.get_model_map()
    return [
        f"{m.__module__}.{m.__name__}: moto's CloudFormation picks {model_map.get(m.TYPE)} for {m.TYPE}"
        for m in models()
        if model_map.get(m.TYPE) is not m
    ]
