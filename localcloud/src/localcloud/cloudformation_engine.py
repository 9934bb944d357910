"""CloudFormation stacks that live and fail like AWS's: the stack lifecycle.

moto's CloudFormation (a) skips a resource type it has no model for with only a log line, (b) lets any
exception from a resource escape as a 500 and leaves the stack half made, and (c) never checks that an
export is still imported before deleting its stack. This module closes those gaps:

- resource events and rollback: every resource gets CREATE_IN_PROGRESS/CREATE_COMPLETE/CREATE_FAILED
  events; a failure deletes what the stack created before it (ROLLBACK_COMPLETE); a failed update is
  rolled back by re-applying the previous template with moto's own diff (UPDATE_ROLLBACK_COMPLETE, or
  UPDATE_ROLLBACK_FAILED if that fails too);
- an unknown type fails its resource with "Resource type X is not supported by the local cloud";
- exports: ImportValue of a missing export is a ValidationError, DeleteStack of an exporting stack whose
  export is imported ends in DELETE_FAILED, updates refresh ListExports;
- change sets get the same events, rollback and exports.

The models of the types moto skips live with their services (secretsmanager.py, cloudwatch.py, s3.py,
cloudfront.py, apigateway_cfn.py, sns_delivery.py, schedules.py), all on cfn_model.CfnModel; what moto
reads differently in a template (YAML short forms, dynamic references, properties its own models miss)
is cloudformation_templates.py. Installed last (server.LAYERS) so the model map it checks already holds
the other layers' types; it is read again at every check, never frozen at import time.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Event, Stack, cloudformation_backends
from moto.cloudformation.parsing import OutputMap, ResourceMap

from localcloud.cfn_model import refresh_model_map, unseen_models
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.cloudformation")

# Types accepted and deliberately given no behaviour, each with the reason that is honest.
NO_OP_TYPES: dict[str, str] = {
    # CDK's analytics record: on AWS it creates nothing a template can observe or use.
    "AWS::CDK::Metadata": "CDK usage metadata; creates nothing observable",
}


# Profile.cloudformation_placeholders, set by install(); what their Ref and GetAtt give (LocalStack's value).
_placeholders: tuple[str, ...] = ()
PLACEHOLDER_REFERENCE = "unknown"


class ResourceFailed(Exception):
    """A resource could not be created; carries the logical id and the reason shown in the events."""

    def __init__(self, logical_id: str, reason: str) -> None:
        super().__init__(f"{logical_id}: {reason}")
        self.logical_id = logical_id
        self.reason = reason


def unsupported_reason(resource_type: str) -> str:
    return f"Resource type {resource_type} is not supported by the local cloud"


def is_supported(resource_type: str) -> bool:
    return (
        resource_type in parsing.get_model_map()
        or resource_type.startswith("Custom::")
        or resource_type in parsing.NULL_MODELS
        or resource_type in NO_OP_TYPES
    )


def _reason(exc: BaseException) -> str:
    """An actionable one-line reason from whatever a moto model raised."""
    if isinstance(exc, ResourceFailed):
        return exc.reason
    code = getattr(exc, "error_type", None) or getattr(exc, "code", None)
    message = getattr(exc, "message", None)
    if isinstance(code, str) and message:
        return f"{code}: {message}"
    if isinstance(exc, KeyError):
        return f"Missing required property {exc.args[0]}"
    return f"{type(exc).__name__}: {exc}"


# -- events ------------------------------------------------------------------------------------------


def _stack_of(resources_map: ResourceMap) -> Stack | None:
    backend = cloudformation_backends[resources_map._account_id][resources_map._region_name]
    return backend.stacks.get(resources_map.stack_id)


def _resource_event(
    stack: Stack | None, logical_id: str, resource_type: str, status: str, physical_id: str = "", reason: str = ""
) -> None:
    if stack is None:
        return
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=physical_id,
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=reason or None,
            resource_properties=None,
        )
    )


def _physical_id(resource: Any) -> str:
    value = getattr(resource, "physical_resource_id", "")
    return value if isinstance(value, str) else ""


# -- resource creation / deletion hooks ---------------------------------------------------------------


class _Unsupported:
    """What moto gets for a type nobody models, so validation and updates fail by name, not by crash."""

    def __init__(self, resource_type: str) -> None:
        self.resource_type = resource_type

    def has_cfn_attr(self, attr: str) -> bool:
        return True  # the resource fails first, with a better message than an attribute error

    def create_from_cloudformation_json(self, *args: Any, **kwargs: Any) -> Any:
        raise ResourceFailed(kwargs.get("LogicalId", "?"), unsupported_reason(self.resource_type))

    def update_from_cloudformation_json(self, *args: Any, **kwargs: Any) -> Any:
        raise ResourceFailed("?", unsupported_reason(self.resource_type))


class _Placeholder:
    """LocalStack community's CloudFormation for a type it has no resource provider for, under
    CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: "deployed as a fallback", nothing made, Ref and every GetAtt "unknown"
    (its MOCKED_REFERENCE). Only for the types of Profile.cloudformation_placeholders."""

    physical_resource_id = PLACEHOLDER_REFERENCE

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> _Placeholder:
        return cls()

    @classmethod
    def update_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> _Placeholder:
        return cls()

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> None:
        return None

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return PLACEHOLDER_REFERENCE

    def is_created(self) -> bool:
        return True

    def delete(self, account_id: str, region_name: str) -> None:
        return None


def _resource_class_from_type(resource_type: str) -> Any:
    if resource_type in NO_OP_TYPES:
        return None
    if resource_type in _placeholders:
        return _Placeholder
    if not is_supported(resource_type):
        return _Unsupported(resource_type)
    return original(parsing, "resource_class_from_type")(resource_type)


def _parse_and_create_resource(
    logical_id: str, resource_json: dict[str, Any], resources_map: ResourceMap, account_id: str, region_name: str
) -> Any:
    condition = resource_json.get("Condition")
    if condition and not resources_map.lazy_condition_map[condition]:
        return None
    stack = _stack_of(resources_map)
    resource_type = resource_json["Type"]
    if not is_supported(resource_type):
        reason = unsupported_reason(resource_type)
        _resource_event(stack, logical_id, resource_type, "CREATE_FAILED", reason=reason)
        raise ResourceFailed(logical_id, reason)
    _resource_event(stack, logical_id, resource_type, "CREATE_IN_PROGRESS")
    try:
        resource = original(parsing, "parse_and_create_resource")(
            logical_id, resource_json, resources_map, account_id, region_name
        )
    except ResourceFailed as exc:
        # A dependency failed while this resource resolved its properties.
        if exc.logical_id != logical_id:
            _resource_event(stack, logical_id, resource_type, "CREATE_FAILED", reason="Resource creation cancelled")
        raise
    except Exception as exc:
        reason = _reason(exc)
        log.info("%s (%s) failed: %s", logical_id, resource_type, reason)
        _resource_event(stack, logical_id, resource_type, "CREATE_FAILED", reason=reason)
        raise ResourceFailed(logical_id, reason) from exc
    _resource_event(stack, logical_id, resource_type, "CREATE_COMPLETE", _physical_id(resource))
    return resource


def _delete_resource(self: ResourceMap, parsed_resource: Any, resource_json: dict[str, Any]) -> None:
    stack = _stack_of(self)
    logical_id = getattr(parsed_resource, "logical_resource_id", "?")
    resource_type = resource_json.get("Type", "")
    original(ResourceMap, "_delete_resource")(self, parsed_resource, resource_json)
    _resource_event(stack, logical_id, resource_type, "DELETE_COMPLETE", _physical_id(parsed_resource))


# -- exports -----------------------------------------------------------------------------------------

_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


def _static_value(expression: Any, stack: Stack) -> str | None:
    """The value of an ImportValue argument when it needs no resource (literal, Ref/Sub of parameters)."""
    known = {k: v for k, v in stack.resource_map._parsed_resources.items() if isinstance(v, str)}
    if isinstance(expression, str):
        return expression
    if isinstance(expression, dict) and "Ref" in expression:
        return known.get(expression["Ref"])
    if isinstance(expression, dict) and isinstance(expression.get("Fn::Sub"), str):
        template = expression["Fn::Sub"]
        names = _SUB_VARIABLE.findall(template)
        if all(name in known for name in names):
            return _SUB_VARIABLE.sub(lambda m: known[m.group(1)], template)
    return None


def _imported_names(stack: Stack) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Fn::ImportValue":
                    name = _static_value(value, stack)
                    if name is not None:
                        found.add(name)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(stack.template_dict.get("Resources", {}))
    walk(stack.template_dict.get("Outputs", {}))
    return found


_LIVE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "CREATE_IN_PROGRESS", "DELETE_FAILED")


def _importers(backend: CloudFormationBackend, export_names: set[str], exclude: str) -> dict[str, list[str]]:
    users: dict[str, list[str]] = {}
    for other in backend.stacks.values():
        if other.stack_id == exclude or other.status not in _LIVE:
            continue
        for name in _imported_names(other) & export_names:
            users.setdefault(name, []).append(other.name)
    return users


def _refresh_exports(backend: CloudFormationBackend, stack: Stack) -> None:
    """Register the stack's current exports; an export another stack already owns fails like AWS."""
    exports = stack.exports
    for export in exports:
        owner = backend.exports.get(export.name)
        if owner is not None and owner.exporting_stack_id != stack.stack_id:
            owner_name = backend.get_stack(owner.exporting_stack_id).name
            raise ResourceFailed(
                stack.name, f"Export with name {export.name} is already exported by stack {owner_name}"
            )
    for name in [n for n, e in backend.exports.items() if e.exporting_stack_id == stack.stack_id]:
        del backend.exports[name]
    for export in exports:
        backend.exports[export.name] = export


