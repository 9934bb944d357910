"""The JWT authorizer handler in-process, with its secret in moto's Secrets Manager."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import jwt
import pytest
from authorizer.handler import handler
from shared.tokens import issue_token

from tests.support.handlers import CONTEXT, JWT_SECRET, aws_environment, local_mock_aws, reset_function_caches

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/api/GET/orders"


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    aws_environment(monkeypatch)
    with local_mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="jwt", SecretString=JWT_SECRET)["ARN"]
        monkeypatch.setenv("JWT_SECRET_ARN", arn)
        reset_function_caches()
        yield
        reset_function_caches()


def authorize(header: str) -> dict[str, Any]:
    return handler({"type": "TOKEN", "authorizationToken": header, "methodArn": METHOD_ARN}, CONTEXT)


def token(now: datetime | None = None) -> str:
    return issue_token(
        JWT_SECRET, customer_id="c-0001", email="ana@example.com", name="Ana", now=now or datetime.now(UTC)
    )[0]


def test_valid_token_allows_the_whole_stage_with_the_customer_in_context() -> None:
    answer = authorize(f"Bearer {token()}")
    assert answer["principalId"] == "c-0001"
    assert answer["context"] == {"customer_id": "c-0001", "email": "ana@example.com", "name": "Ana", "locale": "es"}
    assert answer["policyDocument"]["Statement"] == [
        {
            "Action": "execute-api:Invoke",
            "Effect": "Allow",
            "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/api/*/*",
        }
    ]


def _forge(alg: str) -> str:
    now = int(datetime.now(UTC).timestamp())
    claims = {"sub": "c-0001", "email": "a@b.c", "name": "A", "iat": now, "exp": now + 600}
    return jwt.encode(claims, "" if alg == "none" else JWT_SECRET + "x" * 40, algorithm=alg)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer not.a.jwt",
        f"Bearer {token(datetime.now(UTC) - timedelta(hours=2))}",  # expired
        f"Bearer {token()[:-3]}abc",  # tampered signature
        f"Bearer {_forge('none')}",  # alg: none
        f"Bearer {_forge('HS512')}",  # another algorithm
    ],
)
def test_invalid_tokens_raise_unauthorized(header: str) -> None:
    with pytest.raises(Exception) as caught:
        authorize(header)
    assert str(caught.value) == "Unauthorized"  # API Gateway answers 401 for exactly this message
