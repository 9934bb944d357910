"""Move the orders dead-letter queue's messages back to the orders queue, after the cause is fixed.

    make redrive                 # the local deployment (reads .artifacts/outputs-local.json)
    make redrive ENV=prod        # AWS, with your credentials (reads .artifacts/outputs-prod.json)

Each message is sent to the orders queue first and deleted from the DLQ after, so a crash in between duplicates a
message rather than losing one (processing is idempotent per order). A poison message comes back to the DLQ at
once. On AWS the console's "Start DLQ redrive" (StartMessageMoveTask) does the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parents[1]


def redrive(sqs: Any, dlq_url: str, queue_url: str, *, limit: int = 10_000) -> int:
    moved = 0
    while moved < limit:
        batch = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=60)
        messages = batch.get("Messages", [])
        if not messages:
            break
        for message in messages:
            sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.redrive", description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="local", help="the deployment whose outputs name the queues")
    args = parser.parse_args(argv)
    outputs_file = ROOT / ".artifacts" / f"outputs-{args.env}.json"
    if not outputs_file.exists():
        print(f"no {outputs_file.relative_to(ROOT)}: deploy first (make deploy-local / make deploy ENV=...)")
        return 1
    outputs = json.loads(outputs_file.read_text())
    moved = redrive(boto3.client("sqs"), outputs["OrdersDeadLetterQueueUrl"], outputs["OrdersQueueUrl"])
    print(f"moved {moved} message(s) from the dead-letter queue back to the orders queue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
