"""Process Order's steps against moto's tables and the Payment/Shipment mocks: each safe to run twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import process_order.logic as logic
import pytest
from process_order.notices import render_notice
from shared.errors import InvalidMessage, PaymentDeclined, ShipmentRejected, TransientError
from shared.orders import Address, LocalizedText, Order, OrderItem, PaymentRef, order_number

from tests.support.external import UNDELIVERABLE_POSTAL_CODE, MockPayments, MockShipments
from tests.support.fakes import FakeQueue, product
from tests.support.tables import Tables, shop_tables

ADDRESS = Address(name="Ana", line1="Calle Mayor 1", city="Madrid", postal_code="28013", country="ES")
NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


class World:
    def __init__(self, tables: Tables, *, locale: str = "es", address: Address = ADDRESS) -> None:
        self.tables = tables
        tables.add(product("p-0001", stock=2))
        self.payments = MockPayments()
        payment = self.payments.authorize(
            token=self.payments.card_token, amount=3000, currency="EUR", order_id="o-1", idempotency_key="a"
        )
        self.order = Order.model_validate(
            {
                "id": "o-0000000000000000000000ABCD",
                "number": order_number("o-0000000000000000000000ABCD"),
                "customer_id": "c-0001",
                "email": "ana@example.com",
                "locale": locale,
                "created_at": "2026-11-28T07:00:00Z",
                "updated_at": "2026-11-28T07:00:00Z",
                "status": "PENDING",
                "items": [
                    OrderItem(
                        product_id="p-0001", name=LocalizedText(es="Lámpara", en="Lamp"), unit_price=1500, quantity=2
                    )
                ],
                "total": 3000,
                "currency": "EUR",
                "address": address,
                "payment": PaymentRef(id=payment.id, status="authorized"),
            }
        )
        tables.store.create(self.order, NOW)  # reserves the 2 units (stock 0); sweep_at is NOW + 10 min
        self.id = self.order.id
        self.shipments = MockShipments()
        self.queue = FakeQueue()
        self.clock = NOW
        self.ports = logic.ProcessOrderPorts(
            store=tables.store,
            payments=self.payments,
            shipments=self.shipments,
            queue=self.queue,
            clock=lambda: self.clock,
        )

    def status(self) -> str:
        order = self.tables.store.get(self.id)
        assert order is not None
        return order.status


@pytest.fixture
def world() -> Iterator[World]:
    with shop_tables() as tables:
        yield World(tables)


def message(order_id: str) -> str:
    return json.dumps({"order_id": order_id})


def test_capture_twice_captures_once_and_asks_for_the_accepted_notice(world: World) -> None:
    first = logic.capture(world.ports, world.id)
    second = logic.capture(world.ports, world.id)
    assert first["status"] == second["status"] == "PAID"
    assert first["payment"]["status"] == "captured"
    assert world.payments.operations("capture") == [f"capture-{world.id}"]
    assert first["notice"]["subject"] == f"Pedido {world.order.number} confirmado"


def test_capture_of_a_cancelled_order_makes_no_call(world: World) -> None:
    world.tables.force_status(world.id, "CANCELLED")
    out = logic.capture(world.ports, world.id)
    assert out["status"] == "CANCELLED" and out["notice"]["status"] == "CANCELLED"
    assert world.payments.operations("capture") == []


def test_capture_of_a_voided_payment_claims_failing_and_is_a_business_refusal(world: World) -> None:
    assert world.order.payment is not None
    world.payments.operate(world.order.payment.id, "void", idempotency_key="x")
    with pytest.raises(PaymentDeclined):
        logic.capture(world.ports, world.id)
    assert world.status() == "FAILING"
    out = logic.compensate(world.ports, world.id, error="PaymentDeclined")
    assert out["status"] == "PAYMENT_FAILED" and out["failure_code"] == "payment_declined"
    assert world.tables.stock("p-0001") == 2


def test_capture_when_payment_system_down_is_transient_and_changes_nothing(world: World) -> None:
    world.payments.down = True
    with pytest.raises(TransientError):
        logic.capture(world.ports, world.id)
    assert world.status() == "PENDING"


def test_ship_claims_shipping_first_and_ships_once(world: World) -> None:
    logic.capture(world.ports, world.id)
    first = logic.ship(world.ports, world.id)
    second = logic.ship(world.ports, world.id)
    assert first["status"] == second["status"] == "SHIPPED"
    (shipment,) = world.shipments.mock.app.shipments.values()  # the Shipment System's one shipment
    assert first["shipment"]["tracking_number"] == shipment["tracking_number"] and shipment["order_id"] == world.id
    assert world.shipments.calls == [f"ship-{world.id}"]
    assert first["notice"]["subject"] == f"Pedido {world.order.number} enviado"


def test_a_shipment_interrupted_after_the_claim_is_resumed_with_the_same_key(world: World) -> None:
    logic.capture(world.ports, world.id)
    world.tables.force_status(world.id, "SHIPPING")  # the worker died after the claim
    assert logic.ship(world.ports, world.id)["status"] == "SHIPPED"
    assert world.shipments.calls == [f"ship-{world.id}"]


def test_a_shipment_system_outage_gives_the_claim_back_when_nothing_was_created(world: World) -> None:
    logic.capture(world.ports, world.id)
    world.shipments.down = True
    with pytest.raises(TransientError):
        logic.ship(world.ports, world.id)
    assert world.status() == "PAID"  # the customer may still cancel


def test_a_refused_shipment_claims_failing_with_the_reason_then_compensation_refunds() -> None:
    undeliverable = ADDRESS.model_copy(update={"postal_code": UNDELIVERABLE_POSTAL_CODE})
    with shop_tables() as tables:
        world = World(tables, address=undeliverable)
        logic.capture(world.ports, world.id)
        with pytest.raises(ShipmentRejected):
            logic.ship(world.ports, world.id)
        assert world.status() == "FAILING"
        out = logic.compensate(world.ports, world.id, error="ShipmentRejected")
        again = logic.compensate(world.ports, world.id, error="ShipmentRejected")
        assert (out["status"], out["failure_code"], out["payment"]["status"]) == (
            "FAILED",
            "address_undeliverable",
            "refunded",
        )
        assert again["status"] == "FAILED"
        assert world.payments.operations("refund") == [f"refund-{world.id}"]
        assert world.tables.stock("p-0001") == 2  # the order's 2 units back, once
        text = out["notice"]["text"]
        assert "no entrega en la dirección" in text and "HTTP" not in text and "Shipment System" not in text


def test_compensate_never_touches_an_order_whose_shipment_may_exist(world: World) -> None:
    logic.capture(world.ports, world.id)
    world.tables.force_status(world.id, "SHIPPING")
    out = logic.compensate(world.ports, world.id, error="States.Timeout")
    assert out["status"] == "SHIPPING" and world.payments.operations("refund") == []


def test_a_cancel_claimed_but_not_settled_is_finished_by_any_step(world: World) -> None:
    world.tables.force_status(world.id, "CANCELLING")  # the App Server died after its claim
    out = logic.capture(world.ports, world.id)
    assert out["status"] == "CANCELLED" and out["payment"]["status"] == "voided"
    assert world.tables.stock("p-0001") == 2 and world.payments.operations("capture") == []


@pytest.mark.parametrize("body", ["not json", "[1]", "{}", '{"order_id": 7}'])
def test_a_message_that_is_not_an_order_message_is_invalid(body: str) -> None:
    with pytest.raises(InvalidMessage):
        logic.order_id_of(body)


def test_a_message_for_an_order_that_does_not_exist_is_invalid(world: World) -> None:
    with pytest.raises(InvalidMessage):
        logic.capture(world.ports, "o-404")
    assert logic.compensate(world.ports, "o-404") == {"id": "o-404", "skipped": "NOT_FOUND"}


def test_the_sweeper_resends_a_stranded_order_then_forgets_a_finished_one(world: World) -> None:
    world.clock = NOW + timedelta(minutes=5)  # sweep_at (created + 10 min) not reached
    assert logic.sweep(world.ports) == {"resent": 0, "finished": 0, "stranded": 0}
    world.clock = NOW + timedelta(minutes=11)
    assert logic.sweep(world.ports) == {"resent": 1, "finished": 0, "stranded": 0}
    assert world.queue.messages == [world.id]
    assert logic.sweep(world.ports)["resent"] == 0  # postponed: not again at once
    logic.capture(world.ports, world.id)
    logic.ship(world.ports, world.id)
    world.tables.orders_table.update_item(  # the workflow's RecordNotice
        Key={"id": world.id}, UpdateExpression="SET notified_status = :s", ExpressionAttributeValues={":s": "SHIPPED"}
    )
    world.clock = NOW + timedelta(hours=2)
    assert logic.sweep(world.ports) == {"resent": 0, "finished": 1, "stranded": 0}
    assert "sweep_at" not in world.tables.raw_order(world.id)


def test_an_order_that_never_finishes_is_counted_as_stranded(world: World) -> None:
    for hours in (1, 2, 4, 8, 16):
        world.clock = NOW + timedelta(hours=hours)
        logic.sweep(world.ports)
    assert len(world.queue.messages) == logic.MAX_SWEEPS
    world.clock = NOW + timedelta(days=2)
    assert logic.sweep(world.ports)["stranded"] == 1


def test_notices_speak_the_customers_language_and_show_the_order() -> None:
    with shop_tables() as tables:
        order = World(tables, locale="en").order.model_copy(
            update={"status": "FAILED", "failure_code": "payment_declined"}
        )
    notice = render_notice(order)
    assert notice["subject"] == f"Order {order.number} not completed"
    assert "the bank did not authorize the payment" in notice["text"]
    assert "2 x Lamp: €30.00" in notice["text"] and order.id in notice["text"]
    assert (notice["recipient"], notice["locale"], notice["status"]) == ("ana@example.com", "en", "FAILED")
