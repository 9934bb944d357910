"""Failed-login counters (DynamoDB): one item per key and fixed window, removed by the table's TTL."""

from __future__ import annotations

from typing import Any


class DynamoLoginAttempts:
    def __init__(self, table: Any) -> None:
        self.table = table

    def failures(self, keys: list[str], window: int) -> dict[str, int]:
        client, name = self.table.meta.client, self.table.name
        answer = client.batch_get_item(
            RequestItems={name: {"Keys": [{"id": f"{key}#{window}"} for key in keys], "ConsistentRead": True}}
        )
        counted: dict[str, int] = {}
        for item in answer.get("Responses", {}).get(name, []):
            key = str(item["id"]).rsplit("#", 1)[0]
            counted[key] = int(item.get("failures", 0))
        return counted

    def record_failure(self, keys: list[str], window: int, *, expires_at: int) -> None:
        for key in keys:
            self.table.update_item(
                Key={"id": f"{key}#{window}"},
                UpdateExpression="ADD failures :one SET expiration = :exp",
                ExpressionAttributeValues={":one": 1, ":exp": expires_at},
            )
