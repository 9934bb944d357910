"""DynamoDB's Kinesis streaming destinations, their control plane as AWS answers it (moto has none of it).

- **Enable / Describe / Update / DisableKinesisStreamingDestination**: a table keeps its destinations (stream
  ARN, status, `ApproximateCreationDateTimePrecision`). Enable answers `ENABLING`, Update `UPDATING`, Disable
  `DISABLING`; the change is done at once, so the next Describe shows `ACTIVE` (or `DISABLED`). A missing
  table, an update without a configuration, a precision other than `MILLISECOND`/`MICROSECOND`, a stream that
  is not one of the table's destinations and an update to the precision already set are refused in AWS's
  words (the last one names the table's `TableId`, as dynamodb_responses.py answers it).
- **Kinesis CreateStream without `ShardCount`** makes an on-demand stream, as AWS does (moto failed: an HTML
  500).

- **Records**: each change a table's DynamoDB stream records is also put, as AWS's Kinesis destination record
  (`recordFormat` `application/json`, `tableName`, `dynamodb` with the keys and images), to each of the
  table's `ACTIVE` destinations (dynamodb_streams.py calls `deliver`).

Not done: a table without a DynamoDB stream of its own writes nothing to its destinations (moto records
changes only where a stream is enabled).
"""

from __future__ import annotations

import base64
import calendar
import logging
from typing import TYPE_CHECKING, Any

from localcloud.dynamodb_api import OWN_OPERATIONS
from localcloud.dynamodb_responses import table_id
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger(__name__)
DESTINATIONS = "_localcloud_kinesis_destinations"  # stream ARN -> destination, in moto's table's __dict__
PRECISIONS = ("MILLISECOND", "MICROSECOND")


def _invalid(message: str) -> Exception:
    from moto.dynamodb.exceptions import MockValidationException

    return MockValidationException(message)


def _table(handler: Any) -> Any:
    from moto.dynamodb.exceptions import ResourceNotFoundException

    name = handler.body.get("TableName")
    table = handler.dynamodb_backend.tables.get(name)
    if table is None:
        raise ResourceNotFoundException(table_name=name)
    return table


def _destinations(table: Any) -> dict[str, dict[str, Any]]:
    destinations: dict[str, dict[str, Any]] = table.__dict__.setdefault(DESTINATIONS, {})
    return destinations


def _answer(table: Any, arn: str, status: str, **more: Any) -> Any:
    from moto.core.responses import ActionResult

    return ActionResult({"TableName": table.name, "StreamArn": arn, "DestinationStatus": status, **more})


def _enable(self: Any) -> Any:
    table, arn = _table(self), self.body.get("StreamArn")
    configuration = self.body.get("EnableKinesisStreamingConfiguration") or {}
    destination = {"StreamArn": arn, "DestinationStatus": "ACTIVE"}
    if configuration.get("ApproximateCreationDateTimePrecision"):
        destination["ApproximateCreationDateTimePrecision"] = configuration["ApproximateCreationDateTimePrecision"]
    _destinations(table)[arn] = destination
    return _answer(table, arn, "ENABLING", EnableKinesisStreamingConfiguration=configuration)


def _describe(self: Any) -> Any:
    from moto.core.responses import ActionResult

    table = _table(self)
    listed = [dict(destination) for destination in _destinations(table).values()]
    return ActionResult({"TableName": table.name, "KinesisDataStreamDestinations": listed})


