"""SQS → Lambda event source mappings, polled in the background the way the Lambda service does.

moto runs a queue's mappings synchronously inside SendMessage. Here a mapping (from
CreateEventSourceMapping or `AWS::Lambda::EventSourceMapping`) is taken off the queue at creation
and served by a poller thread instead:

- ReceiveMessage with long polling, up to BatchSize messages, waiting up to
  MaximumBatchingWindowInSeconds to fill a batch;
- the function is invoked synchronously (RequestResponse) through the Lambda runner with AWS's SQS
  event (Records[] with messageId, receiptHandle, body, attributes, messageAttributes, md5OfBody,
  eventSource, eventSourceARN, awsRegion);
- success deletes the batch; a function error leaves it, so the messages reappear after the
  visibility timeout and the queue's redrive policy moves them to the DLQ after maxReceiveCount;
- with FunctionResponseTypes [ReportBatchItemFailures] only the records not listed in the
  response's batchItemFailures are deleted (an invalid response fails the whole batch, like AWS).

Enabled=false pauses a poller; DeleteEventSourceMapping (also from a stack delete) ends it.

A mapping is shown as AWS shows it (`_configuration`): `Creating` in the answer to its creation, the function ARN
as it was named (an alias stays an alias; moto showed the version it points to), AWS's defaults for the source
(SQS: no batching window, no response types, `USER_INITIATED`; streams: no bisecting, retries and record age
unlimited, one batch at a time, `No records processed`, `User action`), no empty FilterCriteria, no Tags.
moto's LambdaBackend.create_event_source_mapping and EventSourceMapping.get_configuration are patched
(patches.replace; tripwire in moto_internals.py).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from moto.awslambda.models import EventSourceMapping, LambdaBackend
from moto.sqs.exceptions import QueueDoesNotExist
from moto.sqs.models import Message, Queue, SQSBackend, sqs_backends

from localcloud import lambda_runner
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.config import Settings
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.event_source_mapping")

POLL_SECONDS = 1  # one long poll; short so a disabled or deleted mapping stops promptly
IDLE_SECONDS = 0.5  # how often a disabled mapping or a missing queue is looked at again


def _enabled(esm: EventSourceMapping) -> bool:
    return str(esm.enabled).lower() != "false"


def _split_function_arn(arn: str) -> tuple[str, str | None]:
    parts = arn.split(":")
    if len(parts) == 8:
        return ":".join(parts[:7]), parts[7]
    return arn, None


def sqs_record(message: Message, queue: Queue, region: str) -> dict[str, Any]:
    """One record of the event Lambda sends for an SQS batch."""
    attributes = {
        "ApproximateReceiveCount": str(message.approximate_receive_count),
        "SentTimestamp": str(message.sent_timestamp),
        "SenderId": str(message.sender_id),
        "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp),
    }
    if queue.fifo_queue:
        attributes["SequenceNumber"] = str(message.sequence_number)
        attributes["MessageGroupId"] = str(message.group_id)
        attributes["MessageDeduplicationId"] = str(message.deduplication_id)
    attributes.update({k: str(v) for k, v in message.system_attributes.items()})  # AWSTraceHeader
    message_attributes: dict[str, Any] = {}
    for name, value in message.message_attributes.items():
        converted: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
        if "BinaryValue" in value:
            converted["binaryValue"] = value["BinaryValue"]
        else:
            converted["stringValue"] = value.get("StringValue")
        message_attributes[name] = converted
    record: dict[str, Any] = {
        "messageId": message.id,
        "receiptHandle": message.receipt_handle,
        "body": message.body,
        "attributes": attributes,
        "messageAttributes": message_attributes,
        "md5OfBody": message.body_md5,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue.queue_arn,
        "awsRegion": region,
    }
    if message_attributes:
        record["md5OfMessageAttributes"] = message.attribute_md5
    return record


def failed_item_ids(payload: bytes, batch_ids: list[str]) -> set[str] | None:
    """The records a ReportBatchItemFailures response names; None when the response is invalid."""
    try:
        response = json.loads(payload or b"null")
    except ValueError:
        return set()  # not JSON: AWS treats a response without batchItemFailures as full success
    if not isinstance(response, dict) or not response.get("batchItemFailures"):
        return set()
    failures = response["batchItemFailures"]
    if not isinstance(failures, list):
        return None
    ids: set[str] = set()
    for item in failures:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not identifier or identifier not in batch_ids:
            return None  # AWS: an empty or unknown itemIdentifier fails the whole batch
        ids.add(identifier)
    return ids


class Poller:
    """The Lambda service's poller for one SQS event source mapping."""

    def __init__(self, esm: EventSourceMapping, max_concurrency: int) -> None:
        self.uuid = esm.uuid
        self.account_id = esm.account_id
        self.region = esm.region
        self.queue_arn = esm.event_source_arn
        self._stop = threading.Event()
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._workers = ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix=f"esm-{esm.uuid[:8]}")
        self._thread = threading.Thread(target=self._run, name=f"esm-poller-{esm.uuid[:8]}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)
        self._workers.shutdown(wait=False, cancel_futures=True)

    @property
    def _sqs(self) -> SQSBackend:
        return sqs_backends[self.account_id][self.region]

    def _mapping(self) -> EventSourceMapping | None:
        from moto.awslambda.utils import get_backend

        backend: LambdaBackend = get_backend(self.account_id, self.region)
        return backend.get_event_source_mapping(self.uuid)

    def _queue(self) -> Queue | None:
        try:
            return self._sqs.get_queue(self.queue_arn.split(":")[-1])
        except QueueDoesNotExist:
            return None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if not self._poll_once():
                    self._stop.wait(IDLE_SECONDS)
            except Exception:
                log.exception("event source mapping %s: poll failed", self.uuid)
                self._stop.wait(IDLE_SECONDS)
        log.info("event source mapping %s: poller stopped", self.uuid)

    def _poll_once(self) -> bool:
        """One receive-and-dispatch round; False when there was nothing to do."""
        esm = self._mapping()
        if esm is None:  # deleted (DeleteEventSourceMapping or stack delete)
            self._stop.set()
            return False
        queue = self._queue()
        if not _enabled(esm) or queue is None:
            return False
        if not self._slots.acquire(timeout=POLL_SECONDS):
            return True  # every worker busy: the batch waits in the queue, as on AWS
        try:
            messages = self._receive(esm, queue)
            esm = self._mapping()
            if messages and (esm is None or not _enabled(esm) or self._stop.is_set()):
                self._release(queue, messages)  # disabled or deleted during the poll: hand them back
                messages = []
        except BaseException:
            self._slots.release()
            raise
        if not messages or esm is None:
            self._slots.release()  # the long poll already waited: poll again at once
            return True
        self._workers.submit(self._process, esm, queue, messages)
        return True

    def _receive(self, esm: EventSourceMapping, queue: Queue) -> list[Message]:
        batch_size = int(esm.batch_size)
        window = float(esm.max_batch_window or 0)
        deadline = time.monotonic() + window
        visibility = int(queue.visibility_timeout)  # type: ignore[attr-defined]  # set from the queue's attributes
        batch = self._sqs.receive_message(queue.name, min(batch_size, 10), POLL_SECONDS, visibility, ["All"])
        # MaximumBatchingWindowInSeconds: keep gathering until the batch is full or the window closes.
        while batch and len(batch) < batch_size and not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            wait = min(POLL_SECONDS, max(1, int(remaining)))
            more = self._sqs.receive_message(queue.name, min(batch_size - len(batch), 10), wait, visibility, ["All"])
            batch.extend(more)
        return batch

    def _release(self, queue: Queue, messages: list[Message]) -> None:
        for message in messages:
            try:
                self._sqs.change_message_visibility(queue.name, str(message.receipt_handle), 0)
            except Exception:  # noqa: S112 - already gone: nothing to hand back
                continue

    def _process(self, esm: EventSourceMapping, queue: Queue, messages: list[Message]) -> None:
        try:
            self._invoke(esm, queue, messages)
        except Exception:
            log.exception("event source mapping %s: batch of %d failed", self.uuid, len(messages))
        finally:
            self._slots.release()

    def _invoke(self, esm: EventSourceMapping, queue: Queue, messages: list[Message]) -> None:
        event = {"Records": [sqs_record(m, queue, self.region) for m in messages]}
        function, qualifier = _split_function_arn(esm.function_arn)
        result = lambda_runner.invoke(
            function,
            json.dumps(event).encode(),
            invocation_type="RequestResponse",
            account_id=self.account_id,
            region=self.region,
            qualifier=qualifier,
        )
        if result.function_error:
            # Leave the batch: it reappears after the visibility timeout (and redrives after maxReceiveCount).
            log.info("event source mapping %s: %s failed; batch left to retry", self.uuid, function)
            return
        failed: set[str] = set()
        if "ReportBatchItemFailures" in (esm.function_response_types or []):
            reported = failed_item_ids(result.payload, [m.id for m in messages])
            if reported is None:
                log.warning(
                    "event source mapping %s: invalid batchItemFailures from %s; the whole batch will be retried",
                    self.uuid,
                    function,
                )
                return
            failed = reported
        for message in messages:
            if message.id not in failed:
                self._sqs.delete_message(queue.name, str(message.receipt_handle))


class _Registry:
    pollers: dict[str, Poller] = {}  # noqa: RUF012 - process-wide on purpose
    lock = threading.Lock()
    running = False
    max_concurrency = 4

    @classmethod
    def add(cls, esm: EventSourceMapping) -> None:
        with cls.lock:
            if esm.uuid in cls.pollers:
                return
            poller = Poller(esm, cls.max_concurrency)
            cls.pollers[esm.uuid] = poller
            if cls.running:
                poller.start()

    @classmethod
    def start(cls) -> None:
        with cls.lock:
            cls.running = True
            for poller in cls.pollers.values():
                poller.start()

    @classmethod
    def stop(cls) -> None:
        with cls.lock:
            cls.running = False
            pollers, cls.pollers = list(cls.pollers.values()), {}
        for poller in pollers:
            poller.stop()
        for poller in pollers:
            poller.join(timeout=POLL_SECONDS + 1)


def _take_off_queue(esm: EventSourceMapping) -> None:
    """Detach the mapping from moto's queue so SendMessage never runs it; the poller serves it."""
    try:
        queue = sqs_backends[esm.account_id][esm.region].get_queue(esm.event_source_arn.split(":")[-1])
    except QueueDoesNotExist:
        return
    if queue.lambda_event_source_mappings.get(esm.function_arn) is esm:
        del queue.lambda_event_source_mappings[esm.function_arn]


def _create_event_source_mapping(self: LambdaBackend, spec: dict[str, Any]) -> EventSourceMapping:
    esm = original(LambdaBackend, "create_event_source_mapping")(self, spec)
    if esm.event_source_arn.split(":")[2] == "sqs":
        _take_off_queue(esm)
        _Registry.add(esm)
    return esm


SQS_DEFAULTS: dict[str, Any] = {"FunctionResponseTypes": [], "MaximumBatchingWindowInSeconds": 0}
STREAM_DEFAULTS: dict[str, Any] = {
    "BisectBatchOnFunctionError": False,
    "DestinationConfig": {"OnFailure": {}},
    "FunctionResponseTypes": [],
    "LastProcessingResult": "No records processed",
    "MaximumBatchingWindowInSeconds": 0,
    "MaximumRecordAgeInSeconds": -1,
    "MaximumRetryAttempts": -1,
    "ParallelizationFactor": 1,
    "TumblingWindowInSeconds": 0,
}


def _configuration(self: Any) -> dict[str, Any]:
    """moto's configuration of a mapping, shaped as AWS answers it (see the module's docstring)."""
    shown: dict[str, Any] = original(EventSourceMapping, "get_configuration")(self)
    is_sqs = self._get_service_source_from_arn().startswith("sqs")
    shown = {**(SQS_DEFAULTS if is_sqs else STREAM_DEFAULTS), **shown}
    shown["StateTransitionReason"] = "USER_INITIATED" if is_sqs else "User action"
    shown.pop("Tags", None)
    if not (shown.get("FilterCriteria") or {}).get("Filters"):
        shown.pop("FilterCriteria", None)
    name = str(self.function_name)
    if not name.startswith("arn:"):
        name = f"arn:aws:lambda:{self.region}:{self.account_id}:function:{name.split('function:')[-1]}"
    shown["FunctionArn"] = name
    if not getattr(self, "lc_shown", False):  # the answer to CreateEventSourceMapping
        self.lc_shown = True
        shown["State"] = "Creating"
    return shown


def install(cloud: LocalCloud) -> None:
    settings: Settings = cloud.settings
    _Registry.max_concurrency = max(1, settings.lambda_max_workers)
    replace(LambdaBackend, "create_event_source_mapping", _create_event_source_mapping)
    replace(EventSourceMapping, "get_configuration", _configuration)
    cloud.add_service("event_source_mapping", _Registry.start, _Registry.stop)
