"""The seed: committed files equal a fresh generation, the data is consistent, and the loader writes it.

Loading runs against moto in-process (`mock_aws`), with the tables created here from docs/data-model.md.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from shared.orders import Order

from seed.dynamo import BATCH_LIMIT, TABLE_FILES, logical_name, to_item
from seed.generate import AS_OF
from seed.load import MAX_ATTEMPTS, load_all, resolve_tables, tables_from_stack, write_batch
from seed.validate import SeedError

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed"
DATA = SEED / "data"
# Seeded orders are history the running system could have produced: terminal, and their customer told.
STATUSES = {"SHIPPED", "PAYMENT_FAILED", "FAILED", "CANCELLED"}
TABLES = {"Products": "test-shop-products", "Orders": "test-shop-orders", "Customers": "test-shop-customers"}


def read(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def products() -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in read("products.json")}


@pytest.fixture(scope="module")
def customers() -> list[dict[str, Any]]:
    return read("customers.json")


@pytest.fixture(scope="module")
def orders() -> list[dict[str, Any]]:
    return read("orders.json")


def generated_files(root: Path) -> dict[str, bytes]:
    paths = [*root.glob("data/*.json"), *root.glob("data/dynamodb/*.json"), *root.glob("images/*.svg")]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}


# --- generation -----------------------------------------------------------------------------------------


def python_module(module: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m MODULE ARGS` from the repository root, as the Makefile runs the seed tools."""
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_fresh_generation_is_byte_identical_to_the_committed_files(tmp_path: Path) -> None:
    # A new interpreter with another hash seed: set/dict-order or salt randomness would show up as a diff.
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    run = python_module("seed.generate", "--out", str(tmp_path), env=env)
    assert run.returncode == 0, run.stderr
    fresh, committed = generated_files(tmp_path), generated_files(SEED)
    assert sorted(fresh) == sorted(committed), "the set of generated files changed: run `python -m seed.generate`"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, (
        f"committed seed files differ from a fresh generation: {changed[:5]}; run python -m seed.generate"
    )


def test_catalog_size_categories_and_stock_edge_cases(products: dict[str, dict[str, Any]]) -> None:
    assert len(products) >= 60
    categories = {p["category"] for p in products.values()}
    assert len(categories) >= 6
    assert {"electronica", "hogar", "deportes", "libros", "moda", "juguetes"} <= categories
    assert list(products) == [f"p-{n:04d}" for n in range(1, len(products) + 1)]
    stocks = [p["stock"] for p in products.values()]
    assert 0 in stocks, "no sold-out product"
    assert 1 in stocks, "no last-unit product"
    assert all(isinstance(s, int) and s >= 0 for s in stocks)
    for p in products.values():
        assert isinstance(p["price"], int) and p["price"] > 0, p["id"]
        assert p["currency"] == "EUR"
        for field in ("name", "description"):
            assert set(p[field]) == {"es", "en"} and all(p[field].values()), p["id"]
            assert p[field]["es"] != p[field]["en"] or field == "name", p["id"]  # translated, not copied
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", p["created_at"]), p["id"]
    names = [p["name"]["es"] for p in products.values()]
    assert len(set(names)) == len(names), "duplicate product names"


def test_every_product_has_its_own_svg_image(products: dict[str, dict[str, Any]]) -> None:
    images = sorted((SEED / "images").glob("*.svg"))
    assert [p.name for p in images] == [f"{pid}.svg" for pid in products]
    contents = set()
    for pid, product in products.items():
        assert product["image"] == f"/images/{pid}.svg"
        svg = (SEED / "images" / f"{pid}.svg").read_text(encoding="utf-8")
        root = ET.fromstring(svg)  # noqa: S314 - our own file; well-formed XML, or browsers show nothing
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("viewBox") == "0 0 400 300"
        assert len(svg.encode()) < 4096, f"{pid}.svg should stay small"
        contents.add(svg)
    assert len(contents) == len(products), "two products share an identical image"


