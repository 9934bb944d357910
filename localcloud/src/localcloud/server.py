"""The local cloud: moto's server app behind a thin router, plus one layer per gap.

A request first meets the origin lock (origin_lock.py: only the user's own programs and pages may call),
then the routes the layers registered (execute-api URLs, health, ...); everything else is moto's own
DomainDispatcherApplication, with its global CORS off and its host-to-backend lookup remembered instead of
matched against every backend's URL patterns on each request. Connections stay open between requests (HTTP/1.1
keep-alive, as AWS endpoints keep them): werkzeug's server closes every one, so each SDK call paid a new connection.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BufferedIOBase
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from localcloud.calls import CallCounter
from localcloud.config import DEFAULT_ACCOUNT, Settings
from localcloud.origin_lock import OriginLock

log = logging.getLogger("localcloud")

KEEP_ALIVE_IDLE_SECONDS = 60.0

# One module per AWS feature the local cloud supplies on top of moto, imported and installed in this order.
# A module that must register routes, services or patches exposes `install(cloud: LocalCloud) -> None`; one
# that only defines CloudFormation models needs importing only. cloudformation_engine comes last because it
# checks which resource types the others registered.
LAYERS: tuple[str, ...] = (
    "localcloud.health",
    "localcloud.calls",
    "localcloud.moto_backends",
    "localcloud.iam",
    "localcloud.dynamodb_transactions",
    "localcloud.dynamodb_responses",
    "localcloud.dynamodb_api",
    "localcloud.dynamodb_units",
    "localcloud.dynamodb_streams",
    "localcloud.dynamodb_kinesis",
    "localcloud.sqs",
    "localcloud.sqs_api",
    "localcloud.sqs_fifo",
    "localcloud.sqs_answers",
    "localcloud.aws_errors",
    "localcloud.lambda_api",
    "localcloud.lambda_operations",
    "localcloud.lambda_function_configs",
    "localcloud.lambda_code_signing",
    "localcloud.lambda_permissions",
    "localcloud.apigateway_requests",
    "localcloud.rest_operations",
    "localcloud.lambda_runner",
    "localcloud.event_source_mapping",
    "localcloud.execute_api",
    "localcloud.apigateway_api",
    "localcloud.apigateway_cfn",
    "localcloud.stepfunctions_exec",
    "localcloud.stepfunctions_express",
    "localcloud.stepfunctions_jsonata",
    "localcloud.stepfunctions_events",
    "localcloud.schedules",
    "localcloud.mail_sink",
    "localcloud.sns_delivery",
    "localcloud.sns_api",
    "localcloud.sns_mobile",
    "localcloud.sns_subscriptions",
    "localcloud.sns_sqs",
    "localcloud.secretsmanager",
    "localcloud.cloudwatch",
    "localcloud.s3",
    "localcloud.cloudfront",
    "localcloud.cloudformation_templates",
    "localcloud.cloudformation_engine",
)

Matcher = Callable[[Request], bool]
Handler = Callable[[Request], Response]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Route:
    name: str
    matches: Matcher
    handle: Handler
    # Answers pages on any origin, with the CORS its own configuration defines (API Gateway invoke URLs).
    any_origin: bool = False


@dataclass
class Service:
    """A background part of the cloud (a listener on another port, a poller, a timer)."""

    name: str
    start: Callable[[], None]
    stop: Callable[[], None]


def configure_moto_environment(settings: Settings) -> None:
    """Environment moto reads at import or call time; must run before moto is imported."""
    os.environ.setdefault("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)
    # moto's Step Functions interpreter calls other services through boto3 at localhost:MOTO_PORT.
    os.environ["MOTO_PORT"] = str(settings.port)
    os.environ.setdefault("AWS_DEFAULT_REGION", settings.region)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    # Never let an in-process boto3 client leave the machine.
    os.environ.pop("AWS_PROFILE", None)
    os.environ["AWS_ENDPOINT_URL"] = settings.endpoint
    # moto answers every origin with `Access-Control-Allow-Origin`; AWS's CORS comes from templates (S3 bucket
    # CORS, which moto then applies; API Gateway, which execute_api answers), and pages elsewhere are refused.
    os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"


class _Body(BufferedIOBase):
    """A request's body on a kept-alive connection: reads stop at its Content-Length, so nothing (werkzeug's
    drain after each response included) reads into the next request on the same connection."""

    def __init__(self, stream: Any, length: int) -> None:
        self._stream, self.remaining = stream, length

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self._stream.read(want) if want else b""
        self.remaining -= len(data)
        return bytes(data)

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        want = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self._stream.readline(want) if want else b""
        self.remaining -= len(data)
        return bytes(data)

    def drain(self) -> bool:
        """Read what the application left of the body; False if the client sent less (the connection must go)."""
        while self.remaining:
            if not self.read(1 << 16):
                return False
        return True


class _Counted:
    """The response stream of a kept-alive request, counting the body bytes that went out: an application that
    fails after its headers leaves a body shorter than its Content-Length, and only closing the connection tells the
    client (werkzeug closes it for a chunked answer only)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.written = 0
        self.body_from: int | None = None  # bytes written when the headers were done
        self.promised: int | None = None
        self.status = 200
        self.head = False  # a HEAD answer's Content-Length is the GET's; no body follows

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return int(self.raw.write(data))

    def flush(self) -> None:
        self.raw.flush()

    def headers_done(self) -> None:
        self.body_from = self.written

    def cut_short(self) -> bool:
        if self.head or self.promised is None or self.body_from is None or self.status in (204, 304, 100):
            return False
        return self.written - self.body_from < self.promised


