from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from app_server.logic.auth import BAD_CREDENTIALS, LoginLimits, login
from app_server.logic.errors import TooManyAttempts, Unauthorized
from app_server.models.auth import CustomerRecord, LoginRequest, LoginResponse
from authorizer.handler import api_wildcard_arn, policy
from shared.passwords import hash_password, verify_password
from shared.tokens import InvalidToken, bearer_token, issue_token, verify_token

from tests.support.fakes import FakeCustomers, FakeLoginAttempts

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
            email="ana@example.com",
            id="c-0001",
            name="Ana",
            locale="en",
            password_hash=hash_password("pw-ana", iterations=FAST),
        )
    )


LIMITS = LoginLimits(window_seconds=900, per_account=3, per_source=5)


def _login(
    customers: FakeCustomers,
    email: str,
    password: str,
    *,
    attempts: FakeLoginAttempts | None = None,
    source: str = "198.51.100.7",
    now: datetime = NOW,
) -> LoginResponse:
    request = LoginRequest(email=email, password=password)
    return login(customers, customers, attempts or FakeLoginAttempts(), LIMITS, SECRET, request, source=source, now=now)


def test_login_returns_a_token_with_the_documented_claims(customers: FakeCustomers) -> None:
    answer = _login(customers, "Ana@Example.com", "pw-ana")
    claims = jwt.decode(answer.token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {
        "sub": "c-0001",
        "email": "ana@example.com",
        "name": "Ana",
        "locale": "en",
        "iat": 1795849200,
        "exp": 1795852800,
    }
    assert answer.expires_at == "2026-11-28T08:00:00Z"
    assert (answer.customer.id, answer.customer.locale) == ("c-0001", "en")
    _login(customers, "ana@example.com", "pw-ana")
    assert customers.subscribed == ["ana@example.com"]  # their own notices subscription, made once


@pytest.mark.parametrize(("email", "password"), [("ana@example.com", "wrong"), ("nobody@example.com", "pw-ana")])
def test_bad_credentials_get_one_message(customers: FakeCustomers, email: str, password: str) -> None:
    with pytest.raises(Unauthorized) as caught:
        _login(customers, email, password)
    assert caught.value.message == BAD_CREDENTIALS


def test_failed_logins_are_limited_per_account_before_the_password_is_checked(customers: FakeCustomers) -> None:
    attempts = FakeLoginAttempts()
    for n in range(LIMITS.per_account):
        with pytest.raises(Unauthorized):  # each from another address: the account limit is what counts
            _login(customers, "ana@example.com", "wrong", attempts=attempts, source=f"203.0.113.{n}")
    with pytest.raises(TooManyAttempts) as caught:
        _login(customers, "ana@example.com", "pw-ana", attempts=attempts, now=NOW + timedelta(seconds=60))
    assert caught.value.retry_after == 900 - 60  # until the window ends
    assert _login(customers, "ana@example.com", "pw-ana", attempts=attempts, now=NOW + timedelta(seconds=900)).token


def test_failed_logins_are_limited_per_source_across_accounts(customers: FakeCustomers) -> None:
    attempts = FakeLoginAttempts()
    for n in range(LIMITS.per_source):
        with pytest.raises(Unauthorized):
            _login(customers, f"guess{n}@example.com", "wrong", attempts=attempts)
    with pytest.raises(TooManyAttempts):  # even a right password, from that source, waits
        _login(customers, "ana@example.com", "pw-ana", attempts=attempts)
    assert _login(customers, "ana@example.com", "pw-ana", attempts=attempts, source="192.0.2.1").token


def test_successful_logins_are_not_counted(customers: FakeCustomers) -> None:
    attempts = FakeLoginAttempts()
    for _ in range(LIMITS.per_source + 1):
        assert _login(customers, "ana@example.com", "pw-ana", attempts=attempts).token
    assert attempts.counts == {}


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
    assert answer["context"] == {"customer_id": "c-0001", "email": "ana@example.com", "name": "Ana", "locale": "es"}
    statement = answer["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow" and statement["Resource"].endswith("/api/*/*")


@pytest.mark.parametrize(
    ("header", "token"), [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("", None), (None, None)]
)
def test_bearer_header_parsing(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
