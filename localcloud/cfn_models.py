"""How a layer's CloudFormation models become visible to moto's CloudFormation.

A layer adds a resource type by subclassing moto's CloudFormationModel; moto looks types up through
lru-cached functions, so a model defined after the first lookup stays invisible until those caches are
cleared. Every layer calls this after defining its models, and CloudFormation calls it before each stack.
"""

from __future__ import annotations

from typing import Any

CACHED_LOOKUPS = ("get_model_list", "get_model_map", "get_name_type_map")  # in moto.cloudformation.parsing


def refresh_model_map() -> None:
    from moto.cloudformation import parsing

    for name in CACHED_LOOKUPS:
        getattr(parsing, name).cache_clear()


class ReplaceOnUpdate:
    """Mixin (before CloudFormationModel): an update deletes the old object and creates the new one.

    Right for configuration-only objects (a stage's settings, an alarm, a subscription) that nothing else
    holds on to by identity.
    """

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.delete(account_id, region_name)
        create = cls.create_from_cloudformation_json  # type: ignore[attr-defined]  # CloudFormationModel's
        return create(new_resource_name, cloudformation_json, account_id, region_name)
