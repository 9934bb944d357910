"""Errors raised towards the Step Functions workflow and the API.

The class names are part of the workflow's contract: Lambda reports `errorType` as the class name, and the
state machine's Retry/Catch match `TransientError`, `PaymentDeclined` and `ShipmentRejected` by that name.
"""


class TransientError(Exception):
    """An external system is down, timed out or answered 5xx: the same call may succeed later."""


class PaymentDeclined(Exception):
    """The Payment System refused the operation (declined card, impossible transition): do not retry."""


class ShipmentRejected(Exception):
    """The Shipment System refused the shipment: do not retry."""


class Conflict(Exception):
    """An external system answered 409 (the operation is impossible in the resource's current state)."""

    def __init__(self, message: str, body: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.body = body or {}
