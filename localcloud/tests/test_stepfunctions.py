"""Step Functions machines from CloudFormation execute: definitions, service tasks, flow, errors."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from conftest import poll

Aws = Callable[[str], Any]
Stacks = Any  # conftest.py's Stacks (conftest modules are not importable by name)
TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "templates"
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def run(aws: Aws, machine_arn: str, payload: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
    """Start an execution and poll DescribeExecution until it ends."""
    sfn = aws("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=machine_arn, input=json.dumps(payload or {}))["executionArn"]
    deadline = time.monotonic() + timeout
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if described["status"] in TERMINAL:
            return described
        if time.monotonic() > deadline:
            raise AssertionError(f"execution {arn} still {described['status']} after {timeout}s")
        time.sleep(0.2)


def history(aws: Aws, execution_arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = aws("stepfunctions").get_execution_history(executionArn=execution_arn)["events"]
    return events


def test_fn_sub_definition_executes_and_outputs_resolve(aws: Aws, stacks: Stacks) -> None:
    outputs = stacks.deploy("stepfunctions_sub.yaml", {"Greeting": "hola"})
    arn = outputs["MachineArn"]
    assert outputs["MachineArnAttribute"] == arn
    assert arn.endswith(":stateMachine:" + outputs["MachineName"])

    execution = run(aws, arn, {"name": "ada"})

    assert execution["status"] == "SUCCEEDED"
    assert json.loads(execution["output"]) == {"greeting": "hola", "region": "us-east-1", "name": "ada"}
    types = [e["type"] for e in history(aws, execution["executionArn"])]
    assert types[0] == "ExecutionStarted"
    assert types[-1] == "ExecutionSucceeded"


def test_definition_substitutions_in_object_and_string(aws: Aws, endpoint: str, stacks: Stacks) -> None:
    outputs = stacks.deploy("stepfunctions_substitutions.yaml", {"Greeting": "hi"})
    sfn = aws("stepfunctions")
    assert sfn.describe_state_machine(stateMachineArn=outputs["ObjectMachineArn"])["type"] == "EXPRESS"

    # An EXPRESS machine: its result comes from StartSyncExecution (AWS refuses DescribeExecution for it).
    sync = boto3.client("stepfunctions", endpoint_url=endpoint, config=Config(inject_host_prefix=False))
    from_object = sync.start_sync_execution(stateMachineArn=outputs["ObjectMachineArn"])
    from_string = run(aws, outputs["StringMachineArn"])

    assert json.loads(from_object["output"]) == {"greeting": "hi", "audience": "world"}
    assert json.loads(from_string["output"]) == "hi from a string"


def test_definition_from_s3_location(aws: Aws, stacks: Stacks) -> None:
    bucket = unique("definitions")
    s3 = aws("s3")
    s3.create_bucket(Bucket=bucket)
    definition = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "Result": "from ${Source}", "End": True}}}
    s3.put_object(Bucket=bucket, Key="machine.asl.json", Body=json.dumps(definition).encode())

    outputs = stacks.deploy("stepfunctions_s3_definition.yaml", {"Bucket": bucket, "Key": "machine.asl.json"})

    assert json.loads(run(aws, outputs["MachineArn"])["output"]) == "from s3"


def test_stack_update_replaces_definition_and_delete_removes_machine(aws: Aws, stacks: Stacks) -> None:
    cfn = aws("cloudformation")
    sfn = aws("stepfunctions")
    name = unique("sfn-update")
    arn = stacks.deploy("stepfunctions_sub.yaml", {"Greeting": "before"}, name=name)["MachineArn"]

    template = (TEMPLATES / "stepfunctions_sub.yaml").read_text().replace('"greeting"', '"salute"')
    assert stacks.update(name, {"Greeting": "after"}, template)["StackStatus"] == "UPDATE_COMPLETE"
    assert json.loads(run(aws, arn, {"name": "x"})["output"])["salute"] == "after"

    cfn.delete_stack(StackName=name)
    deadline = time.monotonic() + 30
    while arn in {m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]}:
        assert time.monotonic() < deadline, "DeleteStack left the state machine behind"
        time.sleep(0.2)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_queue_to_dynamodb_and_sns_workflow(aws: Aws, stacks: Stacks) -> None:
    outputs = stacks.deploy("stepfunctions_orders.yaml")
    sqs, ddb, sns = aws("sqs"), aws("dynamodb"), aws("sns")
    observer = sqs.create_queue(QueueName=unique("observer"))["QueueUrl"]
    observer_arn = sqs.get_queue_attributes(QueueUrl=observer, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=outputs["TopicArn"], Protocol="sqs", Endpoint=observer_arn)
    for order_id, amount in (("o-1", 10), ("o-2", 25), ("o-3", 7)):
        sqs.send_message(QueueUrl=outputs["QueueUrl"], MessageBody=json.dumps({"id": order_id, "amount": amount}))

    execution = run(aws, outputs["MachineArn"])

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert sorted(json.loads(execution["output"])["processed"]) == ["o-1", "o-2", "o-3"]
    item = ddb.get_item(TableName=outputs["TableName"], Key={"pk": {"S": "o-2"}})["Item"]
    assert item == {"pk": {"S": "o-2"}, "status": {"S": "PROCESSED"}, "amount": {"N": "25"}}
    notes: list[str] = []
    deadline = time.monotonic() + 10
    while len(notes) < 3 and time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=observer, MaxNumberOfMessages=10).get("Messages", []):
            notes.append(json.loads(message["Body"])["Message"])
    assert sorted(notes) == ["order o-1 processed", "order o-2 processed", "order o-3 processed"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=outputs["QueueUrl"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert attributes == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


@pytest.fixture(scope="module")
def flow(module_stacks: Stacks) -> dict[str, str]:
    """stepfunctions_flow.yaml, deployed once for the control-flow tests."""
    return module_stacks.deploy("stepfunctions_flow.yaml", name=unique("sfn-flow"))


def test_choice_wait_and_map_with_parameters(aws: Aws, flow: dict[str, str]) -> None:
    arn = flow["ChoiceMachineArn"]

    batch = run(aws, arn, {"kind": "batch", "items": ["a", "b"]})
    large = run(aws, arn, {"kind": "single", "amount": 150})
    small = run(aws, arn, {"kind": "single", "amount": 5})
    unknown = run(aws, arn, {"kind": "other"})

    assert json.loads(batch["output"]) == ["a#0", "b#1"]
    assert json.loads(large["output"]) == "large"
    assert json.loads(small["output"]) == "small"
    assert unknown["status"] == "FAILED"
    assert (unknown["error"], unknown["cause"]) == ("UnknownKind", "kind must be batch or single")
    assert "output" not in unknown


def test_retry_then_catch_by_error_name(aws: Aws, flow: dict[str, str]) -> None:
    arn = flow["RetryCatchMachineArn"]
    first = run(aws, arn, {"id": "k-1"})
    assert first["status"] == "SUCCEEDED"

    duplicate = run(aws, arn, {"id": "k-1"})

    assert duplicate["status"] == "SUCCEEDED"
    assert json.loads(duplicate["output"]) == {
        "duplicate": True,
        "error": "DynamoDB.ConditionalCheckFailedException",
    }
    events = history(aws, duplicate["executionArn"])
    # One attempt plus MaxAttempts=2 retries, then the Catch.
    assert [e["type"] for e in events].count("TaskScheduled") == 3
    failures = [e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failures] == ["DynamoDB.ConditionalCheckFailedException"] * 3


def test_uncaught_task_error_fails_the_execution(aws: Aws, flow: dict[str, str]) -> None:
    aws("dynamodb").put_item(TableName=flow["TableName"], Item={"pk": {"S": "taken"}})

    execution = run(aws, flow["UncaughtMachineArn"], {"id": "taken"})

    assert execution["status"] == "FAILED"
    assert execution["error"] == "DynamoDB.ConditionalCheckFailedException"
    assert "conditional request failed" in execution["cause"].lower()
    assert history(aws, execution["executionArn"])[-1]["type"] == "ExecutionFailed"


def test_task_timeout_seconds_raises_states_timeout(aws: Aws, flow: dict[str, str]) -> None:
    execution = run(aws, flow["TimeoutMachineArn"])

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert json.loads(execution["output"]) == {"error": "States.Timeout"}
    types = [e["type"] for e in history(aws, execution["executionArn"])]
    assert "TaskTimedOut" in types


@pytest.fixture(scope="module")
def lambda_flow(module_stacks: Stacks) -> dict[str, str]:
    """stepfunctions_lambda.yaml, deployed once for the Lambda task tests."""
    return module_stacks.deploy("stepfunctions_lambda.yaml", name=unique("sfn-lambda"))


def test_lambda_invoke_task_returns_the_handler_result(aws: Aws, lambda_flow: dict[str, str]) -> None:
    execution = run(aws, lambda_flow["InvokeMachineArn"], {"value": 21})

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert json.loads(execution["output"]) == {"doubled": 42}


def test_bare_function_arn_task_returns_the_handler_result(aws: Aws, lambda_flow: dict[str, str]) -> None:
    execution = run(aws, lambda_flow["BareArnMachineArn"], {"value": 5})

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert json.loads(execution["output"]) == {"doubled": 10}


def test_lambda_custom_error_is_retried_then_caught_by_name(aws: Aws, lambda_flow: dict[str, str]) -> None:
    execution = run(aws, lambda_flow["InvokeMachineArn"], {"action": "raise", "id": 7})

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    output = json.loads(execution["output"])
    assert output["caught"] == "MyError"
    assert output["cause"]["errorType"] == "MyError"
    assert output["cause"]["errorMessage"] == "order 7 cannot be processed"
    types = [e["type"] for e in history(aws, execution["executionArn"])]
    assert types.count("TaskScheduled") == 3  # the first attempt and MaxAttempts=2 retries


def test_uncaught_lambda_error_fails_execution_with_its_error_type(aws: Aws, lambda_flow: dict[str, str]) -> None:
    execution = run(aws, lambda_flow["BareArnMachineArn"], {"action": "raise", "id": 8})

    assert execution["status"] == "FAILED"
    assert execution["error"] == "MyError"
    assert json.loads(execution["cause"])["errorMessage"] == "order 8 cannot be processed"


def test_slow_lambda_task_times_out_with_states_timeout(aws: Aws, lambda_flow: dict[str, str]) -> None:
    execution = run(aws, lambda_flow["InvokeMachineArn"], {"action": "sleep"})

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert json.loads(execution["output"])["caught"] == "States.Timeout"


def _api_machine(aws: Aws, definition: dict[str, Any]) -> str:
    """A machine made through the API (the tests above deploy theirs with CloudFormation)."""
    created = aws("stepfunctions").create_state_machine(
        name=unique("api"), definition=json.dumps(definition), roleArn="arn:aws:iam::000000000000:role/unused"
    )
    return str(created["stateMachineArn"])


def test_context_start_time_reads_as_aws_writes_it(aws: Aws) -> None:
    machine = _api_machine(
        aws,
        {
            "StartAt": "Read",
            "States": {"Read": {"Type": "Pass", "Parameters": {"start.$": "$$.Execution.StartTime"}, "End": True}},
        },
    )

    execution = run(aws, machine)

    assert execution["status"] == "SUCCEEDED"
    start = json.loads(execution["output"])["start"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", start), start
    assert abs(datetime.fromisoformat(start).timestamp() - execution["startDate"].timestamp()) < 0.002


def test_describe_execution_says_the_input_is_included(aws: Aws) -> None:
    machine = _api_machine(aws, {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "No", "Cause": "never"}}})

    execution = run(aws, machine, {"a": 1})

    assert execution["status"] == "FAILED"
    assert execution["inputDetails"] == {"included": True}
    assert (execution["error"], execution["cause"]) == ("No", "never")


def test_an_unknown_task_resource_is_an_invalid_definition(aws: Aws) -> None:
    sfn = aws("stepfunctions")
    definition = {
        "StartAt": "Query",
        "States": {"Query": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:query", "End": True}},
    }

    with pytest.raises(sfn.exceptions.InvalidDefinition) as refused:
        _api_machine(aws, definition)

    assert "arn:aws:states:::dynamodb:query" in refused.value.response["Error"]["Message"]


def test_aws_sdk_task_on_a_camel_case_api_sends_a_task_failure_with_its_cause(aws: Aws) -> None:
    """aws-sdk:sfn:* tasks take and give PascalCase (`TaskToken`, `Name`), which the API spells `taskToken`, `name`."""
    queue = aws("sqs").create_queue(QueueName=unique("tokens"))["QueueUrl"]
    waiting = _api_machine(
        aws,
        {
            "StartAt": "Wait",
            "States": {
                "Wait": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
                    "Catch": [{"ErrorEquals": ["Refused"], "Next": "Caught"}],
                    "End": True,
                },
                "Caught": {"Type": "Pass", "End": True},
            },
        },
    )
    refusing = _api_machine(
        aws,
        {
            "StartAt": "Describe",
            "States": {
                "Describe": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:sfn:describeStateMachine",
                    "Parameters": {"StateMachineArn": waiting},
                    "ResultSelector": {"name.$": "$.Name"},
                    "ResultPath": "$.described",
                    "Next": "Refuse",
                },
                "Refuse": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:sfn:sendTaskFailure",
                    "Parameters": {"Error": "Refused", "Cause": "no stock", "TaskToken.$": "$.token"},
                    "ResultPath": None,
                    "End": True,
                },
            },
        },
    )
    sfn = aws("stepfunctions")
    waiting_arn = sfn.start_execution(stateMachineArn=waiting, input="{}")["executionArn"]
    message = poll(lambda: aws("sqs").receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages"))

    refused = run(aws, refusing, json.loads(message[0]["Body"]))
    assert refused["status"] == "SUCCEEDED", refused
    assert json.loads(refused["output"])["described"] == {"name": waiting.split(":")[-1]}
    deadline = time.monotonic() + 10
    while (caught := sfn.describe_execution(executionArn=waiting_arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert caught["status"] == "SUCCEEDED"
    assert json.loads(caught["output"]) == {"Error": "Refused", "Cause": "no stock"}


def test_execution_status_changes_are_eventbridge_events(aws: Aws) -> None:
    machine = _api_machine(
        aws, {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}
    )
    sqs, events = aws("sqs"), aws("events")
    queue = sqs.create_queue(QueueName=unique("sfn-events"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule = unique("sfn-status")
    pattern = {"source": ["aws.states"], "detail": {"stateMachineArn": [machine]}}
    events.put_rule(Name=rule, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=rule, Targets=[{"Id": "queue", "Arn": queue_arn}])

    execution = run(aws, machine, {"n": 1})
    received: list[dict[str, Any]] = []

    def both() -> bool:
        received.extend(json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=queue).get("Messages", []))
        return len(received) >= 2

    poll(both, timeout=10, what="two status change events")
    started, ended = sorted(received, key=lambda e: e["time"])
    assert [e["detail"]["status"] for e in (started, ended)] == ["RUNNING", "SUCCEEDED"]
    assert {e["detail-type"] for e in received} == {"Step Functions Execution Status Change"}
    assert started["resources"] == [execution["executionArn"]]
    assert {(e["source"], e["account"], e["region"]) for e in received} == {("aws.states", "000000000000", "us-east-1")}
    assert started["detail"]["output"] is None
    assert json.loads(started["detail"]["input"]) == {"n": 1}
    assert json.loads(ended["detail"]["output"]) == {"ok": 1}
    assert ended["detail"]["outputDetails"] == {"included": True}
    assert ended["detail"]["stopDate"] >= ended["detail"]["startDate"]


def test_aws_sdk_task_errors_are_named_after_the_sdk_service(aws: Aws) -> None:
    machine = _api_machine(
        aws,
        {
            "StartAt": "Read",
            "States": {
                "Read": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters": {"Bucket": unique("no-such-bucket"), "Key": "k"},
                    "End": True,
                }
            },
        },
    )

    execution = run(aws, machine)

    assert execution["status"] == "FAILED"
    assert execution["error"] == "S3.NoSuchBucketException"
    assert execution["cause"].startswith("The specified bucket does not exist (Service: S3, Status Code: 404, ")
    assert ", Extended Request ID: " in execution["cause"]  # S3's x-amz-id-2, as on AWS


def test_a_lambda_invoke_task_of_a_missing_function_names_its_latest_version(aws: Aws) -> None:
    function_arn = "arn:aws:lambda:us-east-1:000000000000:function:" + unique("missing")
    invoke = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
              "Parameters": {"FunctionName": function_arn, "Payload": {}}}  # fmt: skip
    execution = run(aws, _api_machine(aws, {"StartAt": "Invoke", "States": {"Invoke": invoke}}))

    assert execution["error"] == "Lambda.ResourceNotFoundException"
    assert execution["cause"].startswith(f"Function not found: {function_arn}:$LATEST (Service: AWSLambda; ")


def test_an_aws_sdk_task_creating_a_secret_with_an_invalid_name_fails(aws: Aws) -> None:
    create = {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:secretsmanager:createSecret", "End": True,
              "Parameters": {"Name": "Invalid Name", "SecretString": "x"}}  # fmt: skip
    execution = run(aws, _api_machine(aws, {"StartAt": "Create", "States": {"Create": create}}))

    assert execution["error"] == "SecretsManager.SecretsManagerException"
    assert execution["cause"].startswith(
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@! "
        "(Service: SecretsManager, Status Code: 400, "
    )


def test_tasks_that_need_a_client_at_once_share_one() -> None:
    """A burst of tasks under one role (a batch's parallel SNS publishes) makes one client, not one each: creating
    a botocore client costs tens of milliseconds of the cloud's CPU, and under load the misses queued up."""
    import threading
    from types import SimpleNamespace

    from moto import mock_aws
    from moto.iam.models import iam_backends

    from localcloud import stepfunctions_exec

    with mock_aws():
        role = iam_backends["000000000000"]["aws"].create_role("burst", "{}", "/", None, "", [], None)
        credentials = SimpleNamespace(role_arn=role.arn)
        start, clients = threading.Barrier(12), []

        def task() -> None:
            start.wait()
            clients.append(stepfunctions_exec._boto_client_for("us-east-1", "sns", credentials))

        threads = [threading.Thread(target=task) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(clients) == 12 and len({id(c) for c in clients}) == 1


def test_each_execution_gets_its_own_copy_of_a_program_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto parsed the definition for every execution (ANTLR, tens of ms of CPU; the poller starts every second)."""
    from types import SimpleNamespace

    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser as parser

    from localcloud import stepfunctions_exec

    parses: list[str] = []

    def counting_parse(definition: str) -> Any:
        parses.append(definition)
        return parser.parse(definition)

    monkeypatch.setattr(stepfunctions_exec, "AmazonStateLanguageParser", SimpleNamespace(parse=counting_parse))
    state = {"Type": "Pass", "Result": uuid.uuid4().hex, "End": True}
    definition = json.dumps({"StartAt": "P", "States": {"P": state}})
    worker = SimpleNamespace(
        _evaluation_details=SimpleNamespace(state_machine_details=SimpleNamespace(definition=definition))
    )
    first = stepfunctions_exec._evaluation_entrypoint(worker)  # type: ignore[arg-type]
    second = stepfunctions_exec._evaluation_entrypoint(worker)  # type: ignore[arg-type]
    assert parses == [definition]
    assert first is not second and type(first) is type(second)
