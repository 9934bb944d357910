"""Billed units counted from what the executions left behind, priced with tools/list_prices.py (`make bench`).

- Step Functions STANDARD, the order workflow (the poller): state transitions, read from its execution
  histories. AWS counts one each time a state runs, a retry included: every `*StateEntered` event, plus every
  task attempt after the first (a `TaskScheduled` more than the task's `TaskStateEntered`). A run that found
  the queue empty (it entered `Idle`) is counted apart: it costs the same with or without orders.
- Step Functions EXPRESS, the order batch workflow: one request per batch the poller started (the outcome of
  its `states:startExecution` task), and its duration from the child's StartDate and StopDate that
  `.sync:2` reports, billed in 100 ms steps at 64 MB (a batch carries a few KB of data: the smallest step).
- Lambda, Process Order as the batch workflow invokes it: the `REPORT` lines in its log group, one request each,
  Billed Duration times Memory Size; the sweeper's invocations (a schedule's, at rest) are left out by their request id
  (the function logs `swept`).

What is not counted here (the API's Lambda calls, which follow the customers' requests; API Gateway, DynamoDB,
SQS, SNS, KMS, logs) is in docs/aws.md as arithmetic.
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

from tools.list_prices import PRICES

EXPRESS_BILLING_STEP_MS = 100
EXPRESS_MEMORY_GB = 64 / 1024
_REPORT = re.compile(
    r"REPORT RequestId: (\S+)\s+Duration: [\d.]+ ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB"
)


@dataclasses.dataclass
class Units:
    busy_runs: int = 0  # poller executions that found orders waiting
    idle_runs: int = 0  # poller executions that found the queue empty
    idle_transitions: int = 0
    standard_transitions: int = 0  # busy runs only
    express_requests: int = 0
    express_gb_seconds: float = 0.0
    lambda_requests: int = 0
    lambda_gb_seconds: float = 0.0

    def dollars(self) -> dict[str, float]:
        """Each billed item at list price, busy work only (idle runs are the shop at rest)."""
        return {
            "stepfunctions_standard": self.standard_transitions * PRICES["stepfunctions_standard_transition"],
            "stepfunctions_express": self.express_requests * PRICES["stepfunctions_express_request"]
            + self.express_gb_seconds * PRICES["stepfunctions_express_gb_second"],
            "lambda": self.lambda_requests * PRICES["lambda_request"]
            + self.lambda_gb_seconds * PRICES["lambda_gb_second"],
        }

    def per_order(self, orders: int) -> dict[str, Any]:
        """Units per order and dollars per 1,000 orders."""
        n = max(orders, 1)
        dollars = self.dollars()
        return {
            "orders": orders,
            "busy_runs": self.busy_runs,
            "standard_transitions_per_order": round(self.standard_transitions / n, 2),
            "express_requests_per_order": round(self.express_requests / n, 3),
            "express_gb_seconds_per_order": round(self.express_gb_seconds / n, 4),
            "lambda_requests_per_order": round(self.lambda_requests / n, 2),
            "lambda_gb_seconds_per_order": round(self.lambda_gb_seconds / n, 4),
            "dollars_per_1000_orders": {k: round(v * 1000 / n, 4) for k, v in dollars.items()},
            "dollars_per_1000_orders_total": round(sum(dollars.values()) * 1000 / n, 4),
        }


def _moment(value: Any) -> dt.datetime:
    """A date as Step Functions writes it in a task's output: epoch milliseconds on AWS, ISO 8601 locally."""
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
    return dt.datetime.fromisoformat(str(value))


def express_billed_gb_seconds(child: dict[str, Any]) -> float:
    """One EXPRESS execution's billed duration, from `.sync:2`'s StartDate/StopDate, in GB-seconds at 64 MB."""
    elapsed_ms = (_moment(child["StopDate"]) - _moment(child["StartDate"])).total_seconds() * 1000
    steps = max(1, math.ceil(elapsed_ms / EXPRESS_BILLING_STEP_MS))
    return steps * EXPRESS_BILLING_STEP_MS / 1000 * EXPRESS_MEMORY_GB


def _child_outcome(event: dict[str, Any]) -> dict[str, Any] | None:
    """The child a `states:startExecution` task ended with, as `.sync:2` describes it (None: not such a task)."""
    details = event.get("taskSucceededEventDetails") or event.get("taskFailedEventDetails")
    if not details or details.get("resourceType") != "states" or not details["resource"].startswith("startExecution"):
        return None
    text = details.get("output") if "output" in details else details.get("cause")
    try:
        described = json.loads(text or "{}")
    except ValueError:
        described = {}
    return described if isinstance(described, dict) else {}


def add_poller_run(units: Units, events: Iterable[dict[str, Any]]) -> None:
    """Count one poller execution's history."""
    events = list(events)
    entered = [e for e in events if e["type"].endswith("StateEntered")]
    retries = max(
        0, sum(e["type"] == "TaskScheduled" for e in events) - sum(e["type"] == "TaskStateEntered" for e in events)
    )
    transitions = len(entered) + retries
    if any(e.get("stateEnteredEventDetails", {}).get("name") == "Idle" for e in entered):
        units.idle_runs += 1
        units.idle_transitions += transitions
        return
    units.busy_runs += 1
    units.standard_transitions += transitions
    for event in events:
        child = _child_outcome(event)
        if child is None:
            continue
        units.express_requests += 1  # a start that AWS refused is not billed, but it is not a start either
        if "StartDate" in child and "StopDate" in child:
            units.express_gb_seconds += express_billed_gb_seconds(child)


def add_lambda_reports(units: Units, messages: Iterable[str]) -> None:
    """Count a Process Order log's REPORT lines, except the sweeper's invocations."""
    reports, swept = [], set()
    for message in messages:
        if match := _REPORT.search(message):
            reports.append((match[1], int(match[2]), int(match[3])))
        elif '"swept"' in message:
            with contextlib.suppress(ValueError):
                swept.add(json.loads(message).get("function_request_id"))
    for request_id, billed_ms, memory_mb in reports:
        if request_id not in swept:
            units.lambda_requests += 1
            units.lambda_gb_seconds += billed_ms / 1000 * memory_mb / 1024


def count(sfn: Any, logs: Any, poller_arn: str, process_order: str, since: dt.datetime, until: dt.datetime) -> Units:
    """The units of every poller execution that started in [since, until) and of the Process Order invocations
    (function `process_order`) logged in that window (boto3 clients `sfn` and `logs`)."""
    units = Units()
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=poller_arn):
        for run in page["executions"]:
            if not since <= run["startDate"] < until:
                continue
            history = sfn.get_paginator("get_execution_history").paginate(executionArn=run["executionArn"])
            add_poller_run(units, (e for p in history for e in p["events"]))
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=f"/aws/lambda/{process_order}",
        startTime=int(since.timestamp() * 1000),
        endTime=int(until.timestamp() * 1000),
    )
    add_lambda_reports(units, (e["message"] for p in pages for e in p["events"]))
    return units
