"""DynamoDB request units, counted as AWS bills an on-demand table (dynamodb_units.py), in `/_localcloud/calls`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from conftest import unique

Aws = Callable[[str], Any]
KB = 1024


def units(endpoint: str, table: str) -> tuple[float, float]:
    """(read, write) request units the table consumed since the counts were last reset."""
    found = requests.get(f"{endpoint}/_localcloud/calls", timeout=5).json()["units"].get(table, {})
    return found.get("read", 0.0), found.get("write", 0.0)


def item(key: str, size: int, **extra: dict[str, Any]) -> dict[str, Any]:
    """An item of exactly `size` bytes as AWS counts them: attribute names plus string values."""
    attributes: dict[str, Any] = {"pk": {"S": key}, **extra}
    fixed = sum(len(name) for name in attributes) + len(key) + sum(len(v["S"]) for v in extra.values())
    return {**attributes, "data": {"S": "x" * (size - fixed - len("data"))}}


@pytest.fixture
def table(aws: Aws) -> Iterator[str]:
    """An on-demand table keyed by `pk` (and a `sk` sort key), with two global indexes on `email`: keys only, all."""
    name = unique("units")
    aws("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "email", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
            {
                "IndexName": "by-email-all",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
    )
    yield name
    aws("dynamodb").delete_table(TableName=name)


def test_a_put_costs_one_write_unit_per_kb_rounded_up_and_the_larger_of_before_and_after(
    endpoint: str, aws: Aws, table: str
) -> None:
    db, before = aws("dynamodb"), units(endpoint, table)
    big = item("a", int(2.5 * KB), sk={"S": "1"})
    db.put_item(TableName=table, Item=big)
    after_put = units(endpoint, table)
    db.put_item(TableName=table, Item=item("a", 100, sk={"S": "1"}))  # replaces the 2.5 KB item

    assert after_put[1] - before[1] == 3
    assert units(endpoint, table)[1] - after_put[1] == 3
    assert units(endpoint, table)[0] == before[0]  # a write reads nothing billed


def test_a_transactional_write_costs_twice(endpoint: str, aws: Aws, table: str) -> None:
    before = units(endpoint, table)
    aws("dynamodb").transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": item("t", int(2.5 * KB), sk={"S": "1"})}}]
    )

    assert units(endpoint, table)[1] - before[1] == 6


def test_a_write_whose_condition_fails_still_costs_the_item_it_checked(endpoint: str, aws: Aws, table: str) -> None:
    db = aws("dynamodb")
    db.put_item(TableName=table, Item=item("c", int(1.5 * KB), sk={"S": "1"}))
    before = units(endpoint, table)[1]
    with pytest.raises(db.exceptions.ConditionalCheckFailedException):
        db.put_item(TableName=table, Item=item("c", 100, sk={"S": "1"}), ConditionExpression="attribute_not_exists(pk)")
    failed = units(endpoint, table)[1]
    with pytest.raises(db.exceptions.TransactionCanceledException):
        db.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": {"S": "c"}, "sk": {"S": "1"}},
                        "UpdateExpression": "SET note = :n",
                        "ConditionExpression": "attribute_not_exists(pk)",
                        "ExpressionAttributeValues": {":n": {"S": "x"}},
                    }
                }
            ]
        )

    assert failed - before == 2  # the 1.5 KB item it found
    assert units(endpoint, table)[1] - failed == 4  # twice, in a transaction


def test_get_item_costs_half_a_unit_per_4_kb_eventually_consistent_and_one_strongly(
    endpoint: str, aws: Aws, table: str
) -> None:
    db = aws("dynamodb")
    db.put_item(TableName=table, Item=item("g", 5 * KB, sk={"S": "1"}))  # two 4 KB blocks
    key = {"pk": {"S": "g"}, "sk": {"S": "1"}}

    start = units(endpoint, table)[0]
    db.get_item(TableName=table, Key=key)
    eventual = units(endpoint, table)[0]
    db.get_item(TableName=table, Key=key, ConsistentRead=True, ProjectionExpression="pk")  # billed whole
    strong = units(endpoint, table)[0]
    db.get_item(TableName=table, Key={"pk": {"S": "missing"}, "sk": {"S": "1"}})  # still the minimum

    assert (eventual - start, strong - eventual) == (1.0, 2.0)
    assert units(endpoint, table)[0] - strong == 0.5


def test_batch_get_item_rounds_each_item_up_on_its_own(endpoint: str, aws: Aws, table: str) -> None:
    db = aws("dynamodb")
    db.put_item(TableName=table, Item=item("b1", int(1.5 * KB), sk={"S": "1"}))
    db.put_item(TableName=table, Item=item("b2", int(6.5 * KB), sk={"S": "1"}))
    before = units(endpoint, table)[0]
    keys = [{"pk": {"S": k}, "sk": {"S": "1"}} for k in ("b1", "b2")]
    db.batch_get_item(RequestItems={table: {"Keys": keys}})

    # 4 KB + 8 KB = three 4 KB blocks at half a unit (not 8 KB, two blocks, for the sum of the sizes).
    assert units(endpoint, table)[0] - before == 1.5


def test_a_query_rounds_up_once_over_the_items_it_read(endpoint: str, aws: Aws, table: str) -> None:
    db = aws("dynamodb")
    for sk in ("1", "2", "3"):
        db.put_item(TableName=table, Item=item("q", int(1.5 * KB), sk={"S": sk}))
    before = units(endpoint, table)[0]
    found = db.query(
        TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "q"}}
    )  # fmt: skip

    assert found["Count"] == 3
    # 4.5 KB in all: two 4 KB blocks at half a unit (item by item it would be three).
    assert units(endpoint, table)[0] - before == 1.0


def test_a_write_adds_one_per_global_index_entry_it_writes_and_two_when_the_index_key_moves(
    endpoint: str, aws: Aws, table: str
) -> None:
    db = aws("dynamodb")
    start = units(endpoint, table)[1]
    db.put_item(TableName=table, Item=item("i", 500, sk={"S": "1"}))  # no email: the sparse index is untouched
    no_entry = units(endpoint, table)[1]
    lines = {"L": [{"M": {"sku": {"S": "p-1"}, "qty": {"N": "2"}}}]}  # nested values, as an order's lines
    db.put_item(TableName=table, Item={**item("i", 500, sk={"S": "2"}, email={"S": "a@x"}), "lines": lines})  # +2
    entry = units(endpoint, table)[1]
    db.update_item(
        TableName=table,
        Key={"pk": {"S": "i"}, "sk": {"S": "2"}},
        UpdateExpression="SET email = :e",
        ExpressionAttributeValues={":e": {"S": "b@x"}},
    )  # both index entries move: a delete and a put in each
    moved = units(endpoint, table)[1]
    db.update_item(
        TableName=table,
        Key={"pk": {"S": "i"}, "sk": {"S": "2"}},
        UpdateExpression="SET note = :o",
        ExpressionAttributeValues={":o": {"S": "y"}},
    )  # projected in by-email-all only: by-email is not written

    assert (no_entry - start, entry - no_entry, moved - entry) == (1, 3, 5)
    assert units(endpoint, table)[1] - moved == 2


def test_an_observers_reads_are_not_billed(endpoint: str, aws: Aws, table: str) -> None:
    db = aws("dynamodb")
    db.put_item(TableName=table, Item=item("o", 100, sk={"S": "1"}))
    db.meta.events.register(
        "before-send.dynamodb.GetItem", lambda request, **_: request.headers.__setitem__("X-Localcloud-Not-Billed", "1")
    )
    before = requests.get(f"{endpoint}/_localcloud/calls", timeout=5).json()
    db.get_item(TableName=table, Key={"pk": {"S": "o"}, "sk": {"S": "1"}})
    after = requests.get(f"{endpoint}/_localcloud/calls", timeout=5).json()

    assert after["units"][table] == before["units"][table]
    # The cloud served it all the same: counted, and again as not billed.
    assert after["calls"]["dynamodb:GetItem"] == before["calls"].get("dynamodb:GetItem", 0) + 1
    assert after["not_billed"]["dynamodb:GetItem"] == before["not_billed"].get("dynamodb:GetItem", 0) + 1
