from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from shared.orders import Address, Order

MAX_LINES = 20
MAX_QUANTITY = 20


class OrderLineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=MAX_QUANTITY, strict=True)  # strict: JSON true or "2" is not a quantity


class PlaceOrderRequest(BaseModel):
    """Prices are never taken from the client: only product ids and quantities."""

    model_config = ConfigDict(extra="forbid")

    items: list[OrderLineRequest] = Field(min_length=1, max_length=MAX_LINES)
    address: Address
    payment_token: str = Field(min_length=1, max_length=200)

    @field_validator("items")
    @classmethod
    def _no_duplicate_products(cls, items: list[OrderLineRequest]) -> list[OrderLineRequest]:
        seen: set[str] = set()
        for line in items:
            if line.product_id in seen:
                raise ValueError(f"product {line.product_id} appears twice; put the total quantity on one line")
            seen.add(line.product_id)
        return items


class OrderAccepted(BaseModel):
    order_id: str
    number: str
    status: str


class OrderPage(BaseModel):
    items: list[Order]
    next_token: str | None
