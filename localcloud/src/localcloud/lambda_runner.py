"""Lambda: runs each function's real handler in its own warm worker process.

moto 5.2.5 runs Lambda code only in Docker; without it, Invoke echoes. This layer replaces the one
place moto's invoke paths meet (`LambdaFunction.invoke`: S3/SNS/EventBridge/ESM/Secrets Manager glue)
with a pool of warm worker processes per function (lambda_pool.py), answers the Invoke API itself (a
route, because moto drops the `Qualifier`), and exposes `invoke()` for the other layers (execute-api,
Step Functions, event source mappings, SNS). Both paths end in `invoke_function`.

What a function sees matches AWS's Python runtime: the code extracted to its task root, the handler
`module.function`, the environment AWS sets, boto3 provided by the runtime (never by the zip) and
pointed at the local cloud, the context object, the timeout, and errors and logs in AWS's shape.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from localcloud import config, iam
from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION
from localcloud.lambda_pool import RUNTIME_PACKAGES as RUNTIME_PACKAGES  # re-exported: tests/bench reads it
from localcloud.lambda_pool import FunctionSpec, PoolExhaustedError, Runtime, now_ms
from localcloud.lambda_pool import interpreter_for as interpreter_for  # re-exported: tests/bench reads it
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from moto.awslambda.models import LambdaFunction

    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.lambda")

LOG_TAIL_BYTES = 4096
ASYNC_EVENT_MAX_AGE_S = 6 * 3600.0  # AWS's default MaximumEventAgeInSeconds
THROTTLE_REASON = "ReservedFunctionConcurrentInvocationLimitExceeded"
LIMIT_REASON = "ConcurrentInvocationLimitExceeded"  # AWS's Reason at the account's concurrency limit
MAX_RESPONSE_BYTES = 6291556  # AWS's synchronous response limit, in its own error text
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<function>[^/]+)/invocations/?$")


@dataclass
class InvokeResult:
    status_code: int  # 200 for RequestResponse, 202 for Event, 204 for DryRun
    payload: bytes  # the handler's JSON result, or AWS's error document
    function_error: str | None  # "Unhandled" when the function failed, else None
    log_tail: str  # the invocation's log (what x-amz-log-result carries, base64-decoded)
    executed_version: str = "$LATEST"
    request_id: str = ""
    error_type: str | None = None  # errorType of a failed invocation ("Sandbox.Timedout", "ValueError", ...)


class FunctionNotFoundError(LookupError):
    """The function (or the qualified version) does not exist; the message is AWS's."""


class ThrottledError(RuntimeError):
    """AWS's TooManyRequestsException (429): the reserved concurrency, or the local worker bound (as AWS's
    account concurrency limit), is in use."""

    def __init__(self, message: str, reason: str = THROTTLE_REASON) -> None:
        super().__init__(message)
        self.reason = reason


class InvalidRequestContentError(ValueError):
    """The payload is not JSON; AWS answers InvalidRequestContentException (400)."""


