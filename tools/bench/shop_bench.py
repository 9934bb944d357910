"""Issue-7 figures for `make bench`: the whole shop on its own port block. Prints and returns; asserts nothing.

- `make up` to healthy (localcloud.ctl up: the cloud and both mocks) and `make down`;
- the deploy tool's first run and a no-change run (`stacks.deploy deploy`, what `make deploy-local` runs after
  building the UI; env `bench`, so a developer's `local` outputs are untouched);
- API p50/p99 of GET /products and POST /orders through API Gateway against the same handler called in-process;
- order latency from the 202 to the confirmation mail, and sustained orders/s with zero loss (tools.load.run);
- each Lambda package's size and its handler's cold import time;
- Lighthouse on the storefront's catalog, product and checkout pages, phone and desktop (lighthouse_bench.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import boto3
import requests
from localcloud.lambda_runner import RUNTIME_PACKAGES, interpreter_for
from localcloud.testing import free_ports

from tests.support.handlers import api_event
from tests.support.shop import ADDRESS, FAST_PIPELINE, Mock, Shop
from tools.bench.cost_bench import BilledLoadRun, at_rest, observer, one_order
from tools.bench.lighthouse_bench import lighthouse_figures
from tools.load import model

ROOT = Path(__file__).resolve().parents[2]

FUNCTIONS = ("app_server", "authorizer", "process_order")
BENCH_ENV = "bench"  # the deploy tool's env name for the bench deployment


def percentiles(samples: list[float], digits: int = 2) -> dict[str, float]:
    return {"p50": round(model.percentile(samples, 50), digits), "p99": round(model.percentile(samples, 99), digits)}


def timed(fn: Callable[[], Any], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def cloud_env(base: int, state: Path) -> dict[str, str]:
    """The environment of a bench cloud on ports base..base+3 with its state in `state`."""
    return {
        **os.environ,
        "LOCALCLOUD_PORT": str(base),
        "LOCALCLOUD_EDGE_PORT": str(base + 1),
        "LOCALCLOUD_SMTP_PORT": str(base + 2),
        "LOCALCLOUD_MAIL_API_PORT": str(base + 3),
        "LOCALCLOUD_STATE_DIR": str(state),
    }


@contextmanager
def made_up(base: int, state: Path) -> Iterator[tuple[dict[str, str], float]]:
    """`make up` (localcloud.ctl up): the cloud on base..base+3, the mocks on spare ports; yields env and seconds."""
    payment_port, shipment_port = free_ports(2)
    env = cloud_env(base, state) | {
        "PAYMENT_PORT": str(payment_port),
        "SHIPMENT_PORT": str(shipment_port),
        "LOCALCLOUD_SCHEDULE_RATE_SECONDS": "1",
    }
    started = time.perf_counter()
    up = subprocess.run([sys.executable, "-m", "localcloud.ctl", "up"], cwd=ROOT, env=env, capture_output=True)
    seconds = time.perf_counter() - started
    try:
        if up.returncode != 0:
            raise SystemExit(f"make up failed:\n{up.stdout.decode()[-2000:]}\n{up.stderr.decode()[-2000:]}")
        yield env, seconds
    finally:
        subprocess.run([sys.executable, "-m", "localcloud.ctl", "down"], cwd=ROOT, env=env, capture_output=True)


def deploy(env: dict[str, str], params: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "stacks.deploy", "deploy", "--env", BENCH_ENV],
        cwd=ROOT, env={**env, "SHOP_PARAMS_FILE": str(params)}, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"deploy failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def function_environment(config: dict[str, Any]) -> dict[str, str]:
    """A function's variables as strings: the local cloud's GetFunctionConfiguration gives a Number parameter's
    Ref as a number (AWS gives a string), which os.environ and subprocess refuse."""
    return {name: str(value) for name, value in config["Environment"]["Variables"].items()}


def in_process_app_server(function: dict[str, Any], endpoint: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The App Server's handler imported here with the deployed function's environment."""
    os.environ.update(function_environment(function))
    os.environ.update(AWS_ENDPOINT_URL=endpoint, POWERTOOLS_LOG_LEVEL="ERROR", LOG_LEVEL="ERROR")
    for path in (ROOT / "functions", ROOT / "functions" / "app_server"):
        sys.path.insert(0, str(path))
    from app_server.handler import handler

    context = SimpleNamespace(
        function_name=function["FunctionName"],
        function_version="$LATEST",
        invoked_function_arn=function["FunctionArn"],
        memory_limit_in_mb=function["MemorySize"],
        aws_request_id="bench",
        log_group_name="bench",
        log_stream_name="bench",
        get_remaining_time_in_millis=lambda: 30000,
    )
    return lambda event: dict(handler(event, cast(Any, context)))


