"""Harness for the mock tests: start a mock as a subprocess on a free loopback port (never 8081/8082,
which `make up` uses) and talk to it through a client that checks every answer against the mock's
own OpenAPI document: a status the document does not list, or a body off its schema, fails the test.

Not a conftest.py on purpose: this folder has no __init__.py (a `tests/mocks` package would be
named `mocks` and hide the real one), and a second top-level `conftest` module would replace
tests/conftest.py for the modules that `from conftest import ...`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from localcloud.testing import free_ports, healthy, stop_group
from openapi_schema_validator import OAS30Validator, validate

ROOT = Path(__file__).resolve().parents[2]


class MockClient:
    """requests against one running mock, with every documented response checked against its schema."""

    def __init__(self, base_url: str, document: dict[str, Any]) -> None:
        self.base_url = base_url
        self.document = document

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        data: str | None = None,
    ) -> requests.Response:
        all_headers = dict(headers or {})
        if key is not None:
            all_headers["Idempotency-Key"] = key
        response = requests.request(
            method, f"{self.base_url}{path}", json=json, data=data, headers=all_headers, timeout=10
        )
        self.check(method, path, response)
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post(self, path: str, json: Any = None, *, key: str | None = None) -> requests.Response:
        return self.request("POST", path, json=json, key=key)

    def check(self, method: str, path: str, response: requests.Response) -> None:
        operation = self._operation(method, path.split("?")[0])
        if operation is None:
            return  # an undocumented route: the routing tests cover those answers
        documented = operation["responses"]
        status = str(response.status_code)
        assert status in documented, (
            f"{method} {path} answered {status}, which its OpenAPI operation does not list ({sorted(documented)})"
        )
        spec = documented[status]
        if "$ref" in spec:
            spec = self.document["components"]["responses"][spec["$ref"].rsplit("/", 1)[1]]
        schema = spec["content"]["application/json"]["schema"]
        validate(
            response.json(),
            {**schema, "components": self.document["components"]},
            cls=OAS30Validator,
            check_schema=False,
        )

    def _operation(self, method: str, path: str) -> dict[str, Any] | None:
        for template, item in self.document["paths"].items():
            if re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)), path):
                return item.get(method.lower())
        return None


@contextmanager
def running_mock(name: str, log_dir: Path, *extra_args: str) -> Iterator[str]:
    """`python -m mocks.<name>` on a free port until the block ends; stopped by its pid."""
    [port] = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"mocks.{name}", "--port", str(port), *extra_args],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 20
        while not healthy(f"{url}/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"mocks.{name} did not start on port {port}:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        stop_group(proc)


def mock_url_fixture(name: str) -> Any:
    """A module-scoped fixture: `python -m mocks.<name> --seed 7` as a process for the module's tests; its URL."""

    @pytest.fixture(scope="module")
    def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
        with running_mock(name, tmp_path_factory.mktemp(name), "--seed", "7") as running:
            yield running

    return url


def reset_client(url: str, name: str) -> MockClient:
    """A client for the mock at `url`, after POST /_reset: no records, no keys, no faults."""
    document = json.loads((ROOT / "mocks" / f"{name}.openapi.json").read_text())
    client = MockClient(url, document)
    assert client.post("/_reset").status_code == 200
    return client


def served_routes(name: str) -> set[tuple[str, str]]:
    """(method, path) of every route `python -m mocks.<name>` serves, as it reports with --routes."""
    out = subprocess.run(
        [sys.executable, "-m", f"mocks.{name}", "--routes"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {(method, path) for method, path in json.loads(out)}


def documented_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}
