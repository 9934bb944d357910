"""In-memory implementations of the functions' ports, for unit tests of the logic."""

from __future__ import annotations

import itertools
from typing import Any

from fulfilment.ports import StatusMoved as FulfilmentStatusMoved
from shared.errors import Conflict, PaymentDeclined, TransientError
from shared.orders import Order, OrderStatus, PaymentRef, ShipmentRef
from shared.payments import Payment, PaymentOperation
from shared.shipments import Shipment
from shop_api.logic.errors import OutOfStock
from shop_api.logic.ports import StatusMoved
from shop_api.models.auth import CustomerRecord
from shop_api.models.catalog import LocalizedText, Product


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
    def __init__(self, *customers: CustomerRecord) -> None:
        self.items = {c.email: c for c in customers}

    def get_customer(self, email: str) -> CustomerRecord | None:
        return self.items.get(email)


class FakeOrders:
    """Orders plus the products' stock, with the same all-or-nothing rules as the DynamoDB transaction."""

    def __init__(self, products: FakeProducts) -> None:
        self.products = products
        self.items: dict[str, Order] = {}

    def create_order(self, order: Order) -> None:
        for line in order.items:
            if self.products.items[line.product_id].stock < line.quantity:
                raise OutOfStock(line.product_id)
        for line in order.items:
            p = self.products.items[line.product_id]
            self.products.items[p.id] = p.model_copy(update={"stock": p.stock - line.quantity})
        self.items[order.id] = order

    def get_order(self, order_id: str) -> Order | None:
        return self.items.get(order_id)

    def list_orders(
        self, customer_id: str, *, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[Order], dict[str, Any] | None]:
        mine = sorted((o for o in self.items.values() if o.customer_id == customer_id), key=lambda o: o.created_at)
        mine.reverse()
        if start:
            mine = [o for o in mine if o.created_at < start["created_at"]]
        page = mine[:limit]
        last = page[-1] if len(mine) > limit else None
        return page, ({"id": last.id, "customer_id": customer_id, "created_at": last.created_at} if last else None)

    def cancel_order(self, order: Order, *, expected_status: OrderStatus, payment_status: str, now: str) -> Order:
        if self.items[order.id].status != expected_status:
            raise StatusMoved(order.id)
        for line in order.items:
            p = self.products.items[line.product_id]
            self.products.items[p.id] = p.model_copy(update={"stock": p.stock + line.quantity})
        payment = order.payment.model_copy(update={"status": payment_status}) if order.payment else None
        cancelled = order.model_copy(update={"status": "CANCELLED", "updated_at": now, "payment": payment})
        self.items[order.id] = cancelled
        return cancelled


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
            raise Conflict(f"payment {payment_id} is {current.status}")
        updated = Payment(id=payment_id, status=_NEXT_STATUS[operation])
        self.payments[payment_id] = self._by_key[idempotency_key] = updated
        return updated

    def operations(self, name: str) -> list[str]:
        return [key for op, key in self.calls if op == name]


class FakeQueue:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.messages: list[dict[str, Any]] = []

    def send(self, message: dict[str, Any]) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("SQS unavailable")
        self.messages.append(message)


class FakeShipments:
    def __init__(self, *, down: bool = False) -> None:
        self.down = down
        self.calls: list[str] = []
        self.by_order: dict[str, Shipment] = {}

    def create(
        self, *, order_id: str, address: dict[str, Any], items: list[dict[str, Any]], idempotency_key: str
    ) -> Shipment:
        self.calls.append(idempotency_key)
        if self.down:
            raise TransientError("Shipment System unreachable")
        return self.by_order.setdefault(order_id, Shipment(id=f"shp_{order_id}", tracking_number=f"TRK-{order_id}"))


class FakeFulfilmentStore:
    def __init__(self, products: FakeProducts, *orders: Order) -> None:
        self.products = products
        self.items = {o.id: o for o in orders}

    def get_order(self, order_id: str) -> Order | None:
        return self.items.get(order_id)

    def _expect(self, order_id: str, status: str) -> Order:
        current = self.items[order_id]
        if current.status != status:
            raise FulfilmentStatusMoved(order_id)
        return current

    def set_paid(self, order: Order, *, payment_status: str, now: str) -> None:
        current = self._expect(order.id, "PENDING")
        payment = PaymentRef(id=current.payment.id if current.payment else "", status=payment_status)
        self.items[order.id] = current.model_copy(update={"status": "PAID", "payment": payment, "updated_at": now})

    def set_shipped(self, order: Order, *, shipment: Shipment, now: str) -> None:
        current = self._expect(order.id, "PAID")
        ref = ShipmentRef(id=shipment.id, tracking_number=shipment.tracking_number)
        self.items[order.id] = current.model_copy(update={"status": "SHIPPED", "shipment": ref, "updated_at": now})

    def set_failed(
        self, order: Order, *, status: OrderStatus, reason: str, payment_status: str | None, now: str
    ) -> None:
        current = self._expect(order.id, order.status)
        for line in order.items:
            p = self.products.items[line.product_id]
            self.products.items[p.id] = p.model_copy(update={"stock": p.stock + line.quantity})
        payment = current.payment.model_copy(update={"status": payment_status}) if current.payment else None
        self.items[order.id] = current.model_copy(
            update={"status": status, "failure_reason": reason, "payment": payment, "updated_at": now}
        )
