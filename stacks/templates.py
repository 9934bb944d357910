"""Read the CloudFormation templates as data: the deploy tool asks them what they declare.

The parameter file is checked against a template's Parameters, the Region against the services its resource
types need, and `destroy` reads DeletionPolicy and the KMS key's PendingWindowInDays from them, so what the
tool says always matches what CloudFormation will do.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

STACKS = Path(__file__).resolve().parent

# Resource type namespace -> the botocore service that serves it in the stack's Region. Global services
# (IAM, CloudFront) are left out: they exist wherever the stack does.
SERVICE_OF_NAMESPACE = {
    "ApiGateway": ("apigateway", "API Gateway"),
    "CloudWatch": ("cloudwatch", "CloudWatch"),
    "DynamoDB": ("dynamodb", "DynamoDB"),
    "KMS": ("kms", "KMS"),
    "Lambda": ("lambda", "Lambda"),
    "Logs": ("logs", "CloudWatch Logs"),
    "S3": ("s3", "S3"),
    "Scheduler": ("scheduler", "EventBridge Scheduler"),
    "SecretsManager": ("secretsmanager", "Secrets Manager"),
    "SNS": ("sns", "SNS"),
    "SQS": ("sqs", "SQS"),
    "StepFunctions": ("stepfunctions", "Step Functions"),
}
GLOBAL_NAMESPACES = {"IAM", "CloudFront"}


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms (!Ref, !Sub, ...) read as their long forms."""


def _short_form(loader: _CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _short_form)


@functools.cache
def load(kind: str) -> dict[str, Any]:
    """stacks/<kind>.yaml as a dict (cached: the files do not change while the tool runs)."""
    return dict(yaml.load(template_path(kind).read_text(), Loader=_CfnLoader))  # noqa: S506 - SafeLoader subclass


def template_path(kind: str) -> Path:
    return STACKS / f"{kind}.yaml"


def parameters(kind: str) -> dict[str, dict[str, Any]]:
    return dict(load(kind).get("Parameters", {}))


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return dict(load(kind).get("Resources", {}))


def regional_services(kinds: tuple[str, ...]) -> dict[str, tuple[str, list[str]]]:
    """botocore service -> (its name for people, the resource types that need it) over the given templates."""
    services: dict[str, tuple[str, list[str]]] = {}
    for kind in kinds:
        for resource in resources(kind).values():
            namespace = resource["Type"].split("::")[1]
            if namespace in GLOBAL_NAMESPACES or namespace not in SERVICE_OF_NAMESPACE:
                continue
            service, label = SERVICE_OF_NAMESPACE[namespace]
            types = services.setdefault(service, (label, []))[1]
            if resource["Type"] not in types:
                types.append(resource["Type"])
    return services


def users_of(kind: str, parameter: str) -> list[str]:
    """The resources whose properties use a parameter (Ref or ${...} in Fn::Sub), in template order."""

    def uses(value: Any) -> bool:
        if isinstance(value, dict):
            if value.get("Ref") == parameter:
                return True
            sub = value.get("Fn::Sub")
            text = sub[0] if isinstance(sub, list) and sub else sub
            if isinstance(text, str) and "${" + parameter + "}" in text:
                return True
            return any(uses(v) for v in value.values())
        if isinstance(value, list):
            return any(uses(v) for v in value)
        return False

    return [logical_id for logical_id, spec in resources(kind).items() if uses(spec.get("Properties", {}))]
