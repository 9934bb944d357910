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
What one request addresses and the gateway responses its errors become: execute_api_call.py; the
Lambda authorizers: execute_api_authorizers.py.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import logging
import re
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

from localcloud.execute_api_authorizers import authorize
from localcloud.execute_api_call import (
    Call,
    GatewayError,
    add_ids,
    as_list,
    function_from_uri,
    gateway_response,
    invoke_lambda,
    json_or_none,
    parameter_value,
    parse_target,
    trace_id,
)
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from moto.apigateway.models import APIGatewayBackend, Method, Resource, RestAPI
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.execute_api")
_run_authorizers = True  # Profile.lambda_authorizers, set by install()
_throttle = True  # Profile.api_throttling, set by install()

_PROXY_RESPONSE_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"}


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
        "X-Amzn-Trace-Id": trace_id(call),
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
def aws_proxy(call: Call, event: dict[str, Any]) -> Response:
    assert call.method is not None and call.method.method_integration is not None
    function = function_from_uri(call.method.method_integration.uri or "", call)
    if function is None:
        log.warning("AWS_PROXY integration without a Lambda URI: %r", call.method.method_integration.uri)
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500)
    try:
        outcome = invoke_lambda(function, event)
    except Exception:
        log.exception("invoking %s for %s %s failed", function, call.request.method, call.target.path)
        raise GatewayError("DEFAULT_5XX", "Internal server error", 500) from None
    if outcome.function_error:
        log.info("%s returned a function error: %s", function, outcome.payload[:500])
        raise GatewayError("DEFAULT_5XX", "Internal server error", 502)
    result = json_or_none(outcome.payload)
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
        merged[name] = [str(v) for v in as_list(values)]
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
            value = parameter_value(expression, call)
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
    if _throttle:
        check_throttle(call)
    if call.method.api_key_required:
        _check_api_key(call)
    event = build_proxy_event(call)
    authorization = (call.method.authorization_type or "NONE").upper()
    # Without Lambda authorizers (LOCALCLOUD_PROFILE=localstack-community) the request goes on to the
    # integration unchecked and without requestContext.authorizer, as LocalStack community's chain does.
    if authorization in ("CUSTOM", "COGNITO_USER_POOLS") and _run_authorizers:
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
    add_ids(response, call)
    return response


def install(cloud: LocalCloud) -> None:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    global _run_authorizers, _throttle
    _run_authorizers = cloud.settings.profile.lambda_authorizers
    _throttle = cloud.settings.profile.api_throttling

    replace(MotoRequestHandler, "make_environ", _make_environ)
    # API Gateway answers pages on any origin with the CORS its template defines (OPTIONS methods, gateway responses).
    cloud.add_route("execute-api", lambda request: parse_target(request) is not None, handle, any_origin=True)
