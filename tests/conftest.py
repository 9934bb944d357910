"""Shared fixtures: a running local cloud, boto3 clients for it, and stack deployment.

The session uses the local cloud at LOCALCLOUD_PORT (default 4566) if one is already healthy
there (`make up`); otherwise it starts its own in a temporary state folder and stops it by pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "templates"
REGION = "us-east-1"


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = int(os.environ.get("LOCALCLOUD_PORT", "4566"))
    url = f"http://localhost:{port}"
    os.environ.update(
        AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION
    )
    os.environ.pop("AWS_PROFILE", None)
    if _healthy(f"{url}/_localstack/health"):
        yield url
        return
    state = tmp_path_factory.mktemp("localcloud")
    log = open(state / "localcloud.log", "wb")  # noqa: SIM115 - closed after the process ends
    proc = subprocess.Popen(
        [sys.executable, "-m", "localcloud"],
        cwd=ROOT,
        # Schedules fire every second instead of at their template rate (see localcloud/schedules.py).
        env={
            "LOCALCLOUD_SCHEDULE_RATE_SECONDS": "1",
            **os.environ,
            "LOCALCLOUD_STATE_DIR": str(state),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not _healthy(f"{url}/_localstack/health"):
        if proc.poll() is not None or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):  # it may have died on its own
                os.killpg(proc.pid, signal.SIGKILL)
            pytest.exit(f"local cloud did not start; see {state / 'localcloud.log'}", returncode=3)
        time.sleep(0.2)
    try:
        yield url
    finally:
        stop_group(proc, timeout=15)
        log.close()


@pytest.fixture(scope="session")
def aws(endpoint: str) -> Callable[[str], Any]:
    """`aws("sqs")` is a boto3 client for the local cloud."""

    def client(service: str) -> Any:
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION)

    return client


def stop_group(proc: subprocess.Popen[bytes] | None, timeout: float = 10) -> None:
    """Stop a server a test started (with start_new_session) and its children: SIGTERM, then SIGKILL."""
    if proc is None:
        return
    with contextlib.suppress(ProcessLookupError):  # it may have died on its own
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def poll(check: Callable[[], Any], timeout: float = 60, what: str = "condition", interval: float = 0.2) -> Any:
    """Call `check` until it returns something truthy and return that; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Stacks:
    """Deploys fixture templates through CloudFormation and deletes them after the test."""

    def __init__(self, cfn: Any) -> None:
        self.cfn = cfn
        self.created: list[str] = []

    def deploy(
        self, template: str, parameters: dict[str, str] | None = None, name: str | None = None
    ) -> dict[str, str]:
        """`template` is a file name under tests/fixtures/templates, or the template text itself."""
        body = template if "\n" in template else (TEMPLATES / template).read_text()
        stack_name = name or unique("t")
        self.cfn.create_stack(
            StackName=stack_name,
            TemplateBody=body,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        self.created.append(stack_name)
        stack = self.wait(stack_name)
        if stack["StackStatus"] != "CREATE_COMPLETE":
            raise AssertionError(f"{stack_name}: {stack['StackStatus']} {stack.get('StackStatusReason', '')}")
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def wait(self, stack_name: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            stack = self.cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
            if not stack["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
                return stack
            time.sleep(0.2)

    def delete_all(self) -> None:
        for name in reversed(self.created):
            try:
                self.cfn.delete_stack(StackName=name)
            except Exception:  # noqa: S112 - best-effort cleanup
                continue


@pytest.fixture
def stacks(aws: Callable[[str], Any]) -> Iterator[Stacks]:
    s = Stacks(aws("cloudformation"))
    yield s
    s.delete_all()
