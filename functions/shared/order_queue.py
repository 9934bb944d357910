"""The orders queue (SQS): one message per order to process, `{"order_id": "o-…"}` (docs/data-model.md)."""

from __future__ import annotations

import json
from typing import Any


def order_message(order_id: str) -> str:
    return json.dumps({"order_id": order_id}, separators=(",", ":"))


class SqsOrderQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self.client = client
        self.queue_url = queue_url

    def send(self, order_id: str) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=order_message(order_id))
