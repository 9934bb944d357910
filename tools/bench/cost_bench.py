"""`make bench-cost`: billed units per order, counted from the local executions and priced with the one table in
tools/list_prices.py, for the shop at rest, an order alone and under load; `make bench` measures the same inside its
shop run. Prints; asserts nothing.

Step Functions and Lambda come from the executions' records (tools/billed_units.py: the EXPRESS runs' requests and
duration, every function's REPORT lines); the rest of the bill from the local cloud's counts and the mail sink's
(tools/billed_calls.py: API Gateway requests, DynamoDB request units, SQS and SNS requests, email deliveries, KMS
and Secrets Manager calls). The bench's own reads (waiting for its orders, reading the logs) are marked not billed.
At rest, the schedules' runs are measured per run and priced for a month at AWS's rates; in the windows with orders,
what the idle poller runs and the sweeps in them would have cost anyway is taken out.

    .venv/bin/python -m tools.bench.cost_bench [--orders 100] [--concurrency 10] [--no-write]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import requests

from tests.support.shop import DEMO_PASSWORD
from tools.bench.write_docs import update_cost_section
from tools.billed_calls import SWEEPS_PER_MONTH, AtRest, Counted
from tools.billed_units import Units, add_poller_run, count
from tools.list_prices import PRICES
from tools.load import model
from tools.load import run as load
from tools.workflow_runs import runs

PORT = int(os.environ.get("BENCH_PORT", "4590"))
NOT_BILLED = "X-Localcloud-Not-Billed"  # localcloud's calls.py: served and counted, but not the shop's bill
AT_REST_SECONDS = 20


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def observer(endpoint: str) -> Callable[[str], Any]:
    """boto3 clients whose calls the local cloud marks as not billed: the bench's own reads."""

    def mark(request: Any, **_: Any) -> None:
        request.headers[NOT_BILLED] = "1"

    def client(service: str) -> Any:
        made = boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")
        made.meta.events.register("before-send", mark)
        return made

    return client


def cloud_counts(endpoint: str, method: str = "GET") -> dict[str, Any]:
    answer = requests.request(method, f"{endpoint}/_localcloud/calls", timeout=10)
    answer.raise_for_status()
    return dict(answer.json())


def mails_received(shop: Any) -> int:
    return int(requests.get(f"{shop.mail_url}/api/v1/messages", params={"limit": 1}, timeout=10).json()["total"])


@dataclasses.dataclass
class Window:
    """A scenario: the local cloud's counts start again, the mail sink's are noted, the executions' from `since`."""

    shop: Any
    endpoint: str
    since: dt.datetime
    mails: int

    @classmethod
    def start(cls, shop: Any, endpoint: str) -> Window:
        cloud_counts(endpoint, "DELETE")
        return cls(shop, endpoint, now(), mails_received(shop))

    def counted(self) -> Counted:
        return Counted.from_snapshot(cloud_counts(self.endpoint), mails_received(self.shop) - self.mails)

    def wait_for_runs(self, logs: Any) -> None:
        """Until every workflow run since the window's start has ended, and the last REPORT lines are logged."""
        outputs = self.shop.outputs
        groups = (outputs["OrderWorkflowLogGroupName"], outputs["OrderBatchLogGroupName"])

        def ended() -> bool:
            return all(run.status != "RUNNING" for group in groups for run in runs(logs, group, self.since).values())

        model.poll(ended, 300, 1)
        time.sleep(2)


def idle_runs(logs: Any, outputs: dict[str, str], since: dt.datetime, until: dt.datetime) -> int:
    """The poller runs that found the queue empty, started in [since, until)."""
    scratch = Units()
    for run in runs(logs, outputs["OrderWorkflowLogGroupName"], since).values():
        if run.started is not None and run.stopped is not None and since <= run.started < until:
            add_poller_run(scratch, run)
    return scratch.idle_runs


def at_rest(shop: Any, endpoint: str, seconds: float = AT_REST_SECONDS) -> tuple[dict[str, Any], AtRest]:
    """The shop with no order for `seconds`: what each poller run and each sweep costs, and a month of them."""
    window = Window.start(shop, endpoint)
    time.sleep(seconds)
    counted, until = window.counted(), now()
    logs = observer(endpoint)("logs")
    window.wait_for_runs(logs)
    units = count(logs, shop.outputs, window.since, until, until)
    rest = AtRest.measure(counted, units.idle_runs, units.sweeps)
    sweep = PRICES["lambda_request"] + units.sweep_gb_seconds / max(units.sweeps, 1) * PRICES["lambda_gb_second"]
    month = {
        "stepfunctions_express": units.idle_month_dollars() or 0.0,
        "lambda_sweeper": sweep * SWEEPS_PER_MONTH if units.sweeps else 0.0,
        **rest.month_dollars(),
    }
    figure = {
        "seconds": seconds,
        "idle_runs": units.idle_runs,
        "sweeps": units.sweeps,
        "per_poller_run": {k: round(v, 3) for k, v in rest.per_poller_run.units().items() if v},
        "per_sweep": {k: round(v, 3) for k, v in rest.per_sweep.units().items() if v},
        "month_dollars": {k: round(v, 4) for k, v in month.items()},
        "month_dollars_total": round(sum(month.values()), 4),
    }
    return figure, rest


