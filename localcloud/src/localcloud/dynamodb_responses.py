"""DynamoDB answers with what AWS puts in them, and no more.

- **ConsumedCapacity** is in an answer only when the request asks for it (`ReturnConsumedCapacity`
  `TOTAL` or `INDEXES`). moto 5.2.5 always added it to BatchWriteItem, BatchGetItem and
  TransactWriteItems (`[]` or made-up units), so a caller reading it saw numbers AWS never sent.
- **BillingModeSummary** is in a table's description only for an on-demand (`PAY_PER_REQUEST`) table;
  moto showed `{"BillingMode": "PROVISIONED"}` on every provisioned one.
- **ItemCollectionMetrics** only when `ReturnItemCollectionMetrics` is `SIZE` (moto sent `{}` with every
  batch or transaction write), and a table's `GlobalSecondaryIndexes` / `LocalSecondaryIndexes` only when it
  has some (moto sent `[]`).

The answer is moto's own with those keys taken out; its `x-amz-crc32` (which botocore checks) is computed
again.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

ASKED_FOR_CAPACITY = ("TOTAL", "INDEXES")
TABLE_KEYS = ("TableDescription", "Table")
INDEX_LISTS = ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
TRIMMED = ("ConsumedCapacity", "ItemCollectionMetrics", "BillingModeSummary", *INDEX_LISTS)


def _trim(answer: dict[str, Any], request: dict[str, Any]) -> bool:
    """Take out what AWS would not send; True when something was."""
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
    if isinstance(answer, dict) and _trim(answer, getattr(self, "body", None) or {}):
        body = json.dumps(answer)
        gen_amz_crc32(body, headers)
    return status, headers, body


def install(cloud: LocalCloud) -> None:
    from moto.dynamodb.responses import DynamoHandler

    replace(DynamoHandler, "call_action", _call_action)
