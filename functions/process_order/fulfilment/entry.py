"""Process Order's Lambda handler (re-exported by handler.py). Input: {"action", "order_id"} (docs/data-model.md)."""

from __future__ import annotations

import functools
import json
import os
from typing import Any, Literal

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError, field_validator
from shared.http_client import JsonHttpClient
from shared.payments import HttpPaymentGateway
from shared.shipments import HttpShipmentGateway

from fulfilment import logic
from fulfilment.dal import DynamoFulfilmentStore

logger = Logger()


class Settings(BaseModel):
    orders_table: str
    products_table: str
    payment_url: str
    shipment_url: str

    @classmethod
    def from_env(cls) -> Settings:
        names = [name.upper() for name in cls.model_fields]
        missing = [name for name in names if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"Process Order misconfigured: set environment variables {', '.join(missing)}")
        return cls.model_validate({name.lower(): os.environ[name] for name in names})


class ProcessOrderInput(BaseModel):
    action: Literal["capture", "ship", "compensate"]
    order_id: str
    error: str | None = None  # compensate: the caught error's name (Error of the Catch)
    reason: str | None = None  # compensate: the Catch's Cause, stored on the order for people to read

    @field_validator("reason")
    @classmethod
    def _readable(cls, cause: str | None) -> str | None:
        """A Lambda failure's Cause is its error document: keep only the message a person can act on."""
        try:
            document = json.loads(cause or "")
        except ValueError:
            return cause
        return str(document.get("errorMessage") or cause) if isinstance(document, dict) else cause


class InvalidInput(Exception):
    """The workflow sent an input this function does not understand (not retried)."""


@functools.cache
def ports() -> logic.FulfilmentPorts:
    settings = Settings.from_env()
    dynamodb = boto3.resource("dynamodb")
    return logic.FulfilmentPorts(
        store=DynamoFulfilmentStore(dynamodb.Table(settings.orders_table), settings.products_table),
        payments=HttpPaymentGateway(JsonHttpClient(settings.payment_url, system="Payment System")),
        shipments=HttpShipmentGateway(JsonHttpClient(settings.shipment_url, system="Shipment System")),
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = ProcessOrderInput.model_validate(event)
    except ValidationError as error:
        raise InvalidInput(f"expected {{'action': capture|ship|compensate, 'order_id': ...}}: {error}") from error
    logger.append_keys(order_id=request.order_id, action=request.action)
    if request.action == "capture":
        result = logic.capture(ports(), request.order_id)
    elif request.action == "ship":
        result = logic.ship(ports(), request.order_id)
    else:
        result = logic.compensate(ports(), request.order_id, error=request.error, reason=request.reason)
    logger.info("done", extra={"status": result.get("status"), "skipped": result.get("skipped")})
    return result
