"""DynamoDB answers carry what AWS's carry (dynamodb_responses.py): ConsumedCapacity only when asked for,
BillingModeSummary only for on-demand tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import unique

Aws = Callable[[str], Any]
KEY = {"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}  # fmt: skip


@pytest.fixture
def table(aws: Aws) -> Iterator[str]:
    ddb = aws("dynamodb")
    name = unique("answers")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **KEY)
    yield name
    ddb.delete_table(TableName=name)


def test_consumed_capacity_only_when_asked_for(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    put = {table: [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}
    assert "ConsumedCapacity" not in ddb.batch_write_item(RequestItems=put)
    get = {table: {"Keys": [{"pk": {"S": "a"}}]}}
    assert "ConsumedCapacity" not in ddb.batch_get_item(RequestItems=get)
    items = [{"Put": {"TableName": table, "Item": {"pk": {"S": "b"}}}}]
    assert "ConsumedCapacity" not in ddb.transact_write_items(TransactItems=items)
    asked = ddb.batch_write_item(RequestItems=put, ReturnConsumedCapacity="TOTAL")
    assert [c["TableName"] for c in asked["ConsumedCapacity"]] == [table]


def test_billing_mode_summary_only_for_on_demand_tables(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    assert ddb.describe_table(TableName=table)["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    name = unique("provisioned")
    throughput = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    created = ddb.create_table(TableName=name, ProvisionedThroughput=throughput, **KEY)["TableDescription"]
    try:
        assert "BillingModeSummary" not in created
        assert "BillingModeSummary" not in ddb.describe_table(TableName=name)["Table"]
    finally:
        ddb.delete_table(TableName=name)


def test_empty_item_collection_metrics_and_index_lists_are_left_out(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    put = {table: [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}
    assert "ItemCollectionMetrics" not in ddb.batch_write_item(RequestItems=put)
    items = [{"Put": {"TableName": table, "Item": {"pk": {"S": "b"}}}}]
    assert "ItemCollectionMetrics" not in ddb.transact_write_items(TransactItems=items)
    description = ddb.describe_table(TableName=table)["Table"]
    assert "GlobalSecondaryIndexes" not in description
    assert "LocalSecondaryIndexes" not in description


def test_a_table_description_has_its_id_and_its_indexes_arns(aws: Aws) -> None:
    ddb = aws("dynamodb")
    name = unique("described")
    index = {"IndexName": "by-sk", "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}}  # fmt: skip
    definitions = [*KEY["AttributeDefinitions"], {"AttributeName": "sk", "AttributeType": "S"}]
    created = ddb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=definitions,
        KeySchema=KEY["KeySchema"],
        GlobalSecondaryIndexes=[index],
    )["TableDescription"]
    try:
        described = ddb.describe_table(TableName=name)["Table"]
        assert created["TableId"] == described["TableId"]
        assert "WarmThroughput" not in created  # not asked for
        for table in (created, described):
            gsi = table["GlobalSecondaryIndexes"][0]
            assert gsi["IndexArn"] == f"{table['TableArn']}/index/by-sk"
            assert (gsi["IndexSizeBytes"], gsi["ItemCount"]) == (0, 0)
            assert gsi["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 0
        assert "LastUpdateToPayPerRequestDateTime" in described["BillingModeSummary"]
    finally:
        deleted = ddb.delete_table(TableName=name)["TableDescription"]
    assert "WarmThroughput" not in deleted and deleted["TableId"] == created["TableId"]


def test_an_update_of_the_encryption_answers_it_updating(aws: Aws) -> None:
    ddb = aws("dynamodb")
    name = unique("sse")
    sse = {"Enabled": True, "SSEType": "KMS"}
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", SSESpecification=sse, **KEY)
    try:
        updated = ddb.update_table(TableName=name, SSESpecification={"Enabled": False})["TableDescription"]
        assert updated["SSEDescription"]["Status"] == "UPDATING"
    finally:
        ddb.delete_table(TableName=name)
