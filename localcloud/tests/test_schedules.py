"""Schedules fire: AWS::Scheduler::Schedule and AWS::Events::Rule start their state machine targets.

The templates keep their real rates (minutes, hours); the cloud under test must run with
LOCALCLOUD_SCHEDULE_RATE_SECONDS (the cloud localcloud.pytest_plugin starts uses 1 unless set), which
makes every schedule fire at that period instead.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

Aws = Callable[[str], Any]
Stacks = Any  # conftest.py's Stacks (conftest modules are not importable by name)
STATUS_PATH = "/_localcloud/schedules"
TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "templates"


@pytest.fixture(scope="module", autouse=True)
def fast_schedules(endpoint: str) -> Iterator[None]:
    status = requests.get(endpoint + STATUS_PATH, timeout=5)
    assert status.status_code == 200, status.text
    if not status.json()["rateOverrideSeconds"] or status.json()["rateOverrideSeconds"] > 5:
        pytest.skip("the cloud runs real schedule rates; start it with LOCALCLOUD_SCHEDULE_RATE_SECONDS=1")
    yield


def inputs(aws: Aws, machine_arn: str) -> list[Any]:
    """The inputs of every execution of a machine."""
    sfn = aws("stepfunctions")
    arns = [e["executionArn"] for e in sfn.list_executions(stateMachineArn=machine_arn)["executions"]]
    return [json.loads(sfn.describe_execution(executionArn=arn)["input"]) for arn in arns]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.25)


def count(aws: Aws, machine_arn: str, source: str) -> int:
    return sum(1 for i in inputs(aws, machine_arn) if i == {"from": source})


def test_scheduler_schedule_starts_its_state_machine(aws: Aws, stacks: Stacks) -> None:
    machine = stacks.deploy("schedules_machine.yaml")
    name = f"every-{uuid.uuid4().hex[:8]}"
    outputs = stacks.deploy(
        "schedules_scheduler.yaml",
        {"MachineArn": machine["MachineArn"], "StartRoleArn": machine["StartRoleArn"], "ScheduleName": name},
    )
    scheduler = aws("scheduler")

    enabled = scheduler.get_schedule(Name=outputs["EnabledName"])
    disabled = scheduler.get_schedule(Name=outputs["DisabledName"])

    assert outputs["EnabledName"] == name
    assert enabled["Arn"] == outputs["EnabledArn"]
    assert enabled["Arn"].endswith(f":schedule/default/{name}")
    assert (enabled["State"], enabled["ScheduleExpression"]) == ("ENABLED", "rate(5 minutes)")
    assert enabled["Target"]["Arn"] == machine["MachineArn"]
    assert enabled["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert disabled["State"] == "DISABLED"
    wait_for(lambda: count(aws, machine["MachineArn"], "scheduler") >= 2, "two executions started by the schedule")
    assert count(aws, machine["MachineArn"], "disabled") == 0


def test_events_rule_schedule_starts_its_state_machine(aws: Aws, stacks: Stacks) -> None:
    machine = stacks.deploy("schedules_machine.yaml")
    outputs = stacks.deploy(
        "schedules_rule.yaml", {"MachineArn": machine["MachineArn"], "StartRoleArn": machine["StartRoleArn"]}
    )

    rule = aws("events").describe_rule(Name=outputs["RuleName"])

    assert (rule["ScheduleExpression"], rule["State"]) == ("rate(1 hour)", "ENABLED")
    wait_for(lambda: count(aws, machine["MachineArn"], "rule") >= 2, "two executions started by the rule")
    execution = aws("stepfunctions").list_executions(stateMachineArn=machine["MachineArn"])["executions"][0]
    assert execution["status"] in ("RUNNING", "SUCCEEDED")


def test_schedules_deleted_with_their_stack_stop_firing(aws: Aws, stacks: Stacks, endpoint: str) -> None:
    machine = stacks.deploy("schedules_machine.yaml")
    arn = machine["MachineArn"]
    parameters = {"MachineArn": arn, "StartRoleArn": machine["StartRoleArn"]}
    schedule_stack = f"sched-{uuid.uuid4().hex[:8]}"
    schedule = stacks.deploy("schedules_scheduler.yaml", {**parameters, "ScheduleName": schedule_stack}, schedule_stack)
    stacks.deploy("schedules_rule.yaml", parameters)  # keeps firing: the clock the test reads
    wait_for(lambda: count(aws, arn, "scheduler") >= 1, "the schedule's first execution")

    aws("cloudformation").delete_stack(StackName=schedule_stack)

    scheduler = aws("scheduler")
    wait_for(lambda: not _schedule_exists(scheduler, schedule["EnabledName"]), "GetSchedule to stop finding it")
    wait_for(
        lambda: (
            schedule["EnabledArn"]
            not in {s["arn"] for s in requests.get(endpoint + STATUS_PATH, timeout=5).json()["schedules"]}
        ),
        "the timer to drop the deleted schedule",
    )
    after_delete = count(aws, arn, "scheduler")
    rule_before = count(aws, arn, "rule")
    wait_for(lambda: count(aws, arn, "rule") >= rule_before + 3, "three more firings of the rule")
    assert count(aws, arn, "scheduler") == after_delete


def _schedule_exists(scheduler: Any, name: str) -> bool:
    try:
        scheduler.get_schedule(Name=name)
    except scheduler.exceptions.ResourceNotFoundException:
        return False
    return True


def slow_schedule(stacks: Stacks, machine_type: str) -> tuple[dict[str, str], dict[str, str]]:
    """A state machine of the given type whose run waits 4 s, and a schedule that starts it: (machine, schedule)
    outputs."""
    slow = (
        (TEMPLATES / "schedules_machine.yaml")
        .read_text()
        .replace(
            "          Echo:\n            Type: Pass\n            End: true",
            "          Echo:\n            Type: Wait\n            Seconds: 4\n            End: true",
        )
        .replace(
            "      RoleArn: !GetAtt MachineRole.Arn\n",
            f"      StateMachineType: {machine_type}\n      RoleArn: !GetAtt MachineRole.Arn\n",
        )
    )
    assert "Type: Wait" in slow and f"StateMachineType: {machine_type}" in slow
    machine = stacks.deploy(slow)
    schedule = stacks.deploy(
        "schedules_scheduler.yaml",
        {
            "MachineArn": machine["MachineArn"],
            "StartRoleArn": machine["StartRoleArn"],
            "ScheduleName": f"slow-{uuid.uuid4().hex[:8]}",
        },
    )
    return machine, schedule


def firing(endpoint: str, schedule_arn: str) -> dict[str, Any]:
    """What the cloud's timer reports of one schedule ({} until its first tick lists it)."""
    status = requests.get(endpoint + STATUS_PATH, timeout=5).json()["schedules"]
    return dict(next((s for s in status if s["arn"] == schedule_arn), {}))