def api_calls(shop: Any, endpoint: str, n: int) -> dict[str, tuple[Callable[[], None], Callable[[], None]]]:
    """Each route's call through API Gateway and in-process, enough stock and card tokens for `n` of each."""
    lam = boto3.client("lambda", endpoint_url=endpoint)
    function = lam.get_function_configuration(FunctionName=shop.outputs["AppServerFunctionName"])
    handler = in_process_app_server(function, endpoint)
    session = requests.Session()
    auth = shop.login()
    product_id = max(shop.products(), key=lambda p: int(p["stock"]))["id"]
    boto3.client("dynamodb", endpoint_url=endpoint).update_item(
        TableName=shop.outputs["ProductsTableName"], Key={"id": {"S": product_id}},
        UpdateExpression="SET stock = :s", ExpressionAttributeValues={":s": {"N": str(10 * n + 100)}},
    )  # fmt: skip
    tokens = [shop.card_token() for _ in range(2 * n + 2)]

    def order_body() -> str:
        return json.dumps(
            {
                "items": [{"product_id": product_id, "quantity": 1}],
                "address": ADDRESS,
                "payment_token": tokens.pop(),
            }
        )

    def api_products() -> None:
        session.get(f"{shop.api}/products", params={"limit": "20"}, timeout=30).raise_for_status()

    def local_products() -> None:
        assert handler(api_event("GET", "/products", query={"limit": "20"}))["statusCode"] == 200

    def api_order() -> None:
        headers = {**auth, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
        answer = session.post(f"{shop.api}/orders", data=order_body(), headers=headers, timeout=30)
        assert answer.status_code == 202, answer.text

    def local_order() -> None:
        event = api_event(
            "POST", "/orders", body=order_body(), headers={"Idempotency-Key": str(uuid.uuid4())}, customer_id="c-0001"
        )
        answer = handler(event)
        assert answer["statusCode"] == 202, answer

    return {"GET /products": (api_products, local_products), "POST /orders": (api_order, local_order)}


@contextmanager
def pipeline_paused(endpoint: str, env: str) -> Iterator[None]:
    """The schedules that start the workflow and the sweeper off while the block runs, on again after it.

    The request-path figures measure the API and the App Server alone: in one emulator process the workflow
    draining the orders the bench just placed would otherwise share the CPU with the requests being timed.
    """
    scheduler = boto3.client("scheduler", endpoint_url=endpoint)
    names = [s["Name"] for s in scheduler.list_schedules(NamePrefix=f"{env}-shop-")["Schedules"]]
    kept = {"Name", "GroupName", "ScheduleExpression", "FlexibleTimeWindow", "Target", "Description", "State"}

    def switch(state: str) -> None:
        for name in names:
            schedule = {k: v for k, v in scheduler.get_schedule(Name=name).items() if k in kept}
            scheduler.update_schedule(**{**schedule, "State": state})

    switch("DISABLED")
    try:
        yield
    finally:
        switch("ENABLED")


def api_figures(shop: Any, endpoint: str, n: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with pipeline_paused(endpoint, BENCH_ENV):
        for name, (through_api, in_process) in api_calls(shop, endpoint, n).items():
            through_api(), in_process()  # warm both paths
            api, local = timed(through_api, n), timed(in_process, n)
            ratio = model.percentile(api, 50) / max(model.percentile(local, 50), 1e-6)
            figures[name] = {
                "api_ms": percentiles(api),
                "in_process_ms": percentiles(local),
                "api_vs_in_process_p50_ratio": round(ratio, 2),
            }
    return figures


def runtime_dir(into: Path) -> Path:
    """boto3 & co. as the Lambda runtime provides them (what the local Lambda runner links for every worker)."""
    into.mkdir()
    for name in RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            origin = Path(spec.origin)
            source = origin.parent if origin.name == "__init__.py" else origin
            (into / source.name).symlink_to(source)
    return into


def package_figures(shop: Any, endpoint: str, repeat: int = 5) -> dict[str, Any]:
    """Each deployed zip's size and its handler's cold import time (a fresh interpreter of the function's runtime
    each time, median): what an AWS cold start adds to the runtime's own start."""
    lam = boto3.client("lambda", endpoint_url=endpoint)
    from stacks.packaging import package

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runtime = runtime_dir(Path(tmp) / "runtime")
        for function in FUNCTIONS:
            zip_path = package(function)
            name = shop.outputs[f"{''.join(p.title() for p in function.split('_'))}FunctionName"]
            config = lam.get_function_configuration(FunctionName=name)
            code = Path(tmp) / function
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(code)
            module = config["Handler"].rsplit(".", 1)[0]  # <name>.handler.handler: the module <name>.handler
            probe = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
            env = {
                **os.environ,
                **function_environment(config),
                "AWS_ENDPOINT_URL": endpoint,
                "PYTHONPATH": f"{code}:{runtime}",
            }
            python = interpreter_for(config["Runtime"])
            seconds = []
            for _ in range(repeat):
                out = subprocess.run([python, "-s", "-c", probe], cwd=code, env=env, capture_output=True, text=True)
                if out.returncode != 0:
                    raise SystemExit(f"{function}: import {module} failed:\n{out.stderr[-2000:]}")
                seconds.append(float(out.stdout.strip().splitlines()[-1]))
            figures[function] = {
                "runtime": config["Runtime"],
                "zip_kib": round(zip_path.stat().st_size / 1024),
                "cold_import_ms_median_of_5": round(statistics.median(seconds) * 1000),
            }
    return figures


def deploy_shop(base_port: int, env: dict[str, str], tmp: Path, runs: int) -> tuple[Any, list[float]]:
    """The shop deployed as env `bench` into the cloud `made_up` started, `runs` times (the first run, then
    no-change runs); the Shop to drive it and each run's seconds. Points this process's boto3 at that cloud."""
    endpoint = f"http://localhost:{base_port}"
    mail_url = f"http://localhost:{base_port + 3}"
    payment_url = f"http://localhost:{env['PAYMENT_PORT']}"
    shipment_url = f"http://localhost:{env['SHIPMENT_PORT']}"
    params = tmp / "bench.json"
    params.write_text(
        json.dumps(
            {
                "Parameters": {"PaymentUrl": payment_url, "ShipmentUrl": shipment_url, **FAST_PIPELINE},
                "Site": {"paymentUrl": payment_url},
                "Local": {"MailUrl": mail_url},
            }
        )
    )
    env = {**env, "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    seconds = [deploy(env, params) for _ in range(runs)]
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    outputs = json.loads((ROOT / ".artifacts" / f"outputs-{BENCH_ENV}.json").read_text())
    mocks = [Mock(name, url, None) for name, url in (("payment", payment_url), ("shipment", shipment_url))]
    return Shop(outputs, mocks[0], mocks[1], mail_url), seconds


@contextmanager
def bench_shop(base_port: int) -> Iterator[tuple[Any, str]]:
    """The shop deployed once into its own cloud (`make up` on base_port..+3): the Shop and the endpoint."""
    os.environ.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    with tempfile.TemporaryDirectory() as tmp, made_up(base_port, Path(tmp) / "state") as (env, _):
        shop, _ = deploy_shop(base_port, env, Path(tmp), runs=1)
        yield shop, f"http://localhost:{base_port}"


def shop_figures(base_port: int, n: int, orders: int, concurrency: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, made_up(base_port, Path(tmp) / "state") as (env, up_seconds):
        figures["make_up_to_healthy_s"] = round(up_seconds, 2)
        endpoint = f"http://localhost:{base_port}"
        shop, deploy_seconds = deploy_shop(base_port, env, Path(tmp), runs=2)
        figures["deploy_first_run_s"], figures["deploy_no_change_run_s"] = (round(s, 2) for s in deploy_seconds)
        # Issue 14: the shop at rest before any order (later, the sweeper would still be finishing the API figures'
        # orders, and its writes would be taken for the schedules' own cost).
        rest_figure, rest = at_rest(shop, endpoint)
        # Issue 15: Lighthouse first, while nothing else loads the shop.
        figures["lighthouse"] = lighthouse_figures(
            shop.outputs["WebUrl"], int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
        )
        outputs = shop.outputs
        figures["api"] = api_figures(shop, endpoint, n)
        figures["api_samples"] = n

        def client(service: str) -> Any:
            return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")

        # Let the orders the API figures placed drain first: the load run measures its own orders only.
        sqs = client("sqs")

        def drained() -> bool:
            names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            found = sqs.get_queue_attributes(QueueUrl=outputs["OrdersQueueUrl"], AttributeNames=names)
            return sum(int(v) for v in found["Attributes"].values()) == 0

        model.poll(drained, 300, 1)
        # Billed units, from the executions and the local cloud's counts (the bench's reads not billed).
        figures["cost"] = {"at_rest": rest_figure, "one_order": one_order(shop, endpoint, rest)}
        run = BilledLoadRun(
            shop, observer(endpoint), orders=orders, concurrency=concurrency, faults=set(), timeout=600,
            calibrate_seconds=10,
        )  # fmt: skip
        report = run.run()
        figures["cost"]["load"] = run.priced(rest)
        figures["orders"] = {
            "placed": orders,
            "concurrency": concurrency,
            "accepted": report.accepted,
            "statuses": report.statuses,
            "reconciled_zero_loss": report.ok,
            "problems": report.problems[:5],
            "accepted_per_second": report.accepted_per_second,
            "sustained_orders_per_second": report.completed_per_second,
            "202_to_mail_ms": report.mail_latency_ms,
            "aws_calls_per_order": report.aws_calls_per_order,
            "emulator_calls_per_second": report.emulator_calls_per_second,
            "emulator_bound_orders_per_second": report.emulator_bound_orders_per_second,
            "ratio_to_emulator_bound": report.ratio_to_emulator_bound,
            "emulator_cpu_seconds_per_order": report.emulator_cpu_seconds_per_order,
            "emulator_cores_at_most": report.emulator_cores_at_most,
            "emulator_cpu_bound_orders_per_second": report.emulator_cpu_bound_orders_per_second,
            "ratio_to_emulator_cpu_bound": report.ratio_to_emulator_cpu_bound,
        }
        figures["lambda_packages"] = package_figures(shop, endpoint)
    return figures
