"""`make up` / `make down` (localcloud.ctl): idempotent start, stop by pid, a taken port named, never a hang."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import ROOT

from localcloud.testing import free_ports


@pytest.fixture
def ctl_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    cloud, edge, smtp, mail, payment, shipment = free_ports(6)
    env = {
        **os.environ,
        "LOCALCLOUD_PORT": str(cloud),
        "LOCALCLOUD_EDGE_PORT": str(edge),
        "LOCALCLOUD_SMTP_PORT": str(smtp),
        "LOCALCLOUD_MAIL_API_PORT": str(mail),
        "PAYMENT_PORT": str(payment),
        "SHIPMENT_PORT": str(shipment),
        "LOCALCLOUD_STATE_DIR": str(tmp_path / "state"),
    }
    yield env
    ctl("down", env)  # whatever a failed assertion left running


def ctl(action: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "localcloud.ctl", action], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def healthy(port: str) -> bool:
    try:
        return requests.get(f"http://localhost:{port}/_localstack/health", timeout=2).ok
    except requests.RequestException:
        return False


def test_up_twice_is_harmless_and_down_stops_everything_by_pid(ctl_env: dict[str, str]) -> None:
    first = ctl("up", ctl_env)
    assert first.returncode == 0, first.stderr
    assert "localcloud: up (pid" in first.stdout
    assert "payment: up" in first.stdout and "shipment: up" in first.stdout
    assert healthy(ctl_env["LOCALCLOUD_PORT"])
    state = Path(ctl_env["LOCALCLOUD_STATE_DIR"])
    pids = {name: int((state / f"{name}.pid").read_text()) for name in ("localcloud", "payment", "shipment")}

    second = ctl("up", ctl_env)
    assert second.returncode == 0, second.stderr
    assert f"localcloud: already running (pid {pids['localcloud']})" in second.stdout
    assert {name: int((state / f"{name}.pid").read_text()) for name in pids} == pids

    down = ctl("down", ctl_env)
    assert down.returncode == 0
    assert f"localcloud: stopped (pid {pids['localcloud']})" in down.stdout
    assert not healthy(ctl_env["LOCALCLOUD_PORT"])
    for pid in pids.values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not list(state.glob("*.pid"))


def test_a_port_in_use_is_named_instead_of_hanging(ctl_env: dict[str, str]) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", int(ctl_env["LOCALCLOUD_EDGE_PORT"])))
        squatter.listen()
        result = ctl("up", ctl_env)
    assert result.returncode == 1
    assert f"port(s) {ctl_env['LOCALCLOUD_EDGE_PORT']} already in use" in result.stderr
    assert not (Path(ctl_env["LOCALCLOUD_STATE_DIR"]) / "localcloud.pid").exists()
