"""The Shipment System mock: one shipment per order, with a tracking number.

`python -m mocks.shipment --port 8082`, or `shipment.start()` in a test's own process. A second
shipment for an order that has one is refused with 409 and the existing shipment; postal code 00000 is
undeliverable (422), so the workflow's compensation can be exercised. Endpoints and fault injection:
mocks/README.md.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from typing import Any, ClassVar

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from mocks import server
from mocks.errors import ApiError, get_int, get_object, get_str, invalid, json_response
from mocks.faults import Faults
from mocks.service import Idempotency, MockRequest, MockService, now_iso

UNDELIVERABLE_POSTAL_CODE = "00000"
ADDRESS_FIELDS = ("name", "line1", "city", "postal_code", "country")
MAX_ITEMS = 100


class ShipmentService(MockService):
    name = "shipment"
    title = "Shipment System"
    default_port = 8082

    RULES: ClassVar[tuple[Rule, ...]] = (
        Rule("/v1/shipments", methods=["POST"], endpoint="create_shipment"),
        Rule("/v1/shipments", methods=["GET"], endpoint="list_shipments"),
        Rule("/v1/shipments/<id>", methods=["GET"], endpoint="get_shipment"),
    )
    IDEMPOTENCY: ClassVar[Mapping[str, Idempotency]] = {"create_shipment": "required"}

    def reset_state(self) -> None:
        self.shipments: dict[str, dict[str, Any]] = {}
        self.by_order: dict[str, str] = {}

    def create_shipment(self, request: MockRequest) -> Response:
        body = request.body
        order_id = get_str(body, "order_id")
        raw_address = get_object(body, "address")
        address = {field: get_str(raw_address, field, f"address.{field}") for field in ADDRESS_FIELDS}
        raw_items = body.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise invalid("items", "'items' is required and must be a non-empty list")
        if len(raw_items) > MAX_ITEMS:
            raise invalid("items", f"'items' may hold at most {MAX_ITEMS} lines")
        items = []
        for index, raw in enumerate(raw_items):
            label = f"items[{index}]"
            if not isinstance(raw, dict):
                raise invalid(label, f"'{label}' must be an object with product_id and quantity")
            items.append(
                {
                    "product_id": get_str(raw, "product_id", f"{label}.product_id"),
                    "quantity": get_int(raw, "quantity", f"{label}.quantity"),
                }
            )
        existing = self.by_order.get(order_id)
        if existing is not None:
            raise ApiError(
                409,
                "duplicate_order",
                f"order {order_id} already has shipment {existing}",
                extra={"shipment": self.shipments[existing]},
            )
        if address["postal_code"].strip() == UNDELIVERABLE_POSTAL_CODE:
            raise ApiError(
                422,
                "undeliverable_address",
                f"no delivery to postal code {UNDELIVERABLE_POSTAL_CODE} (the mock's undeliverable address)",
                field="address.postal_code",
            )
        shipment_id = f"shp_{secrets.token_hex(12)}"
        shipment: dict[str, Any] = {
            "id": shipment_id,
            "tracking_number": f"TRK{secrets.randbelow(10**10):010d}",
            "status": "created",
            "order_id": order_id,
            "address": address,
            "items": items,
            "created": now_iso(),
        }
        self.shipments[shipment_id] = shipment
        self.by_order[order_id] = shipment_id
        return json_response(201, shipment)

    def list_shipments(self, request: MockRequest) -> Response:
        return json_response(200, {"shipments": list(self.shipments.values())})

    def get_shipment(self, request: MockRequest, id: str) -> Response:
        shipment = self.shipments.get(id)
        if shipment is None:
            raise ApiError(404, "not_found", f"no shipment '{id}'")
        return json_response(200, shipment)


def start(*, port: int = 0, faults: Faults | None = None, seed: int | None = None) -> server.Running[ShipmentService]:
    """The Shipment System in this process on 127.0.0.1 (`port` 0: a free one): `.url`, `.app`, `.stop()`."""
    return server.start(ShipmentService, port=port, faults=faults, seed=seed)


if __name__ == "__main__":
    sys.exit(server.main(ShipmentService))
