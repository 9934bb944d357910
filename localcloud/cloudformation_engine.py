"""CloudFormation that fails like AWS: unsupported types and failing resources fail the stack by name.

moto's CloudFormation (a) skips a resource type it has no model for with only a log line, (b) lets any
exception from a resource escape as a 500 and leaves the stack half made, (c) never checks that an export
is still imported before deleting its stack, and (d) lacks glue for several types whose service APIs it
does implement. This module closes those gaps:

- resource events and rollback: every resource gets CREATE_IN_PROGRESS/CREATE_COMPLETE/CREATE_FAILED
  events; a failure deletes what the stack created before it (ROLLBACK_COMPLETE); a failed update is
  rolled back by re-applying the previous template with moto's own diff (UPDATE_ROLLBACK_COMPLETE, or
  UPDATE_ROLLBACK_FAILED if that fails too);
- an unknown type fails its resource with "Resource type X is not supported by the local cloud";
- exports: ImportValue of a missing export is a ValidationError, DeleteStack of an exporting stack whose
  export is imported ends in DELETE_FAILED, updates refresh ListExports;
- models for AWS::SecretsManager::Secret, AWS::CloudWatch::Alarm, AWS::S3::BucketPolicy,
  AWS::CloudFront::OriginAccessControl and AWS::CloudFront::Distribution; DynamoDB tables keep
  PointInTimeRecoverySpecification and TimeToLiveSpecification; `{{resolve:secretsmanager:...}}` and
  `{{resolve:ssm:...}}` dynamic references are resolved.

Installed last (server.LAYERS) so the model map it checks already holds the other layers' types; it is
read again at every check, never frozen at import time.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Event, Stack, cloudformation_backends
from moto.cloudformation.parsing import OutputMap, ResourceMap
from moto.core.common_models import CloudFormationModel
from moto.dynamodb.models.table import Table
from moto.s3.models import FakeBucket
from moto.sns.models import Topic
from moto.ssm.models import Parameter as SsmParameter
from moto.utilities.utils import get_partition

from localcloud.cfn_models import ReplaceOnUpdate, refresh_model_map

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.cloudformation")

# Types accepted and deliberately given no behaviour, each with the reason that is honest.
NO_OP_TYPES: dict[str, str] = {
    # CDK's analytics record: on AWS it creates nothing a template can observe or use.
    "AWS::CDK::Metadata": "CDK usage metadata; creates nothing observable",
}

# Where GetAtt Distribution.DomainName points; set from the settings at install (see README).
_edge_domain = "localhost:8080"

_original: dict[str, Any] = {}


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


def _resource_class_from_type(resource_type: str) -> Any:
    if resource_type in NO_OP_TYPES:
        return None
    if not is_supported(resource_type):
        return _Unsupported(resource_type)
    return _original["resource_class_from_type"](resource_type)


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
        resource = _original["parse_and_create_resource"](
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
    _original["_delete_resource"](self, parsed_resource, resource_json)
    _resource_event(stack, logical_id, resource_type, "DELETE_COMPLETE", _physical_id(parsed_resource))


_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm|ssm-secure):([^}]+)\}\}")


def _resolve_dynamic_references(value: Any, account_id: str, region_name: str) -> Any:
    if isinstance(value, dict):
        return {k: _resolve_dynamic_references(v, account_id, region_name) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_dynamic_references(v, account_id, region_name) for v in value]
    if isinstance(value, str) and "{{resolve:" in value:
        return _DYNAMIC_REFERENCE.sub(lambda m: _resolve_one(m.group(1), m.group(2), account_id, region_name), value)
    return value


def _resolve_one(service: str, reference: str, account_id: str, region_name: str) -> str:
    from moto.secretsmanager.models import secretsmanager_backends
    from moto.ssm.models import ssm_backends

    if service.startswith("ssm"):
        name, _, version = reference.partition(":")
        parameter = ssm_backends[account_id][region_name].get_parameter(f"{name}:{version}" if version else name)
        if parameter is None:
            raise ValueError(f"Dynamic reference names SSM parameter {name}, which does not exist")
        return str(parameter.value)
    # {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}; the id may be an ARN.
    parts = reference.split(":")
    split = 7 if parts[0] == "arn" else 1
    secret_id, rest = ":".join(parts[:split]), parts[split:] + [""] * 4
    _, json_key, version_stage, version_id = rest[:4]
    secret = secretsmanager_backends[account_id][region_name].get_secret_value(
        secret_id,
        version_id or None,  # type: ignore[arg-type]
        version_stage or None,  # type: ignore[arg-type]
    )
    text = secret["SecretString"]
    return str(json.loads(text)[json_key]) if json_key else text


def _parse_resource(resource_json: dict[str, Any], resources_map: ResourceMap) -> Any:
    parsed = _original["parse_resource"](resource_json, resources_map)
    if not parsed:
        return parsed
    resource_class, cleaned, resource_type = parsed
    cleaned = _resolve_dynamic_references(cleaned, resources_map._account_id, resources_map._region_name)
    return resource_class, cleaned, resource_type


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
        _original["update"](self, template, role_arn, parameters, tags)
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


# -- models for the types moto skips -----------------------------------------------------------------


class SecretsManagerSecret(CloudFormationModel):
    def __init__(self, arn: str, name: str) -> None:
        self.arn = arn
        self.name = name

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SecretsManager::Secret"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @property
    def physical_resource_id(self) -> str:
        return self.arn  # Ref returns the ARN

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Id"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.arn

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> SecretsManagerSecret:
        from moto.secretsmanager.models import secretsmanager_backends

        backend = secretsmanager_backends[account_id][region_name]
        props = cloudformation_json.get("Properties", {})
        secret_string = props.get("SecretString")
        generate = props.get("GenerateSecretString")
        if generate is not None:
            if secret_string is not None:
                raise ValueError("Specify either SecretString or GenerateSecretString, not both")
            secret_string = _generate_secret_string(backend, generate)
        created = json.loads(
            backend.create_secret(
                name=resource_name,
                secret_string=secret_string,
                secret_binary=None,
                description=props.get("Description"),
                tags=props.get("Tags"),
                kms_key_id=props.get("KmsKeyId"),
                client_request_token=None,
                replica_regions=props.get("ReplicaRegions") or [],
                force_overwrite=False,
            )
        )
        return cls(created["ARN"], resource_name)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> SecretsManagerSecret:
        from moto.secretsmanager.models import secretsmanager_backends

        props = cloudformation_json.get("Properties", {})
        if "SecretString" in props:
            secretsmanager_backends[account_id][region_name].put_secret_value(
                secret_id=original_resource.arn,
                secret_string=props["SecretString"],
                secret_binary=None,  # type: ignore[arg-type]
                client_request_token=None,  # type: ignore[arg-type]
                version_stages=["AWSCURRENT"],
            )
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.secretsmanager.models import secretsmanager_backends

        secretsmanager_backends[account_id][region_name].delete_secret(
            self.arn, recovery_window_in_days=None, force_delete_without_recovery=True
        )


def _generate_secret_string(backend: Any, spec: dict[str, Any]) -> str:
    def flag(key: str, default: bool = False) -> bool:
        return str(spec.get(key, default)).lower() == "true"

    password = json.loads(
        backend.get_random_password(
            password_length=int(spec.get("PasswordLength", 32)),
            exclude_characters=spec.get("ExcludeCharacters", ""),
            exclude_numbers=flag("ExcludeNumbers"),
            exclude_punctuation=flag("ExcludePunctuation"),
            exclude_uppercase=flag("ExcludeUppercase"),
            exclude_lowercase=flag("ExcludeLowercase"),
            include_space=flag("IncludeSpace"),
            require_each_included_type=flag("RequireEachIncludedType", True),
        )
    )["RandomPassword"]
    template, key = spec.get("SecretStringTemplate"), spec.get("GenerateStringKey")
    if bool(template) != bool(key):
        raise ValueError("SecretStringTemplate and GenerateStringKey must be specified together")
    if template and key:
        document = json.loads(template)
        document[key] = password
        return json.dumps(document)
    return str(password)


class CloudWatchAlarm(ReplaceOnUpdate, CloudFormationModel):
    def __init__(self, name: str, arn: str) -> None:
        self.name = name
        self.arn = arn

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.arn

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CloudWatchAlarm:
        from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat, cloudwatch_backends

        props = cloudformation_json.get("Properties", {})
        queries = None
        if props.get("Metrics"):
            queries = []
            for query in props["Metrics"]:
                stat = query.get("MetricStat")
                metric_stat = None
                if stat:
                    metric = stat["Metric"]
                    dims = [Dimension(d["Name"], d["Value"]) for d in metric.get("Dimensions", [])]
                    metric_stat = MetricStat(
                        metric=Metric(metric["MetricName"], metric.get("Namespace"), dims),
                        period=stat.get("Period"),
                        stat=stat.get("Stat"),
                        unit=stat.get("Unit"),
                    )
                queries.append(
                    MetricDataQuery(
                        query_id=query["Id"],
                        label=query.get("Label"),
                        period=query.get("Period"),
                        return_data=query.get("ReturnData"),
                        expression=query.get("Expression"),
                        metric_stat=metric_stat,
                    )
                )
        alarm = cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=resource_name,
            namespace=props.get("Namespace"),
            metric_name=props.get("MetricName"),
            metric_data_queries=queries,
            comparison_operator=props["ComparisonOperator"],
            evaluation_periods=int(props["EvaluationPeriods"]),
            datapoints_to_alarm=props.get("DatapointsToAlarm"),
            period=props.get("Period"),
            threshold=props.get("Threshold"),
            statistic=props.get("Statistic"),
            extended_statistic=props.get("ExtendedStatistic"),
            description=props.get("AlarmDescription"),
            dimensions=props.get("Dimensions", []),
            alarm_actions=props.get("AlarmActions", []),
            ok_actions=props.get("OKActions", []),
            insufficient_data_actions=props.get("InsufficientDataActions", []),
            unit=props.get("Unit"),
            actions_enabled=str(props.get("ActionsEnabled", True)).lower() == "true",
            treat_missing_data=props.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=props.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=props.get("ThresholdMetricId"),
            tags=props.get("Tags", []),
        )
        return cls(resource_name, alarm.alarm_arn)

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.cloudwatch.models import cloudwatch_backends

        cloudwatch_backends[account_id][region_name].delete_alarms([self.name])


class S3BucketPolicy(CloudFormationModel):
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @property
    def physical_resource_id(self) -> str:
        return self.bucket

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> S3BucketPolicy:
        from moto.s3.models import s3_backends

        props = cloudformation_json["Properties"]
        document = props["PolicyDocument"]
        policy = document if isinstance(document, str) else json.dumps(document)
        s3_backends[account_id][get_partition(region_name)].put_bucket_policy(props["Bucket"], policy.encode())
        return cls(props["Bucket"])

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> S3BucketPolicy:
        if cloudformation_json["Properties"]["Bucket"] != original_resource.bucket:
            original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.s3.exceptions import MissingBucket
        from moto.s3.models import s3_backends

        with contextlib.suppress(MissingBucket):  # the bucket went first; its policy went with it
            s3_backends[account_id][get_partition(region_name)].delete_bucket_policy(self.bucket)


def _deny_applies(statement: dict[str, Any]) -> bool:
    """Whether a Deny statement's Condition holds for a request to the local cloud.

    moto ignores conditions, so the usual `Deny s3:* if aws:SecureTransport is false` denied everything,
    uploads included. The local endpoint stands in for AWS's HTTPS one, so aws:SecureTransport is true;
    other condition keys cannot be known here, and a Deny that cannot be shown to apply is not enforced.
    """
    for operator, keys in (statement.get("Condition") or {}).items():
        for key, expected in keys.items():
            values = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
            if operator != "Bool" or key.lower() != "aws:securetransport" or "true" not in values:
                return False
    return True


def _bucket_get_permission(self: Any, action: str, resource: str) -> Any:
    from moto.iam.access_control import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy)
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    kept = [st for st in statements if st.get("Effect") != "Deny" or not st.get("Condition") or _deny_applies(st)]
    return IAMPolicy(json.dumps({**document, "Statement": kept})).is_action_permitted(action, resource)


def _cloudfront_backend(account_id: str, region_name: str) -> Any:
    from moto.cloudfront.models import cloudfront_backends

    return cloudfront_backends[account_id][get_partition(region_name)]


class CloudFrontOriginAccessControl(CloudFormationModel):
    def __init__(self, control_id: str) -> None:
        self.id = control_id

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFront::OriginAccessControl"

    @property
    def physical_resource_id(self) -> str:
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Id"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.id

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CloudFrontOriginAccessControl:
        config = cloudformation_json["Properties"]["OriginAccessControlConfig"]
        for required in ("Name", "OriginAccessControlOriginType", "SigningBehavior", "SigningProtocol"):
            if required not in config:
                raise KeyError(f"OriginAccessControlConfig.{required}")
        control = _cloudfront_backend(account_id, region_name).create_origin_access_control(config)
        return cls(control.id)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> CloudFrontOriginAccessControl:
        config = cloudformation_json["Properties"]["OriginAccessControlConfig"]
        _cloudfront_backend(account_id, region_name).update_origin_access_control(original_resource.id, config)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _cloudfront_backend(account_id, region_name).origin_access_controls.pop(self.id, None)


def _items(values: list[Any] | None, convert: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
    values = values or []
    return {"Quantity": len(values), "Items": [convert(v) for v in values]}


def _cache_behavior(cfn: dict[str, Any]) -> dict[str, Any]:
    api = copy.deepcopy(cfn)
    api.setdefault("Compress", False)  # CloudFormation's default; moto's own would be true
    methods = cfn.get("AllowedMethods", ["GET", "HEAD"])
    cached = cfn.get("CachedMethods", ["GET", "HEAD"])
    api["AllowedMethods"] = {**_items(methods), "CachedMethods": _items(cached)}
    api.pop("CachedMethods", None)
    return api


def _origin(cfn: dict[str, Any]) -> dict[str, Any]:
    api = copy.deepcopy(cfn)
    if "S3OriginConfig" in api:
        api["S3OriginConfig"] = {"OriginAccessIdentity": api["S3OriginConfig"].get("OriginAccessIdentity", "")}
    custom = api.get("CustomOriginConfig")
    if custom is not None:
        custom["OriginSslProtocols"] = _items(custom.pop("OriginSSLProtocols", ["TLSv1.2"]))
    api["CustomHeaders"] = _items(api.pop("OriginCustomHeaders", []))
    return api


def distribution_config_from_cfn(cfn: dict[str, Any]) -> dict[str, Any]:
    """The CloudFormation DistributionConfig (plain lists) in the API's shape (Quantity/Items) moto stores."""
    config: dict[str, Any] = {
        "CallerReference": str(uuid.uuid4()),
        "Comment": cfn.get("Comment", ""),
        "Enabled": cfn["Enabled"],
        "Origins": _items(cfn["Origins"], _origin),
        "DefaultCacheBehavior": _cache_behavior(cfn["DefaultCacheBehavior"]),
        "CacheBehaviors": _items(cfn.get("CacheBehaviors"), _cache_behavior),
        "CustomErrorResponses": _items(
            cfn.get("CustomErrorResponses"),
            lambda r: {
                **r,
                "ErrorCode": int(r["ErrorCode"]),
                **({"ResponseCode": str(r["ResponseCode"])} if "ResponseCode" in r else {}),
            },
        ),
        "DefaultRootObject": cfn.get("DefaultRootObject", ""),
        "PriceClass": cfn.get("PriceClass", "PriceClass_All"),
        "HttpVersion": cfn.get("HttpVersion", "http2"),
        "IsIPV6Enabled": cfn.get("IPV6Enabled", True),
    }
    if cfn.get("Aliases"):
        config["Aliases"] = _items(cfn["Aliases"])
    if cfn.get("ViewerCertificate"):
        config["ViewerCertificate"] = cfn["ViewerCertificate"]
    if cfn.get("Logging"):
        config["Logging"] = {"Enabled": True, **cfn["Logging"]}
    geo = (cfn.get("Restrictions") or {}).get("GeoRestriction")
    if geo:
        config["Restrictions"] = {
            "GeoRestriction": {"RestrictionType": geo["RestrictionType"], "Items": geo.get("Locations", [])}
        }
    if cfn.get("WebACLId"):
        config["WebACLId"] = cfn["WebACLId"]
    return config


