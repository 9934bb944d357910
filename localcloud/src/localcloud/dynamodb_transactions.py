"""DynamoDB: item writes are atomic with respect to each other, as on AWS.

moto's TransactWriteItems deep-copies every table it touches and, when a condition fails, puts the copies
back. Under the local cloud's threaded server that restore also throws away whatever other requests wrote
in the meantime (a PutItem, another transaction's stock decrement): exactly the lost update a shop must
never see. Serialising moto's item writes behind one lock closes that window; they take microseconds, so
the cost is nothing next to an HTTP round trip.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from localcloud.patches import replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

# The DynamoDBBackend methods that change items; BatchWriteItem goes through put_item/delete_item.
WRITE_METHODS = ("put_item", "update_item", "delete_item", "transact_write_items")

_write_lock = threading.RLock()  # re-entrant: a transaction calls put_item/update_item itself


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _write_lock:
            return method(*args, **kwargs)

    return wrapper


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in WRITE_METHODS:
        replace(DynamoDBBackend, name, _serialised(getattr(DynamoDBBackend, name)))
