"""Business errors, each with the machine-readable `code` the API reports; routes.py maps them to HTTP statuses."""

from __future__ import annotations


class AppError(Exception):
    code = "internal_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(AppError):
    code = "validation_error"


class Unauthorized(AppError):
    code = "unauthorized"


class NotFound(AppError):
    code = "not_found"


class PaymentRefused(AppError):
    code = "payment_declined"


class OutOfStock(AppError):
    code = "out_of_stock"

    def __init__(self, product_id: str, message: str | None = None) -> None:
        super().__init__(message or f"product {product_id} does not have enough stock", field="items")
        self.product_id = product_id


class StateConflict(AppError):
    code = "conflict"


class PaymentUnavailable(AppError):
    code = "payment_unavailable"


class TooLateToCancel(AppError):
    code = "too_late_to_cancel"


class NotCancellable(AppError):
    code = "not_cancellable"


class IdempotencyKeyReused(AppError):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was already used with a different request body; use a new key for a new order",
            field="Idempotency-Key",
        )


class TooManyAttempts(AppError):
    """Too many failed logins for an account or from a source: wait `retry_after` seconds (the Retry-After header)."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
