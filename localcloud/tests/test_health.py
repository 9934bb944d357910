"""The local cloud answers like LocalStack at its health URL and speaks the AWS APIs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests


def test_health_in_localstack_shape(endpoint: str) -> None:
    body = requests.get(f"{endpoint}/_localstack/health", timeout=5).json()
    for service in ("lambda", "apigateway", "stepfunctions", "cloudformation", "dynamodb", "sqs", "sns", "s3"):
        assert body["services"][service] == "running"


def test_moto_answers_behind_the_router(aws: Callable[[str], Any]) -> None:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName="health-probe")["QueueUrl"]
    assert url.endswith("/health-probe")
    assert "000000000000" in aws("sts").get_caller_identity()["Account"]


def test_localstack_client_works_against_it(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """LocalStack's own Python client, pointed at the local cloud the way it is pointed at LocalStack."""
    import localstack_client.session

    monkeypatch.setenv("LOCALSTACK_HOST", endpoint.removeprefix("http://"))
    session = localstack_client.session.Session()
    sqs = session.client("sqs")
    url = sqs.create_queue(QueueName="via-localstack-client")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hola")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hola"
    assert session.client("sts").get_caller_identity()["Account"] == "000000000000"
