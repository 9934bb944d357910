"""The orders queue (SQS)."""

from __future__ import annotations

import json
from typing import Any


class SqsOrderQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self.client = client
        self.queue_url = queue_url

    def send(self, message: dict[str, Any]) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(message, separators=(",", ":")))
