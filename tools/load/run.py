"""Load and faults, reconciled: place N orders with concurrency C while the workflow runs, then reconcile.

    python -m tools.load --orders 1000 --concurrency 20 --faults all   (or a comma-separated list of FAULTS)

Uses the local cloud at LOCALCLOUD_PORT if one is healthy there (else starts its own and stops it by pid), starts
the Payment and Shipment mocks on spare ports and deploys the shop as env `load` with the real deploy tool, exactly
as the end-to-end tests do. Everything stays on loopback and is bounded in count (--orders) and time (--timeout).

The ledger is rebuilt from outside only: the API (each order's status, the products' stock), the Payment mock's
GET /v1/payments, the Shipment mock's GET /v1/shipments and the mail sink. The rules (`reconcile`):
every order the API wrote (accepted or not: the order id follows from the customer and the Idempotency-Key) reaches a
terminal status, none is left PENDING/PAID/SHIPPING/CANCELLING/FAILING; a SHIPPED order has one authorization, one
capture, no refund or void and one shipment (never both goods and money back); a failed or cancelled one no shipment,
at most one capture and exactly one refund (captured) or void (not captured); one outcome mail per terminal order and
at most one "accepted" mail; a cancel answered 200 ended CANCELLED and one answered 409 too_late_to_cancel SHIPPED; a
request that was never accepted captured nothing; each product's stock is its stock before the run minus what
shipped, never negative; the queue ends empty and the dead-letter queue holds exactly the poison messages.

Faults: payment-errors (30% 503 + latency), shipment-errors (30% 503), payment-down (a window), duplicates (messages
sent again), kill-worker (SIGKILL a Process Order worker mid-invocation), cancel-storm (a quarter of the customers
cancel at a random moment, shipping included), slow-shipment (1.5 s per shipment), send-failures (the queue refuses
the App Server's sends for a window, and App Server workers are killed mid-request), lambda-throttle (Process Order's
reserved concurrency is 0 for a window: every invoke is throttled), poison (malformed messages on the queue).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import random
import signal
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from tests.support.shop import (
    ADDRESS,
    DEMO_PASSWORD,
    GOOD_CARD,
    STAFF_EMAIL,
    Shop,
    workflow_settled,
)
from tools.load.model import (
    CUSTOMERS,
    FAULTS,
    ORDER_ID,
    POISON,
    RETRY_SECONDS,
    TERMINAL,
    LoadReport,
    Placed,
    accepted_mail,
    order_id_for,
    percentile,
    poll,
)


class LoadRun:
    def __init__(
        self,
        shop: Shop,
        aws: Callable[[str], Any],
        *,
        orders: int,
        concurrency: int,
        faults: set[str],
        timeout: float,
        quantity: int = 1,
        down_seconds: float = 4.0,
        calibrate_seconds: float = 0.0,
    ) -> None:
        unknown = faults - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}; choose from {', '.join(FAULTS)}")
        self.shop, self.aws = shop, aws
        self.orders, self.concurrency, self.faults = orders, concurrency, faults
        self.timeout, self.quantity, self.down_seconds = timeout, quantity, down_seconds
        self.calibrate_seconds = calibrate_seconds
        self.endpoint = str(aws("sqs").meta.endpoint_url).rstrip("/")
        self.run_id = uuid.uuid4().hex[:8]
        self.report = LoadReport(orders, concurrency, sorted(faults))
        self.placed: list[Placed] = []
        self.auth: dict[str, dict[str, str]] = {}
        self.customer_ids: dict[str, str] = {}
        self.stock_before: dict[str, int] = {}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._done_placing = 0
        self._started = 0.0
        self._cpu_samples: list[tuple[float, float]] = []  # (epoch seconds, the cloud's CPU seconds)

    # -- helpers ---------------------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _event(self, text: str) -> None:
        with self._lock:
            self.report.events.append(f"{time.monotonic() - self._started:7.1f}s {text}")

    def _payment_faults(self, down: bool = False) -> None:
        errors = "payment-errors" in self.faults
        self.shop.payment.fault(error_rate=0.3 if errors else 0.0, latency_ms=150 if errors else 0, down=down)

    # -- setup -----------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Log every demo customer in and give the chosen products more stock than the run can take."""
        for email in CUSTOMERS:
            answer = self.shop.session.post(
                f"{self.shop.api}/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=30
            )
            answer.raise_for_status()
            self.auth[email] = {"Authorization": f"Bearer {answer.json()['token']}"}
            self.customer_ids[email] = answer.json()["customer"]["id"]
        products = sorted(self.shop.products(), key=lambda p: -int(p["stock"]))[:4]
        table = self.aws("dynamodb")
        need = self.orders * self.quantity + 10
        for product in products:
            if int(product["stock"]) < need:  # "reseed": an operator tops the stock up before the run
                table.update_item(
                    TableName=self.shop.outputs["ProductsTableName"],
                    Key={"id": {"S": product["id"]}},
                    UpdateExpression="SET stock = :s",
                    ExpressionAttributeValues={":s": {"N": str(need)}},
                )
            self.stock_before[product["id"]] = int(self.shop.product(product["id"])["stock"])
        ids = list(self.stock_before)
        self.placed = [
            Placed(f"load-{self.run_id}-{i:05d}", CUSTOMERS[i % len(CUSTOMERS)], ids[i % len(ids)], self.quantity)
            for i in range(self.orders)
        ]

    # -- placing orders --------------------------------------------------------------------------------
    def _token(self) -> str:
        last = ""
        deadline = time.monotonic() + RETRY_SECONDS
        for attempt in range(1000):
            if attempt and time.monotonic() > deadline:
                break
            try:
                answer = self._session().post(
                    f"{self.shop.payment.url}/v1/tokens",
                    json={"card_number": GOOD_CARD, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
                    timeout=10,
                )
            except requests.RequestException as error:
                last = str(error)
            else:
                if answer.status_code == 201:
                    return str(answer.json()["id"])
                last = f"{answer.status_code} {answer.text[:200]}"
            time.sleep(min(0.25 * 2**attempt, 2))
        raise RuntimeError(f"the Payment System refused to tokenize the card for {RETRY_SECONDS:.0f} s; last: {last}")

    def _place(self, order: Placed) -> None:
        """A well-behaved client: retry 5xx, 409 request_in_progress and connection errors with the same
        Idempotency-Key for RETRY_SECONDS.

        Retries are bounded in time, not count: a fixed count with exponential backoff spends most tries inside the
        Payment System's down window and then gives up on a few unlucky 30% errors."""
        try:
            token = self._token()
        except RuntimeError as error:
            order.answer = str(error)
            with self._lock:
                self._done_placing += 1
            return
        body = {
            "items": [{"product_id": order.product_id, "quantity": order.quantity}],
            "address": ADDRESS,
            "payment_token": token,
        }
        headers = {**self.auth[order.customer], "Idempotency-Key": order.key}
        deadline = time.monotonic() + RETRY_SECONDS
        for attempt in range(1000):
            if attempt and time.monotonic() > deadline:
                break
            order.attempts += 1
            try:
                answer = self._session().post(f"{self.shop.api}/orders", json=body, headers=headers, timeout=60)
            except requests.RequestException as error:
                order.status_code, order.answer = 0, str(error)
            else:
                order.status_code, order.answer = answer.status_code, answer.text[:300]
                if answer.status_code == 202:
                    order.order_id = answer.json()["order_id"]
                    order.accepted_at = time.time()
                    break
                # A 409 request_in_progress is the first attempt's record (its worker may have died): "retry shortly".
                in_progress = answer.status_code == 409 and "request_in_progress" in answer.text
                if answer.status_code < 500 and not in_progress:
                    break
            time.sleep(min(0.25 * 2**attempt, 2))
        with self._lock:
            self._done_placing += 1
        if order.order_id and "duplicates" in self.faults and int(order.key[-5:]) % 5 == 0:
            self._duplicate(order)
        if order.order_id and "cancel-storm" in self.faults and int(order.key[-5:]) % 4 == 1:
            self._cancel(order)

    def _cancel(self, order: Placed) -> None:
        """A customer who changes their mind at a random moment: before capture, while paid, while shipping."""
        time.sleep(random.uniform(0, 3))  # noqa: S311 - not cryptographic
        url = f"{self.shop.api}/orders/{order.order_id}/cancel"
        for attempt in range(20):  # a 503 (refund unavailable) or 429 is retried, as the UI lets the customer do
            try:
                answer = self._session().post(url, headers=self.auth[order.customer], timeout=60)
            except requests.RequestException:
                time.sleep(1)
                continue
            order.cancel = answer.status_code
            order.cancel_code = str(answer.json().get("code", "")) if answer.status_code != 200 else ""
            if answer.status_code < 500 and answer.status_code != 429:
                break
            time.sleep(min(0.25 * 2**attempt, 2))
        with self._lock:
            self.report.cancels[str(order.cancel)] = self.report.cancels.get(str(order.cancel), 0) + 1

    def _message(self, order: Placed) -> str:
        return json.dumps({"order_id": order.order_id})

    def _duplicate(self, order: Placed, copies: int = 2) -> None:
        """At-least-once delivery: the same order message again, while the first may be in flight."""
        sqs = self.aws("sqs")
        message = self._message(order)
        for _ in range(copies):
            sqs.send_message(QueueUrl=self.shop.outputs["OrdersQueueUrl"], MessageBody=message)
        with self._lock:
            self.report.duplicates_sent += copies

    # -- faults during the run -------------------------------------------------------------------------
    def _worker_pids(self, output: str = "ProcessOrderFunctionName") -> list[int]:
        """A function's warm workers of *this* cloud: by the environment the Lambda runner gives them."""
        function = f"AWS_LAMBDA_FUNCTION_NAME={self.shop.outputs[output]}".encode()
        endpoint = f"AWS_ENDPOINT_URL={os.environ['AWS_ENDPOINT_URL']}".encode()
        pids = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                environ = (proc / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if function in environ and endpoint in environ:
                pids.append(int(proc.name))
        return pids

    def _exit_errors(self) -> int:
        logs = self.aws("logs")
        group = f"/aws/lambda/{self.shop.outputs['ProcessOrderFunctionName']}"
        with contextlib.suppress(Exception):
            events = logs.filter_log_events(logGroupName=group, filterPattern="Runtime.ExitError")["events"]
            return sum(1 for e in events if "Runtime.ExitError" in e["message"])
        return 0

    @staticmethod
    def _busy(pid: int) -> bool:
        """In an invocation: not blocked in read() on the pipe its next request comes through (/proc/PID/syscall)."""
        read = {"x86_64": "0", "aarch64": "63"}.get(platform.machine())
        try:
            call = Path(f"/proc/{pid}/syscall").read_text().split()
            if read is None or not call or call[0] != read:
                return bool(call) and read is not None
            return not os.readlink(f"/proc/{pid}/fd/{int(call[1], 16)}").startswith("pipe:")
        except (OSError, ValueError, IndexError):
            return False

    def _kill_worker(self) -> None:
        """SIGKILL one Process Order worker in the middle of an invocation (up to 3 tries if it finished first)."""
        before = self._exit_errors()
        for _ in range(3):
            busy = poll(lambda: [pid for pid in self._worker_pids() if self._busy(pid)], 30, 0.02)
            if not busy:
                self._event("kill-worker: no Process Order worker in an invocation within 30 s")
                return
            pid = random.choice(busy)  # noqa: S311 - not cryptographic
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            hit = bool(poll(lambda: self._exit_errors() > before, 10, 0.5))
            self.report.worker_kills.append({"pid": pid, "runtime_exit_error_logged": hit})
            self._event(f"kill-worker: SIGKILL pid {pid} mid-invocation; Runtime.ExitError logged: {hit}")
            if hit:
                return

    def _break_sends(self, stop: threading.Event, seconds: float) -> None:
        """send-failures: the orders queue refuses the App Server's sends (it is pointed at a queue that does not
        exist, as an operator's mistake would) and App Server workers die mid-request; the sweeper must heal it."""
        lam, name = self.aws("lambda"), self.shop.outputs["AppServerFunctionName"]
        before = {
            k: str(v) for k, v in lam.get_function_configuration(FunctionName=name)["Environment"]["Variables"].items()
        }
        broken = {**before, "ORDERS_QUEUE_URL": before["ORDERS_QUEUE_URL"] + "-gone"}
        lam.update_function_configuration(FunctionName=name, Environment={"Variables": broken})
        self._event(f"send-failures: the App Server's sends fail for {seconds:.0f}s")
        try:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not stop.is_set():
                busy = [pid for pid in self._worker_pids("AppServerFunctionName") if self._busy(pid)]
                if busy:
                    pid = random.choice(busy)  # noqa: S311 - not cryptographic
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    self._event(f"send-failures: SIGKILL App Server pid {pid} mid-request")
                    stop.wait(seconds / 3)
                stop.wait(0.05)
        finally:
            lam.update_function_configuration(FunctionName=name, Environment={"Variables": before})
            self._event("send-failures: sends work again")

    def _throttle(self, stop: threading.Event, seconds: float) -> None:
        """lambda-throttle: Process Order's reserved concurrency 0, so every invoke is TooManyRequestsException."""
        lam, name = self.aws("lambda"), self.shop.outputs["ProcessOrderFunctionName"]
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        self._event(f"lambda-throttle: Process Order throttled for {seconds:.0f}s")
        try:
            stop.wait(seconds)
        finally:
            lam.delete_function_concurrency(FunctionName=name)
            self._event("lambda-throttle: Process Order runs again")

    def _poison(self) -> None:
        sqs = self.aws("sqs")
        for body in POISON:
            sqs.send_message(QueueUrl=self.shop.outputs["OrdersQueueUrl"], MessageBody=f"{body}")
        self.report.poison_sent = len(POISON)
        self._event(f"poison: {len(POISON)} malformed messages on the orders queue")

    def _conductor(self, stop: threading.Event) -> None:
        """Switch faults on and off as the run advances (by orders placed, not by time)."""
        quarter, third, half, two_thirds = self.orders // 4, self.orders // 3, self.orders // 2, 2 * self.orders // 3
        down_done = kill_done = sends_done = throttle_done = False
        while not stop.is_set():
            with self._lock:
                done = self._done_placing
            if "send-failures" in self.faults and not sends_done and done >= quarter:
                sends_done = True
                self._break_sends(stop, self.down_seconds)
            if "lambda-throttle" in self.faults and not throttle_done and done >= two_thirds:
                throttle_done = True
                self._throttle(stop, self.down_seconds * 2)
            if "payment-down" in self.faults and not down_done and done >= third:
                down_done = True
                self._payment_faults(down=True)
                self._event(f"payment-down: Payment System down for {self.down_seconds:.0f}s")
                stop.wait(self.down_seconds)
                self._payment_faults(down=False)
                self._event("payment-down: Payment System back")
            if "kill-worker" in self.faults and not kill_done and done >= half:
                kill_done = True
                self._kill_worker()
            stop.wait(0.1)

    # -- waiting ---------------------------------------------------------------------------------------
    def _stored_statuses(self, order_ids: list[str]) -> dict[str, str]:
        """Statuses straight from the Orders table, 100 a call: waiting must not load the cloud it measures
        (polling each order through the API every second was a third of all the calls the cloud served)."""
        table, client, found = self.shop.outputs["OrdersTableName"], self.aws("dynamodb"), {}
        for start in range(0, len(order_ids), 100):
            keys: list[dict[str, Any]] = [{"id": {"S": oid}} for oid in order_ids[start : start + 100]]
            while keys:
                answer = client.batch_get_item(
                    RequestItems={
                        table: {
                            "Keys": keys,
                            "ProjectionExpression": "id, #s",
                            "ExpressionAttributeNames": {"#s": "status"},
                        }
                    }
                )
                for item in answer["Responses"].get(table, []):
                    found[item["id"]["S"]] = item.get("status", {}).get("S", "")
                keys = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
        return found

    def _wait_terminal(self, accepted: list[Placed], deadline: float) -> dict[str, str]:
        statuses: dict[str, str] = {}
        pending = [o.order_id for o in accepted]
        while pending and time.monotonic() < deadline:
            statuses.update(self._stored_statuses(pending))
            pending = [oid for oid in pending if statuses.get(oid) not in TERMINAL]
            if pending:
                time.sleep(2)
        return statuses

    def _queue_counts(self, url: str) -> int:
        attributes = self.aws("sqs").get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    def _settle(self, timeout: float) -> bool:
        """A poller run that started after now has ended, and its batches: duplicate work is done by then."""
        since = dt.datetime.now(dt.UTC)
        logs = self.aws("logs")
        return bool(poll(lambda: workflow_settled(logs, self.shop.outputs, since), timeout))

    # -- the ledgers -----------------------------------------------------------------------------------
    def _mails(self, to: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """The notices sent to `to`, by order; by default every customer's (each gets all about their own orders)."""
        by_order: dict[str, list[dict[str, Any]]] = defaultdict(list)
        start = 0
        while True:
            page = requests.get(
                f"{self.shop.mail_url}/api/v1/messages", params={"start": start, "limit": 500}, timeout=30
            ).json()
            for message in page["messages"]:
                addresses = {a["Address"] for a in message.get("To", [])}
                if (to not in addresses) if to else not addresses - {STAFF_EMAIL}:
                    continue
                for order_id in set(ORDER_ID.findall(message["Subject"] + message.get("Snippet", ""))):
                    by_order[order_id].append(message)
            start += len(page["messages"])
            if not page["messages"] or start >= page["messages_count"]:
                return by_order

    def _ledger(self, kind: str) -> dict[str, list[dict[str, Any]]]:
        mock = self.shop.payment if kind == "payments" else self.shop.shipment
        by_order: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in requests.get(f"{mock.url}/v1/{kind}", timeout=60).json()[kind]:
            by_order[entry["order_id"]].append(entry)
        return by_order

    # -- the emulator's bound -------------------------------------------------------------------------
    def _calls(self, method: str = "GET") -> dict[str, Any] | None:
        """The local cloud's call counts (None on a cloud without them, e.g. LocalStack)."""
        with contextlib.suppress(requests.RequestException, ValueError):
            answer = requests.request(method, f"{self.endpoint}/_localcloud/calls", timeout=10)
            if answer.ok:
                return dict(answer.json())
        return None

    def calibrate(self, seconds: float) -> None:
        """Calls per second the cloud serves at most: C clients reading one product by key, before the orders.

        A GetItem is among the cheapest calls, so the bound it gives is an upper one for the order mix. The cloud's
        CPU time over the burst says how many cores it uses at most (one, under the GIL): the bound from its CPU per
        order (_measure_calls) is the one for the run's own mix.
        """
        counts = self._calls()
        if counts is None:
            return
        if not seconds:
            return
        table, key = self.shop.outputs["ProductsTableName"], next(iter(self.stock_before))
        done, stop = [0] * self.concurrency, time.monotonic() + seconds
        client = self.aws("dynamodb")  # one client, shared: creating clients from many threads is not safe

        def reader(index: int) -> None:
            while time.monotonic() < stop:
                client.get_item(TableName=table, Key={"id": {"S": key}})
                done[index] += 1

        started, cpu = time.monotonic(), float(counts.get("cpu_seconds", 0.0))
        with ThreadPoolExecutor(self.concurrency) as pool:
            list(pool.map(reader, range(self.concurrency)))
        elapsed = time.monotonic() - started
        self.report.emulator_calls_per_second = round(sum(done) / elapsed, 1)
        after = self._calls("DELETE") or {}  # the run's counts start now
        self.report.emulator_cores_at_most = round((float(after.get("cpu_seconds", cpu)) - cpu) / elapsed, 2)

    def _measure_calls(self, accepted: int) -> None:
        counts = self._calls()
        if counts is None or not accepted:
            return
        report = self.report
        report.aws_calls_per_order = round(counts["total"] / accepted, 1)
        services: Counter[str] = Counter()
        for name, count in counts["calls"].items():
            services[name.split(":", 1)[0]] += count
        report.aws_calls_by_service = {k: round(v / accepted, 2) for k, v in services.most_common()}
        if report.aws_calls_per_order and report.emulator_calls_per_second:
            bound = report.emulator_calls_per_second / report.aws_calls_per_order
            report.emulator_bound_orders_per_second = round(bound, 2)

    def _sample_cpu(self, stop: threading.Event) -> None:
        """The cloud's CPU seconds twice a second while the run lasts, to read them over the sustained window."""
        while not stop.is_set():
            counts = self._calls()
            if counts is None or "cpu_seconds" not in counts:
                return
            self._cpu_samples.append((time.time(), float(counts["cpu_seconds"])))
            stop.wait(0.5)

    def _cpu_at(self, when: float) -> float:
        """The cloud's CPU seconds at `when`, between the two samples around it."""
        samples = self._cpu_samples
        before = max((s for s in samples if s[0] <= when), default=samples[0])
        after = min((s for s in samples if s[0] >= when), default=samples[-1])
        if after[0] == before[0]:
            return before[1]
        return before[1] + (after[1] - before[1]) * (when - before[0]) / (after[0] - before[0])

    def _cpu_bound(self, accepted: int, first: float, last_mail: float) -> None:
        """The bound for this run's own mix: the cloud's CPU seconds per order over exactly the sustained window
        (first 202 to last mail), against the cores it can use: what it used at most in the burst, and at least the
        one core the GIL gives. sustained / bound is then the share of those cores the pipeline kept busy."""
        report = self.report
        if len(self._cpu_samples) < 2 or not (accepted and first and last_mail and report.emulator_cores_at_most):
            return
        cpu_per_order = (self._cpu_at(last_mail) - self._cpu_at(first)) / accepted
        if cpu_per_order <= 0:
            return
        cores = max(report.emulator_cores_at_most, 1.0)
        report.emulator_cpu_seconds_per_order = round(cpu_per_order, 3)
        report.emulator_cpu_bound_orders_per_second = round(cores / cpu_per_order, 2)
        report.ratio_to_emulator_cpu_bound = round(report.completed_per_second / (cores / cpu_per_order), 2)

    # -- the run ---------------------------------------------------------------------------------------
    def run(self) -> LoadReport:
        report = self.report
        self.prepare()
        self.calibrate(self.calibrate_seconds)
        self._started = time.monotonic()
        sampling = threading.Event()
        sampler = threading.Thread(target=self._sample_cpu, args=(sampling,), daemon=True)
        sampler.start()
        if "payment-errors" in self.faults:
            self._payment_faults()
            self._event("payment-errors: 30% errors, +150 ms latency")
        if "shipment-errors" in self.faults or "slow-shipment" in self.faults:
            errors, slow = "shipment-errors" in self.faults, "slow-shipment" in self.faults
            self.shop.shipment.fault(error_rate=0.3 if errors else 0.0, latency_ms=1500 if slow else 0)
            self._event(f"shipment faults: {'30% errors ' if errors else ''}{'1.5 s per shipment' if slow else ''}")
        if "poison" in self.faults:
            self._poison()
        stop = threading.Event()
        conductor = threading.Thread(target=self._conductor, args=(stop,), daemon=True)
        conductor.start()
        deadline = time.monotonic() + self.timeout
        try:
            with ThreadPoolExecutor(self.concurrency) as pool:
                list(pool.map(self._place, self.placed))
            report.place_seconds = round(time.monotonic() - self._started, 2)
            accepted = self._written()
            statuses = self._wait_terminal(accepted, deadline)
            self._measure_calls(len(accepted))
            stop.set()
            conductor.join()
        finally:
            stop.set()
            self.shop.payment.clear_faults()
            self.shop.shipment.clear_faults()
        self._event("all accepted orders terminal" if all(s in TERMINAL for s in statuses.values()) else "deadline")
        if "duplicates" in self.faults:  # and again once everything is finished
            for order in [o for o in accepted if statuses.get(o.order_id) == "SHIPPED"][:5]:
                self._duplicate(order, copies=1)
        queue, dlq = self.shop.outputs["OrdersQueueUrl"], self.shop.outputs["OrdersDeadLetterQueueUrl"]
        statuses.update(self._wait_terminal(self._written(), deadline))  # stranded ones the sweeper re-sent
        accepted = self._written()
        drained = poll(lambda: self._queue_counts(queue) == 0, max(deadline - time.monotonic(), 5), 1)
        self._settle(120)
        mails = poll(self._mails_complete(accepted), max(deadline - time.monotonic(), 30), 1)
        self._event("queue drained, workflow settled, mails in")
        sampling.set()
        sampler.join()
        self.reconcile(accepted, statuses, mails or self._mails(), drained=bool(drained), dlq=dlq)
        report.total_seconds = round(time.monotonic() - self._started, 2)
        report.accepted = len(accepted)
        report.rejected = dict(Counter(str(o.status_code) for o in self.placed if not o.order_id))
        report.rejected_answers = [f"{o.key} after {o.attempts}: {o.answer}" for o in self.placed if not o.order_id][:5]
        report.statuses = dict(Counter(statuses.values()))
        report.client_retries = sum(o.attempts - 1 for o in self.placed)
        report.accepted_per_second = round(len(accepted) / max(report.place_seconds, 1e-6), 2)
        return report

    def _mails_complete(self, accepted: list[Placed]) -> Callable[[], dict[str, list[dict[str, Any]]] | None]:
        def check() -> dict[str, list[dict[str, Any]]] | None:
            mails = self._mails()
            outcome = {oid for oid, sent in mails.items() if any(not accepted_mail(m) for m in sent)}
            return mails if all(o.order_id in outcome for o in accepted) else None

        return check

    def _written(self) -> list[Placed]:
        """Every request whose order the API wrote, accepted or not (a worker killed after the write answers 502)."""
        table = self.aws("dynamodb")
        for order in self.placed:
            if not order.order_id:
                candidate = order_id_for(self.customer_ids[order.customer], order.key)
                found = table.get_item(TableName=self.shop.outputs["OrdersTableName"], Key={"id": {"S": candidate}})
                if "Item" in found:
                    order.order_id = candidate  # written, never answered 202: it must finish all the same
        return [o for o in self.placed if o.order_id]

    def _dead_letters(self, dlq: str) -> list[str]:
        sqs, bodies = self.aws("sqs"), list[str]()
        while True:
            got = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=30)
            if not got.get("Messages"):
                return bodies
            bodies += [m["Body"] for m in got["Messages"]]

    def reconcile(
        self,
        accepted: list[Placed],
        statuses: dict[str, str],
        mails: dict[str, list[dict[str, Any]]],
        *,
        drained: bool,
        dlq: str,
    ) -> None:
        problems = self.report.problems
        payments, shipments = self._ledger("payments"), self._ledger("shipments")
        shipped: Counter[str] = Counter()
        latencies: list[float] = []
        last_mail = 0.0
        customer_mails = {email: self._mails(email) for email in CUSTOMERS}
        staff_mails = self._mails(STAFF_EMAIL)
        for order in accepted:
            oid, status = order.order_id, statuses.get(order.order_id, "")
            stored = self.shop.order(self.auth[order.customer], oid).json()
            status = stored.get("status", status)
            if status != "SHIPPED" and stored.get("failure_code"):
                code = str(stored["failure_code"])
                self.report.failure_reasons[code] = self.report.failure_reasons.get(code, 0) + 1
            if status not in TERMINAL:
                problems.append(f"{oid}: not terminal ({status or 'unknown'})")
                continue
            ops = [Counter(op["type"] for op in p["operations"]) for p in payments.get(oid, [])]
            captures = sum(o["capture"] for o in ops)
            refunds, voids = sum(o["refund"] for o in ops), sum(o["void"] for o in ops)
            ships = shipments.get(oid, [])
            if len(ops) != 1:
                problems.append(f"{oid} {status}: {len(ops)} payments (want 1)")
            if status == "SHIPPED":
                shipped[order.product_id] += order.quantity
                if (captures, refunds, voids, len(ships)) != (1, 0, 0, 1):
                    problems.append(
                        f"{oid} SHIPPED: {captures} captures, {refunds} refunds, {voids} voids, "
                        f"{len(ships)} shipments (want 1, 0, 0, 1)"
                    )
                elif ships[0]["tracking_number"] != (stored.get("shipment") or {}).get("tracking_number"):
                    problems.append(f"{oid} SHIPPED: tracking number differs from the Shipment System's")
            else:
                if ships:
                    problems.append(f"{oid} {status}: {len(ships)} shipments for an order that did not ship")
                want = (1, 1, 0) if captures else (0, 0, 1)
                if captures > 1 or (captures, refunds, voids) != want:
                    problems.append(
                        f"{oid} {status}: {captures} captures, {refunds} refunds, {voids} voids "
                        f"(want one refund of the capture, or one void)"
                    )
            if order.cancel == 200 and status != "CANCELLED":
                problems.append(f"{oid}: the cancel was answered 200 but the order ended {status}")
            if order.cancel_code == "too_late_to_cancel" and status != "SHIPPED":
                problems.append(f"{oid}: the cancel was too late, yet the order ended {status}")
            sent = mails.get(oid, [])
            if sorted(m["Subject"] for m in customer_mails[order.customer].get(oid, [])) != sorted(
                m["Subject"] for m in sent
            ):
                problems.append(f"{oid}: another address than the customer's got their notices")
            outcome = [m for m in sent if not accepted_mail(m)]
            # Staff are mailed failures and cancellations only (StaffNoticeStatuses' default), once each.
            staff_copies = sorted(m["Subject"] for m in staff_mails.get(oid, []))
            if staff_copies != ([] if status == "SHIPPED" else sorted(m["Subject"] for m in outcome)):
                problems.append(f"{oid} {status}: staff got {staff_copies}")
            if len(outcome) != 1 or sum(accepted_mail(m) for m in sent) > 1:
                problems.append(f"{oid} {status}: {len(outcome)} outcome mails (want 1), {len(sent)} in all")
            elif status == "SHIPPED" and len(sent) != 2:
                problems.append(f"{oid} SHIPPED: {len(sent)} mails (want accepted + shipped)")
            elif order.accepted_at:
                at = dt.datetime.fromisoformat(outcome[0]["Created"].replace("Z", "+00:00")).timestamp()
                latencies.append((at - order.accepted_at) * 1000)
                last_mail = max(last_mail, at)
        # A request that was never accepted charged nothing.
        refused_keys = {
            f"auth-{order_id_for(self.customer_ids[o.customer], o.key)}" for o in self.placed if not o.order_id
        }
        for entries in payments.values():
            for payment in entries:
                keys = {op.get("idempotency_key") for op in payment["operations"]}
                if keys & refused_keys and any(op["type"] == "capture" for op in payment["operations"]):
                    problems.append(f"{payment['id']}: captured for a request that was never accepted")
        for product_id, before in self.stock_before.items():
            now = int(self.shop.product(product_id)["stock"])
            if now != before - shipped[product_id] or now < 0:
                problems.append(f"{product_id}: stock {now}, want {before} - {shipped[product_id]} shipped")
        if not drained:
            problems.append(
                f"orders queue not empty at the end ({self._queue_counts(self.shop.outputs['OrdersQueueUrl'])})"
            )
        parked = self._dead_letters(dlq)
        expected = sorted(POISON) if "poison" in self.faults else []
        if sorted(parked) != expected:
            problems.append(f"dead-letter queue holds {sorted(parked)[:10]} (want exactly the poison: {expected})")
        if latencies:
            self.report.mail_latency_ms = {
                "p50": round(percentile(latencies, 50)),
                "p99": round(percentile(latencies, 99)),
            }
        first = min((o.accepted_at for o in accepted if o.accepted_at), default=0.0)
        if last_mail and first:
            self.report.completed_per_second = round(len(accepted) / max(last_mail - first, 1e-6), 2)
        if self.report.emulator_bound_orders_per_second:
            ratio = self.report.completed_per_second / self.report.emulator_bound_orders_per_second
            self.report.ratio_to_emulator_bound = round(ratio, 2)
        self._cpu_bound(len(accepted), first, last_mail)
