"""The order workflow's definition against the rules of issue 10 (no deployment needed; tests/e2e checks the
deployed definition and queue the same way)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tools.workflow_timing import longest_path_seconds, message_worst_case_seconds, task_worst_seconds

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = json.loads((ROOT / "workflow" / "order_workflow.asl.json").read_text())
BUSINESS_REFUSALS = {"PaymentDeclined", "ShipmentRejected"}


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def per_message_states() -> dict[str, Any]:
    poller = DEFINITION["States"]["Pollers"]["ItemProcessor"]["States"]
    return dict(poller["ProcessOrders"]["ItemProcessor"]["States"])


def test_the_queue_visibility_timeout_covers_the_worst_path_of_one_message() -> None:
    template = yaml.load((ROOT / "stacks" / "app.yaml").read_text(), Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    visibility = template["Resources"]["OrdersQueue"]["Properties"]["VisibilityTimeout"]
    worst = message_worst_case_seconds(DEFINITION)
    assert visibility >= worst, f"VisibilityTimeout {visibility} s < worst path {worst:.0f} s"


def test_only_business_refusals_reach_the_compensation() -> None:
    states = per_message_states()
    for name, state in states.items():
        for catcher in state.get("Catch", []):
            if catcher["Next"] == "Compensate":
                assert set(catcher["ErrorEquals"]) <= BUSINESS_REFUSALS, (name, catcher)
        if state.get("Resource") == "arn:aws:states:::lambda:invoke":  # anything else keeps the message
            last = state["Catch"][-1]
            assert (last["ErrorEquals"], last["Next"]) == (["States.ALL"], "LeaveForRedrive"), name


def test_a_poison_message_is_parked_not_retried() -> None:
    states = per_message_states()
    capture = states["CapturePayment"]
    parked = [c for c in capture["Catch"] if "InvalidMessage" in c["ErrorEquals"]]
    assert parked and parked[0]["Next"] == "Quarantine"
    assert states["Quarantine"]["Parameters"]["QueueUrl"] == "${OrdersDeadLetterQueueUrl}"
    assert "States.StringToJson" not in json.dumps(
        DEFINITION["States"]["Pollers"]["ItemProcessor"]["States"]["ProcessOrders"]["ItemSelector"]
    )


def test_the_worst_case_arithmetic() -> None:
    task = {"Type": "Task", "TimeoutSeconds": 30, "Retry": [{"MaxAttempts": 3, "IntervalSeconds": 1, "BackoffRate": 2}]}
    assert task_worst_seconds(task) == 4 * 30 + (1 + 2 + 4)
    machine = {"StartAt": "A", "States": {"A": {**task, "Next": "B"}, "B": {"Type": "Succeed"}}}
    assert longest_path_seconds(machine) == 127
