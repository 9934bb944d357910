"""IAM enforcement: a function or a state machine does what its role allows, and gets AWS's refusal otherwise."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from conftest import poll

from localcloud import config, iam

Aws = Callable[[str], Any]
Stacks = Any  # conftest.py's Stacks (conftest modules are not importable by name)
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


@pytest.fixture(scope="module")
def deployed(module_stacks: Stacks) -> dict[str, str]:
    """iam_enforcement.yaml, deployed once for this module."""
    return module_stacks.deploy("iam_enforcement.yaml", name=f"iam-{int(time.time() * 1000)}")


def call(aws: Aws, function: str, op: str, table: str) -> dict[str, Any]:
    answer = aws("lambda").invoke(FunctionName=function, Payload=json.dumps({"op": op, "table": table}).encode())
    assert "FunctionError" not in answer, answer["Payload"].read()
    result: dict[str, Any] = json.loads(answer["Payload"].read())
    return result


def table_arn(name: str) -> str:
    return f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"


def client_as(aws: Aws, endpoint: str, role_arn: str, service: str, *, session: str) -> Any:
    """A client of `service` with the credentials of `role_arn`, assumed through STS."""
    creds = aws("sts").assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def test_role_allows_get_item_on_its_table(aws: Aws, deployed: dict[str, str]) -> None:
    assert call(aws, deployed["Reader"], "get", deployed["AllowedTable"]) == {"ok": True}


def test_action_the_role_lacks_is_refused_with_aws_message(aws: Aws, deployed: dict[str, str]) -> None:
    refused = call(aws, deployed["Reader"], "put", deployed["AllowedTable"])

    principal = f"arn:aws:sts::000000000000:assumed-role/{deployed['ReaderRoleName']}/{deployed['Reader']}"
    assert refused == {
        "error": "AccessDeniedException",
        "message": f"User: {principal} is not authorized to perform: dynamodb:PutItem on resource: "
        f"{table_arn(deployed['AllowedTable'])} because no identity-based policy allows the dynamodb:PutItem action",
    }
    assert aws("dynamodb").get_item(TableName=deployed["AllowedTable"], Key={"pk": {"S": "k"}}).get("Item") is None


def test_allowed_action_on_another_table_is_refused(aws: Aws, deployed: dict[str, str]) -> None:
    refused = call(aws, deployed["Reader"], "get", deployed["OtherTable"])

    assert refused["error"] == "AccessDeniedException"
    assert f"dynamodb:GetItem on resource: {table_arn(deployed['OtherTable'])} because" in refused["message"]


def test_explicit_deny_wins_over_an_allow(aws: Aws, deployed: dict[str, str]) -> None:
    aws("dynamodb").put_item(TableName=deployed["OtherTable"], Item={"pk": {"S": "k"}})

    assert call(aws, deployed["Denied"], "put", deployed["OtherTable"]) == {"ok": True}
    refused = call(aws, deployed["Denied"], "delete", deployed["OtherTable"])

    assert refused["error"] == "AccessDeniedException"
    assert refused["message"].endswith(
        f"dynamodb:DeleteItem on resource: {table_arn(deployed['OtherTable'])} "
        "with an explicit deny in an identity-based policy"
    )
    assert "Item" in aws("dynamodb").get_item(TableName=deployed["OtherTable"], Key={"pk": {"S": "k"}})


def run(aws: Aws, machine_arn: str) -> dict[str, Any]:
    sfn = aws("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=machine_arn, input="{}")["executionArn"]
    deadline = time.monotonic() + 30
    while (described := sfn.describe_execution(executionArn=arn))["status"] not in TERMINAL:
        assert time.monotonic() < deadline, f"execution {arn} did not end in 30 s"
        time.sleep(0.2)
    result: dict[str, Any] = described
    return result


def test_state_machine_task_runs_with_its_role(aws: Aws, deployed: dict[str, str]) -> None:
    assert run(aws, deployed["SendingMachine"])["status"] == "SUCCEEDED"

    refused = run(aws, deployed["RefusedMachine"])

    assert refused["status"] == "FAILED"
    # The task fails with SQS's refusal as its cause (the error name is the one moto's interpreter gives
    # every SQS client error).
    assert refused["error"].startswith("SQS.")
    assert refused["cause"].startswith("User: arn:aws:sts::000000000000:assumed-role/")
    assert (
        "is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:000000000000:"
        in refused["cause"]
    )
    sqs = aws("sqs")
    received = sqs.receive_message(QueueUrl=deployed["QueueUrl"], MaxNumberOfMessages=10)
    assert len(received.get("Messages", [])) == 1  # the refused machine sent nothing


def test_schedule_starts_its_target_with_its_role(aws: Aws, stacks: Stacks, endpoint: str) -> None:
    machine = stacks.deploy("schedules_machine.yaml")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    name = f"no-start-{int(time.time() * 1000)}"
    role = aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    try:
        schedule = stacks.deploy(
            "schedules_scheduler.yaml",
            {"MachineArn": machine["MachineArn"], "StartRoleArn": role, "ScheduleName": name},
        )["EnabledArn"]

        def last_error() -> str | None:
            status = requests.get(endpoint + "/_localcloud/schedules", timeout=5).json()
            entry = next((e for e in status["schedules"] if e["arn"] == schedule), None)
            return entry["lastError"] if entry and entry["fired"] else None

        error = poll(last_error, timeout=20, what="the schedule to fire")

        assert f"User: arn:aws:sts::000000000000:assumed-role/{name}/" in error
        assert f"is not authorized to perform: states:StartExecution on resource: {machine['MachineArn']}" in error
        assert aws("stepfunctions").list_executions(stateMachineArn=machine["MachineArn"])["executions"] == []
    finally:
        aws("iam").delete_role(RoleName=name)


ROLE_TEMPLATE = """
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }, Action: sts:AssumeRole }
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: [%s], Resource: !GetAtt Queue.Arn }
Outputs:
  QueueUrl: { Value: !Ref Queue }
  RoleArn: { Value: !GetAtt Role.Arn }
