"""SNS to SQS as AWS delivers it (sns_sqs.py): FIFO, raw attributes, dead letters, X-Ray, JSON structure."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import unique
from test_sns_api import refusal

Aws = Callable[[str], Any]
ACCOUNT_REGION = "us-east-1:000000000000"


class Queues:
    """Queues made for one test, deleted after it."""

    def __init__(self, sqs: Any) -> None:
        self.sqs = sqs
        self.urls: list[str] = []

    def make(self, fifo: bool = False, **attributes: str) -> tuple[str, str]:
        name = unique("q") + (".fifo" if fifo else "")
        if fifo:
            attributes["FifoQueue"] = "true"
        url = self.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        self.urls.append(url)
        return url, f"arn:aws:sqs:{ACCOUNT_REGION}:{name}"

    def receive(self, url: str, wait: int = 5) -> list[dict[str, Any]]:
        answer = self.sqs.receive_message(
            QueueUrl=url, WaitTimeSeconds=wait, AttributeNames=["All"], MessageAttributeNames=["All"]
        )
        return answer.get("Messages", [])


@pytest.fixture
def queues(aws: Aws) -> Iterator[Queues]:
    made = Queues(aws("sqs"))
    yield made
    for url in made.urls:
        try:
            made.sqs.delete_queue(QueueUrl=url)
        except Exception:  # noqa: S112 - some tests delete their queue themselves
            continue


def _topic(aws: Aws, fifo: bool = False, **attributes: str) -> str:
    name = unique("t") + (".fifo" if fifo else "")
    if fifo:
        attributes["FifoTopic"] = "true"
    return str(aws("sns").create_topic(Name=name, Attributes=attributes)["TopicArn"])


def test_a_fifo_topic_numbers_its_messages_and_deduplicates_them(aws: Aws, queues: Queues) -> None:
    sns = aws("sns")
    topic = _topic(aws, fifo=True, ContentBasedDeduplication="true")
    fifo_url, fifo_arn = queues.make(fifo=True)
    standard_url, standard_arn = queues.make()
    for arn in (fifo_arn, standard_arn):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)

    published = sns.publish(TopicArn=topic, Message="Test", MessageGroupId="g")
    assert len(published["SequenceNumber"]) == 20
    [message] = queues.receive(fifo_url)
    body = json.loads(message["Body"])
    assert body["SequenceNumber"] == published["SequenceNumber"]
    assert "Signature" not in body and "SigningCertURL" not in body  # AWS does not sign a FIFO topic's envelope
    assert message["Attributes"]["MessageGroupId"] == "g"
    assert message["Attributes"]["MessageDeduplicationId"] == hashlib.sha256(b"Test").hexdigest()
    [standard] = queues.receive(standard_url)
    assert "MessageGroupId" not in standard["Attributes"]  # a FIFO topic's ids reach FIFO queues only

    sns.publish(TopicArn=topic, Message="Test", MessageGroupId="g")  # the same content: deduplicated on the topic
    assert queues.receive(standard_url, wait=1) == []
    batch = sns.publish_batch(
        TopicArn=topic,
        PublishBatchRequestEntries=[{"Id": "1", "Message": "one", "MessageGroupId": "g"}],
    )
    assert int(batch["Successful"][0]["SequenceNumber"]) > int(published["SequenceNumber"])


def test_raw_delivery_sends_binary_attributes_as_bytes(aws: Aws, queues: Queues) -> None:
    sns = aws("sns")
    topic = _topic(aws)
    url, arn = queues.make()
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    attributes = {
        "text": {"DataType": "String", "StringValue": "v"},
        "bytes": {"DataType": "Binary", "BinaryValue": b"\x02\x03\x04"},
    }
    sns.publish(TopicArn=topic, Message="raw", MessageAttributes=attributes, MessageGroupId="group")
    [message] = queues.receive(url)
    assert message["Body"] == "raw"
    assert message["MessageAttributes"]["bytes"] == {"DataType": "Binary", "BinaryValue": b"\x02\x03\x04"}
    assert message["Attributes"]["MessageGroupId"] == "group"  # a standard topic's group id reaches any queue


def test_a_queue_that_is_gone_fails_nothing_and_the_dead_letter_queue_gets_the_message(
    aws: Aws, queues: Queues
) -> None:
    sns, sqs = aws("sns"), aws("sqs")
    topic = _topic(aws)
    url, arn = queues.make()
    dead_url, dead_arn = queues.make()
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)
    sqs.delete_queue(QueueUrl=url)
    sns.publish(TopicArn=topic, Message="lost")  # no redrive policy: dropped, the Publish still succeeds
    sns.set_subscription_attributes(
        SubscriptionArn=subscription["SubscriptionArn"],
        AttributeName="RedrivePolicy",
        AttributeValue=json.dumps({"deadLetterTargetArn": dead_arn}),
    )
    sns.publish(TopicArn=topic, Message="kept")
    [message] = queues.receive(dead_url)
    assert json.loads(message["Body"])["Message"] == "kept"


def test_the_trace_header_and_a_json_structure_reach_the_queue(aws: Aws, queues: Queues) -> None:
    sns = aws("sns")
    topic = _topic(aws)
    url, arn = queues.make()
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    trace = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"

    def add_trace(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = trace

    sns.meta.events.register("before-send.sns.Publish", add_trace)
    structure = json.dumps({"default": "default text", "sqs": {"not": "a string"}})
    sns.publish(TopicArn=topic, Message=structure, MessageStructure="json")
    [message] = queues.receive(url)
    assert message["Attributes"]["AWSTraceHeader"] == trace
    assert json.loads(message["Body"])["Message"] == "default text"  # an entry that is not a string is ignored


def test_a_fifo_subscription_needs_a_fifo_dead_letter_queue_and_messages_need_a_group(aws: Aws, queues: Queues) -> None:
    sns = aws("sns")
    topic = _topic(aws, fifo=True)
    _, fifo_arn = queues.make(fifo=True)
    _, standard_arn = queues.make()
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=fifo_arn)["SubscriptionArn"]
    policy = json.dumps({"deadLetterTargetArn": standard_arn})
    assert refusal(
        lambda: sns.set_subscription_attributes(
            SubscriptionArn=arn, AttributeName="RedrivePolicy", AttributeValue=policy
        )
    ) == (
        "InvalidParameter",
        "Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="m")) == (
        "InvalidParameter",
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="m", MessageGroupId="g"))[1].startswith(
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled"
    )


def test_a_function_that_is_gone_sends_the_notification_to_the_dead_letter_queue(aws: Aws, queues: Queues) -> None:
    sns = aws("sns")
    topic = _topic(aws)
    dead_url, dead_arn = queues.make()
    function = f"arn:aws:lambda:{ACCOUNT_REGION}:function:{unique('gone')}"
    arn = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function)["SubscriptionArn"]
    policy = json.dumps({"deadLetterTargetArn": dead_arn})
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="RedrivePolicy", AttributeValue=policy)
    sns.publish(
        TopicArn=topic, Message="for nobody", MessageAttributes={"a": {"DataType": "Number", "StringValue": "1"}}
    )
    [message] = queues.receive(dead_url, wait=10)
    body = json.loads(message["Body"])
    assert (body["Message"], body["MessageAttributes"]) == ("for nobody", {"a": {"Type": "Number", "Value": "1"}})
