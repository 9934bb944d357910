"""API Gateway REST (v1) invoke URLs: routing, Lambda proxy events, Lambda authorizers, throttling.

moto keeps the API's definition (resources, methods, authorizers, stages, gateway responses) but in
server mode never executes it. This layer serves the three URL forms LocalStack serves:

    /_aws/execute-api/{apiId}/{stage}/{path}
    /restapis/{apiId}/{stage}/_user_request_/{path}
    Host: {apiId}.execute-api.<anything>   (e.g. {apiId}.execute-api.localhost.localstack.cloud:4566)

and answers like API Gateway does: resource matching (static > {param} > {proxy+}, then method >
ANY), the REST v1 proxy event, Lambda TOKEN/REQUEST authorizers with result caching and policy
evaluation, stage/method/usage-plan throttling, MOCK integrations and gateway responses.
Requests always follow the API's current resources: a deployment is not a snapshot here.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

from localcloud import lambda_runner
from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from moto.apigateway.models import APIGatewayBackend, Authorizer, Method, Resource, RestAPI, Stage
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.execute_api")

LOCAL_DOMAIN = "execute-api.localhost.localstack.cloud"
_HOST_RE = re.compile(r"^(?P<api>[A-Za-z0-9]+)\.execute-api\.", re.IGNORECASE)
_PATH_FORMS = (
    # DOTALL: a path parameter may hold an encoded newline (%0A); API Gateway still routes it to its resource.
    re.compile(r"^/_aws/execute-api/(?P<api>[^/]+)/(?P<stage>[^/]+)(?P<path>/.*)?$", re.DOTALL),
    re.compile(r"^/restapis/(?P<api>[^/]+)/(?P<stage>[^/]+)/_user_request_(?P<path>/.*)?$", re.DOTALL),
)
_LAMBDA_URI_RE = re.compile(r":lambda:path/\d{4}-\d{2}-\d{2}/functions/(?P<function>.+?)/invocations")
_STAGE_VAR_RE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_PROXY_RESPONSE_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"}

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
            value = _parameter_value(expression, call)
            if value is not None:
                response.headers[name.removeprefix("gatewayresponse.header.")] = value
    if error_type:
        response.headers["x-amzn-ErrorType"] = error_type
    _add_ids(response, call)
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


def _parameter_value(expression: str, call: Call) -> str | None:
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


def _add_ids(response: Response, call: Call) -> None:
    response.headers["x-amzn-RequestId"] = call.request_id
    response.headers["x-amz-apigw-id"] = call.extended_request_id
    response.headers.setdefault("X-Amzn-Trace-Id", _trace_id(call))


def _trace_id(call: Call) -> str:
    return f"Root=1-{int(call.started):08x}-{uuid.UUID(call.request_id).hex[:24]}"


# -- resource matching -------------------------------------------------------------------------------
def match_resource(api: RestAPI, path: str, http_method: str) -> tuple[Resource, Method, dict[str, str]] | None:
    """API Gateway's order: static segment > {param} > {proxy+} at each level; method, then ANY."""
    children: dict[str | None, list[Resource]] = {}
    for resource in api.resources.values():
        children.setdefault(resource.parent_id, []).append(resource)
    roots = children.get(None, [])
    if not roots:
        return None
    segments = [s for s in path.split("/") if s]

    def method_of(resource: Resource) -> Method | None:
        methods = resource.resource_methods
        return methods.get(http_method) or methods.get("ANY")

    def rank(resource: Resource) -> int:
        part = resource.path_part
        if part.endswith("+}"):
            return 2
        return 1 if part.startswith("{") else 0

    def walk(
        resource: Resource, rest: list[str], params: dict[str, str]
    ) -> tuple[Resource, Method, dict[str, str]] | None:
        if not rest:
            method = method_of(resource)
            return (resource, method, params) if method is not None else None
        for child in sorted(children.get(resource.id, []), key=rank):
            part = child.path_part
            if part.endswith("+}"):
                method = method_of(child)
                if method is not None:
                    return child, method, {**params, part[1:-2]: "/".join(rest)}
            elif part.startswith("{") and part.endswith("}"):
                found = walk(child, rest[1:], {**params, part[1:-1]: rest[0]})
                if found:
                    return found
            elif part == rest[0]:
                found = walk(child, rest[1:], params)
                if found:
                    return found
        return None

    return walk(roots[0], segments, {})


