"""The order workflow's definitions against the rules of issues 10 and 14 (no deployment needed; tests/e2e checks
the deployed definitions and queue the same way): an EXPRESS poller that hands each received batch to an EXPRESS
batch workflow, which does every order's work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tools.workflow_timing import (
    EXPRESS_MAX_SECONDS,
    child_starts,
    longest_path_seconds,
    message_worst_case_seconds,
    task_worst_seconds,
)

ROOT = Path(__file__).resolve().parents[2]
POLLER = json.loads((ROOT / "workflow" / "order_workflow.asl.json").read_text())
BATCH = json.loads((ROOT / "workflow" / "order_batch_workflow.asl.json").read_text())
BUSINESS_REFUSALS = {"PaymentDeclined", "ShipmentRejected"}


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def per_message_states() -> dict[str, Any]:
    return dict(BATCH["States"]["ProcessOrders"]["ItemProcessor"]["States"])


def app_template() -> dict[str, Any]:
    return dict(yaml.load((ROOT / "stacks" / "app.yaml").read_text(), Loader=_Loader))  # noqa: S506 - SafeLoader subclass


def test_the_queue_visibility_timeout_covers_the_worst_path_of_one_message() -> None:
    visibility = app_template()["Resources"]["OrdersQueue"]["Properties"]["VisibilityTimeout"]
    worst = message_worst_case_seconds(POLLER, child=BATCH)
    assert visibility >= worst, f"VisibilityTimeout {visibility} s < worst path {worst:.0f} s"


def test_the_poller_hands_each_batch_to_an_express_child_without_waiting() -> None:
    """Both machines are EXPRESS (billed per run and duration, no state transitions); the poller runs no state per
    order and does not wait for a batch (EXPRESS cannot: no .sync), so its run lasts as long as its receives."""
    (start,) = child_starts(POLLER)
    assert start["Resource"] == "arn:aws:states:::states:startExecution"
    assert start["Parameters"]["StateMachineArn"] == "${OrderBatchWorkflowArn}"
    assert start["Parameters"]["Input"]["messages.$"] == "$.received.Messages"
    text = json.dumps(POLLER)
    for per_order in (
        "lambda:invoke",
        "sqs:deleteMessage",
        "sns:publish",
        "dynamodb:updateItem",
        "Map.Item.Value.Body",
    ):
        assert per_order not in text, per_order
    resources = app_template()["Resources"]
    for name in ("OrderWorkflow", "OrderBatchWorkflow"):
        machine = resources[name]["Properties"]
        assert machine["StateMachineType"] == "EXPRESS", name
        assert machine["LoggingConfiguration"]["Destinations"], f"{name}: EXPRESS reports only through its logs"
    assert "OrderBatchWorkflowArn" in resources["OrderWorkflow"]["Properties"]["DefinitionSubstitutions"]


def test_rounds_and_receivers_come_from_the_schedule() -> None:
    """How much one run hands on (receivers x rounds x 10) is a parameter, not a constant of the definition."""
    receivers = POLLER["States"]["Pollers"]
    (more,) = receivers["ItemProcessor"]["States"]["MoreRounds"]["Choices"]
    assert more == {"Variable": "$.loop.round", "NumericLessThanPath": "$.rounds", "Next": "InFlight"}
    assert receivers["ItemSelector"]["rounds.$"] == "$.rounds"
    assert receivers["MaxConcurrency"] == 40  # an inline Map's most iterations at once; the list bounds it below
    text = (ROOT / "stacks" / "app.yaml").read_text()  # the schedule's input is a !Sub the loader leaves out
    given = """'{"source": "schedule", "pollers": ${WorkflowPollers}, "rounds": ${WorkflowRounds}}'"""
    assert f"Input: !Sub {given}" in text


def test_runs_end_before_express_would_stop_them() -> None:
    """The child's TimeoutSeconds is under EXPRESS's 5 minutes (a definition limit ends it, TIMED_OUT in its log,
    not AWS's hard stop); so is the poller's, whose receive loop is bounded by its rounds."""
    assert BATCH["TimeoutSeconds"] < EXPRESS_MAX_SECONDS
    assert POLLER["TimeoutSeconds"] < EXPRESS_MAX_SECONDS
    (start,) = child_starts(POLLER)
    handover = task_worst_seconds(start)
    # One message's unbounded worst path does not fit: the limit is what bounds how long a message is held.
    assert message_worst_case_seconds(BATCH) > BATCH["TimeoutSeconds"]
    assert message_worst_case_seconds(POLLER, child=BATCH) == handover + BATCH["TimeoutSeconds"] + 30


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
    assert "States.StringToJson" not in json.dumps(BATCH["States"]["ProcessOrders"]["ItemSelector"])


def test_the_worst_case_arithmetic() -> None:
    task = {"Type": "Task", "TimeoutSeconds": 30, "Retry": [{"MaxAttempts": 3, "IntervalSeconds": 1, "BackoffRate": 2}]}
    assert task_worst_seconds(task) == 4 * 30 + (1 + 2 + 4)
    machine = {"StartAt": "A", "States": {"A": {**task, "Next": "B"}, "B": {"Type": "Succeed"}}}
    assert longest_path_seconds(machine) == 127


def test_the_worst_case_arithmetic_with_a_child_workflow() -> None:
    task = {"Type": "Task", "TimeoutSeconds": 30, "Retry": [{"MaxAttempts": 3, "IntervalSeconds": 1, "BackoffRate": 2}]}
    delete = {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:sqs:deleteMessage",
        "TimeoutSeconds": 10,
        "End": True,
    }
    processor = {"StartAt": "A", "States": {"A": {**task, "Next": "D"}, "D": delete}}
    child = {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}}
    poller = {
        "StartAt": "S",
        "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "End": True}},
    }
    assert message_worst_case_seconds(poller, child=child) == 127 + 10  # fits: the path itself
    assert message_worst_case_seconds(poller, child={**child, "TimeoutSeconds": 100}) == 100 + 30  # cut, last attempt
    slow = {"StartAt": "A", "States": {"A": {**task, "TimeoutSeconds": 100, "Next": "D"}, "D": delete}}
    slow_child = {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": slow, "End": True}}}
    assert message_worst_case_seconds(poller, child=slow_child) == EXPRESS_MAX_SECONDS + 100  # EXPRESS's own limit
    assert message_worst_case_seconds(poller, child=slow_child, express=False) == 4 * 100 + 7 + 10
    fire_and_forget = {"S": {**task, "Resource": "arn:aws:states:::states:startExecution", "End": True}}
    handed = {"StartAt": "S", "States": fire_and_forget}
    assert message_worst_case_seconds(handed, child=child) == 127 + 127 + 10  # its start's attempts come first
