"""docs/performance.md from `make bench`'s figures (and the last `make load` report, if there is one)."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
LOAD_REPORT = ROOT / ".artifacts" / "load-report.json"


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical cores",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
    }


# Written from the profile `make bench-api ARGS=--profile` prints (cProfile of the in-process calls).
WHERE_THE_TIME_GOES = """
**Where the time goes** (`make bench-api ARGS=--profile`: cProfile of 100 in-process calls of each route, 2026-12).
The App Server's own work is a few milliseconds a request; the rest is waiting for the local cloud's answers (90-93%
of both profiles is socket reads). So what was ours to fix was the number of AWS calls per request:

- GET /products scanned the whole Products table on every call (one Scan of 64 items, then botocore parsing and
  boto3 deserializing all of them to return 20). A warm App Server now keeps each listing for `CATALOG_CACHE_SECONDS`
  (30 s): a warm GET /products makes no AWS call. The stock a listing shows may lag by up to 30 s; GET /products/{id}
  and POST /orders read the table, and only the order's transaction (a conditional decrement) takes stock.
- POST /orders made six AWS calls and one Payment call: Powertools' idempotency record (PutItem, then UpdateItem), a
  consistent GetItem of the order, BatchGetItem of the products (prices never come from the client or a cache),
  TransactWriteItems (the order and its stock) and SendMessage. The GetItem is gone: a retry whose first answer was
  lost is recognised by the conditional write (OrderExists), and the Payment System's idempotency gives it the same
  hold.
- What is left is the local cloud's. TransactWriteItems no longer deep-copies whole tables (localcloud's
  dynamodb_transactions.py checks every condition first and puts back only what it wrote), so POST /orders no longer
  slows down as the Orders table grows.

**Where the local pipeline's time goes** (py-spy, `py-spy record --subprocesses` on the local cloud during a
400-order `make load`, 2026-12). The local cloud is one Python process and ran at 94% of one core (the GIL) while the
Lambda workers, the mocks and the clients shared the other: the emulator itself is the bound. Of its busy samples,
Step Functions tasks took 27%, and half of that (14%) was creating a new botocore client for every task; moto's
request dispatch 11% (plus a host-to-backend lookup that walked every backend's URL patterns under one lock on every
request); DynamoDB 8%; the Lambda invoke path 6.5%, of which hashing the 4 MB zip on every invoke was 5%; the SNS
email delivery and the SMTP sink 8%; writing responses 12% (the server closed every connection, as werkzeug's always
does). Fixed: one client per service and role session for Step Functions tasks, the zip hashed once, the backend
lookup remembered; the Lambda runner now starts workers as invocations need them (up to 16 per function, then
throttles like AWS at its concurrency limit) instead of queueing behind 4. A second pass (`py-spy record
--nonblocking` during `make load N=200 C=10`) found moto's per-call backend lookup (a global lock and a walk of every
service) at a quarter of the samples, the ASL definition parsed again for every execution (40-90 ms; the poller
starts every second), a JSONPath parser built at every evaluation, and concurrent Step Functions tasks each creating
the same botocore client; all four are gone, and connections stay open (HTTP/1.1 keep-alive, without Nagle's 40 ms
on every call). The cloud still runs at one core (the GIL) under load, and more orders in flight only lengthen each
one's latency. The rest is moto's own work per call plus the Step Functions interpreter's per state, so what the
pipeline can reach here is below the calls per second the cloud serves divided by the calls each order makes: both
are measured in the same run (the rows "emulator's bound" above).
""".strip().splitlines()


def _pp(figure: dict[str, Any]) -> str:
    return f"{figure['p50']} / {figure['p99']}"


def lighthouse_section(figures: dict[str, Any] | None) -> list[str]:
    lines = ["", "## Storefront (Lighthouse)", ""]
    if not figures or "pages" not in figures:
        reason = (figures or {}).get("skipped") or (figures or {}).get("error") or "not measured"
        return [*lines, f"Not measured in this run: {reason}."]
    lines += [
        f"Lighthouse {figures['lighthouse']} (tools/bench/lighthouse/run.mjs) in {figures['chromium']}, against the",
        "bench deployment's CloudFront edge: its phone defaults (Moto G Power screen, slow 4G, 4x CPU, simulated)",
        "and its desktop preset. Catalog and product as a first visit; the checkout signed in with one product in",
        f"the cart and a cold HTTP cache. Median of {figures.get('runs_per_page', '?')} runs by performance score.",
        "Targets (issue 15): accessibility and best practices 100, performance 95 or more.",
        "",
        "| page | form factor | performance | accessibility | best practices | FCP | LCP | TBT | CLS | "
        "performance, every run |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page in figures["pages"]:
        scores, metrics = page["scores"], page["metrics"]
        lines.append(
            f"| {page['page']} (`{page['url']}`) | {page['formFactor']} | {scores['performance']} | "
            f"{scores['accessibility']} | {scores['best-practices']} | {metrics['fcp_ms']} ms | "
            f"{metrics['lcp_ms']} ms | {metrics['tbt_ms']} ms | {metrics['cls']} | "
            f"{', '.join(map(str, page['performance_runs']))} |"
        )
    missed = [f"{p['page']} {p['formFactor']}: {', '.join(p['failing'])}" for p in figures["pages"] if p["failing"]]
    if missed:
        lines += ["", "Audits below a full score in the kept runs (metric audits count towards performance):", ""]
        lines += [f"- {line}" for line in missed]
    return lines


API_HEADING = "## API against the handler in-process"


def _bound_rows(figures: dict[str, Any]) -> list[str]:
    """The emulator's own bound, measured in the same run, and how close the pipeline came to it."""
    if not figures.get("emulator_bound_orders_per_second"):
        return []
    return [
        f"| AWS calls the local cloud served per order (status polling included) | {figures['aws_calls_per_order']} |",
        f"| local cloud's calls per second at most (GetItem burst) | {figures['emulator_calls_per_second']} |",
        f"| emulator's bound: calls per second / calls per order | {figures['emulator_bound_orders_per_second']} "
        "orders/s |",
        f"| sustained / bound | {figures['ratio_to_emulator_bound']} |",
        *(
            [
                "| local cloud's CPU per order, first 202 to last mail | "
                f"{figures['emulator_cpu_seconds_per_order']} s |",
                f"| cores the local cloud used at most (in the GetItem burst) | {figures['emulator_cores_at_most']} |",
                f"| emulator's bound for this run's mix: cores / CPU per order | "
                f"{figures['emulator_cpu_bound_orders_per_second']} orders/s |",
                f"| sustained / bound for this run's mix | {figures['ratio_to_emulator_cpu_bound']} |",
            ]
            if figures.get("emulator_cpu_bound_orders_per_second")
            else []
        ),
    ]


