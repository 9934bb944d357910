"""DynamoDB answers with what AWS puts in them, and no more.

- **ConsumedCapacity** is in an answer only when the request asks for it (`ReturnConsumedCapacity`
  `TOTAL` or `INDEXES`). moto 5.2.5 always added it to BatchWriteItem, BatchGetItem and
  TransactWriteItems (`[]` or made-up units), so a caller reading it saw numbers AWS never sent.
- **BillingModeSummary** is in a table's description only for an on-demand (`PAY_PER_REQUEST`) table;
  moto showed `{"BillingMode": "PROVISIONED"}` on every provisioned one.
- **ItemCollectionMetrics** only when `ReturnItemCollectionMetrics` is `SIZE` (moto sent `{}` with every
  batch or transaction write), and a table's `GlobalSecondaryIndexes` / `LocalSecondaryIndexes` only when it
  has some (moto sent `[]`).

- **A table's description** has its `TableId` (a UUID, the same in every answer about the table: derived from
  its ARN and creation time), each global secondary index its `IndexArn`, `IndexSizeBytes`, `ItemCount` (0, as
  AWS shows them until its six-hourly update) and `ProvisionedThroughput.NumberOfDecreasesToday`, and an
  on-demand table's DescribeTable `BillingModeSummary.LastUpdateToPayPerRequestDateTime`. CreateTable and
  DeleteTable answer `WarmThroughput` only when the request set it (then `UPDATING`, as the table is created);
  moto added its defaults to every answer. An UpdateTable that changes the encryption answers its
  `SSEDescription` `UPDATING`.

The answer is moto's own with those keys changed; its `x-amz-crc32` (which botocore checks) is computed
again.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

ASKED_FOR_CAPACITY = ("TOTAL", "INDEXES")
TABLE_KEYS = ("TableDescription", "Table")
INDEX_LISTS = ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
TRIMMED = ("ConsumedCapacity", "ItemCollectionMetrics", "BillingModeSummary", *INDEX_LISTS, *TABLE_KEYS)
WARM_THROUGHPUT_ONLY_WHEN_SET = ("CreateTable", "DeleteTable")


def table_id(arn: str, created: float) -> str:
    """A table's TableId: the same UUID in every answer about one table, another for a table made again."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{arn}@{int(created)}"))


def _describe_table(table: dict[str, Any], operation: str, request: dict[str, Any]) -> None:
    """A table's description completed as AWS's (see the module's docstring)."""
    arn = table.get("TableArn")
    created = table.get("CreationDateTime")
    if arn and "TableId" not in table and isinstance(created, (int, float)):
        table["TableId"] = table_id(arn, created)
    for index in table.get("GlobalSecondaryIndexes") or []:
        if arn and "IndexName" in index:
            index.setdefault("IndexArn", f"{arn}/index/{index['IndexName']}")
        index.setdefault("IndexSizeBytes", 0)
        index.setdefault("ItemCount", 0)
        if isinstance(index.get("ProvisionedThroughput"), dict):
            index["ProvisionedThroughput"].setdefault("NumberOfDecreasesToday", 0)
        if operation == "CreateTable":
            index.pop("WarmThroughput", None)
    summary = table.get("BillingModeSummary")
    if operation == "DescribeTable" and isinstance(summary, dict) and summary.get("BillingMode") == "PAY_PER_REQUEST":
        summary.setdefault("LastUpdateToPayPerRequestDateTime", table.get("CreationDateTime"))
    if operation == "UpdateTable" and "SSESpecification" in request and isinstance(table.get("SSEDescription"), dict):
        table["SSEDescription"]["Status"] = "UPDATING"  # the change is under way when UpdateTable answers
    if operation in WARM_THROUGHPUT_ONLY_WHEN_SET:
        if "WarmThroughput" not in request:
            table.pop("WarmThroughput", None)
        elif operation == "CreateTable" and isinstance(table.get("WarmThroughput"), dict):
            table["WarmThroughput"]["Status"] = "UPDATING"


def _trim(answer: dict[str, Any], request: dict[str, Any], operation: str = "") -> bool:
    """Take out what AWS would not send, add what it would; True when something changed."""
    changed = False
    if str(request.get("ReturnConsumedCapacity", "NONE")) not in ASKED_FOR_CAPACITY and "ConsumedCapacity" in answer:
        del answer["ConsumedCapacity"]
        changed = True
    if request.get("ReturnItemCollectionMetrics") != "SIZE" and answer.get("ItemCollectionMetrics") == {}:
        del answer["ItemCollectionMetrics"]
        changed = True
    for key in TABLE_KEYS:
        table = answer.get(key)
        if not isinstance(table, dict):
            continue
        _describe_table(table, operation, request)
        changed = True
        if table.get("BillingModeSummary") == {"BillingMode": "PROVISIONED"}:
            del table["BillingModeSummary"]
            changed = True
        for indexes in INDEX_LISTS:
            if table.get(indexes) == []:
                del table[indexes]
                changed = True
    return changed


def _call_action(self: Any) -> Any:
    from moto.dynamodb.responses import DynamoHandler
    from moto.utilities.aws_headers import gen_amz_crc32

    status, headers, body = original(DynamoHandler, "call_action")(self)
    if not isinstance(body, str) or not any(f'"{key}"' in body for key in TRIMMED):
        return status, headers, body
    try:
        answer = json.loads(body)
    except ValueError:
        return status, headers, body
    operation = str(self._get_action() or "")
    if isinstance(answer, dict) and _trim(answer, getattr(self, "body", None) or {}, operation):
        body = json.dumps(answer)
        gen_amz_crc32(body, headers)
    return status, headers, body


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.responses import DynamoHandler

    replace(DynamoHandler, "call_action", _call_action)
