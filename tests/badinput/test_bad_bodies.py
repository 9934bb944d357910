"""Bad bodies against the deployed API: a clear 4xx with the documented error shape, and nothing written.

Found here and fixed in the App Server: a body sent as text/plain or XML was a 500 (Powertools' unsupported
content type error was unhandled), and JSON `true` or `"2"` was accepted as a quantity (pydantic's lax mode).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support.badinput import Written, order_body, written
from tests.support.shop import Shop


@pytest.fixture(scope="module")
def auth(shop: Shop) -> dict[str, str]:
    return shop.login()


@pytest.fixture(scope="module")
def product_id(shop: Shop) -> str:
    return shop.in_stock()


@pytest.fixture
def unchanged(shop: Shop, auth: dict[str, str], product_id: str) -> Iterator[Written]:
    """Asserts, after the test, that no order, stock change or payment came of it."""
    before = written(shop, auth, product_id)
    yield before
    assert written(shop, auth, product_id) == before


def post_order(shop: Shop, auth: dict[str, str], **request: Any) -> requests.Response:
    headers = {**auth, "Idempotency-Key": str(uuid.uuid4()), **request.pop("headers", {})}
    return requests.post(f"{shop.api}/orders", headers=headers, timeout=60, **request)


def assert_clear_400(answer: requests.Response, field: str | None = None) -> dict[str, Any]:
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body = dict(answer.json())
    assert body["code"] and body["message"], body
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.mark.parametrize(
    ("quantity", "why"),
    [
        (-1, "negative"),
        (0, "zero"),
        (10**30, "huge"),
        (2**63, "beyond a 64-bit integer"),
        (21, "over the per-line limit"),
        (1.5, "fractional"),
        ("2", "a string"),
        (True, "a boolean"),
        (None, "null"),
    ],
)
def test_bad_quantity_is_400_naming_the_field(
    shop: Shop, auth: dict[str, str], product_id: str, unchanged: Written, quantity: Any, why: str
) -> None:
    body = order_body(shop, product_id, items=[{"product_id": product_id, "quantity": quantity}])

    assert_clear_400(post_order(shop, auth, json=body), "items.0.quantity")


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", "JSON"),
        ("application/xml", "<order><quantity>1</quantity></order>"),
        ("application/x-www-form-urlencoded", "items=p-0001&quantity=1"),
        ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'),
        ("application/octet-stream", "\x00\x01\x02"),
    ],
)
def test_wrong_content_type_is_400(
    shop: Shop, auth: dict[str, str], product_id: str, unchanged: Written, content_type: str, data: str
) -> None:
    payload = json.dumps(order_body(shop, product_id)) if data == "JSON" else data

    answer = post_order(shop, auth, data=payload.encode(), headers={"Content-Type": content_type})

    assert_clear_400(answer)


def test_login_with_a_wrong_content_type_is_400(shop: Shop) -> None:
    answer = requests.post(
        f"{shop.api}/auth/login",
        data=json.dumps({"email": "ana@example.com", "password": "Demo-1234"}),
        headers={"Content-Type": "text/plain"},
        timeout=30,
    )
    assert_clear_400(answer, "body")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b"", "body"),
        (b"{", None),
        (b"[1, 2]", "body"),
        (b'"a string"', "body"),
        (b"\xff\xfe not utf-8", None),
        (b'{"items": [], "address": {}, "payment_token": ""}', None),
    ],
)
def test_malformed_json_is_400(
    shop: Shop, auth: dict[str, str], unchanged: Written, data: bytes, field: str | None
) -> None:
    answer = post_order(shop, auth, data=data, headers={"Content-Type": "application/json"})

    assert_clear_400(answer, field)


@pytest.mark.parametrize("megabytes", [1, 5])
def test_oversized_body_is_400(
    shop: Shop, auth: dict[str, str], product_id: str, unchanged: Written, megabytes: int
) -> None:
    body = order_body(shop, product_id)
    body["address"]["name"] = "x" * (megabytes * 1024 * 1024)
    assert_clear_400(post_order(shop, auth, json=body), "address.name")

    many = order_body(shop, product_id, items=[{"product_id": f"p-{i:04d}", "quantity": 1} for i in range(20000)])
    assert_clear_400(post_order(shop, auth, json=many), "items")


def test_oversized_login_is_400(shop: Shop) -> None:
    answer = requests.post(
        f"{shop.api}/auth/login", json={"email": "a" * (2 * 1024 * 1024) + "@example.com", "password": "x"}, timeout=60
    )
    assert answer.status_code in (400, 401), answer.text
    assert answer.json()["code"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('"\\ud800"', "address.name"),  # a lone surrogate is not a Unicode string
        ('"\\udfff\\ud800"', "address.name"),
    ],
)
def test_invalid_unicode_is_400(
    shop: Shop, auth: dict[str, str], product_id: str, unchanged: Written, raw: str, field: str
) -> None:
    text = json.dumps(order_body(shop, product_id, address={**order_body(shop, product_id)["address"], "name": "@"}))
    data = text.replace('"@"', raw).encode()

    assert_clear_400(post_order(shop, auth, data=data, headers={"Content-Type": "application/json"}), field)


def test_unknown_unicode_product_is_400(shop: Shop, auth: dict[str, str], product_id: str, unchanged: Written) -> None:
    body = order_body(shop, product_id, items=[{"product_id": "p-ü🚀\u202e", "quantity": 1}])

    assert_clear_400(post_order(shop, auth, json=body), "items.0.product_id")
    assert requests.get(f"{shop.api}/products/p-ü🚀", timeout=30).status_code in (400, 404)


def test_unicode_address_is_accepted_and_kept_exactly(shop: Shop, auth: dict[str, str], product_id: str) -> None:
    """Valid Unicode is not bad input: accents, CJK, right-to-left and emoji survive the round trip."""
    name = "Zoë Ñúñez 漢字 مرحبا 🚀"
    body = order_body(shop, product_id)
    body["address"]["name"] = name

    answer = post_order(shop, auth, json=body)

    assert answer.status_code == 202, answer.text
    order = shop.wait_for_status(auth, answer.json()["order_id"], {"SHIPPED", "FAILED", "PAYMENT_FAILED"})
    assert order["address"]["name"] == name
    assert order["status"] == "SHIPPED", order
