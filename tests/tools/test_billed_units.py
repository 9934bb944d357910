"""tools/billed_units.py: what it counts in a poller's history and in Process Order's log, and the price of it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tools.billed_units import Units, add_lambda_reports, add_poller_run, express_billed_gb_seconds
from tools.list_prices import PRICES


def entered(kind: str, name: str) -> dict[str, Any]:
    return {"type": f"{kind}StateEntered", "stateEnteredEventDetails": {"name": name}}


def batch_done(start: Any, stop: Any, failed: bool = False) -> dict[str, Any]:
    described = json.dumps({"Status": "TIMED_OUT" if failed else "SUCCEEDED", "StartDate": start, "StopDate": stop})
    if failed:
        details = {"resourceType": "states", "resource": "startExecution.sync:2", "error": "States.TaskFailed"}
        return {"type": "TaskFailed", "taskFailedEventDetails": {**details, "cause": described}}
    details = {"resourceType": "states", "resource": "startExecution.sync:2", "output": described}
    return {"type": "TaskSucceeded", "taskSucceededEventDetails": details}


IDLE_RUN = [entered("Task", "ProbeQueue"), {"type": "TaskScheduled"}, entered("Choice", "AnyBacklog")]
IDLE_RUN += [entered("Succeed", "Idle")]


def busy_run(*batches: dict[str, Any], receive_retries: int = 0) -> list[dict[str, Any]]:
    events = [entered("Task", "ProbeQueue"), {"type": "TaskScheduled"}, entered("Choice", "AnyBacklog")]
    events += [entered("Map", "Pollers"), entered("Task", "ReceiveOrders")]
    events += [{"type": "TaskScheduled"}] * (1 + receive_retries)
    for batch in batches:
        events += [entered("Task", "ProcessBatch"), {"type": "TaskScheduled"}, batch]
    return [*events, entered("Succeed", "Drained")]


def test_transitions_count_every_state_entered_and_every_retry_and_idle_runs_apart() -> None:
    units = Units()
    add_poller_run(units, IDLE_RUN)
    add_poller_run(units, busy_run(batch_done("2026-12-03T10:00:00+00:00", "2026-12-03T10:00:00.950+00:00")))
    add_poller_run(units, busy_run(receive_retries=2))

    assert (units.idle_runs, units.idle_transitions) == (1, 3)
    assert units.busy_runs == 2
    assert units.standard_transitions == 6 + (5 + 2)  # states entered; the second run's receive tried 3 times


def test_an_express_batch_is_one_request_billed_in_100_ms_steps_at_64_mb_whatever_its_end() -> None:
    units = Units()
    add_poller_run(
        units,
        busy_run(
            batch_done("2026-12-03T10:00:00+00:00", "2026-12-03T10:00:00.950+00:00"),  # 10 steps
            batch_done(1_700_000_000_000, 1_700_000_280_000, failed=True),  # AWS's epoch ms; TIMED_OUT at 280 s
        ),
    )

    assert units.express_requests == 2
    assert units.express_gb_seconds == pytest.approx((1.0 + 280.0) * 64 / 1024)
    assert express_billed_gb_seconds({"StartDate": 0, "StopDate": 1}) == pytest.approx(0.1 * 64 / 1024)


def test_process_order_invocations_leave_the_sweepers_out() -> None:
    units = Units()
    report = "REPORT RequestId: {}\tDuration: 212.40 ms\tBilled Duration: 213 ms\tMemory Size: 256 MB\t"
    add_lambda_reports(
        units,
        [
            report.format("a"),
            json.dumps({"message": "done", "function_request_id": "a"}),
            report.format("b"),
            json.dumps({"message": "swept", "function_request_id": "b", "resent": 0}),
            report.format("c"),
        ],
    )

    assert units.lambda_requests == 2
    assert units.lambda_gb_seconds == pytest.approx(2 * 0.213 * 0.25)


def test_dollars_per_1000_orders_use_the_one_price_table() -> None:
    units = Units(standard_transitions=52, express_requests=10, express_gb_seconds=1.25, lambda_requests=200)
    figure = units.per_order(100)

    assert figure["standard_transitions_per_order"] == 0.52
    dollars = figure["dollars_per_1000_orders"]
    assert dollars["stepfunctions_standard"] == pytest.approx(520 * PRICES["stepfunctions_standard_transition"])
    express = 100 * PRICES["stepfunctions_express_request"] + 12.5 * PRICES["stepfunctions_express_gb_second"]
    assert dollars["stepfunctions_express"] == pytest.approx(express, abs=1e-4)
    assert figure["dollars_per_1000_orders_total"] == pytest.approx(sum(dollars.values()), abs=1e-3)
