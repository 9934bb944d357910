"""Port and HTTP adapter for the Payment System (contract in docs/data-model.md)."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from shared.errors import Conflict, PaymentDeclined, TransientError
from shared.http_client import HttpResponse, JsonHttpClient

PaymentOperation = Literal["capture", "void", "refund"]
MAX_RELEASED_HOLDS = 5  # a request whose write failed this many times stops asking for new holds


class Payment(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    status: str


class PaymentGateway(Protocol):
    def authorize(self, *, token: str, amount: int, currency: str, order_id: str, idempotency_key: str) -> Payment:
        """Raises PaymentDeclined on a refusal, TransientError when the system cannot answer."""
        ...

    def operate(self, payment_id: str, operation: PaymentOperation, *, idempotency_key: str) -> Payment:
        """capture/void/refund. Raises Conflict on an impossible transition, TransientError when unavailable."""
        ...


def _error_message(body: dict[str, Any]) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or error)
    return str(body.get("message") or body)


class HttpPaymentGateway:
    def __init__(self, client: JsonHttpClient) -> None:
        self.client = client

    def authorize(self, *, token: str, amount: int, currency: str, order_id: str, idempotency_key: str) -> Payment:
        """A live hold. A replayed answer shows the hold as it was then: if it has been voided since (an earlier
        attempt released it when its write failed), the retry gets a new hold under a key derived from the voided
        one, so every retry of that request walks to the same live hold."""
        key = idempotency_key
        for _ in range(MAX_RELEASED_HOLDS):
            response = self.client.post(
                "/v1/payments",
                {"token": token, "amount": amount, "currency": currency, "order_id": order_id},
                idempotency_key=key,
            )
            if response.status == 402:
                raise PaymentDeclined(f"payment declined: {_error_message(response.body)}")
            if response.status not in (200, 201):
                raise self._unexpected(response, "authorize")
            payment = Payment.model_validate(response.body)
            if not response.replayed or self._current(payment.id).status != "voided":
                return payment
            key = f"{idempotency_key}-after-{payment.id}"
        raise TransientError(f"{MAX_RELEASED_HOLDS} holds of order {order_id} were released; not authorizing again")

    def _current(self, payment_id: str) -> Payment:
        response = self.client.get(f"/v1/payments/{payment_id}")
        if response.status != 200:
            raise self._unexpected(response, "read")
        return Payment.model_validate(response.body)

    def operate(self, payment_id: str, operation: PaymentOperation, *, idempotency_key: str) -> Payment:
        response = self.client.post(f"/v1/payments/{payment_id}/{operation}", {}, idempotency_key=idempotency_key)
        if response.status in (200, 201):
            return Payment.model_validate(response.body)
        if response.status == 409:
            raise Conflict(f"payment {payment_id} cannot {operation}: {_error_message(response.body)}", response.body)
        if response.status == 402:
            raise PaymentDeclined(f"payment {payment_id} {operation} declined: {_error_message(response.body)}")
        raise self._unexpected(response, operation)

    @staticmethod
    def _unexpected(response: HttpResponse, operation: str) -> Exception:
        # 4xx other than the documented ones means our request is wrong: retrying will not help.
        if response.status == 429:
            return TransientError(f"Payment System throttled {operation}")
        return PaymentDeclined(
            f"Payment System refused {operation} with HTTP {response.status}: {_error_message(response.body)}"
        )
