"""`make bench-cost`: billed units per order, counted from the local executions (tools/billed_units.py: the
EXPRESS requests and duration of the poller's runs and of the batches, Process Order's Lambda invocations) and
priced with the one table in tools/list_prices.py, for an order alone and under load; `make bench` measures the
same inside its shop run. Prints; asserts nothing.

    .venv/bin/python -m tools.bench.cost_bench [--orders 100] [--concurrency 10] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from typing import Any

import boto3

from tools.bench.write_docs import update_cost_section
from tools.billed_units import count
from tools.load import model
from tools.load import run as load
from tools.workflow_runs import runs

PORT = int(os.environ.get("BENCH_PORT", "4590"))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def priced(shop: Any, endpoint: str, since: dt.datetime, orders: int) -> dict[str, Any]:
    """Units per order of what the poller runs started since `since` did, once every run and batch has ended."""
    logs = boto3.client("logs", endpoint_url=endpoint)
    groups = (shop.outputs["OrderWorkflowLogGroupName"], shop.outputs["OrderBatchLogGroupName"])
    until = now()

    def ended() -> bool:
        return all(run.status != "RUNNING" for group in groups for run in runs(logs, group, since).values())

    model.poll(ended, 300, 1)
    time.sleep(2)  # the last Lambda REPORT lines reach the log
    return count(logs, shop.outputs, since, until, now()).per_order(orders)


def one_order(shop: Any, endpoint: str) -> dict[str, Any]:
    """One order placed on an empty queue, until it is shipped and both its mails are sent."""
    since = now()
    auth = shop.login()
    answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}])
    order_id = answer.json()["order_id"]
    shop.wait_for_status(auth, order_id, {"SHIPPED"}, timeout=120)
    model.poll(lambda: len(shop.mails_about(order_id)) >= 2, 60, 1)
    return priced(shop, endpoint, since, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    from tools.bench.shop_bench import bench_shop  # it measures this module's figures in make bench

    with bench_shop(PORT) as (shop, endpoint):

        def client(service: str) -> Any:
            return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")

        figures = {"one_order": one_order(shop, endpoint)}
        since = now()
        report = load.LoadRun(
            shop, client, orders=args.orders, concurrency=args.concurrency, faults=set(), timeout=600
        ).run()
        figures["load"] = {
            **priced(shop, endpoint, since, report.accepted),
            "concurrency": args.concurrency,
            "reconciled_zero_loss": report.ok,
        }
    print(json.dumps(figures, indent=2))
    if not args.no_write:
        print(f"wrote {update_cost_section(figures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
