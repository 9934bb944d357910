"""In-process harness for the Lambda handlers: moto tables/queue/secret and the Payment/Shipment mocks in-process."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

REGION = "us-east-1"
ACCOUNT = "123456789012"
JWT_SECRET = "integration-test-secret-" + "k" * 40


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def local_mock_aws() -> Any:
    """moto's mock, keeping boto3's default session: reloading every service model per test costs ~1 s."""
    from moto import mock_aws

    return mock_aws(config={"core": {"reset_boto3_session": False}})


def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point boto3 at moto's in-process mock, never at a running local cloud."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_SERVICE_NAME": "shop-tests",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }.items():
        monkeypatch.setenv(name, value)


def _table(dynamodb: Any, name: str, key: str, *indexes: tuple[str, str, str]) -> Any:
    attributes = [{"AttributeName": key, "AttributeType": "S"}]
    kwargs: dict[str, Any] = {}
    for index_name, hash_key, range_key in indexes:
        attributes += [
            {"AttributeName": hash_key, "AttributeType": "S"},
            {"AttributeName": range_key, "AttributeType": "S"},
        ]
        kwargs.setdefault("GlobalSecondaryIndexes", []).append(
            {
                "IndexName": index_name,
                "KeySchema": [
                    {"AttributeName": hash_key, "KeyType": "HASH"},
                    {"AttributeName": range_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        )
    attributes = list({a["AttributeName"]: a for a in attributes}.values())
    return dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=attributes,
        BillingMode="PAY_PER_REQUEST",
        **kwargs,
    )


@dataclass
class ShopResources:
    products: Any
    orders: Any
    customers: Any
    queue_url: str
    secret_arn: str

    def queue_messages(self) -> list[dict[str, Any]]:
        sqs = boto3.client("sqs")
        messages: list[dict[str, Any]] = []
        while True:
            batch = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return messages
            messages += [json.loads(m["Body"]) for m in batch]

    def stock(self, product_id: str) -> int:
        return int(self.products.get_item(Key={"id": product_id})["Item"]["stock"])

    def order_count(self) -> int:
        return int(self.orders.scan(Select="COUNT")["Count"])


def create_shop_resources(monkeypatch: pytest.MonkeyPatch) -> ShopResources:
    """Tables, queue and secret as the app stack makes them; their names exported as the functions' env."""
    dynamodb = boto3.resource("dynamodb")
    products = _table(dynamodb, "Products", "id", ("by-category", "category", "id"))
    orders = _table(
        dynamodb, "Orders", "id", ("by-customer", "customer_id", "created_at"), ("by-sweep", "sweep_shard", "sweep_at")
    )
    customers = _table(dynamodb, "Customers", "email")
    _table(dynamodb, "Idempotency", "id")
    _table(dynamodb, "LoginAttempts", "id")
    queue_url = boto3.client("sqs").create_queue(QueueName="orders")["QueueUrl"]
    secret_arn = boto3.client("secretsmanager").create_secret(Name="jwt", SecretString=JWT_SECRET)["ARN"]
    topic_arn = boto3.client("sns").create_topic(Name="notifications")["TopicArn"]
    for name, value in {
        "PRODUCTS_TABLE": "Products",
        "ORDERS_TABLE": "Orders",
        "CUSTOMERS_TABLE": "Customers",
        "IDEMPOTENCY_TABLE": "Idempotency",
        "LOGIN_ATTEMPTS_TABLE": "LoginAttempts",
        "NOTIFICATIONS_TOPIC_ARN": topic_arn,
        "ORDERS_QUEUE_URL": queue_url,
        "JWT_SECRET_ARN": secret_arn,
    }.items():
        monkeypatch.setenv(name, value)
    return ShopResources(products, orders, customers, queue_url, secret_arn)


def reset_function_caches() -> None:
    """Each test is a fresh cold start: configuration and clients are built again from its environment."""
    from app_server.wiring import dependencies
    from process_order.wiring import ports, settings
    from shared.tokens import read_secret

    dependencies.cache_clear()
    ports.cache_clear()
    settings.cache_clear()
    read_secret.cache_clear()


class _FakeContext:
    """The parts of the Lambda context object that Powertools reads."""

    function_name = "test-function"
    function_version = "$LATEST"
    invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test-function"
    memory_limit_in_mb = 256
    aws_request_id = "req-00000000"
    log_group_name = "/aws/lambda/test-function"
    log_stream_name = "stream"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


CONTEXT = cast(LambdaContext, _FakeContext())


def api_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    customer_id: str | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API (v1) Lambda proxy event as API Gateway sends it, after the JWT authorizer when customer_id."""
    all_headers = {"Content-Type": "application/json", "Host": "abc123.execute-api.us-east-1.amazonaws.com"}
    all_headers.update(headers or {})
    authorizer = (
        {"principalId": customer_id, "customer_id": customer_id, "email": "x@example.com", "name": "X"}
        if customer_id
        else None
    )
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "path": f"/api{path}",
            "stage": "api",
            "requestId": str(uuid.uuid4()),
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"},
            "authorizer": authorizer,
        },
        "body": None if body is None else (body if isinstance(body, str) else json.dumps(body)),
        "isBase64Encoded": False,
    }
