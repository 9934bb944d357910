from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from fn_fakes import FakeOrders, FakePayments, FakeProducts, FakeQueue, product
from pydantic import ValidationError
from shared.orders import Address
from shop_api.logic import orders
from shop_api.logic.errors import (
    InvalidInput,
    NotFound,
    OutOfStock,
    PaymentRefused,
    PaymentUnavailable,
    StateConflict,
)
from shop_api.models.orders import OrderLineRequest, PlaceOrderRequest

ADDRESS = Address(name="Ana", line1="Calle Mayor 1", city="Madrid", postal_code="28013", country="ES")


class World:
    def __init__(self, *, payments: FakePayments | None = None, queue: FakeQueue | None = None) -> None:
        self.products = FakeProducts(product("p-0001", price=1500, stock=3), product("p-0002", price=250, stock=10))
        self.orders = FakeOrders(self.products)
        self.payments = payments or FakePayments()
        self.queue = queue or FakeQueue()
        ids = count(1)
        ticks = count()
        self.ports = orders.OrderPorts(
            products=self.products,
            orders=self.orders,
            payments=self.payments,
            queue=self.queue,
            clock=lambda: datetime(2026, 11, 28, tzinfo=UTC) + timedelta(minutes=next(ticks)),
            new_id=lambda: f"o-{next(ids):04d}",
            sleep=lambda _: None,
        )

    def place(self, key: str = "k1", customer: str = "c-0001", **quantities: int) -> str:
        lines = [OrderLineRequest(product_id=pid.replace("_", "-"), quantity=q) for pid, q in quantities.items()]
        request = PlaceOrderRequest(items=lines, address=ADDRESS, payment_token="tok_ok")
        return orders.place_order(self.ports, customer_id=customer, idempotency_key=key, request=request).order_id

    def stock(self, pid: str) -> int:
        return self.products.items[pid].stock


def test_order_is_priced_from_the_catalog_written_and_queued() -> None:
    world = World()
    order_id = world.place(p_0001=2, p_0002=1)
    order = world.orders.items[order_id]
    assert order.status == "PENDING" and order.total == 2 * 1500 + 250 and order.currency == "EUR"
    assert [(i.product_id, i.unit_price) for i in order.items] == [("p-0001", 1500), ("p-0002", 250)]
    assert (world.stock("p-0001"), world.stock("p-0002")) == (1, 9)
    assert world.payments.operations("authorize") == ["auth-k1"]
    assert world.queue.messages == [
        {"order_id": order_id, "customer_id": "c-0001", "payment_id": "pay_1", "total": 3250, "currency": "EUR"}
    ]


def test_declined_payment_writes_nothing() -> None:
    world = World(payments=FakePayments(decline=True))
    with pytest.raises(PaymentRefused):
        world.place(p_0001=1)
    assert world.orders.items == {} and world.queue.messages == [] and world.stock("p-0001") == 3


def test_payment_system_down_writes_nothing() -> None:
    world = World(payments=FakePayments(down=True))
    with pytest.raises(PaymentUnavailable, match="retry"):
        world.place(p_0001=1)
    assert world.orders.items == {} and world.stock("p-0001") == 3


def test_stock_lost_between_read_and_write_voids_the_authorization() -> None:
    world = World()

    def lose_stock(order: object) -> None:
        raise OutOfStock("p-0001")

    world.orders.create_order = lose_stock  # type: ignore[method-assign]
    with pytest.raises(OutOfStock) as caught:
        world.place(p_0001=1)
    assert caught.value.product_id == "p-0001"
    assert world.payments.operations("void") == ["void-o-0001"]
    assert world.queue.messages == []


def test_not_enough_stock_is_409_before_any_authorization() -> None:
    world = World()
    with pytest.raises(OutOfStock, match="p-0001 has 3 in stock, 4 requested"):
        world.place(p_0001=4)
    assert world.payments.calls == []


