"""The Payment and Shipment mocks (mocks/) served in the test's own process: the one fake of each external system.

`External` gives the handler tests both systems on free loopback ports; `MockPayments` and `MockShipments` are the
logic's ports (the real HTTP adapters of shared/) over one mock each, for the logic tests. Every mock a test starts
here is stopped when the test ends (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from shared.http_client import JsonHttpClient
from shared.payments import HttpPaymentGateway
from shared.shipments import HttpShipmentGateway

from mocks import payment, shipment
from mocks.payment import DECLINED_CARD as DECLINED_CARD
from mocks.payment import PaymentService
from mocks.server import Running
from mocks.shipment import UNDELIVERABLE_POSTAL_CODE as UNDELIVERABLE_POSTAL_CODE
from mocks.shipment import ShipmentService
from tests.support.shop import GOOD_CARD

_started: list[Running[Any]] = []


def stop_started() -> None:
    """Stop every mock this module started (tests/conftest.py calls it after each test)."""
    while _started:
        _started.pop().stop()


def _start_payment() -> Running[PaymentService]:
    mock = payment.start()
    _started.append(mock)
    return mock


def _start_shipment() -> Running[ShipmentService]:
    mock = shipment.start()
    _started.append(mock)
    return mock


def card_token(mock: Running[PaymentService], card: str = GOOD_CARD) -> str:
    """A card token from the Payment System, as the storefront gets one."""
    body = {"card_number": card, "exp_month": 12, "exp_year": 2099, "cvc": "123"}
    return str(requests.post(f"{mock.url}/v1/tokens", json=body, timeout=5).json()["id"])


def _set_down(mock: Running[Any], down: bool) -> None:
    mock.app.faults.update({"down": down})


def _operation(method: str, path: str) -> str:
    """The Payment System operation a request asked for: authorize, capture, void, refund (or read)."""
    parts = path.strip("/").split("/")
    if method == "GET":
        return "read"
    return "authorize" if parts == ["v1", "payments"] else parts[-1]


@dataclass
class External:
    """The Payment and Shipment mocks (mocks/), served in this process: the one fake of each external system."""

    payment: Running[PaymentService]
    shipment: Running[ShipmentService]
    good_token: str = ""  # one good card's token for the whole test, so a retried request has the same body

    @property
    def payments(self) -> dict[str, dict[str, Any]]:
        """The Payment System's ledger by payment id (a test may change a status behind the shop's back)."""
        return self.payment.app.payments

    @property
    def shipments(self) -> dict[str, dict[str, Any]]:
        """The Shipment System's shipments by order id."""
        app = self.shipment.app
        return {order_id: app.shipments[shipment_id] for order_id, shipment_id in app.by_order.items()}

    @property
    def down(self) -> bool:
        return self.payment.app.faults.snapshot().down

    @down.setter
    def down(self, value: bool) -> None:
        for mock in (self.payment, self.shipment):
            _set_down(mock, value)

    def keys(self, prefix: str) -> list[str]:
        """The Idempotency-Key of every request either system received (retries too) that starts with `prefix`."""
        requests = [*self.payment.app.requests, *self.shipment.app.requests]
        return [key for _, _, key in requests if key.startswith(prefix)]

    def token(self, card: str = GOOD_CARD) -> str:
        return card_token(self.payment, card)


@contextmanager
def external_systems() -> Iterator[External]:
    """Both mocks on free loopback ports until the block ends."""
    external = External(_start_payment(), _start_shipment())
    external.good_token = external.token()
    yield external


class _OneMock:
    """A port over one in-process mock; `down` makes that system unavailable (503 to every business request)."""

    mock: Running[Any]

    @property
    def down(self) -> bool:
        return self.mock.app.faults.snapshot().down

    @down.setter
    def down(self, value: bool) -> None:
        _set_down(self.mock, value)


class MockPayments(_OneMock, HttpPaymentGateway):
    """The Payment System port over HTTP to a Payment mock: `decline` places orders with the declined test card,
    `down` makes the system unavailable (503); `calls` are the requests it received, in order."""

    def __init__(self, *, decline: bool = False, down: bool = False) -> None:
        self.mock = _start_payment()
        super().__init__(JsonHttpClient(self.mock.url, system="Payment System"))
        self.card_token = card_token(self.mock, DECLINED_CARD if decline else GOOD_CARD)
        self.down = down

    @property
    def payments(self) -> dict[str, dict[str, Any]]:
        return self.mock.app.payments

    @property
    def calls(self) -> list[tuple[str, str]]:
        """(operation, Idempotency-Key) of every request, failed and replayed ones included (tokens left out)."""
        return [(_operation(m, p), key) for m, p, key in self.mock.app.requests if p != "/v1/tokens"]

    def operations(self, name: str) -> list[str]:
        return [key for operation, key in self.calls if operation == name]


class MockShipments(_OneMock, HttpShipmentGateway):
    """The Shipment System port over HTTP to a Shipment mock; `down` makes it unavailable (503). It refuses an
    address with postal code UNDELIVERABLE_POSTAL_CODE, as the real mock does."""

    def __init__(self, *, down: bool = False) -> None:
        self.mock = _start_shipment()
        super().__init__(JsonHttpClient(self.mock.url, system="Shipment System"))
        self.down = down

    @property
    def calls(self) -> list[str]:
        return [key for _, _, key in self.mock.app.requests]