def api_section(api: dict[str, Any], samples: int | str, rounds: int) -> list[str]:
    """The App Server rows (`make bench`, or `make bench-api` with its rounds) and where their time goes."""
    runs = f"{samples} calls each" + (f"; each figure the median of {rounds} such rounds." if rounds > 1 else ".")
    lines = [
        API_HEADING,
        "",
        "Through API Gateway (authorizer included for POST /orders) against the App Server's handler imported",
        "into the bench process with the deployed function's environment (same tables, queue, Payment mock).",
        "The schedules that start the workflow are off while these are timed, so the figures are the request path",
        "alone: in one emulator process, the workflow draining the orders just placed would share the CPU with them",
        "(the pipeline's own rates are the sustained orders/s below).",
        runs,
        "",
        "| route | API p50 / p99 (ms) | in-process p50 / p99 (ms) | ratio (p50) |",
        "|---|---|---|---|",
    ]
    for route, figure in api.items():
        lines.append(
            f"| {route} | {_pp(figure['api_ms'])} | {_pp(figure['in_process_ms'])} | "
            f"{figure['api_vs_in_process_p50_ratio']}x |"
        )
    return [*lines, "", *WHERE_THE_TIME_GOES] if WHERE_THE_TIME_GOES else lines


def update_api_section(api: dict[str, Any], samples: int, rounds: int) -> Path:
    """Rewrite only the App Server section of docs/performance.md (what `make bench-api` measured)."""
    lines = DOC.read_text().splitlines()
    start = lines.index(API_HEADING)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    DOC.write_text("\n".join([*lines[:start], *api_section(api, samples, rounds), "", *lines[end:]]) + "\n")
    return DOC


COST_HEADING = "## Billed units per order, counted from the executions"


