"""The local cloud's HTTP server keeps connections open between requests (HTTP/1.1 keep-alive), as AWS endpoints do:
an SDK reuses one connection for many calls instead of connecting again for each."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import statistics
import threading
import time
from typing import Any
from urllib.parse import urlsplit

HEALTH = "/_localstack/health"


def _connection(endpoint: str) -> http.client.HTTPConnection:
    url = urlsplit(endpoint)
    return http.client.HTTPConnection(url.hostname or "localhost", url.port, timeout=10)


def _form(action: str, **params: str) -> dict[str, Any]:
    body = "&".join([f"Action={action}", "Version=2012-11-05", *(f"{k}={v}" for k, v in params.items())])
    auth = "AWS4-HMAC-SHA256 Credential=test/20261203/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth}
    return {"body": body, "headers": headers}


def test_requests_share_one_connection(endpoint: str) -> None:
    """Three requests, one of them with a body moto reads, on one socket: each answered, none closing it."""
    conn = _connection(endpoint)
    conn.request("GET", HEALTH)
    first = conn.getresponse()
    assert first.status == 200 and json.loads(first.read())["services"]["sqs"] == "running"
    assert first.getheader("Connection", "").lower() != "close"
    sock = conn.sock
    assert sock is not None

    conn.request("POST", "/", **_form("CreateQueue", QueueName="keep-alive-probe"))
    created = conn.getresponse()
    assert created.status == 200, created.read()
    assert b"keep-alive-probe" in created.read()
    assert conn.sock is sock  # http.client opens a new socket when the server closed the last one

    conn.request("GET", HEALTH)
    assert conn.getresponse().read()
    assert conn.sock is sock
    conn.close()


def test_answers_on_a_kept_connection_are_not_held_back(endpoint: str) -> None:
    """The headers and the body leave in two writes: with Nagle's algorithm the body waited for the client's
    delayed ACK, so every call on a kept-alive connection took 40 ms more (milliseconds without)."""
    conn = _connection(endpoint)
    took = []
    for _ in range(21):
        started = time.perf_counter()
        conn.request("GET", HEALTH)
        conn.getresponse().read()
        took.append(time.perf_counter() - started)
    conn.close()
    assert statistics.median(took) < 0.03, f"median {statistics.median(took) * 1000:.0f} ms a request"


def test_a_body_nobody_reads_does_not_leak_into_the_next_request(endpoint: str) -> None:
    """The health page ignores a body; the server must still skip it, not parse it as the next request line."""
    conn = _connection(endpoint)
    trap = b"GET /not-this HTTP/1.1\r\nHost: x\r\n\r\n" * 50
    conn.request("POST", HEALTH, body=trap, headers={"Content-Type": "text/plain"})
    conn.getresponse().read()
    sock = conn.sock
    conn.request("GET", HEALTH)
    answer = conn.getresponse()
    assert answer.status == 200 and "services" in json.loads(answer.read())
    assert conn.sock is sock
    conn.close()


def test_the_server_closes_when_the_client_asks(endpoint: str) -> None:
    url = urlsplit(endpoint)
    with socket.create_connection((url.hostname or "localhost", url.port or 80), timeout=10) as raw:
        raw.sendall(f"GET {HEALTH} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while chunk := raw.recv(65536):  # ends only when the server closes
            received += chunk
    assert received.startswith(b"HTTP/1.1 200")


def test_an_answer_cut_short_by_an_error_closes_the_connection() -> None:
    """An application that fails after its headers went out sent less than its Content-Length: the client learns it
    at once because the connection closes (werkzeug itself closes only a chunked answer), instead of both sides
    waiting on a kept-alive connection for bytes that never come."""
    from werkzeug.serving import make_server

    from localcloud.server import _keep_alive_handler

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "100")])
        yield b"partial"
        if environ["PATH_INFO"] == "/fails":
            raise RuntimeError("the application failed half-way through its answer")
        yield b"x" * 93

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_keep_alive_handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/whole")
        assert len(conn.getresponse().read()) == 100  # a whole answer keeps the connection
        sock = conn.sock
        conn.request("GET", "/fails")
        answer = conn.getresponse()
        started = time.monotonic()
        with contextlib.suppress(http.client.IncompleteRead):
            answer.read()
        assert time.monotonic() - started < 2, "the client waited for the rest of a body that never came"
        assert sock is conn.sock or conn.sock is None
    finally:
        server.shutdown()
        server.server_close()
