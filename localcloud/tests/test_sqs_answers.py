"""SQS answers in AWS's shape (sqs_answers.py): system attributes and their digest, a dead-letter message's
source, `*` for all message attributes, empty parts left out, the permission policy's version and wording."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]
TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.fixture
def queue(aws: Aws) -> Iterator[str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique("answers"))["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


def test_a_send_with_system_attributes_answers_their_digest(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    plain = sqs.send_message(QueueUrl=queue, MessageBody="test")
    assert "MD5OfMessageSystemAttributes" not in plain
    system = {"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}}
    traced = sqs.send_message(QueueUrl=queue, MessageBody="test", MessageSystemAttributes=system)
    assert traced["MD5OfMessageSystemAttributes"] == "5ae4d5d7636402d80f4eb6d213245a88"  # AWS's, for this header


def test_the_trace_header_of_a_send_is_the_messages_aws_trace_header(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")

    def add_header(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = TRACE

    sqs.meta.events.register("before-send.sqs.SendMessage", add_header)
    sqs.send_message(QueueUrl=queue, MessageBody="traced")
    message = sqs.receive_message(QueueUrl=queue, AttributeNames=["AWSTraceHeader"])["Messages"][0]
    assert message["Attributes"] == {"AWSTraceHeader": TRACE}


def test_a_message_moved_to_a_dead_letter_queue_names_its_source(aws: Aws) -> None:
    sqs = aws("sqs")
    dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})
    source = sqs.create_queue(
        QueueName=unique("source"), Attributes={"RedrivePolicy": redrive, "VisibilityTimeout": "1"}
    )["QueueUrl"]
    source_arn = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.send_message(QueueUrl=source, MessageBody="poison")
    sqs.send_message(QueueUrl=dlq, MessageBody="sent there")
    assert sqs.receive_message(QueueUrl=source)["Messages"]
    time.sleep(1.5)
    assert "Messages" not in sqs.receive_message(QueueUrl=source)  # the second receive moved it
    messages = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"], MaxNumberOfMessages=10)["Messages"]
    sources = {m["Body"]: m["Attributes"].get("DeadLetterQueueSourceArn") for m in messages}
    assert sources == {"sent there": None, "poison": source_arn}
    for url in (source, dlq):
        sqs.delete_queue(QueueUrl=url)


def test_an_asterisk_asks_for_every_message_attribute(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    attributes = {name: {"DataType": "String", "StringValue": "v"} for name in ("Hello", "Help.Me")}
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes)
    message = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["*"])["Messages"][0]
    assert set(message["MessageAttributes"]) == {"Hello", "Help.Me"}
    assert "MD5OfMessageAttributes" in message


def test_empty_tags_and_failures_are_left_out(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    sqs.tag_queue(QueueUrl=queue, Tags={"a": "1"})
    sqs.untag_queue(QueueUrl=queue, TagKeys=["a"])
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=queue)
    answer = sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": "1", "MessageBody": "x"}])
    assert "Failed" not in answer and len(answer["Successful"]) == 1


def test_the_permission_policy_has_aws_version_and_wording(aws: Aws, queue: str) -> None:
    sqs = aws("sqs")
    sqs.add_permission(QueueUrl=queue, Label="l1", AWSAccountIds=["000000000000"], Actions=["ReceiveMessage"])
    policy = json.loads(sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["Policy"])["Attributes"]["Policy"])
    assert policy["Version"] == "2008-10-17"
    with pytest.raises(ClientError) as caught:
        sqs.remove_permission(QueueUrl=queue, Label="l2")
    assert (
        caught.value.response["Error"]["Message"]
        == "Value l2 for parameter Label is invalid. Reason: can't find label."
    )