UNIT_ROWS = {  # billed units per order, in the order the table shows them
    "app_server_invocations": "Lambda App Server invocations",
    "app_server_gb_seconds": "Lambda App Server GB-s",
    "authorizer_invocations": "Lambda authorizer invocations",
    "authorizer_gb_seconds": "Lambda authorizer GB-s",
    "cloudfront_requests": "CloudFront requests",
    "cloudfront_gb_out": "CloudFront GB out",
    "apigateway_requests": "API Gateway REST requests",
    "dynamodb_read_units": "DynamoDB read request units",
    "dynamodb_write_units": "DynamoDB write request units",
    "sqs_requests": "SQS requests",
    "sns_requests": "SNS requests",
    "email_deliveries": "email deliveries",
    "kms_requests": "KMS requests",
    "secretsmanager_requests": "Secrets Manager calls",
}
DOLLAR_ROWS = {
    "stepfunctions_express": "Step Functions EXPRESS",
    "lambda": "Lambda, Process Order",
    "lambda_app_server": "Lambda, App Server",
    "lambda_authorizer": "Lambda, authorizer",
    "lambda_sweeper": "Lambda, the sweeper",
    "cloudfront": "CloudFront",
    "apigateway": "API Gateway",
    "dynamodb": "DynamoDB",
    "sqs": "SQS",
    "sns": "SNS",
    "email": "email (SNS deliveries)",
    "kms": "KMS",
    "secretsmanager": "Secrets Manager",
}


def _at_rest_lines(rest: dict[str, Any]) -> list[str]:
    month = rest["month_dollars"]
    per_run = ", ".join(f"{v} {UNIT_ROWS.get(k, k)}" for k, v in rest["per_poller_run"].items()) or "nothing else"
    per_sweep = ", ".join(f"{v} {UNIT_ROWS.get(k, k)}" for k, v in rest["per_sweep"].items()) or "nothing else"
    lines = [
        "",
        f"**At rest** ({rest['seconds']} s with no order: {rest['idle_runs']} poller runs on an empty queue and "
        f"{rest['sweeps']} sweeps here). Each poller run: {per_run}; each sweep: {per_sweep}. A month at AWS's",
        "rates (the poller once a minute, the sweeper every 5 minutes):",
        "",
        "| service | $ a month at rest |",
        "|---|---|",
    ]
    lines += [f"| {DOLLAR_ROWS.get(k, k)} | {v} |" for k, v in month.items() if v]
    return [*lines, f"| **measured total** | **{rest['month_dollars_total']}** |"]


