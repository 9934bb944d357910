"""Shared by the bad-input tests: the e2e deployment (`shop`) and a snapshot of everything an order would write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from tests.support.shop import ADDRESS, Shop


@dataclass(frozen=True)
class Written:
    """What a placed order changes: the customer's orders, the product's stock, the Payment System's payments."""

    orders: tuple[str, ...]
    stock: int
    payments: int


def written(shop: Shop, auth: dict[str, str], product_id: str) -> Written:
    orders = requests.get(f"{shop.api}/orders", headers=auth, params={"limit": 100}, timeout=30).json()
    payments = requests.get(f"{shop.payment.url}/v1/payments", timeout=30).json()["payments"]
    return Written(tuple(o["id"] for o in orders["items"]), int(shop.product(product_id)["stock"]), len(payments))


def order_body(shop: Shop, product_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "items": [{"product_id": product_id, "quantity": 1}],
        "address": dict(ADDRESS),
        "payment_token": shop.card_token(),
    }
    body.update(changes)
    return body
