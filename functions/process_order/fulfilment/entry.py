"""Process Order's Lambda handler (re-exported by handler.py). Input: {"action", ...} (docs/data-model.md)."""

from __future__ import annotations

import functools
import os
from datetime import timedelta
from typing import Any, Literal

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError, model_validator
from shared.errors import InvalidMessage
from shared.http_client import JsonHttpClient
from shared.order_queue import SqsOrderQueue
from shared.orders import OrderStore
from shared.payments import HttpPaymentGateway
from shared.shipments import HttpShipmentGateway

from fulfilment import logic

logger = Logger()

METRICS_NAMESPACE = "Shop"


class Settings(BaseModel):
    orders_table: str
    products_table: str
    orders_queue_url: str
    payment_url: str
    shipment_url: str
    sweep_after_seconds: int = 600
    env_name: str = "local"

    @classmethod
    def from_env(cls) -> Settings:
        names = [name.upper() for name in cls.model_fields]
        values = {name.lower(): os.environ[name] for name in names if os.environ.get(name)}
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            missing = [str(e["loc"][0]).upper() for e in error.errors()]
            raise RuntimeError(
                f"Process Order misconfigured: check environment variables {', '.join(missing)}"
            ) from error


class ProcessOrderInput(BaseModel):
    action: Literal["capture", "ship", "compensate", "sweep"]
    order_id: str | None = None
    message: str | None = None  # capture, compensate: the queue message body as received (may be poison)
    error: str | None = None  # compensate: the caught error's name (Error of the Catch)

    @model_validator(mode="after")
    def _names_an_order(self) -> ProcessOrderInput:
        if self.action != "sweep" and not self.order_id and self.message is None:
            raise ValueError(f"{self.action} needs order_id or message")
        return self


class InvalidInput(Exception):
    """The workflow sent an input this function does not understand (not retried)."""


@functools.cache
def settings() -> Settings:
    return Settings.from_env()


@functools.cache
def ports() -> logic.FulfilmentPorts:
    config = settings()
    dynamodb = boto3.resource("dynamodb")
    return logic.FulfilmentPorts(
        store=OrderStore(
            dynamodb.Table(config.orders_table),
            config.products_table,
            sweep_after=timedelta(seconds=config.sweep_after_seconds),
        ),
        payments=HttpPaymentGateway(JsonHttpClient(config.payment_url, system="Payment System")),
        shipments=HttpShipmentGateway(JsonHttpClient(config.shipment_url, system="Shipment System")),
        queue=SqsOrderQueue(boto3.client("sqs"), config.orders_queue_url),
    )


def publish_stranded(count: int) -> None:
    """The StrandedOrders metric the alarm watches (a datapoint every sweep, zero included)."""
    boto3.client("cloudwatch").put_metric_data(
        Namespace=METRICS_NAMESPACE,
        MetricData=[
            {
                "MetricName": "StrandedOrders",
                "Dimensions": [{"Name": "Environment", "Value": settings().env_name}],
                "Value": count,
                "Unit": "Count",
            }
        ],
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = ProcessOrderInput.model_validate(event)
    except ValidationError as error:
        raise InvalidInput(f"expected {{'action': capture|ship|compensate|sweep, 'order_id': ...}}: {error}") from error
    if request.action == "sweep":
        counts = logic.sweep(ports())
        publish_stranded(counts["stranded"])
        logger.info("swept", extra=counts)
        return counts
    order_id = request.order_id or logic.order_id_of(request.message or "")
    logger.append_keys(order_id=order_id, action=request.action)
    try:
        if request.action == "capture":
            result = logic.capture(ports(), order_id)
        elif request.action == "ship":
            result = logic.ship(ports(), order_id)
        else:
            result = logic.compensate(ports(), order_id, error=request.error)
    except InvalidMessage:
        logger.warning("not an order message", extra={"message": (request.message or "")[:500]})
        raise
    logger.info("done", extra={"status": result.get("status")})
    return result
