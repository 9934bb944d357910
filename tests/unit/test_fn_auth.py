from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fn_fakes import FakeCustomers
from jwt_authorizer import api_wildcard_arn, bearer_token, policy
from shared.passwords import hash_password, verify_password
from shared.tokens import InvalidToken, issue_token, verify_token
from shop_api.logic.auth import BAD_CREDENTIALS, login
from shop_api.logic.errors import Unauthorized
from shop_api.models.auth import CustomerRecord, LoginRequest

SECRET = "unit-test-secret-" + "x" * 64
FAST = 1_000  # iterations: tests need speed, not strength
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def test_password_hash_has_the_documented_format_and_verifies() -> None:
    stored = hash_password("s3cret!", iterations=FAST)
    algorithm, iterations, salt, digest = stored.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", str(FAST))
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert verify_password("s3cret!", stored)
    assert not verify_password("S3cret!", stored)
    assert hash_password("s3cret!", iterations=FAST) != stored  # random salt


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$aa$bb", "pbkdf2_sha256$x$aa$bb", "pbkdf2_sha256$10$!!$bb"])
def test_malformed_stored_hash_never_matches(stored: str) -> None:
    assert not verify_password("anything", stored)


@pytest.fixture
def customers() -> FakeCustomers:
    return FakeCustomers(
        CustomerRecord(
            email="ana@example.com", id="c-0001", name="Ana", password_hash=hash_password("pw-ana", iterations=FAST)
        )
    )


def test_login_returns_a_token_with_the_documented_claims(customers: FakeCustomers) -> None:
    answer = login(customers, SECRET, LoginRequest(email="Ana@Example.com", password="pw-ana"), NOW)
    claims = jwt.decode(answer.token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {"sub": "c-0001", "email": "ana@example.com", "name": "Ana", "iat": 1795849200, "exp": 1795852800}
    assert answer.expires_at == "2026-11-28T08:00:00Z"
    assert answer.customer.id == "c-0001"
    assert answer.customer.locale == "es"  # a record without one is Spanish, the shop's first language


@pytest.mark.parametrize(("email", "password"), [("ana@example.com", "wrong"), ("nobody@example.com", "pw-ana")])
def test_bad_credentials_get_one_message(customers: FakeCustomers, email: str, password: str) -> None:
    with pytest.raises(Unauthorized) as caught:
        login(customers, SECRET, LoginRequest(email=email, password=password), NOW)
    assert caught.value.message == BAD_CREDENTIALS


def _token(now: datetime = NOW) -> str:
    return issue_token(SECRET, customer_id="c-0001", email="ana@example.com", name="Ana", now=now)[0]


def test_valid_token_verifies() -> None:
    assert verify_token(SECRET, _token(datetime.now(UTC))).sub == "c-0001"


def test_expired_token_is_rejected() -> None:
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(SECRET, _token(datetime.now(UTC) - timedelta(hours=2)))


def test_tampered_token_is_rejected() -> None:
    header, payload, signature = _token(datetime.now(UTC)).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "c-0002"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, f"{header}.{forged}.{signature}")


def test_wrong_secret_and_other_algorithms_are_rejected() -> None:
    now = int(datetime.now(UTC).timestamp())
    claims = {"sub": "c-0001", "email": "a@b.c", "name": "A", "iat": now, "exp": now + 60}
    unsigned = jwt.encode(claims, "", algorithm="none")
    hs512 = jwt.encode(claims, SECRET, algorithm="HS512")
    other_key = jwt.encode(claims, "another-secret-of-sufficient-length-xx", algorithm="HS256")
    for token in (unsigned, hs512, other_key):
        with pytest.raises(InvalidToken):
            verify_token(SECRET, token)


def test_token_without_exp_is_rejected() -> None:
    token = jwt.encode({"sub": "c-0001", "email": "a@b.c", "name": "A", "iat": 1}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, token)


def test_policy_allows_every_route_of_the_stage_and_carries_the_customer() -> None:
    arn = "arn:aws:execute-api:us-east-1:000000000000:abc123/api/GET/orders/o-1"
    assert api_wildcard_arn(arn) == "arn:aws:execute-api:us-east-1:000000000000:abc123/api/*/*"
    claims = verify_token(SECRET, _token(datetime.now(UTC)))
    answer = policy(claims, arn)
    assert answer["principalId"] == "c-0001"
    assert answer["context"] == {"customer_id": "c-0001", "email": "ana@example.com", "name": "Ana"}
    statement = answer["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow" and statement["Resource"].endswith("/api/*/*")


@pytest.mark.parametrize(
    ("header", "token"), [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("", None), (None, None)]
)
def test_bearer_header_parsing(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
