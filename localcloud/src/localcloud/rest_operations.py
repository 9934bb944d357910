"""REST services' operations answered as their service model defines them (Lambda, API Gateway).

- **Unknown operations.** moto's URL map has no route for some operations of its REST services (an HTML
  404 page) and its response classes no handler for others (an HTML 500, which SDKs retry for about a
  minute before giving up). A request signed for one of SERVICES whose path and method name no
  operation moto serves answers `UnknownOperationException` (404, JSON, the operation named in the
  message) at once, as AWS answers an action it does not know. What a service's own layer answers
  itself (lambda_api's GetAccountSettings) is routed before this layer.
- **Success codes.** moto's response helper takes the status of a handler's answer from its headers
  only, so many handlers that return 201, 202 or 204 answered 200 (CreateRestApi, DeleteRestApi,
  DeleteAlias, ...). A success answers the status the operation's model gives (`http.responseCode`).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

# signing name -> (moto's urls module, moto's response class)
SERVICES: dict[str, tuple[str, str]] = {
    "lambda": ("moto.awslambda.urls", "moto.awslambda.responses:LambdaResponse"),
    "apigateway": ("moto.apigateway.urls", "moto.apigateway.responses:APIGatewayResponse"),
}
SIGNED_FOR = re.compile(r"Credential=[^/]+/\d+/[^/]+/(?P<service>[a-z0-9-]+)/aws4_request")
VERDICT_KEY = "localcloud.rest_operations.verdict"
# Where AWS answers another status than botocore's copy of the model gives: DeleteFunction answers 204 (the
# model, since it gained a StatusCode member for durable functions, says 200).
ANSWERED_STATUS = {("lambda", "DeleteFunction"): 204}


def _moto_serves(service: str, operation: str, path: str) -> bool:
    """moto's URL map routes the path and its response class has a handler named after the operation."""
    import importlib

    urls_module, response_class = SERVICES[service]
    url_paths: dict[str, Any] = importlib.import_module(urls_module).url_paths
    module, _, name = response_class.partition(":")
    handler = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
    routed = any(re.fullmatch(pattern.format(""), path) for pattern in url_paths)
    return routed and hasattr(getattr(importlib.import_module(module), name), handler)


def unknown_operation(request: Request) -> Response | None:
    """AWS's answer to an operation moto does not serve, or None (moto's turn)."""
    if VERDICT_KEY in request.environ:
        return request.environ[VERDICT_KEY]
    verdict: Response | None = None
    signed = SIGNED_FOR.search(request.headers.get("Authorization", ""))
    if signed is not None and signed["service"] in SERVICES:
        from moto.core.request import Request as MotoRequest
        from moto.core.routing import get_service_router
        from werkzeug.exceptions import HTTPException

        try:  # moto's router reads the raw (still quoted) path from its own Request type
            operation = get_service_router(signed["service"]).match(MotoRequest(request.environ))[0].name
        except HTTPException:
            operation = None
        if operation is None or not _moto_serves(signed["service"], operation, request.path):
            body = {"message": f"Unknown operation {operation or ''} ({request.method} {request.path})"}
            headers = {"x-amzn-ErrorType": "UnknownOperationException", "x-amzn-RequestId": str(uuid.uuid4())}
            verdict = Response(json.dumps(body), status=404, headers=headers, mimetype="application/json")
    request.environ[VERDICT_KEY] = verdict
    return verdict


def _call_action(self: Any) -> Any:
    """moto's call_action, answering a success with the status code of the operation's model."""
    from moto.core.utils import get_service_model

    status, headers, body = original(type(self), "call_action")(self)
    if 200 <= int(status) < 300:
        operation = get_service_model(self.boto3_service_name).operation_model(self._get_action())
        modelled = ANSWERED_STATUS.get((self.boto3_service_name, operation.name))
        modelled = modelled or int(operation.http.get("responseCode", 200))
        if modelled != int(status):
            status, headers["status"] = modelled, str(modelled)
            if modelled == 204:
                body = ""
    return status, headers, body


def install(cloud: LocalCloud) -> None:
    import importlib

    for _, response_class in SERVICES.values():
        module, _, name = response_class.partition(":")
        replace(getattr(importlib.import_module(module), name), "call_action", _call_action)
    cloud.add_route(
        "unknown rest operations",
        lambda r: unknown_operation(r) is not None,
        lambda r: unknown_operation(r) or Response(status=500),
    )
