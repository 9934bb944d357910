"""The ports the business logic needs; dal/ has the DynamoDB/SQS adapters, tests have in-memory fakes."""

from __future__ import annotations

from typing import Any, Protocol

from shared.orders import Order, OrderStatus

from shop_api.models.auth import CustomerRecord
from shop_api.models.catalog import Product


class ProductsRepository(Protocol):
    def list_products(self, category: str | None) -> list[Product]:
        """Every product (of one category when given), in id order."""
        ...

    def get_product(self, product_id: str) -> Product | None: ...

    def get_products(self, product_ids: list[str]) -> dict[str, Product]:
        """The products that exist among `product_ids`, by id."""
        ...


class CustomersRepository(Protocol):
    def get_customer(self, email: str) -> CustomerRecord | None: ...


class OrdersRepository(Protocol):
    def create_order(self, order: Order) -> None:
        """Writes the order and decrements each product's stock atomically; raises OutOfStock naming a product."""
        ...

    def get_order(self, order_id: str) -> Order | None: ...

    def list_orders(
        self, customer_id: str, *, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[Order], dict[str, Any] | None]:
        """The customer's orders newest first, and the position after the last one (None at the end)."""
        ...

    def cancel_order(self, order: Order, *, expected_status: OrderStatus, payment_status: str, now: str) -> Order:
        """Sets CANCELLED and restores stock atomically if the status is still `expected_status`;
        raises StatusMoved otherwise."""
        ...


class StatusMoved(Exception):
    """The order's status changed between reading it and writing it."""


class OrderQueue(Protocol):
    def send(self, message: dict[str, Any]) -> None: ...
