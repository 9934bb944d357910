"""For tests that need a local cloud: start one in a child process (or use the one already answering), wait, stop.

    with running_cloud(port=4566, state_dir=tmp_path) as endpoint:
        boto3.client("sqs", endpoint_url=endpoint)

`localcloud.pytest_plugin` turns this into the `endpoint` and `aws` fixtures. Nothing here imports pytest.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

HEALTH_PATH = "/_localstack/health"


def healthy(url: str) -> bool:
    """Whether `url` answers 200 within a second."""
    try:
        with urlopen(url, timeout=1) as response:  # noqa: S310 - a loopback URL the caller built
            return bool(response.status == 200)
    except (URLError, OSError, ValueError):
        return False


def running_profile(url: str) -> str:
    """The LOCALCLOUD_PROFILE of the local cloud at `url`, as its health reports it (`full` if it says none)."""
    with urlopen(url + HEALTH_PATH, timeout=5) as response:  # noqa: S310 - a loopback URL the caller built
        return str(json.load(response).get("profile", "full"))


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


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports free right now (for a second cloud and its listeners)."""
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [int(sock.getsockname()[1]) for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


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


LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def python_function(lam: Any, iam: Any, name: str, source: str, **config: Any) -> str:
    """Create a python3.12 function `name` whose index.py is `source` (handler `index.handler`), with a role of
    the same name that Lambda may assume; returns the role's name (delete both when done)."""
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", source)
    lam.create_function(
        FunctionName=name, Runtime="python3.12", Role=role["Arn"], Handler="index.handler",
        Code={"ZipFile": buffer.getvalue()}, **config,
    )  # fmt: skip
    return str(role["RoleName"])


@contextlib.contextmanager
def running_cloud(
    port: int, state_dir: Path, env: Mapping[str, str] | None = None, timeout: float = 60
) -> Iterator[str]:
    """The endpoint of a healthy local cloud on `port`: the one already there, or `python -m localcloud`
    started with its state and log in `state_dir` and stopped, with its Lambda workers, when the block ends.

    Raises RuntimeError naming the log when the cloud does not become healthy within `timeout` seconds.
    """
    url = f"http://localhost:{port}"
    if healthy(url + HEALTH_PATH):
        yield url
        return
    log_path = state_dir / "localcloud.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "localcloud"],
            env={**os.environ, **(env or {}), "LOCALCLOUD_PORT": str(port), "LOCALCLOUD_STATE_DIR": str(state_dir)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while not healthy(url + HEALTH_PATH):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"local cloud did not start; see {log_path}")
            time.sleep(0.2)
        yield url
    finally:
        stop_group(proc, timeout=15)
