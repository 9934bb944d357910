"""What both mocks share, on werkzeug: routing by `Rule`, JSON errors, idempotency keys, faults, CORS.

A mock is a `MockService` subclass: werkzeug `Rule`s (`RULES`) whose endpoints name its view methods;
a view takes the request and the rule's values (`def get_payment(self, request, id)`) and returns a
werkzeug Response (`json_response`) or raises `ApiError`. `IDEMPOTENCY` names the endpoints that take an
Idempotency-Key ("required" or "optional"; the others ignore the header). The base adds `/health`,
`/openapi.json`, `/_fault` and `/_reset`; faults apply to the subclass's (business) rules only. All
state is in memory and every view runs under one lock, so a replayed key can never race its first
request. Serving it, in this process or from the command line: server.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from mocks.errors import ApiError, invalid, json_response, read_body
from mocks.faults import FaultInjector, Faults

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key, Authorization",
    "Access-Control-Expose-Headers": "Idempotent-Replayed",
}
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REQUEST_LOG_SIZE = 100_000  # requests kept in memory for in-process tests (the newest)

Idempotency = Literal["required", "optional"]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class MockRequest(Request):
    """A werkzeug Request, with the JSON object it carries and its idempotency key once they are checked."""

    body: dict[str, Any]
    idempotency_key: str | None


View = Callable[..., Response]

# The operations routes every mock serves; faults never apply to them.
OPERATIONS = (
    Rule("/health", methods=["GET"], endpoint="ops_health"),
    Rule("/openapi.json", methods=["GET"], endpoint="ops_openapi"),
    Rule("/_fault", methods=["GET"], endpoint="ops_get_faults"),
    Rule("/_fault", methods=["POST"], endpoint="ops_set_faults"),
    Rule("/_reset", methods=["POST"], endpoint="ops_reset"),
)


@dataclass(frozen=True)
class _Stored:
    fingerprint: str
    status: int
    data: bytes  # the answer as it was sent, so a replay shows the state of that moment


class MockService:
    """Base WSGI app of a mock; subclasses set the class attributes and implement `reset_state`."""

    name: ClassVar[str]  # "payment": the env prefix (PAYMENT_ERROR_RATE) and the module name
    title: ClassVar[str]  # "Payment System": used in messages
    default_port: ClassVar[int]
    RULES: ClassVar[tuple[Rule, ...]]  # the business routes, endpoints naming view methods
    IDEMPOTENCY: ClassVar[Mapping[str, Idempotency]] = {}

    def __init__(self, faults: Faults | None = None, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self.faults = FaultInjector(self.title, faults or Faults(), seed)
        self._idempotency: dict[str, _Stored] = {}
        # Every business request as received, faulted or replayed ones included: (method, path, Idempotency-Key).
        # An in-process test reads it to count calls, which the ledger (one entry per effect) cannot show; bounded,
        # so a mock left running for days does not grow without end.
        self.requests: deque[tuple[str, str, str]] = deque(maxlen=REQUEST_LOG_SIZE)
        # A Rule belongs to one Map: each service gets unbound copies.
        self._map = Map([rule.empty() for rule in (*OPERATIONS, *self.RULES)], strict_slashes=False)
        self.reset_state()

    def reset_state(self) -> None:
        raise NotImplementedError

    @property
    def openapi_file(self) -> Path:
        """The service's OpenAPI document, committed next to it: mocks/<name>.openapi.json."""
        return Path(__file__).with_name(f"{self.name}.openapi.json")

    def routes(self) -> list[tuple[str, str]]:
        """(method, OpenAPI path) of every route served; the tests compare it with the OpenAPI document."""
        return [
            (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
            for rule in self._map.iter_rules()
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        ]

    # operations routes
    def ops_health(self, request: MockRequest) -> Response:
        return json_response(200, {"status": "ok"})

    def ops_openapi(self, request: MockRequest) -> Response:
        return json_response(200, json.loads(self.openapi_file.read_text()))

    def ops_get_faults(self, request: MockRequest) -> Response:
        return json_response(200, asdict(self.faults.snapshot()))

    def ops_set_faults(self, request: MockRequest) -> Response:
        return json_response(200, asdict(self.faults.update(request.body)))

    def ops_reset(self, request: MockRequest) -> Response:
        self._idempotency.clear()
        self.requests.clear()
        self.faults.reset()
        self.reset_state()
        return json_response(200, {"status": "reset"})

    # request handling
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        request = MockRequest(environ)
        response, note = self._dispatch(request)
        response.headers.update(CORS_HEADERS)
        elapsed_ms = (time.monotonic() - started) * 1000
        # Access log to stdout (make up sends it to .localcloud/<name>.log). Never log bodies: card numbers.
        sys.stdout.write(
            f"{now_iso()} {request.remote_addr} {request.method} {request.full_path.rstrip('?')} "
            f"{response.status_code} {elapsed_ms:.0f}ms{note}\n"
        )
        sys.stdout.flush()
        return response(environ, start_response)

    def _dispatch(self, request: MockRequest) -> tuple[Response, str]:
        if request.method == "OPTIONS":
            return self._preflight(request), ""
        adapter = self._map.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
        except NotFound:
            return self._not_found(request), ""
        except MethodNotAllowed as exc:
            allowed = sorted(set(exc.valid_methods or []) - {"HEAD"})
            error = ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.path}")
            response = error.get_response()
            response.headers["Allow"] = ", ".join(allowed)
            return response, ""
        except HTTPException as exc:  # e.g. a malformed URL
            return ApiError(exc.code or 400, "invalid_request", exc.description or "bad request").get_response(), ""
        try:
            response, replayed = self._handle(str(endpoint), request, {k: str(v) for k, v in values.items()})
        except ApiError as exc:
            response, replayed = exc.get_response(), False
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return response, " (idempotent replay)" if replayed else ""

    def _handle(self, endpoint: str, request: MockRequest, values: dict[str, str]) -> tuple[Response, bool]:
        business = not endpoint.startswith("ops_")
        if business:
            with self.lock:
                self.requests.append((request.method, request.path, request.headers.get(IDEMPOTENCY_HEADER) or ""))
            self.faults.apply()  # before anything else, so a failed request changes nothing
        request.body = read_body(request) if request.method == "POST" else {}
        policy = self.IDEMPOTENCY.get(endpoint) if business else None
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if policy is None:
            key = None
        elif key is None or not key.strip():
            if policy == "required":
                raise invalid(IDEMPOTENCY_HEADER, f"the {IDEMPOTENCY_HEADER} header is required on this request")
            key = None
        elif len(key) > MAX_KEY_LENGTH:
            raise invalid(IDEMPOTENCY_HEADER, f"the {IDEMPOTENCY_HEADER} header must be at most 255 characters")
        request.idempotency_key = key
        view: View = getattr(self, endpoint)
        with self.lock:
            if key is None:
                return _run(view, request, values), False
            fingerprint = _fingerprint(request.method, request.path, request.body)
            stored = self._idempotency.get(key)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    raise ApiError(
                        422,
                        "idempotency_key_reused",
                        f"{IDEMPOTENCY_HEADER} '{key}' was already used with a different request; "
                        "use a new key for a new request",
                        field=IDEMPOTENCY_HEADER,
                    )
                return Response(stored.data, status=stored.status, mimetype="application/json"), True
            response = _run(view, request, values)
            # Like Stripe: a request rejected by validation (400) did not run, so its key stays free.
            if response.status_code != 400:
                self._idempotency[key] = _Stored(fingerprint, response.status_code, response.get_data())
            return response, False

    def _not_found(self, request: Request) -> Response:
        return ApiError(404, "not_found", f"no route {request.path}; see GET /openapi.json").get_response()

    def _preflight(self, request: Request) -> Response:
        adapter = self._map.bind_to_environ(request.environ)
        methods = sorted(set(adapter.allowed_methods()) - {"HEAD", "OPTIONS"})
        if not methods:
            return self._not_found(request)
        response = Response(status=204)
        del response.headers["Content-Type"]
        response.headers["Access-Control-Allow-Methods"] = ", ".join([*methods, "OPTIONS"])
        response.headers["Access-Control-Max-Age"] = "600"
        return response


def _run(view: View, request: MockRequest, values: dict[str, str]) -> Response:
    """Runs a view (under the service lock); a refusal it raises is its answer, kept for replay like any."""
    try:
        return view(request, **values)
    except ApiError as exc:
        return exc.get_response()


def _fingerprint(method: str, path: str, body: Mapping[str, Any]) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
