"""DynamoDB Streams records and shards as AWS writes and lists them.

- **No record for a write that changes nothing.** A PutItem (or a batch or transaction put) that writes an item
  identical to the one it replaces leaves no stream record on AWS; moto wrote a MODIFY record for it, so a
  consumer saw an event AWS never sends.
- **One INSERT for an UpdateItem (or a transaction's Update) that creates the item**: moto put the bare key
  first and wrote two INSERT records.
- **A record's `eventVersion`** is `1.1` and its `awsRegion` the table's region (moto: `1.0`, `us-east-1`).
- **Kinesis streaming destinations** get each record too (dynamodb_kinesis.py's `deliver`).
- **DescribeStream with `ExclusiveStartShardId`** lists the shards after that one (moto listed them all again,
  so a caller paging through the shards never reached the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localcloud import dynamodb_kinesis
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

EVENT_VERSION = "1.1"


def _add(self: Any, old: Any, new: Any) -> None:
    from moto.dynamodb.models.table import StreamShard

    if old is not None and new is not None and old.to_json() == new.to_json():
        return  # nothing changed: no record
    if old is None and new is not None and self.items:
        last = self.items[-1].record["dynamodb"]
        bare_key = last.get("NewImage", last["Keys"]) == last["Keys"] == _keys(self.table, new)
        if self.items[-1].record["eventName"] == "INSERT" and bare_key:
            self.items.pop()  # moto's UpdateItem of a new item put its bare key first: one INSERT, as on AWS
    count = len(self.items)
    original(StreamShard, "add")(self, old, new)
    for record in self.items[count:]:  # the new one (the list is emptied when a mapping took the records)
        record.record["eventVersion"] = EVENT_VERSION
        record.record["awsRegion"] = self.table.region_name
        dynamodb_kinesis.deliver(self.table, record.record)


def _keys(table: Any, item: Any) -> dict[str, Any]:
    keys = {table.hash_key_attr: item.hash_key.to_json()}
    if table.range_key_attr is not None:
        keys[table.range_key_attr] = item.range_key.to_json()
    return keys


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
