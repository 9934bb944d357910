"""The Payment System mock: card tokens, then authorize → capture → refund, or authorize → void.

`python -m mocks.payment --port 8081`, or `payment.start()` in a test's own process. Card 4242424242424242
is authorized; 4000000000000002 tokenizes but is declined at authorization. Endpoints and fault
injection: mocks/README.md.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from mocks import server
from mocks.errors import ApiError, get_int, get_str, invalid, json_response
from mocks.faults import Faults
from mocks.service import Idempotency, MockRequest, MockService, now_iso

DECLINED_CARD = "4000000000000002"

# action -> (the status it needs, the status it leaves)
TRANSITIONS: dict[str, tuple[str, str]] = {
    "capture": ("authorized", "captured"),
    "void": ("authorized", "voided"),
    "refund": ("captured", "refunded"),
}


def luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if 51 <= int(number[:2]) <= 55 or 2221 <= int(number[:4]) <= 2720:
        return "mastercard"
    if number[:2] in ("34", "37"):
        return "amex"
    if number.startswith(("6011", "65")):
        return "discover"
    return "unknown"


class PaymentService(MockService):
    name = "payment"
    title = "Payment System"
    default_port = 8081

    RULES: ClassVar[tuple[Rule, ...]] = (
        Rule("/v1/tokens", methods=["POST"], endpoint="create_token"),
        Rule("/v1/payments", methods=["POST"], endpoint="authorize"),
        Rule("/v1/payments", methods=["GET"], endpoint="list_payments"),
        Rule("/v1/payments/<id>", methods=["GET"], endpoint="get_payment"),
        *(Rule(f"/v1/payments/<id>/{action}", methods=["POST"], endpoint=action) for action in TRANSITIONS),
    )
    # Tokens take an optional key: the browser calls that endpoint directly.
    IDEMPOTENCY: ClassVar[Mapping[str, Idempotency]] = {
        "create_token": "optional",
        "authorize": "required",
        **dict.fromkeys(TRANSITIONS, "required"),
    }

    def reset_state(self) -> None:
        self.tokens: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}

    def create_token(self, request: MockRequest) -> Response:
        body = request.body
        number = re.sub(r"[\s-]", "", get_str(body, "card_number", max_length=40))
        if not re.fullmatch(r"\d{12,19}", number):
            raise invalid("card_number", "'card_number' must have 12 to 19 digits")
        if not luhn_valid(number):
            raise invalid("card_number", "'card_number' is not a valid card number (Luhn check failed)")
        month = get_int(body, "exp_month", lenient=True)
        if month > 12:
            raise invalid("exp_month", f"'exp_month' must be from 1 to 12, got {month}")
        year = get_int(body, "exp_year", lenient=True)
        if year < 100:
            year += 2000  # "27" from a card's MM/YY
        today = datetime.now(UTC)
        if (year, month) < (today.year, today.month):
            raise invalid("exp_year", f"the card expired in {year}-{month:02d}")
        cvc = body.get("cvc")
        if not isinstance(cvc, str) or not re.fullmatch(r"\d{3,4}", cvc):
            raise invalid("cvc", "'cvc' must be a string of 3 or 4 digits")
        token_id = f"tok_{secrets.token_hex(12)}"
        token: dict[str, Any] = {
            "id": token_id,
            "last4": number[-4:],
            "brand": card_brand(number),
            "exp_month": month,
            "exp_year": year,
            "created": now_iso(),
        }
        self.tokens[token_id] = {**token, "number": number}
        return json_response(201, token)

    def authorize(self, request: MockRequest) -> Response:
        body = request.body
        token_id = get_str(body, "token")
        token = self.tokens.get(token_id)
        if token is None:
            raise invalid("token", f"no such token '{token_id}'; create one with POST /v1/tokens")
        amount = get_int(body, "amount")
        currency = get_str(body, "currency")
        if not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise invalid("currency", f"'currency' must be a 3-letter ISO code such as EUR, got '{currency}'")
        order_id = get_str(body, "order_id")
        if token["number"] == DECLINED_CARD:
            raise ApiError(
                402, "card_declined", f"the card ending in {token['last4']} was declined (test card {DECLINED_CARD})"
            )
        created = now_iso()
        payment_id = f"pay_{secrets.token_hex(12)}"
        payment: dict[str, Any] = {
            "id": payment_id,
            "status": "authorized",
            "amount": amount,
            "currency": currency.upper(),
            "order_id": order_id,
            "token": token_id,
            "card": {"brand": token["brand"], "last4": token["last4"]},
            "operations": [{"type": "authorize", "at": created, "idempotency_key": request.idempotency_key}],
            "created": created,
        }
        self.payments[payment_id] = payment
        return json_response(201, payment)

    def capture(self, request: MockRequest, id: str) -> Response:
        return self._transition("capture", request, id)

    def void(self, request: MockRequest, id: str) -> Response:
        return self._transition("void", request, id)

    def refund(self, request: MockRequest, id: str) -> Response:
        return self._transition("refund", request, id)

    def _transition(self, action: str, request: MockRequest, payment_id: str) -> Response:
        needs, leaves = TRANSITIONS[action]
        payment = self._find(payment_id)
        if payment["status"] != needs:
            raise ApiError(
                409,
                "invalid_state",
                f"cannot {action} payment {payment['id']}: it is {payment['status']}, {action} needs {needs}",
                extra={"payment": payment},
            )
        payment["status"] = leaves
        payment["operations"].append({"type": action, "at": now_iso(), "idempotency_key": request.idempotency_key})
        return json_response(200, payment)

    def list_payments(self, request: MockRequest) -> Response:
        return json_response(200, {"payments": list(self.payments.values())})

    def get_payment(self, request: MockRequest, id: str) -> Response:
        return json_response(200, self._find(id))

    def _find(self, payment_id: str) -> dict[str, Any]:
        payment = self.payments.get(payment_id)
        if payment is None:
            raise ApiError(404, "not_found", f"no payment '{payment_id}'")
        return payment


def start(*, port: int = 0, faults: Faults | None = None, seed: int | None = None) -> server.Running[PaymentService]:
    """The Payment System in this process on 127.0.0.1 (`port` 0: a free one): `.url`, `.app`, `.stop()`."""
    return server.start(PaymentService, port=port, faults=faults, seed=seed)


if __name__ == "__main__":
    sys.exit(server.main(PaymentService))
