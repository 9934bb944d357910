"""EXPRESS workflows as AWS runs them: StartSyncExecution, asynchronous executions that report through
CloudWatch Logs only, the API calls AWS refuses for them, and a STANDARD parent running an EXPRESS child."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

Aws = Callable[[str], Any]
Stacks = Any  # conftest.py's Stacks (conftest modules are not importable by name)


@pytest.fixture(scope="module")
def express(module_stacks: Stacks) -> dict[str, str]:
    """stepfunctions_express.yaml, deployed once for this module."""
    return module_stacks.deploy("stepfunctions_express.yaml", name=f"sfn-express-{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def sync_sfn(endpoint: str) -> Any:
    """A client for StartSyncExecution: botocore sends it to host `sync-<endpoint host>`, which does not resolve
    for localhost, so local clients turn host prefix injection off (as LocalStack's users do)."""
    return boto3.client(
        "stepfunctions", endpoint_url=endpoint, region_name="us-east-1", config=Config(inject_host_prefix=False)
    )


def log_records(aws: Aws, group: str, execution_arn: str, last_type: str, timeout: float = 20) -> list[dict[str, Any]]:
    """The execution's records in the log group, in event order, once the one of type `last_type` is there."""
    logs = aws("logs")
    deadline = time.monotonic() + timeout
    while True:
        events = logs.filter_log_events(logGroupName=group)["events"]
        records = [json.loads(e["message"]) for e in events]
        mine = sorted((r for r in records if r["execution_arn"] == execution_arn), key=lambda r: int(r["id"]))
        if any(r["type"] == last_type for r in mine):
            return mine
        assert time.monotonic() < deadline, f"no {last_type} record for {execution_arn} in {group}: {mine}"
        time.sleep(0.2)


def test_start_sync_execution_answers_with_the_result_and_billing(sync_sfn: Any, express: dict[str, str]) -> None:
    started = time.time()
    result = sync_sfn.start_sync_execution(
        stateMachineArn=express["ExpressArn"], name="sync-1", input=json.dumps({"name": "ada"})
    )

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"greeting": "hello ada"}
    assert json.loads(result["input"]) == {"name": "ada"}
    assert result["stateMachineArn"] == express["ExpressArn"]
    assert result["name"] == "sync-1"
    machine_name = express["ExpressArn"].split(":")[-1]
    assert result["executionArn"].startswith(f"arn:aws:states:us-east-1:000000000000:express:{machine_name}:sync-1:")
    assert started - 1 <= result["startDate"].timestamp() <= result["stopDate"].timestamp() <= time.time() + 1
    assert result["inputDetails"] == {"included": True}
    assert result["outputDetails"] == {"included": True}
    billing = result["billingDetails"]
    assert billing["billedMemoryUsedInMB"] == 64
    assert billing["billedDurationInMilliseconds"] >= 100
    assert billing["billedDurationInMilliseconds"] % 100 == 0


def test_start_sync_execution_answers_on_the_sync_host(aws: Aws, endpoint: str, express: dict[str, str]) -> None:
    """A default client sends StartSyncExecution to `sync-localhost`; where that name resolves, the cloud answers.

    Here it does not resolve, so the request is sent to localhost with the Host header botocore chose.
    """
    sfn = aws("stepfunctions")
    hosts: list[str] = []

    def to_localhost(request: Any, **_: Any) -> None:
        host = request.url.split("/")[2]
        hosts.append(host)
        request.url = request.url.replace(f"//{host}", f"//{endpoint.split('/')[2]}", 1)
        request.headers["Host"] = host

    sfn.meta.events.register("before-send.sfn.StartSyncExecution", to_localhost)
    result = sfn.start_sync_execution(stateMachineArn=express["ExpressArn"], input=json.dumps({"name": "bo"}))

    assert hosts == [f"sync-{endpoint.split('/')[2]}"]
    assert json.loads(result["output"]) == {"greeting": "hello bo"}


def test_start_sync_execution_reports_failure_and_timeout(sync_sfn: Any, express: dict[str, str]) -> None:
    failed = sync_sfn.start_sync_execution(stateMachineArn=express["ExpressArn"], input=json.dumps({"reject": 1}))
    assert failed["status"] == "FAILED"
    assert (failed["error"], failed["cause"]) == ("Order.Rejected", "the input asked for it")
    assert "output" not in failed

    timed_out = sync_sfn.start_sync_execution(stateMachineArn=express["SlowArn"])
    assert timed_out["status"] == "TIMED_OUT"
    assert 1 <= (timed_out["stopDate"] - timed_out["startDate"]).total_seconds() < 4


