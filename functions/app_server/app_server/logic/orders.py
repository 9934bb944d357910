"""Placing, reading and cancelling orders."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aws_lambda_powertools import Logger
from shared.errors import PaymentDeclined, TransientError
from shared.orders import (
    CANCELLABLE,
    InsufficientStock,
    LocalizedText,
    Order,
    OrderExists,
    OrderItem,
    OrderStore,
    PaymentRef,
    StatusMoved,
    iso,
    order_number,
)
from shared.payments import PaymentGateway
from shared.settle import SETTLING, settle

from app_server.logic.errors import (
    AppError,
    IdempotencyKeyReused,
    InvalidInput,
    NotCancellable,
    NotFound,
    OutOfStock,
    PaymentRefused,
    PaymentUnavailable,
    StateConflict,
    TooLateToCancel,
)
from app_server.logic.paging import decode_token, encode_token
from app_server.logic.ports import Caller, OrderQueue, OrdersReader, ProductsRepository
from app_server.models.orders import OrderAccepted, OrderPage, PlaceOrderRequest

logger = Logger(child=True)

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SEND_ATTEMPTS = 3


def order_id_for(customer_id: str, idempotency_key: str) -> str:
    """`o-` + 26 Crockford base32 characters of a hash of the customer and their Idempotency-Key.

    Deterministic on purpose: a retry of a request that timed out (or whose answer was lost) names the same
    order, so it authorizes the same payment (same Idempotency-Key and body at the Payment System) and finds the
    order if it was written: one order and one card hold per customer and key, whatever happened in between.
    """
    digest = int.from_bytes(hashlib.sha256(f"{customer_id}\0{idempotency_key}".encode()).digest()[:17], "big")
    return "o-" + "".join(_CROCKFORD[(digest >> shift) & 31] for shift in range(125, -1, -5))


@dataclass
class OrderPorts:
    products: ProductsRepository
    orders: OrdersReader
    store: OrderStore
    payments: PaymentGateway
    queue: OrderQueue
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Callable[[float], None] = time.sleep


def place_order(
    ports: OrderPorts, *, caller: Caller, idempotency_key: str, request: PlaceOrderRequest
) -> OrderAccepted:
    """A retry of a request that got through (its answer lost, Powertools' record gone) is not looked up first:
    it asks the Payment System again with the same key (the same hold comes back) and its write finds the order
    (OrderExists), so a first request pays no read for it. A retry refused before the write (the stock or the
    Payment System changed since) looks for its order before answering the refusal."""
    order_id = order_id_for(caller.customer_id, idempotency_key)
    try:
        order, now = _new_order(ports, order_id, caller, request)
    except AppError:
        existing = ports.store.get(order_id)
        if existing is None:
            raise
        return _accepted_again(ports, existing, caller, request)
    try:
        ports.store.create(order, now)
    except OrderExists:
        stored = ports.store.get(order_id)
        assert stored is not None  # orders are never deleted
        if stored.payment is not None and order.payment is not None and stored.payment.id != order.payment.id:
            _release_authorization(ports, order)  # a new hold for an order that already has its own
        return _accepted_again(ports, stored, caller, request)
    except InsufficientStock as error:
        _release_authorization(ports, order)
        raise OutOfStock(error.product_id) from error
    except Exception:
        # Nothing was written (the transaction is all or nothing): release the hold on the customer's card.
        _release_authorization(ports, order)
        raise
    _enqueue(ports, order.id)
    return OrderAccepted(order_id=order.id, number=order.number, status=order.status)


def _new_order(ports: OrderPorts, order_id: str, caller: Caller, request: PlaceOrderRequest) -> tuple[Order, datetime]:
    """The order priced from the catalog and its amount authorized at the Payment System (not written yet)."""
    products = ports.products.get_products([line.product_id for line in request.items])
    items: list[OrderItem] = []
    for index, line in enumerate(request.items):
        product = products.get(line.product_id)
        if product is None:
            raise InvalidInput(f"product {line.product_id} does not exist", field=f"items.{index}.product_id")
        if product.stock < line.quantity:
            # Cheap early answer; the transaction (OrderStore.create) is what really guarantees stock.
            raise OutOfStock(
                product.id, f"product {product.id} has {product.stock} in stock, {line.quantity} requested"
            )
        name = LocalizedText(es=product.name.es, en=product.name.en)
        items.append(OrderItem(product_id=product.id, name=name, unit_price=product.price, quantity=line.quantity))
    currencies = {products[item.product_id].currency for item in items}
    if len(currencies) != 1:
        raise InvalidInput(f"items must share one currency, got {sorted(currencies)}", field="items")
    currency = currencies.pop()
    total = sum(item.unit_price * item.quantity for item in items)

    try:
        payment = ports.payments.authorize(
            token=request.payment_token,
            amount=total,
            currency=currency,
            order_id=order_id,
            idempotency_key=f"auth-{order_id}",  # the order id is per customer and key: so is the hold
        )
    except PaymentDeclined as error:
        raise PaymentRefused(str(error), field="payment_token") from error
    except TransientError as error:
        logger.warning("payment authorization unavailable", extra={"order_id": order_id, "error": str(error)})
        raise PaymentUnavailable(
            "the Payment System is unavailable; retry later with the same Idempotency-Key (nothing is charged twice)"
        ) from error

    now = ports.clock()
    order = Order(
        id=order_id,
        number=order_number(order_id),
        customer_id=caller.customer_id,
        email=caller.email,
        locale=caller.locale,
        created_at=iso(now),
        updated_at=iso(now),
        status="PENDING",
        items=items,
        total=total,
        currency=currency,
        address=request.address,
        payment=PaymentRef(id=payment.id, status=payment.status),
    )
    return order, now


def _accepted_again(ports: OrderPorts, order: Order, caller: Caller, request: PlaceOrderRequest) -> OrderAccepted:
    """A retry of a request that got through (its answer was lost): the same answer, if it is the same order."""
    asked = [(line.product_id, line.quantity) for line in request.items]
    if order.customer_id != caller.customer_id or asked != [(i.product_id, i.quantity) for i in order.items]:
        raise IdempotencyKeyReused()
    if order.status == "PENDING":
        _enqueue(ports, order.id)  # in case the first attempt died before sending: processing is idempotent
    return OrderAccepted(order_id=order.id, number=order.number, status="PENDING")


def _release_authorization(ports: OrderPorts, order: Order) -> None:
    assert order.payment is not None
    try:
        ports.payments.operate(order.payment.id, "void", idempotency_key=f"void-{order.payment.id}")
    except Exception as error:
        # The authorization expires on its own at the Payment System; log so support can void it sooner.
        logger.error(
            "could not void the authorization of an order that was not written",
            extra={"order_id": order.id, "payment_id": order.payment.id, "error": str(error)},
        )


def _enqueue(ports: OrderPorts, order_id: str) -> None:
    """The order is already written: never fail the request because the queue hiccups.

    If every attempt fails, the sweeper re-sends the message once the order's `sweep_at` passes (shared/orders.py):
    an accepted order is never stranded.
    """
    delay = 0.1
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            ports.queue.send(order_id)
            return
        except Exception as error:
            if attempt == SEND_ATTEMPTS:
                logger.error(
                    "order written but not queued; the sweeper re-sends it",
                    extra={"order_id": order_id, "error": str(error)},
                )
                return
            ports.sleep(delay)
            delay *= 2


def get_order(ports: OrderPorts, *, customer_id: str, order_id: str) -> Order:
    order = ports.store.get(order_id)
    if order is None or order.customer_id != customer_id:
        # Another customer's order is indistinguishable from a missing one.
        raise NotFound(f"order {order_id} not found")
    return order


def list_orders(ports: OrderPorts, *, customer_id: str, limit: int, next_token: str | None) -> OrderPage:
    start = decode_token(next_token) if next_token else None
    if start is not None and start.get("customer_id") != customer_id:
        raise InvalidInput("next_token is not a token from a previous page", field="next_token")
    orders, last = ports.orders.list_orders(customer_id, limit=limit, start=start)
    return OrderPage(items=orders, next_token=encode_token(last) if last else None)


CANCEL_ATTEMPTS = 3


def cancel_order(ports: OrderPorts, *, customer_id: str, order_id: str) -> Order:
    """Claim CANCELLING (only from PENDING or PAID), then void or refund and set CANCELLED with the stock back.

    The claim comes first: once the order is SHIPPING the shipment may exist, so a cancel is too late (409).
    """
    for _ in range(CANCEL_ATTEMPTS):
        order = get_order(ports, customer_id=customer_id, order_id=order_id)
        if order.status not in CANCELLABLE | SETTLING:
            if order.status in ("SHIPPING", "SHIPPED"):
                raise TooLateToCancel(f"order {order_id} is already being shipped; it can no longer be cancelled")
            raise NotCancellable(f"order {order_id} cannot be cancelled in status {order.status}")
        if order.status == "FAILING":
            raise NotCancellable(f"order {order_id} is failing and is being refunded already")
        if order.status in CANCELLABLE:
            try:
                order = ports.store.move(order, "CANCELLING", ports.clock())
            except StatusMoved:
                continue
        try:
            cancelled = settle(ports.store, ports.payments, order, ports.clock())
        except TransientError as error:
            # Claimed but not settled: the workflow (or this same request retried) finishes it.
            _enqueue(ports, order_id)
            raise PaymentUnavailable(
                f"order {order_id} is being cancelled; the Payment System is unavailable, the refund follows"
            ) from error
        _enqueue(ports, order_id)  # the workflow mails the cancellation (once) from this message
        return cancelled
    raise StateConflict(f"order {order_id} kept changing while it was being cancelled; retry", field="status")
