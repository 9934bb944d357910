"""Least privilege, proven from outside (issue 12): each permission the shop needs, taken out of a copy of
`stacks/iam.yaml`, breaks the shop locally the way it breaks on AWS, with the refusal naming the action and role.

The shop is deployed once (the session's `shop`); each case updates only the IAM stack with the copy, drives the
shop as a customer would (login, POST /orders, wait for the workflow), reads what an operator would read (the
API's answer, the order, the ledgers, the mail sink, the queue, the poller's and the EXPRESS batch workflow's log
records, the function's CloudWatch Logs), and puts the original template back; an order that was held up
then goes through.

Each case fails with LOCALCLOUD_IAM=off: the shop then works and the refusal never comes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from localcloud.testing import poll

from stacks import templates
from tests.support.shop import (
    ENV,
    Shop,
    gap,
    receipt_handed_to_a_batch,
    settle,
)
from tools.workflow_runs import runs

pytestmark = gap("iam")

IAM_STACK = f"{ENV}-shop-iam"
TERMINAL = {"SHIPPED", "FAILED", "PAYMENT_FAILED", "CANCELLED"}


# ---- the IAM stack, one action short ------------------------------------------------------------------------


def without_action(role: str, sid: str, action: str) -> dict[str, Any]:
    """stacks/iam.yaml (read with the deploy tool's CloudFormation loader) with `action` taken out of the
    statement `sid` of `role`'s inline policy, or that statement dropped when it grants nothing else."""
    template = copy.deepcopy(templates.load("iam"))
    (policy,) = template["Resources"][role]["Properties"]["Policies"]
    statements = policy["PolicyDocument"]["Statement"]
    statement = next(s for s in statements if s.get("Sid") == sid)
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    assert action in actions, f"{role}/{sid} does not grant {action}: the case no longer matches stacks/iam.yaml"
    if len(actions) == 1:
        statements.remove(statement)
    else:
        statement["Action"] = [a for a in actions if a != action]
    return template


def as_json(value: Any) -> Any:
    """A template from the YAML loader as CloudFormation's JSON: `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`."""
    if isinstance(value, dict):
        return {
            k: v.split(".", 1) if k == "Fn::GetAtt" and isinstance(v, str) else as_json(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def update_iam_stack(aws: Callable[[str], Any], body: str) -> None:
    cfn = aws("cloudformation")
    cfn.update_stack(
        StackName=IAM_STACK,
        TemplateBody=body,
        Parameters=[{"ParameterKey": "EnvName", "ParameterValue": ENV}],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )

    def settled() -> str | None:
        status = str(cfn.describe_stacks(StackName=IAM_STACK)["Stacks"][0]["StackStatus"])
        return None if status.endswith("_IN_PROGRESS") else status

    assert poll(settled, 60, f"{IAM_STACK} to settle") == "UPDATE_COMPLETE"


@contextmanager
def permission_removed(aws: Callable[[str], Any], role: str, sid: str, action: str) -> Iterator[None]:
    """The IAM stack deployed without one action, and the original template deployed again afterwards."""
    update_iam_stack(aws, json.dumps(as_json(without_action(role, sid, action))))
    try:
        yield
    finally:
        update_iam_stack(aws, templates.template_path("iam").read_text())


# ---- what an operator reads -----------------------------------------------------------------------------------


def refusal(action: str, role: str) -> Callable[[str], bool]:
    """AWS's refusal text: `User: arn:aws:sts::<account>:assumed-role/<role>/<session> is not authorized to perform:
    <action> on resource: ...` (case-insensitive: SQS spells its actions in lower case in these messages)."""
    principal = f":assumed-role/{ENV}-shop-{role}/"

    def names_it(text: str) -> bool:
        lowered = text.lower()
        return principal in text and f"is not authorized to perform: {action.lower()} on resource" in lowered

    return names_it


class Executions:
    """What the order workflow's runs (the poller) and its batch runs recorded since `since`: both are EXPRESS, so
    their log groups are their only record (the tests deploy them at level ALL with execution data)."""

    def __init__(self, aws: Callable[[str], Any], shop: Shop, since: dt.datetime) -> None:
        self.logs = aws("logs")
        self.groups = (shop.outputs["OrderWorkflowLogGroupName"], shop.outputs["OrderBatchLogGroupName"])
        self.since = since

    def failures(self, names_it: Callable[[str], bool]) -> list[dict[str, Any]]:
        """The failure details (TaskFailed, LambdaFunctionFailed, ExecutionFailed, ...) whose cause satisfies
        names_it, from the poller's and the batch workflow's records."""
        return [
            record["details"]
            for group in self.groups
            for run in runs(self.logs, group, self.since).values()
            for record in run.events
            if record["type"].endswith("Failed") and names_it(str((record.get("details") or {}).get("cause", "")))
        ]

    def batch_receipt(self, order_id: str) -> str:
        """The receipt handle of the order's message, as the poller handed it to a batch."""
        for run in runs(self.logs, self.groups[0], self.since).values():
            if receipt := receipt_handed_to_a_batch(run, order_id):
                return receipt
        raise AssertionError(f"no batch was given the message of {order_id}")

    def wait_for_failure(self, names_it: Callable[[str], bool], what: str, timeout: float = 60) -> dict[str, Any]:
        return dict(poll(lambda: next(iter(self.failures(names_it)), None), timeout, what))


def logged(aws: Callable[[str], Any], function: str, since: dt.datetime, names_it: Callable[[str], bool]) -> list[str]:
    """The lines of a function's CloudWatch Logs since `since` that satisfy names_it."""
    logs = aws("logs")
    start = int(since.timestamp() * 1000)
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=f"/aws/lambda/{ENV}-shop-{function}", startTime=start
    )
    return [e["message"] for page in pages for e in page["events"] if names_it(e["message"])]


def queue_depth(aws: Callable[[str], Any], shop: Shop) -> int:
    attributes = aws("sqs").get_queue_attributes(
        QueueUrl=shop.outputs["OrdersQueueUrl"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def made_visible(aws: Callable[[str], Any], shop: Shop, receipt: str) -> None:
    """What an operator does rather than wait out the queue's visibility timeout: the message is received again."""
    aws("sqs").change_message_visibility(
        QueueUrl=shop.outputs["OrdersQueueUrl"], ReceiptHandle=receipt, VisibilityTimeout=0
    )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def placed(shop: Shop, auth: dict[str, str], product_id: str) -> str:
    answer = shop.place_order(auth, [{"product_id": product_id, "quantity": 1}])
    assert answer.status_code == 202, answer.text
    return str(answer.json()["order_id"])


def waiting(shop: Shop, aws: Callable[[str], Any], auth: dict[str, str], order_id: str) -> None:
    """Nothing of the order was done: still PENDING, its card hold untouched, its message kept for redrive."""
    assert shop.order(auth, order_id).json()["status"] == "PENDING"
    (payment,) = shop.payments_for(order_id)
    assert payment["status"] == "authorized", payment
    assert queue_depth(aws, shop) >= 1


def shipped(shop: Shop, auth: dict[str, str], order_id: str) -> None:
    """The order ships and both its notices are sent: the workflow is done with it before the next case."""
    assert shop.wait_for_status(auth, order_id, TERMINAL, timeout=120)["status"] == "SHIPPED"
    poll(lambda: len(shop.mails_about(order_id)) == 2, 60, f"the mails about {order_id}")


# ---- the App Server ---------------------------------------------------------------------------------------------


def all_payments(shop: Shop) -> dict[str, dict[str, Any]]:
    payments = requests.get(f"{shop.payment.url}/v1/payments", timeout=10).json()["payments"]
    return {p["id"]: p for p in payments}


def test_app_server_without_put_on_orders_cannot_take_an_order(shop: Shop, aws: Callable[[str], Any]) -> None:
    """`TransactWriteItems` is not an IAM action: AWS authorizes a transaction per item, so the App Server's
    order transaction (Put the order, Update each product's stock) needs `dynamodb:PutItem` on the orders table
    (statement Orders). Without it the customer gets a 500 and nothing is written; the card hold is released."""
    auth = shop.login()
    product_id = shop.in_stock()
    stock_before = shop.product(product_id)["stock"]
    orders_before = requests.get(f"{shop.api}/orders", headers=auth, params={"limit": 100}, timeout=30).json()
    payments_before = all_payments(shop)
    since = now()

    with permission_removed(aws, "AppServerRole", "Orders", "dynamodb:PutItem"):
        answer = shop.place_order(auth, [{"product_id": product_id, "quantity": 1}])
        assert answer.status_code == 500, answer.text
        assert shop.product(product_id)["stock"] == stock_before
        orders = requests.get(f"{shop.api}/orders", headers=auth, params={"limit": 100}, timeout=30).json()
        assert [o["id"] for o in orders["items"]] == [o["id"] for o in orders_before["items"]]
        (hold,) = [p for i, p in all_payments(shop).items() if i not in payments_before]
        assert hold["status"] == "voided", hold
        names_it = refusal("dynamodb:PutItem", "app-server")
        lines = poll(lambda: logged(aws, "app-server", since, names_it), 30, "the refusal in the App Server's log")
        assert f":table/{ENV}-shop-orders " in lines[0], lines[0]

    # With the template as it is, the same order goes through.
    shipped(shop, auth, placed(shop, auth, product_id))


# ---- Process Order ----------------------------------------------------------------------------------------------


def test_process_order_without_update_on_orders_leaves_the_order_pending(shop: Shop, aws: Callable[[str], Any]) -> None:
    """Process Order moves an order on by a conditional `dynamodb:UpdateItem` on the orders table (statement
    Orders): without it the order is accepted but never paid or shipped, and the refusal is in the function's log
    and in the workflow's history."""
    auth = shop.login()
    product_id = shop.in_stock()
    since = now()
    runs = Executions(aws, shop, since)
    names_it = refusal("dynamodb:UpdateItem", "process-order")

    with permission_removed(aws, "ProcessOrderRole", "Orders", "dynamodb:UpdateItem"):
        order_id = placed(shop, auth, product_id)
        failure = runs.wait_for_failure(names_it, "the workflow's Process Order task to be refused")
        assert f":table/{ENV}-shop-orders " in failure["cause"], failure
        assert poll(lambda: logged(aws, "process-order", since, names_it), 30, "the refusal in Process Order's log")
        assert shop.order(auth, order_id).json()["status"] == "PENDING"
        assert shop.shipments_for(order_id) == []

    shipped(shop, auth, order_id)


# ---- the order workflow ---------------------------------------------------------------------------------------


def test_workflow_without_invoke_leaves_the_order_pending(shop: Shop, aws: Callable[[str], Any]) -> None:
    """The batch workflow's tasks call Process Order with `lambda:InvokeFunction` (statement ProcessOrder, its only
    action): without it no payment is captured and the order waits, its message kept for redrive."""
    auth = shop.login()
    product_id = shop.in_stock()
    runs = Executions(aws, shop, now())

    with permission_removed(aws, "OrderBatchRole", "ProcessOrder", "lambda:InvokeFunction"):
        order_id = placed(shop, auth, product_id)
        failure = runs.wait_for_failure(
            refusal("lambda:InvokeFunction", "order-batch"), "the batch workflow's invoke to be refused"
        )
        assert f":function:{ENV}-shop-process-order" in failure["cause"], failure
        waiting(shop, aws, auth, order_id)

    shipped(shop, auth, order_id)


def test_workflow_without_publish_ships_but_sends_no_mail(shop: Shop, aws: Callable[[str], Any]) -> None:
    """The batch workflow mails the customer and the staff by `sns:Publish` on the notifications topic (statement
    Notify, its only action): without it the order still ships (a notice never blocks an order) but no mail
    comes, and each refused publish is in the batch workflow's log."""
    auth = shop.login()
    product_id = shop.in_stock()
    runs = Executions(aws, shop, now())

    with permission_removed(aws, "OrderBatchRole", "Notify", "sns:Publish"):
        order_id = placed(shop, auth, product_id)
        failure = runs.wait_for_failure(
            refusal("sns:Publish", "order-batch"), "the batch workflow's publish to be refused"
        )
        assert f":{ENV}-shop-notifications " in failure["cause"], failure
        assert shop.wait_for_status(auth, order_id, TERMINAL)["status"] == "SHIPPED"
        settle(aws, shop)
        assert shop.mails_about(order_id) == []


def test_workflow_without_delete_message_keeps_the_message(shop: Shop, aws: Callable[[str], Any]) -> None:
    """The batch workflow deletes an order's message once the order is done (`sqs:DeleteMessage`, statement
    FinishMessages): without it the order ships but its message stays in the queue and the batch fails (and with it
    the poller's run); once the permission is back the message, delivered again, is deleted without paying or
    shipping twice."""
    auth = shop.login()
    product_id = shop.in_stock()
    runs = Executions(aws, shop, now())

    with permission_removed(aws, "OrderBatchRole", "FinishMessages", "sqs:DeleteMessage"):
        order_id = placed(shop, auth, product_id)
        failure = runs.wait_for_failure(
            refusal("sqs:DeleteMessage", "order-batch"), "the batch workflow's delete to be refused"
        )
        assert f":{ENV}-shop-orders " in failure["cause"], failure
        assert shop.wait_for_status(auth, order_id, TERMINAL)["status"] == "SHIPPED"
        assert queue_depth(aws, shop) >= 1  # the message, received and not deleted
        receipt = runs.batch_receipt(order_id)

    made_visible(aws, shop, receipt)
    poll(lambda: queue_depth(aws, shop) == 0, 60, "the message to be deleted")
    (payment,) = shop.payments_for(order_id)
    assert [op["type"] for op in payment["operations"]].count("capture") == 1
    assert len(shop.shipments_for(order_id)) == 1


def test_poller_without_start_execution_leaves_the_order_pending(shop: Shop, aws: Callable[[str], Any]) -> None:
    """The poller hands each received batch to the EXPRESS batch workflow with `states:StartExecution` (statement
    StartBatches, its only action): without it nothing of the order is done, the refusal is in the poller's
    history, and the message stays in the queue; once the permission is back the message goes through."""
    auth = shop.login()
    product_id = shop.in_stock()
    runs = Executions(aws, shop, now())

    with permission_removed(aws, "StateMachineRole", "StartBatches", "states:StartExecution"):
        order_id = placed(shop, auth, product_id)
        failure = runs.wait_for_failure(
            refusal("states:StartExecution", "order-workflow"), "the poller's start of a batch to be refused"
        )
        assert f":stateMachine:{ENV}-shop-order-batch" in failure["cause"], failure
        waiting(shop, aws, auth, order_id)
        receipt = runs.batch_receipt(order_id)

    made_visible(aws, shop, receipt)
    shipped(shop, auth, order_id)


def test_app_server_without_the_queue_keys_data_key_cannot_enqueue(shop: Shop, aws: Callable[[str], Any]) -> None:
    """The orders queue is encrypted with the identity stack's key (SSE-KMS): SQS asks KMS for a data key with
    the sender's credentials, so the App Server's SendMessage needs `kms:GenerateDataKey` on DataKey (statement
    DataKeyThroughItsServices, through SQS). Without it the order is written and accepted but its message is
    refused (SQS KmsAccessDenied, in the App Server's log); the sweeper re-sends it as Process Order, and it ships."""
    auth = shop.login()
    product_id = shop.in_stock()
    since = now()

    with permission_removed(aws, "AppServerRole", "DataKeyThroughItsServices", "kms:GenerateDataKey"):
        order_id = placed(shop, auth, product_id)
        names_it = refusal("kms:GenerateDataKey", "app-server")
        lines = poll(lambda: logged(aws, "app-server", since, names_it), 30, "the refusal in the App Server's log")
        assert f"on resource: {shop_key_arn(aws)} " in lines[0], lines[0]
        assert "KmsAccessDenied" in lines[0] and order_id in lines[0], lines[0]
        shipped(shop, auth, order_id)


def shop_key_arn(aws: Callable[[str], Any]) -> str:
    outputs = aws("cloudformation").describe_stacks(StackName=IAM_STACK)["Stacks"][0]["Outputs"]
    return str(next(o["OutputValue"] for o in outputs if o["OutputKey"] == "DataKeyArn"))
