"""The order: its record and its state machine (every status, every allowed transition, and the one conditional
write that makes each).

Both Lambdas change an order only through `OrderStore` (the workflow's one write of its own, the notice record,
uses `NOTICE_UPDATE` below; docs/data-model.md draws the diagram). The rule that makes concurrent steps safe:
a step that calls an external system first *claims* a status that excludes the competing step, with a write
conditional on the status it read:

    PENDING ──capture──▶ PAID ──claim──▶ SHIPPING ──shipment──▶ SHIPPED
       │                  │                 │ (request certainly not processed: claim released, back to PAID)
       ├──cancel claim────┴──▶ CANCELLING ──void/refund──▶ CANCELLED
       └──refusal claim───┴─────────┴──▶ FAILING ──void/refund──▶ FAILED | PAYMENT_FAILED

So a cancel (claims CANCELLING from PENDING or PAID) and a shipment (claims SHIPPING from PAID) can never both
win, and a cancel that finds SHIPPING is too late. Entering CANCELLED, FAILED or PAYMENT_FAILED returns the
order's stock in the same transaction as the status write, so stock is restored exactly once.

Orders that must still reach a terminal status and a notice carry `sweep_shard`/`sweep_at` (a sparse index):
the sweeper re-sends their queue message if they are still there after `sweep_at` (docs/data-model.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, field_validator

Status = Literal[
    "PENDING", "PAID", "SHIPPING", "SHIPPED", "CANCELLING", "CANCELLED", "FAILING", "FAILED", "PAYMENT_FAILED"
]
TERMINAL: frozenset[str] = frozenset({"SHIPPED", "CANCELLED", "FAILED", "PAYMENT_FAILED"})
# Entering one of these gives the order's reserved stock back (in the same transaction).
RETURNS_STOCK: frozenset[str] = frozenset({"CANCELLED", "FAILED", "PAYMENT_FAILED"})
TRANSITIONS: dict[str, frozenset[str]] = {
    "PENDING": frozenset({"PAID", "CANCELLING", "FAILING"}),
    "PAID": frozenset({"SHIPPING", "CANCELLING", "FAILING"}),
    # Back to PAID only when the Shipment System certainly did not process the request (connection refused, 503).
    "SHIPPING": frozenset({"SHIPPED", "PAID", "FAILING"}),
    "CANCELLING": frozenset({"CANCELLED"}),
    "FAILING": frozenset({"FAILED", "PAYMENT_FAILED"}),
}
# The customer may cancel until the shipment is being requested.
CANCELLABLE: frozenset[str] = frozenset({"PENDING", "PAID"})
# Statuses a customer is told about by mail (the workflow records each notice once: NOTICE_UPDATE).
NOTIFIED: frozenset[str] = frozenset({"PAID", *TERMINAL})

# Why an order failed, as a code; the customer sees a localized message for it, the detail stays in the logs.
FailureCode = Literal["payment_declined", "address_undeliverable", "shipment_refused", "processing_failed"]

# The workflow's own write (RecordNotice tasks): the status it tells the customer about, at most once per status.
NOTICE_UPDATE = "SET notified_status = :status, notified_at = :now"
NOTICE_CONDITION = "#status = :status AND (attribute_not_exists(notified_status) OR notified_status <> :status)"

SWEEP_INDEX = "by-sweep"
SWEEP_SHARDS = 8  # spreads the sparse index's writes: 1,000 orders/s stay under a partition's 1,000 WCU/s


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


class LocalizedText(BaseModel):
    es: str
    en: str


class OrderItem(BaseModel):
    product_id: str
    name: LocalizedText  # both names, so the order reads right in the customer's language
    unit_price: int
    quantity: int

    @field_validator("name", mode="before")
    @classmethod
    def _one_name_for_both(cls, value: object) -> object:
        return {"es": value, "en": value} if isinstance(value, str) else value


class PaymentRef(BaseModel):
    id: str
    status: str


class ShipmentRef(BaseModel):
    id: str
    tracking_number: str


class Order(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    number: str = Field(description="short reference for people (`K7Q2-9XJ4`), derived from the id")
    customer_id: str
    email: str | None = None  # where the customer's notices go
    locale: Literal["es", "en"] = "es"  # the language of the customer's notices
    created_at: str
    updated_at: str
    status: Status
    items: list[OrderItem]
    total: int
    currency: str
    address: Address
    payment: PaymentRef | None = None
    shipment: ShipmentRef | None = None
    failure_code: FailureCode | None = None
    # Written by the workflow's RecordNotice tasks (NOTICE_UPDATE): the last status the customer was told about.
    notified_status: Status | None = None
    notified_at: str | None = None


def order_number(order_id: str) -> str:
    """The last 8 characters of the id (its random part), grouped: what a customer reads out on the phone."""
    tail = order_id[-8:].upper()
    return f"{tail[:4]}-{tail[4:]}"


def from_dynamo(value: Any) -> Any:
    """boto3's resource layer returns numbers as Decimal; our numbers are all integers (money in minor units)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    return value


