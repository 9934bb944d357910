"""The App Server's order logic against moto's tables and the Payment System mock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from app_server.dal.products import DynamoProductsRepository
from app_server.logic import errors, orders
from app_server.logic.ports import Caller
from app_server.models.catalog import Product
from app_server.models.orders import OrderLineRequest, PlaceOrderRequest
from pydantic import ValidationError
from shared.orders import Address, Order, PaymentRef

from tests.support.external import MockPayments
from tests.support.fakes import FakeQueue, product
from tests.support.tables import Tables, shop_tables

ADDRESS = Address(name="Ana", line1="Calle Mayor 1", city="Madrid", postal_code="28013", country="ES")
ANA = Caller(customer_id="c-0001", email="ana@example.com", locale="es")


class World:
    def __init__(self, tables: Tables, *, payments: MockPayments | None = None, queue: FakeQueue | None = None):
        self.tables = tables
        tables.add(product("p-0001", price=1500, stock=3), product("p-0002", price=250, stock=10))
        self.payments = payments or MockPayments()
        self.queue = queue or FakeQueue()
        ticks = count()
        self.ports = orders.OrderPorts(
            products=tables.products,
            orders=tables.reader,
            store=tables.store,
            payments=self.payments,
            queue=self.queue,
            clock=lambda: datetime(2026, 11, 28, tzinfo=UTC) + timedelta(minutes=next(ticks)),
            sleep=lambda _: None,
        )

    def place(self, key: str = "k1", caller: Caller = ANA, **quantities: int) -> str:
        lines = [OrderLineRequest(product_id=pid.replace("_", "-"), quantity=q) for pid, q in quantities.items()]
        request = PlaceOrderRequest(items=lines, address=ADDRESS, payment_token=self.payments.card_token)
        return orders.place_order(self.ports, caller=caller, idempotency_key=key, request=request).order_id

    def stock(self, pid: str) -> int:
        return self.tables.stock(pid)

    def order(self, order_id: str) -> Order:
        found = self.tables.store.get(order_id)
        assert found is not None
        return found


@pytest.fixture
def tables() -> Iterator[Tables]:
    with shop_tables() as t:
        yield t


def test_order_is_priced_from_the_catalog_written_and_queued(tables: Tables) -> None:
    world = World(tables)
    order_id = world.place(p_0001=2, p_0002=1)
    order = world.order(order_id)
    assert order.status == "PENDING" and order.total == 2 * 1500 + 250 and order.currency == "EUR"
    assert [(i.product_id, i.unit_price) for i in order.items] == [("p-0001", 1500), ("p-0002", 250)]
    assert order.items[0].name.es == "Producto p-0001" and order.items[0].name.en == "Product p-0001"
    assert (order.email, order.locale, order.number) == ("ana@example.com", "es", f"{order_id[-8:-4]}-{order_id[-4:]}")
    assert (world.stock("p-0001"), world.stock("p-0002")) == (1, 9)
    assert world.payments.operations("authorize") == [f"auth-{order_id}"]
    assert world.queue.messages == [order_id]
    # In the sweep index until it is finished and notified.
    assert world.tables.raw_order(order_id)["sweep_at"] == "2026-11-28T00:10:00Z"


def test_the_order_id_is_per_customer_and_key(tables: Tables) -> None:
    assert orders.order_id_for("c-0001", "k") == orders.order_id_for("c-0001", "k")
    assert orders.order_id_for("c-0001", "k") != orders.order_id_for("c-0002", "k")
    assert len(orders.order_id_for("c-0001", "k")) == 28
    world = World(tables)
    mine = world.place(key="same", p_0002=1)
    theirs = world.place(key="same", caller=Caller(customer_id="c-0002", email="b@example.com"), p_0002=1)
    assert mine != theirs and world.stock("p-0002") == 8


def test_a_retry_after_a_lost_answer_returns_the_same_order_once(tables: Tables) -> None:
    world = World(tables)
    first = world.place(key="k", p_0001=1)
    again = world.place(key="k", p_0001=1)  # the first answer was lost; Powertools' record expired
    assert again == first and world.stock("p-0001") == 2 and world.order(first).status == "PENDING"
    # Asked again with the same key, the Payment System gives back the same hold: one hold, none voided.
    assert world.payments.operations("authorize") == [f"auth-{first}", f"auth-{first}"]
    assert len(world.payments.payments) == 1 and world.payments.operations("void") == []
    assert world.queue.messages == [first, first]  # re-sent in case the first attempt died before sending


def test_a_first_request_reads_no_order_before_writing_it(tables: Tables) -> None:
    world = World(tables)
    reads: list[str] = []
    read = world.tables.store.get

    def counted(order_id: str) -> Order | None:
        reads.append(order_id)
        return read(order_id)

    world.tables.store.get = counted  # type: ignore[method-assign]
    world.place(key="k", p_0001=1)
    assert reads == []  # the conditional write is what tells a retry apart


@pytest.mark.parametrize("changed", ["stock taken", "payment system down"])
def test_a_retry_refused_before_the_write_still_finds_its_order(tables: Tables, changed: str) -> None:
    world = World(tables)
    first = world.place(key="k", p_0001=3)  # the last units
    if changed == "stock taken":
        assert world.stock("p-0001") == 0  # a retry's early stock check would refuse it
    else:
        world.payments.down = True
    again = world.place(key="k", p_0001=3)
    assert again == first and world.stock("p-0001") == 0 and world.order(first).status == "PENDING"
    assert world.payments.operations("void") == [] and world.queue.messages == [first, first]


def test_the_same_key_for_another_order_is_refused(tables: Tables) -> None:
    world = World(tables)
    world.place(key="k", p_0001=1)
    with pytest.raises(errors.IdempotencyKeyReused):
        world.place(key="k", p_0002=3)


def test_declined_payment_writes_nothing(tables: Tables) -> None:
    world = World(tables, payments=MockPayments(decline=True))
    with pytest.raises(errors.PaymentRefused):
        world.place(p_0001=1)
    assert world.queue.messages == [] and world.stock("p-0001") == 3


def test_payment_system_down_writes_nothing(tables: Tables) -> None:
    world = World(tables, payments=MockPayments(down=True))
    with pytest.raises(errors.PaymentUnavailable, match="retry"):
        world.place(p_0001=1)
    assert world.stock("p-0001") == 3 and world.tables.store.get(orders.order_id_for("c-0001", "k1")) is None


def test_stock_lost_between_read_and_write_voids_the_authorization(tables: Tables) -> None:
    world = World(tables)

    class StaleReads(DynamoProductsRepository):
        def get_products(self, product_ids: list[str]) -> dict[str, Product]:
            found = super().get_products(product_ids)
            tables.products_table.update_item(  # another order took the stock meanwhile
                Key={"id": "p-0001"}, UpdateExpression="SET stock = :z", ExpressionAttributeValues={":z": 0}
            )
            return found

    world.ports.products = StaleReads(tables.products_table)
    with pytest.raises(errors.OutOfStock) as caught:
        world.place(p_0001=1)
    order_id = orders.order_id_for("c-0001", "k1")
    assert caught.value.product_id == "p-0001"
    (hold,) = world.payments.payments  # the hold is voided under its own key: a retry may need a new one
    assert world.payments.operations("void") == [f"void-{hold}"]
    assert world.queue.messages == [] and world.tables.store.get(order_id) is None


def test_not_enough_stock_is_409_before_any_authorization(tables: Tables) -> None:
    world = World(tables)
    with pytest.raises(errors.OutOfStock, match="p-0001 has 3 in stock, 4 requested"):
        world.place(p_0001=4)
    assert world.payments.calls == []


def test_unknown_product_is_400_naming_the_line(tables: Tables) -> None:
    world = World(tables)
    with pytest.raises(errors.InvalidInput) as caught:
        world.place(p_0001=1, p_0404=1)
    assert caught.value.field == "items.1.product_id" and "p-0404" in caught.value.message


def test_queue_failure_retries_and_never_fails_a_written_order(tables: Tables) -> None:
    world = World(tables, queue=FakeQueue(failures=2))
    order_id = world.place(p_0001=1)
    assert world.queue.messages == [order_id]
    world2 = World(tables, queue=FakeQueue(failures=10))
    order_id2 = world2.place(key="k2", p_0002=1)  # still accepted: PENDING, and the sweeper re-sends it
    assert world2.order(order_id2).status == "PENDING" and world2.queue.messages == []
    assert "sweep_at" in world2.tables.raw_order(order_id2)


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


def test_another_customers_order_is_not_found(tables: Tables) -> None:
    world = World(tables)
    order_id = world.place(p_0001=1)
    with pytest.raises(errors.NotFound, match=order_id):
        orders.get_order(world.ports, customer_id="c-0002", order_id=order_id)
    with pytest.raises(errors.NotFound):
        orders.cancel_order(world.ports, customer_id="c-0002", order_id=order_id)


def test_list_orders_newest_first_in_pages(tables: Tables) -> None:
    world = World(tables)
    ids = [world.place(key=f"k{i}", p_0002=1) for i in range(5)]
    world.place(key="other", caller=Caller(customer_id="c-0002", email="b@example.com"), p_0002=1)
    first = orders.list_orders(world.ports, customer_id="c-0001", limit=3, next_token=None)
    assert [o.id for o in first.items] == ids[::-1][:3] and first.next_token
    second = orders.list_orders(world.ports, customer_id="c-0001", limit=3, next_token=first.next_token)
    assert [o.id for o in second.items] == ids[::-1][3:] and second.next_token is None
    with pytest.raises(errors.InvalidInput):  # another customer's page token
        orders.list_orders(world.ports, customer_id="c-0002", limit=3, next_token=first.next_token)


def test_cancel_pending_voids_restores_stock_and_asks_for_the_notice(tables: Tables) -> None:
    world = World(tables)
    order_id = world.place(p_0001=2)
    cancelled = orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)
    assert cancelled.status == "CANCELLED" and cancelled.payment and cancelled.payment.status == "voided"
    assert world.payments.operations("void") == [f"void-{order_id}"] and world.stock("p-0001") == 3
    assert world.queue.messages == [order_id, order_id]  # the workflow mails the cancellation from it


def test_cancel_paid_refunds(tables: Tables) -> None:
    world = World(tables)
    order_id = world.place(p_0001=1)
    order = world.order(order_id)
    assert order.payment
    world.payments.operate(order.payment.id, "capture", idempotency_key=f"capture-{order_id}")
    world.tables.store.move(
        order, "PAID", datetime.now(UTC), payment=PaymentRef(id=order.payment.id, status="captured")
    )
    cancelled = orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)
    assert cancelled.status == "CANCELLED" and world.payments.operations("refund") == [f"refund-{order_id}"]
    assert world.stock("p-0001") == 3


@pytest.mark.parametrize("status", ["SHIPPING", "SHIPPED"])
def test_cancel_once_the_shipment_is_requested_is_too_late(tables: Tables, status: str) -> None:
    world = World(tables)
    order_id = world.place(p_0001=1)
    world.tables.force_status(order_id, status)
    with pytest.raises(errors.TooLateToCancel, match="already being shipped"):
        orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)
    assert world.payments.operations("void") == world.payments.operations("refund") == []


@pytest.mark.parametrize("status", ["CANCELLED", "FAILED", "FAILING"])
def test_cancel_of_an_order_that_is_over_is_a_conflict(tables: Tables, status: str) -> None:
    world = World(tables)
    order_id = world.place(p_0001=1)
    world.tables.force_status(order_id, status)
    with pytest.raises(errors.NotCancellable, match=f"order {order_id}"):
        orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)


def test_a_cancel_whose_refund_is_unavailable_stays_claimed_and_is_finished_later(tables: Tables) -> None:
    world = World(tables)
    order_id = world.place(p_0001=1)
    world.payments.down = True
    with pytest.raises(errors.PaymentUnavailable, match="refund follows"):
        orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id)
    assert world.order(order_id).status == "CANCELLING" and world.stock("p-0001") == 2
    world.payments.down = False  # the customer retries (or the workflow finishes it from the message)
    assert orders.cancel_order(world.ports, customer_id="c-0001", order_id=order_id).status == "CANCELLED"
    assert world.stock("p-0001") == 3
