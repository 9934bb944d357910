"""DynamoDB Streams records and shards as AWS writes and lists them.

- **No record for a write that changes nothing.** A PutItem (or a batch or transaction put) that writes an item
  identical to the one it replaces leaves no stream record on AWS; moto wrote a MODIFY record for it, so a
  consumer saw an event AWS never sends.
- **A record's `eventVersion`** is `1.1` and its `awsRegion` the table's region (moto: `1.0`, `us-east-1`).
- **DescribeStream with `ExclusiveStartShardId`** lists the shards after that one (moto listed them all again,
  so a caller paging through the shards never reached the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

EVENT_VERSION = "1.1"


def _add(self: Any, old: Any, new: Any) -> None:
    from moto.dynamodb.models.table import StreamShard

    if old is not None and new is not None and old.to_json() == new.to_json():
        return  # nothing changed: no record
    count = len(self.items)
    original(StreamShard, "add")(self, old, new)
    for record in self.items[count:]:  # the new one (the list is emptied when a mapping took the records)
        record.record["eventVersion"] = EVENT_VERSION
        record.record["awsRegion"] = self.table.region_name


def _describe_stream(self: Any) -> Any:
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    result = original(DynamoDBStreamsHandler, "describe_stream")(self)
    start = self._get_param("ExclusiveStartShardId")
    shards = result.result["StreamDescription"]["Shards"]
    ids = [shard["ShardId"] for shard in shards]
    if start in ids:
        result.result["StreamDescription"]["Shards"] = shards[ids.index(start) + 1 :]
    return result


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.models.table import StreamShard
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    replace(StreamShard, "add", _add)
    replace(DynamoDBStreamsHandler, "describe_stream", _describe_stream)
