"""The workflow's answer to a Process Order worker that dies mid-invocation (found by `make load FAULTS=kill-worker`).

A SIGKILLed worker is `Runtime.ExitError`: an infrastructure failure, so it is retried and then left for redrive,
never compensated (compensating it once refunded orders whose ship step had already stored SHIPPED). The behaviour
is proven under load by test_load_small.py (one mail per terminal order after a worker is killed mid-batch); these
checks keep the two parts of the fix in the definition.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.shop import ROOT

DEFINITION = ROOT / "workflow" / "order_batch_workflow.asl.json"  # each order's states (the EXPRESS batch workflow)


def order_states() -> dict[str, Any]:
    definition = json.loads(DEFINITION.read_text())
    return dict(definition["States"]["ProcessOrders"]["ItemProcessor"]["States"])


def test_every_process_order_call_retries_a_crashed_worker() -> None:
    lambda_tasks = {n: s for n, s in order_states().items() if s.get("Resource") == "arn:aws:states:::lambda:invoke"}

    assert set(lambda_tasks) == {"CapturePayment", "RequestShipment", "Compensate"}
    for name, state in lambda_tasks.items():
        retried = {error for rule in state["Retry"] for error in rule["ErrorEquals"]}
        assert "Runtime.ExitError" in retried, f"{name} does not retry Runtime.ExitError"


def test_a_compensation_that_finds_the_order_shipped_sends_the_shipped_notice() -> None:
    states = order_states()
    # Process Order answers with the order as stored and the notice it is owed; a SHIPPED order goes to the notice.
    after = states[states["Compensate"]["Next"]]
    to_notice = [c for c in after["Choices"] if c["Next"] == "RecordOutcomeNotice"]
    assert to_notice and '"SHIPPED"' in json.dumps(to_notice[0])
    assert "$.order.value.notice.text" in states["PublishOutcome"]["Parameters"]["Message.$"]
