"""Offline IAM lint: every policy document in stacks/*.yaml through parliament (`make lint` runs it).

parliament reads policy JSON, not CloudFormation (1.6.4 has no template support), so each document is taken out
of its template first: role inline policies, managed policies, the KMS key policy, bucket/queue/topic policies
(trust policies are not: see DOCUMENTS). Intrinsic functions
(`!Sub`, `!Ref`, `!GetAtt`) become what they resolve to in a placeholder account and Region (`aws`,
`us-east-1`, `123456789012`, parameters at their defaults), with a resource's ARN built from its type, so
parliament checks that each action matches the type of resource it is granted on.

Findings of LOW severity or higher fail the lint (exit 1). parliament's MEDIUM and above are wrong policies (an
action granted on a resource type it does not act on, a condition key the action does not support, a malformed
ARN); its LOW ones are what this project's least privilege rests on too: an action name that does not exist (it
would be AccessDenied on AWS) and `Resource: "*"` for an action that can be scoped. INFO is printed only. A false
positive is silenced in `.parliament.yaml` (parliament's own config format, `ignore_locations`), with a comment
saying why. parliament 1.6.4 itself drops every `ignore_locations` value read from YAML (its `make_list` only knows
its JSON parser's nodes), so `ignored` below applies them the way its documentation describes.

    python -m tools.iam_lint [--fail-at LOW] [iam] [app]
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stacks import templates

with warnings.catch_warnings():
    # parliament 1.6.4 imports pkg_resources, which warns that it is deprecated (setuptools is pinned below 81 in
    # requirements.txt for that reason): nothing to act on here.
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
    import parliament
    from parliament.finding import Finding as Finding  # re-exported: importing parliament anywhere warns

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".parliament.yaml"
SEVERITIES = ["MUTE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "shop",
}
_R = "arn:aws:{service}:us-east-1:123456789012:{rest}"
# What `!GetAtt X.Arn` (and `!Ref X` where Ref is an ARN) stands for, by resource type; `{}` is the logical id.
ARN_OF_TYPE = {
    "AWS::DynamoDB::Table": _R.format(service="dynamodb", rest="table/{}"),
    "AWS::IAM::Role": "arn:aws:iam::123456789012:role/{}",
    "AWS::KMS::Key": _R.format(service="kms", rest="key/{}"),
    "AWS::Lambda::Function": _R.format(service="lambda", rest="function:{}"),
    "AWS::Logs::LogGroup": _R.format(service="logs", rest="log-group:{}:*"),
    "AWS::S3::Bucket": "arn:aws:s3:::{}",
    "AWS::SNS::Topic": _R.format(service="sns", rest="{}"),
    "AWS::SQS::Queue": _R.format(service="sqs", rest="{}"),
    "AWS::SecretsManager::Secret": _R.format(service="secretsmanager", rest="secret:{}-AbCdEf"),
    "AWS::StepFunctions::StateMachine": _R.format(service="states", rest="stateMachine:{}"),
}
REF_IS_ARN = {"AWS::SNS::Topic", "AWS::SecretsManager::Secret", "AWS::StepFunctions::StateMachine"}
# Where policy documents sit in a resource's properties, by type (a role's inline policies: `documents`). Trust
# policies (AssumeRolePolicyDocument) are left out: they have no Resource, which parliament reports as MALFORMED.
DOCUMENTS = {
    "AWS::IAM::ManagedPolicy": ("PolicyDocument",),
    "AWS::IAM::Policy": ("PolicyDocument",),
    "AWS::KMS::Key": ("KeyPolicy",),
    "AWS::S3::BucketPolicy": ("PolicyDocument",),
    "AWS::SQS::QueuePolicy": ("PolicyDocument",),
    "AWS::SNS::TopicPolicy": ("PolicyDocument",),
}


class Unresolvable(Exception):
    pass


class Resolver:
    """Resolves a template's intrinsic functions to placeholder values (see the module's docstring)."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.parameters: dict[str, Any] = template.get("Parameters", {})
        self.resources: dict[str, Any] = template.get("Resources", {})

    def ref(self, name: str) -> str:
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return str(self.parameters[name].get("Default", name.lower()))
        if name in self.resources:
            kind = self.resources[name]["Type"]
            return ARN_OF_TYPE[kind].format(name) if kind in REF_IS_ARN else name.lower()
        raise Unresolvable(f"!Ref {name}: no such parameter or resource")

    def get_att(self, name: str, attribute: str) -> str:
        kind = self.resources.get(name, {}).get("Type")
        if attribute != "Arn" or kind not in ARN_OF_TYPE:
            raise Unresolvable(f"!GetAtt {name}.{attribute} ({kind}): teach tools/iam_lint.py its ARN (ARN_OF_TYPE)")
        return ARN_OF_TYPE[kind].format(name.lower() if kind == "AWS::S3::Bucket" else name)

    def sub(self, text: str, variables: dict[str, Any]) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):  # ${!Literal} is the text ${Literal}
                return "${" + name[1:] + "}"
            if name in variables:
                return str(self.resolve(variables[name]))
            if "." in name and not name.startswith("AWS::"):
                return self.get_att(*name.split(".", 1))
            return self.ref(name)

        return re.sub(r"\$\{([^}]+)\}", one, text)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), *_ = value.items()
            if key == "Ref":
                return self.ref(argument)
            if key == "Fn::GetAtt":
                name, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else argument
                return self.sub(text, variables)
            if key == "Fn::Join":
                separator, items = argument
                return separator.join(str(item) for item in self.resolve(items))
            if key.startswith("Fn::"):
                raise Unresolvable(f"{key}: teach tools/iam_lint.py to resolve it")
        return {key: self.resolve(item) for key, item in value.items()}


