"""App Server handler in-process: API Gateway proxy events against moto and a fake Payment System."""

from __future__ import annotations

import importlib
import inspect
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from app_server.handler import handler
from moto.dynamodb.models import DynamoDBBackend
from shared.passwords import hash_password

from stacks.templates import resources
from tests.support.external import DECLINED_CARD, External, external_systems
from tests.support.handlers import (
    CONTEXT,
    JWT_SECRET,
    ShopResources,
    api_event,
    aws_environment,
    closed_port_url,
    create_shop_resources,
    local_mock_aws,
    reset_function_caches,
)

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
ORIGIN = {"Origin": "https://shop.example.com"}
ADDRESS = {"name": "Ana", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"}


def _product(pid: str, category: str, es: str, en: str, price: int, stock: int) -> dict[str, Any]:
    return {
        "id": pid,
        "name": {"es": es, "en": en},
        "description": {"es": f"Descripción de {es}", "en": f"About {en}"},
        "category": category,
        "price": price,
        "currency": "EUR",
        "stock": stock,
        "image": f"/images/{pid}.svg",
        "created_at": "2026-11-01T00:00:00Z",
    }


PRODUCTS = [
    _product("p-0001", "electronica", "Cámara réflex", "Reflex camera", 45000, 5),
    _product("p-0002", "hogar", "Lámpara", "Lamp", 2500, 1),
    _product("p-0003", "hogar", "Sartén", "Frying pan", 1999, 10),
    _product("p-0004", "libros", "Novela", "Novel", 1500, 10),
    _product("p-0005", "electronica", "Auriculares", "Headphones", 9900, 3),
]


@dataclass
class Shop:
    aws: ShopResources
    payments: External

    def call(self, event: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        response = handler(event, CONTEXT)
        body = json.loads(response["body"]) if response.get("body") else None
        headers = dict(response.get("headers") or {})
        headers.update({k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v})
        return response["statusCode"], headers, body

    def place(
        self,
        key: str | None = "key-1",
        customer: str = "c-0001",
        token: str | None = None,  # a good card's, unless given
        **lines: int,
    ) -> tuple[int, dict[str, str], Any]:
        items = [{"product_id": pid.replace("_", "-"), "quantity": q} for pid, q in (lines or {"p_0001": 1}).items()]
        headers = {"Idempotency-Key": key} if key else {}
        body = {"items": items, "address": ADDRESS, "payment_token": token or self.payments.good_token}
        return self.call(api_event("POST", "/orders", body=body, headers=headers, customer_id=customer))


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    aws_environment(monkeypatch)
    with local_mock_aws(), external_systems() as external:
        monkeypatch.setenv("PAYMENT_URL", external.payment.url)
        resources = create_shop_resources(monkeypatch)
        for item in PRODUCTS:
            resources.products.put_item(Item=item)
        for cid, email, name, locale in (
            ("c-0001", "ana@example.com", "Ana", "es"),
            ("c-0002", "bob@example.com", "Bob", "en"),
        ):
            resources.customers.put_item(
                Item={
                    "email": email,
                    "id": cid,
                    "name": name,
                    "password_hash": hash_password(f"pw-{name}", iterations=1000),
                    "locale": locale,
                }
            )
        reset_function_caches()
        yield Shop(resources, external)
        reset_function_caches()


# ---- catalog -------------------------------------------------------------------------------------------------------


def test_products_filter_search_and_cors(shop: Shop) -> None:
    status, headers, body = shop.call(api_event("GET", "/products", query={"category": "electronica"}, headers=ORIGIN))
    assert status == 200 and [p["id"] for p in body["items"]] == ["p-0001", "p-0005"]
    assert headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN["Origin"])
    _, _, found = shop.call(api_event("GET", "/products", query={"q": "CAMARA"}))
    assert [p["id"] for p in found["items"]] == ["p-0001"]
    _, _, found = shop.call(api_event("GET", "/products", query={"q": "frying"}))
    assert [p["id"] for p in found["items"]] == ["p-0003"]


def test_products_pages(shop: Shop) -> None:
    ids: list[str] = []
    query = {"limit": "2"}
    for _ in range(5):
        status, _, body = shop.call(api_event("GET", "/products", query=query))
        assert status == 200
        ids += [p["id"] for p in body["items"]]
        if not body["next_token"]:
            break
        query = {"limit": "2", "next_token": body["next_token"]}
    assert ids == [p["id"] for p in PRODUCTS]


@pytest.mark.parametrize(("query", "field"), [({"limit": "0"}, "limit"), ({"limit": "101"}, "limit")])
def test_bad_query_is_400_naming_the_field(shop: Shop, query: dict[str, str], field: str) -> None:
    status, headers, body = shop.call(api_event("GET", "/products", query=query, headers=ORIGIN))
    assert status == 400 and body["field"] == field and body["code"] == "validation_error"
    assert "Access-Control-Allow-Origin" in headers


def test_product_by_id_and_404(shop: Shop) -> None:
    status, _, body = shop.call(api_event("GET", "/products/p-0002", path_parameters={"product_id": "p-0002"}))
    assert status == 200 and body["name"] == {"es": "Lámpara", "en": "Lamp"} and body["stock"] == 1
    status, headers, body = shop.call(api_event("GET", "/products/p-9999", headers=ORIGIN))
    assert status == 404 and "p-9999" in body["message"] and body["code"] == "not_found"
    assert "Access-Control-Allow-Origin" in headers


def test_categories(shop: Shop) -> None:
    status, _, body = shop.call(api_event("GET", "/categories"))
    assert status == 200
    assert [(c["id"], c["count"]) for c in body] == [("electronica", 2), ("hogar", 2), ("libros", 1)]
    assert body[0]["name"] == {"es": "Electrónica", "en": "Electronics"}


def test_openapi_document_is_served_and_matches_the_committed_copy(shop: Shop) -> None:
    status, _, body = shop.call(api_event("GET", "/openapi.json"))
    assert status == 200 and body == json.loads((FUNCTIONS / "app_server" / "openapi.json").read_text())


# ---- login ---------------------------------------------------------------------------------------------------------


def test_login_ok_returns_a_signed_token(shop: Shop) -> None:
    body_in = {"email": "ana@example.com", "password": "pw-Ana"}
    status, _, body = shop.call(api_event("POST", "/auth/login", body=body_in))
    assert status == 200
    assert body["customer"] == {"id": "c-0001", "email": "ana@example.com", "name": "Ana", "locale": "es"}
    claims = jwt.decode(body["token"], JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == "c-0001" and claims["exp"] - claims["iat"] == 3600
    assert body["expires_at"].endswith("Z")


def test_login_carries_the_customers_locale(shop: Shop) -> None:
    """The storefront switches to the customer's language after login (issue 15)."""
    body_in = {"email": "bob@example.com", "password": "pw-Bob"}
    status, _, body = shop.call(api_event("POST", "/auth/login", body=body_in))
    assert status == 200 and body["customer"]["locale"] == "en"


def test_login_bad_credentials_are_401_with_one_message(shop: Shop) -> None:
    answers = [
        shop.call(api_event("POST", "/auth/login", body={"email": email, "password": password}))
        for email, password in (("ana@example.com", "wrong"), ("nobody@example.com", "pw-Ana"))
    ]
    assert [a[0] for a in answers] == [401, 401]
    assert answers[0][2] == answers[1][2] == {"message": "invalid email or password", "code": "unauthorized"}


def test_login_malformed_body_is_400(shop: Shop) -> None:
    status, _, body = shop.call(api_event("POST", "/auth/login", body={"email": "not-an-email", "password": "x"}))
    assert status == 400 and body["field"] == "email"
    status, _, body = shop.call(api_event("POST", "/auth/login", body="{not json"))
    assert status == 400


# ---- placing orders ------------------------------------------------------------------------------------------------


def test_place_order_happy_path(shop: Shop) -> None:
    status, headers, body = shop.place(p_0001=2, p_0003=1)
    assert status == 202 and body["status"] == "PENDING"
    order_id = body["order_id"]
    assert headers["Location"] == f"/orders/{order_id}"
    stored = shop.aws.orders.get_item(Key={"id": order_id})["Item"]
    assert stored["status"] == "PENDING" and stored["total"] == 2 * 45000 + 1999
    assert stored["customer_id"] == "c-0001" and stored["address"]["country"] == "ES"
    assert (shop.aws.stock("p-0001"), shop.aws.stock("p-0003")) == (3, 9)
    payment_id = stored["payment"]["id"]
    assert shop.aws.queue_messages() == [{"order_id": order_id}]
    assert shop.payments.keys("auth-") == [f"auth-{order_id}"]  # the order id is per customer and key
    assert shop.payments.payments[payment_id]["amount"] == 91999  # the catalog's prices, not the client's


def test_same_idempotency_key_replays_the_first_answer(shop: Shop) -> None:
    first = shop.place(key="retry-me", p_0001=1)
    second = shop.place(key="retry-me", p_0001=1)
    assert first[0] == second[0] == 202 and first[2] == second[2]
    assert shop.aws.order_count() == 1 and shop.aws.stock("p-0001") == 4
    assert shop.payments.keys("auth-") == [f"auth-{first[2]['order_id']}"]  # one authorization
    assert len(shop.aws.queue_messages()) == 1


def test_same_key_with_another_body_is_rejected(shop: Shop) -> None:
    assert shop.place(key="k", p_0001=1)[0] == 202
    status, _, body = shop.place(key="k", p_0001=2)
    assert status == 422 and body["code"] == "idempotency_key_reused" and body["field"] == "Idempotency-Key"
    assert shop.aws.order_count() == 1


def test_same_key_from_another_customer_is_another_order(shop: Shop) -> None:
    a = shop.place(key="shared-key", customer="c-0001")
    b = shop.place(key="shared-key", customer="c-0002")
    assert a[0] == b[0] == 202 and a[2]["order_id"] != b[2]["order_id"]


def test_idempotency_key_is_required(shop: Shop) -> None:
    status, _, body = shop.place(key=None)
    assert status == 400 and body["field"] == "Idempotency-Key"
    assert shop.aws.order_count() == 0


def test_declined_card_is_402_and_writes_nothing(shop: Shop) -> None:
    status, _, body = shop.place(token=shop.payments.token(DECLINED_CARD))
    assert status == 402 and body["code"] == "payment_declined" and "declined" in body["message"]
    assert shop.aws.order_count() == 0 and shop.aws.stock("p-0001") == 5 and shop.aws.queue_messages() == []


def test_payment_system_down_is_503_and_writes_nothing(shop: Shop) -> None:
    shop.payments.down = True
    status, _, body = shop.place()
    assert status == 503 and body["code"] == "payment_unavailable"
    assert shop.aws.order_count() == 0 and shop.aws.stock("p-0001") == 5 and shop.aws.queue_messages() == []
    shop.payments.down = False
    assert shop.place()[0] == 202  # a failure is not stored: the same key works once the system is back


def test_payment_system_unreachable_is_503(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMENT_URL", closed_port_url())
    reset_function_caches()
    assert shop.place()[0] == 503
    assert shop.aws.order_count() == 0


def test_out_of_stock_is_409_naming_the_product(shop: Shop) -> None:
    status, _, body = shop.place(p_0002=2)
    assert status == 409 and "p-0002" in body["message"] and body["code"] == "out_of_stock"
    assert shop.aws.stock("p-0002") == 1 and shop.aws.order_count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"product_id": "p-0001", "quantity": 0}]}, "items.0.quantity"),
        ({"items": []}, "items"),
        ({"address": {**ADDRESS, "country": "Spain"}}, "address.country"),
        ({"payment_token": ""}, "payment_token"),
        ({"items": [{"product_id": "p-0404", "quantity": 1}]}, "items.0.product_id"),
    ],
)
def test_invalid_order_is_400_naming_the_field(shop: Shop, change: dict[str, Any], field: str) -> None:
    body = {"items": [{"product_id": "p-0001", "quantity": 1}], "address": ADDRESS, "payment_token": "tok_ok"} | change
    event = api_event("POST", "/orders", body=body, headers={"Idempotency-Key": "v"}, customer_id="c-0001")
    status, _, answer = shop.call(event)
    assert status == 400 and answer["field"] == field, answer