def cost_section(cost: dict[str, Any]) -> list[str]:
    """What tools/bench/cost_bench.py counted (tools/billed_units.py, tools/billed_calls.py), priced with
    tools/list_prices.py."""
    scenarios = {name: figure for name, figure in cost.items() if name != "at_rest"}
    lines = [
        COST_HEADING,
        "",
        "Counted from the local executions and the local cloud's own counts (`make bench-cost`, also part of `make",
        "bench`). Step Functions and Lambda from the executions' records (tools/billed_units.py): both workflows are",
        "EXPRESS, so one request per run (the poller's runs that found orders, and each batch) and its duration",
        "(100 ms steps, 64 MB) from the runs' records in their log groups (level ALL for the bench); every function's",
        "invocations and billed duration from its REPORT lines (Process Order's sweeps apart). The rest from what the",
        "local cloud served (tools/billed_calls.py, `GET /_localcloud/calls`): API Gateway requests, DynamoDB read",
        "and write request units as AWS bills an on-demand table (localcloud's dynamodb_units.py), SQS and SNS",
        "requests, KMS and Secrets Manager calls, and the mails the sink received. The bench's own reads (waiting for",
        "its orders, the logs) are not billed. One order is a new visitor's session through the storefront's",
        "CloudFront, twice within 30 s (the second finds the catalog in CloudFront's cache): the site's files, the 20",
        "thumbnails of a catalog page, and 10 API calls (5 catalog reads, sign in, the order, 3 reads of it); the",
        "edge counts its requests and bytes out. Under load the clients only place orders: the run's sign-ins and",
        "stock top-up come before its window, its reads of every order through the API (to reconcile) after it. The",
        "local schedules",
        "fire every second instead of every minute: what the idle poller runs and the sweeps in a window with orders",
        "would cost anyway (measured at rest, below) is taken out. Priced at the list prices in tools/list_prices.py;",
        "the local cloud runs a batch slower than AWS.",
        "",
        "| scenario | orders | busy poller runs | batches | EXPRESS requests / order | EXPRESS GB-s / order "
        "| Lambda invocations / order | $ / 1,000 orders: Step Functions / Lambda = total |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, figure in scenarios.items():
        dollars = figure["dollars_per_1000_orders"]
        lines.append(
            f"| {name.replace('_', ' ')} | {figure['orders']} | {figure['busy_runs']} | {figure['batches']} | "
            f"{figure['express_requests_per_order']} | {figure['express_gb_seconds_per_order']} | "
            f"{figure['lambda_requests_per_order']} | "
            f"{dollars['stepfunctions_express']} / {dollars['lambda']} = {figure['dollars_per_1000_orders_total']} |"
        )
    lines += ["", "(Lambda there is Process Order as the batches invoke it.)"]
    measured = {name: figure for name, figure in scenarios.items() if "services" in figure}
    if measured:
        header = " | ".join(name.replace("_", " ") for name in measured)
        lines += [
            "",
            "Billed units per order, every service:",
            "",
            f"| unit | {header} |",
            "|---|" + "---|" * len(measured),
        ]
        for key, label in UNIT_ROWS.items():
            values = [str(f["services"]["units_per_order"].get(key, "-")) for f in measured.values()]
            lines.append(f"| {label} | {' | '.join(values)} |")
        lines += [
            "",
            "$ per 1,000 orders, every service:",
            "",
            f"| service | {header} |",
            "|---|" + "---|" * len(measured),
        ]
        for key, label in DOLLAR_ROWS.items():
            values = [f["services"]["dollars_per_1000_orders"].get(key) for f in measured.values()]
            if any(v is not None for v in values):
                lines.append(f"| {label} | {' | '.join('-' if v is None else str(v) for v in values)} |")
        totals = " | ".join(f"**{f['dollars_per_1000_orders_measured']}**" for f in measured.values())
        lines.append(f"| **measured total** | {totals} |")
    if "at_rest" in cost:
        lines += _at_rest_lines(cost["at_rest"])
    else:
        idle = [f["idle_month_dollars"] for f in scenarios.values() if f.get("idle_month_dollars") is not None]
        if idle:
            lines += [
                "",
                f"Poller runs on an empty queue, one a minute for a month (the shop at rest): ${idle[0]} of Step"
                " Functions.",
            ]
    return lines


def update_cost_section(cost: dict[str, Any]) -> Path:
    """Rewrite (or add) only the cost section of docs/performance.md (what `make bench-cost` measured)."""
    lines = DOC.read_text().splitlines()
    if COST_HEADING not in lines:
        DOC.write_text("\n".join([*lines, "", *cost_section(cost)]) + "\n")
        return DOC
    start = lines.index(COST_HEADING)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    DOC.write_text("\n".join([*lines[:start], *cost_section(cost), "", *lines[end:]]) + "\n")
    return DOC


def write_performance_md(figures: dict[str, Any]) -> Path:
    shop, box = figures["shop"], figures["machine_details"]
    api, orders = shop["api"], shop["orders"]
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (tools/bench/run.py and shop_bench.py); figures from one run on the machine",
        "below, with other work sharing it. They describe the local cloud, not AWS: use them to compare changes.",
        "Nothing asserts on time; `make test` proves behaviour, including the small load test with faults.",
        "",
        "## Machine",
        "",
        f"- CPU: {box['cpu']}",
        f"- Memory: {box['memory']}",
        f"- OS: {box['os']}; Python {box['python']}",
        "",
        "## Local cloud",
        "",
        "| figure | value |",
        "|---|---|",
        f"| `make up` to healthy (local cloud and both mocks) | {shop['make_up_to_healthy_s']} s |",
        f"| local cloud alone, start to healthy (median of 3) | {figures['start_to_healthy_s_median_of_3']} s |",
        f"| deploy, first run (`stacks.deploy deploy`: package, both stacks, seed, site) | "
        f"{shop['deploy_first_run_s']} s |",
        f"| deploy, no-change run | {shop['deploy_no_change_run_s']} s |",
        f"| Lambda warm invoke, p50 / p99 | {_pp(figures['lambda_warm_invoke_ms'])} ms |",
        f"| API Gateway request (fixture API), p50 / p99 | {_pp(figures['api_gateway_request_ms'])} ms |",
        "",
        "`make deploy-local` is the deploy tool after `make ui`; the bench runs the tool alone, as env `bench`.",
        "",
        *api_section(api, shop.get("api_samples", "N"), 1),
        "",
        "## Orders, end to end",
        "",
        f"{orders['placed']} orders, {orders['concurrency']} clients at once, no faults (tools.load.run), "
        f"reconciled with the Payment and Shipment ledgers and the mail sink: "
        f"**{'zero loss' if orders['reconciled_zero_loss'] else 'NOT reconciled: ' + '; '.join(orders['problems'])}**.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| accepted | {orders['accepted']} of {orders['placed']} ({orders['statuses']}) |",
        f"| 202 to confirmation mail, p50 / p99 | {_pp(orders['202_to_mail_ms'])} ms |",
        f"| orders accepted per second (placing) | {orders['accepted_per_second']} |",
        f"| sustained orders per second, first 202 to last mail, zero loss | {orders['sustained_orders_per_second']} |",
        *_bound_rows(orders),
        "",
        "The workflow is started every second here (LOCALCLOUD_SCHEDULE_RATE_SECONDS=1); with a backlog each execution",
        "runs receivers of up to 10 messages a round, and the local Lambda runner starts warm workers as invocations",
        "need them, up to 16 per function (LOCALCLOUD_LAMBDA_MAX_WORKERS). The local cloud is one Python process:",
        "its one core (the GIL) is the emulator's bound. Measured above two ways in the same run: the calls per second",
        "it serves at most (a GetItem burst, the cheapest call: an upper bound, since the order's calls cost more and",
        "the Step Functions interpreter's work between them is no call at all), and its CPU seconds per order over the",
        "run against the cores it uses at most: the bound for this run's own mix.",
        "",
        "## Lambda packages",
        "",
        "| function | zip | cold import of its handler module (median of 5 fresh interpreters) |",
        "|---|---|---|",
    ]
    for function, figure in shop["lambda_packages"].items():
        lines.append(f"| {function} | {figure['zip_kib']} KiB | {figure['cold_import_ms_median_of_5']} ms |")
    lines += lighthouse_section(shop.get("lighthouse"))
    if shop.get("cost"):
        lines += ["", *cost_section(shop["cost"])]
    if LOAD_REPORT.exists():
        lines += ["", *load_section(json.loads(LOAD_REPORT.read_text()))]
    DOC.write_text("\n".join(lines) + "\n")
    return DOC


