"""Serving a mock: in this process on a free loopback port (`start`), or from the command line (`main`).

    from mocks import payment
    mock = payment.start(seed=7)          # a thread of this process, http://127.0.0.1:<free port>
    requests.get(f"{mock.url}/health")
    mock.app.payments                     # its ledger, in memory
    mock.stop()                           # or: with payment.start() as mock: ...

`python -m mocks.payment --port 8081` is the same service as a process (what `make up` runs).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from dataclasses import asdict
from types import FrameType, TracebackType
from typing import Generic, TypeVar

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from mocks.faults import MAX_LATENCY_MS, Faults
from mocks.service import MockService

Service = TypeVar("Service", bound=MockService)


class _QuietHandler(WSGIRequestHandler):
    """The app writes its own access log to stdout; werkzeug's would repeat it on stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def _server(app: MockService, host: str, port: int) -> BaseWSGIServer:
    return make_server(host, port, app, threaded=True, request_handler=_QuietHandler)


class Running(Generic[Service]):
    """A mock served by a thread of this process until `stop()`."""

    def __init__(self, app: Service, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._server = _server(app, host, port)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"mock-{app.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Running[Service]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def start(
    service_class: type[Service], *, port: int = 0, faults: Faults | None = None, seed: int | None = None
) -> Running[Service]:
    """Serve a new `service_class` on 127.0.0.1 (`port` 0: a free one) in this process."""
    return Running(service_class(faults=faults, seed=seed), port=port)


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
        server = _server(service, args.host, args.port)
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
