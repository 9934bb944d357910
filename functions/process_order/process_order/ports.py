"""What the steps need besides the Orders table (shared/orders.OrderStore) and the external systems' gateways."""

from __future__ import annotations

from typing import Protocol


class OrderQueue(Protocol):
    def send(self, order_id: str) -> None:
        """Put an order's message on the orders queue (the sweeper's re-send)."""
        ...


class Metrics(Protocol):
    def stranded(self, count: int) -> None: ...