# -- stack lifecycle ---------------------------------------------------------------------------------


def _freeze_after_rollback(stack: Stack) -> None:
    """Nothing is left, and moto's lazy maps must not re-create resources when outputs are read."""
    stack.resource_map._resource_json_map = {}
    stack.output_map = OutputMap(stack.resource_map, {}, stack.stack_id)


def _set_status(stack: Stack, status: str, reason: str | None = None) -> None:
    """Stack status, its StackStatusReason (moto serializes `status_reason`) and the stack's event."""
    stack.status = status
    stack.status_reason = reason  # type: ignore[attr-defined]
    stack._add_stack_event(status, reason)


def _roll_back_create(stack: Stack, failure: ResourceFailed) -> None:
    # AWS's sentence, then the resource's own reason so the stack alone says what to fix.
    reason = (
        f"The following resource(s) failed to create: [{failure.logical_id}]. Rollback requested by user. "
        f"{failure.logical_id}: {failure.reason}"
    )
    _set_status(stack, "ROLLBACK_IN_PROGRESS", reason)
    resource_map = stack.resource_map
    created = [
        logical_id
        for logical_id, resource in resource_map._parsed_resources.items()
        if logical_id in resource_map._resource_json_map and resource is not None and not isinstance(resource, str)
    ]
    failed = False
    for logical_id in reversed(created):  # creation order already respects dependencies
        resource = resource_map._parsed_resources.pop(logical_id)
        resource_json = resource_map._resource_json_map[logical_id]
        _resource_event(stack, logical_id, resource_json["Type"], "DELETE_IN_PROGRESS", _physical_id(resource))
        try:
            resource_map._delete_resource(resource, resource_json)
        except Exception as exc:
            failed = True
            _resource_event(
                stack, logical_id, resource_json["Type"], "DELETE_FAILED", _physical_id(resource), _reason(exc)
            )
    _set_status(stack, "ROLLBACK_FAILED" if failed else "ROLLBACK_COMPLETE", reason)
    _freeze_after_rollback(stack)


