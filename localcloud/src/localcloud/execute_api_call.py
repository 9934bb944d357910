"""One request to an API Gateway invoke URL: what it addresses, its context, and the errors it can end in.

`parse_target` tells which API, stage and path a request addresses (the three URL forms LocalStack
serves); `Call` carries the request through execute_api.py's pipeline; a `GatewayError` becomes the
response API Gateway sends for it, through the API's own gateway responses (`gateway_response`).
Shared by execute_api.py and execute_api_authorizers.py, which both invoke Lambda functions named by
an integration or authorizer URI.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from localcloud import lambda_runner
from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION

if TYPE_CHECKING:
    from moto.apigateway.models import APIGatewayBackend, Method, Resource, RestAPI, Stage

LOCAL_DOMAIN = "execute-api.localhost.localstack.cloud"
_HOST_RE = re.compile(r"^(?P<api>[A-Za-z0-9]+)\.execute-api\.", re.IGNORECASE)
_PATH_FORMS = (
    # DOTALL: a path parameter may hold an encoded newline (%0A); API Gateway still routes it to its resource.
    re.compile(r"^/_aws/execute-api/(?P<api>[^/]+)/(?P<stage>[^/]+)(?P<path>/.*)?$", re.DOTALL),
    re.compile(r"^/restapis/(?P<api>[^/]+)/(?P<stage>[^/]+)/_user_request_(?P<path>/.*)?$", re.DOTALL),
)
_LAMBDA_URI_RE = re.compile(r":lambda:path/\d{4}-\d{2}-\d{2}/functions/(?P<function>.+?)/invocations")
_STAGE_VAR_RE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")

# Gateway response types: default status and the x-amzn-ErrorType AWS sends with them.
_GATEWAY_RESPONSES: dict[str, tuple[int, str | None]] = {
    "MISSING_AUTHENTICATION_TOKEN": (403, "MissingAuthenticationTokenException"),
    "UNAUTHORIZED": (401, "UnauthorizedException"),
    "ACCESS_DENIED": (403, "AccessDeniedException"),
    "AUTHORIZER_FAILURE": (500, "AuthorizerConfigurationException"),
    "AUTHORIZER_CONFIGURATION_ERROR": (500, "AuthorizerConfigurationException"),
    "THROTTLED": (429, None),
    "QUOTA_EXCEEDED": (429, None),
    "INVALID_API_KEY": (403, "ForbiddenException"),
    "RESOURCE_NOT_FOUND": (404, None),
    "DEFAULT_4XX": (403, "ForbiddenException"),
    "DEFAULT_5XX": (502, None),
}


# -- request target --------------------------------------------------------------------------------
@dataclass
class Target:
    api_id: str
    stage: str | None
    path: str  # the resource path the client asked for, "/" at least
    domain_name: str


def parse_target(request: Request) -> Target | None:
    """Which API, stage and path a request addresses, or None when it is no invoke URL."""
    host = request.headers.get("Host", "")
    host_match = _HOST_RE.match(host)
    if host_match:
        parts = request.path.split("/", 2)  # "", stage, rest
        stage = parts[1] or None if len(parts) > 1 else None
        path = "/" + parts[2] if len(parts) > 2 else "/"
        return Target(host_match["api"], stage, path, host.split(":", 1)[0])
    for form in _PATH_FORMS:
        match = form.match(request.path)
        if match:
            return Target(match["api"], match["stage"], match["path"] or "/", f"{match['api']}.{LOCAL_DOMAIN}")
    return None


# -- errors as API Gateway sends them ----------------------------------------------------------------
class GatewayError(Exception):
    def __init__(self, response_type: str, message: str | None, status: int | None = None) -> None:
        super().__init__(message)
        self.response_type = response_type
        self.message = message
        self.status = status


@dataclass
class Call:
    """One request's context while it goes through the gateway."""

    request: Request
    target: Target
    backend: APIGatewayBackend
    api: RestAPI | None = None
    stage: Stage | None = None
    resource: Resource | None = None
    method: Method | None = None
    path_parameters: dict[str, str] = field(default_factory=dict)
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    extended_request_id: str = field(
        default_factory=lambda: base64.b64encode(uuid.uuid4().bytes[:6]).decode().rstrip("=") + "="
    )
    started: float = field(default_factory=time.time)
    authorizer_context: dict[str, Any] | None = None
    body: bytes = b""


