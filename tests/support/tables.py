"""The shop's DynamoDB tables in moto (in-process), shaped as stacks/app.yaml declares them, for logic tests.

The logic's reads and conditional writes then run against DynamoDB's semantics instead of a hand-written fake.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from unittest import mock

import boto3
from app_server.dal.orders import CUSTOMER_INDEX, DynamoOrdersReader
from app_server.dal.products import DynamoProductsRepository
from app_server.models.catalog import Product
from moto import mock_aws
from shared.orders import SWEEP_INDEX, OrderStore

PRODUCTS, ORDERS = "t-products", "t-orders"


class Tables:
    def __init__(self, dynamodb: Any, sweep_after: timedelta) -> None:
        self.products_table = dynamodb.Table(PRODUCTS)
        self.orders_table = dynamodb.Table(ORDERS)
        self.store = OrderStore(self.orders_table, PRODUCTS, sweep_after=sweep_after)
        self.reader = DynamoOrdersReader(self.orders_table)
        self.products = DynamoProductsRepository(self.products_table)

    def add(self, *products: Product) -> None:
        for product in products:
            self.products_table.put_item(Item=product.model_dump())

    def stock(self, product_id: str) -> int:
        return int(self.products_table.get_item(Key={"id": product_id})["Item"]["stock"])

    def raw_order(self, order_id: str) -> dict[str, Any]:
        return dict(self.orders_table.get_item(Key={"id": order_id})["Item"])

    def force_status(self, order_id: str, status: str) -> None:
        """Put an order in a status as if the pipeline had moved it there."""
        self.orders_table.update_item(
            Key={"id": order_id},
            UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": status},
        )


@contextmanager
def shop_tables(sweep_after: timedelta = timedelta(minutes=10)) -> Iterator[Tables]:
    # moto only intercepts AWS's own endpoints: an AWS_ENDPOINT_URL left by a session that used the local cloud
    # (tests/conftest.py's `endpoint`) would send these tables to it ("Table already exists" in `make test`).
    with mock.patch.dict(os.environ), mock_aws():
        os.environ.pop("AWS_ENDPOINT_URL", None)
        dynamodb = boto3.resource("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=PRODUCTS,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        )
        dynamodb.create_table(
            TableName=ORDERS,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"}
                for name in ("id", "customer_id", "created_at", "sweep_shard", "sweep_at")
            ],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": CUSTOMER_INDEX,
                    "KeySchema": [
                        {"AttributeName": "customer_id", "KeyType": "HASH"},
                        {"AttributeName": "created_at", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                },
                {
                    "IndexName": SWEEP_INDEX,
                    "KeySchema": [
                        {"AttributeName": "sweep_shard", "KeyType": "HASH"},
                        {"AttributeName": "sweep_at", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                },
            ],
        )
        yield Tables(dynamodb, sweep_after)
