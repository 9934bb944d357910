"""Errors raised towards the Step Functions workflow and the API.

The class names are part of the workflow's contract: Lambda reports `errorType` as the class name, and the
state machine's Retry/Catch match them by that name (workflow/order_batch_workflow.asl.json):
- `TransientError`: retried, then the message is left for redrive. Never compensated.
- `PaymentDeclined`, `ShipmentRejected`: business refusals, the only errors that compensate.
- `InvalidMessage`: the queue message is not an order message (poison): it is parked in the dead-letter queue.
"""

from __future__ import annotations


class TransientError(Exception):
    """An external system is down, timed out or answered 5xx: the same call may succeed later.

    `processed` is False when the request certainly did not take effect (the connection was refused, or the
    system answered 503 or 429), so a claim taken for it may be given back.
    """

    def __init__(self, message: str, *, processed: bool | None = None) -> None:
        super().__init__(message)
        self.processed = processed


class PaymentDeclined(Exception):
    """The Payment System refused the operation (declined card, impossible transition): do not retry."""


class ShipmentRejected(Exception):
    """The Shipment System refused the shipment: do not retry. `code` is what the customer is told."""

    def __init__(self, message: str, *, code: str = "shipment_refused") -> None:
        super().__init__(message)
        self.code = code


class InvalidMessage(Exception):
    """A queue message that is not an order message, or names no stored order: never retried."""


class Conflict(Exception):
    """An external system answered 409 (the operation is impossible in the resource's current state)."""

    def __init__(self, message: str, body: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.body = body or {}