def test_images_show_the_products_kind_without_words_or_ids(products: dict[str, dict[str, Any]]) -> None:
    """An image is the product's kind (headphones, not a monitor), with nothing to read: the page names it."""
    from seed.catalog import PRODUCTS
    from seed.generate import ICONS

    assert len(PRODUCTS) == len(products)
    for (pid, product), spec in zip(products.items(), PRODUCTS, strict=True):
        assert product["name"]["en"] == spec.name_en
        svg = (SEED / "images" / f"{pid}.svg").read_text(encoding="utf-8")
        root = ET.fromstring(svg)  # noqa: S314 - our own file
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"text", "title", "desc", "tspan"}, f"{pid}.svg has words: {tags}"
        assert "p-0" not in svg and "aria-label" not in svg, pid
        background = root.find("{http://www.w3.org/2000/svg}rect")
        assert background is not None
        assert ICONS[spec.icon].format(bg=background.get("fill")) in svg, f"{pid} should show a {spec.icon}"
    assert len(set(ICONS.values())) == len(ICONS), "two kinds share one drawing"
    assert {p.icon for p in PRODUCTS if "headphones" in p.name_en} == {"headphones"}
    assert {p.icon for p in PRODUCTS if "monitor" in p.name_en} == {"monitor"}


def test_demo_customers_log_in_with_the_documented_password(customers: list[dict[str, Any]]) -> None:
    passwords = pytest.importorskip("functions.shared.passwords")
    assert len(customers) >= 5
    emails = [c["email"] for c in customers]
    assert "ana@example.com" in emails
    assert len(set(emails)) == len(emails)
    assert [c["id"] for c in customers] == [f"c-{n:04d}" for n in range(1, len(customers) + 1)]
    for c in customers:
        assert re.fullmatch(r"pbkdf2_sha256\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+", c["password_hash"])
        assert c["password_hash"].split("$")[1] == str(passwords.DEFAULT_ITERATIONS)
        assert passwords.verify_password("Demo-1234", c["password_hash"]), c["email"]
        assert not passwords.verify_password("demo-1234", c["password_hash"])
        assert c["locale"] in ("es", "en")
    salts = {c["password_hash"].split("$")[2] for c in customers}
    assert len(salts) == len(customers), "each account needs its own salt"
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    assert "ana@example.com" in readme and "Demo-1234" in readme


def test_orders_cover_every_status_and_are_consistent(
    orders: list[dict[str, Any]], products: dict[str, dict[str, Any]], customers: list[dict[str, Any]]
) -> None:
    assert len(orders) >= 60
    assert [o["id"] for o in orders] == [f"o-seed-{n:04d}" for n in range(1, len(orders) + 1)]
    assert {o["status"] for o in orders} == STATUSES
    customer_ids = {c["id"] for c in customers}
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    as_of = AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ")
    for o in orders:
        oid, status = o["id"], o["status"]
        assert o["customer_id"] in customer_ids, oid
        assert o["created_at"] <= o["updated_at"] < as_of <= now, oid
        assert o["currency"] == "EUR"
        assert o["items"], oid
        assert len({i["product_id"] for i in o["items"]}) == len(o["items"]), f"{oid}: a product on two lines"
        for item in o["items"]:
            product = products[item["product_id"]]
            assert item["unit_price"] == product["price"], oid
            assert item["name"] == product["name"], oid  # both names, as the App Server stores them
            assert isinstance(item["quantity"], int) and item["quantity"] >= 1, oid
        assert o["total"] == sum(i["unit_price"] * i["quantity"] for i in o["items"]), oid
        assert set(o["address"]) == {"name", "line1", "city", "postal_code", "country"}, oid

        payment, shipment = o.get("payment"), o.get("shipment")
        expected_payment = {
            "SHIPPED": {"captured"},
            "PAYMENT_FAILED": {"voided"},
            "FAILED": {"refunded"},
            "CANCELLED": {"voided", "refunded"},
        }
        assert payment is not None and payment["id"].startswith("pay_"), oid
        assert payment["status"] in expected_payment[status], oid
        if status == "SHIPPED":
            assert shipment is not None and shipment["id"].startswith("shp_") and shipment["tracking_number"], oid
        else:
            assert shipment is None, oid
        assert bool(o.get("failure_code")) == (status in ("FAILED", "PAYMENT_FAILED")), oid
        assert o["notified_status"] == status, oid
        assert "sweep_at" not in o, oid  # finished: not in the sweeper's index
        Order.model_validate(o)  # the record the functions read