def _keep_alive_handler() -> type:
    """moto's request handler, keeping HTTP/1.1 connections open.

    werkzeug's handler always answers `Connection: close`, because after a response it drains the socket, which
    on a kept-alive connection would swallow the client's next request. Here each request's body is read only up
    to its Content-Length (what the application left is drained after the response), and the connection closes
    as before when that is not possible: a chunked body, an HTTP/1.0 client, `Connection: close`, or an error
    after the headers went out. An idle connection is closed after KEEP_ALIVE_IDLE_SECONDS.
    """
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class KeepAliveRequestHandler(MotoRequestHandler):
        timeout = KEEP_ALIVE_IDLE_SECONDS
        # The headers and the body go out in two writes: with Nagle's algorithm on, the body of a kept-alive
        # answer waited for the client's delayed ACK of the headers, 40 ms on every call.
        disable_nagle_algorithm = True
        _keep_alive = False
        _answer: _Counted

        def run_wsgi(self) -> None:
            length = self.headers.get("Content-Length", "0").strip() or "0"
            chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
            self._keep_alive = not self.close_connection and not chunked and length.isdigit()
            if not self._keep_alive:
                super().run_wsgi()
                return
            rfile, body = self.rfile, _Body(self.rfile, int(length))
            wfile = self.wfile
            self.rfile = body  # werkzeug hands self.rfile to the app as wsgi.input
            self._answer = _Counted(wfile)
            self.wfile = self._answer  # type: ignore[assignment]  # a writer in werkzeug's hands, counting
            self._answer.head = self.command == "HEAD"
            try:
                super().run_wsgi()
            finally:
                self.rfile, self.wfile = rfile, wfile
            if not self.close_connection and (not body.drain() or self._answer.cut_short()):
                self.close_connection = True

        def send_response(self, code: int, message: str | None = None) -> None:
            if self._keep_alive:
                self._answer.status = code
            super().send_response(code, message)

        def end_headers(self) -> None:
            super().end_headers()
            if self._keep_alive:
                self._answer.headers_done()

        def log_error(self, format: str, *args: Any) -> None:
            if format.startswith("Request timed out"):  # an idle kept-alive connection reaching its timeout
                return
            super().log_error(format, *args)

        def send_header(self, keyword: str, value: str) -> None:
            if self._keep_alive and keyword.lower() == "connection" and value.lower() == "close":
                return  # werkzeug's unconditional close; BaseHTTPRequestHandler would act on it
            if self._keep_alive and keyword.lower() == "content-length" and value.strip().isdigit():
                self._answer.promised = int(value)
            super().send_header(keyword, value)

    return KeepAliveRequestHandler


def _dispatcher(base: Any) -> Any:
    """moto's dispatcher with its host -> backend lookup memoized: the lookup walks every backend's URL
    patterns under the dispatcher's one lock, on every request, and depends on the host name alone."""

    class Dispatcher(base):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._backend_for_host: dict[str | None, Any] = {}

        def get_backend_for_host(self, host: str | None) -> Any:
            if host not in self._backend_for_host:
                if len(self._backend_for_host) > 1024:  # host names come from requests: stay bounded
                    self._backend_for_host.clear()
                self._backend_for_host[host] = super().get_backend_for_host(host)
            return self._backend_for_host[host]

    return Dispatcher


class LocalCloud:
    def __init__(self, settings: Settings) -> None:
        configure_moto_environment(settings)
        from moto.core.config import default_user_config
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        # Executions must be on before any state machine exists (moto keeps two stores).
        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        self.settings = settings
        self.moto_app: WSGIApp = _dispatcher(DomainDispatcherApplication)(create_backend_app)
        self.origin_lock = OriginLock(settings)
        self.calls = CallCounter()
        self.routes: list[Route] = []
        self.services: list[Service] = []
        self._server: BaseWSGIServer | None = None
        self._installed: list[str] = []

    # -- registration (called by the layers' install functions) ---------------------------
    def add_route(self, name: str, matches: Matcher, handle: Handler, *, any_origin: bool = False) -> None:
        self.routes.append(Route(name, matches, handle, any_origin))

    def add_service(self, name: str, start: Callable[[], None], stop: Callable[[], None]) -> None:
        self.services.append(Service(name, start, stop))

    def install_layers(self, layers: Iterable[str] = LAYERS) -> None:
        for module_name in layers:
            module = importlib.import_module(module_name)
            install = getattr(module, "install", None)
            if install is not None:
                install(self)
            self._installed.append(module_name.rsplit(".", 1)[-1])

    @property
    def installed_layers(self) -> list[str]:
        return list(self._installed)

    # -- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        # Matchers look only at the method, path and headers, so the body stays unread for moto.
        request = Request(environ)
        route = next((r for r in self.routes if r.matches(request)), None)
        refusal = self.origin_lock.refusal(request, check_origin=route is None or not route.any_origin)
        if refusal is not None:
            return refusal(environ, start_response)
        self.calls.count(request, route.name if route is not None else None)
        if route is not None:
            try:
                response = route.handle(request)
            except Exception:  # a layer bug must answer like AWS does, not drop the socket
                log.exception("route %s failed", route.name)
                response = Response('{"message": "Internal server error"}', status=500, mimetype="application/json")
            return response(environ, start_response)
        return self.moto_app(environ, start_response)

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        self._server = make_server(
            self.settings.bind, self.settings.port, self, threaded=True, request_handler=_keep_alive_handler()
        )
        for service in self.services:
            log.info("starting %s", service.name)
            service.start()
        threading.Thread(target=self._server.serve_forever, name="localcloud-http", daemon=True).start()
        log.info("local cloud listening on %s (layers: %s)", self.settings.endpoint, ", ".join(self._installed))

    def stop(self) -> None:
        for service in reversed(self.services):
            try:
                service.stop()
            except Exception:
                log.exception("stopping %s failed", service.name)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
