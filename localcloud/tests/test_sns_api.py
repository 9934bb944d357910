"""SNS requests checked as AWS checks them (sns_api.py): each refusal with AWS's code and wording."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]


def _topic(aws: Aws, fifo: bool) -> Iterator[str]:
    """A topic for one test (a FIFO one when `fifo`), deleted after it."""
    name, attributes = (unique("api") + ".fifo", {"FifoTopic": "true"}) if fifo else (unique("api"), {})
    arn = aws("sns").create_topic(Name=name, Attributes=attributes)["TopicArn"]
    yield arn
    aws("sns").delete_topic(TopicArn=arn)


@pytest.fixture
def topic(aws: Aws) -> Iterator[str]:
    yield from _topic(aws, fifo=False)


@pytest.fixture
def fifo_topic(aws: Aws) -> Iterator[str]:
    yield from _topic(aws, fifo=True)


def refusal(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_publish_is_checked(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="m", Subject="")) == (
        "InvalidParameter",
        "Invalid parameter: Subject",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="")) == (
        "InvalidParameter",
        "Invalid parameter: Empty message",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="a" * 262_145)) == (
        "InvalidParameter",
        "Invalid parameter: Message too long",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="{x", MessageStructure="json")) == (
        "InvalidParameter",
        "Invalid parameter: Message Structure - JSON message body failed to parse",
    )
    no_default = json.dumps({"sqs": "only"})
    assert refusal(lambda: sns.publish(TopicArn=topic, Message=no_default, MessageStructure="json")) == (
        "InvalidParameter",
        "Invalid parameter: Message Structure - No default entry in JSON message body",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="m", MessageDeduplicationId="d")) == (
        "InvalidParameter",
        "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter "
        "that is not valid for this topic type",
    )
    assert refusal(lambda: sns.publish(TopicArn="arn:aws:sns", Message="m")) == (
        "InvalidParameter",
        "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 3",
    )


def test_message_attributes_are_checked(aws: Aws, topic: str) -> None:
    sns = aws("sns")

    def publish(attributes: dict[str, Any]) -> tuple[str, str]:
        return refusal(lambda: sns.publish(TopicArn=topic, Message="m", MessageAttributes=attributes))

    assert publish({"a": {"DataType": "String", "StringValue": ""}}) == (
        "ParameterValueInvalid",
        "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.",
    )
    assert publish({"a": {"DataType": "String", "BinaryValue": b"x"}}) == (
        "ParameterValueInvalid",
        "The message attribute 'a' with type 'String' must use field 'String'.",
    )
    assert publish({"a.": {"DataType": "String", "StringValue": "v"}}) == (
        "ParameterValueInvalid",
        "Invalid message attribute name ending with character '.' was found.",
    )
    assert publish({"a^b": {"DataType": "String", "StringValue": "v"}})[0] == "ParameterValueInvalid"


def test_publish_batch_is_checked(aws: Aws, topic: str, fifo_topic: str) -> None:
    sns = aws("sns")

    def batch(arn: str, entries: list[dict[str, Any]]) -> tuple[str, str]:
        return refusal(lambda: sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=entries))

    eleven = [{"Id": str(i), "Message": "m"} for i in range(11)]
    assert batch(topic, eleven)[0] == "TooManyEntriesInBatchRequest"
    assert batch(topic, [{"Id": "1", "Message": "m"}, {"Id": "1", "Message": "n"}])[0] == "BatchEntryIdsNotDistinct"
    assert batch(topic, [{"Id": "message.id", "Message": "m"}]) == (
        "InvalidBatchEntryId",
        "The Id of a batch entry in the batch request contains an impermissible character: message.id",
    )
    assert batch(topic, [{"Id": "1", "Message": "a" * 200_000}, {"Id": "2", "Message": "a" * 200_000}]) == (
        "BatchRequestTooLong",
        "The length of all the messages put together is more than the limit.",
    )
    assert batch(fifo_topic, [{"Id": "1", "Message": "m"}]) == (
        "InvalidParameter",
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    )


def test_subscriptions_are_checked(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    assert refusal(lambda: sns.subscribe(TopicArn=topic, Protocol="test-protocol", Endpoint="x")) == (
        "InvalidParameter",
        "Invalid parameter: Amazon SNS does not support this protocol string: test-protocol",
    )
    assert refusal(lambda: sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="http://localhost/q")) == (
        "InvalidParameter",
        "Invalid parameter: SQS endpoint ARN",
    )
    queue = f"arn:aws:sqs:us-east-1:000000000000:{unique('q')}"
    wrong = {"RawMessageDelivery": "wrongvalue"}
    assert refusal(lambda: sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue, Attributes=wrong)) == (
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.",
    )
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)["SubscriptionArn"]
    set_attribute = sns.set_subscription_attributes
    assert refusal(lambda: set_attribute(SubscriptionArn=arn, AttributeName="Fake", AttributeValue="v")) == (
        "InvalidParameter",
        "Invalid parameter: AttributeName",
    )
    assert refusal(lambda: sns.unsubscribe(SubscriptionArn=topic)) == (
        "InvalidParameter",
        "Invalid parameter: SubscriptionId",
    )


def test_a_topic_created_again_with_other_attributes_or_tags_is_refused(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    name = topic.rsplit(":", 1)[1]
    assert refusal(lambda: sns.create_topic(Name=name, Attributes={"DisplayName": "other"})) == (
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
    )
    assert refusal(lambda: sns.create_topic(Name=name, Tags=[{"Key": "k", "Value": "v"}])) == (
        "InvalidParameter",
        "Invalid parameter: Tags Reason: Topic already exists with different tags",
    )
    tags = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    assert refusal(lambda: sns.tag_resource(ResourceArn=topic, Tags=tags)) == (
        "InvalidParameter",
        "Invalid parameter: Duplicated keys are not allowed.",
    )


@pytest.mark.parametrize(
    ("name", "attributes"),
    [("", {}), ("a" * 257, {}), ("test.fifo", {}), ("bad name", {}), ("x", {"FifoTopic": "true"})],
)
def test_topic_names_aws_refuses_are_refused(aws: Aws, name: str, attributes: dict[str, str]) -> None:
    assert refusal(lambda: aws("sns").create_topic(Name=name, Attributes=attributes)) == (
        "InvalidParameter",
        "Invalid parameter: Topic Name",
    )


def test_an_unset_delivery_policy_is_not_listed(aws: Aws, topic: str) -> None:
    assert "DeliveryPolicy" not in aws("sns").get_topic_attributes(TopicArn=topic)["Attributes"]


@pytest.fixture
def notified(aws: Aws, topic: str) -> Iterator[Callable[..., dict[str, Any]]]:
    """`notified(Message=...)` publishes to the topic and returns the notification an SQS subscriber got."""
    sns, sqs = aws("sns"), aws("sqs")
    name = unique("notified")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:000000000000:{name}")

    def publish(**kwargs: Any) -> dict[str, Any]:
        sns.publish(TopicArn=topic, **kwargs)
        message = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"][0]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        body: dict[str, Any] = json.loads(message["Body"])
        return body

    yield publish
    sqs.delete_queue(QueueUrl=url)


def test_notifications_are_signed_as_the_topics_signature_version_says(
    aws: Aws, topic: str, notified: Callable[..., dict[str, Any]]
) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    sns = aws("sns")
    for version in (None, "2"):
        if version:
            sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue=version)
        body = notified(Subject="s", Message="signed")
        assert body["SignatureVersion"] == (version or "1")
        # the certificate is the local cloud's own, so the signature checks out offline
        assert body["SigningCertURL"].startswith(sns.meta.endpoint_url + "/SimpleNotificationService-")
        pem = requests.get(body["SigningCertURL"], timeout=5)
        assert pem.status_code == 200
        fields = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
        signed = "".join(f"{field}\n{body[field]}\n" for field in fields).encode()
        algorithm = hashes.SHA256() if version == "2" else hashes.SHA1()  # noqa: S303 - AWS's version 1
        public_key: Any = x509.load_pem_x509_certificate(pem.content).public_key()
        public_key.verify(base64.b64decode(body["Signature"]), signed, padding.PKCS1v15(), algorithm)


def test_subscription_attributes_name_the_principal_and_a_missing_one_is_not_found(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    queue = f"arn:aws:sqs:us-east-1:000000000000:{unique('q')}"
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)["SubscriptionArn"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["SubscriptionPrincipal"] == "arn:aws:iam::000000000000:user/moto"
    sns.unsubscribe(SubscriptionArn=arn)
    change = sns.set_subscription_attributes
    assert refusal(lambda: change(SubscriptionArn=arn, AttributeName="RawMessageDelivery", AttributeValue="true")) == (
        "NotFound",
        "Subscription does not exist",
    )


def test_topic_attributes_are_listed_as_aws_lists_them(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    effective = json.loads(attributes["EffectiveDeliveryPolicy"])
    assert effective["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
    assert effective["http"]["defaultRequestPolicy"] == {"headerContentType": "text/plain; charset=UTF-8"}
    assert "SignatureVersion" not in attributes
    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SignatureVersion"] == "2"
    assert refusal(lambda: sns.get_topic_attributes(TopicArn="test-topic")) == (
        "InvalidParameter",
        "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
    )
    assert refusal(
        lambda: sns.set_topic_attributes(TopicArn=topic, AttributeName="FifoTopic", AttributeValue="false")
    ) == (
        "InvalidParameter",
        "Invalid parameter: AttributeName",
    )


def test_a_topic_created_again_with_an_attribute_it_does_not_have_is_refused(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    name = topic.rsplit(":", 1)[1]
    assert sns.create_topic(Name=name, Attributes={"FifoTopic": "false"})["TopicArn"] == topic
    assert refusal(lambda: sns.create_topic(Name=name, Attributes={"SignatureVersion": "2"})) == (
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
    )


def test_permissions_are_checked(aws: Aws, topic: str) -> None:
    sns = aws("sns")

    def add(label: str, action: str) -> None:
        sns.add_permission(TopicArn=topic, Label=label, AWSAccountId=["000000000000"], ActionName=[action])

    add("first", "Publish")
    assert refusal(lambda: add("first", "Subscribe")) == (
        "InvalidParameter",
        "Invalid parameter: Statement already exists",
    )
    assert refusal(lambda: add("second", "Fly")) == (
        "InvalidParameter",
        "Invalid parameter: Policy statement action out of service scope!",
    )


def test_a_data_protection_policy_is_kept(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    policy = json.dumps({"Name": "p", "Version": "2021-06-01", "Statement": []})
    sns.put_data_protection_policy(ResourceArn=topic, DataProtectionPolicy=policy)
    assert sns.get_data_protection_policy(ResourceArn=topic)["DataProtectionPolicy"] == policy
    missing = topic + "-missing"
    assert refusal(lambda: sns.get_data_protection_policy(ResourceArn=missing)) == ("NotFound", "Topic does not exist")


def test_publish_counts_attributes_in_the_size_and_names_a_missing_target(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    attributes = {"a": {"DataType": "Number", "StringValue": "1"}}  # 1 + 6 + 1 bytes count too
    assert refusal(lambda: sns.publish(TopicArn=topic, Message="m" * (262_144 - 7), MessageAttributes=attributes)) == (
        "InvalidParameter",
        "Invalid parameter: Message too long",
    )
    sns.publish(TopicArn=topic, Message="m" * (262_144 - 8), MessageAttributes=attributes)
    entries = [
        {"Id": "1", "Message": "m" * (262_144 - 8), "MessageAttributes": attributes},
        {"Id": "2", "Message": "n"},
    ]
    assert refusal(lambda: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries))[0] == (
        "BatchRequestTooLong"
    )
    not_a_string = json.dumps({"default": {"object": "x"}})
    assert refusal(lambda: sns.publish(TopicArn=topic, Message=not_a_string, MessageStructure="json")) == (
        "InvalidParameter",
        "Invalid parameter: Message Structure - No default entry in JSON message body",
    )
    assert refusal(lambda: sns.publish(TopicArn=topic + "-missing", Message="m")) == (
        "NotFound",
        "Topic does not exist",
    )
    endpoint = "arn:aws:sns:us-east-1:000000000000:endpoint/APNS/app/0f7d5971-aa8b-4bd5-b585-0826e9f93a66"
    assert refusal(lambda: sns.publish(TargetArn=endpoint, Message="m")) == (
        "InvalidParameter",
        "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified",
    )


def test_a_topic_is_not_reached_from_another_region(aws: Aws, topic: str) -> None:
    endpoint = aws("sns").meta.endpoint_url
    west = boto3.client("sns", region_name="us-west-2", endpoint_url=endpoint)
    for call in (
        lambda: west.publish(TopicArn=topic, Message="m"),
        lambda: west.get_topic_attributes(TopicArn=topic),
        lambda: west.subscribe(TopicArn=topic, Protocol="email", Endpoint="a@example.com"),
    ):
        assert refusal(call) == ("InvalidParameter", "Invalid parameter: TopicArn")


def test_a_notification_names_its_subscription_to_unsubscribe_and_one_certificate(
    aws: Aws, topic: str, notified: Callable[..., dict[str, Any]]
) -> None:
    first, second = notified(Message="one"), notified(Message="two")
    [subscription] = aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert first["UnsubscribeURL"] == (
        f"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription['SubscriptionArn']}"
    )
    assert first["SigningCertURL"] == second["SigningCertURL"]


def test_subscription_attributes_are_checked_and_subscribing_again_must_not_change_them(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    queue = f"arn:aws:sqs:us-east-1:000000000000:{unique('q')}"
    assert refusal(
        lambda: sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue, Attributes={"FilterPolicy": "{x"})
    )[1].startswith("Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON.")
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue, Attributes={"RawMessageDelivery": "True"})[
        "SubscriptionArn"
    ]
    same = {"RawMessageDelivery": "true", "FilterPolicyScope": "MessageAttributes"}
    assert sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue, Attributes=same)["SubscriptionArn"] == arn
    other = {"RawMessageDelivery": "false"}
    assert refusal(lambda: sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue, Attributes=other)) == (
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
    )

    def set_attribute(name: str, value: str) -> tuple[str, str]:
        return refusal(
            lambda: sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName=name, AttributeValue=value)
        )

    assert set_attribute("RedrivePolicy", json.dumps({"deadLetterTargetArn": "fake-arn"})) == (
        "InvalidParameter",
        "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn",
    )
    assert set_attribute("RedrivePolicy", "{x")[1].startswith("Invalid parameter: RedrivePolicy: failed to parse JSON.")
    assert set_attribute("FilterPolicy", "{x")[1].startswith("Invalid parameter: FilterPolicy: failed to parse JSON.")
    assert set_attribute("RawMessageDelivery", "") == (
        "InvalidParameter",
        "Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.",
    )


def test_a_message_attribute_needs_a_data_type_of_a_known_prefix(aws: Aws, topic: str) -> None:
    unchecked = Config(parameter_validation=False)  # boto3 itself refuses a missing DataType
    sns = boto3.client("sns", endpoint_url=aws("sns").meta.endpoint_url, region_name="us-east-1", config=unchecked)

    def publish(attributes: dict[str, Any]) -> tuple[str, str]:
        return refusal(lambda: sns.publish(TopicArn=topic, Message="m", MessageAttributes=attributes))

    assert publish({"a": {"StringValue": "v"}}) == (
        "ValidationError",
        "1 validation error detected: Value null at 'messageAttributes.a.member.dataType' failed to satisfy "
        "constraint: Member must not be null",
    )
    entries = [
        {"Id": "1", "Message": "m"},
        {"Id": "2", "Message": "m", "MessageAttributes": {"a": {"StringValue": "v"}}},
    ]
    assert refusal(lambda: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries))[1] == (
        "1 validation error detected: Value null at 'publishBatchRequestEntries.2.member.messageAttributes.a.member."
        "dataType' failed to satisfy constraint: Member must not be null"
    )
    for data_type in ("String.", "Stringprefixed"):
        assert publish({"a": {"DataType": data_type, "StringValue": "v"}})[0] == "ParameterValueInvalid"
    sns.publish(TopicArn=topic, Message="m", MessageAttributes={"a": {"DataType": "String.custom", "StringValue": "v"}})
