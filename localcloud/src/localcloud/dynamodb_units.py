"""DynamoDB's billed capacity, counted as AWS bills an on-demand table: read and write request units per table.

Tallied next to the call counts (calls.py: `units` in `GET /_localcloud/calls`, reset with them). The rules, from
the DynamoDB developer guide ("DynamoDB item sizes and formats", "DynamoDB read and write operations", "Global
secondary indexes"):

- **Item size** is the sum of its attribute names and values: a string its UTF-8 bytes, a number 1 byte per two
  significant digits plus 1, a binary its raw bytes, a Boolean or null 1, a set the sum of its members, a list or
  map 3 bytes plus 1 byte and the size (with the name, for a map) of each element.
- **Writes**: 1 unit per KB, rounded up, per item written (at least 1): a put or an update the larger of the item
  before and after, a delete the item deleted. A write whose condition fails still costs its units. Each global
  secondary index the write touches adds a write of the index entry (the projected attributes, rounded up per KB):
  one when an entry appears, disappears or its projected attributes change, two when its index key changes (a
  delete and a put). In TransactWriteItems every item costs twice its units (the index writes are counted once);
  a ConditionCheck costs like a transactional write of the checked item.
- **Reads**: 1 unit per 4 KB, rounded up, for a strongly consistent read, half of it eventually consistent, twice
  it transactional. GetItem and each BatchGetItem key round up item by item (an item that is not there still costs
  the minimum); Query and Scan round up once, over the total size of the items they read (index entries on an
  index) before any filter, whatever the projection.

Sizes come from the table itself (a lookup by key before and after the call, a dict read in moto's store), not
from the answer, because a projection or a filter changes the answer but not the bill. Approximations: the lookup
before a write is outside moto's write lock, so two writes of one item at the same moment may each see the other's
result; a Query or Scan with a filter counts the filtered-out items at the mean size of those it returned (all the
items read when it returned none); BatchWriteItem and PartiQL (ExecuteStatement) are not counted (the shop uses
neither); local secondary indexes are not counted (the shop has none).

A request with the `X-Localcloud-Not-Billed` header (an observer's reads: a bench waiting for its orders) consumes
no units (calls.py counts it under `not_billed`).
"""

from __future__ import annotations

import base64
import json
import logging
import math
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from localcloud.calls import NOT_BILLED, CallCounter
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.dynamodb_units")

WRITE_BLOCK = 1024
READ_BLOCK = 4096
OPERATIONS = (
    "get_item",
    "batch_get_item",
    "query",
    "scan",
    "transact_get_items",
    "put_item",
    "update_item",
    "delete_item",
    "transact_write_items",
)

Tally = list[tuple[str, float, float]]  # (table name, read units, write units)
_counter: CallCounter | None = None


# -- sizes -----------------------------------------------------------------------------------------------------
def _number_size(text: str) -> int:
    try:
        digits = len(Decimal(text).normalize().as_tuple().digits)
    except (InvalidOperation, ValueError):
        digits = len(text)
    return (digits + 1) // 2 + 1


def _binary_size(value: Any) -> int:
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    try:
        return len(base64.b64decode(str(value)))
    except ValueError:
        return len(str(value))


