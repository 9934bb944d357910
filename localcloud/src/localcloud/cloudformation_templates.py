"""CloudFormation templates read the way AWS reads them, where moto's CloudFormation reads them differently.

- Short-form YAML tags: moto drops a tag's mapping argument (`!ImportValue` over `Fn::Sub:`) and splits
  `!GetAtt A.B.C` at every dot; AWS splits at the first.
- Dynamic references: `{{resolve:secretsmanager:...}}` and `{{resolve:ssm:...}}` in a resource's
  properties are resolved from the local Secrets Manager and SSM before the resource is created.
- A list parameter (`CommaDelimitedList`, `List<...>`) left at its default: moto splits a given value at the
  commas but keeps a default as one string, so `!Ref` gives a string where AWS gives a list; and AWS trims each
  member's spaces, moto none.
- Properties and attributes moto's own models miss: DynamoDB `PointInTimeRecoverySpecification`,
  `TimeToLiveSpecification` and CloudFormation-shaped `SSESpecification`; SNS `GetAtt TopicArn`; an SSM
  parameter without `Name` (CloudFormation generates one).

The stack lifecycle itself (events, rollback, exports, unsupported types) is cloudformation_engine.py.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation.parsing import ResourceMap
from moto.dynamodb.models.table import Table
from moto.sns.models import Topic
from moto.ssm.models import Parameter as SsmParameter

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud


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
    parsed = original(parsing, "parse_resource")(resource_json, resources_map)
    if not parsed:
        return parsed
    resource_class, cleaned, resource_type = parsed
    cleaned = _resolve_dynamic_references(cleaned, resources_map._account_id, resources_map._region_name)
    return resource_class, cleaned, resource_type


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
    moto_create = original(Table, "create_from_cloudformation_json")
    table = moto_create(resource_name, cloudformation_json, account_id, region_name, **kwargs)
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
    return attr == "TopicArn" or bool(original(Topic, "has_cfn_attr")(attr))


def _topic_get_cfn_attribute(self: Any, attribute_name: str) -> Any:
    if attribute_name == "TopicArn":
        return self.arn
    return original(Topic, "get_cfn_attribute")(self, attribute_name)


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
    moto_create = original(SsmParameter, "create_from_cloudformation_json")
    return moto_create(resource_name, cloudformation_json, account_id, region_name, **kwargs)


def _load_parameters(self: ResourceMap) -> None:
    original(ResourceMap, "load_parameters")(self)
    for name, slot in self._template.get("Parameters", {}).items():
        value = self.resolved_parameters.get(name)
        kind = str(slot.get("Type", "String"))
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            members = value.split(",") if isinstance(value, str) else value
            if isinstance(members, list):  # each member is space trimmed, as AWS does
                trimmed = [m.strip() if isinstance(m, str) else m for m in members]
                self.resolved_parameters[name] = self._parsed_resources[name] = trimmed


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


def install(cloud: LocalCloud) -> None:
    replace(parsing, "parse_resource", _parse_resource)
    replace(ResourceMap, "load_parameters", _load_parameters)
    replace(cfn_models, "yaml_tag_constructor", yaml_tag_constructor)
    replace(cfn_responses, "yaml_tag_constructor", yaml_tag_constructor)
    replace(Table, "create_from_cloudformation_json", classmethod(_table_create_from_cloudformation_json))
    replace(Topic, "has_cfn_attr", classmethod(_topic_has_cfn_attr))
    replace(Topic, "get_cfn_attribute", _topic_get_cfn_attribute)
    replace(
        SsmParameter, "create_from_cloudformation_json", classmethod(_ssm_parameter_create_from_cloudformation_json)
    )
