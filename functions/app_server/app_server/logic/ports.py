"""The ports the business logic needs; dal/ has the DynamoDB/SQS adapters, tests have in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from shared.orders import Order

from app_server.models.auth import CustomerRecord
from app_server.models.catalog import Product


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


class OrdersReader(Protocol):
    def list_orders(
        self, customer_id: str, *, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[Order], dict[str, Any] | None]:
        """The customer's orders newest first, and the position after the last one (None at the end)."""
        ...


class OrderQueue(Protocol):
    def send(self, order_id: str) -> None: ...


@dataclass(frozen=True)
class Caller:
    """The customer a request is for, from the verified token's claims."""

    customer_id: str
    email: str
    locale: Literal["es", "en"] = "es"


class LoginAttempts(Protocol):
    def failures(self, keys: list[str], window: int) -> dict[str, int]:
        """Failed logins counted for each key in the window (keys never counted are absent)."""
        ...

    def record_failure(self, keys: list[str], window: int, *, expires_at: int) -> None: ...


class CustomerNotices(Protocol):
    def ensure_subscribed(self, customer: CustomerRecord) -> None:
        """The customer receives the mails about their orders (subscribed once; never fails the caller)."""
        ...