def _create_stack(
    self: CloudFormationBackend, name: str, template: str, parameters: dict[str, Any], **kwargs: Any
) -> Stack:
    refresh_model_map()
    from moto.cloudformation.exceptions import AlreadyExistsException
    from moto.cloudformation.utils import generate_stack_id

    if name in [stack.name for stack in self.stacks.values()]:
        raise AlreadyExistsException(f"Stack [{name}] already exists")
    stack = Stack(  # type: ignore[abstract]
        stack_id=generate_stack_id(name, self.region_name, self.account_id),
        name=name,
        template=template,
        parameters=parameters,
        account_id=self.account_id,
        region_name=self.region_name,
        notification_arns=kwargs.get("notification_arns"),
        tags=kwargs.get("tags"),
        role_arn=kwargs.get("role_arn"),
        cross_stack_resources=self.exports,
        enable_termination_protection=kwargs.get("enable_termination_protection"),
        timeout_in_mins=kwargs.get("timeout_in_mins"),
        stack_policy_body=kwargs.get("stack_policy_body"),
    )
    for missing in sorted(n for n in _imported_names(stack) if n not in self.exports):
        raise ValidationError(name, message=f"No export named {missing} found.")
    self.stacks[stack.stack_id] = stack
    stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
    _create_resources(self, stack)
    return stack


def _create_resources(backend: CloudFormationBackend, stack: Stack) -> None:
    stack.status = "CREATE_IN_PROGRESS"
    try:
        ready = stack.resource_map.create(stack.template_dict)
        _refresh_exports(backend, stack)
    except ResourceFailed as failure:
        _roll_back_create(stack, failure)
        return
    except Exception as exc:  # template-level errors (outputs, exports): name the stack
        log.exception("stack %s failed", stack.name)
        _roll_back_create(stack, ResourceFailed(stack.name, _reason(exc)))
        return
    stack.description = stack.template_dict.get("Description")
    if ready:
        stack.mark_creation_complete()


