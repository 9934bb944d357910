"""Session fixture for end-to-end tests: the mocks on spare ports, both stacks deployed by the real deploy tool.

Tests use the deployed system only from outside: the API over HTTP, the mocks' ledgers, the mail sink's API
and boto3 for what an operator would look at (queues, executions).

With LOCALCLOUD_PROFILE=localstack-community (`make test-localstack-profile`) the local cloud leaves out what
LocalStack community lacks (localstack/README.md): the fixture then runs the compose target's schedule stand-in
(localstack/schedules.py), reads SNS email where LocalStack records it (`GET /_aws/ses`, not a mail sink), and
`gap(...)` skips the tests that need a left-out feature.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from localcloud.testing import free_ports, healthy, poll, stop_group

from mocks.payment import DECLINED_CARD as DECLINED_CARD
from tools.workflow_runs import Run, runs, started_between

ROOT = Path(__file__).resolve().parents[2]
GOOD_CARD = "4242424242424242"  # the test card the Payment mock authorizes
ENV = "e2e"
TERMINAL = {"SHIPPED", "FAILED", "PAYMENT_FAILED", "CANCELLED"}  # an order in one of these is done
DEMO_PASSWORD = "Demo-1234"
STAFF_EMAIL = "pedidos@example.com"  # NotificationEmail's default: staff get failures and cancellations


# Test deployments run the pipeline's clocks fast: the sweeper re-sends a stranded order after 10 s, a message left
# for redrive comes back after 3 s; every test request comes from 127.0.0.1, so the per-source login limit is lifted
# (tests/functions covers it) while the per-account one stays as deployed.
# The workflows log every step with its data: their EXPRESS runs are known only from their log groups.
FAST_PIPELINE = {
    "SweepAfterSeconds": "10",
    "RedriveDelaySeconds": "3",
    "LoginFailuresPerSource": "1000000",
    "WorkflowInFlightLimit": "40",  # what the local Lambda workers take at once (16 per function) with room
    "WorkflowLogLevel": "ALL",
    "WorkflowLogExecutionData": "true",
}
EXPRESS_LIMIT = dt.timedelta(minutes=5)  # no EXPRESS run lasts longer
PROFILE = os.environ.get("LOCALCLOUD_PROFILE", "full")
COMMUNITY = PROFILE == "localstack-community"
# LocalStack community's SNS email goes through its SES, which records it (sns/publisher.py EmailJsonTopicPublisher).
COMMUNITY_MAIL_SUBJECT = "SNS-Subscriber-Endpoint"
# What the community profile leaves out that a test needs, and why (localstack/README.md cites the source).
GAPS = {
    "cloudfront": "LocalStack community has no CloudFront: nothing serves the storefront",
    "lambda_authorizers": "LocalStack community's API Gateway runs no Lambda authorizer",
    "iam": "LocalStack community enforces no IAM: a missing permission is not refused",
}
ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"}


def gap(feature: str) -> pytest.MarkDecorator:
    """Skip the test in the LocalStack community profile, which lacks `feature` (a key of GAPS)."""
    return pytest.mark.skipif(COMMUNITY, reason=f"LOCALCLOUD_PROFILE={PROFILE}: {GAPS[feature]}")


@dataclass
class Mock:
    name: str
    url: str
    proc: subprocess.Popen[bytes] | None = None  # None when something else started the service

    def fault(self, **settings: Any) -> None:
        requests.post(f"{self.url}/_fault", json=settings, timeout=5).raise_for_status()

    def clear_faults(self) -> None:
        self.fault(error_rate=0.0, latency_ms=0, down=False)

    @contextlib.contextmanager
    def faulted(self, **settings: Any) -> Iterator[None]:
        """The faults `settings` name while the block runs, none after it (whatever the block raised)."""
        self.fault(**settings)
        try:
            yield
        finally:
            self.clear_faults()


@dataclass
class Shop:
    outputs: dict[str, str]
    payment: Mock
    shipment: Mock
    mail_url: str
    endpoint: str = ""
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def api(self) -> str:
        return self.outputs["ApiUrl"]

    # -- customers -------------------------------------------------------------------------------------
    def login(self, email: str = "ana@example.com", password: str = DEMO_PASSWORD) -> dict[str, str]:
        answer = self.session.post(f"{self.api}/auth/login", json={"email": email, "password": password}, timeout=30)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def card_token(self, number: str = GOOD_CARD) -> str:
        answer = self.session.post(
            f"{self.payment.url}/v1/tokens",
            json={"card_number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def order_body(self, product_id: str, quantity: int = 1, address: dict[str, str] | None = None) -> dict[str, Any]:
        """A POST /orders body for one line, paid with a fresh good card's token."""
        items = [{"product_id": product_id, "quantity": quantity}]
        return {"items": items, "address": address or ADDRESS, "payment_token": self.card_token()}

    def placed(self, auth: dict[str, str], product_id: str, quantity: int = 1) -> str:
        """Place an order the API must accept (202); its id."""
        answer = self.place_order(auth, [{"product_id": product_id, "quantity": quantity}])
        assert answer.status_code == 202, answer.text
        return str(answer.json()["order_id"])

    def place_order(
        self,
        auth: dict[str, str],
        items: list[dict[str, Any]],
        card: str = GOOD_CARD,
        key: str | None = None,
        address: dict[str, str] | None = None,
    ) -> requests.Response:
        body = {"items": items, "address": address or ADDRESS, "payment_token": self.card_token(card)}
        headers = {**auth, "Idempotency-Key": key or str(uuid.uuid4())}
        return self.session.post(f"{self.api}/orders", json=body, headers=headers, timeout=30)

    def order(self, auth: dict[str, str], order_id: str) -> requests.Response:
        return self.session.get(f"{self.api}/orders/{order_id}", headers=auth, timeout=30)

    def wait_for_status(
        self, auth: dict[str, str], order_id: str, statuses: set[str], timeout: float = 90
    ) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            order = self.order(auth, order_id).json()
            return order if order.get("status") in statuses else None

        return dict(poll(reached, timeout, f"order {order_id} to reach {sorted(statuses)}"))

    # -- catalog ---------------------------------------------------------------------------------------
    def product(self, product_id: str) -> dict[str, Any]:
        answer = self.session.get(f"{self.api}/products/{product_id}", timeout=30)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def products(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100, **({"next_token": token} if token else {})}
            page = self.session.get(f"{self.api}/products", params=params, timeout=30).json()
            items += page["items"]
            token = page.get("next_token")
            if not token:
                return items

    def customer_and_product(self) -> tuple[dict[str, str], str, int]:
        """A logged-in customer's headers, a product in stock, and its stock now: where most order tests start."""
        auth, product_id = self.login(), self.in_stock()
        return auth, product_id, int(self.product(product_id)["stock"])

    def in_stock(self, at_least: int = 5) -> str:
        return next(p["id"] for p in self.products() if p["stock"] >= at_least)

    # -- the external systems' ledgers and the mail sink -----------------------------------------------
    def payments_for(self, order_id: str) -> list[dict[str, Any]]:
        payments = requests.get(f"{self.payment.url}/v1/payments", timeout=10).json()["payments"]
        return [p for p in payments if p["order_id"] == order_id]

    def shipments_for(self, order_id: str) -> list[dict[str, Any]]:
        shipments = requests.get(f"{self.shipment.url}/v1/shipments", timeout=10).json()["shipments"]
        return [s for s in shipments if s["order_id"] == order_id]

    def mails_about(self, order_id: str, to: str | None = None) -> list[dict[str, Any]]:
        """The notices about an order sent to `to`; by default to its customer (every address but the staff's).

        Each customer's subscription gets all the notices about their own orders; the staff's only the statuses
        StaffNoticeStatuses names. The order id is in a notice's first lines (Mailpit's Snippet)."""
        messages = self._community_mails() if COMMUNITY else self._mailpit_mails()
        about = [m for m in messages["messages"] if order_id in m["Subject"] + m.get("Snippet", "")]
        addressed = [(m, {a["Address"] for a in m.get("To", [])}) for m in about]
        return [m for m, to_ in addressed if (to in to_ if to else bool(to_ - {STAFF_EMAIL}))]

    def _mailpit_mails(self) -> dict[str, Any]:
        return dict(requests.get(f"{self.mail_url}/api/v1/messages", params={"limit": 1000}, timeout=10).json())

    def _community_mails(self) -> dict[str, Any]:
        """LocalStack's record of what SES sent (GET /_aws/ses), in the mail sink's shape; Text is the whole body."""
        records = requests.get(f"{self.endpoint}/_aws/ses", timeout=10).json()["messages"]
        return {
            "messages": [
                {
                    "ID": r["Id"],
                    "Subject": r["Subject"],
                    "Snippet": r["Body"]["text_part"][:250],
                    "Text": r["Body"]["text_part"],
                    "To": [{"Address": a} for a in r["Destination"]["ToAddresses"]],
                }
                for r in records
            ]
        }

    def mail_text(self, mail: dict[str, Any]) -> str:
        """The text of a mail that mails_about returned."""
        if COMMUNITY:
            return str(mail["Text"])
        return str(requests.get(f"{self.mail_url}/api/v1/message/{mail['ID']}", timeout=10).json()["Text"])

    @staticmethod
    def subjects(expected: list[str]) -> list[str]:
        """The subjects the notices must arrive with: `expected`, except on LocalStack community, whose SNS email
        gives every notice the subject SNS-Subscriber-Endpoint (the workflow's Subject is dropped)."""
        return [COMMUNITY_MAIL_SUBJECT] * len(expected) if COMMUNITY else expected


