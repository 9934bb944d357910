"""SNS deliveries and the mail sink: SMTP in, Mailpit's API v1 out; email, SQS and Lambda subscriptions.

Mail is read over HTTP exactly as against Mailpit next to LocalStack (`/api/v1/messages`, `/api/v1/search`).
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
import requests
from conftest import Stacks, poll, unique

Aws = Callable[[str], Any]
SMTP_PORT = int(os.environ.get("LOCALCLOUD_SMTP_PORT", "1025"))
MAIL_API = f"http://localhost:{os.environ.get('LOCALCLOUD_MAIL_API_PORT', '8025')}"
SUMMARY_FIELDS = {
    "ID", "MessageID", "Read", "From", "To", "Cc", "Bcc", "ReplyTo", "Subject", "Created", "Tags", "Size",
    "Attachments", "Snippet",
}  # fmt: skip


def search(query: str) -> dict[str, Any]:
    response = requests.get(f"{MAIL_API}/api/v1/search", params={"query": query}, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def wait_for_mail(to: str, subject: str | None = None, count: int = 1) -> list[dict[str, Any]]:
    """The summaries of the mail to `to` (newest first), once at least `count` have arrived."""
    query = f"to:{to}" + (f' subject:"{subject}"' if subject else "")
    return poll(
        lambda: (found := search(query)["messages"]) and len(found) >= count and found,
        what=f"{count} mail(s) matching {query}",
    )


def message(message_id: str) -> dict[str, Any]:
    response = requests.get(f"{MAIL_API}/api/v1/message/{message_id}", timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def mailbox(endpoint: str) -> str:
    """A fresh address for one test (the sink is shared)."""
    return f"{unique('someone')}@example.com"


# -- the mail sink ------------------------------------------------------------------------------------------
def test_smtp_mail_is_listed_read_searched_and_deleted(mailbox: str) -> None:
    mail = EmailMessage()
    mail["From"] = "Shop <shop@example.com>"
    mail["To"] = f"Customer <{mailbox}>"
    mail["Cc"] = "audit@example.com"
    mail["Subject"] = "Your order 42"
    mail.set_content("Thanks for your order 42.\nIt ships tomorrow.")
    mail.add_alternative("<p>Thanks for your order <b>42</b>.</p>", subtype="html")
    mail.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="invoice.pdf")
    with smtplib.SMTP("localhost", SMTP_PORT, timeout=10) as smtp:
        smtp.send_message(mail, to_addrs=[mailbox, "audit@example.com", "hidden@example.com"])

    listing = requests.get(f"{MAIL_API}/api/v1/messages", timeout=5).json()
    for key in ("total", "unread", "count", "messages_count", "start", "tags", "messages"):
        assert key in listing
    summary = next(m for m in listing["messages"] if m["To"] and m["To"][0]["Address"] == mailbox)
    assert set(summary) >= SUMMARY_FIELDS
    assert summary["From"] == {"Name": "Shop", "Address": "shop@example.com"}
    assert summary["To"] == [{"Name": "Customer", "Address": mailbox}]
    assert summary["Cc"] == [{"Name": "", "Address": "audit@example.com"}]
    assert summary["Bcc"] == [{"Name": "", "Address": "hidden@example.com"}]
    assert summary["Subject"] == "Your order 42"
    assert summary["Read"] is False
    assert summary["Attachments"] == 1
    assert summary["Snippet"].startswith("Thanks for your order 42. It ships tomorrow.")

    found = wait_for_mail(mailbox, "order 42")
    assert [m["ID"] for m in found] == [summary["ID"]]
    assert search(f"to:{mailbox} subject:nothing-like-this")["messages"] == []

    detail = message(summary["ID"])
    assert detail["Text"].startswith("Thanks for your order 42.")
    assert "<b>42</b>" in detail["HTML"]
    assert [a["FileName"] for a in detail["Attachments"]] == ["invoice.pdf"]
    assert search(f"to:{mailbox}")["messages"][0]["Read"] is True  # opening marks it read, as Mailpit does
    assert "Your order 42" in requests.get(f"{MAIL_API}/", timeout=5).text

    deleted = requests.delete(f"{MAIL_API}/api/v1/messages", json={"IDs": [summary["ID"]]}, timeout=5)
    assert deleted.status_code == 200
    assert requests.get(f"{MAIL_API}/api/v1/message/{summary['ID']}", timeout=5).status_code == 404
    assert search(f"to:{mailbox}")["messages"] == []


# -- SNS → email ----------------------------------------------------------------------------------------------
def test_email_subscription_from_cloudformation_delivers_published_mail(aws: Aws, stacks: Stacks, mailbox: str) -> None:
    out = stacks.deploy("sns_email.yaml", {"NotificationEmail": mailbox})
    sns = aws("sns")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=out["TopicArn"])["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"], s["SubscriptionArn"]) for s in subscriptions] == [
        ("email", mailbox, out["SubscriptionArn"])
    ]
    attributes = sns.get_subscription_attributes(SubscriptionArn=out["SubscriptionArn"])["Attributes"]
    assert attributes["PendingConfirmation"] == "false"  # confirmed locally; the mail below still shows the step

    confirmation = wait_for_mail(mailbox, "AWS Notification - Subscription Confirmation")[0]
    text = message(confirmation["ID"])["Text"]
    assert f"You have chosen to subscribe to the topic: \n{out['TopicArn']}" in text
    link = next(line for line in text.splitlines() if "/confirmation.html?" in line)
    assert "Subscription confirmed!" in requests.get(link, timeout=5).text

    sns.publish(TopicArn=out["TopicArn"], Subject="Order 42 shipped", Message="Your order 42 is on its way.")
    sns.publish(TopicArn=out["TopicArn"], Message="No subject here.")

    shipped = wait_for_mail(mailbox, "Order 42 shipped")[0]
    assert shipped["From"] == {"Name": "Shop Notifications", "Address": "no-reply@sns.amazonaws.com"}  # DisplayName
    assert shipped["To"] == [{"Name": "", "Address": mailbox}]
    body = message(shipped["ID"])["Text"]
    assert body.startswith("Your order 42 is on its way.\n\n--\nIf you wish to stop receiving notifications")
    assert f"unsubscribe.html?SubscriptionArn={out['SubscriptionArn']}&Endpoint={mailbox}" in body
    default = wait_for_mail(mailbox, "AWS Notification Message")[0]
    assert message(default["ID"])["Text"].startswith("No subject here.")


def test_subscription_stack_delete_and_unsubscribe_link(aws: Aws, stacks: Stacks, mailbox: str) -> None:
    topic = stacks.deploy("sns_email.yaml", {"NotificationEmail": mailbox})
    second = f"second-{mailbox}"
    name = unique("sub")
    extra = stacks.deploy(
        "sns_email_subscription.yaml", {"TopicArn": topic["TopicArn"], "NotificationEmail": second}, name=name
    )
    sns = aws("sns")

    def endpoints() -> set[str]:
        return {s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic["TopicArn"])["Subscriptions"]}

    assert endpoints() == {mailbox, second}
    aws("cloudformation").delete_stack(StackName=name)
    poll(lambda: endpoints() == {mailbox}, what="the stack's subscription to go")
    arns = [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]
    assert extra["SubscriptionArn"] not in arns

    sns.publish(TopicArn=topic["TopicArn"], Subject="Goodbye", Message="Last one.")
    text = message(wait_for_mail(mailbox, "Goodbye")[0]["ID"])["Text"]
    link = next(line for line in text.splitlines() if "/unsubscribe.html?" in line)
    assert "Subscription removed!" in requests.get(link, timeout=5).text
    assert endpoints() == set()


def test_email_json_subscription_through_the_api(aws: Aws, mailbox: str) -> None:
    sns = aws("sns")
    topic_arn = sns.create_topic(Name=unique("json-topic"))["TopicArn"]
    try:
        sns.subscribe(TopicArn=topic_arn, Protocol="email-json", Endpoint=mailbox)
        confirmation = wait_for_mail(mailbox, "AWS Notification - Subscription Confirmation")[0]
        assert confirmation["From"] == {"Name": "AWS Notifications", "Address": "no-reply@sns.amazonaws.com"}

        published = sns.publish(TopicArn=topic_arn, Subject="As JSON", Message="hello")
        notification = json.loads(message(wait_for_mail(mailbox, "As JSON")[0]["ID"])["Text"])
        assert notification["Type"] == "Notification"
        assert notification["MessageId"] == published["MessageId"]
        assert notification["TopicArn"] == topic_arn
        assert notification["Message"] == "hello"
        assert notification["Subject"] == "As JSON"
    finally:
        sns.delete_topic(TopicArn=topic_arn)


# -- SNS → SQS ------------------------------------------------------------------------------------------------
def receive_one(sqs: Any, url: str) -> dict[str, Any]:
    def get() -> Any:
        found = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MessageAttributeNames=["All"])
        return found.get("Messages", [None])[0]

    return poll(get, what=f"a message in {url}")


def test_sqs_subscriptions_from_cloudformation(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sns_sqs.yaml")
    sns, sqs = aws("sns"), aws("sqs")
    raw = sns.get_subscription_attributes(SubscriptionArn=out["RawSubscriptionArn"])["Attributes"]
    assert raw["RawMessageDelivery"] == "true"

    published = sns.publish(
        TopicArn=out["TopicArn"],
        Subject="order",
        Message='{"orderId": "42"}',
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
    )
    sns.publish(
        TopicArn=out["TopicArn"],
        Message="not for the filtered queue",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "other"}},
    )

    envelope = json.loads(receive_one(sqs, out["EnvelopeQueueUrl"])["Body"])
    assert envelope["Type"] == "Notification"
    assert envelope["MessageId"] == published["MessageId"]
    assert envelope["TopicArn"] == out["TopicArn"]
    assert envelope["Subject"] == "order"
    assert envelope["Message"] == '{"orderId": "42"}'
    assert envelope["MessageAttributes"]["kind"] == {"Type": "String", "Value": "order"}

    raw_message = receive_one(sqs, out["RawQueueUrl"])
    assert raw_message["Body"] == '{"orderId": "42"}'
    assert raw_message["MessageAttributes"]["kind"]["StringValue"] == "order"

    # SNS → SQS is delivered inside Publish, so both messages have been routed by now.
    filtered = sqs.get_queue_attributes(QueueUrl=out["FilteredQueueUrl"], AttributeNames=["All"])["Attributes"]
    assert filtered["ApproximateNumberOfMessages"] == "1"
    assert receive_one(sqs, out["FilteredQueueUrl"])["Body"] == '{"orderId": "42"}'

    sns.publish(TopicArn=out["InlineTopicArn"], Message="inline")
    assert json.loads(receive_one(sqs, out["InlineQueueUrl"])["Body"])["Message"] == "inline"


# -- SNS → Lambda ---------------------------------------------------------------------------------------------
def test_lambda_subscription_receives_the_sns_event(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sns_lambda.yaml")
    published = aws("sns").publish(
        TopicArn=out["TopicArn"],
        Subject="Order 42",
        Message="paid",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
    )
    event = json.loads(receive_one(aws("sqs"), out["OutputQueueUrl"])["Body"])
    record = event["Records"][0]
    assert record["EventSource"] == "aws:sns"
    assert record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"] == out["SubscriptionArn"]
    sns = record["Sns"]
    assert sns["Type"] == "Notification"
    assert sns["MessageId"] == published["MessageId"]
    assert sns["TopicArn"] == out["TopicArn"]
    assert sns["Subject"] == "Order 42"
    assert sns["Message"] == "paid"
    assert sns["MessageAttributes"] == {"kind": {"Type": "String", "Value": "order"}}
    assert sns["Timestamp"].endswith("Z")
    for key in ("SignatureVersion", "Signature", "SigningCertUrl", "UnsubscribeUrl"):
        assert sns[key]


def test_a_topic_with_lambda_success_feedback_logs_each_delivery(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sns_lambda.yaml")
    sns, logs = aws("sns"), aws("logs")
    topic = out["TopicArn"]
    group = "sns/us-east-1/000000000000/" + topic.rsplit(":", 1)[1]
    sns.publish(TopicArn=topic, Message="not logged")
    receive_one(aws("sqs"), out["OutputQueueUrl"])
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"] == []
    role = "arn:aws:iam::000000000000:role/sns-feedback"
    sns.set_topic_attributes(TopicArn=topic, AttributeName="LambdaSuccessFeedbackRoleArn", AttributeValue=role)
    published = sns.publish(TopicArn=topic, Message="logged")

    def one_event() -> list[dict[str, Any]] | None:
        if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
            return None
        streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
        if len(streams) != 1:
            return None
        answer = logs.get_log_events(logGroupName=group, logStreamName=streams[0]["logStreamName"])
        return list(answer["events"]) or None

    [event] = poll(one_event, timeout=10, what="the delivery status log")
    record = json.loads(event["message"])
    assert record["status"] == "SUCCESS"
    assert record["notification"]["messageId"] == published["MessageId"]
    assert record["delivery"]["statusCode"] == 202
    assert "lambdaRequestId" in json.loads(record["delivery"]["providerResponse"])
