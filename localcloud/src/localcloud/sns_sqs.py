"""SNS to SQS as AWS delivers it, and the sequence numbers of FIFO topics.

moto's own SQS delivery (in `Subscription.publish`) fails the Publish when the queue is gone, sends binary
raw attributes as text (SQS then fails the ReceiveMessage), passes a FIFO topic's group and deduplication
ids to standard queues, and knows neither FIFO sequence numbers, topic-level deduplication, redrive
policies nor X-Ray. Here (sns_delivery.py hands every `sqs` subscription's message to `deliver`):

- The envelope is moto's signed notification; a FIFO topic's has AWS's FIFO shape instead: `SequenceNumber`,
  no signature fields. `RawMessageDelivery` sends the bare message with the attributes as SQS attributes
  (binary ones as bytes).
- FIFO topics: Publish and PublishBatch answer a `SequenceNumber` (the same the notification carries); a
  FIFO queue gets the group id and the deduplication id (the message's SHA-256 with content-based
  deduplication), a standard queue neither (a standard topic's group id reaches any queue); a message whose
  deduplication id the topic saw in the last five minutes is delivered nowhere.
- A queue that cannot take the message (deleted, say) fails nothing: the message goes to the
  subscription's `RedrivePolicy` dead-letter queue if it has one, else it is dropped with a log line;
  `dead_letter` does the same for a function that is gone (sns_delivery.py).
- `X-Amzn-Trace-Id` of the Publish request becomes the SQS message's `AWSTraceHeader`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.sns_sqs")

DEDUPLICATION_SECONDS = 300
REMEMBERED_SEQUENCE_NUMBERS = 10_000
FIFO_ENVELOPE = ("Type", "MessageId", "SequenceNumber", "TopicArn", "Subject", "Message", "Timestamp", "UnsubscribeURL")


class _State:
    lock = threading.Lock()
    next_number: dict[str, int] = {}  # noqa: RUF012 - topic ARN -> its last sequence number
    numbers: OrderedDict[str, str] = OrderedDict()  # noqa: RUF012 - message id -> its sequence number
    deduplicated: dict[tuple[str, str], tuple[str, float]] = {}  # noqa: RUF012 - (topic, id) -> (message id, when)
    request = threading.local()  # the Publish request being served: its X-Ray trace header


def sequence_number(topic_arn: str, message_id: str) -> str:
    """A FIFO topic's number for a message: increasing per topic, 20 digits, the same each time it is asked."""
    with _State.lock:
        if message_id not in _State.numbers:
            _State.next_number[topic_arn] = _State.next_number.get(topic_arn, 0) + 1
            _State.numbers[message_id] = f"{10**19 + _State.next_number[topic_arn]:020d}"
            while len(_State.numbers) > REMEMBERED_SEQUENCE_NUMBERS:
                _State.numbers.popitem(last=False)
        return _State.numbers[message_id]


def _deduplicated(topic_arn: str, deduplication_id: str, message_id: str) -> bool:
    """Whether the topic already had this deduplication id, for another message, in the last five minutes."""
    now = time.monotonic()
    with _State.lock:
        for key, (_, when) in list(_State.deduplicated.items()):
            if now - when > DEDUPLICATION_SECONDS:
                del _State.deduplicated[key]
        first = _State.deduplicated.setdefault((topic_arn, deduplication_id), (message_id, now))
        return first[0] != message_id


def _sqs_attributes(attributes: dict[str, Any] | None) -> dict[str, Any]:
    """SNS's attributes ({"Type", "Value"}, binary in base64) as SQS takes them."""
    converted = {}
    for name, value in (attributes or {}).items():
        if str(value["Type"]).startswith("Binary"):
            converted[name] = {"DataType": value["Type"], "BinaryValue": base64.b64decode(value["Value"])}
        else:
            converted[name] = {"DataType": value["Type"], "StringValue": str(value["Value"])}
    return converted


def _envelope(subscription: Any, message: str, message_id: str, subject: str | None, attributes: Any) -> str:
    data: dict[str, Any] = subscription.get_post_data(message, message_id, subject, message_attributes=attributes)
    if subscription.topic.fifo_topic:
        data["SequenceNumber"] = sequence_number(subscription.topic.arn, message_id)
        data = {name: data[name] for name in FIFO_ENVELOPE if name in data}
        if attributes:
            data["MessageAttributes"] = attributes
    return json.dumps(data, sort_keys=True, indent=2, separators=(",", ": "))


