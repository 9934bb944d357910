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
