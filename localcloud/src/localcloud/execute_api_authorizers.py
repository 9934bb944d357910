"""API Gateway Lambda authorizers (TOKEN and REQUEST): identity sources, result caching, policy evaluation.

An authorizer runs before the integration (execute_api.py's pipeline): a missing identity is 401, an
authorizer that answers "Unauthorized" is 401, an invalid result or a failed function is 500 like AWS's
AuthorizerConfigurationException / AuthorizerFailure, and the returned policy decides 403 or on. Results
are cached per API, authorizer and identity for AuthorizerResultTtlInSeconds. The context the
authorizer returns becomes `requestContext.authorizer` (values as strings, as on AWS).
"""

from __future__ import annotations

import fnmatch
import logging
import re
import threading
import time
from typing import TYPE_CHECKING, Any

from localcloud.execute_api_call import Call, GatewayError, as_list, function_from_uri, invoke_lambda, json_or_none

if TYPE_CHECKING:
    from moto.apigateway.models import Authorizer

log = logging.getLogger("localcloud.execute_api")

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
    function = function_from_uri(authorizer.authorizer_uri or "", call)
    if function is None:
        log.warning("authorizer %s has no Lambda URI: %r", authorizer.id, authorizer.authorizer_uri)
        raise GatewayError("AUTHORIZER_CONFIGURATION_ERROR", None)
    try:
        outcome = invoke_lambda(function, event)
    except Exception:
        log.exception("authorizer %s: invoking %s failed", authorizer.id, function)
        raise GatewayError("AUTHORIZER_FAILURE", None) from None
    payload = json_or_none(outcome.payload)
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


def evaluate_policy(policy: dict[str, Any], arn: str) -> str:
    """ALLOW, DENY (explicit) or NONE for an execute-api:Invoke on `arn`; explicit deny wins."""
    allowed = False
    for statement in as_list(policy.get("Statement") or []):
        if not isinstance(statement, dict):
            continue
        actions = [str(a).lower() for a in as_list(statement.get("Action", []))]
        if not any(fnmatch.fnmatchcase("execute-api:invoke", a) for a in actions):
            continue
        if not any(fnmatch.fnmatchcase(arn, str(r)) for r in as_list(statement.get("Resource", []))):
            continue
        effect = str(statement.get("Effect", "")).lower()
        if effect == "deny":
            return "DENY"
        if effect == "allow":
            allowed = True
    return "ALLOW" if allowed else "NONE"
