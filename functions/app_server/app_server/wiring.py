"""Wires the adapters to the logic, once per execution environment (lazily, so tests control the environment)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import boto3
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from shared.http_client import JsonHttpClient
from shared.order_queue import SqsOrderQueue
from shared.orders import OrderStore
from shared.payments import HttpPaymentGateway
from shared.tokens import read_secret

from app_server.dal.customers import DynamoCustomersRepository
from app_server.dal.login_attempts import DynamoLoginAttempts
from app_server.dal.notices import SnsCustomerNotices
from app_server.dal.orders import DynamoOrdersReader
from app_server.dal.products import DynamoProductsRepository
from app_server.logic.auth import LoginLimits
from app_server.logic.orders import OrderPorts, place_order
from app_server.logic.ports import Caller, CustomerNotices, CustomersRepository, LoginAttempts, ProductsRepository
from app_server.models.orders import PlaceOrderRequest
from app_server.settings import Settings

# A retry with the same Idempotency-Key within a day replays the first answer (Stripe keeps keys 24 h too).
IDEMPOTENCY_TTL_SECONDS = 24 * 3600


@dataclass
class Dependencies:
    settings: Settings
    products: ProductsRepository
    customers: CustomersRepository
    notices: CustomerNotices
    login_attempts: LoginAttempts
    login_limits: LoginLimits
    orders: OrderPorts
    idempotency: IdempotencyConfig
    place_order_once: Callable[..., dict[str, Any]]

    def jwt_secret(self) -> str:
        return read_secret(self.settings.jwt_secret_arn)


@functools.cache
def dependencies() -> Dependencies:
    settings = Settings.from_env()
    dynamodb = boto3.resource("dynamodb")
    orders_table = dynamodb.Table(settings.orders_table)
    ports = OrderPorts(
        products=DynamoProductsRepository(
            dynamodb.Table(settings.products_table), listing_ttl_seconds=settings.catalog_cache_seconds
        ),
        orders=DynamoOrdersReader(orders_table),
        store=OrderStore(
            orders_table, settings.products_table, sweep_after=timedelta(seconds=settings.sweep_after_seconds)
        ),
        payments=HttpPaymentGateway(
            JsonHttpClient(settings.payment_url, system="Payment System", timeout=settings.payment_timeout_seconds)
        ),
        queue=SqsOrderQueue(boto3.client("sqs"), settings.orders_queue_url),
    )
    config = IdempotencyConfig(
        event_key_jmespath="[caller.customer_id, idempotency_key]",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
    )
    # Reuse the default session's client: the layer would otherwise build a new session (and reload botocore's
    # service models) at every cold start.
    persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table, boto3_client=boto3.client("dynamodb"))

    def place_order_once(request: dict[str, Any]) -> dict[str, Any]:
        """Keyed by customer + Idempotency-Key; the body's hash must match the first request's.

        Only a successful answer is stored: a failure (402, 409, 503) deletes the record so the client can retry.
        """
        accepted = place_order(
            ports,
            caller=Caller(**request["caller"]),
            idempotency_key=request["idempotency_key"],
            request=PlaceOrderRequest.model_validate(request["body"]),
        )
        return accepted.model_dump()

    # Powertools' decorator is untyped: apply it as a call and keep our signature.
    place_order_idempotent = cast(
        Callable[..., dict[str, Any]],
        idempotent_function(data_keyword_argument="request", persistence_store=persistence, config=config)(
            place_order_once
        ),
    )
    return Dependencies(
        settings=settings,
        products=ports.products,
        customers=DynamoCustomersRepository(dynamodb.Table(settings.customers_table)),
        notices=SnsCustomerNotices(
            boto3.client("sns"), settings.notifications_topic_arn, dynamodb.Table(settings.customers_table)
        ),
        login_attempts=DynamoLoginAttempts(dynamodb.Table(settings.login_attempts_table)),
        login_limits=LoginLimits(
            window_seconds=settings.login_window_seconds,
            per_account=settings.login_failures_per_account,
            per_source=settings.login_failures_per_source,
        ),
        orders=ports,
        idempotency=config,
        place_order_once=place_order_idempotent,
    )