def test_start_sync_execution_of_a_standard_machine_is_refused(sync_sfn: Any, express: dict[str, str]) -> None:
    with pytest.raises(ClientError) as refused:
        sync_sfn.start_sync_execution(stateMachineArn=express["StandardArn"])
    assert refused.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_express_start_execution_reports_through_cloudwatch_logs(aws: Aws, express: dict[str, str]) -> None:
    sfn = aws("stepfunctions")
    started = sfn.start_execution(stateMachineArn=express["ExpressArn"], input=json.dumps({"name": "grace"}))
    arn = started["executionArn"]
    assert ":express:" in arn

    records = log_records(aws, express["LogGroup"], arn, "ExecutionSucceeded")

    assert records[0]["type"] == "ExecutionStarted"
    assert records[-1]["type"] == "ExecutionSucceeded"
    assert {"ChoiceStateEntered", "PassStateEntered", "PassStateExited"} <= {r["type"] for r in records}
    for record in records:
        assert set(record) == {
            "id",
            "type",
            "details",
            "previous_event_id",
            "event_timestamp",
            "execution_arn",
            "redrive_count",
        }
        assert record["redrive_count"] == "0"
        assert int(record["event_timestamp"]) >= int(started["startDate"].timestamp() * 1000) - 1000
    assert json.loads(records[0]["details"]["input"]) == {"name": "grace"}
    assert records[0]["details"]["roleArn"].startswith("arn:aws:iam::000000000000:role/")
    assert json.loads(records[-1]["details"]["output"]) == {"greeting": "hello grace"}


def test_error_level_logs_only_errors_without_data(sync_sfn: Any, aws: Aws, express: dict[str, str]) -> None:
    failed = sync_sfn.start_sync_execution(stateMachineArn=express["ErrorsOnlyArn"], input=json.dumps({"secret": 1}))
    assert failed["status"] == "FAILED"

    records = log_records(aws, express["ErrorLogGroup"], failed["executionArn"], "ExecutionFailed")

    assert [r["type"] for r in records] == ["FailStateEntered", "ExecutionFailed"]
    assert "secret" not in json.dumps(records)
    assert records[-1]["details"] == {"error": "Order.Rejected", "cause": "always"}


def test_express_executions_are_not_described_listed_or_stopped(aws: Aws, express: dict[str, str]) -> None:
    sfn = aws("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=express["ExpressArn"], input=json.dumps({"name": "x"}))["executionArn"]

    for call in (sfn.describe_execution, sfn.get_execution_history, sfn.stop_execution):
        with pytest.raises(ClientError) as refused:
            call(executionArn=arn)
        assert refused.value.response["Error"]["Code"] == "InvalidArn", call
    with pytest.raises(ClientError) as refused:
        sfn.list_executions(stateMachineArn=express["ExpressArn"])
    assert refused.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"


def test_cloudformation_keeps_type_and_logging_configuration(aws: Aws, express: dict[str, str]) -> None:
    described = aws("stepfunctions").describe_state_machine(stateMachineArn=express["ExpressArn"])

    assert described["type"] == "EXPRESS"
    assert described["loggingConfiguration"] == {
        "level": "ALL",
        "includeExecutionData": True,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": express["LogGroupArn"]}}],
    }


def test_standard_parent_waits_for_children_and_fires_an_express_one(aws: Aws, express: dict[str, str]) -> None:
    sfn = aws("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=express["ParentArn"], input=json.dumps({"name": "lin"}))["executionArn"]
    deadline = time.monotonic() + 30
    while (parent := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the parent did not end in 30 s"
        time.sleep(0.2)

    assert parent["status"] == "SUCCEEDED", parent.get("cause")
    output = json.loads(parent["output"])
    assert output["child"] == {"childOutput": {"greeting": "hello lin"}, "childStatus": "SUCCEEDED"}
    assert json.loads(output["childText"]["output"]) == {"greeting": "hello lin"}  # .sync: Output stays text
    assert output["standard"] == {"output": {"name": "lin"}, "status": "SUCCEEDED"}
    fired = output["fired"]["startedArn"]
    assert ":express:" in fired
    records = log_records(aws, express["LogGroup"], fired, "ExecutionSucceeded")
    assert json.loads(records[-1]["details"]["output"]) == {"greeting": "hello lin again"}
