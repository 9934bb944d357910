"""Orders table adapter: the order write and the stock changes go in one TransactWriteItems."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from shared.orders import Order, OrderStatus, from_dynamo, stock_updates

from shop_api.logic.errors import OutOfStock
from shop_api.logic.ports import StatusMoved

CUSTOMER_INDEX = "by-customer"
# Real DynamoDB cancels a transaction that races another one on the same item with TransactionConflict;
# trying again lets the stock condition decide who wins.
CONFLICT_ATTEMPTS = 3


class DynamoOrdersRepository:
    def __init__(self, orders_table: Any, products_table_name: str) -> None:
        self.table = orders_table
        self.client = orders_table.meta.client
        self.products_table = products_table_name

    def create_order(self, order: Order) -> None:
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": order.model_dump(mode="json", exclude_none=True),
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            }
        ]
        items += stock_updates(self.products_table, order, reserve=True)
        reasons = self._transact(items)
        if reasons is None:
            return
        for index, reason in enumerate(reasons):
            if reason.get("Code") == "ConditionalCheckFailed":
                if index == 0:
                    raise RuntimeError(f"order id {order.id} already exists")
                raise OutOfStock(order.items[index - 1].product_id)
        raise RuntimeError(f"order {order.id} transaction cancelled: {reasons}")

    def get_order(self, order_id: str) -> Order | None:
        item = self.table.get_item(Key={"id": order_id}, ConsistentRead=True).get("Item")
        return Order.model_validate(from_dynamo(item)) if item else None

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

    def cancel_order(self, order: Order, *, expected_status: OrderStatus, payment_status: str, now: str) -> Order:
        set_payment = ", payment.#ps = :ps" if order.payment else ""
        names = {"#s": "status"} | ({"#ps": "status"} if order.payment else {})
        values: dict[str, Any] = {":new": "CANCELLED", ":expected": expected_status, ":now": now}
        if order.payment:
            values[":ps"] = payment_status
        items: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self.table.name,
                    "Key": {"id": order.id},
                    "UpdateExpression": f"SET #s = :new, updated_at = :now{set_payment}",
                    "ConditionExpression": "#s = :expected",
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            }
        ]
        items += stock_updates(self.products_table, order, reserve=False)
        reasons = self._transact(items)
        if reasons is None:
            payment = order.payment.model_copy(update={"status": payment_status}) if order.payment else None
            return order.model_copy(update={"status": "CANCELLED", "updated_at": now, "payment": payment})
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            raise StatusMoved(order.id)
        raise RuntimeError(f"cancelling order {order.id} failed (a product may have been deleted): {reasons}")

    def _transact(self, items: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """None on success, else the CancellationReasons of a transaction cancelled by its conditions."""
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                self.client.transact_write_items(TransactItems=items)
                return None
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                reasons: list[dict[str, Any]] = error.response.get("CancellationReasons", [])
                conflict = any(r.get("Code") == "TransactionConflict" for r in reasons)
                if conflict and attempt < CONFLICT_ATTEMPTS:
                    continue
                return reasons
        return None  # unreachable: the loop returns or raises