class CloudFrontDistribution(CloudFormationModel):
    def __init__(self, distribution_id: str, domain_name: str) -> None:
        self.id = distribution_id
        self.domain_name = domain_name

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFront::Distribution"

    @property
    def physical_resource_id(self) -> str:
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Id", "DomainName")

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.domain_name if attribute_name == "DomainName" else self.id

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CloudFrontDistribution:
        props = cloudformation_json["Properties"]
        config = distribution_config_from_cfn(props["DistributionConfig"])
        tags = [{"Key": t["Key"], "Value": t["Value"]} for t in props.get("Tags", [])]
        distribution, _, _ = _cloudfront_backend(account_id, region_name).create_distribution(config, tags)
        _remember_origin_access_controls(distribution, props["DistributionConfig"])
        distribution.domain_name = _edge_domain
        return cls(distribution.id, distribution.domain_name)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> CloudFrontDistribution:
        config = distribution_config_from_cfn(cloudformation_json["Properties"]["DistributionConfig"])
        distribution, _, _ = _cloudfront_backend(account_id, region_name).update_distribution(
            config, original_resource.id, True
        )
        _remember_origin_access_controls(distribution, cloudformation_json["Properties"]["DistributionConfig"])
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _cloudfront_backend(account_id, region_name)
        if self.id in backend.distributions:
            backend.delete_distribution(self.id, True)


