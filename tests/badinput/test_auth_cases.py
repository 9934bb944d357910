"""Authentication and authorization against the deployed API: every bad token is 401, another customer's order 404.

Tokens are forged with the deployment's own secret (read from Secrets Manager, as an operator could), so each
case differs from a valid token in exactly one way.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests

from tests.support.badinput import order_body, written
from tests.support.handlers import api_event
from tests.support.shop import Shop

ANA = {"sub": "c-0001", "email": "ana@example.com", "name": "Ana García"}
PROTECTED = [("GET", "/orders"), ("GET", "/orders/o-seed-0001"), ("POST", "/orders/o-seed-0001/cancel")]


@pytest.fixture(scope="module")
def secret(shop: Shop, aws: Callable[[str], Any]) -> str:
    value = aws("secretsmanager").get_secret_value(SecretId=shop.outputs["JwtSecretArn"])["SecretString"]
    return str(value)


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {**ANA, "iat": now, "exp": now + 600, **changes}


def call(shop: Shop, method: str, path: str, authorization: str | None) -> requests.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return requests.request(method, f"{shop.api}{path}", headers=headers, timeout=30)


def assert_401(answer: requests.Response) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.json()["message"] == "Unauthorized"
    assert "Ana" not in answer.text and "o-seed" not in answer.text


def flipped(signature: str) -> str:
    return signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_valid_forged_token_works(shop: Shop, secret: str) -> None:
    """The control: the forging below is right, so each 401 is about the one thing changed."""
    token = jwt.encode(claims(), secret, algorithm="HS256")
    assert call(shop, "GET", "/orders", f"Bearer {token}").status_code == 200


BAD_TOKENS = [
    "no header",
    "empty",
    "Bearer with nothing",
    "Basic scheme",
    "not a JWT",
    "expired",
    "issued in the future without exp",
    "tampered payload",
    "tampered signature",
    "wrong secret",
    "HS512",
    "alg none",
    "no sub",
]


def bad_authorization(case: str, secret: str) -> str | None:
    """An Authorization header that differs from a valid one in exactly the way `case` names (None: no header)."""
    good = jwt.encode(claims(), secret, algorithm="HS256")
    header, payload, signature = good.split(".")
    return {
        "no header": None,
        "empty": "",
        "Bearer with nothing": "Bearer ",
        "Basic scheme": "Basic " + b64(b"ana@example.com:Demo-1234"),
        "not a JWT": "Bearer not-a-token",
        "expired": "Bearer " + jwt.encode(claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), secret),
        "issued in the future without exp": "Bearer "
        + jwt.encode({k: v for k, v in claims(iat=int(time.time()) + 3600).items() if k != "exp"}, secret),
        "tampered payload": "Bearer " + ".".join([header, b64(json.dumps(claims(sub="c-0002")).encode()), signature]),
        "tampered signature": "Bearer " + ".".join([header, payload, flipped(signature)]),
        "wrong secret": "Bearer " + jwt.encode(claims(), "not-the-secret-" + "x" * 40, algorithm="HS256"),
        "HS512": "Bearer " + jwt.encode(claims(), secret, algorithm="HS512"),
        "alg none": "Bearer " + jwt.encode(claims(), "", algorithm="none"),
        "no sub": "Bearer " + jwt.encode({k: v for k, v in claims().items() if k != "sub"}, secret),
    }[case]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize("case", BAD_TOKENS)
def test_bad_token_is_401(shop: Shop, secret: str, method: str, path: str, case: str) -> None:
    assert_401(call(shop, method, path, bad_authorization(case, secret)))


def test_another_customers_order_is_404_and_cannot_be_cancelled(shop: Shop) -> None:
    ana, lucia = shop.login("ana@example.com"), shop.login("lucia@example.com")
    product_id = shop.in_stock()
    answer = requests.post(
        f"{shop.api}/orders",
        json=order_body(shop, product_id),
        headers={**ana, "Idempotency-Key": str(uuid.uuid4())},
        timeout=60,
    )
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]
    before = written(shop, ana, product_id)

    read = requests.get(f"{shop.api}/orders/{order_id}", headers=lucia, timeout=30)
    cancel = requests.post(f"{shop.api}/orders/{order_id}/cancel", headers=lucia, timeout=30)
    listing = requests.get(f"{shop.api}/orders", headers=lucia, params={"limit": 100}, timeout=30)

    assert read.status_code == 404, read.text
    assert cancel.status_code == 404, cancel.text
    assert order_id not in listing.text
    # The same answer as an order that does not exist: nothing tells Lucía the id is real.
    missing = requests.get(f"{shop.api}/orders/o-{'0' * 26}", headers=lucia, timeout=30)
    assert (missing.status_code, missing.json()["code"]) == (404, read.json()["code"])
    order = shop.wait_for_status(ana, order_id, {"SHIPPED", "FAILED", "PAYMENT_FAILED", "CANCELLED"})
    assert order["status"] == "SHIPPED", order
    assert written(shop, ana, product_id).orders == before.orders


def test_a_token_for_another_customer_id_sees_only_that_customers_orders(shop: Shop, secret: str) -> None:
    """The customer is the token's `sub`, never anything the request says."""
    lucia = jwt.encode({**claims(), "sub": "c-0003", "email": "lucia@example.com"}, secret, algorithm="HS256")
    ana_orders = requests.get(f"{shop.api}/orders", headers=shop.login(), params={"limit": 100}, timeout=30).json()
    answer = requests.get(
        f"{shop.api}/orders",
        headers={"Authorization": f"Bearer {lucia}", "X-Customer-Id": "c-0001"},
        params={"customer_id": "c-0001", "limit": "100"},
        timeout=30,
    )
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 200:
        assert {o["id"] for o in answer.json()["items"]}.isdisjoint(o["id"] for o in ana_orders["items"])