def _header(headers: Any, name: str) -> str | None:
    """A request header by case-insensitive name; moto passes werkzeug headers or a plain dict."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        value = next((v for k, v in headers.items() if str(k).lower() == name.lower()), None)
    return None if value is None else str(value)


def _iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def _get_runtime() -> Runtime:
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = Runtime(config.load())
        return _runtime


# -- one invocation ------------------------------------------------------------------------------


def _error_payload(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": []}


# -- reserved concurrency ---------------------------------------------------------------------------
# Invocations in flight per function (all versions count against the function's reservation, as on AWS).
_in_flight: dict[tuple[str, str, str], int] = {}
_in_flight_lock = threading.Lock()


def _reserved_concurrency(spec: FunctionSpec) -> int | None:
    """PutFunctionConcurrency's value, read from moto's function (its `$LATEST` holds it for every version)."""
    from moto.awslambda.models import lambda_backends

    try:
        value = lambda_backends[spec.account_id][spec.region].get_function(spec.name).reserved_concurrency
    except Exception:  # deleted meanwhile: nothing reserved
        return None
    return None if value in (None, "") else int(value)


@contextlib.contextmanager
def _concurrency_slot(spec: FunctionSpec) -> Iterator[None]:
    key = (spec.account_id, spec.region, spec.name)
    limit = _reserved_concurrency(spec)
    with _in_flight_lock:
        if limit is not None and _in_flight.get(key, 0) >= limit:
            raise ThrottledError("Rate Exceeded.")
        _in_flight[key] = _in_flight.get(key, 0) + 1
    try:
        yield
    finally:
        with _in_flight_lock:
            _in_flight[key] -= 1


def _run(spec: FunctionSpec, payload: str, request_id: str) -> InvokeResult:
    with _concurrency_slot(spec):
        return _run_now(spec, payload, request_id)


def _run_now(spec: FunctionSpec, payload: str, request_id: str) -> InvokeResult:
    runtime = _get_runtime()
    started_ms = now_ms()
    pool = runtime.pool_for(spec)
    try:
        worker = pool.acquire()
    except PoolExhaustedError:
        raise ThrottledError("Rate Exceeded.", LIMIT_REASON) from None
    try:
        outcome = worker.run(request_id, payload)
    finally:
        pool.release(worker)

    lines: list[tuple[int, str]] = [(started_ms, f"START RequestId: {request_id} Version: {spec.version}")]
    lines += outcome.lines
    error: dict[str, Any] | None = outcome.error
    status_note = ""
    if outcome.status == "timeout":
        message = f"Task timed out after {spec.timeout:.2f} seconds"
        lines.append((now_ms(), f"{_iso_now()} {request_id} {message}"))
        error = _error_payload("Sandbox.Timedout", f"RequestId: {request_id} Error: {message}", request_id)
        status_note = "\tStatus: timeout"
    elif outcome.status == "exit":
        reason = outcome.exit_reason
        message = f"Runtime exited with error: {reason}" if reason else "Runtime exited without providing a reason"
        lines.append((now_ms(), f"RequestId: {request_id} Error: {message}\nRuntime.ExitError"))
        error = _error_payload("Runtime.ExitError", f"RequestId: {request_id} Error: {message}", request_id)
        status_note = "\tStatus: error\tError Type: Runtime.ExitError"
    lines.append((now_ms(), f"END RequestId: {request_id}"))
    duration = outcome.duration_ms
    report = (
        f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {math.ceil(duration)} ms\t"
        f"Memory Size: {spec.memory_size} MB\tMax Memory Used: {outcome.max_memory_mb} MB\t"
    )
    if outcome.init_ms is not None:
        report += f"Init Duration: {outcome.init_ms:.2f} ms\t"
    lines.append((now_ms(), report + status_note))
    try:
        runtime.write_logs(spec, worker, lines)
    except Exception:  # logs must never fail the invocation
        log.exception("lambda %s: writing CloudWatch logs failed", spec.name)

    text = "\n".join(line for _, line in lines) + "\n"
    tail = text.encode()[-LOG_TAIL_BYTES:].decode("utf-8", "ignore")
    if error is not None:
        return InvokeResult(
            200, json.dumps(error).encode(), "Unhandled", tail, spec.version, request_id, str(error.get("errorType"))
        )
    return InvokeResult(200, outcome.result.encode(), None, tail, spec.version, request_id)


def _run_in_background(spec: FunctionSpec, payload: str, request_id: str) -> None:
    # AWS keeps a throttled asynchronous event in its queue and retries it (for up to 6 hours).
    delay, give_up = 1.0, time.monotonic() + ASYNC_EVENT_MAX_AGE_S
    try:
        while True:
            try:
                result = _run(spec, payload, request_id)
                break
            except ThrottledError:
                if time.monotonic() > give_up:
                    log.warning("lambda %s: asynchronous event %s dropped after throttling", spec.name, request_id)
                    return
                time.sleep(delay)
                delay = min(delay * 2, 60.0)
    except Exception:
        log.exception("lambda %s: asynchronous invocation failed", spec.name)
        return
    if result.function_error:
        log.info("lambda %s: asynchronous invocation %s failed: %s", spec.name, result.request_id, result.error_type)


def invoke_function(fn: LambdaFunction, payload: bytes, invocation_type: str = "RequestResponse") -> InvokeResult:
    """Invoke a moto function object (a `$LATEST` or a published version) the way the Lambda service would."""
    spec = FunctionSpec.from_moto(fn)
    text = payload.decode("utf-8") if payload else "{}"
    if not text.strip():
        text = "{}"
    try:
        json.loads(text)
    except ValueError as e:
        raise InvalidRequestContentError(f"Could not parse request body into json: {e}") from None
    request_id = str(uuid.uuid4())
    if invocation_type == "DryRun":
        return InvokeResult(204, b"", None, "", spec.version, request_id)
    if not re.fullmatch(r"python\d+\.\d+", spec.runtime):
        message = f"The local cloud runs Python functions only; {spec.name} has runtime {spec.runtime!r}."
        body = json.dumps(_error_payload("Runtime.InvalidRuntime", message, request_id)).encode()
        return InvokeResult(200, body, "Unhandled", "", spec.version, request_id, "Runtime.InvalidRuntime")
    if invocation_type == "Event":
        threading.Thread(
            target=_run_in_background, args=(spec, text, request_id), name=f"lambda-event-{spec.name}"
        ).start()
        return InvokeResult(202, b"", None, "", spec.version, request_id)
    result = _run(spec, text, request_id)
    if len(result.payload) > MAX_RESPONSE_BYTES:
        message = f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes)."
        error = _error_payload("Function.ResponseSizeTooLarge", message, request_id)
        return InvokeResult(
            200, json.dumps(error).encode(), "Unhandled", result.log_tail, spec.version, request_id, error["errorType"]
        )
    return result


def invoke(
    function: str,
    payload: bytes,
    *,
    invocation_type: str = "RequestResponse",
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
    qualifier: str | None = None,
) -> InvokeResult:
    """Invoke a function by name or ARN, the way the Lambda service would.

    Raises FunctionNotFoundError for an unknown function and InvalidRequestContentError for a payload
    that is not JSON (AWS's ResourceNotFoundException / InvalidRequestContentException).
    """
    from moto.awslambda.exceptions import UnknownFunctionException
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[account_id][region]
    try:
        fn = backend.get_function(function, qualifier)
    except UnknownFunctionException as e:
        unqualified = not qualifier and function.count(":") in (0, 6)  # a name or a function ARN without version
        raise FunctionNotFoundError(e.message + (":$LATEST" if unqualified else "")) from None
    except Exception as e:  # moto raises plain ValueErrors for malformed ARNs and qualifiers
        raise FunctionNotFoundError(f"Function not found: {function}" + (f":{qualifier}" if qualifier else "")) from e
    return invoke_function(fn, payload, invocation_type)


# -- moto hook -------------------------------------------------------------------------------------


def _moto_invoke(self: LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> bytes:
    """Replaces LambdaFunction.invoke: the Invoke API and moto's own service glue land here."""
    from moto.awslambda.exceptions import LambdaClientError

    invocation_type = _header(request_headers, "X-Amz-Invocation-Type") or "RequestResponse"
    payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    try:
        result = invoke_function(self, payload, invocation_type)
    except InvalidRequestContentError as e:
        raise LambdaClientError("InvalidRequestContentException", str(e)) from None
    except ThrottledError as e:
        throttled = LambdaClientError("TooManyRequestsException", str(e))
        throttled.code = 429
        raise throttled from None
    response_headers["x-amz-executed-version"] = result.executed_version
    if result.function_error:
        response_headers["x-amz-function-error"] = result.function_error
    if invocation_type == "RequestResponse" and (_header(request_headers, "X-Amz-Log-Type") or "") == "Tail":
        response_headers["x-amz-log-result"] = base64.b64encode(result.log_tail.encode()).decode()
    return result.payload


def _update_from_cloudformation_json(
    cls: type[LambdaFunction],
    original_resource: LambdaFunction,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> LambdaFunction:
    """A stack update with inline `Code.ZipFile` must zip the source as index.py, as create does.

    moto 5.2.5 zips the plain-text ZipFile only on create; on update it base64-decodes the Python
    source and the stack fails with "Incorrect padding".
    """
    from moto.awslambda.models import LambdaFunction

    code = cloudformation_json.get("Properties", {}).get("Code", {})
    if isinstance(code.get("ZipFile"), str):  # template text; create leaves base64 bytes behind
        code["ZipFile"] = base64.b64encode(LambdaFunction._create_zipfile_from_plaintext_code(code["ZipFile"]))
    moto_update = original(LambdaFunction, "update_from_cloudformation_json").__func__
    return moto_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)


def _aws_error(status: int, code: str, message: str, **extra: str) -> Response:
    body = json.dumps({"Type": "User", "message": message, **extra})
    # AWS answers every request with a request id; SDKs and Step Functions' error causes read it.
    headers = {"x-amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())}
    return Response(body, status=status, headers=headers, mimetype="application/json")


def _handle_invoke_api(request: Request) -> Response:
    """The Invoke API (boto3, awslocal). moto 5.2.5 reads `qualifier` in lower case and so ignores
    the `Qualifier` boto3 sends; here versions and aliases resolve, and x-amzn-RequestId is the
    invocation's request id, as on AWS."""
    match = INVOKE_PATH.match(request.path)
    assert match is not None
    credential = re.search(r"Credential=[^/]+/\d+/([^/]+)/", request.headers.get("Authorization", ""))
    region = credential[1] if credential else DEFAULT_REGION
    account_id = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)
    invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
    if invocation_type not in ("RequestResponse", "Event", "DryRun"):
        return _aws_error(
            400,
            "InvalidParameterValueException",
            f"1 validation error detected: Value '{invocation_type}' at 'invocationType' failed to satisfy "
            "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
        )
    # A caller with a role's credentials (a state machine task, a schedule, a function) needs
    # lambda:InvokeFunction on the function (iam.py); moto's own authorization hook never sees this route.
    params = {"FunctionName": unquote(match["function"]), "Qualifier": request.args.get("Qualifier")}
    refusal = iam.check_request(request, "lambda", "Invoke", params, account_id)
    if refusal is not None:
        return _aws_error(refusal.status, refusal.code, refusal.message)
    try:
        result = invoke(
            unquote(match["function"]),
            request.get_data(),
            invocation_type=invocation_type,
            account_id=account_id,
            region=region,
            qualifier=request.args.get("Qualifier"),
        )
    except FunctionNotFoundError as e:
        return _aws_error(404, "ResourceNotFoundException", str(e))
    except InvalidRequestContentError as e:
        return _aws_error(400, "InvalidRequestContentException", str(e))
    except ThrottledError as e:
        return _aws_error(429, "TooManyRequestsException", str(e), Reason=e.reason)
    headers = {"X-Amz-Executed-Version": result.executed_version, "x-amzn-RequestId": result.request_id}
    if result.function_error:
        headers["X-Amz-Function-Error"] = result.function_error
    if invocation_type == "RequestResponse" and request.headers.get("X-Amz-Log-Type") == "Tail":
        headers["X-Amz-Log-Result"] = base64.b64encode(result.log_tail.encode()).decode()
    return Response(result.payload, status=result.status_code, headers=headers, mimetype="application/json")


def install(cloud: LocalCloud) -> None:
    """Route every invoke (API and moto's own glue) to the worker pools; stop the workers with the cloud."""
    global _runtime
    from moto.awslambda.models import LambdaFunction

    with _runtime_lock:
        _runtime = Runtime(cloud.settings)
    runtime = _runtime
    replace(LambdaFunction, "invoke", _moto_invoke)
    replace(LambdaFunction, "update_from_cloudformation_json", classmethod(_update_from_cloudformation_json))
    cloud.add_route(
        "lambda invoke", lambda r: r.method == "POST" and INVOKE_PATH.match(r.path) is not None, _handle_invoke_api
    )
    cloud.add_service("lambda workers", runtime.start, runtime.stop)
