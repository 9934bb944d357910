"""Billed units counted from what the executions left behind, priced with tools/list_prices.py (`make bench`).

Both workflows are Step Functions EXPRESS, billed per request (an execution started) and duration (100 ms steps at
64 MB: a run carries a few KB of data, the smallest step). EXPRESS executions have no history to ask for: their
records are in their log groups (tools/workflow_runs.py; the bench deploys with `WorkflowLogLevel` ALL so a run's
start and end are recorded).

- The order workflow (the poller): one request and its duration per run. A run that found the queue empty (it
  entered `Idle`) is counted apart: it costs the same with or without orders (the shop at rest).
- The order batch workflow: one request and its duration per batch.
- Lambda, Process Order as the batch workflow invokes it: the `REPORT` lines in its log group, one request each,
  Billed Duration times Memory Size; the sweeper's invocations (a schedule's, at rest) are counted apart by their
  request id (the function logs `swept`).
- Lambda, the App Server and the authorizer, which follow the customers' API calls: their `REPORT` lines likewise.

The rest of the bill (API Gateway, DynamoDB, SQS, SNS, email, KMS, Secrets Manager) is counted by the local cloud
and priced in tools/billed_calls.py; `per_order` puts both together.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from typing import Any

from tools.billed_calls import Counted
from tools.list_prices import PRICES
from tools.workflow_runs import Run, runs

EXPRESS_BILLING_STEP_MS = 100
EXPRESS_MEMORY_GB = 64 / 1024
RUNS_PER_MONTH = 43_200  # the schedule's default rate(1 minute) for 30 days
_REPORT = re.compile(
    r"REPORT RequestId: (\S+)\s+Duration: [\d.]+ ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB"
)


@dataclasses.dataclass
class Units:
    busy_runs: int = 0  # poller runs that found orders waiting
    idle_runs: int = 0  # poller runs that found the queue empty
    idle_gb_seconds: float = 0.0
    batches: int = 0
    express_requests: int = 0  # busy poller runs and batches
    express_gb_seconds: float = 0.0
    lambda_requests: int = 0  # Process Order as the batches invoke it
    lambda_gb_seconds: float = 0.0
    sweeps: int = 0  # Process Order as the sweeper's schedule invokes it
    sweep_gb_seconds: float = 0.0
    app_server_requests: int = 0
    app_server_gb_seconds: float = 0.0
    authorizer_requests: int = 0
    authorizer_gb_seconds: float = 0.0

    def dollars(self) -> dict[str, float]:
        """Each billed item at list price, busy work only (idle runs are the shop at rest)."""
        return {
            "stepfunctions_express": self.express_requests * PRICES["stepfunctions_express_request"]
            + self.express_gb_seconds * PRICES["stepfunctions_express_gb_second"],
            "lambda": self.lambda_requests * PRICES["lambda_request"]
            + self.lambda_gb_seconds * PRICES["lambda_gb_second"],
        }

    def api_function_dollars(self) -> dict[str, float]:
        """The functions behind the API (App Server, authorizer) at list price."""
        return {
            f"lambda_{name}": getattr(self, f"{name}_requests") * PRICES["lambda_request"]
            + getattr(self, f"{name}_gb_seconds") * PRICES["lambda_gb_second"]
            for name in ("app_server", "authorizer")
        }

    def idle_month_dollars(self) -> float | None:
        """What the schedule's runs on an empty queue cost a month at one a minute (None: no idle run seen)."""
        if not self.idle_runs:
            return None
        per_run = PRICES["stepfunctions_express_request"] + (
            self.idle_gb_seconds / self.idle_runs * PRICES["stepfunctions_express_gb_second"]
        )
        return per_run * RUNS_PER_MONTH

    def per_order(self, orders: int, counted: Counted | None = None) -> dict[str, Any]:
        """Units per order and dollars per 1,000 orders; with the local cloud's counts (tools/billed_calls.py), every
        service's and the measured total."""
        n = max(orders, 1)
        dollars = self.dollars()
        idle = self.idle_month_dollars()
        every = {**dollars, **self.api_function_dollars(), **(counted.dollars() if counted else {})}
        services = {
            "units_per_order": {
                "app_server_invocations": round(self.app_server_requests / n, 2),
                "app_server_gb_seconds": round(self.app_server_gb_seconds / n, 4),
                "authorizer_invocations": round(self.authorizer_requests / n, 2),
                "authorizer_gb_seconds": round(self.authorizer_gb_seconds / n, 4),
                **{k: round(v / n, 2) for k, v in (counted.units() if counted else {}).items()},
            },
            "dollars_per_1000_orders": {k: round(v * 1000 / n, 4) for k, v in every.items()},
        }
        return {
            "orders": orders,
            "busy_runs": self.busy_runs,
            "batches": self.batches,
            "express_requests_per_order": round(self.express_requests / n, 3),
            "express_gb_seconds_per_order": round(self.express_gb_seconds / n, 4),
            "lambda_requests_per_order": round(self.lambda_requests / n, 2),
            "lambda_gb_seconds_per_order": round(self.lambda_gb_seconds / n, 4),
            "dollars_per_1000_orders": {k: round(v * 1000 / n, 4) for k, v in dollars.items()},
            "dollars_per_1000_orders_total": round(sum(dollars.values()) * 1000 / n, 4),
            "idle_runs": self.idle_runs,
            "idle_month_dollars": None if idle is None else round(idle, 4),
            "services": services,
            "dollars_per_1000_orders_measured": round(sum(every.values()) * 1000 / n, 4),
        }


