"""What both mocks share: routing, JSON errors, idempotency keys, fault injection, CORS, the CLI.

A mock is a `MockService` subclass that registers its business routes; the base class adds
`/health`, `/openapi.json`, `/_fault` and `/_reset` and serves it with werkzeug, threaded.
All state is in memory and every handler runs under one lock, so a replayed idempotency key
can never race its first request.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key, Authorization",
    "Access-Control-Expose-Headers": "Idempotent-Replayed",
}
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
MAX_LATENCY_MS = 60_000

Idempotency = Literal["required", "optional", "none"]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    """An error answered as `{"error": {"code", "message", "field"?}}` plus optional top-level extras."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = dict(extra or {})

    def reply(self) -> Reply:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return Reply(self.status, {"error": error, **self.extra})


def invalid(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, field=field)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it: path parameters, the parsed JSON object, the idempotency key."""

    request: Request
    params: dict[str, str]
    body: dict[str, Any]
    idempotency_key: str | None


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI form: /v1/payments/{id}
    handler: Handler
    business: bool  # faults apply only to business routes
    idempotency: Idempotency


# --- input validation: each helper names the offending field in the 400 it raises -----------------


def get_object(data: Mapping[str, Any], key: str, label: str | None = None) -> dict[str, Any]:
    label = label or key
    value = data.get(key)
    if not isinstance(value, dict):
        raise invalid(label, f"'{label}' is required and must be an object")
    return value


def get_str(data: Mapping[str, Any], key: str, label: str | None = None, *, max_length: int = 200) -> str:
    label = label or key
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise invalid(label, f"'{label}' is required and must be a non-empty string")
    if len(value) > max_length:
        raise invalid(label, f"'{label}' must be at most {max_length} characters")
    return value


def get_int(
    data: Mapping[str, Any], key: str, label: str | None = None, *, minimum: int = 1, lenient: bool = False
) -> int:
    """An integer >= minimum; `lenient` also takes a string of digits (HTML forms send those)."""
    label = label or key
    value = data.get(key)
    if lenient and isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid(label, f"'{label}' is required and must be an integer")
    if value < minimum:
        raise invalid(label, f"'{label}' must be at least {minimum}, got {value}")
    return value


# --- fault injection ---------------------------------------------------------------------------------


@dataclass
class Faults:
    error_rate: float = 0.0
    latency_ms: int = 0
    down: bool = False


class FaultInjector:
    """Decides, before a business request does anything, whether it fails; seeded for repeatable runs."""

    def __init__(self, service_title: str, initial: Faults, seed: int | None) -> None:
        self._title = service_title
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 - fault decisions, not secrets
        self.current = Faults(**asdict(initial))

    def snapshot(self) -> Faults:
        with self._lock:
            return Faults(**asdict(self.current))

    def update(self, body: Mapping[str, Any]) -> Faults:
        """Partial update: only the keys present change. Validates everything before changing anything."""
        unknown = sorted(set(body) - {"error_rate", "latency_ms", "down"})
        if unknown:
            raise invalid(unknown[0], f"unknown fault '{unknown[0]}'; use error_rate, latency_ms or down")
        changes: dict[str, Any] = {}
        if "error_rate" in body:
            rate = body["error_rate"]
            if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0.0 <= rate <= 1.0:
                raise invalid("error_rate", "'error_rate' must be a number from 0.0 to 1.0")
            changes["error_rate"] = float(rate)
        if "latency_ms" in body:
            latency = body["latency_ms"]
            if isinstance(latency, bool) or not isinstance(latency, int) or not 0 <= latency <= MAX_LATENCY_MS:
                raise invalid("latency_ms", f"'latency_ms' must be an integer from 0 to {MAX_LATENCY_MS}")
            changes["latency_ms"] = latency
        if "down" in body:
            if not isinstance(body["down"], bool):
                raise invalid("down", "'down' must be true or false")
            changes["down"] = body["down"]
        with self._lock:
            for name, value in changes.items():
                setattr(self.current, name, value)
            return Faults(**asdict(self.current))

    def reset(self) -> None:
        with self._lock:
            self.current = Faults()
            self._random = random.Random(self._seed)  # noqa: S311 - same sequence again after a reset

    def apply(self) -> None:
        """Sleep the configured latency, then raise the injected 503 if this request is to fail."""
        faults = self.snapshot()
        if faults.down:
            raise ApiError(503, "injected_fault", f"the {self._title} is down (fault injection: down=true)")
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        with self._lock:
            fail = faults.error_rate > 0 and self._random.random() < faults.error_rate
        if fail:
            raise ApiError(
                503,
                "injected_fault",
                f"the {self._title} failed this request on purpose (fault injection: error_rate={faults.error_rate})",
            )


# --- the service -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stored:
    fingerprint: str
    reply: Reply


class MockService:
    """Base WSGI app of a mock; subclasses set the class attributes and implement the two hooks."""

    name: ClassVar[str]  # "payment": the env prefix (PAYMENT_ERROR_RATE) and the module name
    title: ClassVar[str]  # "Payment System": used in messages
    default_port: ClassVar[int]
    openapi_file: ClassVar[Path]

    def __init__(self, faults: Faults | None = None, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self.faults = FaultInjector(self.title, faults or Faults(), seed)
        self._idempotency: dict[str, _Stored] = {}
        self._routes: dict[str, Route] = {}
        self.route("GET", "/health", self._health, business=False)
        self.route("GET", "/openapi.json", self._openapi, business=False)
        self.route("GET", "/_fault", self._get_faults, business=False)
        self.route("POST", "/_fault", self._set_faults, business=False)
        self.route("POST", "/_reset", self._reset, business=False)
        self.register_routes()
        self._map = Map(
            [
                Rule(re.sub(r"\{(\w+)\}", r"<\1>", r.path), methods=[r.method], endpoint=endpoint)
                for endpoint, r in self._routes.items()
            ],
            strict_slashes=False,
        )
        self.reset_state()

    # hooks for subclasses
    def register_routes(self) -> None:
        raise NotImplementedError

    def reset_state(self) -> None:
        raise NotImplementedError

    def route(
        self,
        method: str,
        path: str,
        handler: Handler,
        *,
        business: bool = True,
        idempotency: Idempotency = "none",
    ) -> None:
        self._routes[f"{method} {path}"] = Route(method, path, handler, business, idempotency)

    def routes(self) -> list[tuple[str, str]]:
        """(method, OpenAPI path) of every route served; the tests compare it with the OpenAPI document."""
        return [(r.method, r.path) for r in self._routes.values()]

    # built-in routes
    def _health(self, call: Call) -> Reply:
        return Reply(200, {"status": "ok"})

    def _openapi(self, call: Call) -> Reply:
        return Reply(200, json.loads(self.openapi_file.read_text()))

    def _get_faults(self, call: Call) -> Reply:
        return Reply(200, asdict(self.faults.snapshot()))

    def _set_faults(self, call: Call) -> Reply:
        return Reply(200, asdict(self.faults.update(call.body)))

    def _reset(self, call: Call) -> Reply:
        self._idempotency.clear()
        self.faults.reset()
        self.reset_state()
        return Reply(200, {"status": "reset"})

    # request handling
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        request = Request(environ)
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

    def _dispatch(self, request: Request) -> tuple[Response, str]:
        adapter = self._map.bind_to_environ(request.environ)
        if request.method == "OPTIONS":
            return self._preflight(request), ""
        try:
            endpoint, params = adapter.match()
        except NotFound:
            return _json(ApiError(404, "not_found", f"no route {request.path}; see GET /openapi.json").reply()), ""
        except MethodNotAllowed as exc:
            allowed = sorted(set(exc.valid_methods or []) - {"HEAD"})
            error = ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.path}")
            response = _json(error.reply())
            response.headers["Allow"] = ", ".join(allowed)
            return response, ""
        except HTTPException as exc:  # e.g. a malformed URL
            code = exc.code or 400
            return _json(ApiError(code, "invalid_request", exc.description or "bad request").reply()), ""
        route = self._routes[str(endpoint)]
        try:
            reply, replayed = self._handle(route, request, {k: str(v) for k, v in params.items()})
        except ApiError as exc:
            reply, replayed = exc.reply(), False
        response = _json(reply)
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return response, " (idempotent replay)" if replayed else ""

    def _handle(self, route: Route, request: Request, params: dict[str, str]) -> tuple[Reply, bool]:
        if route.business:
            self.faults.apply()  # before anything else, so a failed request changes nothing
        body = _read_body(request) if request.method == "POST" else {}
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if route.idempotency == "none":
            key = None
        elif key is None or not key.strip():
            if route.idempotency == "required":
                raise invalid(IDEMPOTENCY_HEADER, f"the {IDEMPOTENCY_HEADER} header is required on this request")
            key = None
        elif len(key) > MAX_KEY_LENGTH:
            raise invalid(IDEMPOTENCY_HEADER, f"the {IDEMPOTENCY_HEADER} header must be at most 255 characters")
        call = Call(request, params, body, key)
        with self.lock:
            if key is None:
                return _run(route, call), False
            fingerprint = _fingerprint(request.method, request.path, body)
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
                return stored.reply, True
            reply = _run(route, call)
            # Like Stripe: a request rejected by validation (400) did not run, so its key stays free.
            if reply.status != 400:
                self._idempotency[key] = _Stored(fingerprint, reply)
            return reply, False

    def _preflight(self, request: Request) -> Response:
        adapter = self._map.bind_to_environ(request.environ)
        methods = sorted(set(adapter.allowed_methods()) - {"HEAD", "OPTIONS"})
        if not methods:
            return _json(ApiError(404, "not_found", f"no route {request.path}; see GET /openapi.json").reply())
        response = Response(status=204)
        del response.headers["Content-Type"]
        response.headers["Access-Control-Allow-Methods"] = ", ".join([*methods, "OPTIONS"])
        response.headers["Access-Control-Max-Age"] = "600"
        return response


def _run(route: Route, call: Call) -> Reply:
    """Runs a handler (under the service lock) and returns a deep copy of its reply, so later operations
    cannot change a reply that is being sent or kept for replay."""
    try:
        reply = route.handler(call)
    except ApiError as exc:
        reply = exc.reply()
    return Reply(reply.status, json.loads(json.dumps(reply.body)))


def _json(reply: Reply) -> Response:
    return Response(json.dumps(reply.body) + "\n", status=reply.status, mimetype="application/json")


def _read_body(request: Request) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}  # action endpoints (capture, void, refund) need no body
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid("body", f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise invalid("body", "the request body must be a JSON object")
    return body


def _fingerprint(method: str, path: str, body: Mapping[str, Any]) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the command line ----------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """The app writes its own access log to stdout; werkzeug's would repeat it on stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"error rate must be from 0.0 to 1.0, got {text}")
    return value