def _update_stack(
    self: Stack,
    template: str,
    role_arn: str | None = None,
    parameters: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
) -> None:
    if self.status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"):
        raise ValidationError(
            self.stack_id, message=f"Stack:{self.stack_id} is in {self.status} state and can not be updated."
        )
    refresh_model_map()
    backend = cloudformation_backends[self.account_id][self.region_name]
    previous_template, previous_parameters = self.template, dict(self.resource_map.input_parameters)
    previous_exports = {e.name: e.value for e in self.exports}
    try:
        original(Stack, "update")(self, template, role_arn, parameters, tags)
        current = {e.name: e.value for e in self.exports}
        for name, users in _importers(backend, set(previous_exports), self.stack_id).items():
            if current.get(name) != previous_exports[name]:
                raise ResourceFailed(
                    self.name, f"Cannot update export {name} as it is in use by {', '.join(sorted(users))}"
                )
        _refresh_exports(backend, self)
        self.status_reason = None  # type: ignore[attr-defined]
    except Exception as exc:
        failed = exc.logical_id if isinstance(exc, ResourceFailed) else self.name
        reason = f"The following resource(s) failed to update: [{failed}]. {failed}: {_reason(exc)}"
        _set_status(self, "UPDATE_ROLLBACK_IN_PROGRESS", reason)
        try:
            self.template = previous_template
            self._parse_template()
            self.resource_map.update(self.template_dict, previous_parameters)
            self.output_map = self._create_output_map()
        except Exception as rollback_exc:
            log.exception("rolling back %s failed", self.name)
            _set_status(self, "UPDATE_ROLLBACK_FAILED", f"{reason}; rollback failed: {_reason(rollback_exc)}")
            return
        _set_status(self, "UPDATE_ROLLBACK_COMPLETE", reason)


def _delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
    stack = self.stacks.get(name_or_stack_id) or next(
        (s for s in self.stacks.values() if s.name == name_or_stack_id), None
    )
    if stack is None:
        return  # AWS answers success for a stack that does not exist
    own_exports = {e.name for e in self.exports.values() if e.exporting_stack_id == stack.stack_id}
    users = _importers(self, own_exports, stack.stack_id)
    if users:
        name = sorted(users)[0]
        stack._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
        _set_status(
            stack,
            "DELETE_FAILED",
            f"Export {name} cannot be deleted as it is in use by {', '.join(sorted(users[name]))}",
        )
        return
    try:
        stack.delete()
    except Exception as exc:
        _set_status(stack, "DELETE_FAILED", _reason(exc))
        return
    del self.stacks[stack.stack_id]
    self.deleted_stacks[stack.stack_id] = stack
    for name in own_exports:
        self.exports.pop(name, None)


def _execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    """moto applies change sets with no failure handling and never registers their exports."""
    refresh_model_map()
    # Change set names are unique per stack, not per region: match the stack too.
    change_set = self.change_sets.get(change_set_name) or next(
        (
            c
            for c in reversed(self.change_sets.values())
            if c.change_set_name == change_set_name and stack_name in (None, c.stack_name, c.stack_id)
        ),
        None,
    )
    if change_set is None:
        raise ValidationError(stack_name)
    stack = self.stacks[change_set.stack_id]
    if change_set.change_set_type == "CREATE":
        stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
        stack.template = change_set.template
        stack._parse_template()
        stack.parameters = change_set.parameters
        # moto made the stack's resource map from the empty placeholder template, without the region's
        # exports: rebuild it from the real template, with them.
        stack.cross_stack_resources = self.exports
        stack.resource_map = stack._create_resource_map()
        stack.output_map = stack._create_output_map()
        for missing in sorted(n for n in _imported_names(stack) if n not in self.exports):
            _set_status(stack, "ROLLBACK_COMPLETE", f"No export named {missing} found.")
            _freeze_after_rollback(stack)
            change_set.execution_status = "EXECUTE_FAILED"
            return
        _create_resources(self, stack)
    else:
        stack.update(change_set.template, change_set.role_arn, change_set.parameters, change_set.tags)
    change_set.execution_status = "EXECUTE_COMPLETE" if stack.status.endswith("_COMPLETE") else "EXECUTE_FAILED"


# -- installation ------------------------------------------------------------------------------------


def install(cloud: LocalCloud) -> None:
    global _placeholders
    _placeholders = cloud.settings.profile.cloudformation_placeholders
    replace(parsing, "resource_class_from_type", _resource_class_from_type)
    replace(parsing, "parse_and_create_resource", _parse_and_create_resource)
    replace(ResourceMap, "_delete_resource", _delete_resource)
    replace(Stack, "update", _update_stack)
    replace(CloudFormationBackend, "create_stack", _create_stack)
    replace(CloudFormationBackend, "delete_stack", _delete_stack)
    replace(CloudFormationBackend, "execute_change_set", _execute_change_set)
    unseen = unseen_models()
    if unseen:
        raise RuntimeError("; ".join(unseen))
