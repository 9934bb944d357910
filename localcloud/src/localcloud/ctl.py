"""`make up` / `make down` / `make status`: start and stop the local processes by pid.

Each managed process gets `<state>/<name>.pid` and `<state>/<name>.log`. Starting twice is a
no-op; a port held by something else is reported by number instead of hanging.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from localcloud import config

DEMO_SCHEDULE_SECONDS = 5


@dataclass(frozen=True)
class Managed:
    name: str
    command: list[str]
    health_url: str
    ports: tuple[int, ...]


def managed_processes(settings: config.Settings) -> list[Managed]:
    python = sys.executable
    procs = [
        Managed(
            "localcloud",
            [python, "-m", "localcloud"],
            f"{settings.endpoint}/_localstack/health",
            (settings.port, settings.edge_port, settings.smtp_port, settings.mail_api_port),
        )
    ]
    # The Payment and Shipment mocks join here once mocks/ exists (see mocks/README.md).
    mocks = Path("mocks")
    for name, port, env in (("payment", 8081, "PAYMENT_PORT"), ("shipment", 8082, "SHIPMENT_PORT")):
        if (mocks / f"{name}.py").exists():
            port = int(os.environ.get(env, port))
            procs.append(
                Managed(
                    name,
                    [python, "-m", f"mocks.{name}", "--port", str(port)],
                    f"http://localhost:{port}/health",
                    (port,),
                )
            )
    return procs


def _pid_file(settings: config.Settings, name: str) -> Path:
    return settings.state_dir / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(settings: config.Settings, name: str) -> int | None:
    try:
        pid = int(_pid_file(settings, name).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:  # noqa: S310 - loopback URL we built
            return bool(resp.status == 200)
    except OSError:
        return False


def _port_taken(bind: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((bind, port))
        except OSError:
            return True
    return False


def up(settings: config.Settings, timeout: float = 60.0) -> int:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    for proc in managed_processes(settings):
        pid = _read_pid(settings, proc.name)
        if pid is not None:
            print(f"{proc.name}: already running (pid {pid})")
            continue
        taken = [p for p in proc.ports if _port_taken(settings.bind, p)]
        if taken:
            print(
                f"{proc.name}: port(s) {', '.join(map(str, taken))} already in use by another program. "
                f"Stop it, or move the local cloud with LOCALCLOUD_PORT / LOCALCLOUD_EDGE_PORT / "
                f"LOCALCLOUD_SMTP_PORT / LOCALCLOUD_MAIL_API_PORT.",
                file=sys.stderr,
            )
            return 1
        log_path = settings.state_dir / f"{proc.name}.log"
        # A laptop demo should not wait a minute per order: schedules fire every few seconds unless told otherwise.
        env = {"LOCALCLOUD_SCHEDULE_RATE_SECONDS": str(DEMO_SCHEDULE_SECONDS), **os.environ}
        with open(log_path, "ab") as log_file:
            child = subprocess.Popen(
                proc.command,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
            )
        _pid_file(settings, proc.name).write_text(str(child.pid))
        deadline = time.monotonic() + timeout
        while not _healthy(proc.health_url):
            if child.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace").splitlines()[-20:]
                print(f"{proc.name}: did not become healthy; last log lines:", *tail, sep="\n  ", file=sys.stderr)
                _stop_pid(child.pid)
                _pid_file(settings, proc.name).unlink(missing_ok=True)
                return 1
            time.sleep(0.2)
        print(f"{proc.name}: up (pid {child.pid}, log {log_path})")
    print(summary(settings))
    return 0


def summary(settings: config.Settings) -> str:
    lines = {
        "AWS endpoint": settings.endpoint,
        "health": f"{settings.endpoint}/_localstack/health",
        "storefront (CloudFront edge)": settings.edge_url,
        "mail (Mailpit API)": settings.mail_api_url,
        "SMTP sink": f"localhost:{settings.smtp_port}",
        "schedules fire every": f"{os.environ.get('LOCALCLOUD_SCHEDULE_RATE_SECONDS', DEMO_SCHEDULE_SECONDS)} s "
        "(LOCALCLOUD_SCHEDULE_RATE_SECONDS; 0 = the templates' own rates)",
    }
    width = max(map(len, lines))
    body = "\n".join(f"  {k.ljust(width)}  {v}" for k, v in lines.items())
    return f"Local cloud ready:\n{body}\n  Use it with: export AWS_ENDPOINT_URL={settings.endpoint}  (or awslocal)"


def _stop_pid(pid: int, timeout: float = 10.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)  # the whole group: Lambda workers die with their cloud
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)


def down(settings: config.Settings) -> int:
    for proc in reversed(managed_processes(settings)):
        pid = _read_pid(settings, proc.name)
        if pid is None:
            print(f"{proc.name}: not running")
        else:
            _stop_pid(pid)
            print(f"{proc.name}: stopped (pid {pid})")
        _pid_file(settings, proc.name).unlink(missing_ok=True)
    return 0


def status(settings: config.Settings) -> int:
    report = {}
    for proc in managed_processes(settings):
        pid = _read_pid(settings, proc.name)
        report[proc.name] = {"pid": pid, "healthy": pid is not None and _healthy(proc.health_url)}
    print(json.dumps(report, indent=2))
    return 0 if all(v["healthy"] for v in report.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.ctl")
    parser.add_argument("action", choices=("up", "down", "status"))
    args = parser.parse_args(argv)
    settings = config.load()
    return {"up": up, "down": down, "status": status}[args.action](settings)


if __name__ == "__main__":
    raise SystemExit(main())