# -- throttling ----------------------------------------------------------------------------------------
class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = max(burst, 0)
        self.tokens = float(self.capacity)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


_buckets: dict[tuple[Any, ...], TokenBucket] = {}
_buckets_lock = threading.Lock()


def _take(key: tuple[Any, ...], rate: float, burst: int) -> bool:
    with _buckets_lock:
        bucket = _buckets.get(key)
        if bucket is None or bucket.rate != rate or bucket.capacity != burst:
            bucket = _buckets[key] = TokenBucket(rate, burst)
        return bucket.take()


def check_throttle(call: Call) -> None:
    """Stage method settings (per method, else `*/*`), then any usage plan throttle on this stage."""
    assert call.stage is not None and call.resource is not None
    resource_path = call.resource.get_path()
    method = call.request.method
    settings = call.stage.method_settings or {}
    specific_key = resource_path.replace("/", "~1") + "/" + method
    setting = settings.get(specific_key) or settings.get(resource_path.replace("/", "~1") + "/*") or settings.get("*/*")
    limits: list[tuple[tuple[Any, ...], float, int]] = []
    if setting and "throttlingRateLimit" in setting and "throttlingBurstLimit" in setting:
        key: tuple[Any, ...] = ("stage", call.target.api_id, call.target.stage, resource_path, method)
        limits.append((key, float(setting["throttlingRateLimit"]), int(setting["throttlingBurstLimit"])))
    for plan in call.backend.usage_plans.values():
        for api_stage in plan.api_stages:
            if api_stage.get("apiId") != call.target.api_id or api_stage.get("stage") != call.target.stage:
                continue
            per_method = (api_stage.get("throttle") or {}).get(f"{resource_path}/{method}")
            for scope, throttle in (("method", per_method), ("plan", plan.throttle)):
                if throttle and "rateLimit" in throttle and "burstLimit" in throttle:
                    key = ("plan", plan.id, call.target.api_id, call.target.stage, scope, resource_path, method)
                    limits.append((key, float(throttle["rateLimit"]), int(throttle["burstLimit"])))
    for key, rate, burst in limits:
        if not _take(key, rate, burst):
            raise GatewayError("THROTTLED", "Too Many Requests")


# -- Lambda authorizers ---------------------------------------------------------------------------------
_auth_cache: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}
_auth_cache_lock = threading.Lock()


def method_arn(call: Call) -> str:
    return (
        f"arn:aws:execute-api:{call.backend.region_name}:{call.backend.account_id}:{call.target.api_id}/"
        f"{call.target.stage}/{call.request.method}/{call.target.path.lstrip('/')}"
    )


def _identity_value(source: str, call: Call, event: dict[str, Any]) -> str | None:
    source = source.strip()
    if source.startswith("method.request.header."):
        name = source.removeprefix("method.request.header.")
        return call.request.headers.get(name)
    if source.startswith("method.request.querystring."):
        return (event.get("queryStringParameters") or {}).get(source.removeprefix("method.request.querystring."))
    if source.startswith("method.request.path."):
        return call.path_parameters.get(source.removeprefix("method.request.path."))
    if source.startswith("stageVariables."):
        return (call.stage.variables if call.stage is not None else {}).get(source.removeprefix("stageVariables."))
    if source.startswith("context."):
        return str(event["requestContext"].get(source.removeprefix("context."), "")) or None
    return None


