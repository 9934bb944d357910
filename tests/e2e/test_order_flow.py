"""The order pipeline end to end: API -> Lambda -> DynamoDB/SQS -> Step Functions -> Payment/Shipment -> SNS mail.

Every test drives the deployed stacks from outside and reconciles what the customer sees (the API) with the
external systems' ledgers and the mail sink.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import requests
from localcloud.testing import poll

from tests.support.shop import (
    ADDRESS,
    DECLINED_CARD,
    STAFF_EMAIL,
    TERMINAL,
    Shop,
    settle,
)


def operations(payment: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [op for op in payment["operations"] if op["type"] == kind]


def test_paid_order_ships_with_one_capture_one_shipment_and_two_mails(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth, product_id, stock_before = shop.customer_and_product()

    answer = shop.place_order(auth, [{"product_id": product_id, "quantity": 2}])
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]
    assert answer.json()["status"] == "PENDING"
    assert answer.headers["Location"].endswith(order_id)

    order = shop.wait_for_status(auth, order_id, TERMINAL)
    assert order["status"] == "SHIPPED", order
    assert order["shipment"]["tracking_number"]
    assert shop.product(product_id)["stock"] == stock_before - 2
    poll(lambda: shop.mails_about(order_id), 30, f"the mail about {order_id}")
    settle(aws, shop)

    (payment,) = shop.payments_for(order_id)
    assert payment["status"] == "captured"
    assert len(operations(payment, "capture")) == 1
    assert payment["amount"] == order["total"]
    (shipment,) = shop.shipments_for(order_id)
    assert shipment["tracking_number"] == order["shipment"]["tracking_number"]
    subjects = sorted(m["Subject"] for m in shop.mails_about(order_id))  # accepted, then shipped: once each
    assert subjects == sorted(
        shop.subjects([f"Pedido {order['number']} confirmado", f"Pedido {order['number']} enviado"])
    )


def test_declined_card_is_402_and_writes_nothing(shop: Shop) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    orders_before = requests.get(f"{shop.api}/orders", headers=auth, params={"limit": 100}, timeout=30).json()

    answer = shop.place_order(auth, [{"product_id": product_id, "quantity": 1}], card=DECLINED_CARD)

    assert answer.status_code == 402, answer.text
    assert answer.json()["code"] == "card_declined" or "declin" in answer.json()["message"].lower()
    assert shop.product(product_id)["stock"] == stock_before
    orders_after = requests.get(f"{shop.api}/orders", headers=auth, params={"limit": 100}, timeout=30).json()
    assert [o["id"] for o in orders_after["items"]] == [o["id"] for o in orders_before["items"]]


def test_payment_system_down_at_checkout_is_503_and_writes_nothing(shop: Shop) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    key, body = str(uuid.uuid4()), shop.order_body(product_id)

    with shop.payment.faulted(down=True):
        answer = requests.post(f"{shop.api}/orders", json=body, headers={**auth, "Idempotency-Key": key}, timeout=60)

    assert answer.status_code == 503, answer.text
    assert shop.product(product_id)["stock"] == stock_before
    # Nothing was applied, so the same request with the same key now goes through.
    retry = requests.post(f"{shop.api}/orders", json=body, headers={**auth, "Idempotency-Key": key}, timeout=60)
    assert retry.status_code == 202, retry.text
    # Let it finish before the next test injects faults into the external systems.
    assert shop.wait_for_status(auth, retry.json()["order_id"], TERMINAL)["status"] == "SHIPPED"


def shop_address() -> dict[str, str]:
    return dict(ADDRESS)


def test_a_refused_shipment_refunds_marks_failed_and_mails(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    address = {**shop_address(), "postal_code": "00000"}  # the Shipment System does not deliver there (422)
    answer = shop.place_order(auth, [{"product_id": product_id, "quantity": 1}], address=address)
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]
    order = shop.wait_for_status(auth, order_id, TERMINAL, timeout=120)

    assert order["status"] == "FAILED", order
    assert order["failure_code"] == "address_undeliverable"
    (payment,) = shop.payments_for(order_id)
    assert payment["status"] in ("refunded", "voided"), payment
    assert len(operations(payment, "refund")) + len(operations(payment, "void")) == 1
    assert shop.shipments_for(order_id) == []
    assert shop.product(product_id)["stock"] == stock_before
    poll(lambda: len(shop.mails_about(order_id)) == 2, 30, f"the failure mail about {order_id}")
    settle(aws, shop)
    subjects = sorted(m["Subject"] for m in shop.mails_about(order_id))
    assert subjects == sorted(
        shop.subjects([f"Pedido {order['number']} confirmado", f"Pedido {order['number']} no completado"])
    )
    # Staff get the failure (StaffNoticeStatuses' default), not the confirmation that came before it.
    staff = poll(lambda: [m["Subject"] for m in shop.mails_about(order_id, to=STAFF_EMAIL)], 30, "the staff's mail")
    assert staff == shop.subjects([f"Pedido {order['number']} no completado"])


def test_duplicate_message_delivery_changes_nothing(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth = shop.login()
    answer = shop.place_order(auth, [{"product_id": shop.in_stock(), "quantity": 1}])
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]
    order = shop.wait_for_status(auth, order_id, TERMINAL)
    assert order["status"] == "SHIPPED", order
    poll(lambda: len(shop.mails_about(order_id)) == 2, 30, f"the mails about {order_id}")

    # The queue delivers the same order again (at-least-once delivery): twice, in one batch.
    message = json.dumps({"order_id": order_id})
    sqs = aws("sqs")
    for _ in range(2):
        sqs.send_message(QueueUrl=shop.outputs["OrdersQueueUrl"], MessageBody=message)

    def drained() -> bool:
        attributes = sqs.get_queue_attributes(
            QueueUrl=shop.outputs["OrdersQueueUrl"],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return attributes == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}

    poll(drained, 60, "the duplicates to be consumed")
    settle(aws, shop)
    (payment,) = shop.payments_for(order_id)
    assert len(operations(payment, "capture")) == 1
    assert len(shop.shipments_for(order_id)) == 1
    assert len(shop.mails_about(order_id)) == 2  # accepted and shipped, each once
    assert shop.order(auth, order_id).json()["status"] == "SHIPPED"


def test_two_customers_race_for_the_last_unit(shop: Shop) -> None:
    last_unit = next(p["id"] for p in shop.products() if p["stock"] == 1)
    customers = [shop.login("ana@example.com"), shop.login(second_customer(shop))]
    answers: list[requests.Response] = []
    start = threading.Barrier(len(customers))

    def buy(auth: dict[str, str]) -> None:
        token = shop.card_token()
        body = {"items": [{"product_id": last_unit, "quantity": 1}], "address": shop_address(), "payment_token": token}
        start.wait()
        answers.append(
            requests.post(
                f"{shop.api}/orders", json=body, headers={**auth, "Idempotency-Key": str(uuid.uuid4())}, timeout=60
            )
        )

    threads = [threading.Thread(target=buy, args=(auth,)) for auth in customers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [202, 409], [a.text for a in answers]
    loser = next(a for a in answers if a.status_code == 409)
    assert last_unit in loser.text
    assert shop.product(last_unit)["stock"] == 0
    winner = next(a for a in answers if a.status_code == 202).json()["order_id"]
    assert any(shop.order(auth, winner).status_code == 200 for auth in customers)


def second_customer(shop: Shop) -> str:
    """Another seeded customer (the seed has several; all share the demo password)."""
    return "lucia@example.com"


def test_idempotent_retry_replays_the_first_answer(shop: Shop) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    key, body = str(uuid.uuid4()), shop.order_body(product_id)

    first = requests.post(f"{shop.api}/orders", json=body, headers={**auth, "Idempotency-Key": key}, timeout=60)
    second = requests.post(f"{shop.api}/orders", json=body, headers={**auth, "Idempotency-Key": key}, timeout=60)

    assert first.status_code == second.status_code == 202, (first.text, second.text)
    assert first.json()["order_id"] == second.json()["order_id"]
    assert len(shop.payments_for(first.json()["order_id"])) == 1
    assert shop.product(product_id)["stock"] == stock_before - 1
    assert shop.wait_for_status(auth, first.json()["order_id"], TERMINAL)["status"] == "SHIPPED"
    assert len(shop.shipments_for(first.json()["order_id"])) == 1


def test_a_customer_cannot_read_another_customers_order(shop: Shop) -> None:
    ana = shop.login()
    answer = shop.place_order(ana, [{"product_id": shop.in_stock(), "quantity": 1}])
    assert answer.status_code == 202, answer.text
    order_id = answer.json()["order_id"]

    other = shop.login(second_customer(shop))
    assert shop.order(other, order_id).status_code == 404
    assert shop.order(ana, order_id).status_code == 200
    assert requests.get(f"{shop.api}/orders/{order_id}", timeout=30).status_code == 401
    shop.wait_for_status(ana, order_id, TERMINAL)


def test_cancel_while_paid_refunds_and_restores_stock(shop: Shop, aws: Callable[[str], Any]) -> None:
    auth, product_id, stock_before = shop.customer_and_product()
    # The Shipment System is down (503: it processed nothing), so every shipment attempt gives its SHIPPING claim
    # back: the order waits at PAID and can still be cancelled.
    with shop.shipment.faulted(down=True):
        order_id = shop.placed(auth, product_id)
        shop.wait_for_status(auth, order_id, {"PAID"}, timeout=60)
        cancelled = requests.post(f"{shop.api}/orders/{order_id}/cancel", headers=auth, timeout=60)
        if cancelled.status_code == 409:  # it hit the instant of an attempt; the claim is given back at once
            shop.wait_for_status(auth, order_id, {"PAID"}, timeout=30)
            cancelled = requests.post(f"{shop.api}/orders/{order_id}/cancel", headers=auth, timeout=60)

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "CANCELLED"
    settle(aws, shop)
    assert shop.order(auth, order_id).json()["status"] == "CANCELLED"
    (payment,) = shop.payments_for(order_id)
    assert payment["status"] == "refunded"
    assert shop.shipments_for(order_id) == []
    assert shop.product(product_id)["stock"] == stock_before
    again = requests.post(f"{shop.api}/orders/{order_id}/cancel", headers=auth, timeout=60)
    assert again.status_code == 409 and again.json()["code"] == "not_cancellable"
