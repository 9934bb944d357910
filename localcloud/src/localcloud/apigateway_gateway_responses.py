"""API Gateway's gateway responses as AWS keeps them: every type always exists, set or default.

moto 5.2.5 only knew the responses put on an API (GetGatewayResponse of any other type: its own
`GatewayResponse not found`), had no UpdateGatewayResponse, and deleted what was never set. AWS answers
every one of its 21 types: a type not put reads as its default (`defaultResponse` true, its own status
code, the `{"message":$context.error.messageString}` template), or, when DEFAULT_4XX / DEFAULT_5XX is put,
as that one for the types of its class. A put fills what it was not given from the type's own default.

moto's RestAPI keeps only what was put (`gateway_responses`), which is what execute_api renders errors
through; the defaults are made here at each read. Handlers are registered with apigateway_requests.
"""

from __future__ import annotations

from typing import Any

from localcloud.apigateway_requests import (
    ApiError,
    Call,
    all_or_nothing,
    bad_request,
    check_ops,
    handles,
    not_found,
    unescape,
)

# Each type's default status code (None: the DEFAULT_4XX and DEFAULT_5XX have none), in the model's enum order.
DEFAULT_STATUS: dict[str, str | None] = {
    "REQUEST_TOO_LARGE": "413",
    "RESOURCE_NOT_FOUND": "404",
    "AUTHORIZER_CONFIGURATION_ERROR": "500",
    "MISSING_AUTHENTICATION_TOKEN": "403",
    "BAD_REQUEST_BODY": "400",
    "INVALID_SIGNATURE": "403",
    "INVALID_API_KEY": "403",
    "BAD_REQUEST_PARAMETERS": "400",
    "AUTHORIZER_FAILURE": "500",
    "UNAUTHORIZED": "401",
    "INTEGRATION_TIMEOUT": "504",
    "ACCESS_DENIED": "403",
    "DEFAULT_4XX": None,
    "DEFAULT_5XX": None,
    "WAF_FILTERED": "403",
    "QUOTA_EXCEEDED": "429",
    "THROTTLED": "429",
    "API_CONFIGURATION_ERROR": "500",
    "UNSUPPORTED_MEDIA_TYPE": "415",
    "INTEGRATION_FAILURE": "504",
    "EXPIRED_TOKEN": "403",
}
DEFAULT_TEMPLATES = {"application/json": '{"message":$context.error.messageString}'}


def _response_type(call: Call) -> str:
    kind = str(call.params.get("responseType"))
    if kind not in DEFAULT_STATUS:
        raise ApiError(
            "ValidationException",
            f"1 validation error detected: Value '{kind}' at 'responseType' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(DEFAULT_STATUS)}]",
        )
    return kind


def _shown(api: Any, kind: str) -> Any:
    """The response of a type as AWS shows it: the one put, else its default (or its class's DEFAULT_xXX)."""
    from moto.apigateway.models import GatewayResponse

    if kind in api.gateway_responses:
        return api.gateway_responses[kind]
    status = DEFAULT_STATUS[kind]
    parameters, templates = {}, dict(DEFAULT_TEMPLATES)
    fallback = api.gateway_responses.get(f"DEFAULT_{status[0]}XX") if status else None
    if fallback is not None:
        status = fallback.status_code or status
        parameters, templates = dict(fallback.response_parameters or {}), dict(fallback.response_templates or {})
    response = GatewayResponse(kind, status, parameters, templates)  # type: ignore[arg-type]
    response.default_response = True
    return response


@handles("GetGatewayResponse")
def get_gateway_response(call: Call) -> dict[str, Any]:
    kind = _response_type(call)
    shown: dict[str, Any] = _shown(call.rest_api(), kind).to_json()
    return shown


@handles("GetGatewayResponses")
def get_gateway_responses(call: Call) -> dict[str, Any]:
    api = call.rest_api()
    return {"item": [_shown(api, kind).to_json() for kind in sorted(DEFAULT_STATUS)]}


@handles("PutGatewayResponse")
def put_gateway_response(call: Call) -> dict[str, Any]:
    kind = _response_type(call)
    p = call.params
    response = call.rest_api().put_gateway_response(
        kind,
        status_code=p.get("statusCode") or DEFAULT_STATUS[kind],
        response_parameters=dict(p.get("responseParameters") or {}),
        response_templates=dict(p.get("responseTemplates") or DEFAULT_TEMPLATES),
    )
    shown: dict[str, Any] = response.to_json()
    return shown


@handles("DeleteGatewayResponse")
def delete_gateway_response(call: Call) -> dict[str, Any]:
    kind = _response_type(call)
    api = call.rest_api()
    if kind not in api.gateway_responses:
        raise not_found("Gateway response type not defined on api")
    del api.gateway_responses[kind]
    return {}


def _patch_map(current: dict[str, Any], key: str, op: dict[str, Any], field: str) -> None:
    if op["op"] in ("replace", "remove") and key not in current:
        raise not_found("Invalid parameter name specified")
    if op["op"] == "remove":
        del current[key]
    elif not op.get("value"):
        raise bad_request(f"Invalid null or empty value in {field}")
    else:
        current[key] = op["value"]


@handles("UpdateGatewayResponse")
def update_gateway_response(call: Call) -> dict[str, Any]:
    from moto.apigateway.models import GatewayResponse

    check_ops(call)
    kind = _response_type(call)
    api = call.rest_api()
    shown = _shown(api, kind)
    response = GatewayResponse(  # a copy: the update is kept only once every operation applied
        kind, shown.status_code, dict(shown.response_parameters or {}), dict(shown.response_templates or {})
    )
    with all_or_nothing(response):
        for op in call.patch_operations():
            path = op.get("path")
            field, _, key = str(path).lstrip("/").partition("/")
            if path == "/statusCode" and op["op"] == "replace":
                response.status_code = op.get("value")  # type: ignore[assignment]  # moto types it int; AWS keeps a string
            elif field in ("responseParameters", "responseTemplates") and key:
                _patch_map(
                    getattr(response, "response_parameters" if field == "responseParameters" else "response_templates"),
                    unescape(key),
                    op,
                    field,
                )
            else:
                raise bad_request(f"Invalid patch path {'null' if path is None else path}")
    api.gateway_responses[kind] = response
    result: dict[str, Any] = response.to_json()
    return result
