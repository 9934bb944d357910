"""SQS answers shaped as AWS shapes them, where moto's differ in a field or a word.

- **Message system attributes.** A SendMessage with `MessageSystemAttributes` answers their
  `MD5OfMessageSystemAttributes` (moto left it out); a send with an `X-Amzn-Trace-Id` header (what the SDKs
  send inside a traced Lambda function) carries it as the message's `AWSTraceHeader`, as AWS does.
- **Dead-letter queues.** A message moved to a dead-letter queue by its source's redrive policy has the
  `DeadLetterQueueSourceArn` system attribute (in moto's `Message.system_attributes`, where sqs_fifo.py's
  `Queue.add_message` puts it), answered when a receive asks for it or for `All`.
- **Message attribute names.** A receive's `MessageAttributeNames` `*` means all of them, as `All` and `.*` do
  (moto returned none).
- **Empty parts left out.** ListQueueTags of a queue without tags has no `Tags`; a SendMessageBatch whose entries
  all succeeded has no `Failed`.
- **Permissions.** The policy AddPermission writes is of `Version` `2008-10-17`; RemovePermission of a label the
  policy does not have says "can't find label." (moto: 2012-10-17, "can't find label on existing policy.").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

TRACE_HEADER = "X-Amzn-Trace-Id"
DEAD_LETTER_SOURCE = "DeadLetterQueueSourceArn"
PERMISSION_POLICY_VERSION = "2008-10-17"


def _md5_of_system_attributes(attributes: dict[str, Any]) -> str:
    """Computed as moto computes MD5OfMessageAttributes: AWS uses the same digest for both."""
    from moto.sqs.models import Message

    message = Message("", "")
    message.message_attributes = attributes
    return str(message.attribute_md5)


def _send_message(self: Any) -> Any:
    from moto.sqs.responses import SQSResponse

    trace = self.headers.get(TRACE_HEADER)
    system = self.params.get("MessageSystemAttributes") or {}
    if trace and "AWSTraceHeader" not in system:
        system = {**system, "AWSTraceHeader": {"DataType": "String", "StringValue": trace}}
        self.params["MessageSystemAttributes"] = system
    result = original(SQSResponse, "send_message")(self)
    if system:
        result.result["MD5OfMessageSystemAttributes"] = _md5_of_system_attributes(system)
    return result


def _send_message_batch(self: Any) -> Any:
    from moto.sqs.responses import SQSResponse

    result = original(SQSResponse, "send_message_batch")(self)
    if not result.result.get("Failed"):
        result.result.pop("Failed", None)
    return result


def _receive_message(self: Any) -> Any:
    from moto.sqs.responses import SQSResponse

    result = original(SQSResponse, "receive_message")(self)
    names = set(self.params.get("AttributeNames") or []) | set(self.params.get("MessageSystemAttributeNames") or [])
    answered = result.result.get("Messages") or []
    if answered and names & {"All", DEAD_LETTER_SOURCE}:
        queue = self.sqs_backend.get_queue(self._get_queue_name())
        with queue._messages_lock:
            by_id = {message.id: message for message in queue._messages}
        for answer in answered:
            message = by_id.get(answer["MessageId"])
            source = (message.system_attributes or {}).get(DEAD_LETTER_SOURCE) if message is not None else None
            if source:
                answer.setdefault("Attributes", {})[DEAD_LETTER_SOURCE] = source["StringValue"]
    return result


def _list_queue_tags(self: Any) -> Any:
    from moto.sqs.responses import SQSResponse

    result = original(SQSResponse, "list_queue_tags")(self)
    if not result.result.get("Tags"):
        result.result.pop("Tags", None)
    return result


def _filter_message_attributes(message: Any, input_message_attributes: list[str]) -> None:
    from moto.sqs import models

    original(models, "_filter_message_attributes")(
        message, ["All" if name == "*" else name for name in input_message_attributes]
    )


def _add_permission(self: Any, region_name: str, queue_name: str, *args: Any, **kwargs: Any) -> None:
    from moto.sqs.models import SQSBackend

    queue = self.get_queue(queue_name)
    first = not queue._policy_json.get("Statement")
    original(SQSBackend, "add_permission")(self, region_name, queue_name, *args, **kwargs)
    if first:
        queue._policy_json["Version"] = PERMISSION_POLICY_VERSION


def _remove_permission(self: Any, queue_name: str, label: str) -> None:
    from moto.sqs.exceptions import SQSException
    from moto.sqs.models import SQSBackend

    statements = self.get_queue(queue_name)._policy_json.get("Statement") or []
    if not any(statement.get("Sid") == label for statement in statements):
        raise SQSException(
            "InvalidParameterValue", f"Value {label} for parameter Label is invalid. Reason: can't find label."
        )
    original(SQSBackend, "remove_permission")(self, queue_name, label)


def install(cloud: LocalCloud) -> None:
    from moto.sqs import models
    from moto.sqs.models import SQSBackend
    from moto.sqs.responses import SQSResponse

    replace(SQSResponse, "send_message", _send_message)
    replace(SQSResponse, "send_message_batch", _send_message_batch)
    replace(SQSResponse, "receive_message", _receive_message)
    replace(SQSResponse, "list_queue_tags", _list_queue_tags)
    replace(models, "_filter_message_attributes", _filter_message_attributes)
    replace(SQSBackend, "add_permission", _add_permission)
    replace(SQSBackend, "remove_permission", _remove_permission)
