"""SQS requests checked and answered as AWS does: the query API on a queue URL, actions, parameters.

- **The query API on the queue URL.** AWS answers `GET` or `POST http(s)://<host>/<account>/<queue>?Action=...`
  (the older SDKs, the PHP SDK, presigned URLs) for the queue the URL names, in the region of the
  signature's scope. moto's server finds a request's service from its `Authorization` header, so a request
  signed in its query string (SigV4 query auth) or not signed at all reached S3 (`NoSuchBucket`). Here it
  reaches SQS, in the region of its `X-Amz-Credential`. On a queue URL, `CreateQueue` and `ListQueues` are
  `InvalidAction` and no action at all is `UnknownOperationException` (404), as on AWS.
- **Batch entries.** A SendMessageBatch entry with characters SQS does not take or over the queue's
  `MaximumMessageSize` fails alone (in `Failed`), the others are sent, as on AWS (moto failed the request).
- **Actions.** An action SQS does not have is `InvalidAction` (400, "The action X is not valid for this
  endpoint."), not moto's HTML 500.
- **Parameters, at one place.** Before moto runs an action, `CHECKS` apply AWS's rules that moto skips or
  words differently: required parameters (`MissingParameter`), `MaxNumberOfMessages` and `WaitTimeSeconds`
  ranges, message size against the queue's `MaximumMessageSize` and a batch's 1 MiB in all,
  batch entry counts and ids, `MessageGroupId` / `MessageDeduplicationId` syntax, characters of a body
  (`InvalidMessageContents`) and of String attributes (`InvalidParameterValue`), empty String attributes,
  attribute types of 256 characters or more, queue attributes a queue type does not have (a standard queue
  has no `FifoQueue` attribute at all, `false` included), a queue created again with other attribute values,
  receipt handles no message had (`ReceiptHandleIsInvalid`, 'The input receipt handle "..." is not a valid
  receipt handle.') and ChangeMessageVisibility of a deleted message (`InvalidParameterValue`). A message
  attribute's name may hold any letter, as on AWS (moto's `Message.validate_attribute_name` took ASCII only).

- **Errors moto words or numbers otherwise.** Over the query protocol a missing queue is "The specified
  queue does not exist for this wsdl version."; `PurgeQueueInProgress` is a 403.

The JSON protocol's name for these errors (`QueryErrorCode`) is aws_errors.py's.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

# /<12-digit account>/<queue name>: the path of an SQS queue URL on every endpoint form.
QUEUE_PATH = re.compile(r"^/\d{12}/[A-Za-z0-9_-]{1,80}(\.fifo)?/?$")
NOT_ON_A_QUEUE = ("CreateQueue", "ListQueues")  # actions that name no queue: refused on a queue URL
MAX_BATCH_ENTRIES = 10
MAX_REQUEST_BYTES = 1_048_576  # a SendMessageBatch's whole payload, as one message's largest size
BATCH_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
# MessageGroupId / MessageDeduplicationId: "alphanumeric and punctuation characters. 1 to 128 in length."
MESSAGE_TOKEN = re.compile(r"""^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}$""")
# What a message body or String attribute may hold: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000+
INVALID_CHARACTERS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ATTRIBUTE_NAME = re.compile(r"^[\w.-]{1,256}$")
MAX_ATTRIBUTE_TYPE_LENGTH = 256
MAX_VISIBILITY_TIMEOUT = 43_200  # 12 hours
FIFO_ONLY_ATTRIBUTES = ("ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")


def _error(code: str, message: str) -> Exception:
    from moto.sqs.exceptions import SQSException

    return SQSException(code, message)


def _invalid(message: str) -> Exception:
    return _error("InvalidParameterValue", message)


# -- routing -------------------------------------------------------------------------------------
def _query(environ: dict[str, Any]) -> dict[str, list[str]]:
    return parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)


def _scope_region(query: dict[str, list[str]]) -> str | None:
    """The region of a SigV4 query signature whose scope is SQS (`X-Amz-Credential=key/date/region/sqs/...`)."""
    scope = query.get("X-Amz-Credential", [""])[0].split("/")
    return scope[2] if len(scope) == 5 and scope[3] == "sqs" else None


def _infer_service_region_host(self: Any, environ: dict[str, Any], path: str) -> str | None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if not environ.get("HTTP_AUTHORIZATION") and not environ.get("HTTP_X_AMZ_TARGET") and QUEUE_PATH.match(path):
        query = _query(environ)
        region = _scope_region(query)
        if region is None and ("Action" in query or "Action=" in (self._get_body(environ) or "")):
            region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
        if region is not None:
            return f"sqs.{region}.amazonaws.com"
    return original(DomainDispatcherApplication, "infer_service_region_host")(self, environ, path)


def _get_region_from_url(self: Any, request: Any, full_url: str) -> str:
    from moto.sqs.responses import SQSResponse

    region = _scope_region({k: request.args.getlist(k) for k in ("X-Amz-Credential",) if k in request.args})
    return region or original(SQSResponse, "get_region_from_url")(self, request, full_url)


# -- parameters ------------------------------------------------------------------------------------
def _queue(response: Any) -> Any:
    return response.sqs_backend.get_queue(response._get_queue_name())


def _message_size(body: str, attributes: dict[str, Any]) -> int:
    size = len(body.encode())
    for name, value in (attributes or {}).items():
        size += len(name.encode()) + len(str(value.get("DataType", "")).encode())
        size += len(str(value.get("StringValue", "")).encode()) + len(value.get("BinaryValue", b"") or b"")
    return size


def _check_contents(text: str) -> None:
    if INVALID_CHARACTERS.search(text):
        raise _error(
            "InvalidMessageContents",
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
            "#xE000 to #xFFFD | #x10000 to #x10FFFF",
        )


def _check_attributes(attributes: dict[str, Any]) -> None:
    from moto.sqs.exceptions import SQSException

    for name, value in (attributes or {}).items():
        data_type = str(value.get("DataType", ""))
        if len(data_type) >= MAX_ATTRIBUTE_TYPE_LENGTH:
            raise _invalid(f"Message (user) attribute types must be shorter than {MAX_ATTRIBUTE_TYPE_LENGTH} Bytes")
        if data_type.startswith("String"):
            if value.get("StringValue") == "":
                raise _invalid(f"Message (user) attribute '{name}' must contain a non-empty value of type 'String'.")
            try:
                _check_contents(str(value.get("StringValue") or ""))
            except SQSException as error:  # in an attribute, AWS names the characters an invalid value
                raise _invalid(error.message) from None


def _validate_attribute_name(name: str) -> None:
    """AWS's rule for a message attribute's name (moto's allowed ASCII only, AWS takes any letter)."""
    from moto.sqs.exceptions import MessageAttributesInvalid

    lower = name.lower()
    if (
        not ATTRIBUTE_NAME.match(name)
        or lower.startswith(("aws.", "amazon.", "."))
        or name.endswith(".")
        or ".." in name
    ):
        raise MessageAttributesInvalid(
            f"The message attribute name '{name}' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore "
            "(_), hyphen (-), and period (.) characters. It cannot start or end with a period, cannot contain "
            "consecutive periods, and cannot start with AWS. or Amazon."
        )


def _check_message(queue: Any, entry: dict[str, Any]) -> None:
    """One message of SendMessage."""
    if not entry.get("MessageBody"):
        raise _error("MissingParameter", "The request must contain the parameter MessageBody.")
    _check_tokens_and_attributes(entry)
    _check_contents_and_size(queue, entry, "are invalid")


def _check_tokens_and_attributes(entry: dict[str, Any]) -> None:
    for name in ("MessageGroupId", "MessageDeduplicationId"):
        value = entry.get(name)
        if value is not None and not MESSAGE_TOKEN.match(value):
            raise _invalid(
                f"Value {value} for parameter {name} is invalid. Reason: {name} can only include alphanumeric"
                " and punctuation characters. 1 to 128 in length."
            )
    _check_attributes(entry.get("MessageAttributes") or {})


def _check_contents_and_size(queue: Any, entry: dict[str, Any], wording: str) -> None:
    """What SendMessage refuses and a SendMessageBatch reports as its entry's failure (`wording` differs)."""
    _check_contents(entry["MessageBody"])
    limit = int(queue.maximum_message_size)
    if _message_size(entry["MessageBody"], entry.get("MessageAttributes") or {}) > limit:
        raise _invalid(f"One or more parameters {wording}. Reason: Message must be shorter than {limit} bytes.")


def _check_send_message(response: Any) -> None:
    _check_message(_queue(response), response.params)


def _check_batch(response: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = response.params.get("Entries") or []
    if len(entries) > MAX_BATCH_ENTRIES:
        raise _error(
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            f"Maximum number of entries per request are {MAX_BATCH_ENTRIES}. You have sent {len(entries)}.",
        )
    for entry in entries:
        if not BATCH_ID.match(entry.get("Id", "")):
            raise _error(
                "AWS.SimpleQueueService.InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                "It can be at most 80 letters long.",
            )
    return entries


def _check_send_message_batch(response: Any) -> None:
    entries = _check_batch(response)
    queue = _queue(response)
    total = sum(_message_size(e.get("MessageBody") or "", e.get("MessageAttributes") or {}) for e in entries)
    if total > MAX_REQUEST_BYTES:
        raise _error(
            "AWS.SimpleQueueService.BatchRequestTooLong",
            f"Batch requests cannot be longer than {MAX_REQUEST_BYTES} bytes. You have sent {total} bytes.",
        )
    for entry in entries:
        if queue.fifo_queue and not entry.get("MessageGroupId"):
            raise _invalid("The request must contain the parameter MessageGroupId.")
        if not entry.get("MessageBody"):
            raise _error("MissingParameter", "The request must contain the parameter MessageBody.")
        _check_tokens_and_attributes(entry)


def _send_message_batch(self: Any, queue_name: str, entries: dict[str, dict[str, Any]]) -> Any:
    """An entry with invalid characters or over the queue's size fails alone, as on AWS; the others are sent."""
    from moto.sqs.exceptions import SQSException
    from moto.sqs.models import SQSBackend

    queue = self.get_queue(queue_name)
    failed: list[dict[str, Any]] = []
    for key, entry in list(entries.items()):
        try:
            _check_contents_and_size(queue, entry, "cannot be validated")
        except SQSException as error:
            failed.append({"Id": entry["Id"], "SenderFault": True, "Code": error.code, "Message": error.message})
            del entries[key]
    messages, moto_failed = original(SQSBackend, "send_message_batch")(self, queue_name, entries)
    return messages, failed + moto_failed


def _check_receive_message(response: Any) -> None:
    count = response.params.get("MaxNumberOfMessages")
    if count is not None and not 1 <= int(count) <= 10:
        raise _invalid(
            f"Value {count} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, "
            "if provided."
        )
    wait = response.params.get("WaitTimeSeconds")
    if wait is not None and not 0 <= int(wait) <= 20:
        raise _invalid(
            f"Value {wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."
        )


def _check_queue_type_attributes(fifo: bool, attributes: dict[str, Any]) -> None:
    """A standard queue has no FIFO attributes: not even `FifoQueue` `false`, when created or changed."""
    if fifo:
        return
    if "FifoQueue" in attributes:
        raise _error("InvalidAttributeName", "Unknown Attribute FifoQueue.")
    for name in FIFO_ONLY_ATTRIBUTES:
        if name in attributes:
            if name == "ContentBasedDeduplication":
                raise _error("InvalidAttributeName", f"Unknown Attribute {name}.")
            raise _error("InvalidAttributeName", f"You can specify the {name} only when FifoQueue is set to true.")


def _attribute_value(value: Any) -> Any:
    """A queue attribute as compared: JSON documents (Policy, RedrivePolicy) by content, the rest as text."""
    text = str(value)
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text.lower()


def _check_create_queue(response: Any) -> None:
    attributes = response.params.get("Attributes") or {}
    fifo = str(attributes.get("FifoQueue", "false")).lower() == "true"
    if not fifo and str(response.params.get("QueueName", "")).endswith(".fifo"):
        raise _invalid("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
    _check_queue_type_attributes(fifo, attributes)
    existing = response.sqs_backend.queues.get(response.params.get("QueueName"))
    if existing is not None:
        current = existing.attributes
        for name, value in attributes.items():
            if name in current and _attribute_value(current[name]) != _attribute_value(value):
                raise _error(
                    "QueueAlreadyExists",
                    f"A queue already exists with the same name and a different value for attribute {name}",
                )


def _check_set_queue_attributes(response: Any) -> None:
    attributes = response.params.get("Attributes") or {}
    queue = _queue(response)
    if queue.fifo_queue and str(attributes.get("FifoQueue", "true")).lower() != "true":
        raise _error(
            "InvalidAttributeValue",
            "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
        )
    _check_queue_type_attributes(queue.fifo_queue, attributes)


def _check_receipt_handle(response: Any) -> None:
    """A receipt handle no message of the queue ever had is invalid; ChangeMessageVisibility of a message deleted
    since is an invalid value (moto: "The input receipt handle is invalid." for both)."""
    handle = str(response.params.get("ReceiptHandle"))
    timeout = response.params.get("VisibilityTimeout")
    if timeout is not None and not 0 <= int(timeout) <= MAX_VISIBILITY_TIMEOUT:
        return  # the timeout is refused first (moto's InvalidParameterValue), as on AWS
    queue = _queue(response)
    with queue._messages_lock:
        if handle in queue.deleted_messages:
            if response.params.get("VisibilityTimeout") is not None:  # ChangeMessageVisibility
                raise _invalid(
                    f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not "
                    "available for visibility timeout change."
                )
            return  # deleting it again succeeds
        if not any(message.had_receipt_handle(handle) for message in queue._messages):
            raise _error(
                "ReceiptHandleIsInvalid", f'The input receipt handle "{handle}" is not a valid receipt handle.'
            )


CHECKS: dict[str, Callable[[Any], object]] = {
    "DeleteMessage": _check_receipt_handle,
    "ChangeMessageVisibility": _check_receipt_handle,
    "SendMessage": _check_send_message,
    "SendMessageBatch": _check_send_message_batch,
    "DeleteMessageBatch": _check_batch,
    "ChangeMessageVisibilityBatch": _check_batch,
    "ReceiveMessage": _check_receive_message,
    "CreateQueue": _check_create_queue,
    "SetQueueAttributes": _check_set_queue_attributes,
}


def _missing_required(response: Any, action: str) -> str | None:
    from moto.core.utils import get_service_model

    shape = get_service_model("sqs").operation_model(action).input_shape
    if shape is None:
        return None
    for name in shape.required_members:
        if name == "QueueUrl":  # the queue URL itself names it on the query API
            continue
        if response.params.get(name) in (None, ""):
            return str(name)
    return None


# -- the request -----------------------------------------------------------------------------------
def _action_of(request: Any) -> str:
    action = request.values.get("Action")
    if action:
        return str(action)
    target = request.headers.get("X-Amz-Target") or ""
    return target.split(".")[-1] if target else ""


def _dispatch(self: Any, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
    from botocore.model import OperationNotFoundError
    from moto.sqs.exceptions import SQSException

    action = _action_of(request)
    json_protocol = bool(request.headers.get("X-Amz-Target"))
    on_queue_url = not json_protocol and QUEUE_PATH.match(request.path) is not None
    if on_queue_url and not action:
        return 404, {"Content-Type": "text/xml"}, "<UnknownOperationException/>"
    if not json_protocol and "Action" in request.args and not request.headers.get("Content-Type"):
        # a GET in the query protocol carries no Content-Type: moto would take it for SQS's default, JSON
        request.environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    try:
        self.setup_class(request, full_url, headers)
    except OperationNotFoundError:
        return _error_response(self, _error("InvalidAction", f"The action {action} is not valid for this endpoint."))
    if on_queue_url and action in NOT_ON_A_QUEUE:
        return _error_response(self, _error("InvalidAction", f"The action {action} is not valid for this endpoint."))
    try:
        missing = _missing_required(self, action)
        if missing is not None:
            raise _error("MissingParameter", f"The request must contain the parameter {missing}.")
        check = CHECKS.get(action)
        if check is not None:
            check(self)
    except SQSException as error:
        return _error_response(self, error)
    status, response_headers, body = self.call_action()
    if isinstance(body, str) and status >= 400:
        if not json_protocol:  # the query protocol's own wording of a missing queue
            body = body.replace(
                "The specified queue does not exist.", "The specified queue does not exist for this wsdl version."
            )
        if "PurgeQueueInProgress" in body:  # AWS answers it 403, moto 400
            status = 403
            response_headers["status"] = "403"
    return status, response_headers, body


def _error_response(response: Any, error: Exception) -> Any:
    from moto.core.responses import ActionResult

    status, headers, body = response.serialized(ActionResult(error))
    headers["status"] = status
    headers, body = response._enrich_response(headers, body)
    return status, headers, body


def install(cloud: LocalCloud) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.sqs.models import Message, SQSBackend
    from moto.sqs.responses import SQSResponse

    replace(DomainDispatcherApplication, "infer_service_region_host", _infer_service_region_host)
    replace(SQSResponse, "get_region_from_url", _get_region_from_url)
    replace(SQSResponse, "_dispatch", _dispatch)
    replace(Message, "validate_attribute_name", staticmethod(_validate_attribute_name))
    replace(SQSBackend, "send_message_batch", _send_message_batch)
