"""Process Order handler in-process: orders placed through the App Server, then captured/shipped/compensated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from app_server.handler import handler as app_server
from process_order.handler import handler as process_order
from shared.errors import PaymentDeclined, TransientError

from tests.support.external import External, external_systems
from tests.support.handlers import (
    CONTEXT,
    ShopResources,
    api_event,
    aws_environment,
    create_shop_resources,
    local_mock_aws,
    reset_function_caches,
)

ADDRESS = {"name": "Ana", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"}


@dataclass
class World:
    aws: ShopResources
    external: External

    def place_order(self, quantity: int = 2) -> str:
        body = {
            "items": [{"product_id": "p-0001", "quantity": quantity}],
            "address": ADDRESS,
            "payment_token": self.external.good_token,
        }
        event = api_event("POST", "/orders", body=body, headers={"Idempotency-Key": "k"}, customer_id="c-0001")
        response = app_server(event, CONTEXT)
        assert response["statusCode"] == 202, response["body"]
        return str(json.loads(response["body"])["order_id"])

    def run(self, action: str, order_id: str, **extra: str) -> dict[str, Any]:
        return process_order({"action": action, "order_id": order_id, **extra}, CONTEXT)

    def order(self, order_id: str) -> dict[str, Any]:
        return dict(self.aws.orders.get_item(Key={"id": order_id})["Item"])

    def cancel(self, order_id: str) -> int:
        event = api_event("POST", f"/orders/{order_id}/cancel", customer_id="c-0001")
        return int(app_server(event, CONTEXT)["statusCode"])


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    aws_environment(monkeypatch)
    with local_mock_aws(), external_systems() as external:
        monkeypatch.setenv("PAYMENT_URL", external.payment.url)
        monkeypatch.setenv("SHIPMENT_URL", external.shipment.url)
        resources = create_shop_resources(monkeypatch)
        resources.products.put_item(
            Item={
                "id": "p-0001",
                "name": {"es": "Cámara", "en": "Camera"},
                "description": {"es": "Una cámara", "en": "A camera"},
                "category": "electronica",
                "price": 10000,
                "currency": "EUR",
                "stock": 5,
                "image": "/images/p-0001.svg",
            }
        )
        reset_function_caches()
        yield World(resources, external)
        reset_function_caches()


def test_capture_then_ship_each_happen_once_under_duplicate_deliveries(world: World) -> None:
    order_id = world.place_order()
    captured = [world.run("capture", order_id) for _ in range(3)]
    assert {c["status"] for c in captured} == {"PAID"}
    assert world.external.keys("capture-") == [f"capture-{order_id}"]
    shipped = [world.run("ship", order_id) for _ in range(3)]
    assert {s["status"] for s in shipped} == {"SHIPPED"}
    assert world.external.keys("ship-") == [f"ship-{order_id}"]
    stored = world.order(order_id)
    assert stored["status"] == "SHIPPED" and stored["payment"]["status"] == "captured"
    assert stored["shipment"] == {
        "id": shipped[0]["shipment"]["id"],
        "tracking_number": shipped[0]["shipment"]["tracking_number"],
    }
    # The shipment request carried the order's address and items.
    shipment = world.external.shipments[order_id]
    assert shipment["address"] == ADDRESS and shipment["items"][0]["product_id"] == "p-0001"
    assert shipment["items"][0]["quantity"] == 2
    assert world.cancel(order_id) == 409  # SHIPPED cannot be cancelled


def test_capture_skips_a_cancelled_order(world: World) -> None:
    order_id = world.place_order()
    assert world.cancel(order_id) == 200
    out = world.run("capture", order_id)
    assert out["status"] == "CANCELLED" and out["notice"]["status"] == "CANCELLED"  # the workflow mails it
    assert world.external.keys("capture-") == []


def test_cancel_of_a_paid_order_refunds(world: World) -> None:
    order_id = world.place_order()
    world.run("capture", order_id)
    assert world.cancel(order_id) == 200
    assert world.external.keys("refund-") == [f"refund-{order_id}"]
    assert world.order(order_id)["status"] == "CANCELLED" and world.aws.stock("p-0001") == 5


def test_payment_system_down_is_a_transient_error_by_name(world: World) -> None:
    order_id = world.place_order()
    world.external.down = True
    with pytest.raises(TransientError) as caught:
        world.run("capture", order_id)
    assert type(caught.value).__name__ == "TransientError"  # the workflow's Retry matches this errorType
    assert world.order(order_id)["status"] == "PENDING"


def test_capture_of_a_voided_payment_is_payment_declined(world: World) -> None:
    order_id = world.place_order()
    payment_id = world.order(order_id)["payment"]["id"]
    world.external.payments[payment_id]["status"] = "voided"  # voided behind our back
    with pytest.raises(PaymentDeclined):
        world.run("capture", order_id)


def test_compensate_refunds_restores_stock_and_marks_failed_once(world: World) -> None:
    order_id = world.place_order(quantity=2)
    assert world.aws.stock("p-0001") == 3
    world.run("capture", order_id)
    first = world.run("compensate", order_id, error="ShipmentRejected")
    second = world.run("compensate", order_id, error="ShipmentRejected")
    assert first["status"] == second["status"] == "FAILED"
    assert first["failure_code"] == "shipment_refused"
    assert world.external.keys("refund-") == [f"refund-{order_id}"]
    assert world.aws.stock("p-0001") == 5
    stored = world.order(order_id)
    assert stored["status"] == "FAILED" and stored["payment"]["status"] == "refunded"


def test_compensate_before_capture_voids(world: World) -> None:
    order_id = world.place_order()
    out = world.run("compensate", order_id, error="PaymentDeclined")
    assert out["status"] == "PAYMENT_FAILED" and world.external.keys("void-") == [f"void-{order_id}"]


def test_unknown_action_is_rejected_by_name(world: World) -> None:
    with pytest.raises(Exception, match="capture\\|ship\\|compensate") as caught:
        world.run("explode", "o-1")
    assert type(caught.value).__name__ == "InvalidInput"
