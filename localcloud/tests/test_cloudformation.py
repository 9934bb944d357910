"""CloudFormation fails like AWS (by name, with rollback), exports cross stacks, and the skipped types work."""

from __future__ import annotations

import json
import string
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import TEMPLATES, Stacks, unique

Aws = Callable[[str], Any]


def _create(stacks: Stacks, template: str, parameters: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    """CreateStack without asserting success; returns the stack name and its final description."""
    name = unique("cfn")
    stacks.cfn.create_stack(
        StackName=name,
        TemplateBody=(TEMPLATES / template).read_text(),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
        Capabilities=["CAPABILITY_IAM"],
    )
    stacks.created.append(name)
    return name, stacks.wait(name)


def _events(stacks: Stacks, name: str) -> list[dict[str, Any]]:
    return list(reversed(stacks.cfn.describe_stack_events(StackName=name)["StackEvents"]))  # oldest first


def _queue_exists(aws: Aws, url: str) -> bool:
    try:
        aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return True
    except ClientError:
        return False


def _created_physical_id(events: list[dict[str, Any]], logical_id: str) -> str:
    return next(
        e["PhysicalResourceId"]
        for e in events
        if e["LogicalResourceId"] == logical_id and e["ResourceStatus"] == "CREATE_COMPLETE"
    )


def test_unsupported_type_fails_the_stack_by_name_and_rolls_back(stacks: Stacks, aws: Aws) -> None:
    name, stack = _create(stacks, "cfn_unsupported.yaml")

    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = _events(stacks, name)
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert [(e["LogicalResourceId"], e["ResourceType"]) for e in failed] == [("App", "AWS::Amplify::App")]
    assert failed[0]["ResourceStatusReason"] == "Resource type AWS::Amplify::App is not supported by the local cloud"
    # The queue made before it is gone again, and no output pretends otherwise.
    queue_url = _created_physical_id(events, "Queue")
    assert not _queue_exists(aws, queue_url)
    assert "Outputs" not in stacks.cfn.describe_stacks(StackName=name)["Stacks"][0]
    statuses = [e["ResourceStatus"] for e in events if e["LogicalResourceId"] == name]
    assert statuses == ["CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"]


def test_failing_resource_rolls_back_what_was_created_before_it(stacks: Stacks, aws: Aws) -> None:
    taken = unique("taken").lower()
    aws("s3").create_bucket(Bucket=taken)
    aws("s3").put_object(Bucket=taken, Key="keep.txt", Body=b"mine")

    name, stack = _create(stacks, "cfn_failing.yaml", {"TakenBucketName": taken})

    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = _events(stacks, name)
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert [e["LogicalResourceId"] for e in failed] == ["Bucket"]
    assert "BucketAlreadyExists" in failed[0]["ResourceStatusReason"]
    rolled_back = [e["LogicalResourceId"] for e in events if e["ResourceStatus"] == "DELETE_COMPLETE"]
    assert rolled_back == ["Table", "Queue"]  # reverse creation order
    assert not _queue_exists(aws, _created_physical_id(events, "Queue"))
    with pytest.raises(ClientError) as missing:
        aws("dynamodb").describe_table(TableName=_created_physical_id(events, "Table"))
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # The bucket that was already there is untouched.
    assert aws("s3").get_object(Bucket=taken, Key="keep.txt")["Body"].read() == b"mine"
    # A rolled-back stack can only be deleted, as on AWS.
    with pytest.raises(ClientError, match="ROLLBACK_COMPLETE state and can not be updated"):
        stacks.cfn.update_stack(StackName=name, TemplateBody=(TEMPLATES / "cfn_unsupported.yaml").read_text())


def test_delete_stack_removes_what_it_made(stacks: Stacks, aws: Aws) -> None:
    out = stacks.deploy("cfn_resources.yaml")
    stack_id = stacks.cfn.describe_stacks(StackName=stacks.created[-1])["Stacks"][0]["StackId"]
    stacks.cfn.delete_stack(StackName=stack_id)
    assert stacks.wait(stack_id)["StackStatus"] == "DELETE_COMPLETE"

    assert not _queue_exists(aws, out["QueueUrl"])
    with pytest.raises(ClientError):
        aws("dynamodb").describe_table(TableName=out["TableName"])
    with pytest.raises(ClientError):
        aws("s3").head_bucket(Bucket=out["BucketName"])
    with pytest.raises(ClientError):
        aws("secretsmanager").describe_secret(SecretId=out["ApiKeySecretArn"])
    with pytest.raises(ClientError):
        aws("sns").get_topic_attributes(TopicArn=out["TopicArn"])
    with pytest.raises(ClientError):
        aws("ssm").get_parameter(Name=out["SecretCopyName"])
    assert aws("cloudwatch").describe_alarms(AlarmNames=[out["AlarmName"]])["MetricAlarms"] == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix=out["LogGroupName"])["logGroups"] == []
    with pytest.raises(ClientError):
        aws("cloudfront").get_origin_access_control(Id=out["AccessControlId"])


