"""The rest of the bill, priced from what the local cloud counted (`make bench`; tools/billed_units.py has the
Step Functions and Lambda part): CloudFront requests and bytes out, API Gateway requests, DynamoDB read and write
request units, SQS and SNS requests, email deliveries, KMS and Secrets Manager calls.

The counts are the local cloud's (`GET /_localcloud/calls`: calls by service and action, DynamoDB's units per table,
localcloud/src/localcloud/dynamodb_units.py; the bench's own reads, marked not billed, left out) and the mail
sink's (messages received). Every SQS and SNS call is one
request: the shop's messages are a few hundred bytes, far below the 64 KB a request carries. Calls the executions
make that AWS does not bill as calls are not priced here: Lambda Invoke and Step Functions StartExecution (billed
as invocations and executions, tools/billed_units.py), CloudWatch Logs. What AWS bills but the local cloud does not
see: KMS calls that SQS and DynamoDB make for encrypted queues and tables, log ingestion, the schedules' own
invocations.

At rest the schedules still run: the poller (one run a minute on AWS, one a second here) probes the queue, and the
sweeper (every 5 minutes on AWS) queries its index. `Counted.at_rest` splits a window with no orders into the
poller's share (everything but DynamoDB) and the sweeper's (DynamoDB), per run; `Counted.busy` takes those shares
out of a window with orders, which the local schedules also ran through.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tools.list_prices import PRICES

POLLER_RUNS_PER_MONTH = 43_200  # rate(1 minute) for 30 days
SWEEPS_PER_MONTH = 8_640  # rate(5 minutes) for 30 days
# Which calls each service bills (service as the local cloud names it: the SigV4 scope, execute-api) and at what.
BILLED_CALLS = {
    "cloudfront": ("cloudfront:Request", "cloudfront_https_request"),  # viewer requests, not the API's calls
    "apigateway": ("execute-api", "apigateway_rest_request"),
    "sqs": ("sqs", "sqs_request"),
    "sns": ("sns", "sns_request"),
    "kms": ("kms", "kms_request"),
    "secretsmanager": ("secretsmanager", "secretsmanager_api_call"),
}
SWEEPER_SERVICES = ("dynamodb",)  # at rest, only the sweeper reads DynamoDB


@dataclasses.dataclass
class Counted:
    calls: dict[str, float] = dataclasses.field(default_factory=dict)  # service:action -> calls
    read_units: float = 0.0  # DynamoDB, every table
    write_units: float = 0.0
    mails: float = 0.0  # email deliveries (the mail sink's messages)
    edge_bytes: float = 0.0  # what the CloudFront edge sent viewers

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any], mails: int) -> Counted:
        """From `GET /_localcloud/calls` (without the calls marked not billed: an observer's) and the number of
        mails the sink received in the same window."""
        units, observer = snapshot.get("units") or {}, snapshot.get("not_billed") or {}
        return cls(
            calls={name: float(n - observer.get(name, 0)) for name, n in snapshot.get("calls", {}).items()},
            read_units=sum(float(u["read"]) for u in units.values()),
            write_units=sum(float(u["write"]) for u in units.values()),
            mails=float(mails),
            edge_bytes=float(snapshot.get("edge_bytes_out") or 0),
        )

    def requests(self, service: str) -> float:
        """Calls to `service` (a service, or one service:action)."""
        if ":" in service:
            return self.calls.get(service, 0.0)
        return sum(n for name, n in self.calls.items() if name.split(":", 1)[0] == service)

    def scaled(self, factor: float) -> Counted:
        return Counted(
            {k: v * factor for k, v in self.calls.items()},
            self.read_units * factor,
            self.write_units * factor,
            self.mails * factor,
            self.edge_bytes * factor,
        )

    def minus(self, other: Counted) -> Counted:
        """What is left of these counts once `other`'s are taken out (never below zero)."""
        calls = {k: max(0.0, v - other.calls.get(k, 0.0)) for k, v in self.calls.items()}
        return Counted(
            calls,
            max(0.0, self.read_units - other.read_units),
            max(0.0, self.write_units - other.write_units),
            max(0.0, self.mails - other.mails),
            max(0.0, self.edge_bytes - other.edge_bytes),
        )

    def units(self) -> dict[str, float]:
        """The billed units, named for what AWS bills."""
        found = {f"{name}_requests": self.requests(service) for name, (service, _) in BILLED_CALLS.items()}
        return {
            **found,
            "dynamodb_read_units": self.read_units,
            "dynamodb_write_units": self.write_units,
            "email_deliveries": self.mails,
            "cloudfront_gb_out": self.edge_bytes / 1e9,
        }

    def dollars(self) -> dict[str, float]:
        """Each service at list price (tools/list_prices.py)."""
        priced = {name: self.requests(service) * PRICES[price] for name, (service, price) in BILLED_CALLS.items()}
        return {
            "cloudfront": priced["cloudfront"] + self.edge_bytes / 1e9 * PRICES["cloudfront_gb_out"],
            "apigateway": priced["apigateway"],
            "dynamodb": self.read_units * PRICES["dynamodb_read_request_unit"]
            + self.write_units * PRICES["dynamodb_write_request_unit"],
            "sqs": priced["sqs"],
            "sns": priced["sns"],
            "email": self.mails * PRICES["sns_email_delivery"],
            "kms": priced["kms"],
            "secretsmanager": priced["secretsmanager"],
        }

    def split_at_rest(self) -> tuple[Counted, Counted]:
        """A window with no orders as (the poller's share, the sweeper's share)."""
        sweeper = {k: v for k, v in self.calls.items() if k.split(":", 1)[0] in SWEEPER_SERVICES}
        poller = {k: v for k, v in self.calls.items() if k not in sweeper}
        return Counted(poller, 0.0, 0.0, self.mails), Counted(sweeper, self.read_units, self.write_units, 0.0)


@dataclasses.dataclass
class AtRest:
    """The schedules' cost per run, measured in a window with no orders."""

    per_poller_run: Counted
    per_sweep: Counted

    @classmethod
    def measure(cls, window: Counted, poller_runs: int, sweeps: int) -> AtRest:
        poller, sweeper = window.split_at_rest()
        return cls(poller.scaled(1 / max(poller_runs, 1)), sweeper.scaled(1 / max(sweeps, 1)))

    def busy(self, window: Counted, idle_poller_runs: int, sweeps: int) -> Counted:
        """A window with orders without what its idle poller runs and its sweeps would have cost anyway."""
        return window.minus(self.per_poller_run.scaled(idle_poller_runs)).minus(self.per_sweep.scaled(sweeps))

    def month_dollars(self) -> dict[str, float]:
        """The schedules' calls for a month at AWS's rates (the poller a minute, the sweeper every 5 minutes)."""
        month = self.per_poller_run.scaled(POLLER_RUNS_PER_MONTH)
        sweeps = self.per_sweep.scaled(SWEEPS_PER_MONTH)
        return {k: v + sweeps.dollars()[k] for k, v in month.dollars().items()}