def _update(self: Any) -> Any:
    table, arn = _table(self), self.body.get("StreamArn")
    configuration = self.body.get("UpdateKinesisStreamingConfiguration") or {}
    precision = configuration.get("ApproximateCreationDateTimePrecision")
    if precision is None:
        raise _invalid(
            "Streaming destination cannot be updated with given parameters: UpdateKinesisStreamingConfiguration "
            "cannot be null or contain only null values"
        )
    if precision not in PRECISIONS:
        raise _invalid(
            f"1 validation error detected: Value '{precision}' at "
            "'updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(PRECISIONS)}]"
        )
    destination = _destinations(table).get(arn)
    if destination is None or destination["DestinationStatus"] != "ACTIVE":
        raise _invalid(
            "Table is not in a valid state to enable Kinesis Streaming Destination: No streaming destination with "
            f"streamArn: {arn} found for table with tableName: {table.name}"
        )
    if destination.get("ApproximateCreationDateTimePrecision") == precision:
        created = calendar.timegm(table.created_at.utctimetuple())  # moto's naive UTC, as its answers write it
        raise _invalid(
            f"Invalid Request: Precision is already set to the desired value of {precision} for tableId: "
            f"{table_id(table.table_arn, created)}, kdsArn: {arn}"
        )
    destination["ApproximateCreationDateTimePrecision"] = precision
    return _answer(table, arn, "UPDATING", UpdateKinesisStreamingConfiguration=configuration)


def _disable(self: Any) -> Any:
    table, arn = _table(self), self.body.get("StreamArn")
    destination = _destinations(table).get(arn)
    if destination is None or destination["DestinationStatus"] != "ACTIVE":
        raise _invalid(
            "Table is not in a valid state to disable Kinesis Streaming Destination: No streaming destination "
            f"with streamArn: {arn} found for table with tableName: {table.name}"
        )
    destination["DestinationStatus"] = "DISABLED"
    return _answer(table, arn, "DISABLING")


def deliver(table: Any, record: dict[str, Any]) -> None:
    """Put one stream record, in the Kinesis destination's format, to each of the table's active destinations."""
    from moto.dynamodb.models.utilities import dynamo_json_dump
    from moto.kinesis.models import kinesis_backends

    active = [arn for arn, d in _destinations(table).items() if d["DestinationStatus"] == "ACTIVE"]
    if not active:
        return
    change = {k: v for k, v in record["dynamodb"].items() if k in ("Keys", "NewImage", "OldImage", "SizeBytes")}
    created = record["dynamodb"]["ApproximateCreationDateTime"]
    change["ApproximateCreationDateTime"] = int(calendar.timegm(created.utctimetuple()) * 1000)
    change["ApproximateCreationDateTimePrecision"] = "MILLISECOND"
    data = {
        "awsRegion": record["awsRegion"],
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "userIdentity": None,
        "recordFormat": "application/json",
        "tableName": table.name,
        "dynamodb": change,
        "eventSource": "aws:dynamodb",
    }
    encoded = base64.b64encode(dynamo_json_dump(data).encode()).decode()  # binary attributes as base64
    partition_key = dynamo_json_dump(change["Keys"])
    for arn in active:
        try:  # delivery is AWS's own business after the write: it never fails the write
            _, _, _, region, account, resource = arn.split(":", 5)
            stream = kinesis_backends[account][region].streams.get(resource.split("/", 1)[-1])
            if stream is not None:
                stream.put_record(partition_key, None, encoded)  # type: ignore[arg-type]  # no explicit hash key
        except Exception:  # a stream gone, an ARN not of Kinesis
            log.warning("could not write a change of %s to %s", table.name, arn, exc_info=True)


def _create_stream(self: Any, stream_name: str, shard_count: Any, *args: Any, **kwargs: Any) -> Any:
    from moto.kinesis.models import KinesisBackend

    if shard_count is None and not kwargs.get("stream_mode"):
        kwargs["stream_mode"] = {"StreamMode": "ON_DEMAND"}
    return original(KinesisBackend, "create_stream")(self, stream_name, shard_count, *args, **kwargs)


def install(cloud: LocalCloud) -> None:
    from moto.kinesis.models import KinesisBackend

    OWN_OPERATIONS.update(
        {
            "EnableKinesisStreamingDestination": _enable,
            "DescribeKinesisStreamingDestination": _describe,
            "UpdateKinesisStreamingDestination": _update,
            "DisableKinesisStreamingDestination": _disable,
        }
    )
    replace(KinesisBackend, "create_stream", _create_stream)
