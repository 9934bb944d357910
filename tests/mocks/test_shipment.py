"""The Shipment System mock: one shipment per order, idempotency keys, faults, CORS, OpenAPI."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests
from openapi_spec_validator import validate as validate_spec

from tests.support.mocks import ROOT, MockClient, documented_routes, mock_url_fixture, reset_client, served_routes

ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"}
ORDER: dict[str, Any] = {"order_id": "o-1", "address": ADDRESS, "items": [{"product_id": "p-0001", "quantity": 2}]}


shipment_url = mock_url_fixture("shipment")


@pytest.fixture
def shipment(shipment_url: str) -> MockClient:
    return reset_client(shipment_url, "shipment")


def shipments(shipment: MockClient) -> list[dict[str, Any]]:
    response = shipment.get("/v1/shipments")
    assert response.status_code == 200
    return list(response.json()["shipments"])


def test_create_get_and_list(shipment: MockClient) -> None:
    created = shipment.post("/v1/shipments", ORDER, key="ship-o-1")
    assert created.status_code == 201
    body = created.json()
    assert body["id"].startswith("shp_")
    assert re.fullmatch(r"TRK\d{10}", body["tracking_number"])
    assert (body["status"], body["order_id"], body["address"], body["items"]) == (
        "created",
        "o-1",
        ADDRESS,
        ORDER["items"],
    )
    assert shipment.get(f"/v1/shipments/{body['id']}").json() == body
    assert shipments(shipment) == [body]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order_id": None}, "order_id"),
        ({"address": "Madrid"}, "address"),
        ({"address": {**ADDRESS, "city": ""}}, "address.city"),
        ({"address": {k: v for k, v in ADDRESS.items() if k != "postal_code"}}, "address.postal_code"),
        ({"items": []}, "items"),
        ({"items": [{"product_id": "p-0001", "quantity": 0}]}, "items[0].quantity"),
        ({"items": [{"product_id": "p-0001", "quantity": 1}, {"quantity": 1}]}, "items[1].product_id"),
    ],
)
def test_validation_names_the_field(shipment: MockClient, change: dict[str, Any], field: str) -> None:
    response = shipment.post("/v1/shipments", {**ORDER, **change}, key="ship-o-1")
    assert response.status_code == 400
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == ("invalid_request", field)
    assert shipments(shipment) == []


def test_idempotency_key_is_required(shipment: MockClient) -> None:
    response = shipment.post("/v1/shipments", ORDER)
    assert (response.status_code, response.json()["error"]["field"]) == (400, "Idempotency-Key")
    bad_json = shipment.request("POST", "/v1/shipments", data="[", key="ship-o-1")
    assert (bad_json.status_code, bad_json.json()["error"]["field"]) == (400, "body")


def test_same_key_replays_one_shipment(shipment: MockClient) -> None:
    first = shipment.post("/v1/shipments", ORDER, key="ship-o-1")
    again = shipment.post("/v1/shipments", ORDER, key="ship-o-1")
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(shipments(shipment)) == 1


def test_second_shipment_for_an_order_is_409_with_the_existing_one(shipment: MockClient) -> None:
    first = shipment.post("/v1/shipments", ORDER, key="ship-o-1").json()
    duplicate = shipment.post("/v1/shipments", ORDER, key="another-key")
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate_order"
    assert duplicate.json()["shipment"] == first
    assert shipments(shipment) == [first]


def test_key_reused_with_a_different_request_is_422(shipment: MockClient) -> None:
    shipment.post("/v1/shipments", ORDER, key="ship-o-1")
    reused = shipment.post("/v1/shipments", {**ORDER, "order_id": "o-2"}, key="ship-o-1")
    assert (reused.status_code, reused.json()["error"]["code"]) == (422, "idempotency_key_reused")
    assert [s["order_id"] for s in shipments(shipment)] == ["o-1"]


def test_undeliverable_address_is_refused(shipment: MockClient) -> None:
    order = {**ORDER, "address": {**ADDRESS, "postal_code": "00000"}}
    response = shipment.post("/v1/shipments", order, key="ship-o-1")
    assert response.status_code == 422
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (
        "undeliverable_address",
        "address.postal_code",
    )
    assert shipments(shipment) == []


def test_unknown_shipment_is_404(shipment: MockClient) -> None:
    response = shipment.get("/v1/shipments/shp_missing")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_error_rate_one_fails_before_anything_is_recorded(shipment: MockClient) -> None:
    shipment.post("/_fault", {"error_rate": 1})
    response = shipment.post("/v1/shipments", ORDER, key="ship-o-1")
    assert (response.status_code, response.json()["error"]["code"]) == (503, "injected_fault")
    shipment.post("/_fault", {"error_rate": 0})
    assert shipments(shipment) == []
    # The workflow's retry with the same key then ships once.
    assert shipment.post("/v1/shipments", ORDER, key="ship-o-1").status_code == 201
    assert len(shipments(shipment)) == 1


def test_down_and_latency(shipment: MockClient) -> None:
    shipment.post("/_fault", {"down": True})
    assert shipment.get("/v1/shipments").status_code == 503
    assert shipment.get("/health").status_code == 200
    shipment.post("/_fault", {"down": False, "latency_ms": 30})
    assert shipment.post("/v1/shipments", ORDER, key="ship-o-1").status_code == 201


def test_cors_preflight(shipment: MockClient) -> None:
    preflight = requests.options(
        f"{shipment.base_url}/v1/shipments",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
        timeout=5,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Idempotency-Key" in preflight.headers["Access-Control-Allow-Headers"]
    assert requests.options(f"{shipment.base_url}/v1/nothing", timeout=5).status_code == 404


def test_openapi_document_matches_the_routes(shipment: MockClient) -> None:
    served = shipment.get("/openapi.json").json()
    assert served == json.loads((ROOT / "mocks" / "shipment.openapi.json").read_text())
    validate_spec(served)
    assert served_routes("shipment") == documented_routes(served)
