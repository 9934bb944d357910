"""The workflow's steps for one order: capture, ship, compensate; and the sweeper. Each is safe to run twice.

Two guards make that hold: the order moves only through the state machine in shared/orders.py (a write
conditional on the status read, claiming a status before any external call that a competing step must not
repeat), and every external call carries an Idempotency-Key derived from the order id, so a call repeated after a
crash returns the first result. Every step first finishes an order whose cancellation or failure is claimed but
not settled (its earlier caller died), so such an order never stays half-done.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from shared.errors import Conflict, InvalidMessage, PaymentDeclined, ShipmentRejected, TransientError
from shared.orders import NOTIFIED, TERMINAL, FailureCode, Order, OrderStore, PaymentRef, ShipmentRef, StatusMoved
from shared.payments import PaymentGateway
from shared.settle import SETTLING, settle
from shared.shipments import ShipmentGateway

from process_order.notices import render_notice
from process_order.ports import OrderQueue

logger = Logger(child=True)

Output = dict[str, Any]
# A re-sent order is looked at again later each time; after this many re-sends it is left to the alarm.
MAX_SWEEPS = 4


@dataclass
class ProcessOrderPorts:
    store: OrderStore
    payments: PaymentGateway
    shipments: ShipmentGateway
    queue: OrderQueue
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


def as_output(order: Order) -> Output:
    """The order as stored, plus the notice to send when the customer has not been told about this status yet."""
    output = order.model_dump(mode="json", exclude_none=True)
    if order.status in NOTIFIED and order.notified_status != order.status:
        output["notice"] = render_notice(order)
    return output


def order_id_of(message: str) -> str:
    """The order id of a queue message body, or InvalidMessage (a poison message, parked in the DLQ)."""
    try:
        body = json.loads(message)
    except ValueError as error:
        raise InvalidMessage(f"the message is not JSON: {message[:200]!r}") from error
    order_id = body.get("order_id") if isinstance(body, dict) else None
    if not isinstance(order_id, str) or not order_id:
        raise InvalidMessage(f"the message has no order_id: {message[:200]!r}")
    return order_id


def _load(ports: ProcessOrderPorts, order_id: str) -> Order:
    order = ports.store.get(order_id)
    if order is None:
        raise InvalidMessage(f"order {order_id} is not in the Orders table")
    return order


def _fail(ports: ProcessOrderPorts, order: Order, code: FailureCode) -> Order:
    """Claim FAILING (recording why) so that nothing else moves the order while it is compensated."""
    try:
        return ports.store.move(order, "FAILING", ports.clock(), failure_code=code)
    except StatusMoved:
        return _load(ports, order.id)


def capture(ports: ProcessOrderPorts, order_id: str) -> Output:
    order = _load(ports, order_id)
    if order.status in SETTLING:
        return as_output(settle(ports.store, ports.payments, order, ports.clock()))
    if order.status != "PENDING":
        return as_output(order)  # captured already, or over: no second call
    if order.payment is None:
        _fail(ports, order, "payment_declined")
        raise PaymentDeclined(f"order {order_id} has no payment to capture")
    try:
        payment = ports.payments.operate(order.payment.id, "capture", idempotency_key=f"capture-{order_id}")
    except (Conflict, PaymentDeclined) as error:
        # Not capturable: declined, expired, or voided by a cancel meanwhile (then the order moved on).
        current = _load(ports, order_id)
        if current.status != "PENDING":
            return capture(ports, order_id)
        _fail(ports, current, "payment_declined")
        logger.info("capture refused", extra={"order_id": order_id, "error": str(error)})
        raise PaymentDeclined(f"order {order_id}: the payment could not be captured") from error
    try:
        paid = ports.store.move(
            order, "PAID", ports.clock(), payment=PaymentRef(id=order.payment.id, status=payment.status)
        )
    except StatusMoved:
        # A cancel claimed the order while we captured: capture() settles it (a refund, since it is captured).
        current = _load(ports, order_id)
        if current.status in SETTLING and current.payment is not None:
            current = current.model_copy(update={"payment": PaymentRef(id=current.payment.id, status=payment.status)})
            return as_output(settle(ports.store, ports.payments, current, ports.clock()))
        return capture(ports, order_id)
    return as_output(paid)


def ship(ports: ProcessOrderPorts, order_id: str) -> Output:
    order = _load(ports, order_id)
    if order.status in SETTLING:
        return as_output(settle(ports.store, ports.payments, order, ports.clock()))
    if order.status == "PAID":
        try:  # the claim that makes a late cancel impossible: from here on the shipment goes ahead
            order = ports.store.move(order, "SHIPPING", ports.clock())
        except StatusMoved:
            return ship(ports, order_id)
    if order.status != "SHIPPING":
        return as_output(order)  # shipped already, or over (or not captured yet: the workflow leaves it)
    try:
        shipment = ports.shipments.create(
            order_id=order_id,
            address=order.address.model_dump(),
            items=[{"product_id": i.product_id, "name": i.name.es, "quantity": i.quantity} for i in order.items],
            idempotency_key=f"ship-{order_id}",
        )
    except ShipmentRejected as error:
        logger.info("shipment refused", extra={"order_id": order_id, "error": str(error)})
        _fail(ports, order, "address_undeliverable" if error.code == "address_undeliverable" else "shipment_refused")
        raise ShipmentRejected(f"order {order_id}: the shipment was refused", code=error.code) from error
    except TransientError as error:
        if error.processed is False:  # certainly not created: give the claim back, so the customer may cancel
            with contextlib.suppress(StatusMoved):
                ports.store.move(order, "PAID", ports.clock())
        raise
    try:
        shipped = ports.store.move(
            order,
            "SHIPPED",
            ports.clock(),
            shipment=ShipmentRef(id=shipment.id, tracking_number=shipment.tracking_number),
        )
    except StatusMoved:
        return as_output(_load(ports, order_id))
    return as_output(shipped)


_FAILURE_CODES: dict[str, FailureCode] = {"PaymentDeclined": "payment_declined", "ShipmentRejected": "shipment_refused"}


def compensate(ports: ProcessOrderPorts, order_id: str, *, error: str | None = None) -> Output:
    """Undo a refused order: void or refund, stock back, FAILED (PAYMENT_FAILED when the payment was refused).

    The refusing step has normally claimed FAILING with the reason already; `error` (the caught error's name)
    names it otherwise. An order whose shipment is being requested is never compensated: the shipment may exist.
    """
    order = ports.store.get(order_id)
    if order is None:
        return {"id": order_id, "skipped": "NOT_FOUND"}
    if order.status in ("PENDING", "PAID"):
        order = _fail(ports, order, _FAILURE_CODES.get(error or "", "processing_failed"))
    return as_output(settle(ports.store, ports.payments, order, ports.clock()))


def sweep(ports: ProcessOrderPorts, *, limit: int = 100) -> Output:
    """Re-send the queue message of every order that should have finished (and been notified) by now.

    An order the API accepted but whose message was never sent, or whose cancel or notice was interrupted, gets
    its message again (processing is idempotent, so a duplicate changes nothing); an order that is finished just
    leaves the sweep index. After MAX_SWEEPS re-sends the order is counted as stranded for the alarm.
    """
    now = ports.clock()
    resent = finished = stranded = 0
    for order, sweeps in ports.store.due_for_sweep(now, limit):
        if order.status in TERMINAL and order.notified_status == order.status:
            ports.store.finish_sweep(order)
            finished += 1
            continue
        if sweeps >= MAX_SWEEPS:
            stranded += 1
            logger.error("order stranded", extra={"order_id": order.id, "status": order.status, "sweeps": sweeps})
            continue
        ports.queue.send(order.id)
        ports.store.postpone_sweep(order, now, sweeps + 1)
        resent += 1
        logger.warning("order re-sent", extra={"order_id": order.id, "status": order.status, "sweeps": sweeps + 1})
    return {"resent": resent, "finished": finished, "stranded": stranded}
