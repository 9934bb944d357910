from __future__ import annotations

import fulfilment.logic as logic
import pytest
from fn_fakes import FakeFulfilmentStore, FakePayments, FakeProducts, FakeShipments, product
from fulfilment.ports import OrderNotFound
from shared.errors import PaymentDeclined, TransientError
from shared.orders import Address, Order, OrderItem, PaymentRef

ADDRESS = Address(name="Ana", line1="Calle Mayor 1", city="Madrid", postal_code="28013", country="ES")


class World:
    def __init__(self, status: str = "PENDING") -> None:
        self.products = FakeProducts(product("p-0001", stock=2))
        self.payments = FakePayments()
        payment = self.payments.authorize(token="t", amount=3000, currency="EUR", order_id="o-1", idempotency_key="a")
        order = Order.model_validate(
            {
                "id": "o-1",
                "customer_id": "c-0001",
                "created_at": "2026-11-28T07:00:00Z",
                "updated_at": "2026-11-28T07:00:00Z",
                "status": status,
                "items": [OrderItem(product_id="p-0001", name="P", unit_price=1500, quantity=2)],
                "total": 3000,
                "currency": "EUR",
                "address": ADDRESS,
                "payment": PaymentRef(id=payment.id, status="authorized"),
            }
        )
        self.store = FakeFulfilmentStore(self.products, order)
        self.shipments = FakeShipments()
        self.ports = logic.FulfilmentPorts(
            store=self.store, payments=self.payments, shipments=self.shipments, clock=lambda: "2026-11-28T08:00:00Z"
        )


def test_capture_twice_captures_once() -> None:
    world = World()
    first = logic.capture(world.ports, "o-1")
    second = logic.capture(world.ports, "o-1")
    assert first["status"] == second["status"] == "PAID"
    assert first["payment"]["status"] == "captured"
    assert world.payments.operations("capture") == ["capture-o-1"]


def test_capture_of_a_cancelled_order_is_skipped_without_a_call() -> None:
    world = World(status="CANCELLED")
    assert logic.capture(world.ports, "o-1") == {"skipped": "CANCELLED"}
    assert world.payments.operations("capture") == []


def test_capture_of_a_voided_payment_is_a_business_refusal() -> None:
    world = World()
    world.payments.operate(world.store.items["o-1"].payment.id, "void", idempotency_key="x")  # type: ignore[union-attr]
    with pytest.raises(PaymentDeclined):
        logic.capture(world.ports, "o-1")


def test_capture_when_payment_system_down_is_transient() -> None:
    world = World()
    world.payments.down = True
    with pytest.raises(TransientError):
        logic.capture(world.ports, "o-1")
    assert world.store.items["o-1"].status == "PENDING"


def test_ship_twice_ships_once_with_the_address_and_items() -> None:
    world = World()
    logic.capture(world.ports, "o-1")
    first = logic.ship(world.ports, "o-1")
    second = logic.ship(world.ports, "o-1")
    assert first["status"] == second["status"] == "SHIPPED"
    assert first["shipment"] == {"id": "shp_o-1", "tracking_number": "TRK-o-1"}
    assert world.shipments.calls == ["ship-o-1"]


def test_ship_before_capture_is_refused() -> None:
    world = World()
    with pytest.raises(Exception, match="only PAID orders") as caught:
        logic.ship(world.ports, "o-1")
    assert type(caught.value).__name__ == "ShipmentRejected"


def test_compensate_after_capture_refunds_returns_stock_and_fails_the_order() -> None:
    world = World()
    logic.capture(world.ports, "o-1")
    out = logic.compensate(world.ports, "o-1", error="TransientError", reason="Shipment System down")
    again = logic.compensate(world.ports, "o-1", error="TransientError", reason="Shipment System down")
    assert out["status"] == "FAILED" and out["failure_reason"] == "Shipment System down"
    assert out["payment"]["status"] == "refunded" and again["status"] == "FAILED"
    assert world.payments.operations("refund") == ["refund-o-1"]
    assert world.products.items["p-0001"].stock == 4  # 2 + the order's 2, once


def test_compensate_of_an_authorized_payment_voids_and_marks_payment_failed() -> None:
    world = World()
    out = logic.compensate(world.ports, "o-1", error="PaymentDeclined")
    assert out["status"] == "PAYMENT_FAILED" and out["payment"]["status"] == "voided"
    assert world.payments.operations("void") == ["void-o-1"]


def test_missing_order() -> None:
    world = World()
    with pytest.raises(OrderNotFound):
        logic.capture(world.ports, "o-404")
    assert logic.compensate(world.ports, "o-404") == {"skipped": "NOT_FOUND"}