def test_unknown_product_is_400_naming_the_line() -> None:
    world = World()
    with pytest.raises(InvalidInput) as caught:
        world.place(p_0001=1, p_0404=1)
    assert caught.value.field == "items.1.product_id" and "p-0404" in caught.value.message


def test_queue_failure_retries_and_never_fails_a_written_order() -> None:
    world = World(queue=FakeQueue(failures=2))
    order_id = world.place(p_0001=1)
    assert [m["order_id"] for m in world.queue.messages] == [order_id]
    world2 = World(queue=FakeQueue(failures=10))
    order_id2 = world2.place(p_0001=1)  # still accepted: the order is PENDING and the log says how to re-send
    assert world2.orders.items[order_id2].status == "PENDING" and world2.queue.messages == []


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"product_id": "p-0001", "quantity": 0}],
        [{"product_id": "p-0001", "quantity": 21}],
        [{"product_id": "p-0001", "quantity": 1}, {"product_id": "p-0001", "quantity": 2}],
        [{"product_id": f"p-{i:04d}", "quantity": 1} for i in range(21)],
    ],
)
def test_order_request_limits(lines: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        PlaceOrderRequest.model_validate({"items": lines, "address": ADDRESS.model_dump(), "payment_token": "t"})


def test_another_customers_order_is_not_found() -> None:
    world = World()
    order_id = world.place(p_0001=1)
    with pytest.raises(NotFound, match=order_id):
        orders.get_order(world.ports, customer_id="c-0002", order_id=order_id)
    with pytest.raises(NotFound):
        orders.cancel_order(world.ports, customer_id="c-0002", order_id=order_id)


def test_list_orders_newest_first_in_pages() -> None:
    world = World()
    ids = [world.place(key=f"k{i}", p_0002=1) for i in range(5)]
    world.place(key="other", customer="c-0002", p_0002=1)
    first = orders.list_orders(world.ports, customer_id="c-0001", limit=3, next_token=None)
    assert [o.id for o in first.items] == ids[::-1][:3] and first.next_token
    second = orders.list_orders(world.ports, customer_id="c-0001", limit=3, next_token=first.next_token)
    assert [o.id for o in second.items] == ids[::-1][3:] and second.next_token is None
    with pytest.raises(InvalidInput):  # another customer's page token
        orders.list_orders(world.ports, customer_id="c-0002", limit=3, next_token=first.next_token)


def test_cancel_pending_voids_and_restores_stock() -> None:
    world = World()
    order_id = world.place(p_0001=2)
    cancelled = orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)
    assert cancelled.status == "CANCELLED" and cancelled.payment and cancelled.payment.status == "voided"
    assert world.payments.operations("void") == [f"void-{order_id}"] and world.stock("p-0001") == 3


def test_cancel_paid_refunds() -> None:
    world = World()
    order_id = world.place(p_0001=1)
    order = world.orders.items[order_id]
    assert order.payment
    world.payments.operate(order.payment.id, "capture", idempotency_key=f"capture-{order_id}")
    world.orders.items[order_id] = order.model_copy(update={"status": "PAID"})
    cancelled = orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)
    assert cancelled.status == "CANCELLED" and world.payments.operations("refund") == [f"refund-{order_id}"]
    assert world.stock("p-0001") == 3


@pytest.mark.parametrize("status", ["SHIPPED", "CANCELLED", "FAILED"])
def test_cancel_in_a_later_status_is_a_conflict(status: str) -> None:
    world = World()
    order_id = world.place(p_0001=1)
    world.orders.items[order_id] = world.orders.items[order_id].model_copy(update={"status": status})
    with pytest.raises(StateConflict, match=f"order {order_id} cannot be cancelled in status {status}"):
        orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)


def test_order_ids_are_ulid_like_and_sortable() -> None:
    a = orders.new_order_id(datetime(2026, 1, 1, tzinfo=UTC))
    b = orders.new_order_id(datetime(2026, 1, 2, tzinfo=UTC))
    assert len(a) == 28 and a.startswith("o-") and a < b
