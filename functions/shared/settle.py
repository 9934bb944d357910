"""Settling an order whose cancellation or failure is claimed: give the money back, then the terminal status.

The App Server (a customer's cancel) and Process Order (the workflow's compensation, or finishing a cancel whose
App Server invocation died) both end a CANCELLING or FAILING order here. Every Payment System call carries an
Idempotency-Key derived from the order id, so two callers finishing the same order at once make one void or
refund between them, and the conditional status write (which returns the stock) lets exactly one of them win.
"""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools import Logger

from shared.errors import Conflict
from shared.orders import Order, OrderStore, PaymentRef, Status, StatusMoved
from shared.payments import PaymentGateway, PaymentOperation

logger = Logger(child=True)

SETTLING: frozenset[str] = frozenset({"CANCELLING", "FAILING"})
_RELEASE: dict[str, PaymentOperation] = {"authorized": "void", "captured": "refund"}


def settled_status(order: Order) -> Status:
    if order.status == "CANCELLING":
        return "CANCELLED"
    return "PAYMENT_FAILED" if order.failure_code == "payment_declined" else "FAILED"


def settle(store: OrderStore, payments: PaymentGateway, order: Order, now: datetime) -> Order:
    """CANCELLING → CANCELLED, FAILING → FAILED/PAYMENT_FAILED: void or refund, then the status with the stock back.

    Returns the order as stored afterwards (also when another caller settled it first).
    """
    if order.status not in SETTLING:
        return order
    payment = order.payment
    if payment is not None and payment.status in _RELEASE:
        payment = PaymentRef(id=payment.id, status=release(payments, order))
    fields = {"payment": payment} if payment is not None else {}
    try:
        return store.move(order, settled_status(order), now, **fields)
    except StatusMoved:
        current = store.get(order.id)
        assert current is not None  # orders are never deleted
        return current


def release(payments: PaymentGateway, order: Order) -> str:
    """Void an authorization or refund a capture; our record of the payment may lag, so try the other on 409."""
    assert order.payment is not None
    first = _RELEASE.get(order.payment.status, "void")
    now_status = "released"
    for operation in (first, "refund" if first == "void" else "void"):
        try:
            key = f"{operation}-{order.id}"
            return payments.operate(order.payment.id, operation, idempotency_key=key).status
        except Conflict as error:
            current = error.body.get("payment")
            now_status = str(current.get("status", now_status)) if isinstance(current, dict) else now_status
            logger.info("payment release conflict", extra={"order_id": order.id, "operation": operation})
    return now_status  # neither applies: already voided or refunded (by the other caller, or long ago)
