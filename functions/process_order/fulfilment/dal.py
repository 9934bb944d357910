"""Orders table adapter for the workflow's steps: every write is conditional on the status that was read."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from shared.orders import Order, OrderStatus, from_dynamo, stock_updates
from shared.shipments import Shipment

from fulfilment.ports import StatusMoved


def _condition_failed(error: ClientError) -> bool:
    code = error.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    reasons = error.response.get("CancellationReasons") or [{}]
    return code == "TransactionCanceledException" and reasons[0].get("Code") == "ConditionalCheckFailed"


class DynamoFulfilmentStore:
    def __init__(self, orders_table: Any, products_table_name: str) -> None:
        self.table = orders_table
        self.products_table = products_table_name

    def get_order(self, order_id: str) -> Order | None:
        item = self.table.get_item(Key={"id": order_id}, ConsistentRead=True).get("Item")
        return Order.model_validate(from_dynamo(item)) if item else None

    def set_paid(self, order: Order, *, payment_status: str, now: str) -> None:
        self._update(
            order.id,
            "SET #s = :new, payment.#ps = :ps, updated_at = :now",
            expected="PENDING",
            names={"#ps": "status"},
            values={":new": "PAID", ":ps": payment_status, ":now": now},
        )

    def set_shipped(self, order: Order, *, shipment: Shipment, now: str) -> None:
        self._update(
            order.id,
            "SET #s = :new, shipment = :shipment, updated_at = :now",
            expected="PAID",
            names={},
            values={":new": "SHIPPED", ":shipment": shipment.model_dump(), ":now": now},
        )

    def set_failed(
        self, order: Order, *, status: OrderStatus, reason: str, payment_status: str | None, now: str
    ) -> None:
        expression = "SET #s = :new, failure_reason = :reason, updated_at = :now"
        names = {"#s": "status"}
        values: dict[str, Any] = {":new": status, ":reason": reason, ":now": now, ":expected": order.status}
        if order.payment is not None and payment_status is not None:
            expression += ", payment.#ps = :ps"
            names["#ps"] = "status"
            values[":ps"] = payment_status
        items: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self.table.name,
                    "Key": {"id": order.id},
                    "UpdateExpression": expression,
                    "ConditionExpression": "#s = :expected",
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            }
        ]
        # The order reserved stock when it was placed; a failed order gives it back in the same transaction.
        items += stock_updates(self.products_table, order, reserve=False)
        try:
            self.table.meta.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if _condition_failed(error):
                raise StatusMoved(order.id) from error
            raise

    def _update(
        self, order_id: str, expression: str, *, expected: str, names: dict[str, str], values: dict[str, Any]
    ) -> None:
        try:
            self.table.update_item(
                Key={"id": order_id},
                UpdateExpression=expression,
                ConditionExpression="#s = :expected",
                ExpressionAttributeNames={"#s": "status", **names},
                ExpressionAttributeValues={":expected": expected, **values},
            )
        except ClientError as error:
            if _condition_failed(error):
                raise StatusMoved(order_id) from error
            raise