"""


def test_a_stack_update_changes_what_the_role_may_do(aws: Aws, stacks: Stacks, endpoint: str) -> None:
    """On AWS an update of a role's `Policies` takes effect in place (no replacement): a permission taken out of
    the template is refused after the update, and allowed again once it is put back."""
    both = ROLE_TEMPLATE % "sqs:SendMessage, sqs:GetQueueAttributes"
    out = stacks.deploy(both)
    name = stacks.created[-1]
    sqs = client_as(aws, endpoint, out["RoleArn"], "sqs", session="updated")
    cfn = aws("cloudformation")

    def update(body: str) -> None:
        cfn.update_stack(StackName=name, TemplateBody=body, Capabilities=["CAPABILITY_IAM"])
        assert stacks.wait(name)["StackStatus"] == "UPDATE_COMPLETE"

    sqs.send_message(QueueUrl=out["QueueUrl"], MessageBody="allowed")
    update(ROLE_TEMPLATE % "sqs:GetQueueAttributes")
    with pytest.raises(ClientError) as refused:
        sqs.send_message(QueueUrl=out["QueueUrl"], MessageBody="refused")
    assert "is not authorized to perform: sqs:SendMessage on resource" in str(refused.value)
    sqs.get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["All"])  # what is still granted works
    update(both)
    sqs.send_message(QueueUrl=out["QueueUrl"], MessageBody="allowed again")


# Two sender roles that differ only in the service their key grant names (kms:ViaService).
KMS_SENDER_ROLE = """
  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{ AWS: !Sub "arn:aws:iam::${{AWS::AccountId}}:root" }}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: send
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{ Effect: Allow, Action: sqs:SendMessage, Resource: [!GetAtt Encrypted.Arn, !GetAtt Plain.Arn] }}
              - Effect: Allow
                Action: kms:GenerateDataKey
                Resource: !GetAtt Key.Arn
                Condition: {{ StringEquals: {{ kms:ViaService: {service}.us-east-1.amazonaws.com }} }}"""
KMS_QUEUE_TEMPLATE = (
    """
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }
            Action: [kms:GenerateDataKey, kms:Decrypt, kms:DescribeKey]
            Resource: "*"
  Encrypted:
    Type: AWS::SQS::Queue
    Properties: { KmsMasterKeyId: !GetAtt Key.Arn }
  Plain:
    Type: AWS::SQS::Queue"""
    + KMS_SENDER_ROLE.format(name="ThroughSqs", service="sqs")
    + KMS_SENDER_ROLE.format(name="ThroughDynamoDbOnly", service="dynamodb")
    + """
Outputs:
  KeyArn: { Value: !GetAtt Key.Arn }
  Encrypted: { Value: !Ref Encrypted }
  Plain: { Value: !Ref Plain }
  ThroughSqs: { Value: !GetAtt ThroughSqs.Arn }
  ThroughDynamoDbOnly: { Value: !GetAtt ThroughDynamoDbOnly.Arn }
