"""SQS redrive to a DLQ, and SQS → Lambda event source mappings polled in the background like AWS does."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from conftest import Stacks, poll, unique

Aws = Callable[[str], Any]


def receive(sqs: Any, url: str, wait: int = 1, **kwargs: Any) -> list[dict[str, Any]]:
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait, **kwargs).get("Messages", [])


class Reports:
    """What the fixture worker reported: one entry per invocation (bodies and records of its batch)."""

    def __init__(self, sqs: Any, url: str) -> None:
        self.sqs, self.url = sqs, url
        self.batches: list[dict[str, Any]] = []

    def collect(self) -> list[dict[str, Any]]:
        for message in receive(self.sqs, self.url):
            self.batches.append(json.loads(message["Body"]))
            self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return self.batches

    def bodies(self) -> list[str]:
        return [body for batch in self.batches for body in batch["bodies"]]

    def wait_for(self, check: Callable[[list[str]], bool], what: str) -> list[str]:
        poll(lambda: self.collect() and check(self.bodies()), what=what)
        return self.bodies()

    def drain(self) -> list[str]:
        """Everything reported so far (stops at the first empty long poll)."""
        while True:
            before = len(self.batches)
            if len(self.collect()) == before:
                return self.bodies()


def counts(sqs: Any, url: str) -> tuple[int, int]:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"])


# -- redrive --------------------------------------------------------------------------------------------------
def test_redrive_policy_moves_a_message_to_the_dlq_after_max_receives(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sqs_redrive.yaml")
    sqs = aws("sqs")
    policy = json.loads(
        sqs.get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["RedrivePolicy"])["Attributes"][
            "RedrivePolicy"
        ]
    )
    assert policy == {"deadLetterTargetArn": out["DeadLetterQueueArn"], "maxReceiveCount": 2}
    sent = sqs.send_message(QueueUrl=out["QueueUrl"], MessageBody="poison")

    for attempt in (1, 2):  # two receives without a delete: the consumer failed twice
        got = receive(sqs, out["QueueUrl"], wait=0, VisibilityTimeout=0, MessageSystemAttributeNames=["All"])
        assert [m["MessageId"] for m in got] == [sent["MessageId"]]
        assert got[0]["Attributes"]["ApproximateReceiveCount"] == str(attempt)
    assert receive(sqs, out["QueueUrl"], wait=0) == []  # the third receive finds it moved

    moved = receive(sqs, out["DeadLetterQueueUrl"], wait=0)
    assert [(m["MessageId"], m["Body"]) for m in moved] == [(sent["MessageId"], "poison")]
    assert counts(sqs, out["QueueUrl"]) == (0, 0)


# -- event source mappings ------------------------------------------------------------------------------------
def test_mapping_polls_after_send_message_returns_and_deletes_on_success(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sqs_esm.yaml")
    sqs = aws("sqs")
    reports = Reports(sqs, out["OutputQueueUrl"])
    sent = sqs.send_message(
        QueueUrl=out["QueueUrl"],
        MessageBody="sleep",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
    )
    # The worker sleeps 2 s before it reports: had SendMessage run it, the report would be here already.
    assert receive(sqs, out["OutputQueueUrl"], wait=0) == []

    reports.wait_for(lambda bodies: "sleep" in bodies, "the worker's report")
    record = reports.batches[0]["records"][0]
    assert record["messageId"] == sent["MessageId"]
    assert record["body"] == "sleep"
    assert record["md5OfBody"] == hashlib.md5(b"sleep").hexdigest() == sent["MD5OfMessageBody"]  # noqa: S324
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == out["QueueArn"]
    assert record["awsRegion"] == "us-east-1"
    assert record["receiptHandle"]
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    for name in ("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"):
        assert record["attributes"][name]
    assert record["messageAttributes"]["kind"] == {
        "stringValue": "order",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    poll(lambda: counts(sqs, out["QueueUrl"]) == (0, 0), what="the batch to be deleted")


def test_mapping_respects_batch_size(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sqs_esm.yaml")
    sqs = aws("sqs")
    entries = [{"Id": str(i), "MessageBody": f"ok-{i}"} for i in range(10)]
    sqs.send_message_batch(QueueUrl=out["QueueUrl"], Entries=entries)

    reports = Reports(sqs, out["OutputQueueUrl"])
    reports.wait_for(lambda bodies: len(set(bodies)) == 10, "all ten messages")
    assert all(1 <= len(batch["bodies"]) <= 3 for batch in reports.batches), reports.batches
    poll(lambda: counts(sqs, out["QueueUrl"]) == (0, 0), what="every batch to be deleted")
    assert sorted(reports.drain()) == sorted(e["MessageBody"] for e in entries)  # each delivered once


def test_function_error_leaves_the_batch_until_it_redrives_to_the_dlq(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sqs_esm.yaml")
    sqs = aws("sqs")
    sent = sqs.send_message(QueueUrl=out["QueueUrl"], MessageBody="fail")

    moved = poll(lambda: receive(sqs, out["DeadLetterQueueUrl"]), what="the failing message in the DLQ")
    assert [(m["MessageId"], m["Body"]) for m in moved] == [(sent["MessageId"], "fail")]
    reports = Reports(sqs, out["OutputQueueUrl"])
    reports.drain()
    attempts = [r["attributes"]["ApproximateReceiveCount"] for b in reports.batches for r in b["records"]]
    assert attempts == ["1", "2"]  # retried after the visibility timeout, then maxReceiveCount redrove it


def test_report_batch_item_failures_deletes_only_the_successes(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sqs_esm.yaml")
    sqs = aws("sqs")
    entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(("ok-1", "bad-2", "ok-3"))]
    sqs.send_message_batch(QueueUrl=out["QueueUrl"], Entries=entries)

    moved = poll(lambda: receive(sqs, out["DeadLetterQueueUrl"]), what="the reported failure in the DLQ")
    assert [m["Body"] for m in moved] == ["bad-2"]
    bodies = Reports(sqs, out["OutputQueueUrl"]).drain()
    assert sorted(bodies) == ["bad-2", "bad-2", "ok-1", "ok-3"]  # successes once; the failure until redriven
    assert counts(sqs, out["QueueUrl"]) == (0, 0)


def test_disabled_and_deleted_mappings_leave_the_queue_alone(aws: Aws, stacks: Stacks) -> None:
    out = stacks.deploy("sqs_esm.yaml")
    sqs, awslambda = aws("sqs"), aws("lambda")
    mapping = awslambda.create_event_source_mapping(
        EventSourceArn=out["IdleQueueArn"], FunctionName=out["WorkerName"], BatchSize=1, Enabled=False
    )
    assert mapping["State"] == "Creating"  # as AWS answers a creation
    assert awslambda.get_event_source_mapping(UUID=mapping["UUID"])["State"] == "Disabled"

    sqs.send_message(QueueUrl=out["IdleQueueUrl"], MessageBody="ok-while-disabled")
    got = poll(lambda: receive(sqs, out["IdleQueueUrl"]), what="the message the disabled mapping left")
    assert [m["Body"] for m in got] == ["ok-while-disabled"]
    sqs.delete_message(QueueUrl=out["IdleQueueUrl"], ReceiptHandle=got[0]["ReceiptHandle"])

    awslambda.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    sqs.send_message(QueueUrl=out["IdleQueueUrl"], MessageBody="ok-enabled")
    Reports(sqs, out["OutputQueueUrl"]).wait_for(lambda bodies: "ok-enabled" in bodies, "the enabled mapping")

    awslambda.delete_event_source_mapping(UUID=mapping["UUID"])
    sqs.send_message(QueueUrl=out["IdleQueueUrl"], MessageBody="ok-after-delete")
    got = poll(lambda: receive(sqs, out["IdleQueueUrl"]), what="the message the deleted mapping left")
    assert [m["Body"] for m in got] == ["ok-after-delete"]

    # The stack's own mapping goes with the stack (its poller ends when the mapping is gone).
    assert len(awslambda.list_event_source_mappings(EventSourceArn=out["QueueArn"])["EventSourceMappings"]) == 1
    for name in stacks.created:
        aws("cloudformation").delete_stack(StackName=name)
    poll(
        lambda: not awslambda.list_event_source_mappings(EventSourceArn=out["QueueArn"])["EventSourceMappings"],
        what="the stack's mapping to be deleted",
    )


def test_receivers_at_once_never_share_a_message(aws: Aws) -> None:
    """Parallel pollers (the order workflow runs several) each get their own messages, and no receive fails."""
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique("parallel"), Attributes={"VisibilityTimeout": "900"})["QueueUrl"]
    sent = 600
    for start in range(0, sent, 10):
        sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m-{i}"} for i in range(start, start + 10)]
        )

    def drain(_: int) -> list[str]:
        client, got = aws("sqs"), list[str]()
        while True:
            messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return got
            got += [m["Body"] for m in messages]
            for m in messages[::5]:  # deletes interleave with the other receivers' walks
                client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    with ThreadPoolExecutor(16) as pool:
        bodies = [body for got in pool.map(drain, range(16)) for body in got]

    assert len(bodies) == len(set(bodies)), "a message went to two receivers at once"
    assert sorted(bodies) == sorted(f"m-{i}" for i in range(sent))
    sqs.delete_queue(QueueUrl=url)
