"""The Payment System mock: card tokens, then authorize → capture → refund, or authorize → void.

`python -m mocks.payment --port 8081`. Card 4242424242424242 is authorized; 4000000000000002
tokenizes but is declined at authorization. Endpoints and fault injection: mocks/README.md.
"""

from __future__ import annotations

import re
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mocks.common import ApiError, Call, Handler, MockService, Reply, get_int, get_str, invalid, main, now_iso

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
    openapi_file = Path(__file__).with_name("payment.openapi.json")

    def register_routes(self) -> None:
        # Tokens take an optional key: the browser calls this endpoint directly.
        self.route("POST", "/v1/tokens", self.create_token, idempotency="optional")
        self.route("POST", "/v1/payments", self.authorize, idempotency="required")
        self.route("GET", "/v1/payments", self.list_payments)
        self.route("GET", "/v1/payments/{id}", self.get_payment)
        for action in TRANSITIONS:
            self.route("POST", f"/v1/payments/{{id}}/{action}", self._transition(action), idempotency="required")

    def reset_state(self) -> None:
        self.tokens: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}

    def create_token(self, call: Call) -> Reply:
        body = call.body
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
        return Reply(201, token)

    def authorize(self, call: Call) -> Reply:
        body = call.body
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
            "operations": [{"type": "authorize", "at": created, "idempotency_key": call.idempotency_key}],
            "created": created,
        }
        self.payments[payment_id] = payment
        return Reply(201, payment)

    def _transition(self, action: str) -> Handler:
        needs, leaves = TRANSITIONS[action]

        def handle(call: Call) -> Reply:
            payment = self._find(call.params["id"])
            if payment["status"] != needs:
                raise ApiError(
                    409,
                    "invalid_state",
                    f"cannot {action} payment {payment['id']}: it is {payment['status']}, {action} needs {needs}",
                    extra={"payment": payment},
                )
            payment["status"] = leaves
            payment["operations"].append({"type": action, "at": now_iso(), "idempotency_key": call.idempotency_key})
            return Reply(200, payment)

        return handle

    def list_payments(self, call: Call) -> Reply:
        return Reply(200, {"payments": list(self.payments.values())})

    def get_payment(self, call: Call) -> Reply:
        return Reply(200, self._find(call.params["id"]))

    def _find(self, payment_id: str) -> dict[str, Any]:
        payment = self.payments.get(payment_id)
        if payment is None:
            raise ApiError(404, "not_found", f"no payment '{payment_id}'")
        return payment


if __name__ == "__main__":
    sys.exit(main(PaymentService))