def ignored(finding: Finding) -> bool:
    """Whether one of the finding's `ignore_locations` entries matches it: every key of the entry names a location
    field, and one of its regexes (a string or a list) matches that field whole, ignoring case."""
    for entry in finding.ignore_locations or []:
        if all(
            any(
                re.fullmatch(str(pattern), str(finding.location.get(key, "")), re.IGNORECASE)
                for pattern in (patterns if isinstance(patterns, list) else [patterns])
            )
            for key, patterns in entry.items()
        ):
            return True
    return False


def documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, policy document) for each document in the template, where = `Resource[/PolicyName]`."""
    for name, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        for key in DOCUMENTS.get(resource["Type"], ()):
            if key in properties:
                yield name, properties[key]
        if resource["Type"] == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                yield f"{name}/{policy['PolicyName']}", policy["PolicyDocument"]


@functools.cache
def _configure() -> None:
    """parliament's settings are module globals: the community auditors' first (as its CLI loads them), ours over."""
    parliament.override_config(str(Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml"))
    parliament.override_config(str(CONFIG))


def findings(name: str, template: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, severity, text) for each finding in the template's policy documents that is not muted or ignored;
    `where` is `<name>:<Resource>[/<PolicyName>]`. A document the resolver cannot read is a CRITICAL finding."""
    _configure()
    resolver = Resolver(template)
    for inside, document in documents(template):
        where = f"{name}:{inside}"
        try:
            policy_json = json.dumps(resolver.resolve(document))
        except Unresolvable as error:
            yield where, "CRITICAL", f"UNRESOLVABLE - {error}"
            continue
        policy = parliament.analyze_policy_string(policy_json, filepath=where, include_community_auditors=True)
        for finding in map(parliament.enhance_finding, policy.findings):
            if finding.severity != "MUTE" and not ignored(finding):
                yield (
                    where,
                    finding.severity,
                    f"{finding.issue} - {finding.title}: {finding.detail} at {finding.location}",
                )


def lint(kinds: list[str], fail_at: str) -> int:
    failing = documents_seen = 0
    for kind in kinds:
        template = templates.load(kind)
        documents_seen += sum(1 for _ in documents(template))
        for where, severity, text in findings(f"stacks/{kind}.yaml", template):
            failing += SEVERITIES.index(severity) >= SEVERITIES.index(fail_at)
            print(f"{where}: {severity} {text}")
    print(f"iam-lint: {documents_seen} policy documents in {len(kinds)} templates, {failing} at {fail_at} or above")
    return 1 if failing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("kinds", nargs="*", metavar="iam|app", help="stacks/<kind>.yaml (default: both)")
    parser.add_argument("--fail-at", default="LOW", choices=SEVERITIES[1:], help="lowest severity that fails")
    args = parser.parse_args(argv)
    return lint(args.kinds or ["iam", "app"], args.fail_at)


if __name__ == "__main__":
    sys.exit(main())
