"""The Payment System mock: tokens, authorize/capture/void/refund, idempotency keys, faults, CORS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from openapi_spec_validator import validate as validate_spec

from tests.support.mocks import (
    ROOT,
    MockClient,
    documented_routes,
    mock_url_fixture,
    reset_client,
    running_mock,
    served_routes,
)

GOOD_CARD = {"card_number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}
DECLINED_CARD = {**GOOD_CARD, "card_number": "4000000000000002"}


payment_url = mock_url_fixture("payment")


@pytest.fixture
def payment(payment_url: str) -> MockClient:
    return reset_client(payment_url, "payment")


def tokenize(payment: MockClient, card: dict[str, Any] = GOOD_CARD) -> str:
    response = payment.post("/v1/tokens", card)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def authorize(payment: MockClient, key: str = "auth-o-1", order_id: str = "o-1", amount: int = 129900) -> Any:
    body = {"token": tokenize(payment), "amount": amount, "currency": "EUR", "order_id": order_id}
    response = payment.post("/v1/payments", body, key=key)
    assert response.status_code == 201, response.text
    return response.json()


def payments(payment: MockClient) -> list[dict[str, Any]]:
    response = payment.get("/v1/payments")
    assert response.status_code == 200
    return list(response.json()["payments"])


def test_token_authorize_capture_refund(payment: MockClient) -> None:
    token = payment.post("/v1/tokens", {**GOOD_CARD, "card_number": "4242 4242 4242 4242"})
    assert token.status_code == 201
    assert token.json()["id"].startswith("tok_")
    assert (token.json()["last4"], token.json()["brand"]) == ("4242", "visa")

    body = {"token": token.json()["id"], "amount": 129900, "currency": "EUR", "order_id": "o-1"}
    created = payment.post("/v1/payments", body, key="auth-o-1")
    assert created.status_code == 201
    pay = created.json()
    assert pay["id"].startswith("pay_")
    assert (pay["status"], pay["amount"], pay["currency"], pay["order_id"]) == ("authorized", 129900, "EUR", "o-1")

    captured = payment.post(f"/v1/payments/{pay['id']}/capture", key="capture-o-1")
    assert (captured.status_code, captured.json()["status"]) == (200, "captured")
    refunded = payment.post(f"/v1/payments/{pay['id']}/refund", key="refund-o-1")
    assert (refunded.status_code, refunded.json()["status"]) == (200, "refunded")

    stored = payment.get(f"/v1/payments/{pay['id']}").json()
    assert stored["status"] == "refunded"
    assert [(op["type"], op["idempotency_key"]) for op in stored["operations"]] == [
        ("authorize", "auth-o-1"),
        ("capture", "capture-o-1"),
        ("refund", "refund-o-1"),
    ]
    assert payments(payment) == [stored]


def test_void_releases_an_authorization(payment: MockClient) -> None:
    pay = authorize(payment)
    voided = payment.post(f"/v1/payments/{pay['id']}/void", key="void-o-1")
    assert (voided.status_code, voided.json()["status"]) == (200, "voided")


def test_declined_card_tokenizes_but_is_refused_at_authorization(payment: MockClient) -> None:
    token = tokenize(payment, DECLINED_CARD)
    body = {"token": token, "amount": 500, "currency": "EUR", "order_id": "o-2"}
    response = payment.post("/v1/payments", body, key="auth-o-2")
    assert response.status_code == 402
    assert response.json()["error"]["code"] == "card_declined"
    assert payments(payment) == []
    # The refusal is the request's outcome: the same key replays it.
    assert payment.post("/v1/payments", body, key="auth-o-2").status_code == 402


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"card_number": "4242424242424241"}, "card_number"),  # Luhn
        ({"card_number": "4242"}, "card_number"),
        ({"card_number": None}, "card_number"),
        ({"exp_month": 13}, "exp_month"),
        ({"exp_year": 2001}, "exp_year"),  # expired
        ({"cvc": "12"}, "cvc"),
        ({"cvc": 123}, "cvc"),
    ],
)
def test_token_validation_names_the_field(payment: MockClient, change: dict[str, Any], field: str) -> None:
    response = payment.post("/v1/tokens", {**GOOD_CARD, **change})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert response.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"token": "tok_unknown"}, "token"),
        ({"amount": 0}, "amount"),
        ({"amount": "100"}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"order_id": ""}, "order_id"),
    ],
)
def test_payment_validation_names_the_field(payment: MockClient, change: dict[str, Any], field: str) -> None:
    body = {"token": tokenize(payment), "amount": 100, "currency": "EUR", "order_id": "o-1", **change}
    response = payment.post("/v1/payments", body, key="k-1")
    assert (response.status_code, response.json()["error"]["field"]) == (400, field)
    assert payments(payment) == []


def test_idempotency_key_is_required_and_body_must_be_json(payment: MockClient) -> None:
    body = {"token": tokenize(payment), "amount": 100, "currency": "EUR", "order_id": "o-1"}
    missing = payment.post("/v1/payments", body)
    assert (missing.status_code, missing.json()["error"]["field"]) == (400, "Idempotency-Key")
    bad_json = payment.request("POST", "/v1/payments", data="{not json", key="k-1")
    assert (bad_json.status_code, bad_json.json()["error"]["field"]) == (400, "body")
    not_object = payment.post("/v1/tokens", [1, 2])
    assert (not_object.status_code, not_object.json()["error"]["field"]) == (400, "body")


def test_same_key_replays_the_first_response_without_a_second_operation(payment: MockClient) -> None:
    body = {"token": tokenize(payment), "amount": 100, "currency": "EUR", "order_id": "o-1"}
    first = payment.post("/v1/payments", body, key="auth-o-1")
    again = payment.post("/v1/payments", body, key="auth-o-1")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"

    pay_id = first.json()["id"]
    captured = payment.post(f"/v1/payments/{pay_id}/capture", key="capture-o-1")
    recaptured = payment.post(f"/v1/payments/{pay_id}/capture", key="capture-o-1")
    assert recaptured.status_code == 200
    assert recaptured.json() == captured.json()

    [stored] = payments(payment)
    assert [op["type"] for op in stored["operations"]] == ["authorize", "capture"]
    # A replay returns the response as it was, not the payment's current state.
    assert payment.post("/v1/payments", body, key="auth-o-1").json()["status"] == "authorized"


def test_key_reused_with_a_different_request_is_422(payment: MockClient) -> None:
    pay = authorize(payment, key="shared-key")
    other = {"token": tokenize(payment), "amount": 999, "currency": "EUR", "order_id": "o-9"}
    reused = payment.post("/v1/payments", other, key="shared-key")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    # The same key on another endpoint is another request too.
    assert payment.post(f"/v1/payments/{pay['id']}/capture", key="shared-key").status_code == 422
    assert [p["id"] for p in payments(payment)] == [pay["id"]]
    assert payment.get(f"/v1/payments/{pay['id']}").json()["status"] == "authorized"


def test_a_key_rejected_by_validation_stays_usable(payment: MockClient) -> None:
    body = {"token": tokenize(payment), "amount": 100, "currency": "EUR", "order_id": "o-1"}
    assert payment.post("/v1/payments", {**body, "amount": -1}, key="auth-o-1").status_code == 400
    assert payment.post("/v1/payments", body, key="auth-o-1").status_code == 201


@pytest.mark.parametrize(
    ("before", "action"),
    [
        ([], "refund"),  # authorized: refund needs captured
        (["capture"], "void"),  # captured: void needs authorized
        (["capture"], "capture"),  # captured twice under different keys
        (["void"], "capture"),
        (["capture", "refund"], "refund"),
    ],
)
def test_impossible_transition_is_409(payment: MockClient, before: list[str], action: str) -> None:
    pay = authorize(payment)
    for step in before:
        assert payment.post(f"/v1/payments/{pay['id']}/{step}", key=f"{step}-o-1").status_code == 200
    response = payment.post(f"/v1/payments/{pay['id']}/{action}", key=f"second-{action}-o-1")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert response.json()["payment"]["id"] == pay["id"]
    assert len(payment.get(f"/v1/payments/{pay['id']}").json()["operations"]) == 1 + len(before)


def test_unknown_payment_is_404(payment: MockClient) -> None:
    assert payment.get("/v1/payments/pay_missing").status_code == 404
    response = payment.post("/v1/payments/pay_missing/capture", key="capture-x")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_error_rate_one_fails_before_anything_is_recorded(payment: MockClient) -> None:
    pay = authorize(payment)
    assert payment.post("/_fault", {"error_rate": 1.0}).json()["error_rate"] == 1.0
    for path, body in (
        ("/v1/tokens", GOOD_CARD),
        ("/v1/payments", {"token": "tok_x", "amount": 1, "currency": "EUR", "order_id": "o-5"}),
        (f"/v1/payments/{pay['id']}/capture", None),
    ):
        response = payment.post(path, body, key=f"key-{path}")
        assert response.status_code == 503, path
        assert response.json()["error"]["code"] == "injected_fault"
    assert payment.get("/health").status_code == 200
    payment.post("/_fault", {"error_rate": 0})
    [stored] = payments(payment)
    assert (stored["status"], len(stored["operations"])) == ("authorized", 1)
    # The failed capture used its key for nothing: the retry with the same key captures.
    retried = payment.post(f"/v1/payments/{pay['id']}/capture", key=f"key-/v1/payments/{pay['id']}/capture")
    assert retried.json()["status"] == "captured"


def test_down_refuses_business_requests_only(payment: MockClient) -> None:
    payment.post("/_fault", {"down": True})
    assert payment.get("/_fault").json() == {"error_rate": 0.0, "latency_ms": 0, "down": True}
    assert payment.get("/v1/payments").status_code == 503
    assert payment.post("/v1/tokens", GOOD_CARD).status_code == 503
    assert payment.get("/health").json() == {"status": "ok"}
    assert payment.get("/openapi.json").status_code == 200
    payment.post("/_fault", {"down": False})
    assert payment.get("/v1/payments").status_code == 200


def test_latency_still_answers(payment: MockClient) -> None:
    assert payment.post("/_fault", {"latency_ms": 50}).json()["latency_ms"] == 50
    assert payment.post("/v1/tokens", GOOD_CARD).status_code == 201


def test_seeded_error_rate_repeats_after_reset(payment: MockClient) -> None:
    def run() -> list[int]:
        payment.post("/_reset")
        payment.post("/_fault", {"error_rate": 0.5})
        return [payment.get("/v1/payments").status_code for _ in range(20)]

    first = run()
    assert set(first) == {200, 503}
    assert run() == first


@pytest.mark.parametrize(
    ("body", "field"),
    [({"error_rate": 1.5}, "error_rate"), ({"latency_ms": -1}, "latency_ms"), ({"down": "yes"}, "down")],
)
def test_fault_settings_are_validated(payment: MockClient, body: dict[str, Any], field: str) -> None:
    response = payment.post("/_fault", body)
    assert (response.status_code, response.json()["error"]["field"]) == (400, field)
    assert payment.get("/_fault").json() == {"error_rate": 0.0, "latency_ms": 0, "down": False}


def test_reset_forgets_payments_keys_and_faults(payment: MockClient) -> None:
    authorize(payment, key="auth-o-1")
    payment.post("/_fault", {"latency_ms": 10})
    assert payment.post("/_reset").json() == {"status": "reset"}
    assert payments(payment) == []
    assert payment.get("/_fault").json()["latency_ms"] == 0
    assert authorize(payment, key="auth-o-1", amount=1)["amount"] == 1


def test_cors_preflight_and_headers(payment: MockClient) -> None:
    preflight = requests.options(
        f"{payment.base_url}/v1/tokens",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=5,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "idempotency-key", "authorization"} <= allowed
    token = payment.request("POST", "/v1/tokens", json=GOOD_CARD, headers={"Origin": "http://localhost:3000"})
    assert token.headers["Access-Control-Allow-Origin"] == "*"
    error = payment.post("/v1/tokens", {})
    assert error.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_route_and_method_answer_json(payment: MockClient) -> None:
    missing = payment.get("/v1/nothing")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    wrong = payment.request("DELETE", "/v1/payments")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (405, "method_not_allowed")
    assert wrong.headers["Allow"] == "GET, POST"


def test_openapi_document_matches_the_routes(payment: MockClient) -> None:
    served = payment.get("/openapi.json").json()
    assert served == json.loads((ROOT / "mocks" / "payment.openapi.json").read_text())
    validate_spec(served)
    assert served_routes("payment") == documented_routes(served)


def test_initial_faults_come_from_the_command_line(tmp_path: Path) -> None:
    with running_mock("payment", tmp_path, "--error-rate", "1", "--latency-ms", "5") as url:
        assert requests.get(f"{url}/_fault", timeout=5).json() == {"error_rate": 1.0, "latency_ms": 5, "down": False}
        assert requests.get(f"{url}/v1/payments", timeout=5).status_code == 503
        assert requests.get(f"{url}/health", timeout=5).status_code == 200
