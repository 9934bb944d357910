"""Port and HTTP adapter for the Shipment System (contract in docs/data-model.md)."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from shared.errors import ShipmentRejected, TransientError
from shared.http_client import JsonHttpClient


class Shipment(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    tracking_number: str


class ShipmentGateway(Protocol):
    def create(
        self, *, order_id: str, address: dict[str, Any], items: list[dict[str, Any]], idempotency_key: str
    ) -> Shipment:
        """Returns the order's shipment (the existing one on a repeat); ShipmentRejected / TransientError."""
        ...


class HttpShipmentGateway:
    def __init__(self, client: JsonHttpClient) -> None:
        self.client = client

    def create(
        self, *, order_id: str, address: dict[str, Any], items: list[dict[str, Any]], idempotency_key: str
    ) -> Shipment:
        response = self.client.post(
            "/v1/shipments",
            {"order_id": order_id, "address": address, "items": items},
            idempotency_key=idempotency_key,
        )
        if response.status in (200, 201):
            return Shipment.model_validate(response.body)
        if response.status == 409:
            # A shipment already exists for this order: the body carries it (possibly under "shipment").
            existing = response.body.get("shipment", response.body)
            if isinstance(existing, dict) and "id" in existing and "tracking_number" in existing:
                return Shipment.model_validate(existing)
        if response.status == 429:
            raise TransientError(f"Shipment System throttled the shipment of order {order_id}", processed=False)
        error = response.body.get("error")
        code = error.get("code") if isinstance(error, dict) else None
        raise ShipmentRejected(
            f"Shipment System refused order {order_id} with HTTP {response.status}: {response.body}",
            code="address_undeliverable" if code == "undeliverable_address" else "shipment_refused",
        )