def test_the_demo_account_has_an_order_in_every_status(
    orders: list[dict[str, Any]], customers: list[dict[str, Any]]
) -> None:
    ana = next(c["id"] for c in customers if c["email"] == "ana@example.com")
    assert {o["status"] for o in orders if o["customer_id"] == ana} == STATUSES
    assert len({o["customer_id"] for o in orders}) == len(customers), "every demo customer has history"


def test_orders_match_the_functions_order_model(orders: list[dict[str, Any]]) -> None:
    shared_orders = pytest.importorskip("functions.shared.orders")
    for o in orders:
        shared_orders.Order.model_validate(o)


def test_request_files_hold_at_most_25_puts_and_every_item_once() -> None:
    for table, filename in TABLE_FILES.items():
        files = sorted((DATA / "dynamodb").glob(f"{table.lower()}-*.json"))
        assert files, f"no request files for {table}"
        puts: list[dict[str, Any]] = []
        for path in files:
            request = json.loads(path.read_text(encoding="utf-8"))
            assert list(request) == [table], f"{path.name}: the table key must be the logical name {table}"
            assert 1 <= len(request[table]) <= BATCH_LIMIT, path.name
            assert path.read_text(encoding="utf-8").startswith(f'{{"{table}": [\n'), "README's sed expects this"
            puts.extend(r["PutRequest"]["Item"] for r in request[table])
        assert puts == [to_item(r) for r in read(filename)], table