def express_billed_gb_seconds(run: Run) -> float:
    """One EXPRESS execution's billed duration, start record to end record, in GB-seconds at 64 MB."""
    if run.started is None or run.stopped is None:
        raise ValueError(f"{run.arn}: not ended (or its records are not at level ALL)")
    elapsed_ms = (run.stopped - run.started).total_seconds() * 1000
    steps = max(1, math.ceil(elapsed_ms / EXPRESS_BILLING_STEP_MS))
    return steps * EXPRESS_BILLING_STEP_MS / 1000 * EXPRESS_MEMORY_GB


def add_poller_run(units: Units, run: Run) -> None:
    """Count one poller run."""
    gb_seconds = express_billed_gb_seconds(run)
    if any((e.get("details") or {}).get("name") == "Idle" for e in run.events if e["type"].endswith("StateEntered")):
        units.idle_runs += 1
        units.idle_gb_seconds += gb_seconds
        return
    units.busy_runs += 1
    units.express_requests += 1
    units.express_gb_seconds += gb_seconds


def add_batch_run(units: Units, run: Run) -> None:
    """Count one batch run, whatever its end (a TIMED_OUT batch is billed up to its limit)."""
    units.batches += 1
    units.express_requests += 1
    units.express_gb_seconds += express_billed_gb_seconds(run)


def add_lambda_reports(units: Units, messages: Iterable[str]) -> None:
    """Count a Process Order log's REPORT lines, the sweeper's invocations apart."""
    reports, swept = [], set()
    for message in messages:
        if match := _REPORT.search(message):
            reports.append((match[1], int(match[2]), int(match[3])))
        elif '"swept"' in message:
            with contextlib.suppress(ValueError):
                swept.add(json.loads(message).get("function_request_id"))
    for request_id, billed_ms, memory_mb in reports:
        if request_id in swept:
            units.sweeps += 1
            units.sweep_gb_seconds += billed_ms / 1000 * memory_mb / 1024
        else:
            units.lambda_requests += 1
            units.lambda_gb_seconds += billed_ms / 1000 * memory_mb / 1024


def add_function_reports(units: Units, function: str, messages: Iterable[str]) -> None:
    """Count the REPORT lines of the App Server's or the authorizer's log (`function`: app_server, authorizer)."""
    for message in messages:
        if match := _REPORT.search(message):
            setattr(units, f"{function}_requests", getattr(units, f"{function}_requests") + 1)
            gb_seconds = int(match[2]) / 1000 * int(match[3]) / 1024
            setattr(units, f"{function}_gb_seconds", getattr(units, f"{function}_gb_seconds") + gb_seconds)


def count(
    logs: Any, outputs: dict[str, str], since: dt.datetime, until: dt.datetime, batches_until: dt.datetime
) -> Units:
    """The units of every poller run that started in [since, until), of the batches that started from `since` to
    `batches_until` (they start after their poller run), and of the Lambda invocations logged from `since` to
    `batches_until` (a boto3 `logs` client; `outputs`: the app stack's)."""
    units = Units()
    for run in runs(logs, outputs["OrderWorkflowLogGroupName"], since).values():
        if run.started is not None and since <= run.started < until:
            add_poller_run(units, run)
    for run in runs(logs, outputs["OrderBatchLogGroupName"], since).values():
        if run.started is not None and since <= run.started < batches_until:
            add_batch_run(units, run)

    def messages(output: str) -> list[str]:
        pages = logs.get_paginator("filter_log_events").paginate(
            logGroupName=f"/aws/lambda/{outputs[output]}",
            startTime=int(since.timestamp() * 1000),
            endTime=int(batches_until.timestamp() * 1000),
        )
        try:
            return [e["message"] for p in pages for e in p["events"]]
        except logs.exceptions.ResourceNotFoundException:  # a function never invoked has no log group yet
            return []

    add_lambda_reports(units, messages("ProcessOrderFunctionName"))
    add_function_reports(units, "app_server", messages("AppServerFunctionName"))
    add_function_reports(units, "authorizer", messages("AuthorizerFunctionName"))
    return units
