"""Customer login: password check, failed-login limits and JWT issue."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from shared.passwords import hash_password, verify_password
from shared.tokens import issue_token

from app_server.logic.errors import TooManyAttempts, Unauthorized
from app_server.logic.ports import CustomerNotices, CustomersRepository, LoginAttempts
from app_server.models.auth import CustomerInfo, LoginRequest, LoginResponse

# One message for an unknown email and a wrong password, so the answer does not reveal which emails exist.
BAD_CREDENTIALS = "invalid email or password"


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed per fixed window, per account (email) and per source address.

    A password check costs a PBKDF2 hash of 600,000 iterations; without a limit a flood of failed logins would
    take the function's concurrency from the customers who are buying. Checked before the hash is computed.
    """

    window_seconds: int = 900
    per_account: int = 10
    per_source: int = 100


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not-a-password", salt=b"\0" * 16)


def login(
    customers: CustomersRepository,
    notices: CustomerNotices,
    attempts: LoginAttempts,
    limits: LoginLimits,
    secret: str,
    request: LoginRequest,
    *,
    source: str,
    now: datetime,
) -> LoginResponse:
    email = request.email.lower()
    window = int(now.timestamp()) // limits.window_seconds
    keys = {f"account#{email}": limits.per_account, f"source#{source}": limits.per_source}
    counted = attempts.failures(list(keys), window)
    if any(counted.get(key, 0) >= limit for key, limit in keys.items()):
        retry_after = (window + 1) * limits.window_seconds - int(now.timestamp())
        raise TooManyAttempts(
            f"too many failed logins; try again in {retry_after} seconds", retry_after=max(retry_after, 1)
        )
    customer = customers.get_customer(email)
    if customer is None:
        verify_password(request.password, _dummy_hash())  # same work as a real check: no timing oracle
    if customer is None or not verify_password(request.password, customer.password_hash):
        attempts.record_failure(list(keys), window, expires_at=(window + 2) * limits.window_seconds)
        raise Unauthorized(BAD_CREDENTIALS)
    notices.ensure_subscribed(customer)
    token, expires = issue_token(
        secret, customer_id=customer.id, email=customer.email, name=customer.name, locale=customer.locale, now=now
    )
    return LoginResponse(
        token=token,
        expires_at=expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        customer=CustomerInfo(id=customer.id, email=customer.email, name=customer.name, locale=customer.locale),
    )
