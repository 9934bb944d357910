"""Orders table reads the App Server needs beyond shared/orders.OrderStore (which owns every write)."""

from __future__ import annotations

from typing import Any

from shared.orders import Order, from_dynamo

CUSTOMER_INDEX = "by-customer"


class DynamoOrdersReader:
    def __init__(self, orders_table: Any) -> None:
        self.table = orders_table

    def list_orders(
        self, customer_id: str, *, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[Order], dict[str, Any] | None]:
        kwargs: dict[str, Any] = {
            "IndexName": CUSTOMER_INDEX,
            "KeyConditionExpression": "customer_id = :c",
            "ExpressionAttributeValues": {":c": customer_id},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = self.table.query(**kwargs)
        orders = [Order.model_validate(from_dynamo(i)) for i in page.get("Items", [])]
        last = page.get("LastEvaluatedKey")
        return orders, from_dynamo(last) if last else None