def test_a_compressed_schedule_waits_for_its_previous_execution(aws: Aws, stacks: Stacks, endpoint: str) -> None:
    """At a compressed rate (every second for every 5 minutes) a schedule does not start its state machine again
    while the previous execution still runs: otherwise executions pile up without bound on a laptop."""
    machine, outputs = slow_schedule(stacks, "STANDARD")
    sfn = aws("stepfunctions")

    def executions() -> list[dict[str, Any]]:
        return list(sfn.list_executions(stateMachineArn=machine["MachineArn"])["executions"])

    wait_for(lambda: len(executions()) >= 2, "a second execution, after the first finished", timeout=30)

    started = sorted(e["startDate"] for e in executions())
    running = [e for e in executions() if e["status"] == "RUNNING"]
    assert len(running) <= 1
    assert (started[1] - started[0]).total_seconds() >= 3.5  # not one a second
    assert firing(endpoint, outputs["EnabledArn"])["skippedWhileRunning"] >= 2


def test_a_compressed_schedule_waits_for_its_previous_express_run(stacks: Stacks, endpoint: str) -> None:
    """The same for an EXPRESS machine, whose runs AWS will not describe (InvalidArn): the cloud asks its own
    record of the run instead, so a poller that runs longer than the compressed period is not started on top of
    itself."""
    _, outputs = slow_schedule(stacks, "EXPRESS")
    wait_for(lambda: firing(endpoint, outputs["EnabledArn"]).get("fired", 0) >= 6, "six firings", timeout=30)
    seen = firing(endpoint, outputs["EnabledArn"])
    assert seen["skippedWhileRunning"] >= 3, seen  # a 4 s run, fired every second: most firings wait