def test_secrets_alarm_policy_and_service_options(stacks: Stacks, aws: Aws) -> None:
    out = stacks.deploy("cfn_resources.yaml")
    secrets = aws("secretsmanager")

    assert out["ApiKeySecretArn"].startswith("arn:aws:secretsmanager:us-east-1:000000000000:secret:")
    api_key = secrets.get_secret_value(SecretId=out["ApiKeySecretArn"])["SecretString"]
    assert len(api_key) == 24
    assert not set(api_key) & (set(string.punctuation) | set("abcdefABCDEF"))
    jwt = json.loads(secrets.get_secret_value(SecretId=out["JwtSecretId"])["SecretString"])
    assert jwt["username"] == "shop" and len(jwt["password"]) == 40
    # {{resolve:secretsmanager:...}} put the generated password into the parameter.
    assert aws("ssm").get_parameter(Name=out["SecretCopyName"])["Parameter"]["Value"] == jwt["password"]

    alarms = aws("cloudwatch").describe_alarms(AlarmNames=[out["AlarmName"]])["MetricAlarms"]
    assert [(a["AlarmArn"], a["MetricName"], a["Threshold"]) for a in alarms] == [(out["AlarmArn"], "Errors", 1.0)]
    assert alarms[0]["AlarmActions"] == [out["TopicArn"]]
    assert alarms[0]["Dimensions"] == [{"Name": "FunctionName", "Value": "app-server"}]

    assert out["BucketPolicyRef"] == out["BucketName"]
    policy = json.loads(aws("s3").get_bucket_policy(Bucket=out["BucketName"])["Policy"])
    assert policy["Statement"][0]["Sid"] == "DenyInsecureTransport"

    dynamodb = aws("dynamodb")
    backups = dynamodb.describe_continuous_backups(TableName=out["TableName"])["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = dynamodb.describe_time_to_live(TableName=out["TableName"])["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"}
    assert dynamodb.describe_table(TableName=out["TableName"])["Table"]["SSEDescription"]["Status"] == "ENABLED"

    queue = aws("sqs").get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["All"])["Attributes"]
    assert queue["SqsManagedSseEnabled"] == "true" and queue["QueueArn"] == out["QueueArn"]
    topic = aws("sns").get_topic_attributes(TopicArn=out["TopicArn"])["Attributes"]
    assert topic["KmsMasterKeyId"] == "alias/aws/sns"
    assert out["LogGroupArn"].startswith(f"arn:aws:logs:us-east-1:000000000000:log-group:{out['LogGroupName']}")
    control = aws("cloudfront").get_origin_access_control(Id=out["AccessControlId"])["OriginAccessControl"]
    assert control["OriginAccessControlConfig"]["SigningBehavior"] == "always"


