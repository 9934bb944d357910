"""SQS FIFO queues as AWS runs them (sqs_fifo.py): a group is free again once its messages' visibility runs
out, and a deduplication id counts for five minutes, deleted or not."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import unique

Aws = Callable[[str], Any]


@pytest.fixture
def fifo(aws: Aws) -> Iterator[str]:
    sqs = aws("sqs")
    attributes = {"FifoQueue": "true", "VisibilityTimeout": "1"}
    url = sqs.create_queue(QueueName=unique("fifo") + ".fifo", Attributes=attributes)["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


def bodies(sqs: Any, url: str) -> list[str]:
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])]


def test_a_group_whose_visibility_ran_out_is_received_again_in_order(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    for i in range(3):
        sqs.send_message(QueueUrl=fifo, MessageBody=f"m{i}", MessageGroupId="g", MessageDeduplicationId=str(i))
    assert bodies(sqs, fifo) == ["m0", "m1", "m2"]
    assert bodies(sqs, fifo) == []  # in flight: the group waits
    time.sleep(2)
    assert bodies(sqs, fifo) == ["m0", "m1", "m2"]


def test_a_deduplication_id_counts_after_its_message_is_deleted(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    sqs.send_message(QueueUrl=fifo, MessageBody="first", MessageGroupId="g", MessageDeduplicationId="d")
    received = sqs.receive_message(QueueUrl=fifo)["Messages"]
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=received[0]["ReceiptHandle"])
    again = sqs.send_message(QueueUrl=fifo, MessageBody="again", MessageGroupId="g", MessageDeduplicationId="d")
    assert again["MessageId"]  # accepted ...
    assert bodies(sqs, fifo) == []  # ... and not delivered


def test_a_receive_takes_group_after_group(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    for i, (body, group) in enumerate([("g1-m1", "g1"), ("g2-m1", "g2"), ("g1-m2", "g1"), ("g1-m3", "g1")]):
        sqs.send_message(QueueUrl=fifo, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=str(i))
    assert bodies(sqs, fifo) == ["g1-m1", "g1-m2", "g1-m3", "g2-m1"]


def test_sequence_numbers_increase(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    numbers = [
        int(
            sqs.send_message(QueueUrl=fifo, MessageBody="m", MessageGroupId="g", MessageDeduplicationId=str(i))[
                "SequenceNumber"
            ]
        )
        for i in range(10)
    ]
    assert numbers == sorted(numbers) and len(set(numbers)) == 10


def test_a_purge_clears_the_deduplication_ids(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    sqs.send_message(QueueUrl=fifo, MessageBody="first", MessageGroupId="g", MessageDeduplicationId="d")
    sqs.purge_queue(QueueUrl=fifo)
    sqs.send_message(QueueUrl=fifo, MessageBody="again", MessageGroupId="g", MessageDeduplicationId="d")
    assert bodies(sqs, fifo) == ["again"]
