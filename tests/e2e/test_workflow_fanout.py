"""The workflow starts one receiver per 10 waiting orders, up to the schedule's list (issue 14).

The real definition's head (ProbeQueue .. the Pollers Map) runs in the local cloud against a queue holding N
messages; the Map is replaced by a Pass that returns the receivers it would have started, so nothing is consumed.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.shop import ROOT

DEFINITION = json.loads((ROOT / "workflow" / "order_workflow.asl.json").read_text())
Aws = Callable[[str], Any]


def fan_out_only(queue_url: str) -> str:
    states = {name: state for name, state in DEFINITION["States"].items() if name != "Pollers"}
    states["Pollers"] = {"Type": "Pass", "Parameters": {"receivers.$": "$.pollers"}, "End": True}
    states["Idle"] = {"Type": "Pass", "Result": {"receivers": []}, "End": True}
    definition = {**DEFINITION, "States": states}
    return json.dumps(definition).replace("${OrdersQueueUrl}", queue_url)


@pytest.mark.parametrize(
    ("waiting", "schedule", "receivers"),
    [
        (0, [1, 2, 3, 4], []),
        (1, [1, 2, 3, 4], [1]),
        (10, [1, 2, 3, 4], [1]),
        (11, [1, 2, 3, 4], [1, 2]),
        (25, [1, 2, 3, 4], [1, 2, 3]),
        (45, [1, 2, 3, 4], [1, 2, 3, 4]),  # capped by the schedule's list
        (25, [1], [1]),
        (7, None, [1]),  # a manual start without a list gets one receiver
    ],
)
def test_receivers_follow_the_backlog_up_to_the_schedules_bound(
    aws: Aws, waiting: int, schedule: list[int] | None, receivers: list[int]
) -> None:
    sqs, sfn, iam = aws("sqs"), aws("stepfunctions"), aws("iam")
    name = f"fanout-{uuid.uuid4().hex[:8]}"
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    role = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName=name,
        PolicyName="probe",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sqs:GetQueueAttributes", "Resource": "*"}],
            }
        ),
    )
    machine = sfn.create_state_machine(name=name, definition=fan_out_only(queue), roleArn=role)["stateMachineArn"]
    try:
        for start in range(0, waiting, 10):
            sqs.send_message_batch(
                QueueUrl=queue,
                Entries=[{"Id": str(i), "MessageBody": "{}"} for i in range(start, min(start + 10, waiting))],
            )
        given = {"source": "schedule", "pollers": schedule} if schedule is not None else {}
        execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps(given))["executionArn"]
        deadline = time.monotonic() + 30
        while (run := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
            assert time.monotonic() < deadline, "the fan-out did not finish in 30 s"
            time.sleep(0.2)
        assert run["status"] == "SUCCEEDED", run
        assert json.loads(run["output"])["receivers"] == receivers
    finally:
        sfn.delete_state_machine(stateMachineArn=machine)
        sqs.delete_queue(QueueUrl=queue)
        iam.delete_role_policy(RoleName=name, PolicyName="probe")
        iam.delete_role(RoleName=name)