def authorize(call: Call, authorizer: Authorizer, proxy_event: dict[str, Any]) -> dict[str, Any]:
    """Run (or reuse) the Lambda authorizer; return requestContext.authorizer or raise GatewayError."""
    authorizer_type = (authorizer.type or "").upper()
    sources = [s for s in (authorizer.identity_source or "").split(",") if s.strip()]
    arn = method_arn(call)
    if authorizer_type == "TOKEN":
        token = _identity_value(sources[0] if sources else "method.request.header.Authorization", call, proxy_event)
        if not token:
            raise GatewayError("UNAUTHORIZED", "Unauthorized")
        expression = authorizer.identity_validation_expression
        if expression and not re.fullmatch(expression, token):
            raise GatewayError("UNAUTHORIZED", "Unauthorized")
        identity: tuple[str, ...] = (token,)
        event: dict[str, Any] = {"type": "TOKEN", "methodArn": arn, "authorizationToken": token}
    elif authorizer_type == "REQUEST":
        values = [_identity_value(s, call, proxy_event) for s in sources]
        if any(not v for v in values):
            raise GatewayError("UNAUTHORIZED", "Unauthorized")
        identity = tuple(str(v) for v in values)
        event = {
            "type": "REQUEST",
            "methodArn": arn,
            **{k: v for k, v in proxy_event.items() if k not in ("body", "isBase64Encoded")},
        }
    else:
        raise GatewayError(
            "AUTHORIZER_CONFIGURATION_ERROR",
            None,
        )

    ttl = int(authorizer.authorizer_result_ttl or 0)
    # Without identity sources AWS cannot cache (REQUEST authorizers with caching off).
    cache_key = (call.target.api_id, authorizer.id, identity) if ttl > 0 and identity else None
    result: dict[str, Any] | None = None
    if cache_key is not None:
        with _auth_cache_lock:
            cached = _auth_cache.get(cache_key)
        if cached is not None and cached[0] > time.monotonic():
            result = cached[1]
    started = time.monotonic()
    if result is None:
        result = _invoke_authorizer(call, authorizer, event)
        if cache_key is not None:
            with _auth_cache_lock:
                _auth_cache[cache_key] = (time.monotonic() + ttl, result)

    decision = evaluate_policy(result.get("policyDocument") or {}, arn)
    if decision == "DENY":
        raise GatewayError("ACCESS_DENIED", "User is not authorized to access this resource with an explicit deny")
    if decision != "ALLOW":
        raise GatewayError("ACCESS_DENIED", "User is not authorized to access this resource")
    context: dict[str, Any] = {}
    for key, value in (result.get("context") or {}).items():
        context[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return {
        **context,
        "principalId": result.get("principalId"),
        "integrationLatency": int((time.monotonic() - started) * 1000),
    }


def _invoke_authorizer(call: Call, authorizer: Authorizer, event: dict[str, Any]) -> dict[str, Any]:
    function = _function_from_uri(authorizer.authorizer_uri or "", call)
    if function is None:
        log.warning("authorizer %s has no Lambda URI: %r", authorizer.id, authorizer.authorizer_uri)
        raise GatewayError("AUTHORIZER_CONFIGURATION_ERROR", None)
    try:
        outcome = _invoke(function, event)
    except Exception:
        log.exception("authorizer %s: invoking %s failed", authorizer.id, function)
        raise GatewayError("AUTHORIZER_FAILURE", None) from None
    payload = _json_or_none(outcome.payload)
    if outcome.function_error:
        message = payload.get("errorMessage") if isinstance(payload, dict) else None
        if message == "Unauthorized":
            raise GatewayError("UNAUTHORIZED", "Unauthorized")
        log.warning("authorizer %s (%s) failed: %s", authorizer.id, function, outcome.payload[:500])
        raise GatewayError("AUTHORIZER_FAILURE", None)
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("policyDocument"), dict)
        or "principalId" not in payload
        or not all(isinstance(v, str | int | float | bool) for v in (payload.get("context") or {}).values())
    ):
        log.warning("authorizer %s (%s) returned an invalid result: %s", authorizer.id, function, outcome.payload[:500])
        raise GatewayError("AUTHORIZER_CONFIGURATION_ERROR", None)
    return payload


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def evaluate_policy(policy: dict[str, Any], arn: str) -> str:
    """ALLOW, DENY (explicit) or NONE for an execute-api:Invoke on `arn`; explicit deny wins."""
    allowed = False
    for statement in _as_list(policy.get("Statement") or []):
        if not isinstance(statement, dict):
            continue
        actions = [str(a).lower() for a in _as_list(statement.get("Action", []))]
        if not any(fnmatch.fnmatchcase("execute-api:invoke", a) for a in actions):
            continue
        if not any(fnmatch.fnmatchcase(arn, str(r)) for r in _as_list(statement.get("Resource", []))):
            continue
        effect = str(statement.get("Effect", "")).lower()
        if effect == "deny":
            return "DENY"
        if effect == "allow":
            allowed = True
    return "ALLOW" if allowed else "NONE"


