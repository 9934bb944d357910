"""Concurrent DynamoDB writes through the local cloud lose nothing, even when transactions fail meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import Stacks

THREADS = 8


def run_concurrently(work: Callable[[int], None], count: int) -> None:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.fixture
def table(stacks: Stacks) -> str:
    return stacks.deploy("dynamodb_table.yaml")["TableName"]


def fill(aws: Callable[[str], Any], table: str, count: int) -> None:
    """Bulk, so each failing transaction's table snapshot takes long enough to overlap other writes."""
    client = aws("dynamodb")
    for start in range(0, count, 25):
        batch = [{"PutRequest": {"Item": {"id": {"S": f"bulk-{n}"}}}} for n in range(start, min(start + 25, count))]
        client.batch_write_item(RequestItems={table: batch})


def test_failed_transactions_do_not_undo_concurrent_writes(table: str, aws: Callable[[str], Any]) -> None:
    fill(aws, table, 2000)
    aws("dynamodb").put_item(TableName=table, Item={"id": {"S": "stock"}, "n": {"N": "1"}})

    def work(i: int) -> None:
        client = aws("dynamodb")
        for j in range(10):
            if i % 2:
                client.put_item(TableName=table, Item={"id": {"S": f"put-{i}-{j}"}})
            else:
                with pytest.raises(ClientError, match="TransactionCanceledException"):
                    client.transact_write_items(
                        TransactItems=[
                            {
                                "Update": {
                                    "TableName": table,
                                    "Key": {"id": {"S": "stock"}},
                                    "UpdateExpression": "SET n = n - :big",
                                    "ConditionExpression": "n >= :big",
                                    "ExpressionAttributeValues": {":big": {"N": "1000"}},
                                }
                            },
                            {"Put": {"TableName": table, "Item": {"id": {"S": f"never-{i}-{j}"}}}},
                        ]
                    )

    run_concurrently(work, THREADS)
    ids = {
        item["id"]["S"]
        for page in aws("dynamodb").get_paginator("scan").paginate(TableName=table)
        for item in page["Items"]
    }
    expected = {f"put-{i}-{j}" for i in range(1, THREADS, 2) for j in range(10)}
    assert expected <= ids, f"lost writes: {sorted(expected - ids)}"
    assert not any(i.startswith("never-") for i in ids)


def test_conditional_stock_decrements_never_oversell(table: str, aws: Callable[[str], Any]) -> None:
    aws("dynamodb").put_item(TableName=table, Item={"id": {"S": "stock"}, "n": {"N": "5"}})
    won: list[str] = []

    def buy(i: int) -> None:
        try:
            aws("dynamodb").transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"id": {"S": "stock"}},
                            "UpdateExpression": "SET n = n - :one",
                            "ConditionExpression": "n >= :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                    {"Put": {"TableName": table, "Item": {"id": {"S": f"order-{i}"}}}},
                ]
            )
            won.append(f"order-{i}")
        except ClientError as error:
            assert error.response["Error"]["Code"] == "TransactionCanceledException"

    run_concurrently(buy, 4 * THREADS)
    assert len(won) == 5
    stock = aws("dynamodb").get_item(TableName=table, Key={"id": {"S": "stock"}})["Item"]["n"]["N"]
    assert stock == "0"
    orders = [i["id"]["S"] for i in aws("dynamodb").scan(TableName=table)["Items"] if i["id"]["S"].startswith("order-")]
    assert sorted(orders) == sorted(won)


def test_a_transaction_is_all_or_nothing(table: str, aws: Callable[[str], Any]) -> None:
    """A failed condition cancels every item, with AWS's reasons in order; a write that fails after the earlier
    ones were applied puts those back (nothing half-written stays)."""
    client = aws("dynamodb")
    client.put_item(TableName=table, Item={"id": {"S": "stock"}, "units": {"N": "1"}, "label": {"S": "x"}})

    def items() -> dict[str, Any]:
        return {i["id"]["S"]: i for i in client.scan(TableName=table)["Items"]}

    with pytest.raises(ClientError) as cancelled:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"id": {"S": "order-1"}}}},
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"id": {"S": "stock"}},
                        "UpdateExpression": "SET units = units - :two",
                        "ConditionExpression": "units >= :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
            ]
        )
    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in cancelled.value.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert set(items()) == {"stock"}

    with pytest.raises(ClientError):  # the second write fails (a number minus a string) after the Put was applied
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"id": {"S": "order-2"}}}},
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"id": {"S": "stock"}},
                        "UpdateExpression": "SET units = units - label",
                    }
                },
            ]
        )
    assert set(items()) == {"stock"}
    assert items()["stock"]["units"] == {"N": "1"}

    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {"id": {"S": "order-3"}}}},
            {
                "Update": {
                    "TableName": table,
                    "Key": {"id": {"S": "stock"}},
                    "UpdateExpression": "SET units = units - :one",
                    "ConditionExpression": "units >= :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
    assert set(items()) == {"stock", "order-3"} and items()["stock"]["units"] == {"N": "0"}
