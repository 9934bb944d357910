from __future__ import annotations

import json

from export_openapi import OPENAPI_FILE, generate


def test_committed_openapi_document_matches_the_routes() -> None:
    """Fails when a route or model changed without `python -m functions.app_server.export_openapi`."""
    assert OPENAPI_FILE.read_text() == generate(), (
        "openapi.json is stale: run python -m functions.app_server.export_openapi"
    )


def test_document_declares_the_error_shape_and_the_routes() -> None:
    document = json.loads(generate())
    assert set(document["paths"]) == {
        "/products",
        "/products/{product_id}",
        "/categories",
        "/auth/login",
        "/orders",
        "/orders/{order_id}",
        "/orders/{order_id}/cancel",
    }
    place = document["paths"]["/orders"]["post"]
    assert {"202", "400", "402", "409", "503"} <= set(place["responses"])
    assert "ErrorBody" in document["components"]["schemas"]
