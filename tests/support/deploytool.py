"""Run the deploy tool's AWS path the way a person runs it, against the local cloud standing in for AWS.

The tool runs as a subprocess (`python -m stacks.deploy`, or `make`) with AWS_ENDPOINT_URL unset, so it takes
the AWS path: identity, plan, confirmation, release checks. SHOP_DEPLOY_TEST_AWS_ENDPOINT (a variable for
tests only) gives it the endpoint. The machine's own AWS configuration is hidden from it, so a developer's
profile can never leak into a test.
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ACCOUNT = "000000000000"  # the local cloud's account (LocalStack's)
# Real-looking values: on the AWS path the tool refuses the example file's example.com placeholders.
PARAMETERS = {
    "PaymentUrl": "https://payments.shop.test",
    "ShipmentUrl": "https://shipments.shop.test",
    "NotificationEmail": "orders@shop.test",
    "OpsEmail": "ops@shop.test",
}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def one_error(self) -> str:
        """The single stderr line a failure must end in (and no traceback)."""
        assert self.returncode != 0, f"expected a failure:\n{self.stdout[-3000:]}"
        assert "Traceback" not in self.stderr + self.stdout, self.stderr
        assert len(self.error_lines) == 1, f"expected one line on stderr, got:\n{self.stderr}"
        return self.error_lines[0]


def new_env() -> str:
    """A fresh environment name (it prefixes every resource), so tests never share stacks."""
    return f"t{uuid.uuid4().hex[:7]}"


def write_params(folder: Path, env: str, data: Any | None = None, raw: str | None = None) -> Path:
    path = folder / f"{env}.json"
    if raw is not None:
        path.write_text(raw)
    else:
        default = {"Parameters": PARAMETERS, "Site": {"paymentUrl": PARAMETERS["PaymentUrl"]}, "LoadSeed": False}
        path.write_text(json.dumps(default if data is None else data))
    return path


def tool_env(endpoint: str | None, params: Path | None, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a person with test credentials and no local endpoint; `extra` overrides (""=unset)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "SHOP_PARAMS_FILE"}
    env.update(
        HOME=str(home),  # no ~/.aws of the machine's
        AWS_CONFIG_FILE=str(home / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=REGION,
    )
    if endpoint:
        env["SHOP_DEPLOY_TEST_AWS_ENDPOINT"] = endpoint
    if params:
        env["SHOP_PARAMS_FILE"] = str(params)
    env.update(extra)
    return {k: v for k, v in env.items() if v != ""}


def _run(command: list[str], env: dict[str, str], timeout: float) -> Result:
    done = subprocess.run(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
    )
    return Result(done.returncode, done.stdout, done.stderr)


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> Result:
    """`python -m stacks.deploy ARGS` with stdin closed (not a terminal), as in CI."""
    return _run([sys.executable, "-m", "stacks.deploy", *args], env, timeout)


def make(target: str, variables: dict[str, str], env: dict[str, str], timeout: float = 600) -> Result:
    """`make -s TARGET VAR=value ...`, the way the docs tell a person to run it."""
    return _run(["make", "-s", target, *(f"{k}={v}" for k, v in variables.items())], env, timeout)


def run_on_terminal(
    args: list[str],
    env: dict[str, str],
    answer: str,
    before_answering: Callable[[], None] | None = None,
    timeout: float = 600,
) -> Result:
    """Run with stdin on a pseudo-terminal, wait for the [y/N] question, then type `answer`."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stacks.deploy", *args],
        cwd=ROOT,
        env=env,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    try:
        stdout = cast(io.BufferedReader, proc.stdout)
        seen = b""
        while b"[y/N]" not in seen:
            chunk = stdout.read1(65536)
            if not chunk:  # it ended without asking
                break
            seen += chunk
        if b"[y/N]" in seen:
            if before_answering:
                before_answering()
            os.write(controller, f"{answer}\n".encode())
        rest, err = proc.communicate(timeout=timeout)
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Result(proc.returncode, (seen + rest).decode(), err.decode())