def test_export_and_import_across_the_iam_and_app_stacks(stacks: Stacks, aws: Aws) -> None:
    env = f"e{uuid.uuid4().hex[:6]}"
    iam = stacks.deploy("cfn_iam_export.yaml", {"EnvName": env}, name=f"{env}-iam")
    app = stacks.deploy("cfn_app_import.yaml", {"EnvName": env}, name=f"{env}-app")
    cfn = stacks.cfn

    assert aws("ssm").get_parameter(Name=app["RoleArnParameterName"])["Parameter"]["Value"] == iam["FunctionRoleArn"]
    assert ":role/" in iam["FunctionRoleArn"]
    exports = {e["Name"]: e for e in cfn.list_exports()["Exports"]}
    export = exports[f"{env}-FunctionRoleArn"]
    assert export["Value"] == iam["FunctionRoleArn"]
    assert export["ExportingStackId"] == cfn.describe_stacks(StackName=f"{env}-iam")["Stacks"][0]["StackId"]

    # The exporting stack cannot go while the app stack imports its role.
    cfn.delete_stack(StackName=f"{env}-iam")
    blocked = stacks.wait(f"{env}-iam")
    assert blocked["StackStatus"] == "DELETE_FAILED"
    assert _last_reason(stacks, f"{env}-iam") == (
        f"Export {env}-FunctionRoleArn cannot be deleted as it is in use by {env}-app"
    )
    role_name = iam["FunctionRoleArn"].rsplit("/", 1)[1]
    assert aws("iam").get_role(RoleName=role_name)["Role"]["Arn"] == iam["FunctionRoleArn"]

    # App first, then the identity stack goes, and its export with it.
    app_id = cfn.describe_stacks(StackName=f"{env}-app")["Stacks"][0]["StackId"]
    cfn.delete_stack(StackName=app_id)
    assert stacks.wait(app_id)["StackStatus"] == "DELETE_COMPLETE"
    cfn.delete_stack(StackName=f"{env}-iam")
    assert _wait_gone(stacks, f"{env}-iam")
    assert f"{env}-FunctionRoleArn" not in {e["Name"] for e in cfn.list_exports()["Exports"]}
    with pytest.raises(ClientError):
        aws("iam").get_role(RoleName=role_name)


def _last_reason(stacks: Stacks, name: str) -> str:
    return str(stacks.cfn.describe_stack_events(StackName=name)["StackEvents"][0].get("ResourceStatusReason"))