# -- the proxy event ----------------------------------------------------------------------------------
RAW_HEADERS_KEY = "localcloud.raw_headers"


def _raw_headers(request: Request) -> list[tuple[str, str]]:
    """The headers as the client sent them: original name case, repeated headers kept apart.

    WSGI folds a repeated header into one comma-joined value and title-cases names, which would
    make `multiValueHeaders` wrong; `_make_environ` stores the wire list in the environ.
    """
    raw = request.environ.get(RAW_HEADERS_KEY)
    if raw is None:  # not served by our WSGI server (e.g. a test client): best effort
        return list(request.headers.items())
    return [(name, value.replace("\r\n", "")) for name, value in raw]


def _make_environ(self: MotoRequestHandler) -> dict[str, Any]:
    """moto's request handler also records the header list it parsed (see _raw_headers)."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    environ: dict[str, Any] = original(MotoRequestHandler, "make_environ")(self)
    environ[RAW_HEADERS_KEY] = list(self.headers.items())
    return environ


def _media_matches(content_type: str | None, media_types: list[str]) -> bool:
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return any(fnmatch.fnmatchcase(mime, t.strip().lower()) for t in media_types)


def build_proxy_event(call: Call) -> dict[str, Any]:
    request = call.request
    assert call.resource is not None and call.api is not None
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in _raw_headers(request):
        multi_headers.setdefault(name, []).append(value)
        headers[name] = value  # API Gateway keeps the last value of a repeated header
    forwarded = {
        "X-Forwarded-For": request.remote_addr or "127.0.0.1",
        "X-Forwarded-Port": str(request.environ.get("SERVER_PORT", "")),
        "X-Forwarded-Proto": request.scheme,
        "X-Amzn-Trace-Id": _trace_id(call),
    }
    for name, value in forwarded.items():
        if name not in headers:
            headers[name] = value
            multi_headers[name] = [value]

    query_pairs = parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True)
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for name, value in query_pairs:
        query[name] = value
        multi_query.setdefault(name, []).append(value)

    body: str | None = None
    is_base64 = False
    if call.body:
        if _media_matches(request.headers.get("Content-Type"), call.api.binaryMediaTypes):
            body, is_base64 = base64.b64encode(call.body).decode(), True
        else:
            try:
                body = call.body.decode("utf-8")
            except UnicodeDecodeError:  # AWS would mangle it; base64 keeps it intact
                body, is_base64 = base64.b64encode(call.body).decode(), True

    resource_path = call.resource.get_path()
    now = datetime.fromtimestamp(call.started, tz=UTC)
    request_context: dict[str, Any] = {
        "resourceId": call.resource.id,
        "resourcePath": resource_path,
        "httpMethod": request.method,
        "extendedRequestId": call.extended_request_id,
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "path": f"/{call.target.stage}{call.target.path if call.target.path != '/' else '/'}",
        "accountId": call.backend.account_id,
        "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
        "stage": call.target.stage,
        "domainPrefix": call.target.domain_name.split(".", 1)[0],
        "requestTimeEpoch": int(call.started * 1000),
        "requestId": call.request_id,
        "identity": {
            "cognitoIdentityPoolId": None,
            "accountId": None,
            "cognitoIdentityId": None,
            "caller": None,
            "sourceIp": request.remote_addr or "127.0.0.1",
            "principalOrgId": None,
            "accessKey": None,
            "cognitoAuthenticationType": None,
            "cognitoAuthenticationProvider": None,
            "userArn": None,
            "userAgent": request.headers.get("User-Agent"),
            "user": None,
        },
        "domainName": call.target.domain_name,
        "apiId": call.target.api_id,
    }
    api_key = request.headers.get("x-api-key")
    if api_key:
        request_context["identity"]["apiKey"] = api_key
    assert call.stage is not None
    return {
        "resource": resource_path,
        "path": call.target.path,
        "httpMethod": request.method,
        "headers": headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(call.path_parameters) or None,
        "stageVariables": dict(call.stage.variables) or None,
        "requestContext": request_context,
        "body": body,
        "isBase64Encoded": is_base64,
    }


# -- integrations -----------------------------------------------------------------------------------------
def _function_from_uri(uri: str, call: Call) -> str | None:
    variables = call.stage.variables if call.stage is not None else {}
    uri = _STAGE_VAR_RE.sub(lambda m: str(variables.get(m.group(1), "")), uri)
    match = _LAMBDA_URI_RE.search(uri)
    return match["function"] if match else None


def _json_or_none(payload: bytes) -> Any:
    try:
        return json.loads(payload or b"null")
    except ValueError:
        return None


def _invoke(function: str, event: dict[str, Any]) -> lambda_runner.InvokeResult:
    account, region = DEFAULT_ACCOUNT, DEFAULT_REGION
    if function.startswith("arn:"):
        parts = function.split(":")
        region, account = parts[3], parts[4]
    return lambda_runner.invoke(function, json.dumps(event).encode(), account_id=account, region=region)


def aws_proxy(call: Call, event: dict[str, Any]) -> Response:
    assert call.method is not None and call.method.method_integration is not None
    function = _function_from_uri(call.method.method_integration.uri or "", call)
    if function is None:
        log.warning("AWS_PROXY integration without a Lambda URI: %r", call.method.method_integration.uri)
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500)
    try:
        outcome = _invoke(function, event)
    except Exception:
        log.exception("invoking %s for %s %s failed", function, call.request.method, call.target.path)
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500) from None
    if outcome.function_error:
        log.info("%s returned a function error: %s", function, outcome.payload[:500])
        raise GatewayError("DEFAULT_5XX", "Internal server error", 502)
    result = _json_or_none(outcome.payload)
    response = _proxy_response(result, call)
    if response is None:
        log.warning("Malformed Lambda proxy response from %s: %s", function, outcome.payload[:500])
        raise GatewayError("DEFAULT_5XX", "Internal server error", 502)
    return response


def _proxy_response(result: Any, call: Call) -> Response | None:
    if not isinstance(result, dict) or set(result) - _PROXY_RESPONSE_KEYS:
        return None
    try:
        status = int(result.get("statusCode", 200))
    except (TypeError, ValueError):
        return None
    body = result.get("body")
    if body is not None and not isinstance(body, str):
        return None
    headers = result.get("headers") or {}
    multi_headers = result.get("multiValueHeaders") or {}
    if not isinstance(headers, dict) or not isinstance(multi_headers, dict):
        return None
    data: bytes = (body or "").encode()
    if result.get("isBase64Encoded") and body:
        # API Gateway returns binary only when the client's Accept matches binaryMediaTypes;
        # otherwise the client gets the base64 text, exactly as on AWS.
        assert call.api is not None
        if _media_matches(call.request.headers.get("Accept", "").split(",")[0], call.api.binaryMediaTypes):
            try:
                data = base64.b64decode(body)
            except ValueError:
                return None
    response = Response(data, status=status)
    response.headers.remove("Content-Type")
    merged: dict[str, list[str]] = {k: [str(v)] for k, v in headers.items()}
    for name, values in multi_headers.items():
        merged[name] = [str(v) for v in _as_list(values)]
    for name, values in merged.items():
        for value in values:
            response.headers.add(name, value)
    if "content-type" not in {k.lower() for k in merged}:
        response.headers["Content-Type"] = "application/json"
    return response


def mock(call: Call) -> Response:
    """MOCK: the request template picks the status; the matching integration response shapes the reply."""
    assert call.method is not None and call.method.method_integration is not None
    integration = call.method.method_integration
    status = "200"
    template = (integration.request_templates or {}).get("application/json")
    if template:
        found = re.search(r'"statusCode"\s*:\s*"?(\d{3})', template)
        if found:
            status = found.group(1)
    responses = integration.integration_responses or {}
    chosen = None
    for candidate in responses.values():
        pattern = candidate.selection_pattern
        if pattern and re.fullmatch(pattern, status):
            chosen = candidate
            break
    if chosen is None:
        chosen = next((r for r in responses.values() if not r.selection_pattern), None)
    if chosen is None:
        log.warning("MOCK integration on %s %s has no integration response", call.request.method, call.target.path)
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500)
    body = (chosen.response_templates or {}).get("application/json") or ""
    response = Response(body, status=int(chosen.status_code), mimetype="application/json")
    for name, expression in (chosen.response_parameters or {}).items():
        if name.startswith("method.response.header."):
            value = _parameter_value(expression, call)
            if value is not None:
                response.headers[name.removeprefix("method.response.header.")] = value
    return response


# -- the pipeline ---------------------------------------------------------------------------------------
def _backend_for(api_id: str) -> tuple[APIGatewayBackend, RestAPI] | None:
    from moto.apigateway.models import apigateway_backends

    for regions in apigateway_backends.values():
        for be in regions.values():
            if api_id in be.apis:
                return be, be.apis[api_id]
    return None


def _check_api_key(call: Call) -> None:
    key_value = call.request.headers.get("x-api-key")
    keys = [k for k in call.backend.keys.values() if k.value == key_value and k.enabled] if key_value else []
    for key in keys:
        for plan_id, plan_keys in call.backend.usage_plan_keys.items():
            plan = call.backend.usage_plans.get(plan_id)
            if (
                key.id in plan_keys
                and plan is not None
                and any(
                    s.get("apiId") == call.target.api_id and s.get("stage") == call.target.stage
                    for s in plan.api_stages
                )
            ):
                return
    raise GatewayError("INVALID_API_KEY", "Forbidden")


def handle(request: Request) -> Response:
    target = parse_target(request)
    assert target is not None
    found = _backend_for(target.api_id)
    if found is None:
        response = Response(
            json.dumps({"message": f"The API id '{target.api_id}' does not correspond to a deployed API Gateway API"}),
            status=404,
            mimetype="application/json",
        )
        response.headers["x-amzn-ErrorType"] = "NotFoundException"
        return response
    backend, api = found
    call = Call(request=request, target=target, backend=backend, api=api)
    try:
        return _serve(call)
    except GatewayError as error:
        return gateway_response(call, error)


def _serve(call: Call) -> Response:
    assert call.api is not None
    stage = call.api.stages.get(call.target.stage or "")
    if stage is None:
        # AWS answers an unknown stage (or a path without one) with a plain 403.
        raise GatewayError("DEFAULT_4XX", "Forbidden", 403)
    call.stage = stage
    matched = match_resource(call.api, call.target.path, call.request.method)
    if matched is None:
        raise GatewayError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
    call.resource, call.method, call.path_parameters = matched
    call.body = call.request.get_data()
    check_throttle(call)
    if call.method.api_key_required:
        _check_api_key(call)
    event = build_proxy_event(call)
    authorization = (call.method.authorization_type or "NONE").upper()
    if authorization in ("CUSTOM", "COGNITO_USER_POOLS"):
        authorizer = call.api.authorizers.get(call.method.authorizer_id or "")
        if authorizer is None or (authorizer.type or "").upper() == "COGNITO_USER_POOLS":
            log.warning("method %s %s: authorizer %r is not a Lambda authorizer", call.request.method,
                        call.resource.get_path(), call.method.authorizer_id)  # fmt: skip
            raise GatewayError("AUTHORIZER_CONFIGURATION_ERROR", None)
        call.authorizer_context = authorize(call, authorizer, event)
        event["requestContext"]["authorizer"] = call.authorizer_context
    integration = call.method.method_integration
    if integration is None:
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500)
    kind = (integration.integration_type or "").upper()
    if kind == "AWS_PROXY":
        response = aws_proxy(call, event)
    elif kind == "MOCK":
        response = mock(call)
    else:
        log.warning("integration type %s is not supported by the local cloud (use AWS_PROXY or MOCK)", kind)
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500)
    _add_ids(response, call)
    return response


def install(cloud: LocalCloud) -> None:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    replace(MotoRequestHandler, "make_environ", _make_environ)
    cloud.add_route("execute-api", lambda request: parse_target(request) is not None, handle)
