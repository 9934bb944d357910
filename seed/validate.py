"""Check the seed's plain JSON against docs/data-model.md before anything is written to DynamoDB.

Every problem is reported as `<file> item <id>: <what is wrong>` so it can be found and fixed in one go.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seed.dynamo import TABLE_FILES

# Seeded orders are history: each reached a terminal status and its customer was told (docs/data-model.md).
ORDER_STATUSES = frozenset({"SHIPPED", "PAYMENT_FAILED", "FAILED", "CANCELLED"})
FAILURE_CODES = frozenset({"payment_declined", "address_undeliverable", "shipment_refused", "processing_failed"})
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
PASSWORD_HASH = re.compile(r"^pbkdf2_sha256\$[1-9]\d*\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


class SeedError(Exception):
    """The seed data is invalid or could not be written; the message says which item and why."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[str] = []

    def error(self, item_id: str, message: str) -> None:
        self.errors.append(f"{self.filename} item {item_id}: {message}")

    def keys(self, item_id: str, item: Mapping[str, Any], required: tuple[str, ...]) -> bool:
        missing = [k for k in required if k not in item or item[k] is None]
        for key in missing:
            self.error(item_id, f"missing key {key!r}")
        return not missing

    def text(self, item_id: str, item: Mapping[str, Any], key: str) -> None:
        if not isinstance(item[key], str) or not item[key].strip():
            self.error(item_id, f"{key} must be a non-empty string, got {item[key]!r}")

    def localized(self, item_id: str, item: Mapping[str, Any], key: str) -> None:
        value = item[key]
        if not isinstance(value, Mapping) or any(not isinstance(value.get(lang), str) for lang in ("es", "en")):
            self.error(item_id, f'{key} must be a map with "es" and "en" strings, got {value!r}')

    def positive_int(self, item_id: str, value: Any, what: str) -> None:
        if not _is_int(value) or value <= 0:
            self.error(item_id, f"{what} must be a positive integer, got {value!r}")

    def timestamp(self, item_id: str, item: Mapping[str, Any], key: str) -> None:
        if not isinstance(item[key], str) or not ISO_UTC.match(item[key]):
            self.error(item_id, f"{key} must be an ISO 8601 UTC time like 2026-11-28T07:00:00Z, got {item[key]!r}")

    def currency(self, item_id: str, item: Mapping[str, Any]) -> None:
        if not isinstance(item["currency"], str) or not CURRENCY.match(item["currency"]):
            self.error(item_id, f"currency must be an ISO code like EUR, got {item['currency']!r}")


def _item_id(item: Any, key: str, index: int) -> str:
    value = item.get(key) if isinstance(item, Mapping) else None
    return str(value) if isinstance(value, str) and value else f"#{index + 1} (no {key})"


def check_products(products: list[Any]) -> tuple[list[str], dict[str, Any]]:
    c = _Checker(TABLE_FILES["Products"])
    by_id: dict[str, Any] = {}
    for index, p in enumerate(products):
        pid = _item_id(p, "id", index)
        if not isinstance(p, Mapping):
            c.error(pid, "must be a JSON object")
            continue
        if pid in by_id:
            c.error(pid, "duplicate id")
        by_id[pid] = p
        required = ("id", "name", "description", "category", "price", "currency", "stock", "image", "created_at")
        if not c.keys(pid, p, required):
            continue
        c.localized(pid, p, "name")
        c.localized(pid, p, "description")
        c.text(pid, p, "category")
        c.positive_int(pid, p["price"], "price")
        c.currency(pid, p)
        if not _is_int(p["stock"]):
            c.error(pid, f"stock must be an integer, got {p['stock']!r}")
        elif p["stock"] < 0:
            c.error(pid, f"stock must be >= 0, got {p['stock']}")
        if not isinstance(p["image"], str) or not p["image"].startswith("/images/"):
            c.error(pid, f"image must be a path under /images/, got {p['image']!r}")
        c.timestamp(pid, p, "created_at")
    return c.errors, by_id


def check_customers(customers: list[Any]) -> tuple[list[str], set[str]]:
    c = _Checker(TABLE_FILES["Customers"])
    emails: set[str] = set()
    ids: set[str] = set()
    for index, cu in enumerate(customers):
        email = _item_id(cu, "email", index)
        if not isinstance(cu, Mapping):
            c.error(email, "must be a JSON object")
            continue
        if email in emails:
            c.error(email, "duplicate email")
        emails.add(email)
        if not c.keys(email, cu, ("email", "id", "name", "password_hash", "locale")):
            continue
        c.text(email, cu, "id")
        if cu["id"] in ids:
            c.error(email, f"duplicate customer id {cu['id']!r}")
        ids.add(cu["id"])
        c.text(email, cu, "name")
        if not isinstance(cu["password_hash"], str) or not PASSWORD_HASH.match(cu["password_hash"]):
            c.error(email, "password_hash must look like pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>")
        if cu["locale"] not in ("es", "en"):
            c.error(email, f'locale must be "es" or "en", got {cu["locale"]!r}')
    return c.errors, ids