def _wait_gone(stacks: Stacks, name: str, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = {s["StackName"] for s in stacks.cfn.describe_stacks()["Stacks"]}
        if name not in names:
            return True
        time.sleep(0.2)
    return False


def test_import_of_a_missing_export_is_a_validation_error(stacks: Stacks) -> None:
    with pytest.raises(ClientError) as error:
        stacks.deploy("cfn_app_import.yaml", {"EnvName": "nothere"})
    assert error.value.response["Error"]["Code"] == "ValidationError"
    assert error.value.response["Error"]["Message"] == "No export named nothere-FunctionRoleArn found."


def test_failed_update_rolls_back_to_the_previous_template(stacks: Stacks, aws: Aws) -> None:
    env = f"u{uuid.uuid4().hex[:6]}"
    stacks.deploy("cfn_iam_export.yaml", {"EnvName": env}, name=f"{env}-iam")
    cfn = stacks.cfn
    broken = (
        (TEMPLATES / "cfn_iam_export.yaml")
        .read_text()
        .replace(
            "Resources:\n",
            "Resources:\n  Extra:\n    Type: AWS::SQS::Queue\n  App:\n    Type: AWS::Amplify::App\n"
            "    DependsOn: Extra\n    Properties:\n      Name: x\n",
            1,
        )
    )
    cfn.update_stack(
        StackName=f"{env}-iam",
        TemplateBody=broken,
        Parameters=[{"ParameterKey": "EnvName", "UsePreviousValue": True}],
        Capabilities=["CAPABILITY_IAM"],
    )
    stack = stacks.wait(f"{env}-iam")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    events = _events(stacks, f"{env}-iam")
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed[-1]["LogicalResourceId"] == "App"
    # The queue the update added is gone; the role and its export are still there.
    extra = _created_physical_id(events, "Extra")
    assert not _queue_exists(aws, extra)
    resources = {r["LogicalResourceId"] for r in cfn.describe_stack_resources(StackName=f"{env}-iam")["StackResources"]}
    assert resources == {"FunctionRole"}
    assert f"{env}-FunctionRoleArn" in {e["Name"] for e in cfn.list_exports()["Exports"]}


def _execute_change_set(
    stacks: Stacks, name: str, template: str, parameters: dict[str, str], kind: str
) -> dict[str, Any]:
    """What stacks/deploy.py does: CreateChangeSet, wait, ExecuteChangeSet, wait."""
    cfn = stacks.cfn
    cfn.create_change_set(
        StackName=name,
        ChangeSetName="deploy-1",
        ChangeSetType=kind,
        TemplateBody=(TEMPLATES / template).read_text(),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    if name not in stacks.created:
        stacks.created.append(name)
    deadline = time.monotonic() + 30
    while cfn.describe_change_set(StackName=name, ChangeSetName="deploy-1")["Status"] != "CREATE_COMPLETE":
        assert time.monotonic() < deadline, "change set never became ready"
        time.sleep(0.2)
    cfn.execute_change_set(StackName=name, ChangeSetName="deploy-1")
    return stacks.wait(name, timeout=30)


def test_change_sets_register_exports_and_roll_back_failures(stacks: Stacks, aws: Aws) -> None:
    env = f"c{uuid.uuid4().hex[:6]}"
    iam = _execute_change_set(stacks, f"{env}-iam", "cfn_iam_export.yaml", {"EnvName": env}, "CREATE")
    assert iam["StackStatus"] == "CREATE_COMPLETE"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in iam["Outputs"]}
    exports = {e["Name"]: e["Value"] for e in stacks.cfn.list_exports()["Exports"]}
    assert exports[f"{env}-FunctionRoleArn"] == outputs["FunctionRoleArn"]
    app = _execute_change_set(stacks, f"{env}-app", "cfn_app_import.yaml", {"EnvName": env}, "CREATE")
    assert app["StackStatus"] == "CREATE_COMPLETE"

    broken = _execute_change_set(stacks, f"{env}-broken", "cfn_unsupported.yaml", {}, "CREATE")
    assert broken["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "Resource type AWS::Amplify::App is not supported by the local cloud" in broken["StackStatusReason"]
    assert not _queue_exists(aws, _created_physical_id(_events(stacks, f"{env}-broken"), "Queue"))


@pytest.mark.parametrize(
    ("statuses", "policy"),
    [
        (None, {"status": ["FAILED", "PAYMENT_FAILED", "CANCELLED"]}),  # the Default, as AWS: a list
        ("SHIPPED, CANCELLED", {"status": ["SHIPPED", "CANCELLED"]}),  # each member trimmed
        ("ALL", None),
    ],
)
def test_list_parameters_are_lists_at_their_default_too(
    stacks: Stacks, aws: Aws, statuses: str | None, policy: dict[str, list[str]] | None
) -> None:
    given = {"Passed": "a,b"} | ({"Statuses": statuses} if statuses else {})
    _, stack = _create(stacks, "cfn_list_parameters.yaml", given)

    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    assert outputs["Joined"] == "a|b"
    assert outputs["First"] == (statuses or "FAILED").split(",")[0].strip()
    attributes = aws("sns").get_subscription_attributes(SubscriptionArn=outputs["Subscription"])["Attributes"]
    assert (json.loads(attributes["FilterPolicy"]) if "FilterPolicy" in attributes else None) == policy
