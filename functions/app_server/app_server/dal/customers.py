"""Customers table adapter (DynamoDB), keyed by email."""

from __future__ import annotations

from typing import Any

from shared.orders import from_dynamo

from app_server.models.auth import CustomerRecord


class DynamoCustomersRepository:
    def __init__(self, table: Any) -> None:
        self.table = table

    def get_customer(self, email: str) -> CustomerRecord | None:
        item = self.table.get_item(Key={"email": email}).get("Item")
        return CustomerRecord.model_validate(from_dynamo(item)) if item else None
