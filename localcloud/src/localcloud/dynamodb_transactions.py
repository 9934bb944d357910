"""DynamoDB: item writes are atomic with respect to each other, as on AWS.

moto's TransactWriteItems deep-copies every table it touches and, when a condition fails, puts the copies
back. Under the local cloud's threaded server that restore also throws away whatever other requests wrote
in the meantime (a PutItem, another transaction's stock decrement): exactly the lost update a shop must
never see. Serialising moto's item writes behind one lock closes that window; they take microseconds, so
the cost is nothing next to an HTTP round trip.
"""

from __future__ import annotations

import copy
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


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """TransactWriteItems without moto's deep copy of every table it touches.

    moto 5.2.5 copies each whole table first, to put it back if an item fails: a cost that grows with the table
    (about 150 ms a transaction once the Orders table holds 1,000 orders), paid inside the write lock above, so
    the whole local pipeline slowed as a load run went on. Here every item's condition is checked first; only
    when all hold are the writes applied (nothing else writes meanwhile: the lock), and a write that still fails
    puts back the items written before it. Errors and cancellation reasons are moto's.
    """
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    seen: set[tuple[str, str]] = set()
    plan: list[tuple[str, dict[str, Any], dict[str, Any], Any]] = []  # (operation, op, key, item before)
    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
    for transact_item in transact_items:
        if len(transact_item) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(transact_item.items()))
        original_item: dict[str, Any] | None = None
        try:
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            if op_type == "Put":
                table = self.get_table(op["TableName"])
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
            if marker in seen:
                raise MultipleTransactionsException()
            seen.add(marker)
            current = self.get_item(op["TableName"], key)
            if op.get("ConditionExpression") is not None:
                condition = get_filter_expression(
                    op["ConditionExpression"], op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
                )
                if not condition.expr(current):
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
            plan.append((op_type, op, key, copy.deepcopy(current)))
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            raise
        except ConditionalCheckFailed as error:
            errors.append(("ConditionalCheckFailed", str(error.message), original_item))
        except Exception as error:
            errors.append((type(error).__name__, str(error), original_item))
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)

    written: list[tuple[str, dict[str, Any], Any]] = []
    failed_at = 0
    try:
        for failed_at, (op_type, op, key, before) in enumerate(plan):  # noqa: B007 - read in the handler
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"], expression_attribute_names=names,
                              expression_attribute_values=values)  # fmt: skip
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key, expression_attribute_names=names,
                                 expression_attribute_values=values)  # fmt: skip
            elif op_type == "Update":
                self.update_item(op["TableName"], key, update_expression=op["UpdateExpression"],
                                 expression_attribute_names=names, expression_attribute_values=values)  # fmt: skip
            else:
                continue
            written.append((op["TableName"], key, before))
    except Exception as error:
        for table_name, key, before in reversed(written):  # put back what this transaction wrote
            if before is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, before.to_json()["Attributes"])
        if isinstance(error, MockValidationException):
            raise
        reasons: list[tuple[str | None, str | None, dict[str, Any] | None]] = [(None, None, None)] * len(plan)
        reasons[failed_at] = (type(error).__name__, str(error), None)
        raise TransactionCanceledException(reasons) from error


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in WRITE_METHODS:
        method = _transact_write_items if name == "transact_write_items" else getattr(DynamoDBBackend, name)
        replace(DynamoDBBackend, name, _serialised(method))
