"""Products table adapter (DynamoDB)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared.orders import from_dynamo

from app_server.models.catalog import Product

CATEGORY_INDEX = "by-category"


class DynamoProductsRepository:
    """`listing_ttl_seconds` > 0 keeps each listing (the whole catalog, or one category) in this warm execution
    environment for that long: browsing then reads no table at all, and the stock it shows may lag by up to the
    TTL. One product (`get_product`) and an order's products (`get_products`) are always read from the table;
    an order's stock is guaranteed by its transaction (shared/orders.py), never by a listing."""

    def __init__(
        self, table: Any, *, listing_ttl_seconds: float = 0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.table = table  # boto3 DynamoDB Table resource
        self.listing_ttl_seconds = listing_ttl_seconds
        self.clock = clock
        self._listings: dict[str | None, tuple[float, list[Product]]] = {}  # category -> (read at, products)

    def list_products(self, category: str | None) -> list[Product]:
        if self.listing_ttl_seconds > 0:
            read_at, products = self._listings.get(category, (float("-inf"), []))
            if self.clock() - read_at < self.listing_ttl_seconds:
                return list(products)
        now = self.clock()
        products = self._read_listing(category)
        if self.listing_ttl_seconds > 0:
            self._listings[category] = (now, products)
        return list(products)

    def _read_listing(self, category: str | None) -> list[Product]:
        kwargs: dict[str, Any] = {}
        if category:
            kwargs = {
                "IndexName": CATEGORY_INDEX,
                "KeyConditionExpression": "category = :c",
                "ExpressionAttributeValues": {":c": category},
            }
        items: list[dict[str, Any]] = []
        while True:
            page = self.table.query(**kwargs) if category else self.table.scan(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return sorted((Product.model_validate(from_dynamo(i)) for i in items), key=lambda p: p.id)

    def get_product(self, product_id: str) -> Product | None:
        item = self.table.get_item(Key={"id": product_id}).get("Item")
        return Product.model_validate(from_dynamo(item)) if item else None

    def get_products(self, product_ids: list[str]) -> dict[str, Product]:
        if not product_ids:
            return {}
        # The table resource's client converts Python values to and from DynamoDB's typed JSON.
        client = self.table.meta.client
        name = self.table.name
        request: dict[str, Any] = {name: {"Keys": [{"id": pid} for pid in dict.fromkeys(product_ids)]}}
        found: dict[str, Product] = {}
        # An order has at most 20 lines: one BatchGetItem (limit 100), plus retries of unprocessed keys.
        for _ in range(5):
            response = client.batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(name, []):
                product = Product.model_validate(from_dynamo(raw))
                found[product.id] = product
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        return found