# --- loading --------------------------------------------------------------------------------------------


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto in-process with the data model's three tables (keys and indexes)."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # the session's local cloud must not get these calls
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        schemas = {
            "Products": ("id", [("by-category", "category", "id")]),
            "Orders": ("id", [("by-customer", "customer_id", "created_at")]),
            "Customers": ("email", []),
        }
        for table, (key, indexes) in schemas.items():
            names = {key} | {a for _, h, r in indexes for a in (h, r)}
            spec: dict[str, Any] = {
                "TableName": TABLES[table],
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in sorted(names)],
            }
            if indexes:
                spec["GlobalSecondaryIndexes"] = [
                    {
                        "IndexName": name,
                        "KeySchema": [
                            {"AttributeName": h, "KeyType": "HASH"},
                            {"AttributeName": r, "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                    for name, h, r in indexes
                ]
            client.create_table(**spec)
        yield client


def count(client: Any, table: str) -> int:
    total, kwargs = 0, {"TableName": TABLES[table], "Select": "COUNT"}
    while True:
        page = client.scan(**kwargs)
        total += page["Count"]
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_load_of_the_catalog_only_writes_no_customer_and_no_order(dynamodb: Any) -> None:
    counts = load_all(TABLES, dynamodb, sleep=lambda _: None, only=("Products",))
    assert counts == {"Products": len(read(TABLE_FILES["Products"]))}
    assert (count(dynamodb, "Customers"), count(dynamodb, "Orders")) == (0, 0)


def test_load_writes_everything_and_loading_twice_changes_nothing(dynamodb: Any) -> None:
    expected = {table: len(read(filename)) for table, filename in TABLE_FILES.items()}
    assert load_all(TABLES, dynamodb, sleep=lambda _: None) == expected
    assert {t: count(dynamodb, t) for t in TABLES} == expected
    first = dynamodb.scan(TableName=TABLES["Orders"])["Items"]

    # The deploy tool passes its stack output keys; those name the same tables.
    outputs = {f"{t}TableName": name for t, name in TABLES.items()}
    assert load_all(outputs, dynamodb, sleep=lambda _: None) == expected
    assert {t: count(dynamodb, t) for t in TABLES} == expected
    assert sorted(dynamodb.scan(TableName=TABLES["Orders"])["Items"], key=lambda i: i["id"]["S"]) == sorted(
        first, key=lambda i: i["id"]["S"]
    )

    laptop = dynamodb.get_item(TableName=TABLES["Products"], Key={"id": {"S": "p-0006"}})["Item"]
    assert laptop["price"] == {"N": "129900"} and laptop["name"]["M"]["es"]["S"].startswith("Portátil")
    ana = dynamodb.get_item(TableName=TABLES["Customers"], Key={"email": {"S": "ana@example.com"}})["Item"]
    assert ana["id"] == {"S": "c-0001"}
    by_customer = dynamodb.query(
        TableName=TABLES["Orders"],
        IndexName="by-customer",
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": "c-0001"}},
    )
    assert {i["status"]["S"] for i in by_customer["Items"]} == STATUSES


Mutation = Callable[[dict[str, list[dict[str, Any]]]], None]


def _set(table: str, item_id: str, key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, list[dict[str, Any]]]) -> None:
        item = next(i for i in data[table] if i.get("id") == item_id or i.get("email") == item_id)
        if value is KeyError:
            del item[key]
        else:
            item[key] = value

    return mutate


# (test id, file, item, key, its new value or KeyError to drop it, what the error says after "<file> item <item>: ")
BAD_DATA: list[tuple[str, str, str, str, Any, str]] = [
    ("negative stock", "products.json", "p-0007", "stock", -1, "stock must be >= 0, got -1"),
    ("missing key", "products.json", "p-0003", "price", KeyError, "missing key 'price'"),
    ("float price", "products.json", "p-0010", "price", 12.5, "price must be a positive integer, got 12.5"),
    ("zero price", "products.json", "p-0011", "price", 0, "price must be a positive integer, got 0"),
    (
        "unknown customer",
        "orders.json",
        "o-seed-0005",
        "customer_id",
        "c-9999",
        "customer_id 'c-9999' is not in customers.json",
    ),
    ("wrong total", "orders.json", "o-seed-0009", "total", 1, "total must be the sum"),
    ("bad status", "orders.json", "o-seed-0002", "status", "LOST", "status must be one of"),
    (
        "customer without hash",
        "customers.json",
        "ana@example.com",
        "password_hash",
        KeyError,
        "missing key 'password_hash'",
    ),
]


def bad_copy(tmp_path: Path, mutate: Mutation) -> Path:
    data = {name: read(name) for name in TABLE_FILES.values()}
    data = copy.deepcopy(data)
    mutate(data)
    for name, records in data.items():
        (tmp_path / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [(_set(f, item, key, value), f"{f} item {item}: {says}") for _, f, item, key, value, says in BAD_DATA],
    ids=[case[0] for case in BAD_DATA],
)
def test_invalid_data_stops_the_load_naming_the_item_and_writes_nothing(
    dynamodb: Any, tmp_path: Path, mutate: Mutation, message: str
) -> None:
    with pytest.raises(SeedError) as raised:
        load_all(TABLES, dynamodb, bad_copy(tmp_path, mutate))
    assert message in str(raised.value)
    assert "nothing was written" in str(raised.value)
    assert {t: count(dynamodb, t) for t in TABLES} == {t: 0 for t in TABLES}


def test_an_order_with_an_unknown_product_is_named(tmp_path: Path) -> None:
    def mutate(data: dict[str, list[dict[str, Any]]]) -> None:
        data["orders.json"][11]["items"][0]["product_id"] = "p-9999"

    with pytest.raises(SeedError, match=r"orders\.json item o-seed-0012: items\[1\]\.product_id 'p-9999' is not in"):
        load_all(TABLES, object(), bad_copy(tmp_path, mutate))


def test_the_command_line_exits_non_zero_on_bad_data_before_touching_aws(tmp_path: Path) -> None:
    data_dir = bad_copy(tmp_path, _set("products.json", "p-0007", "stock", -1))
    # An endpoint where nothing listens: the run must fail on the data, never reach the network.
    env = {**os.environ, "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_DEFAULT_REGION": "us-east-1"}
    args = ["--data-dir", str(data_dir), "--products-table", "p", "--orders-table", "o", "--customers-table", "c"]
    run = python_module("seed.load", *args, env=env)
    assert run.returncode == 1
    assert "products.json item p-0007: stock must be >= 0, got -1" in run.stderr
    assert run.stdout == ""


class FlakyClient:
    """A DynamoDB client that leaves the last `hold_back` requests unprocessed `times` times."""

    def __init__(self, hold_back: int, times: int) -> None:
        self.hold_back, self.times = hold_back, times
        self.calls: list[int] = []
        self.stored: dict[str, dict[str, Any]] = {}

    def batch_write_item(self, RequestItems: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        (table, requests), *_ = RequestItems.items()
        self.calls.append(len(requests))
        if self.times > 0:
            self.times -= 1
            kept, left = requests[: -self.hold_back], requests[-self.hold_back :]
        else:
            kept, left = requests, []
        for r in kept:
            item = r["PutRequest"]["Item"]
            self.stored[item.get("id", item.get("email", {}))["S"]] = item
        return {"UnprocessedItems": {table: left} if left else {}}


def test_unprocessed_items_are_resent_with_backoff() -> None:
    client, sleeps = FlakyClient(hold_back=5, times=2), list[float]()
    requests = [{"PutRequest": {"Item": {"id": {"S": f"p-{n:04d}"}}}} for n in range(1, 26)]
    write_batch(client, "products", requests, sleep=sleeps.append)
    assert client.calls == [25, 5, 5]
    assert sorted(client.stored) == [f"p-{n:04d}" for n in range(1, 26)]
    assert sleeps == [0.1, 0.2]


def test_load_all_survives_throttling_on_every_batch() -> None:
    client = FlakyClient(hold_back=3, times=4)
    counts = load_all(TABLES, client, sleep=lambda _: None)
    assert len(client.stored) == sum(counts.values())


def test_items_still_unprocessed_after_the_last_attempt_fail_loudly() -> None:
    client, sleeps = FlakyClient(hold_back=2, times=10**6), list[float]()
    requests = [{"PutRequest": {"Item": {"id": {"S": f"p-{n:04d}"}}}} for n in range(1, 5)]
    with pytest.raises(SeedError, match=rf"2 items for table 'products' were still unprocessed after {MAX_ATTEMPTS}"):
        write_batch(client, "products", requests, sleep=sleeps.append)
    assert len(client.calls) == MAX_ATTEMPTS
    assert sleeps == sorted(sleeps) and len(sleeps) == MAX_ATTEMPTS - 1 and max(sleeps) <= 5.0


# --- table names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "logical"),
    [
        ("Products", "Products"),
        ("products", "Products"),
        ("PRODUCTS_TABLE", "Products"),
        ("OrdersTableName", "Orders"),
        ("CustomersTable", "Customers"),
        ("IdempotencyTableName", None),
        ("Table", None),
    ],
)
def test_table_names_are_recognised_in_every_spelling(key: str, logical: str | None) -> None:
    assert logical_name(key) == logical


def test_a_missing_table_name_is_reported() -> None:
    with pytest.raises(SeedError, match="no table name for Customers: pass --customers-table"):
        resolve_tables({"Products": "p", "Orders": "o"})


def test_table_names_come_from_the_stack_outputs() -> None:
    class FakeCloudFormation:
        def describe_stacks(self, StackName: str) -> dict[str, Any]:
            assert StackName == "shop-app"
            outputs = {"ProductsTableName": "a", "OrdersTableName": "b", "CustomersTableName": "c", "ApiUrl": "x"}
            return {"Stacks": [{"Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]}]}

    found = tables_from_stack(FakeCloudFormation(), "shop-app")
    assert resolve_tables(found) == {"Products": "a", "Orders": "b", "Customers": "c"}


def test_the_command_line_loads_into_the_named_tables(dynamodb: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from seed.load import main

    args = [f"--{t.lower()}-table={name}" for t, name in TABLES.items()]
    assert main([*args, "--region", "us-east-1"]) == 0
    out = capsys.readouterr().out
    assert "64 products into test-shop-products" in out
    assert count(dynamodb, "Orders") == len(read("orders.json"))
