"""A small version of `make load` (a few dozen orders) against the e2e deployment: clean, then with every fault.

The figures belong to `make load` / `make bench`; here only the reconciliation counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from tests.support.shop import Shop
from tools.load.model import FAULTS, TERMINAL
from tools.load.run import LoadRun


def describe(report: Any) -> str:
    return json.dumps(asdict(report), indent=2)[:6000]


def test_two_dozen_orders_reconcile(shop: Shop, aws: Callable[[str], Any]) -> None:
    report = LoadRun(shop, aws, orders=24, concurrency=6, faults=set(), timeout=240).run()

    assert report.problems == [], describe(report)
    assert report.accepted == 24, describe(report)
    assert report.statuses == {"SHIPPED": 24}, describe(report)


def test_three_dozen_orders_under_every_fault_reconcile(shop: Shop, aws: Callable[[str], Any]) -> None:
    report = LoadRun(shop, aws, orders=36, concurrency=6, faults=set(FAULTS), timeout=300).run()

    assert report.problems == [], describe(report)
    # Clients retry 503s with the same Idempotency-Key for 30 s, so every order should get in; a refusal would
    # still be a documented 503 with nothing charged (reconcile checks that a refused request captured nothing),
    # hence the small allowance.
    assert report.accepted >= 34, describe(report)
    assert set(report.rejected) <= {"503", "0"}, describe(report)
    assert set(report.statuses) <= TERMINAL, describe(report)
    assert report.duplicates_sent > 0, describe(report)
    assert any("payment-down: Payment System back" in e for e in report.events), describe(report)
    # The worker died in the middle of an invocation and the Lambda runner said so, in AWS's words.
    assert any(kill["runtime_exit_error_logged"] for kill in report.worker_kills), describe(report)
