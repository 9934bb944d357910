"""API Gateway's documentation parts, which moto 5.2.5 does not implement (its answer was an unknown operation).

A REST API's documentation parts live on moto's RestAPI object (`lc_documentation_parts`, id -> part), so
they go when the API goes. A part is `{id, location, properties}`, `properties` a JSON string as AWS keeps
it. Create, Get, GetAll, Update (`replace /properties` only), Delete, ImportDocumentationParts (the
`x-amazon-apigateway-documentation` of an OpenAPI document; `overwrite` replaces every part, `merge` adds)
and ImportRestApi, which imports the document's parts with the API (moto imported the API alone).

Handlers are registered with apigateway_requests (the route); errors are AWS's: a missing REST API is named
(`Invalid API identifier specified <account>:<id>`) on create, list and delete, but a part looked up in a
REST API that does not exist is the missing part (`Invalid Documentation part identifier specified`).
"""

from __future__ import annotations

import json
from typing import Any

from localcloud.apigateway_requests import (
    ApiError,
    Call,
    bad_request,
    check_ops,
    handles,
    not_found,
    unsupported_path,
)

LOCATION_TYPES = (
    "RESPONSE_BODY",
    "RESPONSE",
    "METHOD",
    "MODEL",
    "AUTHORIZER",
    "RESPONSE_HEADER",
    "RESOURCE",
    "PATH_PARAMETER",
    "REQUEST_BODY",
    "QUERY_PARAMETER",
    "API",
    "REQUEST_HEADER",
)
# Location types that name no path of the API: the others default to the root, "/".
PATHLESS = ("API", "MODEL", "AUTHORIZER")


def _parts(api: Any) -> dict[str, dict[str, Any]]:
    if not hasattr(api, "lc_documentation_parts"):
        api.lc_documentation_parts = {}
    parts: dict[str, dict[str, Any]] = api.lc_documentation_parts
    return parts


def _part(call: Call) -> tuple[Any, dict[str, Any]]:
    api = call.backend.apis.get(call.params["restApiId"])
    part = _parts(api).get(call.params["documentationPartId"]) if api is not None else None
    if part is None:
        raise not_found("Invalid Documentation part identifier specified")
    return api, part


def _properties(value: Any) -> str:
    """Properties as the JSON string AWS keeps, compact."""
    try:
        return json.dumps(json.loads(value) if isinstance(value, str) else value, separators=(",", ":"))
    except ValueError:
        raise bad_request("Documentation part properties must be valid JSON") from None


def _add(api: Any, location: dict[str, Any], properties: Any) -> dict[str, Any]:
    from moto.apigateway.utils import create_id

    location = {k: v for k, v in location.items() if v is not None}
    if location.get("type") not in PATHLESS:
        location.setdefault("path", "/")
    part: dict[str, Any] = {"id": create_id(), "location": location, "properties": _properties(properties)}
    _parts(api)[part["id"]] = part
    return part


@handles("CreateDocumentationPart")
def create_documentation_part(call: Call) -> dict[str, Any]:
    location = dict(call.params.get("location") or {})
    if location.get("type") not in LOCATION_TYPES:
        raise ApiError(
            "ValidationException",
            f"1 validation error detected: Value '{location.get('type')}' at 'createDocumentationPartInput.location."
            f"type' failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(LOCATION_TYPES)}]",
        )
    return _add(call.rest_api(), location, call.params.get("properties"))


@handles("GetDocumentationPart")
def get_documentation_part(call: Call) -> dict[str, Any]:
    return _part(call)[1]


@handles("GetDocumentationParts")
def get_documentation_parts(call: Call) -> dict[str, Any]:
    return {"item": list(_parts(call.rest_api()).values())}  # the model names the list "item"


@handles("UpdateDocumentationPart")
def update_documentation_part(call: Call) -> dict[str, Any]:
    check_ops(call)
    _, part = _part(call)
    for op in call.patch_operations():
        if op["op"] != "replace" or op.get("path") != "/properties":
            raise unsupported_path(op, ["/properties"])
        part["properties"] = _properties(op.get("value"))
    return part


@handles("DeleteDocumentationPart")
def delete_documentation_part(call: Call) -> dict[str, Any]:
    api = call.rest_api()
    if _parts(api).pop(call.params["documentationPartId"], None) is None:
        raise not_found("Invalid Documentation part identifier specified")
    return {}


def _document(body: bytes) -> dict[str, Any]:
    """The OpenAPI (or Swagger) document of an import, or AWS's refusal."""
    import yaml

    try:
        document = json.loads(body)
    except ValueError:
        try:
            document = yaml.safe_load(body)
        except yaml.YAMLError:
            document = None
    if not isinstance(document, dict) or not ("openapi" in document or "swagger" in document):
        raise bad_request("Unable to build importer with provided input.")
    return document


def _import(api: Any, document: dict[str, Any], overwrite: bool) -> list[str]:
    if overwrite:
        _parts(api).clear()
    declared = (document.get("x-amazon-apigateway-documentation") or {}).get("documentationParts") or []
    return [_add(api, dict(d.get("location") or {}), d.get("properties") or {})["id"] for d in declared]


@handles("ImportDocumentationParts")
def import_documentation_parts(call: Call) -> dict[str, Any]:
    api = call.rest_api()
    ids = _import(api, _document(call.body), overwrite=call.params.get("mode") == "overwrite")
    return {"ids": ids}


@handles("ImportRestApi")
def import_rest_api(call: Call) -> dict[str, Any]:
    document = _document(call.body)
    fail_on_warnings = str(call.params.get("failOnWarnings")).lower() == "true"
    api = call.backend.import_rest_api(document, fail_on_warnings)
    _import(api, document, overwrite=True)
    shown: dict[str, Any] = api.to_dict()
    return shown
