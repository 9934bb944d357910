"""The local cloud answers like LocalStack at its health URL and speaks the AWS APIs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