def workflow_settled(logs: Any, outputs: dict[str, str], since: dt.datetime) -> bool:
    """A poller run that started after `since` has ended, and so has every batch run of the last 5 minutes (both
    machines are EXPRESS: their log groups tell their runs; a boto3 `logs` client)."""
    pollers = started_between(runs(logs, outputs["OrderWorkflowLogGroupName"], since), since)
    if not any(run.status != "RUNNING" for run in pollers):
        return False
    batches = runs(logs, outputs["OrderBatchLogGroupName"], since - EXPRESS_LIMIT)
    return all(run.status != "RUNNING" for run in batches.values())


def settle(aws: Callable[[str], Any], shop: Shop, timeout: float = 60) -> None:
    """Wait until the workflow has settled after now (workflow_settled): any duplicate work is done by then."""
    since = dt.datetime.now(dt.UTC)
    logs = aws("logs")
    poll(lambda: workflow_settled(logs, shop.outputs, since), timeout, "a later workflow run and its batches to end")


def receipt_handed_to_a_batch(run: Run, order_id: str) -> str | None:
    """In a poller run's records, the receipt handle of the order's message as ProcessBatch handed it to the
    EXPRESS batch workflow (its TaskScheduled record, execution data included), or None."""
    for details in run.details("TaskScheduled"):
        if details.get("resourceType") == "states" and details.get("resource", "").startswith("startExecution"):
            for message in json.loads(details["parameters"])["Input"]["messages"]:
                if order_id in message["Body"]:
                    return str(message["ReceiptHandle"])
    return None


