"""SQS FIFO queues as AWS runs them (sqs_fifo.py): groups received one after the other and locked while in
flight, free again once a message's visibility runs out or its last message in flight is deleted, and a
deduplication id counting for five minutes, deleted or not."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError
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


def send(sqs: Any, url: str, *messages: tuple[str, str]) -> None:
    for body, group in messages:
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)


def test_a_long_poll_waits_while_the_group_is_in_flight_and_takes_it_once_deleted(aws: Aws) -> None:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique("fifo") + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    taken: list[dict[str, Any]] = []

    def poll() -> None:
        taken.extend(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", []))

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(poll), pool.submit(poll)
        time.sleep(0.5)  # both polls wait on the empty queue
        send(sqs, url, ("m1", "g"))
        time.sleep(1)
        send(sqs, url, ("m2", "g"))  # its group is in flight: the waiting poll leaves it
        time.sleep(1.5)
        assert [m["Body"] for m in taken] == ["m1"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=taken[0]["ReceiptHandle"])  # the group is free again
        first.result(), second.result()
    assert [m["Body"] for m in taken] == ["m1", "m2"]
    sqs.delete_queue(QueueUrl=url)


def test_a_group_freed_by_its_timeout_joins_the_end_of_the_order(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    send(sqs, fifo, ("g1-m1", "g1"), ("g1-m2", "g1"), ("g2-m1", "g2"), ("g3-m1", "g3"))
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1)["Messages"]] == ["g1-m1"]
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1)["Messages"]] == ["g2-m1"]
    time.sleep(2)  # both groups' visibility ran out: g1 first, then g2, after g3 that waited
    assert bodies(sqs, fifo) == ["g3-m1", "g1-m1", "g1-m2", "g2-m1"]


def test_a_receive_with_visibility_timeout_0_frees_the_group_at_once(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    send(sqs, fifo, ("g1-m1", "g1"), ("g2-m1", "g2"), ("g2-m2", "g2"), ("g3-m1", "g3"), ("g1-m2", "g1"))
    first = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=3, VisibilityTimeout=0)["Messages"]
    assert [m["Body"] for m in first] == ["g1-m1", "g1-m2", "g2-m1"]
    again = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]
    assert [m["Body"] for m in again] == ["g3-m1", "g1-m1", "g1-m2", "g2-m1", "g2-m2"]


def test_a_message_made_visible_frees_its_group_but_not_its_group_mates_in_flight(aws: Aws) -> None:
    sqs = aws("sqs")
    attributes = {"FifoQueue": "true", "VisibilityTimeout": "30"}
    url = sqs.create_queue(QueueName=unique("fifo") + ".fifo", Attributes=attributes)["QueueUrl"]
    send(sqs, url, ("g1-m1", "g1"), ("g1-m2", "g1"), ("g2-m1", "g2"))
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]
    assert [m["Body"] for m in received] == ["g1-m1", "g1-m2"]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"], VisibilityTimeout=0)
    time.sleep(0.1)
    assert bodies(sqs, url) == ["g2-m1", "g1-m1"]  # g1-m2 is still in flight
    sqs.delete_queue(QueueUrl=url)


@pytest.mark.parametrize(("extended", "visible"), [(0, []), (1, ["m0"]), (2, ["m0", "m1"])])
def test_a_message_kept_invisible_keeps_the_messages_after_it_in_its_group_invisible(
    aws: Aws, fifo: str, extended: int, visible: list[str]
) -> None:
    sqs = aws("sqs")
    send(sqs, fifo, ("m0", "g"), ("m1", "g"), ("m2", "g"))
    received = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10)["Messages"]
    handle = received[extended]["ReceiptHandle"]
    sqs.change_message_visibility(QueueUrl=fifo, ReceiptHandle=handle, VisibilityTimeout=4)
    time.sleep(2)  # the others' visibility (1 s) ran out
    assert bodies(sqs, fifo) == visible


def test_deleting_with_an_expired_receipt_handle_is_refused(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    send(sqs, fifo, ("m", "g"))
    handle = sqs.receive_message(QueueUrl=fifo)["Messages"][0]["ReceiptHandle"]
    time.sleep(1.5)
    with pytest.raises(ClientError) as caught:
        sqs.delete_message(QueueUrl=fifo, ReceiptHandle=handle)
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValue",
        f"Value {handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.",
    )
    assert bodies(sqs, fifo) == ["m"]  # still there


def test_the_queue_delay_applies_to_a_message_sent_with_delay_0(aws: Aws) -> None:
    sqs = aws("sqs")
    attributes = {"FifoQueue": "true", "DelaySeconds": "2"}
    url = sqs.create_queue(QueueName=unique("fifo") + ".fifo", Attributes=attributes)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="m", MessageGroupId="g", MessageDeduplicationId="m", DelaySeconds=0)
    assert bodies(sqs, url) == []
    time.sleep(2.5)
    assert bodies(sqs, url) == ["m"]
    sqs.delete_queue(QueueUrl=url)


def test_the_deduplication_scope_is_the_one_the_queue_was_created_with(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    sqs.set_queue_attributes(
        QueueUrl=fifo, Attributes={"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    )
    sqs.send_message(QueueUrl=fifo, MessageBody="first", MessageGroupId="g1", MessageDeduplicationId="d")
    handle = sqs.receive_message(QueueUrl=fifo)["Messages"][0]["ReceiptHandle"]
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=handle)
    sqs.send_message(QueueUrl=fifo, MessageBody="other group", MessageGroupId="g2", MessageDeduplicationId="d")
    assert bodies(sqs, fifo) == []  # still deduplicated across the queue


def test_messages_of_a_group_in_flight_still_count_as_visible(aws: Aws, fifo: str) -> None:
    sqs = aws("sqs")
    send(sqs, fifo, ("g1-m1", "g1"), ("g1-m2", "g1"), ("g2-m1", "g2"))
    sqs.receive_message(QueueUrl=fifo)
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    counts = sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=names)["Attributes"]
    assert counts == {"ApproximateNumberOfMessages": "2", "ApproximateNumberOfMessagesNotVisible": "1"}
    time.sleep(1.5)
    counts = sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=names)["Attributes"]
    assert counts == {"ApproximateNumberOfMessages": "3", "ApproximateNumberOfMessagesNotVisible": "0"}
