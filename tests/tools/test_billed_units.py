"""tools/billed_units.py and tools/billed_calls.py: what they count in the workflows' log records, the functions' logs
and the local cloud's counts, and its price."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tools.bench.write_docs import cost_section
from tools.billed_calls import AtRest, Counted
from tools.billed_units import (
    Units,
    add_batch_run,
    add_function_reports,
    add_lambda_reports,
    add_poller_run,
    express_billed_gb_seconds,
)
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


def test_process_order_invocations_count_the_sweepers_apart() -> None:
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
    assert units.sweeps == 1
    assert units.sweep_gb_seconds == pytest.approx(0.213 * 0.25)


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


REPORT = "REPORT RequestId: {}\tDuration: 40.10 ms\tBilled Duration: {} ms\tMemory Size: {} MB\t"


def test_the_api_functions_are_counted_from_their_own_report_lines() -> None:
    units = Units()
    add_function_reports(
        units, "app_server", [REPORT.format("a", 41, 512), "START RequestId: b", REPORT.format("b", 9, 512)]
    )
    add_function_reports(units, "authorizer", [REPORT.format("c", 3, 128)])

    assert (units.app_server_requests, units.authorizer_requests) == (2, 1)
    assert units.app_server_gb_seconds == pytest.approx(0.050 * 0.5)
    assert units.api_function_dollars()["lambda_authorizer"] == pytest.approx(
        PRICES["lambda_request"] + 0.003 * 0.125 * PRICES["lambda_gb_second"]
    )


SNAPSHOT = {
    "calls": {
        "execute-api:Invoke": 4,
        "dynamodb:GetItem": 7,
        "sqs:SendMessage": 1,
        "sqs:ReceiveMessage": 3,
        "sns:Publish": 2,
        "kms:Decrypt": 10,
        "secretsmanager:GetSecretValue": 1,
        "lambda:Invoke": 5,
        "logs:FilterLogEvents": 9,
        "cloudfront:Request": 30,
        "cloudfront:GetDistribution": 4,  # the management API: not a viewer request
    },
    "not_billed": {"dynamodb:GetItem": 5, "logs:FilterLogEvents": 9, "cloudfront:Request": 2},
    "units": {"orders": {"read": 3.5, "write": 8.0}, "products": {"read": 1.0, "write": 2.0}},
    "edge_bytes_out": 250_000,
}


def test_every_service_is_priced_from_the_local_clouds_counts_without_the_observers_calls() -> None:
    counted = Counted.from_snapshot(SNAPSHOT, mails=3)
    units, dollars = counted.units(), counted.dollars()

    assert units["apigateway_requests"] == 4
    assert (units["dynamodb_read_units"], units["dynamodb_write_units"]) == (4.5, 10.0)
    assert counted.calls["dynamodb:GetItem"] == 2  # the bench's own reads are left out
    assert (units["sqs_requests"], units["sns_requests"], units["email_deliveries"]) == (4, 2, 3)
    assert dollars["apigateway"] == pytest.approx(4 * 3.50 / 1e6)
    assert dollars["dynamodb"] == pytest.approx(4.5 * 0.125 / 1e6 + 10 * 0.625 / 1e6)
    assert dollars["sqs"] == pytest.approx(4 * 0.40 / 1e6)
    assert dollars["sns"] == pytest.approx(2 * 0.50 / 1e6)
    assert dollars["email"] == pytest.approx(3 * 2.00 / 100_000)
    assert dollars["kms"] == pytest.approx(10 * 0.03 / 10_000)
    assert dollars["secretsmanager"] == pytest.approx(0.05 / 10_000)
    # CloudFront: the viewers' requests (not an observer's) and the bytes sent them.
    assert (units["cloudfront_requests"], units["cloudfront_gb_out"]) == (28, 0.00025)
    assert dollars["cloudfront"] == pytest.approx(28 * 0.01 / 10_000 + 0.00025 * 0.085)
    # Lambda Invoke is billed as invocations (REPORT lines), logs reads not at all: neither is priced here.
    assert set(dollars) == {"cloudfront", "apigateway", "dynamodb", "sqs", "sns", "email", "kms", "secretsmanager"}


def test_the_schedules_share_is_measured_at_rest_and_taken_out_of_a_busy_window() -> None:
    quiet = Counted({"sqs:GetQueueAttributes": 20.0, "dynamodb:Query": 10.0}, read_units=5.0)
    rest = AtRest.measure(quiet, poller_runs=20, sweeps=10)
    busy = Counted({"sqs:GetQueueAttributes": 12.0, "sqs:SendMessage": 5.0, "dynamodb:Query": 4.0}, 30.0, 9.0, 5.0)

    left = rest.busy(busy, idle_poller_runs=7, sweeps=4)

    assert rest.per_poller_run.calls == {"sqs:GetQueueAttributes": 1.0}
    assert (rest.per_sweep.calls, rest.per_sweep.read_units) == ({"dynamodb:Query": 1.0}, 0.5)
    assert left.calls == {"sqs:GetQueueAttributes": 5.0, "sqs:SendMessage": 5.0, "dynamodb:Query": 0.0}
    assert (left.read_units, left.write_units, left.mails) == (28.0, 9.0, 5.0)
    month = rest.month_dollars()
    assert month["sqs"] == pytest.approx(43_200 * PRICES["sqs_request"])
    assert month["dynamodb"] == pytest.approx(8_640 * 0.5 * PRICES["dynamodb_read_request_unit"])


def test_per_order_adds_every_service_to_a_measured_total_and_the_docs_show_it() -> None:
    units = Units(express_requests=10, lambda_requests=20, app_server_requests=30, authorizer_requests=10)
    figure = units.per_order(10, Counted.from_snapshot(SNAPSHOT, mails=20))

    dollars = figure["services"]["dollars_per_1000_orders"]
    assert dollars["stepfunctions_express"] == figure["dollars_per_1000_orders"]["stepfunctions_express"]
    assert dollars["lambda_app_server"] == pytest.approx(30 * PRICES["lambda_request"] * 100, abs=1e-4)
    assert dollars["email"] == pytest.approx(20 * PRICES["sns_email_delivery"] * 100)
    assert figure["dollars_per_1000_orders_measured"] == pytest.approx(sum(dollars.values()), abs=1e-3)
    assert figure["services"]["units_per_order"]["email_deliveries"] == 2.0
    # The Step Functions / Process Order total keeps its meaning.
    assert figure["dollars_per_1000_orders_total"] == pytest.approx(
        dollars["stepfunctions_express"] + dollars["lambda"]
    )

    section = "\n".join(cost_section({"one_order": figure}))
    assert "| email deliveries | 2.0 |" in section
    assert f"| **measured total** | **{figure['dollars_per_1000_orders_measured']}** |" in section
