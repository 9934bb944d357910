"""The three actions. Each is safe to run twice: a duplicate delivery never captures, ships or refunds twice.

Two guards make that hold: the order's status is checked before any external call (and only changed with a
condition on the status read), and every external call carries an Idempotency-Key derived from the order id,
so even a call repeated after a crash between the call and the write returns the first result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from shared.errors import Conflict, PaymentDeclined, ShipmentRejected
from shared.orders import TERMINAL_STATUSES, Order, OrderStatus, ShipmentRef
from shared.payments import PaymentGateway, PaymentOperation
from shared.shipments import ShipmentGateway

from fulfilment.ports import FulfilmentStore, OrderNotFound, StatusMoved

logger = Logger(child=True)

Output = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FulfilmentPorts:
    store: FulfilmentStore
    payments: PaymentGateway
    shipments: ShipmentGateway
    clock: Callable[[], str] = _now


def as_output(order: Order) -> Output:
    return order.model_dump(mode="json", exclude_none=True)


def _load(ports: FulfilmentPorts, order_id: str) -> Order:
    order = ports.store.get_order(order_id)
    if order is None:
        raise OrderNotFound(f"order {order_id} is not in the Orders table")
    return order


def capture(ports: FulfilmentPorts, order_id: str) -> Output:
    order = _load(ports, order_id)
    if order.status in ("PAID", "SHIPPED"):
        return as_output(order)  # already captured: no second call
    if order.status in TERMINAL_STATUSES:
        return {"skipped": order.status}
    if order.payment is None:
        raise PaymentDeclined(f"order {order_id} has no payment to capture")
    try:
        payment = ports.payments.operate(order.payment.id, "capture", idempotency_key=f"capture-{order_id}")
        payment_status = payment.status
    except Conflict as error:
        # The payment cannot be captured: most often the customer cancelled (voided) meanwhile.
        current = _load(ports, order_id)
        if current.status != "PENDING":
            return capture(ports, order_id)
        raise PaymentDeclined(f"order {order_id}: {error}") from error
    try:
        ports.store.set_paid(order, payment_status=payment_status, now=ports.clock())
    except StatusMoved:
        return capture(ports, order_id)
    return as_output(
        order.model_copy(
            update={"status": "PAID", "payment": order.payment.model_copy(update={"status": payment_status})}
        )
    )


def ship(ports: FulfilmentPorts, order_id: str) -> Output:
    order = _load(ports, order_id)
    if order.status == "SHIPPED" or order.shipment is not None:
        return as_output(order)  # already shipped: no second call
    if order.status in TERMINAL_STATUSES:
        return {"skipped": order.status}
    if order.status != "PAID":
        raise ShipmentRejected(f"order {order_id} is {order.status}; only PAID orders are shipped (capture first)")
    shipment = ports.shipments.create(
        order_id=order_id,
        address=order.address.model_dump(),
        items=[{"product_id": i.product_id, "name": i.name, "quantity": i.quantity} for i in order.items],
        idempotency_key=f"ship-{order_id}",
    )
    try:
        ports.store.set_shipped(order, shipment=shipment, now=ports.clock())
    except StatusMoved:
        return as_output(_load(ports, order_id))
    shipped = order.model_copy(
        update={"status": "SHIPPED", "shipment": ShipmentRef(id=shipment.id, tracking_number=shipment.tracking_number)}
    )
    return as_output(shipped)


_RELEASE: dict[str, PaymentOperation] = {"authorized": "void", "captured": "refund"}


def compensate(ports: FulfilmentPorts, order_id: str, *, error: str | None = None, reason: str | None = None) -> Output:
    """Undo the payment (void if authorized, refund if captured), return the stock, mark the order failed.

    `error` is the workflow's caught error name: PaymentDeclined gives PAYMENT_FAILED, anything else FAILED.
    """
    order = ports.store.get_order(order_id)
    if order is None:
        return {"skipped": "NOT_FOUND"}
    if order.status in TERMINAL_STATUSES:
        return as_output(order)  # already compensated, cancelled or shipped: nothing to undo
    payment_status = order.payment.status if order.payment else None
    if order.payment is not None:
        operation = _RELEASE.get(order.payment.status)
        if operation is not None:
            payment_status = _release(ports, order, operation)
    status: OrderStatus = "PAYMENT_FAILED" if error == "PaymentDeclined" else "FAILED"
    text = reason or error or "order processing failed"
    try:
        ports.store.set_failed(order, status=status, reason=text, payment_status=payment_status, now=ports.clock())
    except StatusMoved:
        return compensate(ports, order_id, error=error, reason=reason)
    payment = order.payment.model_copy(update={"status": payment_status}) if order.payment else None
    return as_output(order.model_copy(update={"status": status, "failure_reason": text, "payment": payment}))


def _release(ports: FulfilmentPorts, order: Order, operation: PaymentOperation) -> str:
    assert order.payment is not None
    other: PaymentOperation = "refund" if operation == "void" else "void"
    for attempt in (operation, other):
        try:
            return ports.payments.operate(order.payment.id, attempt, idempotency_key=f"{attempt}-{order.id}").status
        except Conflict as error:
            # Our record of the payment may lag (captured at the Payment System, crash before our write).
            logger.warning(
                "payment release conflict", extra={"order_id": order.id, "operation": attempt, "error": str(error)}
            )
    # Neither void nor refund applies: the payment is already released.
    return "released"