def _json_string(value: str | None) -> str:
    return json.dumps(value)


def gateway_response(call: Call, error: GatewayError) -> Response:
    """Render an error through the API's gateway responses (specific type, then DEFAULT_4XX/5XX)."""
    default_status, error_type = _GATEWAY_RESPONSES.get(error.response_type, (error.status or 500, None))
    status = error.status or default_status
    configured = call.api.gateway_responses if call.api is not None else {}
    specific = configured.get(error.response_type)
    fallback = configured.get("DEFAULT_4XX" if status < 500 else "DEFAULT_5XX")
    if specific is not None and specific.status_code:
        status = int(specific.status_code)
    parameters: dict[str, str] = {}
    templates: dict[str, str] = {}
    for configured_response in (fallback, specific):
        if configured_response is not None:
            parameters.update(configured_response.response_parameters or {})
            templates = configured_response.response_templates or templates
    template = templates.get("application/json") or next(iter(templates.values()), None)
    body = _render_template(template or '{"message":$context.error.messageString}', call, error)
    response = Response(body, status=status, mimetype="application/json")
    for name, expression in parameters.items():
        if name.startswith("gatewayresponse.header."):
            value = parameter_value(expression, call)
            if value is not None:
                response.headers[name.removeprefix("gatewayresponse.header.")] = value
    if error_type:
        response.headers["x-amzn-ErrorType"] = error_type
    add_ids(response, call)
    return response


def _render_template(template: str, call: Call, error: GatewayError) -> str:
    """The few $context variables gateway response templates use; not a VTL engine."""
    values = {
        "$context.error.messageString": _json_string(error.message),
        "$context.error.message": error.message or "",
        "$context.error.responseType": error.response_type,
        "$context.requestId": call.request_id,
        "$context.extendedRequestId": call.extended_request_id,
        "$context.stage": call.target.stage or "",
        "$context.apiId": call.target.api_id,
        "$context.resourcePath": call.resource.get_path() if call.resource is not None else "",
        "$context.httpMethod": call.request.method,
    }
    pattern = re.compile("|".join(re.escape(k) for k in sorted(values, key=len, reverse=True)))
    rendered = pattern.sub(lambda m: values[m.group(0)], template)
    return re.sub(
        r"\$context\.authorizer\.([A-Za-z0-9_]+)",
        lambda m: str((call.authorizer_context or {}).get(m.group(1), "")),
        rendered,
    )


def parameter_value(expression: str, call: Call) -> str | None:
    """`'static'` or `method.request.header.X` / `.querystring.X` / `.path.X` as mapping expressions."""
    expression = str(expression).strip()
    if len(expression) >= 2 and expression[0] == expression[-1] == "'":
        return expression[1:-1]
    for prefix, source in (
        ("method.request.header.", call.request.headers),
        ("method.request.querystring.", call.request.args),
        ("method.request.path.", call.path_parameters),
    ):
        if expression.startswith(prefix):
            return source.get(expression.removeprefix(prefix))
    if expression.startswith("stageVariables.") and call.stage is not None:
        return call.stage.variables.get(expression.removeprefix("stageVariables."))
    return None


def add_ids(response: Response, call: Call) -> None:
    response.headers["x-amzn-RequestId"] = call.request_id
    response.headers["x-amz-apigw-id"] = call.extended_request_id
    response.headers.setdefault("X-Amzn-Trace-Id", trace_id(call))


def trace_id(call: Call) -> str:
    return f"Root=1-{int(call.started):08x}-{uuid.UUID(call.request_id).hex[:24]}"


# -- Lambda targets ------------------------------------------------------------------------------------
def function_from_uri(uri: str, call: Call) -> str | None:
    variables = call.stage.variables if call.stage is not None else {}
    uri = _STAGE_VAR_RE.sub(lambda m: str(variables.get(m.group(1), "")), uri)
    match = _LAMBDA_URI_RE.search(uri)
    return match["function"] if match else None


def json_or_none(payload: bytes) -> Any:
    try:
        return json.loads(payload or b"null")
    except ValueError:
        return None


def invoke_lambda(function: str, event: dict[str, Any]) -> lambda_runner.InvokeResult:
    account, region = DEFAULT_ACCOUNT, DEFAULT_REGION
    if function.startswith("arn:"):
        parts = function.split(":")
        region, account = parts[3], parts[4]
    return lambda_runner.invoke(function, json.dumps(event).encode(), account_id=account, region=region)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