# ---- without the authorizer (LocalStack community runs none) ------------------------------------------------------
# The App Server is invoked directly with the proxy event API Gateway sends when no authorizer ran: no
# `requestContext.authorizer`. It must then verify the bearer token itself, with the same key and checks.


def proxy_event(method: str, path: str, authorization: str | None, body: Any = None, **headers: str) -> dict[str, Any]:
    """A REST API (v1) Lambda proxy event for the App Server with no authorizer context."""
    if authorization is not None:
        headers["Authorization"] = authorization
    return api_event(method, path, body=body, headers=headers, query={"limit": "100"} if method == "GET" else None)


def invoke_app_server(shop: Shop, aws: Callable[[str], Any], event: dict[str, Any]) -> tuple[int, Any]:
    answer = aws("lambda").invoke(FunctionName=shop.outputs["AppServerFunctionName"], Payload=json.dumps(event))
    result = json.loads(answer["Payload"].read())
    assert "FunctionError" not in answer, result
    return int(result["statusCode"]), json.loads(result["body"]) if result.get("body") else None


def place_order_event(shop: Shop, authorization: str | None, product_id: str) -> dict[str, Any]:
    body = order_body(shop, product_id)
    return proxy_event("POST", "/orders", authorization, body, **{"Idempotency-Key": str(uuid.uuid4())})


def test_without_authorizer_a_logged_in_customer_lists_their_own_orders(shop: Shop, aws: Callable[[str], Any]) -> None:
    """A token from the real login route is enough: the answer is the caller's orders, as through the authorizer."""
    ana = shop.login("ana@example.com")
    through_api = requests.get(f"{shop.api}/orders", headers=ana, params={"limit": 100}, timeout=30).json()

    status, page = invoke_app_server(shop, aws, proxy_event("GET", "/orders", ana["Authorization"]))

    assert status == 200, page
    assert page["items"], "Ana has seed orders"
    assert {o["customer_id"] for o in page["items"]} == {"c-0001"}
    assert [o["id"] for o in page["items"]] == [o["id"] for o in through_api["items"]]


def test_without_authorizer_a_logged_in_customer_places_an_order(shop: Shop, aws: Callable[[str], Any]) -> None:
    """The shop's main flow on a target without authorizers: the order is the token's customer's."""
    ana, lucia = shop.login("ana@example.com"), shop.login("lucia@example.com")
    product_id = shop.in_stock()
    before = written(shop, ana, product_id)

    status, accepted = invoke_app_server(shop, aws, place_order_event(shop, ana["Authorization"], product_id))

    assert status == 202, accepted
    order = shop.order(ana, accepted["order_id"])
    assert order.status_code == 200 and order.json()["customer_id"] == "c-0001", order.text
    assert shop.order(lucia, accepted["order_id"]).status_code == 404
    assert written(shop, ana, product_id).orders == (accepted["order_id"], *before.orders)


@pytest.mark.parametrize("case", BAD_TOKENS)
def test_without_authorizer_a_bad_token_is_401_and_changes_nothing(
    shop: Shop, aws: Callable[[str], Any], secret: str, case: str
) -> None:
    ana = shop.login("ana@example.com")
    product_id = shop.in_stock()
    before = written(shop, ana, product_id)
    authorization = bad_authorization(case, secret)

    for event in (proxy_event("GET", "/orders", authorization), place_order_event(shop, authorization, product_id)):
        status, body = invoke_app_server(shop, aws, event)
        assert status == 401, body
        assert body["code"] == "unauthorized" and set(body) == {"message", "code"}, body
        assert "Ana" not in json.dumps(body) and "o-seed" not in json.dumps(body)
    assert written(shop, ana, product_id) == before
