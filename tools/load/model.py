"""What a load run records: the orders as the client saw them, the report, the faults and the rules' constants."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FAULTS = (
    "payment-errors",
    "shipment-errors",
    "payment-down",
    "duplicates",
    "kill-worker",
    "cancel-storm",
    "slow-shipment",
    "send-failures",
    "lambda-throttle",
    "poison",
)
TERMINAL = {"SHIPPED", "FAILED", "PAYMENT_FAILED", "CANCELLED"}
ACCEPTED_SUBJECT = re.compile(r"(confirmado|confirmed)$")
POISON = ("not json", "[]", '{"order_id": 42}', '{"order_id": "o-does-not-exist"}')
CUSTOMERS = (
    "ana@example.com",
    "john@example.com",
    "lucia@example.com",
    "carlos@example.com",
    "emma@example.com",
    "javier@example.com",
)
ORDER_ID = re.compile(r"o-[0-9A-Za-z]{26}")
ENV = "load"
RETRY_SECONDS = 30.0  # how long a client keeps retrying a 503 (the down window is a few seconds)


@dataclass
class Placed:
    """One order request as the client saw it."""

    key: str
    customer: str
    product_id: str
    quantity: int
    status_code: int = 0
    order_id: str = ""
    attempts: int = 0
    accepted_at: float = 0.0  # wall clock (time.time()) of the 202
    answer: str = ""
    cancel: int = 0  # cancel-storm: the cancel's HTTP status (0: not cancelled)
    cancel_code: str = ""


@dataclass
class LoadReport:
    orders: int
    concurrency: int
    faults: list[str]
    accepted: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    rejected_answers: list[str] = field(default_factory=list)  # the last answer of a few refused requests
    statuses: dict[str, int] = field(default_factory=dict)
    failure_reasons: dict[str, int] = field(default_factory=dict)
    place_seconds: float = 0.0
    total_seconds: float = 0.0
    accepted_per_second: float = 0.0
    completed_per_second: float = 0.0  # accepted orders / (first request .. last confirmation mail)
    mail_latency_ms: dict[str, float] = field(default_factory=dict)  # 202 -> confirmation mail, p50/p99
    client_retries: int = 0
    duplicates_sent: int = 0
    cancels: dict[str, int] = field(default_factory=dict)  # cancel-storm: answers by status code
    poison_sent: int = 0
    worker_kills: list[dict[str, Any]] = field(default_factory=list)
    # The emulator's own bound, measured in the same run (local cloud only): the AWS calls it served per
    # accepted order (the clients' status polling included), the calls per second it served at most in a
    # calibration burst before the orders, their quotient in orders/s, and completed_per_second over it.
    aws_calls_per_order: float = 0.0
    aws_calls_by_service: dict[str, float] = field(default_factory=dict)  # per order
    emulator_calls_per_second: float = 0.0
    emulator_bound_orders_per_second: float = 0.0
    ratio_to_emulator_bound: float = 0.0
    # The same bound from the cloud's CPU instead of a GetItem's: its CPU seconds per accepted order over the
    # sustained window (first 202 to last mail), and the cores it used at most in the calibration burst (the bound
    # takes at least one: the GIL's); their quotient in orders/s is what the cloud could do with this run's own mix
    # of calls, and completed_per_second over it the share of those cores the pipeline kept busy.
    emulator_cpu_seconds_per_order: float = 0.0
    emulator_cores_at_most: float = 0.0
    emulator_cpu_bound_orders_per_second: float = 0.0
    ratio_to_emulator_cpu_bound: float = 0.0
    events: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def poll(check: Callable[[], Any], timeout: float, interval: float = 0.5) -> Any:
    """`check()` until truthy or the deadline; returns the last result either way (the caller decides)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def accepted_mail(mail: dict[str, Any]) -> bool:
    return bool(ACCEPTED_SUBJECT.search(str(mail.get("Subject", ""))))


def order_id_for(customer_id: str, idempotency_key: str) -> str:
    """The App Server's order id for a customer and key (functions/app_server/app_server/logic/orders.py)."""
    digest = int.from_bytes(hashlib.sha256(f"{customer_id}\0{idempotency_key}".encode()).digest()[:17], "big")
    return "o-" + "".join("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(digest >> s) & 31] for s in range(125, -1, -5))