LOAD_HEADING = "## Last `make load` on this machine"


def load_section(report: dict[str, Any]) -> list[str]:
    """The last `make load` report (.artifacts/load-report.json)."""
    return [
        LOAD_HEADING,
        "",
        f"`make load N={report['orders']} C={report['concurrency']} "
        f"FAULTS={','.join(report['faults']) or 'none'}` (from .artifacts/load-report.json):",
        "",
        "| figure | value |",
        "|---|---|",
        f"| accepted | {report['accepted']} of {report['orders']}; refused: {report['rejected'] or 'none'} |",
        f"| final statuses | {report['statuses']} |",
        f"| reconciled | {'yes, no problem found' if not report['problems'] else report['problems'][:5]} |",
        f"| client retries (503 during faults) | {report['client_retries']} |",
        f"| duplicate deliveries sent | {report['duplicates_sent']} |",
        f"| worker kills (Runtime.ExitError logged) | {report['worker_kills']} |",
        f"| 202 to mail p50 / p99 | {_pp(report['mail_latency_ms']) if report['mail_latency_ms'] else '-'} ms |",
        f"| accepted per second / sustained per second | {report['accepted_per_second']} / "
        f"{report['completed_per_second']} |",
        *_bound_rows({**report, "sustained_orders_per_second": report["completed_per_second"]}),
        f"| whole run | {report['total_seconds']} s |",
    ]


def update_load_section() -> Path:
    """Only the last `make load` section of docs/performance.md, from .artifacts/load-report.json (`python -m
    tools.bench.write_docs --load`), for a load run made after the bench."""
    lines = DOC.read_text().splitlines()
    start = lines.index(LOAD_HEADING) if LOAD_HEADING in lines else len(lines)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    section = load_section(json.loads(LOAD_REPORT.read_text()))
    DOC.write_text("\n".join([*lines[:start], *section, *lines[end:]]).rstrip("\n") + "\n")
    return DOC


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--load"]:
        raise SystemExit("usage: python -m tools.bench.write_docs --load")
    print(f"wrote {update_load_section()}")
