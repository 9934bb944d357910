"""Customer login: password check and JWT issue."""

from __future__ import annotations

import functools
from datetime import datetime

from shared.passwords import hash_password, verify_password
from shared.tokens import issue_token

from shop_api.logic.errors import Unauthorized
from shop_api.logic.ports import CustomersRepository
from shop_api.models.auth import CustomerInfo, LoginRequest, LoginResponse

# One message for an unknown email and a wrong password, so the answer does not reveal which emails exist.
BAD_CREDENTIALS = "invalid email or password"


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not-a-password", salt=b"\0" * 16)


def login(customers: CustomersRepository, secret: str, request: LoginRequest, now: datetime) -> LoginResponse:
    customer = customers.get_customer(request.email.lower())
    if customer is None:
        verify_password(request.password, _dummy_hash())  # same work as a real check: no timing oracle
        raise Unauthorized(BAD_CREDENTIALS)
    if not verify_password(request.password, customer.password_hash):
        raise Unauthorized(BAD_CREDENTIALS)
    token, expires = issue_token(secret, customer_id=customer.id, email=customer.email, name=customer.name, now=now)
    return LoginResponse(
        token=token,
        expires_at=expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        customer=CustomerInfo(id=customer.id, email=customer.email, name=customer.name, locale=customer.locale),
    )
