"""The order workflows' runs, read from their log groups: EXPRESS executions have no history to ask for.

Step Functions writes each history event of an EXPRESS execution as one JSON record to the machine's log group
(`LoggingConfiguration`): `id`, `type` (ExecutionStarted, TaskScheduled, ExecutionTimedOut, ...), `details`,
`previous_event_id`, `event_timestamp` (epoch milliseconds, as text), `execution_arn`. At level ALL every event is
there, which is what the tests, the load run and the cost bench deploy with (`WorkflowLogLevel`); at the default
ERROR only the failures are (a run's start and success are not), so `Run.status` needs ALL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

ENDED = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}


def _moment(record: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(record["event_timestamp"]) / 1000, dt.UTC)


@dataclasses.dataclass
class Run:
    """One execution as its records tell it (in event order)."""

    arn: str
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def first(self, kind: str) -> dict[str, Any] | None:
        return next((e for e in self.events if e["type"] == kind), None)

    @property
    def status(self) -> str:
        """RUNNING until an end record arrives (at level ALL; at ERROR a success is never recorded)."""
        return next((ENDED[e["type"]] for e in reversed(self.events) if e["type"] in ENDED), "RUNNING")

    @property
    def started(self) -> dt.datetime | None:
        start = self.first("ExecutionStarted")
        return _moment(start) if start else None

    @property
    def stopped(self) -> dt.datetime | None:
        end = next((e for e in self.events if e["type"] in ENDED), None)
        return _moment(end) if end else None

    def details(self, kind: str) -> list[dict[str, Any]]:
        """The `details` of every event of this type (e.g. TaskFailed: error and cause)."""
        return [e.get("details") or {} for e in self.events if e["type"] == kind]


def runs(logs: Any, group: str, since: dt.datetime) -> dict[str, Run]:
    """Every execution with a record in log group `group` from `since`, by execution ARN, each in event order (a
    boto3 `logs` client)."""
    window: dict[str, Any] = {"logGroupName": group, "startTime": int(since.timestamp() * 1000)}
    found: dict[str, Run] = {}
    for page in logs.get_paginator("filter_log_events").paginate(**window):
        for event in page["events"]:
            record = json.loads(event["message"])
            arn = str(record["execution_arn"])
            found.setdefault(arn, Run(arn)).events.append(record)
    for run in found.values():
        run.events.sort(key=lambda e: int(e["id"]))
    return found


def started_between(found: dict[str, Run], since: dt.datetime, until: dt.datetime | None = None) -> list[Run]:
    """The runs whose ExecutionStarted record falls in [since, until)."""
    return [
        run
        for run in found.values()
        if run.started is not None and run.started >= since and (until is None or run.started < until)
    ]
