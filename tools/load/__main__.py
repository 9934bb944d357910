"""`make load` = `python -m tools.load --orders N --concurrency C --faults F` (tools/load/run.py says what it checks).

A standalone run's own world: the cloud at LOCALCLOUD_PORT (or one of its own), the mocks and a deployment of env
`load`; the report is printed and written to .artifacts/load-report.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import boto3
from localcloud.testing import HEALTH_PATH, healthy, stop_group

from tests.support.shop import FAST_PIPELINE, ROOT, Mock, Shop, _start_mock
from tools.load.model import ENV, FAULTS, poll
from tools.load.run import LoadRun

SWEEP_AFTER_SECONDS = 120  # lost sends come back within the run's timeout; queued orders are not re-sent


@contextlib.contextmanager
def local_cloud(orders: int = 0) -> Iterator[str]:
    """The cloud at LOCALCLOUD_PORT if healthy, else one of our own (schedules every second), stopped by pid."""
    url = f"http://localhost:{os.environ.get('LOCALCLOUD_PORT', '4566')}"
    os.environ.update(
        AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1"
    )
    if healthy(f"{url}{HEALTH_PATH}"):
        if orders * 4 > 10_000:
            print(
                f"note: a cloud already running keeps its mail limit (LOCALCLOUD_MAIL_MAX_MESSAGES, 10,000 by "
                f"default); {orders} orders send about {orders * 4} notices",
                file=sys.stderr,
            )
        yield url
        return
    with tempfile.TemporaryDirectory() as state:
        env = {
            "LOCALCLOUD_SCHEDULE_RATE_SECONDS": "1",
            "LOCALCLOUD_MAIL_MAX_MESSAGES": str(max(10_000, 5 * orders)),  # about 4 notices an order
            **os.environ,
            "LOCALCLOUD_STATE_DIR": state,
        }
        with open(Path(state) / "localcloud.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "localcloud"], cwd=ROOT, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            try:
                if not poll(lambda: healthy(f"{url}{HEALTH_PATH}") or proc.poll() is not None, 60, 0.2):
                    raise SystemExit("the local cloud did not become healthy in 60 s")
                if proc.poll() is not None:
                    raise SystemExit(f"the local cloud exited ({proc.returncode}); is port {url} taken?")
                yield url
            finally:
                stop_group(proc)


@contextlib.contextmanager
def deployed_shop(endpoint: str) -> Iterator[Shop]:
    payment, shipment = _start_mock("payment"), _start_mock("shipment")
    mocks: list[Mock] = [payment, shipment]
    try:
        mail_url = f"http://localhost:{os.environ.get('LOCALCLOUD_MAIL_API_PORT', '8025')}"
        with tempfile.TemporaryDirectory() as tmp:
            params = Path(tmp) / f"{ENV}.json"
            params.write_text(
                json.dumps(
                    {
                        "Parameters": {
                            "PaymentUrl": payment.url,
                            "ShipmentUrl": shipment.url,
                            **FAST_PIPELINE,
                            # A run of N orders keeps a backlog for minutes: re-sending every order still queued
                            # after 10 s (as the small tests do) would flood the queue with duplicates.
                            "SweepAfterSeconds": str(SWEEP_AFTER_SECONDS),
                        },
                        "Site": {"paymentUrl": payment.url},
                        "Local": {"MailUrl": mail_url},
                    }
                )
            )
            env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "SHOP_PARAMS_FILE": str(params)}
            deploy = subprocess.run(
                [sys.executable, "-m", "stacks.deploy", "deploy", "--env", ENV],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
        if deploy.returncode != 0:
            raise SystemExit(f"deploy failed:\n{deploy.stdout[-3000:]}\n{deploy.stderr[-3000:]}")
        outputs = json.loads((ROOT / ".artifacts" / f"outputs-{ENV}.json").read_text())
        yield Shop(outputs, payment, shipment, mail_url)
    finally:
        for mock in mocks:
            stop_group(mock.proc)


def parse_faults(text: str) -> set[str]:
    faults = {f.strip() for f in text.split(",") if f.strip() and f.strip() != "none"}
    return set(FAULTS) if faults == {"all"} else faults


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.load", description="Load and faults, reconciled (tools/load/run.py)"
    )
    parser.add_argument("--orders", type=int, default=50, help="orders to place (N)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients placing orders at once (C)")
    parser.add_argument("--faults", default="", help=f"comma-separated: {', '.join(FAULTS)}, or all, or none")
    parser.add_argument("--timeout", type=float, default=0, help="seconds for the whole run (default 300 + N)")
    args = parser.parse_args(argv)
    if not 1 <= args.orders <= 20000 or not 1 <= args.concurrency <= 200:
        parser.error("--orders must be 1..20000 and --concurrency 1..200")
    faults = parse_faults(args.faults)
    timeout = args.timeout or 300 + args.orders
    with local_cloud(args.orders) as endpoint, deployed_shop(endpoint) as shop:

        def client(service: str) -> Any:
            return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")

        report = LoadRun(
            shop,
            client,
            orders=args.orders,
            concurrency=args.concurrency,
            faults=faults,
            timeout=timeout,
            calibrate_seconds=10,
        ).run()
    text = json.dumps(asdict(report), indent=2)
    print(text)
    out = ROOT / ".artifacts" / "load-report.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")
    print(
        f"\n{report.accepted}/{report.orders} accepted, {report.statuses}, "
        f"{'RECONCILED' if report.ok else f'{len(report.problems)} PROBLEM(S)'}; "
        f"{report.completed_per_second} orders/s sustained; emulator's bound {report.emulator_bound_orders_per_second} "
        f"by its GetItem rate, {report.emulator_cpu_bound_orders_per_second} by its CPU per order",
        file=sys.stderr,
    )
    return 0 if report.ok else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(main())
    raise SystemExit(130)
