"""tools/iam_lint.py: policies taken out of a template, intrinsics resolved to typed ARNs, parliament's findings."""

from __future__ import annotations

from typing import Any

from stacks import templates
from tools.iam_lint import Finding, findings, ignored


def role(*statements: dict[str, Any]) -> dict[str, Any]:
    return {
        "Parameters": {"EnvName": {"Type": "String", "Default": "local"}},
        "Resources": {
            "Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                    "Policies": [
                        {
                            "PolicyName": "p",
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow", **s} for s in statements],
                            },
                        }
                    ],
                },
            },
        },
    }


def issues(template: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(where, severity, text.split(" - ")[0]) for where, severity, text in findings("t.yaml", template)]


def test_intrinsics_resolve_to_arns_of_the_resources_type() -> None:
    clean = role(
        {"Action": ["dynamodb:GetItem"], "Resource": {"Fn::GetAtt": ["Orders", "Arn"]}},
        {"Action": ["dynamodb:Query"], "Resource": {"Fn::Sub": "${Orders.Arn}/index/*"}},
        {"Action": ["sqs:SendMessage"], "Resource": {"Fn::GetAtt": "Queue.Arn"}},
        {
            "Action": ["sqs:SendMessage"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${EnvName}-orders"},
        },
    )
    assert issues(clean) == []


def test_an_action_on_another_services_resource_fails() -> None:
    """sqs:SendMessage granted on a table: AccessDenied on AWS, a MEDIUM finding here."""
    wrong = role({"Action": ["sqs:SendMessage"], "Resource": {"Fn::GetAtt": ["Orders", "Arn"]}})
    assert issues(wrong) == [("t.yaml:Role/p", "MEDIUM", "RESOURCE_MISMATCH")]


def test_an_action_that_does_not_exist_fails() -> None:
    """TransactWriteItems is an API, not an IAM action (IAM checks PutItem/UpdateItem/ConditionCheckItem)."""
    wrong = role({"Action": ["dynamodb:TransactWriteItems"], "Resource": {"Fn::GetAtt": ["Orders", "Arn"]}})
    assert ("t.yaml:Role/p", "LOW", "UNKNOWN_ACTION") in issues(wrong)


def test_an_intrinsic_the_tool_cannot_resolve_is_named() -> None:
    unknown = role({"Action": ["sqs:SendMessage"], "Resource": {"Fn::ImportValue": "elsewhere-QueueArn"}})
    [(where, severity, text)] = list(findings("t.yaml", unknown))
    assert (where, severity) == ("t.yaml:Role/p", "CRITICAL") and "Fn::ImportValue" in text


def test_ignore_locations_match_whole_fields_case_insensitively() -> None:
    finding = Finding("RESOURCE_STAR", "", {"filepath": "stacks/iam.yaml:DataKey"})
    finding.ignore_locations = [{"filepath": r"stacks/iam\.yaml:datakey"}]
    assert ignored(finding)
    finding.ignore_locations = [{"filepath": [r"stacks/iam\.yaml:Data"]}]
    assert not ignored(finding)
    finding.ignore_locations = [{"filepath": r"stacks/iam\.yaml:DataKey", "actions": "kms:.*"}]
    assert not ignored(finding)  # every key of an entry must match


def test_both_stacks_are_clean_and_the_key_policy_is_silenced_only_where_justified() -> None:
    assert list(findings("stacks/iam.yaml", templates.load("iam"))) == []
    assert list(findings("stacks/app.yaml", templates.load("app"))) == []
    # The same template under another name is not silenced: the ignores in .parliament.yaml name the key policy
    # and the two EXPRESS workflows' log delivery (logs:PutResourcePolicy, which AWS requires for their logging).
    elsewhere = {(where, issue) for where, _, issue in issues(templates.load("iam"))}
    assert elsewhere == {
        ("t.yaml:DataKey", "PERMISSIONS_MANAGEMENT_ACTIONS"),
        ("t.yaml:DataKey", "RESOURCE_STAR"),
        ("t.yaml:DataKey", "MISMATCHED_TYPE"),
        ("t.yaml:OrderBatchRole/order-batch", "PERMISSIONS_MANAGEMENT_ACTIONS"),
        ("t.yaml:StateMachineRole/order-workflow", "PERMISSIONS_MANAGEMENT_ACTIONS"),
    }
