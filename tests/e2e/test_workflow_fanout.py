"""The workflow starts one receiver per 10 waiting orders, up to the schedule's list, each for the schedule's
rounds, and stops taking batches at its in-flight limit (issue 14).

The real poller definition runs in the local cloud as the EXPRESS machine it is deployed as (StartSyncExecution)
against a queue of its own. For the fan-out its Map is replaced by a Pass that returns the receivers it would have
started and their rounds, so nothing is consumed; for the backpressure it runs whole, handing its batches to a
stand-in batch workflow that does nothing (the messages stay in flight, as while real batches work on them).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.support.shop import ROOT

DEFINITION = json.loads((ROOT / "workflow" / "order_workflow.asl.json").read_text())
Aws = Callable[[str], Any]
NO_HOST_PREFIX = Config(inject_host_prefix=False)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@dataclass
class Sandbox:
    """A queue, a role for the poller, and a client that can call StartSyncExecution."""

    name: str
    queue: str
    role: str
    sqs: Any
    sfn: Any

    def fill(self, count: int) -> None:
        for start in range(0, count, 10):
            self.sqs.send_message_batch(
                QueueUrl=self.queue,
                Entries=[{"Id": str(i), "MessageBody": "{}"} for i in range(start, min(start + 10, count))],
            )

    def counts(self) -> tuple[int, int]:
        """(waiting, in flight)."""
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        found = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=names)["Attributes"]
        return int(found[names[0]]), int(found[names[1]])

    def run(self, definition: dict[str, Any], given: dict[str, Any], **substitutions: str) -> dict[str, Any]:
        """Run `definition` once as an EXPRESS machine, with its `${...}` substituted, and answer its result."""
        text = json.dumps(definition)
        for key, value in {"OrdersQueueUrl": self.queue, **substitutions}.items():
            text = text.replace("${" + key + "}", value)
        name = f"{self.name}-{uuid.uuid4().hex[:4]}"
        machine = self.sfn.create_state_machine(name=name, definition=text, roleArn=self.role, type="EXPRESS")
        try:
            run = self.sfn.start_sync_execution(stateMachineArn=machine["stateMachineArn"], input=json.dumps(given))
            assert run["status"] == "SUCCEEDED", run
            return dict(json.loads(run["output"]))
        finally:
            self.sfn.delete_state_machine(stateMachineArn=machine["stateMachineArn"])


@pytest.fixture
def sandbox(aws: Aws, endpoint: str) -> Iterator[Sandbox]:
    sqs, iam = aws("sqs"), aws("iam")
    # StartSyncExecution goes to host `sync-<endpoint host>`, which does not resolve here (no DNS for it).
    sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1", config=NO_HOST_PREFIX)
    name = f"fanout-{uuid.uuid4().hex[:8]}"
    queue = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "300"})["QueueUrl"]
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    allowed = ["sqs:GetQueueAttributes", "sqs:ReceiveMessage", "states:StartExecution"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": allowed, "Resource": "*"}]}
    iam.put_role_policy(RoleName=name, PolicyName="poller", PolicyDocument=json.dumps(policy))
    try:
        yield Sandbox(name, queue, role, sqs, sfn)
    finally:
        sqs.delete_queue(QueueUrl=queue)
        iam.delete_role_policy(RoleName=name, PolicyName="poller")
        iam.delete_role(RoleName=name)


def fan_out_only() -> dict[str, Any]:
    states = {name: state for name, state in DEFINITION["States"].items() if name != "Pollers"}
    chosen = {"receivers.$": "$.pollers", "rounds.$": "$.rounds"}
    states["Pollers"] = {"Type": "Pass", "Parameters": chosen, "End": True}
    states["Idle"] = {"Type": "Pass", "Result": {"receivers": []}, "End": True}
    return {**DEFINITION, "States": states}


@pytest.mark.parametrize(
    ("waiting", "schedule", "receivers", "rounds"),
    [
        (0, [1, 2, 3, 4], [], None),
        (1, [1, 2, 3, 4], [1], 25),
        (10, [1, 2, 3, 4], [1], 25),
        (11, [1, 2, 3, 4], [1, 2], 25),
        (25, [1, 2, 3, 4], [1, 2, 3], 25),
        (45, [1, 2, 3, 4], [1, 2, 3, 4], 25),  # capped by the schedule's list
        (25, [1], [1], 25),
        (7, None, [1], 25),  # a manual start without a list gets one receiver for 25 rounds
        (7, {"pollers": [1, 2], "rounds": 600}, [1], 600),  # the schedule's rounds
    ],
)
def test_receivers_follow_the_backlog_up_to_the_schedules_bound(
    sandbox: Sandbox,
    waiting: int,
    schedule: list[int] | dict[str, Any] | None,
    receivers: list[int],
    rounds: int | None,
) -> None:
    sandbox.fill(waiting)
    if isinstance(schedule, dict):
        given: dict[str, Any] = {"source": "schedule", **schedule}
    else:
        given = {"source": "schedule", "pollers": schedule} if schedule is not None else {}
    output = sandbox.run(fan_out_only(), given, WorkflowInFlightLimit="40")
    assert output["receivers"] == receivers
    assert output.get("rounds") == rounds


@pytest.mark.parametrize(
    ("in_flight", "limit", "pollers", "handed_on"),
    [
        (0, 100, [1], 30),  # room for every waiting message: three batches handed on
        (0, 100, [1, 2, 3, 4], 30),  # three receivers of the four allowed (one per 10 waiting)
        (20, 20, [1], 0),  # at the limit already: the run takes nothing, the next one carries on
        (15, 20, [1], 10),  # room for one more batch: it takes one, then stops at the limit
    ],
)
def test_receivers_stop_taking_batches_at_the_in_flight_limit(
    sandbox: Sandbox, in_flight: int, limit: int, pollers: list[int], handed_on: int
) -> None:
    """The batches do not report back to the poller, so the poller bounds how many orders are being worked on:
    messages received and not yet deleted (here held by an earlier receive, or handed to a batch that does
    nothing) count against `WorkflowInFlightLimit`."""
    batch = sandbox.sfn.create_state_machine(
        name=f"{sandbox.name}-batch",
        definition=json.dumps({"StartAt": "Hold", "States": {"Hold": {"Type": "Pass", "End": True}}}),
        roleArn=sandbox.role,
        type="EXPRESS",
    )["stateMachineArn"]
    try:
        sandbox.fill(in_flight)
        for _ in range(0, in_flight, 10):
            sandbox.sqs.receive_message(QueueUrl=sandbox.queue, MaxNumberOfMessages=10)
        sandbox.fill(30)
        assert sandbox.counts() == (30, in_flight)

        sandbox.run(
            DEFINITION,
            {"source": "schedule", "pollers": pollers, "rounds": 10},
            WorkflowInFlightLimit=str(limit),
            OrderBatchWorkflowArn=batch,
        )

        assert sandbox.counts() == (30 - handed_on, in_flight + handed_on)
    finally:
        sandbox.sfn.delete_state_machine(stateMachineArn=batch)
