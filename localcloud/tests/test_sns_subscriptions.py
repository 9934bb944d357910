"""HTTP(S) subscriptions wait for their endpoint's confirmation, as on AWS (sns_subscriptions.py)."""

from __future__ import annotations

import base64
import json
import queue
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from conftest import unique
from test_sns_api import refusal

Aws = Callable[[str], Any]


@pytest.fixture
def http_endpoint() -> Iterator[tuple[str, queue.Queue[dict[str, Any]]]]:
    """An HTTP endpoint that records every SNS message posted to it."""
    received: queue.Queue[dict[str, Any]] = queue.Queue()

    class Recorder(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put({"type": self.headers["x-amz-sns-message-type"], **json.loads(body)})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sns", received
    server.shutdown()


@pytest.fixture
def topic(aws: Aws) -> Iterator[str]:
    arn = aws("sns").create_topic(Name=unique("subs"))["TopicArn"]
    yield arn
    aws("sns").delete_topic(TopicArn=arn)


def test_an_http_subscription_is_pending_until_its_endpoint_confirms(
    aws: Aws, topic: str, http_endpoint: tuple[str, queue.Queue[dict[str, Any]]]
) -> None:
    sns = aws("sns")
    url, received = http_endpoint
    assert sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url)["SubscriptionArn"] == "pending confirmation"
    confirmation = received.get(timeout=10)
    assert confirmation["type"] == confirmation["Type"] == "SubscriptionConfirmation"
    assert confirmation["TopicArn"] == topic
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [s["SubscriptionArn"] for s in listed] == ["PendingConfirmation"]

    sns.publish(TopicArn=topic, Message="before")  # not delivered: nobody confirmed yet
    assert refusal(lambda: sns.confirm_subscription(TopicArn=topic, Token="wrong")) == (
        "InvalidParameter",
        "Invalid parameter: Token",
    )
    answer = requests.get(confirmation["SubscribeURL"], timeout=5)
    assert answer.status_code == 200 and "<SubscriptionArn>arn:aws:sns:" in answer.text
    arn = sns.confirm_subscription(TopicArn=topic, Token=confirmation["Token"])["SubscriptionArn"]  # idempotent
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "false"
    assert [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]] == [arn]

    sns.publish(TopicArn=topic, Message="after")
    notification = received.get(timeout=10)
    assert (notification["Type"], notification["Message"]) == ("Notification", "after")


def test_return_subscription_arn_names_the_pending_subscription(
    aws: Aws, topic: str, http_endpoint: tuple[str, queue.Queue[dict[str, Any]]]
) -> None:
    sns = aws("sns")
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=http_endpoint[0], ReturnSubscriptionArn=True)[
        "SubscriptionArn"
    ]
    assert arn.startswith(topic + ":")
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "true"
    assert refusal(lambda: sns.unsubscribe(SubscriptionArn="pending confirmation")) == (
        "InvalidParameter",
        "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
    )


def test_subscription_pages_are_named_by_a_base64_token(aws: Aws, topic: str) -> None:
    sns = aws("sns")
    for number in range(101):
        sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint=f"+1555000{number:04d}")
    first = sns.list_subscriptions_by_topic(TopicArn=topic)
    assert len(first["Subscriptions"]) == 100
    assert base64.b64decode(first["NextToken"], validate=True)
    second = sns.list_subscriptions_by_topic(TopicArn=topic, NextToken=first["NextToken"])
    assert len(second["Subscriptions"]) == 1 and "NextToken" not in second
