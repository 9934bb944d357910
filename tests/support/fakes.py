"""In-memory doubles of the small ports (products, customers, queue, login attempts), for unit tests of the logic.

The Payment and Shipment systems are never doubled here: the logic talks to the mocks themselves over HTTP
(tests/support/external.py).

DynamoDB is never faked: the logic runs against moto's tables (tables.py), so conditions and transactions behave as
DynamoDB's do.
"""

from __future__ import annotations

from app_server.models.auth import CustomerRecord
from app_server.models.catalog import LocalizedText, Product


def product(pid: str, *, category: str = "hogar", price: int = 1000, stock: int = 5, **names: str) -> Product:
    return Product(
        id=pid,
        name=LocalizedText(es=names.get("es", f"Producto {pid}"), en=names.get("en", f"Product {pid}")),
        description=LocalizedText(es=names.get("des", "Descripción"), en=names.get("den", "Description")),
        category=category,
        price=price,
        currency="EUR",
        stock=stock,
        image=f"/images/{pid}.svg",
    )


class FakeProducts:
    def __init__(self, *products: Product) -> None:
        self.items = {p.id: p for p in products}

    def list_products(self, category: str | None) -> list[Product]:
        return sorted((p for p in self.items.values() if category in (None, p.category)), key=lambda p: p.id)

    def get_product(self, product_id: str) -> Product | None:
        return self.items.get(product_id)

    def get_products(self, product_ids: list[str]) -> dict[str, Product]:
        return {pid: self.items[pid] for pid in product_ids if pid in self.items}


class FakeCustomers:
    """The Customers table and each customer's notices subscription."""

    def __init__(self, *customers: CustomerRecord) -> None:
        self.items = {c.email: c for c in customers}
        self.subscribed: list[str] = []

    def get_customer(self, email: str) -> CustomerRecord | None:
        return self.items.get(email)

    def ensure_subscribed(self, customer: CustomerRecord) -> None:
        if not customer.notices_subscription:
            self.subscribed.append(customer.email)
            self.items[customer.email] = customer.model_copy(update={"notices_subscription": f"arn:{customer.email}"})


class FakeQueue:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.messages: list[str] = []  # the order ids sent

    def send(self, order_id: str) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("SQS unavailable")
        self.messages.append(order_id)


class FakeLoginAttempts:
    def __init__(self) -> None:
        self.counts: dict[tuple[str, int], int] = {}

    def failures(self, keys: list[str], window: int) -> dict[str, int]:
        return {k: self.counts[(k, window)] for k in keys if (k, window) in self.counts}

    def record_failure(self, keys: list[str], window: int, *, expires_at: int) -> None:
        for key in keys:
            self.counts[(key, window)] = self.counts.get((key, window), 0) + 1