def _send(
    queue_arn: str, body: str, attributes: dict[str, Any], ids: dict[str, Any], subscription_topic_fifo: bool
) -> None:
    """A FIFO topic's group and deduplication ids reach FIFO queues only; a standard topic's group id any queue."""
    from moto.sqs.models import sqs_backends

    parts = queue_arn.split(":")
    if subscription_topic_fifo and not parts[5].endswith(".fifo"):
        ids = {k: v for k, v in ids.items() if k not in ("group_id", "deduplication_id")}
    sqs_backends[parts[4]][parts[3]].send_message(
        parts[5], body, message_attributes=attributes, validate_group_id=False, **ids
    )


def deliver(
    subscription: Any,
    message: str,
    message_id: str,
    subject: str | None,
    attributes: dict[str, Any] | None,
    group_id: str | None,
    deduplication_id: str | None,
) -> None:
    """One notification to an `sqs` subscription (after its filter policy and message structure)."""
    topic = subscription.topic
    if topic.fifo_topic:
        deduplication_id = deduplication_id or hashlib.sha256(message.encode()).hexdigest()
        if _deduplicated(topic.arn, deduplication_id, message_id):
            return
    raw = str(subscription.attributes.get("RawMessageDelivery")).lower() == "true"
    body = message if raw else _envelope(subscription, message, message_id, subject, attributes)
    sqs_attributes = _sqs_attributes(attributes) if raw else {}
    trace = getattr(_State.request, "trace_header", None)
    ids: dict[str, Any] = {"group_id": group_id, "deduplication_id": deduplication_id if topic.fifo_topic else None}
    if trace:
        ids["system_attributes"] = {"AWSTraceHeader": {"StringValue": trace, "DataType": "String"}}
    try:
        _send(subscription.endpoint, body, sqs_attributes, ids, topic.fifo_topic)
    except Exception as error:  # AWS never fails a Publish for one subscriber
        if not _to_dead_letter(subscription, body, sqs_attributes, ids):
            log.warning("SNS → %s not delivered: %s", subscription.endpoint, error)


def _to_dead_letter(subscription: Any, body: str, attributes: dict[str, Any], ids: dict[str, Any]) -> bool:
    """A message its endpoint did not take, to the subscription's RedrivePolicy queue; False without one."""
    try:
        redrive = json.loads(subscription.attributes.get("RedrivePolicy") or "{}")
    except ValueError:
        return False
    dead_letter = redrive.get("deadLetterTargetArn") if isinstance(redrive, dict) else None
    if not dead_letter:
        return False
    try:
        _send(str(dead_letter), body, attributes, ids, subscription.topic.fifo_topic)
    except Exception as error:
        log.warning("SNS dead-letter queue %s of %s failed: %s", dead_letter, subscription.arn, error)
    return True


def dead_letter(
    subscription: Any, message: str, message_id: str, subject: str | None, attributes: dict[str, Any] | None
) -> bool:
    """A notification another protocol's endpoint refused (a deleted function, say), to the dead-letter queue."""
    body = _envelope(subscription, message, message_id, subject, attributes)
    return _to_dead_letter(subscription, body, {}, {})


# -- the Publish answers of FIFO topics --------------------------------------------------------------------
def _traced(self: Any, action: str) -> Any:
    """moto's answer to Publish or PublishBatch, the request's X-Ray trace header at hand for `deliver`."""
    from moto.sns.responses import SNSResponse

    _State.request.trace_header = self.headers.get("X-Amzn-Trace-Id")
    try:
        return original(SNSResponse, action)(self)
    finally:
        _State.request.trace_header = None


def _publish(self: Any) -> Any:
    result = _traced(self, "publish")
    topic = self.backend.topics.get(self._get_param("TopicArn") or self._get_param("TargetArn"))
    if topic is not None and topic.fifo_topic:
        result.result["SequenceNumber"] = sequence_number(topic.arn, result.result["MessageId"])
    return result


def _publish_batch(self: Any) -> Any:
    result = _traced(self, "publish_batch")
    topic = self.backend.topics.get(self._get_param("TopicArn"))
    if topic is not None and topic.fifo_topic:
        for entry in result.result["Successful"]:
            entry["SequenceNumber"] = sequence_number(topic.arn, entry["MessageId"])
    return result


def install(cloud: LocalCloud) -> None:
    from moto.sns.responses import SNSResponse

    replace(SNSResponse, "publish", _publish)
    replace(SNSResponse, "publish_batch", _publish_batch)
