"""The order record as stored in the Orders table and returned by the API and Process Order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

OrderStatus = Literal["PENDING", "PAID", "SHIPPED", "PAYMENT_FAILED", "FAILED", "CANCELLED"]
TERMINAL_STATUSES: frozenset[str] = frozenset({"SHIPPED", "PAYMENT_FAILED", "FAILED", "CANCELLED"})


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    line1: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code (`es` is read as `ES`)")

    @field_validator("country", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


class OrderItem(BaseModel):
    product_id: str
    name: str
    unit_price: int
    quantity: int


class PaymentRef(BaseModel):
    id: str
    status: str


class ShipmentRef(BaseModel):
    id: str
    tracking_number: str


class Order(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    customer_id: str
    created_at: str
    updated_at: str
    status: OrderStatus
    items: list[OrderItem]
    total: int
    currency: str
    address: Address
    payment: PaymentRef | None = None
    shipment: ShipmentRef | None = None
    failure_reason: str | None = None


def from_dynamo(value: Any) -> Any:
    """boto3's resource layer returns numbers as Decimal; our numbers are all integers (money in minor units)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    return value


def stock_updates(products_table: str, order: Order, *, reserve: bool) -> list[dict[str, Any]]:
    """TransactWriteItems entries that reserve an order's stock (never below zero) or give it back."""
    if reserve:
        expression, condition = "SET stock = stock - :q", "attribute_exists(id) AND stock >= :q"
    else:
        expression, condition = "SET stock = stock + :q", "attribute_exists(id)"
    return [
        {
            "Update": {
                "TableName": products_table,
                "Key": {"id": line.product_id},
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeValues": {":q": line.quantity},
            }
        }
        for line in order.items
    ]
