"""API Gateway's TestInvokeMethod (the console's "Test" button), which moto 5.2.5 does not implement.

It runs one method of a REST API (the resource's ANY method for a method it lacks) without a deployment or
stage and answers the status, body, headers, latency and the execution log, line by line as AWS writes it. The
local cloud runs MOCK integrations here: the request template's `statusCode` picks the integration response
(its selection pattern, else the default one), whose template is rendered with `$input.params('name')` (path,
then query string, then header). The path parameters come from `pathWithQueryString` when it matches the
resource's path, else from the resource's path itself (`{petId}` reads `{petId}`, as on AWS). An HTTP
integration whose endpoint still holds an unresolved `${stageVariables...}` fails as AWS fails it ("Invalid
endpoint address"); the other integration types fail with a log line that says the local cloud does not run
them here.

Registered with apigateway_requests (the route).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

from localcloud.apigateway_requests import Call, handles, not_found

INPUT_PARAM = re.compile(r"\$input\.params\(\s*'([^']*)'\s*\)")


def _stamp() -> str:
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime()) + " : "


def _shown_map(values: dict[str, Any]) -> str:
    """A map as the execution log writes it: `{a=b, c=d}`."""
    return "{" + ", ".join(f"{k}={v}" for k, v in values.items()) + "}"


def _path_parameters(template: str, path: str) -> dict[str, str] | None:
    """The path parameters of `path` against the resource's `template` (`/pets/{petId}`), or None."""
    names: list[str] = []

    def variable(match: re.Match[str]) -> str:
        names.append(match.group(1).rstrip("+"))
        return "(.+)" if match.group(1).endswith("+") else "([^/]+)"

    pattern = re.sub(r"\\\{([^}]+)\\\}", variable, re.escape(template))
    found = re.fullmatch(pattern, path)
    return dict(zip(names, found.groups(), strict=True)) if found else None


def _mock(integration: Any, params: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    status = "200"
    found = re.search(
        r'"statusCode"\s*:\s*"?(\d{3})', (integration.request_templates or {}).get("application/json", "")
    )
    if found:
        status = found.group(1)
    responses = list((integration.integration_responses or {}).values())
    chosen = next((r for r in responses if r.selection_pattern and re.fullmatch(r.selection_pattern, status)), None)
    chosen = chosen or next((r for r in responses if not r.selection_pattern), None)
    if chosen is None:
        raise LookupError("No integration response defined for the integration's status")
    template = (chosen.response_templates or {}).get("application/json") or ""
    body = INPUT_PARAM.sub(lambda m: params.get(m.group(1), ""), template)
    return int(chosen.status_code), body, {"Content-Type": "application/json"}


@handles("TestInvokeMethod")
def test_invoke_method(call: Call) -> dict[str, Any]:
    started = time.time()
    p = call.params
    resource = call.resource()
    method = resource.resource_methods.get(p["httpMethod"]) or resource.resource_methods.get("ANY")
    if method is None:
        raise not_found("Invalid Method identifier specified")
    template = resource.get_path()
    path, _, query = str(p.get("pathWithQueryString") or template).partition("?")
    path_parameters = _path_parameters(template, path) or {}
    query_parameters = dict(parse_qsl(query, keep_blank_values=True))
    headers = dict(p.get("headers") or {})
    body = str(p.get("body") or "")
    request_id = str(uuid.uuid4())
    log = [
        f"Execution log for request {request_id}",
        f"{_stamp()}Starting execution for request: {request_id}",
        f"{_stamp()}HTTP Method: {p['httpMethod']}, Resource Path: {path}",
        f"{_stamp()}Method request path: {_shown_map(path_parameters)}",
        f"{_stamp()}Method request query string: {_shown_map(query_parameters)}",
        f"{_stamp()}Method request headers: {_shown_map(headers)}",
        f"{_stamp()}Method request body before transformations: {body}",
    ]
    integration = method.method_integration
    kind = (integration.integration_type or "").upper() if integration is not None else ""
    failure = None
    status, response_body = 500, ""
    response_headers: dict[str, str] = {}
    if kind == "MOCK":
        try:
            status, response_body, response_headers = _mock(
                integration, {**headers, **query_parameters, **path_parameters}
            )
        except LookupError as error:
            failure = f"Execution failed due to configuration error: {error}"
    elif kind in ("HTTP", "HTTP_PROXY") and "${stageVariables." in str(integration.uri):
        failure = "Execution failed due to configuration error: Invalid endpoint address"
    else:
        failure = f"Execution failed: the local cloud runs {kind or 'no'} integrations through the stage's URL only"
    if failure is None:
        log += [
            f"{_stamp()}Method response body after transformations: {response_body}",
            f"{_stamp()}Method response headers: {_shown_map(response_headers)}",
            f"{_stamp()}Successfully completed execution",
        ]
    else:
        status, response_body = 500, json.dumps({"message": "Internal server error"})
        response_headers = {"x-amzn-ErrorType": "InternalServerErrorException"}
        log.append(f"{_stamp()}{failure}")
    log += [f"{_stamp()}Method completed with status: {status}", ""]
    return {
        "status": status,
        "body": response_body,
        "headers": response_headers,
        "multiValueHeaders": {k: [v] for k, v in response_headers.items()},
        "log": "\n".join(log),
        "latency": int((time.time() - started) * 1000),
    }
