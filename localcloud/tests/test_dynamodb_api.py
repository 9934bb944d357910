"""DynamoDB requests read and checked as AWS does (dynamodb_api.py) and stream records as AWS writes them
(dynamodb_streams.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]
KEY = {"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}  # fmt: skip
STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


@pytest.fixture
def table(aws: Aws) -> Iterator[str]:
    ddb = aws("dynamodb")
    name = unique("api")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", StreamSpecification=STREAM, **KEY)
    yield name
    ddb.delete_table(TableName=name)


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return dict(caught.value.response["Error"])


def records(aws: Aws, table: str) -> list[dict[str, Any]]:
    streams = aws("dynamodbstreams")
    arn = aws("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    return list(streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"])


def test_a_partiql_update_takes_number_literals(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    statement = f"UPDATE \"{table}\" SET Age=20, Name='x=1' WHERE pk='a'"  # noqa: S608 (a test's own table)
    assert ddb.batch_execute_statement(Statements=[{"Statement": statement}])["Responses"] == [{"TableName": table}]
    item = ddb.get_item(TableName=table, Key={"pk": {"S": "a"}})["Item"]
    assert item == {"pk": {"S": "a"}, "Age": {"N": "20"}, "Name": {"S": "x=1"}}


def test_execute_statement_with_an_empty_parameter_list_is_refused(aws: Aws, table: str, endpoint: str) -> None:
    unchecked = boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(parameter_validation=False),
    )  # fmt: skip
    error = error_of(lambda: unchecked.execute_statement(Statement=f'SELECT * FROM "{table}"', Parameters=[]))  # noqa: S608
    assert (error["Code"], error["Message"]) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    )


def test_an_operation_moto_lacks_is_an_unknown_operation_and_insights_are_disabled(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    answer = ddb.describe_contributor_insights(TableName=table)
    assert (answer["TableName"], answer["ContributorInsightsStatus"]) == (table, "DISABLED")
    error = error_of(lambda: ddb.list_contributor_insights())
    assert error["Code"] == "UnknownOperationException"


def test_deleting_a_missing_table_names_it(aws: Aws) -> None:
    error = error_of(lambda: aws("dynamodb").delete_table(TableName="no-such-table"))
    assert error["Message"] == "Requested resource not found: Table: no-such-table not found"


def test_creating_an_on_demand_table_with_throughput_is_refused_in_aws_words(aws: Aws) -> None:
    throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    error = error_of(
        lambda: aws("dynamodb").create_table(
            TableName=unique("x"), BillingMode="PAY_PER_REQUEST", ProvisionedThroughput=throughput, **KEY
        )
    )
    assert error["Message"] == (
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
        "specified when BillingMode is PAY_PER_REQUEST"
    )


def test_a_batch_put_without_the_key_does_not_match_the_schema(aws: Aws, table: str) -> None:
    batch = {table: [{"PutRequest": {"Item": {"other": {"S": "x"}}}}]}
    error = error_of(lambda: aws("dynamodb").batch_write_item(RequestItems=batch))
    assert (error["Code"], error["Message"]) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_the_aws_managed_dynamodb_key_is_described_as_aws_describes_it(aws: Aws) -> None:
    ddb = aws("dynamodb")
    name = unique("sse")
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST", SSESpecification={"Enabled": True, "SSEType": "KMS"}, **KEY
    )
    ddb.delete_table(TableName=name)
    key = aws("kms").describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]
    assert key["KeyManager"] == "AWS"
    assert key["Description"] == "Default key that protects my DynamoDB data when no other key is defined"


def test_stream_records_follow_the_batch_order_and_skip_writes_that_change_nothing(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    ddb.put_item(TableName=table, Item={"pk": {"S": "Fred"}})
    same_and_new = [{"PutRequest": {"Item": {"pk": {"S": "Fred"}}}}, {"PutRequest": {"Item": {"pk": {"S": "New"}}}}]
    ddb.batch_write_item(RequestItems={table: same_and_new})
    delete_then_put = [
        {"DeleteRequest": {"Key": {"pk": {"S": "New"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "Fred"}, "name": {"S": "Fred"}}}},
    ]
    ddb.batch_write_item(RequestItems={table: delete_then_put})
    seen = [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"], r["eventVersion"]) for r in records(aws, table)]
    assert seen == [
        ("INSERT", "Fred", "1.1"),
        ("INSERT", "New", "1.1"),  # Fred written again unchanged: no record
        ("REMOVE", "New", "1.1"),
        ("MODIFY", "Fred", "1.1"),
    ]


def test_describe_stream_starts_after_the_exclusive_start_shard(aws: Aws, table: str) -> None:
    streams = aws("dynamodbstreams")
    arn = aws("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    after = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=shards[-1]["ShardId"])
    assert after["StreamDescription"]["Shards"] == []


def test_kinesis_streaming_destinations_are_enabled_updated_and_disabled(aws: Aws, table: str) -> None:
    ddb, kinesis = aws("dynamodb"), aws("kinesis")
    stream = unique("kds")
    kinesis.create_stream(StreamName=stream)  # no ShardCount: an on-demand stream
    arn = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["StreamARN"]
    try:
        error = error_of(lambda: ddb.enable_kinesis_streaming_destination(TableName="no-such-table", StreamArn=arn))
        assert error["Message"] == "Requested resource not found: Table: no-such-table not found"
        assert ddb.enable_kinesis_streaming_destination(TableName=table, StreamArn=arn)["DestinationStatus"] == (
            "ENABLING"
        )
        described = ddb.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"]
        assert described == [{"StreamArn": arn, "DestinationStatus": "ACTIVE"}]
        error = error_of(lambda: ddb.update_kinesis_streaming_destination(TableName=table, StreamArn=arn))
        assert error["Message"].startswith("Streaming destination cannot be updated with given parameters")
        micro = {"ApproximateCreationDateTimePrecision": "MICROSECOND"}
        updated = ddb.update_kinesis_streaming_destination(
            TableName=table, StreamArn=arn, UpdateKinesisStreamingConfiguration=micro
        )
        assert updated["DestinationStatus"] == "UPDATING"
        table_id = ddb.describe_table(TableName=table)["Table"]["TableId"]
        error = error_of(
            lambda: ddb.update_kinesis_streaming_destination(
                TableName=table, StreamArn=arn, UpdateKinesisStreamingConfiguration=micro
            )
        )
        assert error["Message"] == (
            f"Invalid Request: Precision is already set to the desired value of MICROSECOND for tableId: {table_id}, "
            f"kdsArn: {arn}"
        )
        assert ddb.disable_kinesis_streaming_destination(TableName=table, StreamArn=arn)["DestinationStatus"] == (
            "DISABLING"
        )
    finally:
        kinesis.delete_stream(StreamName=stream)


def test_an_update_that_creates_an_item_is_one_insert_and_one_that_changes_nothing_none(aws: Aws, table: str) -> None:
    ddb = aws("dynamodb")
    update = {"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"S": "1"}}}
    ddb.update_item(TableName=table, Key={"pk": {"S": "new"}}, **update)
    ddb.transact_write_items(TransactItems=[{"Update": {"TableName": table, "Key": {"pk": {"S": "new"}}, **update}}])
    seen = [(r["eventName"], r["dynamodb"].get("NewImage")) for r in records(aws, table)]
    assert seen == [("INSERT", {"pk": {"S": "new"}, "a": {"S": "1"}})]


def test_a_tables_changes_reach_its_kinesis_streaming_destination(aws: Aws, table: str) -> None:
    ddb, kinesis = aws("dynamodb"), aws("kinesis")
    stream = unique("kds")
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    description = kinesis.describe_stream(StreamName=stream)["StreamDescription"]
    try:
        ddb.enable_kinesis_streaming_destination(TableName=table, StreamArn=description["StreamARN"])
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1"}, "b": {"B": b"\x90"}})
        iterator = kinesis.get_shard_iterator(
            StreamName=stream, ShardId=description["Shards"][0]["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        [record] = kinesis.get_records(ShardIterator=iterator)["Records"]
        change = json.loads(record["Data"])
        assert (change["eventName"], change["tableName"], change["recordFormat"]) == (
            "INSERT",
            table,
            "application/json",
        )
        assert change["dynamodb"]["NewImage"] == {"pk": {"S": "a"}, "n": {"N": "1"}, "b": {"B": "kA=="}}
    finally:
        kinesis.delete_stream(StreamName=stream)