def check_orders(orders: list[Any], products: Mapping[str, Any], customer_ids: set[str]) -> list[str]:
    c = _Checker(TABLE_FILES["Orders"])
    seen: set[str] = set()
    for index, o in enumerate(orders):
        oid = _item_id(o, "id", index)
        if not isinstance(o, Mapping):
            c.error(oid, "must be a JSON object")
            continue
        if oid in seen:
            c.error(oid, "duplicate id")
        seen.add(oid)
        required = ("id", "customer_id", "created_at", "updated_at", "status", "items", "total", "currency", "address")
        if not c.keys(oid, o, required):
            continue
        if o["customer_id"] not in customer_ids:
            c.error(oid, f"customer_id {o['customer_id']!r} is not in customers.json")
        c.timestamp(oid, o, "created_at")
        c.timestamp(oid, o, "updated_at")
        if o["status"] not in ORDER_STATUSES:
            c.error(oid, f"status must be one of {', '.join(sorted(ORDER_STATUSES))}, got {o['status']!r}")
        elif o.get("notified_status") != o["status"]:
            c.error(oid, f"notified_status must be the status {o['status']!r}: the customer was told")
        failed = o["status"] in ("FAILED", "PAYMENT_FAILED")
        if failed != (o.get("failure_code") in FAILURE_CODES):
            c.error(
                oid, f"failure_code must be one of {', '.join(sorted(FAILURE_CODES))} exactly when the order failed"
            )
        c.currency(oid, o)
        address = o["address"]
        if not isinstance(address, Mapping) or any(
            not isinstance(address.get(k), str) for k in ("name", "line1", "city", "postal_code", "country")
        ):
            c.error(oid, f"address must have name, line1, city, postal_code and country strings, got {address!r}")
        items = o["items"]
        if not isinstance(items, list) or not items:
            c.error(oid, "items must be a non-empty list")
            continue
        total = 0
        for n, line in enumerate(items, start=1):
            where = f"items[{n}]"
            if not isinstance(line, Mapping) or any(
                k not in line for k in ("product_id", "name", "unit_price", "quantity")
            ):
                c.error(oid, f"{where} must have product_id, name, unit_price and quantity")
                continue
            if line["product_id"] not in products:
                c.error(oid, f"{where}.product_id {line['product_id']!r} is not in products.json")
            name = line["name"]
            if not isinstance(name, Mapping) or not all(isinstance(name.get(k), str) and name[k] for k in ("es", "en")):
                c.error(oid, f'{where}.name must be {{"es": ..., "en": ...}} (both names), got {name!r}')
            c.positive_int(oid, line["unit_price"], f"{where}.unit_price")
            c.positive_int(oid, line["quantity"], f"{where}.quantity")
            if _is_int(line["unit_price"]) and _is_int(line["quantity"]):
                total += line["unit_price"] * line["quantity"]
        if not _is_int(o["total"]) or o["total"] != total:
            c.error(oid, f"total must be the sum of unit_price * quantity ({total}), got {o['total']!r}")
    return c.errors


def load_records(data_dir: Path) -> dict[str, list[Any]]:
    """Read the three plain JSON files; a missing or malformed file is a SeedError naming it."""
    records: dict[str, list[Any]] = {}
    for table, filename in TABLE_FILES.items():
        path = data_dir / filename
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SeedError(f"{path}: not found; run `python -m seed.generate`") from None
        except json.JSONDecodeError as exc:
            raise SeedError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(value, list):
            raise SeedError(f"{path}: must be a JSON list of items, got {type(value).__name__}")
        records[table] = value
    return records


def validate(records: Mapping[str, list[Any]]) -> None:
    """Raise SeedError listing every problem, or return if the data can be loaded."""
    product_errors, products = check_products(records["Products"])
    customer_errors, customer_ids = check_customers(records["Customers"])
    errors = product_errors + customer_errors + check_orders(records["Orders"], products, customer_ids)
    if errors:
        shown = errors[:50]
        more = f"\n… and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise SeedError("invalid seed data, nothing was written:\n" + "\n".join(shown) + more)
