"""Fire EventBridge Scheduler schedules against an endpoint that only stores them (LocalStack community).

    python -m localstack.schedules --endpoint http://localstack:4566            # in docker-compose
    python -m localstack.schedules --endpoint http://localhost:4566 --once      # one pass, then exit

Every pass lists the ENABLED schedules; a schedule with a `rate(...)` expression whose period has elapsed
starts its target with the schedule's Input, as the Scheduler service would: a Step Functions state machine
(StartExecution) or a Lambda function (asynchronous Invoke: the order sweeper). Standard library
only (the mocks image has no boto3): LocalStack routes by the SigV4 credential scope and does not check
signatures, so a scope-only Authorization header is enough. Never point this at AWS.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def _call(endpoint: str, region: str, service: str, method: str, path: str, **kwargs: Any) -> Any:
    headers = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential=test/20260101/{region}/{service}/aws4_request, "
        "SignedHeaders=host, Signature=0",
        **kwargs.get("headers", {}),
    }
    body = json.dumps(kwargs["json"]).encode() if "json" in kwargs else kwargs.get("data")
    # The endpoint the user gave (http://localstack:4566 in compose): never a file: or custom scheme.
    request = urllib.request.Request(endpoint + path, data=body, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return json.loads(answer.read() or b"{}")


def rate_seconds(expression: str) -> float | None:
    """Seconds between runs for `rate(N unit)`; None for cron() and at(), which this stand-in does not fire."""
    match = re.fullmatch(r"rate\((\d+)\s+(\w+)\)", expression.strip())
    if not match or match.group(2) not in UNITS:
        return None
    return int(match.group(1)) * UNITS[match.group(2)]


def enabled_schedules(endpoint: str, region: str) -> list[dict[str, Any]]:
    listed = _call(endpoint, region, "scheduler", "GET", "/schedules?State=ENABLED")
    schedules = []
    for item in listed.get("Schedules", []):
        group = urllib.parse.quote(item.get("GroupName") or "default")
        name = urllib.parse.quote(item["Name"])
        schedules.append(_call(endpoint, region, "scheduler", "GET", f"/schedules/{name}?groupName={group}"))
    return schedules


def start_execution(endpoint: str, region: str, target: dict[str, Any]) -> str:
    answer = _call(
        endpoint,
        region,
        "states",
        "POST",
        "/",
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.StartExecution"},
        json={"stateMachineArn": target["Arn"], "input": target.get("Input") or "{}"},
    )
    return str(answer.get("executionArn", ""))


def invoke_function(endpoint: str, region: str, target: dict[str, Any]) -> str:
    """Asynchronous Invoke (InvocationType Event), as the Scheduler invokes a function target."""
    name = urllib.parse.quote(target["Arn"], safe="")
    _call(
        endpoint,
        region,
        "lambda",
        "POST",
        f"/2015-03-31/functions/{name}/invocations",
        headers={"X-Amz-Invocation-Type": "Event", "Content-Type": "application/json"},
        data=(target.get("Input") or "{}").encode(),
    )
    return f"invoked {target['Arn']}"


STARTERS = {":states:": start_execution, ":lambda:": invoke_function}


def run_pass(endpoint: str, region: str, last_run: dict[str, float], rate_override: float, now: float) -> None:
    for schedule in enabled_schedules(endpoint, region):
        name, target = schedule["Name"], schedule.get("Target", {})
        period = rate_override or rate_seconds(schedule.get("ScheduleExpression", ""))
        start = next((fn for kind, fn in STARTERS.items() if kind in target.get("Arn", "")), None)
        if period is None or start is None:
            if name not in last_run:
                print(
                    f"schedules: {name}: only rate() schedules with a Step Functions or Lambda target are fired",
                    flush=True,
                )
                last_run[name] = float("inf")
            continue
        if now - last_run.get(name, 0.0) >= period:
            last_run[name] = now
            print(f"schedules: {name} -> {start(endpoint, region, target)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localstack.schedules", description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://localhost:4566")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--poll-seconds", type=float, default=5.0)
    parser.add_argument("--rate-seconds", type=float, default=0.0, help="fire every schedule this often instead")
    parser.add_argument("--once", action="store_true", help="one pass that fires every due schedule, then exit")
    args = parser.parse_args(argv)
    last_run: dict[str, float] = {}
    while True:
        try:
            run_pass(args.endpoint, args.region, last_run, args.rate_seconds, time.monotonic())
        except OSError as error:  # endpoint restarting: try again next pass
            print(f"schedules: {args.endpoint} not answering ({error}); retrying", file=sys.stderr, flush=True)
        if args.once:
            return 0
        time.sleep(args.poll_seconds)


if __name__ == "__main__":
    raise SystemExit(main())
