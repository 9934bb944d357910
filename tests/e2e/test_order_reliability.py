"""Never both the goods and the money back, never a lost order (issue 10), proven from outside.

Each test drives the deployed shop through HTTP, boto3 (what an operator can do to the deployment: break a
function's configuration, inspect queues and executions), the Payment/Shipment ledgers and the mail sink.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from localcloud.testing import poll

from tests.support.shop import (
    ADDRESS,
    ENV,
    ROOT,
    STAFF_EMAIL,
    TERMINAL,
    Shop,
    receipt_handed_to_a_batch,
    settle,
)
from tools.workflow_runs import runs
from tools.workflow_timing import message_worst_case_seconds

# Words that only an engineer should ever see: raw HTTP answers, system names, AWS error types.
INTERNALS = ("HTTP", "Shipment System", "Payment System", "Exception", "{", "Traceback", "errorType")


def ops(payment: dict[str, Any], kind: str) -> int:
    return sum(1 for op in payment["operations"] if op["type"] == kind)


def executions_failed_since(aws: Callable[[str], Any], shop: Shop, since: dt.datetime) -> list[str]:
    """The poller and batch runs (EXPRESS: known from their log groups) that failed or timed out since `since`."""
    logs = aws("logs")
    groups = (shop.outputs["OrderWorkflowLogGroupName"], shop.outputs["OrderBatchLogGroupName"])
    found = [run for group in groups for run in runs(logs, group, since).values()]
    return [run.arn for run in found if run.status in {"FAILED", "TIMED_OUT", "ABORTED"}]


@contextmanager
def function_environment(aws: Callable[[str], Any], name: str, **changes: str) -> Iterator[None]:
    """An operator's mistake, undone afterwards: change some of a function's environment variables."""
    lam = aws("lambda")
    variables = lam.get_function_configuration(FunctionName=name)["Environment"]["Variables"]
    before = {k: str(v) for k, v in variables.items()}
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {**before, **changes}})
    try:
        yield
    finally:
        lam.update_function_configuration(FunctionName=name, Environment={"Variables": before})


# ---- cancel races the shipment ------------------------------------------------------------------------------


def test_a_cancel_racing_the_shipment_never_gives_both_goods_and_refund(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    with shop.shipment.faulted(latency_ms=4000):  # the shipment request takes a while: the customer cancels meanwhile
        order_id = shop.placed(auth, product_id)
        shop.wait_for_status(auth, order_id, {"PAID", "SHIPPING"}, timeout=60)
        cancel = requests.post(f"{shop.api}/orders/{order_id}/cancel", headers=auth, timeout=60)
        order = shop.wait_for_status(auth, order_id, TERMINAL, timeout=90)
        time.sleep(5)  # a shipment request still in flight lands meanwhile
        settle(aws, shop)

    (payment,) = shop.payments_for(order_id)
    shipments = shop.shipments_for(order_id)
    if cancel.status_code == 200:  # the cancel won: no goods, the money back, stock returned
        assert order["status"] == "CANCELLED", order
        assert shipments == [], shipments
        assert payment["status"] in ("refunded", "voided"), payment
        assert shop.product(product_id)["stock"] == stock_before
    else:  # too late: the shipment was already being requested; the customer is told so, and keeps paying
        assert cancel.status_code == 409, cancel.text
        assert cancel.json()["code"] == "too_late_to_cancel", cancel.text
        assert order["status"] == "SHIPPED", order
        assert len(shipments) == 1, shipments
        assert payment["status"] == "captured", payment
        assert ops(payment, "refund") == ops(payment, "void") == 0, payment
        assert shop.product(product_id)["stock"] == stock_before - 1


def test_a_cancel_while_the_shipment_is_being_requested_is_409(shop: Shop) -> None:
    auth = shop.login()
    with shop.shipment.faulted(latency_ms=6000):
        answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}])
        order_id = answer.json()["order_id"]
        shop.wait_for_status(auth, order_id, {"SHIPPING"}, timeout=60)
        cancel = requests.post(f"{shop.api}/orders/{order_id}/cancel", headers=auth, timeout=60)

    assert cancel.status_code == 409, cancel.text
    assert cancel.json()["code"] == "too_late_to_cancel"
    assert "ship" in cancel.json()["message"].lower()
    assert shop.wait_for_status(auth, order_id, TERMINAL, timeout=90)["status"] == "SHIPPED"
    (payment,) = shop.payments_for(order_id)
    assert payment["status"] == "captured"


# ---- nothing accepted is stranded ---------------------------------------------------------------------------


def test_an_order_whose_message_was_never_sent_still_completes(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth = shop.login()
    product_id = shop.in_stock()
    # The orders queue refuses every send (here: the App Server points at a queue that does not exist).
    broken = shop.outputs["OrdersQueueUrl"] + "-gone"
    with function_environment(aws, shop.outputs["AppServerFunctionName"], ORDERS_QUEUE_URL=broken):
        answer = shop.place_order(auth, [{"product_id": product_id, "quantity": 1}])
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]

    order = shop.wait_for_status(auth, order_id, TERMINAL, timeout=150)

    assert order["status"] == "SHIPPED", order
    (payment,) = shop.payments_for(order_id)
    assert ops(payment, "capture") == 1
    assert len(shop.shipments_for(order_id)) == 1
    poll(lambda: shop.mails_about(order_id), 30, f"the mails about {order_id}")


def test_alarms_watch_the_queue_age_and_stranded_orders(shop: Shop, aws: Callable[[str], Any]) -> None:
    alarms = aws("cloudwatch").describe_alarms(AlarmNamePrefix="e2e-shop-")["MetricAlarms"]
    metrics = {(a["Namespace"], a["MetricName"]) for a in alarms}

    assert ("AWS/SQS", "ApproximateAgeOfOldestMessage") in metrics, metrics
    assert any(name == "StrandedOrders" for _, name in metrics), metrics
    assert all(a["AlarmActions"] for a in alarms), alarms


# ---- only business refusals compensate ----------------------------------------------------------------------


def test_a_shipment_system_outage_delays_a_valid_order_instead_of_cancelling_it(shop: Shop) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    with shop.shipment.faulted(down=True):
        order_id = shop.placed(auth, product_id)
        shop.wait_for_status(auth, order_id, {"PAID", "SHIPPING"}, timeout=60)
        time.sleep(25)  # longer than every retry of the ship step together: the outage outlasts them
        during = shop.order(auth, order_id).json()

    assert during["status"] in ("PAID", "SHIPPING"), during  # not FAILED: nobody refused the order
    order = shop.wait_for_status(auth, order_id, TERMINAL, timeout=150)
    assert order["status"] == "SHIPPED", order
    (payment,) = shop.payments_for(order_id)
    assert (payment["status"], ops(payment, "refund"), ops(payment, "void")) == ("captured", 0, 0), payment
    assert shop.product(product_id)["stock"] == stock_before - 1


# ---- the queue's visibility timeout -------------------------------------------------------------------------


def test_the_visibility_timeout_outlasts_the_workflows_worst_path_for_one_message(
    shop: Shop, aws: Callable[[str], Any]
) -> None:
    sfn = aws("stepfunctions")
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=shop.outputs["OrderWorkflowArn"])["definition"])
    batch = sfn.describe_state_machine(stateMachineArn=shop.outputs["OrderBatchWorkflowArn"])
    attributes = aws("sqs").get_queue_attributes(
        QueueUrl=shop.outputs["OrdersQueueUrl"], AttributeNames=["VisibilityTimeout"]
    )["Attributes"]

    assert batch["type"] == "EXPRESS"
    worst = message_worst_case_seconds(definition, child=json.loads(batch["definition"]))
    assert worst > 60, worst  # sanity: retries with backoff on several tasks
    assert int(attributes["VisibilityTimeout"]) >= worst, (attributes, worst)
    receives = [s for s in _all_states(definition) if s.get("Resource", "").endswith("sqs:receiveMessage")]
    for state in receives:  # a receive may not shorten it for the messages it takes
        assert state.get("Parameters", {}).get("VisibilityTimeout", worst) >= worst, state


def test_a_batch_stopped_at_its_time_limit_is_done_again_without_doing_anything_twice(
    shop: Shop, aws: Callable[[str], Any]
) -> None:
    """EXPRESS runs at most 5 minutes, so the batch workflow stops itself at its TimeoutSeconds. Here an operator
    shortens it to 2 s while the Shipment System answers in 4 s: the batch ends TIMED_OUT mid-order (its log group
    says so), and the message it did not delete stays in the queue. The order still ships (the sweeper re-sends
    it), and when the original message comes back (made visible here instead of waiting out the 360 s visibility
    timeout) it is finished and deleted without a second capture, shipment or mail."""
    sfn, sqs = aws("stepfunctions"), aws("sqs")
    machine = shop.outputs["OrderBatchWorkflowArn"]
    definition = sfn.describe_state_machine(stateMachineArn=machine)["definition"]
    auth = shop.login()
    since = dt.datetime.now(dt.UTC)
    sfn.update_state_machine(
        stateMachineArn=machine, definition=json.dumps({**json.loads(definition), "TimeoutSeconds": 2})
    )
    shop.shipment.fault(latency_ms=4000)
    try:
        answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}])
        assert answer.status_code == 202, answer.text
        order_id = answer.json()["order_id"]

        def stopped_batch() -> str | None:
            # A run started before may take the message too: it keeps receiving while messages come.
            logs = aws("logs")
            batches = runs(logs, shop.outputs["OrderBatchLogGroupName"], since).values()
            timed_out = [
                run
                for run in batches
                if run.status == "TIMED_OUT" and order_id in json.dumps(run.details("ExecutionStarted"))
            ]
            if not timed_out:
                return None
            for poller in runs(logs, shop.outputs["OrderWorkflowLogGroupName"], since).values():
                if receipt := receipt_handed_to_a_batch(poller, order_id):
                    return receipt
            return None

        receipt = poll(stopped_batch, 90, "a batch to stop at its time limit")
    finally:
        sfn.update_state_machine(stateMachineArn=machine, definition=definition)
        shop.shipment.clear_faults()

    assert shop.wait_for_status(auth, order_id, TERMINAL, timeout=150)["status"] == "SHIPPED"
    poll(lambda: len(shop.mails_about(order_id)) == 2, 60, f"the mails about {order_id}")
    queue = shop.outputs["OrdersQueueUrl"]
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=receipt, VisibilityTimeout=0)

    def queue_empty() -> bool:
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=names)["Attributes"]
        return all(attributes[name] == "0" for name in names)

    poll(queue_empty, 90, "the original message to be finished and deleted")
    settle(aws, shop)
    (payment,) = shop.payments_for(order_id)
    assert (payment["status"], ops(payment, "capture")) == ("captured", 1), payment
    assert len(shop.shipments_for(order_id)) == 1
    assert len(shop.mails_about(order_id)) == 2  # accepted, shipped: each once


def _all_states(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "States" and isinstance(value, dict):
                yield from value.values()
            yield from _all_states(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_states(value)


# ---- a poison message ---------------------------------------------------------------------------------------


def test_a_poison_message_goes_to_the_dlq_alone(shop: Shop, aws: Callable[[str], Any]) -> None:
    sqs = aws("sqs")
    since = dt.datetime.now(dt.UTC)
    marker = uuid.uuid4().hex
    poison = [f"not json {marker}", json.dumps([marker]), json.dumps({"order_id": f"o-missing-{marker}"})]
    auth = shop.login()
    answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}])
    assert answer.status_code == 202, answer.text
    for body in poison:  # in the same batches as the real order
        sqs.send_message(QueueUrl=shop.outputs["OrdersQueueUrl"], MessageBody=body)

    order = shop.wait_for_status(auth, answer.json()["order_id"], TERMINAL, timeout=60)
    assert order["status"] == "SHIPPED", order

    parked: list[str] = []

    def all_parked() -> bool:
        got = sqs.receive_message(
            QueueUrl=shop.outputs["OrdersDeadLetterQueueUrl"], MaxNumberOfMessages=10, WaitTimeSeconds=1
        )
        for message in got.get("Messages", []):
            if marker in message["Body"]:
                parked.append(message["Body"])
                sqs.delete_message(
                    QueueUrl=shop.outputs["OrdersDeadLetterQueueUrl"], ReceiptHandle=message["ReceiptHandle"]
                )
        return len(parked) >= len(poison)

    poll(all_parked, 60, "the poison messages in the dead-letter queue")
    assert sorted(parked) == sorted(poison)
    assert executions_failed_since(aws, shop, since) == []


# ---- payment idempotency ------------------------------------------------------------------------------------


def test_two_customers_may_use_the_same_idempotency_key(shop: Shop) -> None:
    key = str(uuid.uuid4())
    product_id = shop.in_stock()
    first = shop.place_order(shop.login("ana@example.com"), [{"product_id": product_id, "quantity": 1}], key=key)
    second = shop.place_order(shop.login("lucia@example.com"), [{"product_id": product_id, "quantity": 1}], key=key)

    assert first.status_code == second.status_code == 202, (first.text, second.text)
    assert first.json()["order_id"] != second.json()["order_id"]
    for answer, email in ((first, "ana@example.com"), (second, "lucia@example.com")):
        order = shop.wait_for_status(shop.login(email), answer.json()["order_id"], TERMINAL)
        assert order["status"] == "SHIPPED", order


def test_a_retry_after_a_payment_timeout_gets_the_same_order_and_the_same_hold(shop: Shop) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    key = str(uuid.uuid4())
    body = {
        "items": [{"product_id": product_id, "quantity": 1}],
        "address": ADDRESS,
        "payment_token": shop.card_token(),
    }
    headers = {**auth, "Idempotency-Key": key}
    assert requests.get(f"{shop.api}/orders", headers=auth, timeout=60).ok  # the authorizer's answer is cached
    before = {p["id"] for p in _payments(shop)}
    with shop.payment.faulted(latency_ms=7000):  # longer than the App Server waits: the answer is a 503
        first = requests.post(f"{shop.api}/orders", json=body, headers=headers, timeout=60)
    assert first.status_code == 503, first.text
    # The Payment System did authorize the card meanwhile; the documented answer to a 503 is to retry.
    held = poll(lambda: [p for p in _payments(shop) if p["id"] not in before], 30, "the first attempt's card hold")

    retry = requests.post(f"{shop.api}/orders", json=body, headers=headers, timeout=60)

    assert retry.status_code == 202, retry.text
    order_id = retry.json()["order_id"]
    order = shop.wait_for_status(auth, order_id, TERMINAL)
    assert order["status"] == "SHIPPED", order
    assert [p["id"] for p in held] == [order["payment"]["id"]]  # the first hold is the order's: nothing orphaned
    assert [p["status"] for p in shop.payments_for(order_id)] == ["captured"]
    assert shop.product(product_id)["stock"] == stock_before - 1


def test_a_retry_after_a_failed_write_gets_a_live_hold_not_the_voided_one(
    shop: Shop, aws: Callable[[str], Any]
) -> None:
    # The first attempt authorizes the card, then its write fails (here the App Server points at a table that does
    # not exist) and it voids the hold: 500. The Payment System replays that voided hold to a retry with the same
    # key; an order written with it could never be captured.
    auth, product_id, stock_before = shop.customer_and_product()
    body = {
        "items": [{"product_id": product_id, "quantity": 1}],
        "address": ADDRESS,
        "payment_token": shop.card_token(),
    }
    headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
    missing = shop.outputs["OrdersTableName"] + "-gone"
    with function_environment(aws, shop.outputs["AppServerFunctionName"], ORDERS_TABLE=missing):
        first = requests.post(f"{shop.api}/orders", json=body, headers=headers, timeout=60)
    assert first.status_code >= 500, first.text

    retry = requests.post(f"{shop.api}/orders", json=body, headers=headers, timeout=60)

    assert retry.status_code == 202, retry.text
    order_id = retry.json()["order_id"]
    order = shop.wait_for_status(auth, order_id, TERMINAL)
    assert order["status"] == "SHIPPED", order
    payments = {p["id"]: p["status"] for p in shop.payments_for(order_id)}
    assert payments[order["payment"]["id"]] == "captured", payments
    assert sorted(payments.values()) == ["captured", "voided"], payments  # the first hold stays released
    assert shop.product(product_id)["stock"] == stock_before - 1


def _payments(shop: Shop) -> list[dict[str, Any]]:
    return list(requests.get(f"{shop.payment.url}/v1/payments", timeout=10).json()["payments"])


# ---- what customers see -------------------------------------------------------------------------------------


def test_a_failed_order_shows_a_reason_code_and_a_localized_message_not_internals(shop: Shop) -> None:
    auth = shop.login()
    address = {**ADDRESS, "postal_code": "00000"}  # the Shipment System refuses to deliver there
    answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}], address=address)
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]

    order = shop.wait_for_status(auth, order_id, TERMINAL, timeout=90)

    assert order["status"] == "FAILED", order
    assert order["failure_code"] == "address_undeliverable", order
    shown = json.dumps(order)
    for word in INTERNALS[:3]:
        assert word not in shown, (word, order)
    (subject,) = shop.subjects([f"Pedido {order['number']} no completado"])
    failure = poll(
        lambda: [
            text
            for m in shop.mails_about(order_id)
            if m["Subject"] == subject and (text := shop.mail_text(m)).startswith("No hemos podido completar")
        ],
        30,
        f"the failure mail about {order_id}",
    )
    text = failure[0]
    for word in INTERNALS:
        assert word not in text, (word, text)
    assert "dirección" in text.lower(), text  # the customer's language (Ana: Spanish), about the address


def test_each_customer_gets_their_own_notices_in_their_language(shop: Shop, aws: Callable[[str], Any]) -> None:
    john = shop.login("john@example.com")  # an English customer; his first login subscribes his address
    answer = shop.place_order(john, [{"product_id": shop.in_stock(), "quantity": 1}])
    assert answer.status_code == 202, answer.text
    order = shop.wait_for_status(john, answer.json()["order_id"], TERMINAL)
    assert order["status"] == "SHIPPED", order

    mails = poll(
        lambda: (m := shop.mails_about(order["id"], to="john@example.com")) and len(m) == 2 and m,
        30,
        "John's two notices",
    )
    assert sorted(m["Subject"] for m in mails) == sorted(
        shop.subjects([f"Order {order['number']} confirmed", f"Order {order['number']} shipped"])
    )
    assert all(len(m["To"]) == 1 for m in mails)  # his own copy, nobody else's address on it
    assert shop.mails_about(order["id"], to="ana@example.com") == []  # another customer sees none of it
    settle(aws, shop)
    # Staff are mailed only what a person may act on (StaffNoticeStatuses): nothing about an order that shipped.
    assert shop.mails_about(order["id"], to=STAFF_EMAIL) == []


# ---- login cannot starve the shop ---------------------------------------------------------------------------


def test_failed_logins_for_one_account_are_limited_with_retry_after(shop: Shop) -> None:
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.com"  # an unknown account is limited like a real one
    answers = [
        requests.post(f"{shop.api}/auth/login", json={"email": email, "password": "wrong"}, timeout=30)
        for _ in range(12)
    ]

    codes = [a.status_code for a in answers]
    assert codes[0] == 401, codes
    assert 429 in codes, codes
    limited = answers[codes.index(429)]
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json()["code"] == "too_many_attempts"
    assert all(c == 429 for c in codes[codes.index(429) :]), codes
    # Another customer is not affected.
    assert shop.login()["Authorization"].startswith("Bearer ")


def test_make_redrive_moves_dead_letters_back_and_they_are_processed(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth = shop.login()
    answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}])
    order_id = answer.json()["order_id"]
    assert shop.wait_for_status(auth, order_id, TERMINAL)["status"] == "SHIPPED"
    sqs = aws("sqs")
    # An order message that kept failing while something was broken, now fixed: parked in the DLQ.
    sqs.send_message(QueueUrl=shop.outputs["OrdersDeadLetterQueueUrl"], MessageBody=json.dumps({"order_id": order_id}))

    moved = subprocess.run(
        [sys.executable, "-m", "tools.redrive", "--env", ENV], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert moved.returncode == 0 and "moved 1 message" in moved.stdout, moved.stdout + moved.stderr
    attributes = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]

    def drained(url: str) -> bool:
        counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=attributes)["Attributes"]
        return all(v == "0" for v in counts.values())

    poll(lambda: drained(shop.outputs["OrdersQueueUrl"]), 60, "the redriven message to be processed")
    assert drained(shop.outputs["OrdersDeadLetterQueueUrl"])
    (payment,) = shop.payments_for(order_id)
    assert ops(payment, "capture") == 1 and len(shop.shipments_for(order_id)) == 1  # processed again: no change
