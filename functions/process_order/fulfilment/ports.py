from __future__ import annotations

from typing import Protocol

from shared.orders import Order, OrderStatus
from shared.shipments import Shipment


class StatusMoved(Exception):
    """The order's status changed between reading it and the conditional write."""


class OrderNotFound(Exception):
    """The workflow named an order that is not in the Orders table (not retried)."""


class FulfilmentStore(Protocol):
    def get_order(self, order_id: str) -> Order | None: ...

    def set_paid(self, order: Order, *, payment_status: str, now: str) -> None:
        """PENDING → PAID; raises StatusMoved if the order is no longer PENDING."""
        ...

    def set_shipped(self, order: Order, *, shipment: Shipment, now: str) -> None:
        """PAID → SHIPPED with the shipment; raises StatusMoved if the order is no longer PAID."""
        ...

    def set_failed(
        self, order: Order, *, status: OrderStatus, reason: str, payment_status: str | None, now: str
    ) -> None:
        """→ FAILED/PAYMENT_FAILED and the order's stock returned, atomically, if the status did not move."""
        ...
