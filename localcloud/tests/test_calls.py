"""`/_localcloud/calls`: the AWS calls the cloud served, by service and action, for bills and load reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from conftest import unique

Aws = Callable[[str], Any]


def test_calls_are_counted_by_service_and_action_across_protocols(endpoint: str, aws: Aws) -> None:
    requests.delete(f"{endpoint}/_localcloud/calls", timeout=5).raise_for_status()
    aws("dynamodb").list_tables()
    aws("dynamodb").list_tables()
    queue = aws("sqs").create_queue(QueueName=unique("calls"))["QueueUrl"]  # JSON protocol (X-Amz-Target)
    topic = aws("sns").create_topic(Name=unique("calls"))["TopicArn"]  # query protocol: Action in a form body
    requests.get(f"{endpoint}/_localstack/health", timeout=5)  # the cloud's own pages are not AWS calls

    counts = requests.get(f"{endpoint}/_localcloud/calls", timeout=5).json()

    assert counts["calls"]["dynamodb:ListTables"] == 2
    assert counts["calls"]["sqs:CreateQueue"] == 1
    assert counts["calls"]["sns:CreateTopic"] == 1
    assert not any(name.startswith("unsigned") for name in counts["calls"]), counts
    assert counts["total"] == sum(counts["calls"].values())
    # Reading the form for its Action left the body whole for moto: the topic exists under its name.
    assert topic in [t["TopicArn"] for t in aws("sns").list_topics()["Topics"]]
    aws("sqs").delete_queue(QueueUrl=queue)
    aws("sns").delete_topic(TopicArn=topic)


def test_the_counts_carry_the_clouds_cpu_time(endpoint: str, aws: Aws) -> None:
    """A load run divides the cloud's CPU time over its orders: the figure grows as the cloud works."""
    before = requests.get(f"{endpoint}/_localcloud/calls", timeout=10).json()["cpu_seconds"]
    sqs = aws("sqs")
    for _ in range(50):
        sqs.list_queues()
    after = requests.get(f"{endpoint}/_localcloud/calls", timeout=10).json()["cpu_seconds"]
    assert after > before >= 0
