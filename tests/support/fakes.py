"""In-memory doubles of the external systems and small ports, for unit tests of the logic.

DynamoDB is never faked: the logic runs against moto's tables (tables.py), so conditions and transactions behave as
DynamoDB's do.
"""

from __future__ import annotations

import itertools
from typing import Any

from app_server.models.auth import CustomerRecord
from app_server.models.catalog import LocalizedText, Product
from shared.errors import Conflict, PaymentDeclined, ShipmentRejected, TransientError
from shared.payments import Payment, PaymentOperation
from shared.shipments import Shipment


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


_NEXT_STATUS = {"capture": "captured", "void": "voided", "refund": "refunded"}
_ALLOWED_FROM = {"capture": "authorized", "void": "authorized", "refund": "captured"}


class FakePayments:
    """Payment System double: records every call; idempotent per key like the real one."""

    def __init__(self, *, decline: bool = False, down: bool = False) -> None:
        self.decline, self.down = decline, down
        self.payments: dict[str, Payment] = {}
        self.calls: list[tuple[str, str]] = []  # (operation, idempotency key)
        self._by_key: dict[str, Payment] = {}
        self._ids = itertools.count(1)

    def authorize(self, *, token: str, amount: int, currency: str, order_id: str, idempotency_key: str) -> Payment:
        self.calls.append(("authorize", idempotency_key))
        if self.down:
            raise TransientError("Payment System unreachable")
        if self.decline:
            raise PaymentDeclined("payment declined: card_declined")
        if idempotency_key in self._by_key:
            return self._by_key[idempotency_key]
        payment = Payment(id=f"pay_{next(self._ids)}", status="authorized")
        self.payments[payment.id] = self._by_key[idempotency_key] = payment
        return payment

    def operate(self, payment_id: str, operation: PaymentOperation, *, idempotency_key: str) -> Payment:
        self.calls.append((operation, idempotency_key))
        if self.down:
            raise TransientError("Payment System unreachable")
        if idempotency_key in self._by_key:
            return self._by_key[idempotency_key]
        current = self.payments[payment_id]
        if current.status != _ALLOWED_FROM[operation]:
            raise Conflict(f"payment {payment_id} is {current.status}", {"payment": current.model_dump()})
        updated = Payment(id=payment_id, status=_NEXT_STATUS[operation])
        self.payments[payment_id] = self._by_key[idempotency_key] = updated
        return updated

    def operations(self, name: str) -> list[str]:
        return [key for op, key in self.calls if op == name]


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


class FakeShipments:
    def __init__(self, *, down: bool = False, refuse: str | None = None) -> None:
        self.down, self.refuse = down, refuse
        self.calls: list[str] = []
        self.by_order: dict[str, Shipment] = {}

    def create(
        self, *, order_id: str, address: dict[str, Any], items: list[dict[str, Any]], idempotency_key: str
    ) -> Shipment:
        self.calls.append(idempotency_key)
        if self.down:
            raise TransientError("Shipment System unreachable", processed=False)
        if self.refuse:
            raise ShipmentRejected("refused", code=self.refuse)
        return self.by_order.setdefault(order_id, Shipment(id=f"shp_{order_id}", tracking_number=f"TRK-{order_id}"))
