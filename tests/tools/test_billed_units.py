"""tools/billed_units.py: what it counts in the workflows' log records and in Process Order's log, and its price."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tools.billed_units import Units, add_batch_run, add_lambda_reports, add_poller_run, express_billed_gb_seconds
from tools.list_prices import PRICES
from tools.workflow_runs import Run

T0 = 1_800_000_000_000  # epoch milliseconds


def record(n: int, kind: str, at_ms: int, name: str | None = None) -> dict[str, Any]:
    """One log record as Step Functions writes it for an EXPRESS execution."""
    details = {"name": name} if name else {}
    return {"id": str(n), "type": kind, "details": details, "event_timestamp": str(T0 + at_ms), "execution_arn": "x"}


def run(elapsed_ms: int, *states: str, end: str = "ExecutionSucceeded") -> Run:
    events = [record(1, "ExecutionStarted", 0)]
    events += [record(i + 2, "PassStateEntered", 0, name) for i, name in enumerate(states)]
    return Run("x", [*events, record(len(events) + 1, end, elapsed_ms)])


def test_poller_runs_are_one_request_each_and_idle_runs_apart() -> None:
    units = Units()
    add_poller_run(units, run(120, "ProbeQueue", "AnyBacklog", "Idle"))
    add_poller_run(units, run(950, "ProbeQueue", "AnyBacklog", "Pollers"))
    add_poller_run(units, run(1001, "ProbeQueue", "AnyBacklog", "Pollers"))

    assert (units.idle_runs, units.busy_runs, units.express_requests) == (1, 2, 2)
    assert units.idle_gb_seconds == pytest.approx(0.2 * 64 / 1024)  # 120 ms: two 100 ms steps
    assert units.express_gb_seconds == pytest.approx((1.0 + 1.1) * 64 / 1024)


def test_a_batch_is_one_request_billed_in_100_ms_steps_at_64_mb_whatever_its_end() -> None:
    units = Units()
    add_batch_run(units, run(950))  # 10 steps
    add_batch_run(units, run(280_000, end="ExecutionTimedOut"))  # stopped at its 280 s limit

    assert (units.batches, units.express_requests) == (2, 2)
    assert units.express_gb_seconds == pytest.approx((1.0 + 280.0) * 64 / 1024)
    assert express_billed_gb_seconds(run(1)) == pytest.approx(0.1 * 64 / 1024)
    with pytest.raises(ValueError, match="not ended"):
        express_billed_gb_seconds(Run("x", [record(1, "ExecutionStarted", 0)]))


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
    units = Units(express_requests=10, express_gb_seconds=1.25, lambda_requests=200)
    figure = units.per_order(100)

    assert figure["express_requests_per_order"] == 0.1
    dollars = figure["dollars_per_1000_orders"]
    express = 100 * PRICES["stepfunctions_express_request"] + 12.5 * PRICES["stepfunctions_express_gb_second"]
    assert dollars["stepfunctions_express"] == pytest.approx(express, abs=1e-4)
    assert figure["dollars_per_1000_orders_total"] == pytest.approx(sum(dollars.values()), abs=1e-3)
    assert figure["idle_month_dollars"] is None


def test_the_shop_at_rest_pays_a_request_and_a_short_duration_a_minute() -> None:
    units = Units()
    add_poller_run(units, run(150, "ProbeQueue", "AnyBacklog", "Idle"))
    duration = 0.2 * 64 / 1024 * PRICES["stepfunctions_express_gb_second"]  # 150 ms: two 100 ms steps at 64 MB
    month = 43_200 * (PRICES["stepfunctions_express_request"] + duration)
    assert units.idle_month_dollars() == pytest.approx(month)
    assert units.per_order(0)["idle_month_dollars"] == pytest.approx(month, abs=1e-4)