def value_size(value: Any) -> int:
    """The size of one attribute value (wire form {"S": "x"}, or moto's DynamoType), without its name."""
    if isinstance(value, dict):
        kind, inner = next(iter(value.items()))
    else:
        kind, inner = value.type, value.value
    if kind == "S":
        return len(str(inner).encode())
    if kind == "N":
        return _number_size(str(inner))
    if kind == "B":
        return _binary_size(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(s).encode()) for s in inner)
    if kind == "NS":
        return sum(_number_size(str(n)) for n in inner)
    if kind == "BS":
        return sum(_binary_size(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in inner.items())
    return len(str(inner).encode())


def item_size(attributes: dict[str, Any]) -> int:
    """An item's size: its attribute names and values (wire form, or moto's `Item.attrs`)."""
    return sum(len(name.encode()) + value_size(value) for name, value in attributes.items())


def blocks(size: int, block: int) -> int:
    return max(1, math.ceil(size / block))


# -- the table's state -----------------------------------------------------------------------------------------
def _stored(table: Any, key: dict[str, Any]) -> Any:
    """moto's stored Item at `key` (the key attributes of a Key or an Item, wire form), or None."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    try:
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        return table.get_item(hash_value, range_value)
    except Exception:  # a key the call itself refuses: it raises its own error
        return None


def _attrs(item: Any) -> dict[str, Any]:
    return dict(item.attrs) if item is not None else {}


def _projected(table: Any, index: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
    """The index entry an item makes (None: the item lacks the index's key, a sparse index leaves it out)."""
    index_keys = [k["AttributeName"] for k in index.schema]
    if any(name not in attrs for name in index_keys):
        return None
    projection = (index.projection or {}).get("ProjectionType", "ALL")
    if projection == "ALL":
        return attrs
    names = {table.hash_key_attr, table.range_key_attr, *index_keys}
    if projection == "INCLUDE":
        names.update((index.projection or {}).get("NonKeyAttributes", []))
    return {name: value for name, value in attrs.items() if name in names}


def _json(value: Any) -> Any:
    return value.to_json() if hasattr(value, "to_json") else str(value)  # DynamoType (nested too), bytes


def _fingerprint(attrs: dict[str, Any]) -> str:
    return json.dumps(attrs, sort_keys=True, default=_json)


def _index_entries(table: Any, attrs: dict[str, Any]) -> list[tuple[tuple[str, ...], str, int] | None]:
    """Per global secondary index: (its key's values, the entry's fingerprint, its size), or None."""
    entries: list[tuple[tuple[str, ...], str, int] | None] = []
    for index in table.global_indexes:
        entry = _projected(table, index, attrs)
        if entry is None:
            entries.append(None)
            continue
        key = tuple(_fingerprint({k["AttributeName"]: attrs[k["AttributeName"]]}) for k in index.schema)
        entries.append((key, _fingerprint(entry), item_size(entry)))
    return entries


def index_write_units(
    before: list[tuple[tuple[str, ...], str, int] | None], after: list[tuple[tuple[str, ...], str, int] | None]
) -> int:
    """The index writes one item's change makes, over every global secondary index."""
    units = 0
    for old, new in zip(before, after, strict=True):
        if old is None and new is None:
            continue
        if old is None or new is None:
            units += blocks((old or new)[2], WRITE_BLOCK)  # type: ignore[index]
        elif old[0] != new[0]:
            units += blocks(old[2], WRITE_BLOCK) + blocks(new[2], WRITE_BLOCK)
        elif old[1] != new[1]:
            units += blocks(new[2], WRITE_BLOCK)
    return units


# -- one write -------------------------------------------------------------------------------------------------
class _Write:
    """One item's write: what it was before the call; its units once the call has run (or failed)."""

    def __init__(self, handler: Any, table_name: str, key: dict[str, Any], new: dict[str, Any] | None = None) -> None:
        self.table = handler.dynamodb_backend.get_table(table_name)
        self.name = self.table.name
        self.key = key
        self.new = new  # a put's item (wire form); None: read the item after the call
        before = _attrs(_stored(self.table, key))
        self.size_before = item_size(before) if before else 0
        self.entries_before = _index_entries(self.table, before) if self.table.global_indexes else []

    def units(self, factor: float, written: bool = True, delete: bool = False) -> tuple[str, float, float]:
        if not written:  # a failed condition: the item as it was, at least one unit
            return self.name, 0.0, factor * blocks(self.size_before, WRITE_BLOCK)
        after = {} if delete else self.new if self.new is not None else _attrs(_stored(self.table, self.key))
        size = max(self.size_before, item_size(after) if after else 0)
        units = factor * blocks(size, WRITE_BLOCK)
        if self.table.global_indexes:
            units += index_write_units(self.entries_before, _index_entries(self.table, after))
        return self.name, 0.0, units


def _conditional_failure(error: Exception) -> bool:
    return type(error).__name__ in ("ConditionalCheckFailed", "TransactionCanceledException")


def _single_write(kind: str) -> Callable[[Any, Callable[[], Any]], Tally]:
    def measure(handler: Any, call: Callable[[], Any]) -> Tally:
        body = handler.body
        key = body["Item"] if kind == "put" else body["Key"]
        write = _Write(handler, body["TableName"], key, body["Item"] if kind == "put" else None)
        try:
            call()
        except Exception as error:
            if _conditional_failure(error):
                _add([write.units(1, written=False)])
            raise
        return [write.units(1, delete=kind == "delete")]

    return measure


def _transact_write(handler: Any, call: Callable[[], Any]) -> Tally:
    writes: list[tuple[str, _Write]] = []
    for entry in handler.body["TransactItems"]:
        kind, op = next(iter(entry.items()))
        key = op["Item"] if kind == "Put" else op["Key"]
        writes.append((kind, _Write(handler, op["TableName"], key, op["Item"] if kind == "Put" else None)))
    try:
        call()
    except Exception as error:
        if _conditional_failure(error):  # a cancelled transaction still pays for the items it read
            _add([write.units(2, written=False) for _, write in writes])
        raise
    tally: Tally = []
    for kind, write in writes:
        if kind == "ConditionCheck":
            tally.append((write.name, 0.0, 2 * blocks(write.size_before, WRITE_BLOCK)))
        else:
            tally.append(write.units(2, delete=kind == "Delete"))
    return tally


# -- reads -----------------------------------------------------------------------------------------------------
def _read_factor(consistent: Any) -> float:
    return 1.0 if consistent is True or str(consistent).lower() == "true" else 0.5


def _get_item(handler: Any, call: Callable[[], Any]) -> Tally:
    call()
    table = handler.dynamodb_backend.get_table(handler.body["TableName"])
    size = item_size(_attrs(_stored(table, handler.body["Key"])))
    return [(table.name, _read_factor(handler.body.get("ConsistentRead")) * blocks(size, READ_BLOCK), 0.0)]


def _batch_get_item(handler: Any, call: Callable[[], Any]) -> Tally:
    call()
    tally: Tally = []
    for table_name, request in handler.body["RequestItems"].items():
        table = handler.dynamodb_backend.get_table(table_name)
        factor = _read_factor(request.get("ConsistentRead"))
        units = sum(blocks(item_size(_attrs(_stored(table, key))), READ_BLOCK) for key in request["Keys"])
        tally.append((table.name, factor * units, 0.0))
    return tally


def _transact_get_items(handler: Any, call: Callable[[], Any]) -> Tally:
    call()
    tally: Tally = []
    for entry in handler.body["TransactItems"]:
        op = entry["Get"]
        table = handler.dynamodb_backend.get_table(op["TableName"])
        tally.append((table.name, 2 * blocks(item_size(_attrs(_stored(table, op["Key"]))), READ_BLOCK), 0.0))
    return tally


def _items_read(handler: Any, table: Any, answer: dict[str, Any]) -> int:
    """The total size of the items a Query or Scan read (see the module's docstring for the filter's estimate)."""
    items = answer.get("Items") or []
    body = handler.body
    index = next((i for i in table.global_indexes if i.name == body.get("IndexName")), None)
    if body.get("ProjectionExpression") or body.get("AttributesToGet") or body.get("Select"):
        full = [_attrs(_stored(table, item)) for item in items]  # the answer carries the table's key attributes
        sizes = [item_size((_projected(table, index, a) or {}) if index is not None else a) for a in full]
    else:
        sizes = [item_size(item) for item in items]
    scanned = int(answer.get("ScannedCount", len(sizes)))
    if scanned > len(sizes):  # a filter dropped some after reading them
        mean = sum(sizes) / len(sizes) if sizes else 0
        return int(sum(sizes) + mean * (scanned - len(sizes)))
    return sum(sizes)


def _query_or_scan(handler: Any, call: Callable[[], Any]) -> Tally:
    result = call()
    answer = getattr(result, "result", None)
    table = handler.dynamodb_backend.get_table(handler.body["TableName"])
    size = _items_read(handler, table, answer if isinstance(answer, dict) else {})
    return [(table.name, _read_factor(handler.body.get("ConsistentRead")) * blocks(size, READ_BLOCK), 0.0)]


MEASURES: dict[str, Callable[[Any, Callable[[], Any]], Tally]] = {
    "get_item": _get_item,
    "batch_get_item": _batch_get_item,
    "query": _query_or_scan,
    "scan": _query_or_scan,
    "transact_get_items": _transact_get_items,
    "put_item": _single_write("put"),
    "update_item": _single_write("update"),
    "delete_item": _single_write("delete"),
    "transact_write_items": _transact_write,
}


# -- the hook --------------------------------------------------------------------------------------------------
def _add(tally: Iterable[tuple[str, float, float]]) -> None:
    if _counter is not None:
        for table, read, write in tally:
            _counter.add_units(table, read, write)


def _measured(name: str) -> Callable[[Any], Any]:
    def operation(self: Any) -> Any:
        from moto.dynamodb.responses import DynamoHandler

        moto_operation = original(DynamoHandler, name)
        if _counter is None or self.headers.get(NOT_BILLED):
            return moto_operation(self)
        results: list[Any] = []
        called = False

        def call() -> Any:
            nonlocal called
            called = True
            results.append(moto_operation(self))
            return results[0]

        try:
            tally = MEASURES[name](self, call)
        except Exception:
            if not called:  # a request the counting cannot read: moto answers it (with its own error)
                return moto_operation(self)
            if results:  # the call succeeded and the counting failed: answer all the same
                log.exception("counting %s's capacity units failed", name)
                return results[0]
            raise
        _add(tally)
        return results[0]

    operation.__name__ = name
    return operation


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.responses import DynamoHandler

    global _counter
    _counter = cloud.calls
    for name in OPERATIONS:
        replace(DynamoHandler, name, _measured(name))
