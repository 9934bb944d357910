"""The mocks served in the test's own process (`payment.start()`, `shipment.start()`): a free loopback port,
the same answers as the `python -m mocks.<name>` process, the ledger readable in memory, and a clean stop."""

from __future__ import annotations

import pytest
import requests

from mocks import payment, shipment
from mocks.faults import Faults

GOOD_CARD = {"card_number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}
ADDRESS = {"name": "Ana", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"}


def test_payment_runs_in_process_on_a_free_loopback_port_until_stopped() -> None:
    mock = payment.start(seed=7)
    try:
        assert mock.url.startswith("http://127.0.0.1:") and not mock.url.endswith((":8081", ":0"))
        assert requests.get(f"{mock.url}/health", timeout=5).json() == {"status": "ok"}
        token = requests.post(f"{mock.url}/v1/tokens", json=GOOD_CARD, timeout=5).json()["id"]
        body = {"token": token, "amount": 500, "currency": "eur", "order_id": "o-1"}
        created = requests.post(f"{mock.url}/v1/payments", json=body, headers={"Idempotency-Key": "k-1"}, timeout=5)
        assert created.status_code == 201
        # The ledger a test would otherwise fake, read in memory.
        [stored] = mock.app.payments.values()
        assert (stored["id"], stored["status"], stored["currency"]) == (created.json()["id"], "authorized", "EUR")
    finally:
        mock.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{mock.url}/health", timeout=2)


def test_shipment_in_process_takes_initial_faults_and_two_run_side_by_side() -> None:
    with shipment.start(faults=Faults(down=True)) as down, shipment.start() as up:
        assert down.url != up.url
        order = {"order_id": "o-1", "address": ADDRESS, "items": [{"product_id": "p-1", "quantity": 1}]}
        refused = requests.post(f"{down.url}/v1/shipments", json=order, headers={"Idempotency-Key": "s-1"}, timeout=5)
        assert (refused.status_code, refused.json()["error"]["code"]) == (503, "injected_fault")
        created = requests.post(f"{up.url}/v1/shipments", json=order, headers={"Idempotency-Key": "s-1"}, timeout=5)
        assert created.status_code == 201
        assert list(up.app.by_order) == ["o-1"] and down.app.by_order == {}