def test_orders_without_authorizer_context_need_a_valid_bearer_token(shop: Shop) -> None:
    status, _, body = shop.call(api_event("GET", "/orders"))
    assert status == 401 and body["code"] == "unauthorized"
    forged = jwt.encode(
        {"sub": "c-0001", "email": "a", "name": "A", "iat": 1, "exp": 4102444800}, "not-the-secret-" + "x" * 40
    )
    status, _, body = shop.call(api_event("GET", "/orders", headers={"Authorization": f"Bearer {forged}"}))
    assert status == 401 and body["code"] == "unauthorized"
    status, _, login = shop.call(
        api_event("POST", "/auth/login", body={"email": "bob@example.com", "password": "pw-Bob"})
    )
    assert status == 200, login
    status, _, page = shop.call(api_event("GET", "/orders", headers={"Authorization": f"Bearer {login['token']}"}))
    assert status == 200 and page["items"] == [], page


def _serialize_moto_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB runs a transaction atomically; moto checks and writes item by item and, on failure, restores a
    copy of the whole table, so two threads can undo each other. A lock gives moto DynamoDB's guarantee."""
    original = DynamoDBBackend.transact_write_items
    lock = threading.Lock()

    def serialized(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        with lock:
            original(self, transact_items)

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", serialized)


def test_moto_transaction_internal_still_exists() -> None:
    """The race test patches this moto internal; fail loudly if moto renames it."""
    assert list(inspect.signature(DynamoDBBackend.transact_write_items).parameters) == ["self", "transact_items"]


def test_two_orders_race_for_the_last_unit(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    _serialize_moto_transactions(monkeypatch)
    barrier = threading.Barrier(2)
    results: dict[str, tuple[int, dict[str, str], Any]] = {}

    def buy(customer: str) -> None:
        barrier.wait()
        results[customer] = shop.place(key=f"race-{customer}", customer=customer, p_0002=1)

    threads = [threading.Thread(target=buy, args=(c,)) for c in ("c-0001", "c-0002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r[0] for r in results.values()) == [202, 409]
    assert shop.aws.stock("p-0002") == 0 and shop.aws.order_count() == 1
    # Whoever lost after authorizing had the authorization voided; nothing of the loser is left held.
    authorized = len(shop.payments.keys("auth-"))
    voided = len(shop.payments.keys("void-"))
    assert authorized - voided == 1


# ---- reading and cancelling orders ---------------------------------------------------------------------------------


def test_orders_are_private_and_listed_newest_first(shop: Shop) -> None:
    mine = [shop.place(key=f"k{i}", p_0003=1)[2]["order_id"] for i in range(3)]
    theirs = shop.place(key="b", customer="c-0002", p_0003=1)[2]["order_id"]
    status, _, body = shop.call(api_event("GET", f"/orders/{theirs}", customer_id="c-0001"))
    assert status == 404 and theirs in body["message"]
    status, _, body = shop.call(api_event("GET", f"/orders/{mine[0]}", customer_id="c-0001"))
    assert status == 200 and body["id"] == mine[0] and body["items"][0]["unit_price"] == 1999
    _, _, first = shop.call(api_event("GET", "/orders", query={"limit": "2"}, customer_id="c-0001"))
    _, _, second = shop.call(
        api_event("GET", "/orders", query={"limit": "2", "next_token": first["next_token"]}, customer_id="c-0001")
    )
    listed = [o["id"] for o in first["items"] + second["items"]]
    assert sorted(listed) == sorted(mine) and theirs not in listed
    created = [o["created_at"] for o in first["items"] + second["items"]]
    assert created == sorted(created, reverse=True)


def test_cancel_pending_order_voids_and_restores_stock(shop: Shop) -> None:
    order_id = shop.place(p_0001=2)[2]["order_id"]
    assert shop.aws.stock("p-0001") == 3
    event = api_event("POST", f"/orders/{order_id}/cancel", customer_id="c-0001")
    status, _, body = shop.call(event)
    assert status == 200 and body["status"] == "CANCELLED" and body["payment"]["status"] == "voided"
    assert shop.aws.stock("p-0001") == 5
    assert shop.payments.keys("void-") == [f"void-{order_id}"]
    status, _, body = shop.call(event)
    assert status == 409 and body["message"] == f"order {order_id} cannot be cancelled in status CANCELLED"
    assert shop.aws.stock("p-0001") == 5


def test_cancel_another_customers_order_is_404(shop: Shop) -> None:
    order_id = shop.place(customer="c-0002")[2]["order_id"]
    status, _, _ = shop.call(api_event("POST", f"/orders/{order_id}/cancel", customer_id="c-0001"))
    assert status == 404
    assert shop.aws.orders.get_item(Key={"id": order_id})["Item"]["status"] == "PENDING"


def test_each_function_s_handler_is_the_one_its_folder_and_the_stack_name() -> None:
    """One name per function: folder functions/<name>/, package <name>, Handler <name>.handler.handler."""
    handlers = [r["Properties"]["Handler"] for r in resources("app").values() if r["Type"] == "AWS::Lambda::Function"]
    assert len(handlers) == 3
    for handler_path in handlers:
        module_name, _, attribute = handler_path.rpartition(".")
        name = module_name.split(".")[0]
        assert module_name == f"{name}.handler" and attribute == "handler"
        assert (FUNCTIONS / name / name / "handler.py").is_file()
        assert inspect.isfunction(inspect.unwrap(getattr(importlib.import_module(module_name), attribute)))