def priced(
    window: Window, orders: int, rest: AtRest | None = None, closed: tuple[Counted, dt.datetime] | None = None
) -> dict[str, Any]:
    """Units per order of what happened since the window started, once every run and batch has ended (or up to
    `closed`: the counts taken when the window closed, and when)."""
    logs = observer(window.endpoint)("logs")
    until = closed[1] if closed else now()
    window.wait_for_runs(logs)
    counted, counted_at = closed or (window.counted(), now())
    units = count(logs, window.shop.outputs, window.since, until, counted_at)
    if rest is not None:
        counted = rest.busy(counted, idle_runs(logs, window.shop.outputs, window.since, counted_at), units.sweeps)
    return units.per_order(orders, counted)


class BilledLoadRun(load.LoadRun):
    """tools.load's run with its bill's window: opened once the run has signed its customers in and topped the
    stock up, closed once every order is done and its mails are in, before the run reconciles (its reads of every
    order through the API are the bench's, not the customers')."""

    window: Window | None = None
    closed: tuple[Counted, dt.datetime] | None = None

    def prepare(self) -> None:
        super().prepare()
        self.window = Window.start(self.shop, self.endpoint)

    def reconcile(self, *args: Any, **kwargs: Any) -> None:
        if self.window is not None:
            self.closed = (self.window.counted(), now())
        super().reconcile(*args, **kwargs)

    def priced(self, rest: AtRest | None) -> dict[str, Any]:
        assert self.window is not None, "run() first"
        return priced(self.window, self.report.accepted, rest, self.closed)


ASSET = re.compile(r'(?:src|href)="(/[^"]+)"')  # the files index.html names (Vite's hashed assets)
VISITORS = 2  # within 30 s: the second finds the catalog in CloudFront's cache, as most readers do at any volume


def visit(shop: Any, wait_for: Callable[[str], None]) -> None:
    """A new visitor's session through the storefront's CloudFront, as the browser makes it: the site's files, a
    catalog page with its 20 thumbnails, and 10 API calls: the categories, the page, three products, sign in, the
    order, and three reads of it (the last two once it has shipped: `wait_for`, the bench's own wait)."""
    web, session = shop.outputs["WebUrl"], requests.Session()

    def get(path: str, **kwargs: Any) -> requests.Response:
        answer = session.get(f"{web}{path}", timeout=30, **kwargs)
        answer.raise_for_status()
        return answer

    for asset in ASSET.findall(get("/").text):
        get(asset)
    get("/config.json")
    get("/api/categories")
    page = get("/api/products", params={"limit": 20}).json()["items"]
    for product in page:
        if str(product.get("image") or "").startswith("/"):
            get(product["image"])
    chosen = [get(f"/api/products/{p['id']}").json() for p in [p for p in page if p["stock"] >= 5][:3]]
    login = session.post(f"{web}/api/auth/login", json={"email": "ana@example.com", "password": DEMO_PASSWORD})
    login.raise_for_status()
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
    placed = session.post(f"{web}/api/orders", json=shop.order_body(chosen[0]["id"]), headers=headers, timeout=30)
    placed.raise_for_status()
    order_id = placed.json()["order_id"]
    get(f"/api/orders/{order_id}", headers=auth)
    wait_for(order_id)
    for _ in range(2):
        get(f"/api/orders/{order_id}", headers=auth)


def one_order(shop: Any, endpoint: str, rest: AtRest | None = None) -> dict[str, Any]:
    """Two new visitors' sessions, one after the other, each placing one order on an empty queue (visit); the bench
    waits for each order to ship and its mails to be sent by reading the table, not billed."""
    window = Window.start(shop, endpoint)
    table, name = observer(endpoint)("dynamodb"), shop.outputs["OrdersTableName"]

    def shipped_and_mailed(order_id: str) -> None:
        def shipped() -> bool:
            item = table.get_item(TableName=name, Key={"id": {"S": order_id}}, ConsistentRead=True).get("Item", {})
            return bool(item.get("status", {}).get("S") == "SHIPPED")

        model.poll(shipped, 120, 1)
        seen: list[int] = []

        def mails_settled() -> bool:  # the order's notices, to whoever gets them, stopped arriving
            page = requests.get(f"{shop.mail_url}/api/v1/messages", params={"limit": 1000}, timeout=10).json()
            seen.append(sum(order_id in m["Subject"] + m.get("Snippet", "") for m in page["messages"]))
            return len(seen) >= 4 and seen[-1] > 0 and len(set(seen[-4:])) == 1

        model.poll(mails_settled, 60, 1)

    for _ in range(VISITORS):
        visit(shop, shipped_and_mailed)
    return priced(window, VISITORS, rest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    from tools.bench.shop_bench import bench_shop  # it measures this module's figures in make bench

    with bench_shop(PORT) as (shop, endpoint):
        rest_figure, rest = at_rest(shop, endpoint)
        figures: dict[str, Any] = {"at_rest": rest_figure, "one_order": one_order(shop, endpoint, rest)}
        run = BilledLoadRun(
            shop, observer(endpoint), orders=args.orders, concurrency=args.concurrency, faults=set(), timeout=600
        )
        report = run.run()
        figures["load"] = {
            **run.priced(rest),
            "concurrency": args.concurrency,
            "reconciled_zero_loss": report.ok,
        }
    print(json.dumps(figures, indent=2))
    if not args.no_write:
        print(f"wrote {update_cost_section(figures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