def _remember_origin_access_controls(distribution: Any, cfn: dict[str, Any]) -> None:
    """moto's Origin drops OriginAccessControlId; keep it so GetDistribution shows it."""
    by_id = {o["Id"]: o.get("OriginAccessControlId", "") for o in cfn["Origins"]}
    for origin in distribution.distribution_config.Origins["Items"]:
        origin.origin_access_control_id = by_id.get(origin.id, "")


def _table_create_from_cloudformation_json(
    cls: type[Table],
    /,
    resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Table:
    """moto's Table ignores PointInTimeRecoverySpecification and TimeToLiveSpecification, and reads
    SSESpecification in the API's shape (Enabled) instead of CloudFormation's (SSEEnabled)."""
    from moto.dynamodb.models import dynamodb_backends

    cloudformation_json = copy.deepcopy(cloudformation_json)
    props = cloudformation_json.setdefault("Properties", {})
    sse = props.get("SSESpecification")
    if sse is not None and "SSEEnabled" in sse:
        props["SSESpecification"] = {
            "Enabled": str(sse["SSEEnabled"]).lower() == "true",
            **({"SSEType": sse["SSEType"]} if "SSEType" in sse else {}),
            **({"KMSMasterKeyId": sse["KMSMasterKeyId"]} if "KMSMasterKeyId" in sse else {}),
        }
    table = _original["table_create"](resource_name, cloudformation_json, account_id, region_name, **kwargs)
    backend = dynamodb_backends[account_id][region_name]
    pitr = props.get("PointInTimeRecoverySpecification")
    if pitr is not None:
        enabled = str(pitr.get("PointInTimeRecoveryEnabled", False)).lower() == "true"
        backend.update_continuous_backups(table.name, {"PointInTimeRecoveryEnabled": enabled})
    ttl = props.get("TimeToLiveSpecification")
    if ttl is not None:
        enabled = str(ttl.get("Enabled", False)).lower() == "true"
        backend.update_time_to_live(table.name, {"Enabled": enabled, "AttributeName": ttl.get("AttributeName", "")})
    return table


def _topic_has_cfn_attr(cls: type[Any], attr: str) -> bool:
    """moto's Topic knows GetAtt TopicName only; AWS also documents TopicArn."""
    return attr == "TopicArn" or bool(_original["topic_has_attr"](attr))


def _topic_get_cfn_attribute(self: Any, attribute_name: str) -> Any:
    if attribute_name == "TopicArn":
        return self.arn
    return _original["topic_get_attr"](self, attribute_name)


def _ssm_parameter_create_from_cloudformation_json(
    cls: type[Any],
    /,
    resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Any:
    """moto's SSM Parameter requires Name; CloudFormation generates one when the template has none."""
    cloudformation_json = copy.deepcopy(cloudformation_json)
    cloudformation_json.setdefault("Properties", {}).setdefault("Name", resource_name)
    return _original["ssm_parameter_create"](resource_name, cloudformation_json, account_id, region_name, **kwargs)


def yaml_tag_constructor(loader: Any, tag: str, node: Any) -> Any:
    """moto's version drops a short-form tag's mapping argument (`!ImportValue` + `Fn::Sub:` below it)
    and splits `!GetAtt A.B.C` at every dot; AWS splits at the first."""
    import yaml

    key = "Ref" if tag == "!Ref" else f"Fn::{tag[1:]}"
    if isinstance(node, yaml.MappingNode):
        return {key: loader.construct_mapping(node, deep=True)}
    if isinstance(node, yaml.SequenceNode):
        return {key: loader.construct_sequence(node, deep=True)}
    value = node.value
    if tag == "!GetAtt":
        return {key: value.split(".", 1)}
    return {key: value}


# -- installation ------------------------------------------------------------------------------------


def _patch_moto() -> None:
    if _original:
        return
    _original["resource_class_from_type"] = parsing.resource_class_from_type
    _original["parse_and_create_resource"] = parsing.parse_and_create_resource
    _original["parse_resource"] = parsing.parse_resource
    _original["_delete_resource"] = ResourceMap._delete_resource
    _original["update"] = Stack.update
    _original["table_create"] = Table.create_from_cloudformation_json
    _original["topic_has_attr"] = Topic.has_cfn_attr
    FakeBucket.get_permission = _bucket_get_permission  # type: ignore[method-assign]
    _original["ssm_parameter_create"] = SsmParameter.create_from_cloudformation_json
    _original["topic_get_attr"] = Topic.get_cfn_attribute
    parsing.resource_class_from_type = _resource_class_from_type
    parsing.parse_and_create_resource = _parse_and_create_resource
    parsing.parse_resource = _parse_resource
    ResourceMap._delete_resource = _delete_resource  # type: ignore[method-assign]
    Stack.update = _update_stack  # type: ignore[method-assign]
    CloudFormationBackend.create_stack = _create_stack  # type: ignore[method-assign,assignment]
    CloudFormationBackend.delete_stack = _delete_stack  # type: ignore[method-assign]
    CloudFormationBackend.execute_change_set = _execute_change_set  # type: ignore[method-assign]
    Table.create_from_cloudformation_json = classmethod(_table_create_from_cloudformation_json)  # type: ignore[method-assign,assignment]
    Topic.has_cfn_attr = classmethod(_topic_has_cfn_attr)  # type: ignore[method-assign,assignment]
    Topic.get_cfn_attribute = _topic_get_cfn_attribute  # type: ignore[method-assign]
    SsmParameter.create_from_cloudformation_json = classmethod(  # type: ignore[method-assign,assignment]
        _ssm_parameter_create_from_cloudformation_json
    )
    cfn_models.yaml_tag_constructor = yaml_tag_constructor  # type: ignore[attr-defined]
    cfn_responses.yaml_tag_constructor = yaml_tag_constructor  # type: ignore[attr-defined]
    refresh_model_map()


def install(cloud: LocalCloud) -> None:
    global _edge_domain
    _edge_domain = f"localhost:{cloud.settings.edge_port}"
    _patch_moto()