class StatusMoved(Exception):
    """The order's status is no longer the one the caller read: read it again and decide again."""

    def __init__(self, order_id: str, expected: str) -> None:
        super().__init__(f"order {order_id} is no longer {expected}")
        self.order_id = order_id
        self.expected = expected


class InvalidTransition(Exception):
    """A programming error: the state machine has no such transition."""


class InsufficientStock(Exception):
    def __init__(self, product_id: str) -> None:
        super().__init__(f"product {product_id} does not have enough stock")
        self.product_id = product_id


class OrderExists(Exception):
    """An order with this id is already stored (a retry of a request that got through before)."""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sweep_shard(order_id: str) -> str:
    return str(int(hashlib.sha256(order_id.encode()).hexdigest(), 16) % SWEEP_SHARDS)


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


def values_of(fields: dict[str, Any]) -> dict[str, Any]:
    """Attribute values as stored: pydantic models become plain JSON."""
    return {k: v.model_dump(mode="json") if isinstance(v, BaseModel) else v for k, v in fields.items()}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class OrderStore:
    """The Orders table through the state machine. `orders_table` is a boto3 Table resource."""

    # A transaction that races another one on the same item is cancelled with TransactionConflict; trying again
    # lets the conditions decide who wins.
    CONFLICT_ATTEMPTS = 3

    def __init__(self, orders_table: Any, products_table: str, *, sweep_after: timedelta) -> None:
        self.table = orders_table
        self.client = orders_table.meta.client
        self.products_table = products_table
        self.sweep_after = sweep_after

    # -- reads ---------------------------------------------------------------------------------------------
    def get(self, order_id: str) -> Order | None:
        item = self.table.get_item(Key={"id": order_id}, ConsistentRead=True).get("Item")
        return Order.model_validate(from_dynamo(item)) if item else None

    # -- the writes ----------------------------------------------------------------------------------------
    def create(self, order: Order, now: datetime) -> None:
        """PENDING, with each product's stock reserved, atomically. Raises OrderExists or InsufficientStock."""
        if order.status != "PENDING":
            raise InvalidTransition(f"an order starts PENDING, not {order.status}")
        item = order.model_dump(mode="json", exclude_none=True)
        item |= {"sweep_shard": sweep_shard(order.id), "sweep_at": iso(now + self.sweep_after)}
        put = {"Put": {"TableName": self.table.name, "Item": item, "ConditionExpression": "attribute_not_exists(id)"}}
        reasons = self._transact([put, *stock_updates(self.products_table, order, reserve=True)])
        if reasons is None:
            return
        for index, reason in enumerate(reasons):
            if reason.get("Code") == "ConditionalCheckFailed":
                if index == 0:
                    raise OrderExists(order.id)
                raise InsufficientStock(order.items[index - 1].product_id)
        raise RuntimeError(f"order {order.id} transaction cancelled: {reasons}")

    def move(self, order: Order, to: Status, now: datetime, **fields: Any) -> Order:
        """`order.status` → `to`, if the stored status is still `order.status`; else StatusMoved.

        `fields` are top-level attributes set with the status (`payment`, `shipment`, `failure_code`). Entering a
        status in RETURNS_STOCK gives the stock back in the same transaction.
        """
        if to not in TRANSITIONS.get(order.status, frozenset()):
            raise InvalidTransition(f"order {order.id}: no transition {order.status} -> {to}")
        values: dict[str, Any] = {":to": to, ":from": order.status, ":now": iso(now)}
        names = {"#status": "status"}
        sets = ["#status = :to", "updated_at = :now"]
        for index, (name, value) in enumerate(sorted(values_of(fields).items())):
            names[f"#f{index}"] = name
            values[f":f{index}"] = value
            sets.append(f"#f{index} = :f{index}")
        update = {
            "Key": {"id": order.id},
            "UpdateExpression": "SET " + ", ".join(sets),
            "ConditionExpression": "#status = :from",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        if to in RETURNS_STOCK:
            items = [{"Update": {"TableName": self.table.name, **update}}]
            reasons = self._transact(items + stock_updates(self.products_table, order, reserve=False))
            if reasons is not None:
                if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                    raise StatusMoved(order.id, order.status)
                raise RuntimeError(f"order {order.id}: {order.status} -> {to} cancelled: {reasons}")
        else:
            try:
                self.table.update_item(**update)
            except ClientError as error:
                if _code(error) == "ConditionalCheckFailedException":
                    raise StatusMoved(order.id, order.status) from error
                raise
        return Order.model_validate(
            {**order.model_dump(mode="json"), **values_of(fields), "status": to, "updated_at": iso(now)}
        )

    # -- the sweeper's view ----------------------------------------------------------------------------------
    def due_for_sweep(self, now: datetime, limit: int) -> Iterable[tuple[Order, int]]:
        """Orders whose `sweep_at` has passed, with how often they were re-sent, across the shards."""
        for shard in range(SWEEP_SHARDS):
            page = self.table.query(
                IndexName=SWEEP_INDEX,
                KeyConditionExpression="sweep_shard = :s AND sweep_at <= :now",
                ExpressionAttributeValues={":s": str(shard), ":now": iso(now)},
                Limit=limit,
            )
            for key in page.get("Items", []):
                item = self.table.get_item(Key={"id": key["id"]}, ConsistentRead=True).get("Item")
                if item is not None:
                    yield Order.model_validate(from_dynamo(item)), int(item.get("sweeps", 0))

    def finish_sweep(self, order: Order) -> None:
        """Drop a finished order (terminal and its notice recorded) from the sweep index."""
        try:
            self.table.update_item(
                Key={"id": order.id},
                UpdateExpression="REMOVE sweep_shard, sweep_at, sweeps",
                ConditionExpression="#status = :s AND notified_status = :s",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":s": order.status},
            )
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise

    def postpone_sweep(self, order: Order, now: datetime, sweeps: int) -> None:
        """The order was re-sent: look at it again later (later each time), counting how often."""
        self.table.update_item(
            Key={"id": order.id},
            UpdateExpression="SET sweep_at = :at, sweeps = :n",
            ExpressionAttributeValues={":at": iso(now + self.sweep_after * (2**sweeps)), ":n": sweeps},
        )

    def _transact(self, items: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """None on success, else the CancellationReasons of a transaction its conditions cancelled."""
        for attempt in range(1, self.CONFLICT_ATTEMPTS + 1):
            try:
                self.client.transact_write_items(TransactItems=items)
                return None
            except ClientError as error:
                if _code(error) != "TransactionCanceledException":
                    raise
                reasons: list[dict[str, Any]] = error.response.get("CancellationReasons", [])
                if any(r.get("Code") == "TransactionConflict" for r in reasons) and attempt < self.CONFLICT_ATTEMPTS:
                    continue
                return reasons
        return None  # unreachable: the loop returns or raises
