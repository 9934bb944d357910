"""JWTs for customers: HS256 with the Secrets Manager secret, claims sub/email/name/iat/exp (docs/data-model.md).

The authorizer verifies them in front of the API; the App Server verifies them itself when a request reaches it
without authorizer context (LocalStack community runs no Lambda authorizer). Both use `verify_bearer` below.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Literal

import jwt
from pydantic import BaseModel

ALGORITHM = "HS256"
TOKEN_LIFETIME = timedelta(hours=1)


class Claims(BaseModel):
    sub: str
    email: str
    name: str
    locale: Literal["es", "en"] = "es"  # the customer's language: notices are written in it
    iat: int
    exp: int


class InvalidToken(Exception):
    pass


def issue_token(
    secret: str, *, customer_id: str, email: str, name: str, locale: str = "es", now: datetime
) -> tuple[str, datetime]:
    """Returns the token and its expiry time."""
    issued = now.astimezone(UTC).replace(microsecond=0)
    expires = issued + TOKEN_LIFETIME
    claims = Claims.model_validate(
        {
            "sub": customer_id,
            "email": email,
            "name": name,
            "locale": locale if locale in ("es", "en") else "es",
            "iat": int(issued.timestamp()),
            "exp": int(expires.timestamp()),
        }
    )
    return jwt.encode(claims.model_dump(), secret, algorithm=ALGORITHM), expires


def verify_token(secret: str, token: str) -> Claims:
    """Only HS256 is accepted (an `alg: none` or RS/ES token is rejected); exp, iat and sub are required."""
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "iat", "sub"]})
        return Claims.model_validate(payload)
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidToken(str(error)) from error


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None for no header, another scheme or no token."""
    scheme, _, token = (header or "").strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def verify_bearer(secret: str, header: str | None) -> Claims:
    """The claims of the header's bearer token, verified by `verify_token`; InvalidToken when there is none."""
    token = bearer_token(header)
    if token is None:
        raise InvalidToken("no bearer token in the Authorization header")
    return verify_token(secret, token)


@functools.cache
def read_secret(secret_arn: str) -> str:
    """The secret's SecretString, read once per cold start (cached for the life of the execution environment)."""
    import boto3  # provided by the Lambda runtime; imported here so pure-logic imports stay light

    value = boto3.client("secretsmanager").get_secret_value(SecretId=secret_arn).get("SecretString")
    if not value:
        raise RuntimeError(f"secret {secret_arn} has no SecretString; the JWT signing key must be a string secret")
    return str(value)