def _start_mock(name: str) -> Mock:
    [port] = free_ports(1)
    proc = subprocess.Popen(
        [sys.executable, "-m", f"mocks.{name}", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://localhost:{port}"

    poll(lambda: healthy(f"{url}/health"), 30, f"the {name} mock")
    return Mock(name, url, proc)


def _start_schedule_stand_in(endpoint: str, log: Path) -> subprocess.Popen[bytes]:
    """The compose target's `schedules` service (docker-compose.yml) against the local cloud: it fires the
    Scheduler schedules LocalStack community only stores, every 2 s instead of the templates' rates (the main
    suite's cloud fires every second but never while the previous start still runs; the stand-in has no such
    guard, so a little slower)."""
    with open(log, "wb") as out:
        command = ["-m", "localstack.schedules", "--endpoint", endpoint, "--poll-seconds", "0.5", "--rate-seconds", "2"]
        return subprocess.Popen(
            [sys.executable, *command],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


_deployed: list[bool] = []  # the session's one deployment


@pytest.fixture(scope="session", name="shop")
def shop_fixture(endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """tests/conftest.py registers it; a test asks for `shop`.

    Registered anywhere else too (a test module importing it), pytest would keep a second session fixture that
    deploys env `e2e` again with mocks of its own, and the first one's tests would read the wrong mocks' ledgers.
    """
    if _deployed:
        pytest.fail("the session fixture `shop` is registered twice: only tests/conftest.py may import it")
    _deployed.append(True)
    payment, shipment = _start_mock("payment"), _start_mock("shipment")
    schedules = None
    mail_url = f"http://localhost:{os.environ.get('LOCALCLOUD_MAIL_API_PORT', '8025')}"
    params = tmp_path_factory.mktemp("params") / f"{ENV}.json"
    params.write_text(
        json.dumps(
            {
                "Parameters": {"PaymentUrl": payment.url, "ShipmentUrl": shipment.url, **FAST_PIPELINE},
                "Site": {"paymentUrl": payment.url},
                "Local": {"MailUrl": mail_url},
            }
        )
    )
    env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "SHOP_PARAMS_FILE": str(params)}
    try:
        deploy = subprocess.run(
            [sys.executable, "-m", "stacks.deploy", "deploy", "--env", ENV],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if deploy.returncode != 0:
            pytest.fail(f"deploy failed:\n{deploy.stdout[-3000:]}\n{deploy.stderr[-3000:]}", pytrace=False)
        outputs = json.loads((ROOT / ".artifacts" / f"outputs-{ENV}.json").read_text())
        if COMMUNITY:
            schedules = _start_schedule_stand_in(endpoint, tmp_path_factory.mktemp("schedules") / "schedules.log")
        yield Shop(outputs, payment, shipment, mail_url, endpoint)
    finally:
        stop_group(schedules)
        stop_group(payment.proc)
        stop_group(shipment.proc)
