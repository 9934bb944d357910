"""The workflow's answer to a Process Order worker that dies mid-invocation (found by `make load FAULTS=kill-worker`).

A SIGKILLed worker is `Runtime.ExitError`. Caught as a failure, it compensated orders whose ship step had already
stored SHIPPED, and the order never got its shipped mail. The behaviour is proven under load by
test_load_small.py (one mail per terminal order after a worker is killed mid-batch); these checks keep the two
parts of the fix in the definition.
"""

from __future__ import annotations

import json
from typing import Any

from shop import ROOT

DEFINITION = ROOT / "workflow" / "order_workflow.asl.json"


def order_states() -> dict[str, Any]:
    definition = json.loads(DEFINITION.read_text())
    poller = definition["States"]["Pollers"]["ItemProcessor"]["States"]
    return dict(poller["ProcessOrders"]["ItemProcessor"]["States"])


def test_every_process_order_call_retries_a_crashed_worker() -> None:
    lambda_tasks = {n: s for n, s in order_states().items() if s.get("Resource") == "arn:aws:states:::lambda:invoke"}

    assert set(lambda_tasks) == {"CapturePayment", "RequestShipment", "Compensate"}
    for name, state in lambda_tasks.items():
        retried = {error for rule in state["Retry"] for error in rule["ErrorEquals"]}
        assert "Runtime.ExitError" in retried, f"{name} does not retry Runtime.ExitError"


def test_a_compensation_that_finds_the_order_shipped_sends_the_shipped_notice() -> None:
    states = order_states()
    shipped = [c for c in states["FailureIsNew"]["Choices"] if c.get("StringEquals") == "SHIPPED"]

    assert shipped and shipped[0]["Variable"] == "$.compensation.result.status"
    carry = states[shipped[0]["Next"]]
    # The notice reads $.ship.result.shipment.tracking_number: the compensation's result must land there.
    assert (carry["Type"], carry["InputPath"], carry["ResultPath"]) == ("Pass", "$.compensation", "$.ship")
    assert carry["Next"] == "RecordShippedNotice"
    assert "$.ship.result.shipment.tracking_number" in states["NotifyShipped"]["Parameters"]["Message.$"]
