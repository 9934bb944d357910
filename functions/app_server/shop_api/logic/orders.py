"""Placing, reading and cancelling orders."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from shared.errors import Conflict, PaymentDeclined, TransientError
from shared.orders import Order, OrderItem, PaymentRef
from shared.payments import PaymentGateway, PaymentOperation

from shop_api.logic.errors import (
    InvalidInput,
    NotFound,
    OutOfStock,
    PaymentRefused,
    PaymentUnavailable,
    StateConflict,
)
from shop_api.logic.paging import decode_token, encode_token
from shop_api.logic.ports import OrderQueue, OrdersRepository, ProductsRepository, StatusMoved
from shop_api.models.orders import OrderAccepted, OrderPage, PlaceOrderRequest

logger = Logger(child=True)

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SEND_ATTEMPTS = 3


def new_order_id(now: datetime | None = None) -> str:
    """`o-` + a ULID (48-bit millisecond time + 80 random bits in Crockford base32): ids sort by creation time."""
    millis = int((now or datetime.now(UTC)).timestamp() * 1000)
    value = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    return "o-" + "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class OrderPorts:
    products: ProductsRepository
    orders: OrdersRepository
    payments: PaymentGateway
    queue: OrderQueue
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    new_id: Callable[[], str] = new_order_id
    sleep: Callable[[float], None] = time.sleep


def place_order(
    ports: OrderPorts, *, customer_id: str, idempotency_key: str, request: PlaceOrderRequest
) -> OrderAccepted:
    products = ports.products.get_products([line.product_id for line in request.items])
    items: list[OrderItem] = []
    for index, line in enumerate(request.items):
        product = products.get(line.product_id)
        if product is None:
            raise InvalidInput(f"product {line.product_id} does not exist", field=f"items.{index}.product_id")
        if product.stock < line.quantity:
            # Cheap early answer; the transaction below is what really guarantees stock.
            raise OutOfStock(
                product.id, f"product {product.id} has {product.stock} in stock, {line.quantity} requested"
            )
        items.append(
            OrderItem(product_id=product.id, name=product.name.es, unit_price=product.price, quantity=line.quantity)
        )
    currencies = {products[item.product_id].currency for item in items}
    if len(currencies) != 1:
        raise InvalidInput(f"items must share one currency, got {sorted(currencies)}", field="items")
    currency = currencies.pop()
    total = sum(item.unit_price * item.quantity for item in items)
    order_id = ports.new_id()

    try:
        payment = ports.payments.authorize(
            token=request.payment_token,
            amount=total,
            currency=currency,
            order_id=order_id,
            idempotency_key=f"auth-{idempotency_key}",
        )
    except PaymentDeclined as error:
        raise PaymentRefused(str(error), field="payment_token") from error
    except TransientError as error:
        logger.warning("payment authorization unavailable", extra={"order_id": order_id, "error": str(error)})
        raise PaymentUnavailable(
            "the Payment System is unavailable; nothing was charged, retry later with the same Idempotency-Key"
        ) from error

    now = iso(ports.clock())
    order = Order(
        id=order_id,
        customer_id=customer_id,
        created_at=now,
        updated_at=now,
        status="PENDING",
        items=items,
        total=total,
        currency=currency,
        address=request.address,
        payment=PaymentRef(id=payment.id, status=payment.status),
    )
    try:
        ports.orders.create_order(order)
    except Exception:
        # Nothing was written (the transaction is all or nothing): release the hold on the customer's card.
        _release_authorization(ports, order)
        raise

    message = {
        "order_id": order.id,
        "customer_id": customer_id,
        "payment_id": payment.id,
        "total": total,
        "currency": currency,
    }
    _enqueue(ports, message)
    return OrderAccepted(order_id=order.id, status=order.status)


def _release_authorization(ports: OrderPorts, order: Order) -> None:
    assert order.payment is not None
    try:
        ports.payments.operate(order.payment.id, "void", idempotency_key=f"void-{order.id}")
    except Exception as error:
        # The authorization expires on its own at the Payment System; log so support can void it sooner.
        logger.error(
            "could not void the authorization of an order that was not written",
            extra={"order_id": order.id, "payment_id": order.payment.id, "error": str(error)},
        )


def _enqueue(ports: OrderPorts, message: dict[str, Any]) -> None:
    """The order is already written: never fail the request because the queue hiccups.

    Recovery when every attempt fails: the order stays PENDING with its authorization, and the error log line
    below carries the exact message body. An operator (or a reconciliation job querying PENDING orders older
    than a few minutes) re-sends that body to the orders queue; Process Order is idempotent per order id, so a
    duplicate send is harmless.
    """
    delay = 0.1
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            ports.queue.send(message)
            return
        except Exception as error:
            if attempt == SEND_ATTEMPTS:
                logger.error(
                    "order written but not queued; re-send this message to the orders queue to process it",
                    extra={"order_id": message["order_id"], "queue_message": message, "error": str(error)},
                )
                return
            ports.sleep(delay)
            delay *= 2


def get_order(ports: OrderPorts, *, customer_id: str, order_id: str) -> Order:
    order = ports.orders.get_order(order_id)
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


_CANCEL_OPERATION: dict[str, PaymentOperation] = {"PENDING": "void", "PAID": "refund"}
CANCEL_ATTEMPTS = 3


def cancel_order(ports: OrderPorts, *, customer_id: str, order_id: str) -> Order:
    """Void (PENDING) or refund (PAID), then restore stock and set CANCELLED conditionally.

    The workflow may move the order at the same time; when the status moved under us we read it again.
    """
    for _ in range(CANCEL_ATTEMPTS):
        order = get_order(ports, customer_id=customer_id, order_id=order_id)
        operation = _CANCEL_OPERATION.get(order.status)
        if operation is None:
            raise StateConflict(f"order {order_id} cannot be cancelled in status {order.status}", field="status")
        payment_status = "none"
        if order.payment is not None:
            try:
                payment = ports.payments.operate(order.payment.id, operation, idempotency_key=f"{operation}-{order_id}")
            except Conflict:
                continue  # the payment moved (e.g. captured meanwhile): read the order again
            except TransientError as error:
                raise PaymentUnavailable(
                    f"the Payment System is unavailable; order {order_id} was not cancelled, retry later"
                ) from error
            except PaymentDeclined as error:
                raise StateConflict(f"order {order_id} cannot be cancelled: {error}") from error
            payment_status = payment.status
        try:
            return ports.orders.cancel_order(
                order, expected_status=order.status, payment_status=payment_status, now=iso(ports.clock())
            )
        except StatusMoved:
            continue
    raise StateConflict(f"order {order_id} kept changing while it was being cancelled; retry", field="status")