def main(service_class: type[MockService], argv: list[str] | None = None) -> int:
    env = service_class.name.upper()
    parser = argparse.ArgumentParser(
        prog=f"python -m mocks.{service_class.name}", description=f"Local mock of the {service_class.title}."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0 inside a container)")
    parser.add_argument("--port", type=int, default=int(os.environ.get(f"{env}_PORT", service_class.default_port)))
    parser.add_argument(
        "--error-rate",
        type=_rate,
        default=_rate(os.environ.get(f"{env}_ERROR_RATE", "0")),
        help=f"share of business requests answered 503 (env {env}_ERROR_RATE)",
    )
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=int(os.environ.get(f"{env}_LATENCY_MS", "0")),
        help=f"delay added to business requests (env {env}_LATENCY_MS)",
    )
    seed_env = os.environ.get(f"{env}_SEED")
    parser.add_argument(
        "--seed",
        type=int,
        default=int(seed_env) if seed_env else None,
        help=f"seed for the fault decisions, for repeatable runs (env {env}_SEED)",
    )
    parser.add_argument("--routes", action="store_true", help="print the served routes as JSON and exit")
    args = parser.parse_args(argv)
    if args.routes:
        print(json.dumps(service_class().routes()))
        return 0
    if not 0 <= args.latency_ms <= MAX_LATENCY_MS:
        parser.error(f"--latency-ms must be from 0 to {MAX_LATENCY_MS}")
    faults = Faults(error_rate=args.error_rate, latency_ms=args.latency_ms)
    service = service_class(faults=faults, seed=args.seed)
    try:
        server = make_server(args.host, args.port, service, threaded=True, request_handler=_QuietHandler)
    except OSError as exc:
        print(f"{service_class.title} mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"{service_class.title} mock on http://{args.host}:{args.port} (faults {asdict(faults)})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print(f"{service_class.title} mock stopped", flush=True)
    return 0
