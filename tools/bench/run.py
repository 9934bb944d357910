"""`make bench`: figures for the local cloud. Prints medians and ratios; asserts nothing about time.

Starts its own local cloud on a spare port block (so a running `make up` is untouched), then measures:
start to healthy; deploying a fixture stack; Lambda first and warm invoke latency against calling the
same handler in-process; API Gateway request latency against a direct invoke. Then the whole shop
(tools/bench/shop_bench.py) and docs/performance.md (tools/bench/write_docs.py).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import requests

from tools.bench.shop_bench import cloud_env, shop_figures, timed
from tools.bench.write_docs import machine, write_performance_md
from tools.load.model import percentile

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "tests" / "fixtures" / "templates" / "bench_stack.yaml"
PORT = int(os.environ.get("BENCH_PORT", "4590"))
ENDPOINT = f"http://localhost:{PORT}"
N = int(os.environ.get("BENCH_N", "200"))
N_SHOP = int(os.environ.get("BENCH_API_N", "100"))  # API calls per figure (each POST /orders places an order)
BENCH_ORDERS = int(os.environ.get("BENCH_ORDERS", "200"))
BENCH_CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "10"))


def start_cloud(state: Path) -> tuple[subprocess.Popen[bytes], float]:
    env = cloud_env(PORT, state)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "localcloud"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    while True:
        try:
            if requests.get(f"{ENDPOINT}/_localstack/health", timeout=1).ok:
                return proc, time.perf_counter() - started
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.perf_counter() - started > 60:
            raise SystemExit("local cloud did not start")
        time.sleep(0.05)


def stop_cloud(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def in_process_handler() -> Callable[[dict[str, Any], Any], Any]:
    """The fixture's inline handler, compiled here, to compare with the same code behind Lambda."""
    template = TEMPLATE.read_text()
    source = template.split("ZipFile: |\n", 1)[1].split("\n\n  Api:", 1)[0]
    code = "\n".join(line[10:] for line in source.splitlines())
    namespace: dict[str, Any] = {}
    exec(compile(code, "index.py", "exec"), namespace)  # noqa: S102 - our own fixture code
    return namespace["handler"]


def main() -> int:
    os.environ.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    }
    with tempfile.TemporaryDirectory() as state:
        starts = []
        for _ in range(3):
            proc, seconds = start_cloud(Path(state))
            starts.append(seconds)
            stop_cloud(proc)
        figures["start_to_healthy_s_median_of_3"] = round(statistics.median(starts), 3)

        proc, _ = start_cloud(Path(state))
        try:
            cfn = boto3.client("cloudformation", endpoint_url=ENDPOINT)
            lam = boto3.client("lambda", endpoint_url=ENDPOINT)
            started = time.perf_counter()
            cfn.create_stack(StackName="bench", TemplateBody=TEMPLATE.read_text(), Capabilities=["CAPABILITY_IAM"])
            while (stack := cfn.describe_stacks(StackName="bench")["Stacks"][0])["StackStatus"].endswith("IN_PROGRESS"):
                time.sleep(0.05)
            figures["deploy_fixture_stack_s"] = round(time.perf_counter() - started, 3)
            if stack["StackStatus"] != "CREATE_COMPLETE":
                raise SystemExit(f"bench stack: {stack['StackStatus']} {stack.get('StackStatusReason')}")
            outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
            payload = json.dumps({"path": "/bench"}).encode()

            def invoke() -> None:
                lam.invoke(FunctionName=outputs["FunctionName"], Payload=payload)["Payload"].read()

            figures["lambda_first_invoke_ms"] = round(timed(invoke, 1)[0], 2)
            warm = timed(invoke, N)
            handler = in_process_handler()
            local = timed(lambda: handler({"path": "/bench"}, None), N)
            figures["lambda_warm_invoke_ms"] = {
                "p50": round(percentile(warm, 50), 2),
                "p99": round(percentile(warm, 99), 2),
            }
            figures["in_process_call_ms"] = {
                "p50": round(percentile(local, 50), 4),
                "p99": round(percentile(local, 99), 4),
            }
            figures["lambda_vs_in_process_p50_ratio"] = round(percentile(warm, 50) / max(percentile(local, 50), 1e-6))

            session = requests.Session()
            url = f"{ENDPOINT}/_aws/execute-api/{outputs['ApiId']}/bench/bench"
            session.get(url, timeout=10)
            api = timed(lambda: session.get(url, timeout=10).raise_for_status(), N)
            figures["api_gateway_request_ms"] = {
                "p50": round(percentile(api, 50), 2),
                "p99": round(percentile(api, 99), 2),
            }
            figures["api_gateway_vs_direct_invoke_p50_ratio"] = round(percentile(api, 50) / percentile(warm, 50), 2)
        finally:
            stop_cloud(proc)
    figures["samples_per_latency_figure"] = N
    # Issue 7: the whole shop (make up, deploy, API against in-process, orders to mail, packages).
    figures["shop"] = shop_figures(PORT, N_SHOP, BENCH_ORDERS, BENCH_CONCURRENCY)
    figures["machine_details"] = machine()
    print(json.dumps(figures, indent=2))
    out = ROOT / ".artifacts" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {write_performance_md(figures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
