"""Wires the adapters to the logic, once per execution environment (lazily, so tests control the environment)."""

from __future__ import annotations

import functools
from datetime import timedelta

import boto3
from shared.http_client import JsonHttpClient
from shared.order_queue import SqsOrderQueue
from shared.orders import OrderStore
from shared.payments import HttpPaymentGateway
from shared.shipments import HttpShipmentGateway

from process_order import logic
from process_order.settings import Settings

METRICS_NAMESPACE = "Shop"


@functools.cache
def settings() -> Settings:
    return Settings.from_env()


@functools.cache
def ports() -> logic.ProcessOrderPorts:
    config = settings()
    dynamodb = boto3.resource("dynamodb")
    return logic.ProcessOrderPorts(
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
