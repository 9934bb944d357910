"""DynamoDB JSON and batch requests, shared by the generator (request files) and the loader."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

# Logical table name -> the plain JSON file that holds its items. The request files under
# seed/data/dynamodb/ use the logical names as their table keys; the loader maps them to real names.
TABLE_FILES: dict[str, str] = {
    "Customers": "customers.json",
    "Products": "products.json",
    "Orders": "orders.json",
}

BATCH_LIMIT = 25  # BatchWriteItem accepts at most 25 put/delete requests per call


def to_attribute(value: Any) -> dict[str, Any]:
    """One plain JSON value as a DynamoDB attribute value (`{"S": ...}`, `{"N": "..."}`, ...)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    if isinstance(value, Sequence):
        return {"L": [to_attribute(v) for v in value]}
    if value is None:
        return {"NULL": True}
    # Floats would lose precision as DynamoDB numbers; money and stock are integers by contract.
    raise TypeError(f"cannot store {type(value).__name__} {value!r} as a DynamoDB attribute")


def to_item(record: Mapping[str, Any]) -> dict[str, Any]:
    """A plain record as a DynamoDB item; absent (None) attributes are left out rather than stored as NULL."""
    return {key: to_attribute(value) for key, value in record.items() if value is not None}


def put_requests(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"PutRequest": {"Item": to_item(r)}} for r in records]


def chunks(requests: Sequence[dict[str, Any]], size: int = BATCH_LIMIT) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(requests), size):
        yield list(requests[start : start + size])


def logical_name(key: str) -> str | None:
    """Map what a caller or a stack output calls a table to its logical name, or None.

    Accepts `Products`, `products`, `PRODUCTS_TABLE` (the Lambdas' environment variable),
    `ProductsTable` and `ProductsTableName` (typical CloudFormation output keys).
    """
    flat = key.lower().replace("_", "").replace("-", "")
    for suffix in ("tablename", "table"):
        if flat.endswith(suffix) and flat != suffix:
            flat = flat[: -len(suffix)]
            break
    for name in TABLE_FILES:
        if flat == name.lower():
            return name
    return None