"""
)


def test_a_send_to_an_sse_kms_queue_needs_the_senders_generate_data_key(
    aws: Aws, stacks: Stacks, endpoint: str
) -> None:
    """On AWS, SQS asks KMS for a data key with the sender's credentials (kms:ViaService sqs.<region>...): a
    role without `kms:GenerateDataKey` on the queue's key cannot send to it, with SQS's KmsAccessDenied."""
    out = stacks.deploy(KMS_QUEUE_TEMPLATE)

    def sqs_as(role: str) -> Any:
        return client_as(aws, endpoint, out[role], "sqs", session="sender")

    sqs_as("ThroughSqs").send_message(QueueUrl=out["Encrypted"], MessageBody="allowed")
    other = sqs_as("ThroughDynamoDbOnly")
    other.send_message(QueueUrl=out["Plain"], MessageBody="no key involved")
    with pytest.raises(ClientError) as refused:
        other.send_message(QueueUrl=out["Encrypted"], MessageBody="refused")

    assert refused.value.response["Error"]["Code"] == "KmsAccessDenied"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    role_name = out["ThroughDynamoDbOnly"].rsplit("/", 1)[-1]
    assert refused.value.response["Error"]["Message"] == (
        f"User: arn:aws:sts::000000000000:assumed-role/{role_name}/sender is not authorized to perform: "
        f"kms:GenerateDataKey on resource: {out['KeyArn']} because no identity-based policy allows the "
        "kms:GenerateDataKey action"
    )
    attributes = aws("sqs").get_queue_attributes(
        QueueUrl=out["Encrypted"], AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "1"


def test_other_credentials_keep_full_access(aws: Aws, deployed: dict[str, str]) -> None:
    ddb = aws("dynamodb")
    ddb.put_item(TableName=deployed["AllowedTable"], Item={"pk": {"S": "admin"}})
    ddb.delete_item(TableName=deployed["AllowedTable"], Key={"pk": {"S": "admin"}})


# -- the evaluator and the switch (no cloud needed) -------------------------------------------------------
POLICY = {
    "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:Get*", "sqs:Send*"], "Resource": "arn:aws:dynamodb:*:*:table/t?"},
        {
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "Shop"}},
        },
        {"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:*:table/t9"},
    ]
}


@pytest.mark.parametrize(
    ("action", "resource", "context", "decision"),
    [
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t1", {}, iam.Decision.ALLOW),
        ("DynamoDB:getitem", "arn:aws:dynamodb:us-east-1:1:table/t1", {}, iam.Decision.ALLOW),  # actions: any case
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t12", {}, iam.Decision.IMPLICIT_DENY),
        ("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:1:table/t1", {}, iam.Decision.IMPLICIT_DENY),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t9", {}, iam.Decision.EXPLICIT_DENY),
        ("cloudwatch:PutMetricData", "*", {"cloudwatch:namespace": ["Shop"]}, iam.Decision.ALLOW),
        ("cloudwatch:PutMetricData", "*", {"cloudwatch:namespace": ["Other"]}, iam.Decision.IMPLICIT_DENY),
        ("cloudwatch:PutMetricData", "*", {}, iam.Decision.IMPLICIT_DENY),
    ],
)
def test_policy_evaluation(action: str, resource: str, context: dict[str, list[str]], decision: str) -> None:
    assert iam.evaluate([POLICY], action, resource, context) == decision


def test_a_conditional_deny_applies_only_when_its_condition_holds() -> None:
    policy = {
        "Statement": [
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "kms:*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}},
            },
        ]
    }
    via_sqs = {"kms:viaservice": ["sqs.us-east-1.amazonaws.com"]}
    assert iam.evaluate([policy], "kms:Decrypt", "k", via_sqs) == iam.Decision.ALLOW
    assert iam.evaluate([policy], "kms:Decrypt", "k", {}) == iam.Decision.EXPLICIT_DENY


def test_switch_off_lets_role_credentials_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto import mock_aws
    from moto.iam.models import iam_backends

    monkeypatch.setenv("LOCALCLOUD_IAM", "off")
    assert config.load().iam is False
    monkeypatch.delenv("LOCALCLOUD_IAM")
    assert config.load().iam is True  # on by default
    account = "000000000000"
    with mock_aws():
        role = iam_backends[account]["aws"].create_role("nothing-allowed", "{}", "/", None, "", [], None)
        key, _, token = iam.role_credentials(role.arn, "fn", account, "us-east-1")
        headers = {"X-Amz-Security-Token": token}
        request = (key, headers, "dynamodb", "PutItem", {"TableName": "x"}, account, "us-east-1")

        monkeypatch.setattr(iam, "_enabled", True)
        refusal = iam.check(*request)
        assert refusal is not None and refusal.action == "dynamodb:PutItem"
        monkeypatch.setattr(iam, "_enabled", False)
        assert iam.check(*request) is None
