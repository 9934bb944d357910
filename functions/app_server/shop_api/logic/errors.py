"""Business errors; each knows the HTTP status and code the API answers with."""

from __future__ import annotations


class AppError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(AppError):
    status, code = 400, "validation_error"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class NotFound(AppError):
    status, code = 404, "not_found"


class PaymentRefused(AppError):
    status, code = 402, "payment_declined"


class OutOfStock(AppError):
    status, code = 409, "out_of_stock"

    def __init__(self, product_id: str, message: str | None = None) -> None:
        super().__init__(message or f"product {product_id} does not have enough stock", field="items")
        self.product_id = product_id


class StateConflict(AppError):
    status, code = 409, "conflict"


class PaymentUnavailable(AppError):
    status, code = 503, "payment_unavailable"


class TooLateToCancel(AppError):
    status, code = 409, "too_late_to_cancel"


class NotCancellable(AppError):
    status, code = 409, "not_cancellable"


class IdempotencyKeyReused(AppError):
    status, code = 422, "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was already used with a different request body; use a new key for a new order",
            field="Idempotency-Key",
        )


class TooManyAttempts(AppError):
    """Too many failed logins for an account or from a source: wait `retry_after` seconds (the Retry-After header)."""

    status, code = 429, "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
