"""SQS FIFO queues as AWS runs them: messages received group by group, a group locked while its messages are in
flight, and a deduplication id counting for five minutes from the first send, deleted or not.

- **Groups.** A receive takes a FIFO queue's messages group after group, each group in its order, and the groups
  in the order they became receivable: a group joins the end of that order when its first message arrives, and
  again each time it is freed. moto took messages in arrival order, groups interleaved, and decided once per
  receive which groups were busy, so a long poll that started before a message of the group was received took
  the next message of that group too. Here (`_Groups`, kept on moto's queue):
  - receiving messages of a group locks it: the next receives skip it, long polls included;
  - the group is free again (and joins the end of the order) when one of its received messages becomes visible
    again (its visibility timeout ran out, was changed to 0, or it was received with `VisibilityTimeout` 0), or
    when its last message in flight is deleted;
  - a received message stays in flight after its own timeout while a message of its group received before it is
    still invisible: extending one message's visibility keeps the messages after it in its group invisible too.
- **Deleting with an expired receipt handle** (the message is visible again) is `InvalidParameterValue`, "The
  receipt handle has expired."; moto deleted the message.
- **Delay.** A FIFO queue delays each message by the queue's `DelaySeconds`; a message's own `DelaySeconds` 0
  does not undo it (moto took the 0).
- **Sequence numbers** increase (moto's were random digits).
- **Deduplication.** AWS accepts a message whose `MessageDeduplicationId` (or content hash, with
  `ContentBasedDeduplication`) was sent in the previous five minutes and does not deliver it, even when the first
  one has been deleted since; per message group when the queue was created with `DeduplicationScope`
  `messageGroup` (changing the scope later does not change how the queue deduplicates, as on AWS). moto compared
  against the messages still in the queue only, so a resend after a delete arrived twice. PurgeQueue clears the
  ids, the groups and the messages in flight (the queue's `last_purged_at` changes).
- **Every queue's messages** know their queue (for `mark_received`); a message moved to a dead-letter queue
  keeps its source queue's ARN as the system attribute `DeadLetterQueueSourceArn` (answered by sqs_answers.py).

moto's own receive loop runs unchanged: it takes what `Queue.messages` offers, in that order, and calls
`Message.mark_received` for each message it takes; both are patched here, with `Queue.add_message` and
`Queue.delete_message`. All of it runs under the queue's lock (sqs.py).
"""

from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000
SEQUENCE_DIGITS = 20
STATE = "_localcloud_fifo"  # the _Groups of a FIFO queue, in the queue's __dict__
QUEUE = "_localcloud_queue"  # a message's queue (a weak reference), in the message's __dict__
DEAD_LETTER_SOURCE = "DeadLetterQueueSourceArn"  # a system attribute of a message moved to a dead-letter queue


class _Groups:
    """A FIFO queue's groups: the order they are received in, those locked, the received messages in flight."""

    def __init__(self, queue: Any) -> None:
        self.deduplication_scope = str(getattr(queue, "deduplication_scope", None) or "queue")
        self.purged_at = queue.last_purged_at
        self.order: dict[str, None] = {}  # receivable groups, in order (a dict as an ordered set)
        self.locked: set[str] = set()
        self.in_flight: dict[Any, None] = {}  # received messages, in the order received
        self.deduplication: dict[tuple[str | None, str], int] = {}  # (scope, id) -> first sent, ms

    def clear(self, purged_at: Any) -> None:
        self.purged_at = purged_at
        self.order.clear()
        self.locked.clear()
        self.in_flight.clear()
        self.deduplication.clear()

    def enqueue(self, group: str) -> None:
        """A group with messages to receive joins the end of the order, unless it is locked or there already."""
        if group not in self.locked and group not in self.order:
            self.order[group] = None

    def lock(self, group: str) -> None:
        self.locked.add(group)
        self.order.pop(group, None)

    def free(self, group: str) -> None:
        if group in self.locked:
            self.locked.discard(group)
            self.order[group] = None
        else:
            self.enqueue(group)

    def received(self, message: Any, visibility_timeout: Any) -> None:
        self.lock(message.group_id)
        if visibility_timeout:
            self.in_flight[message] = None
        else:
            self.free(message.group_id)  # received with VisibilityTimeout 0: visible again at once

    def release_visible(self) -> None:
        """Messages whose visibility ran out leave the flight, each group's in the order received; their group is
        free again. One still invisible holds those of its group received after it."""
        held: set[str] = set()
        for message in list(self.in_flight):
            if message.group_id in held:
                continue
            if message.visible:
                del self.in_flight[message]
                self.free(message.group_id)
            else:
                held.add(message.group_id)

    def deleted(self, message: Any) -> None:
        self.in_flight.pop(message, None)
        group = message.group_id
        if group in self.locked and not any(m.group_id == group for m in self.in_flight):
            self.free(group)


def _groups(queue: Any) -> _Groups:
    """The queue's _Groups (under its lock), cleared when the queue was purged since."""
    state: _Groups | None = queue.__dict__.get(STATE)
    if state is None:
        state = queue.__dict__[STATE] = _Groups(queue)
    elif state.purged_at != queue.last_purged_at:
        state.clear(queue.last_purged_at)
    return state


def _queue_init(self: Any, *args: Any, **kwargs: Any) -> None:
    from moto.sqs.models import Queue

    original(Queue, "__init__")(self, *args, **kwargs)
    if self.fifo_queue:
        _groups(self)  # the deduplication scope the queue is created with


def _pending_messages(self: Any) -> set[Any]:
    """The messages in flight: received, and still invisible (ApproximateNumberOfMessagesNotVisible)."""
    with self._messages_lock:  # re-entrant: the receive walk holds it already (sqs.py)
        expired = [message for message in self._pending_messages if message.visible]
        self._pending_messages.difference_update(expired)
        return self._pending_messages


def _pending_message_groups(self: Any) -> set[str]:
    """Locked groups are left out of `messages` instead: moto's receive read these once, at its start."""
    if self.fifo_queue:
        return set()
    return {message.group_id for message in _pending_messages(self) if message.group_id is not None}


def _receivable(queue: Any) -> list[Any]:
    """A FIFO queue's messages a receive may take: of the groups not locked, in their order, each in its order."""
    from moto.sqs.models import Queue

    visible: list[Any] = original(Queue, "messages").fget(queue)
    groups = _groups(queue)
    groups.release_visible()
    by_group: dict[str, list[Any]] = {}
    for message in visible:
        if message not in groups.in_flight:
            by_group.setdefault(message.group_id, []).append(message)
    for group in by_group:
        groups.enqueue(group)  # e.g. its messages were delayed until now
    for group in [g for g in groups.order if g not in by_group]:
        del groups.order[group]  # nothing to receive: it joins again with its next message
    return [message for group in groups.order for message in by_group[group]]


def _messages(self: Any) -> list[Any]:
    from moto.sqs.models import Queue

    if not self.fifo_queue:
        return list(original(Queue, "messages").fget(self))
    with self._messages_lock:
        return _receivable(self)


def _approximate_number_of_messages(self: Any) -> int:
    """Visible messages, those of locked groups included."""
    from moto.sqs.models import Queue

    visible = original(Queue, "messages").fget(self)
    if not self.fifo_queue:
        return len(visible)
    with self._messages_lock:
        groups = _groups(self)
        groups.release_visible()
        return len([message for message in visible if message not in groups.in_flight])


def _mark_received(self: Any, visibility_timeout: int | None = None) -> None:
    from moto.sqs.models import Message

    original(Message, "mark_received")(self, visibility_timeout)
    reference = self.__dict__.get(QUEUE)
    queue = reference() if reference is not None else None
    if queue is not None and queue.fifo_queue:
        _groups(queue).received(self, int(visibility_timeout or 0))


def _next_sequence_number(queue: Any) -> str:
    """A FIFO message's SequenceNumber: 20 digits, larger than the queue's previous one."""
    with queue._messages_lock:
        last = queue.__dict__.get("_localcloud_sequence", 0)
        number = max(last + 1, time.time_ns())
        queue.__dict__["_localcloud_sequence"] = number
    return str(number).zfill(SEQUENCE_DIGITS)


def _is_duplicate(queue: Any, groups: _Groups, message: Any) -> bool:
    """Whether the message's deduplication id was sent in the last five minutes (remembering it if not)."""
    scope = message.group_id if groups.deduplication_scope == "messageGroup" else None
    key = (scope, message.deduplication_id)
    now = int(message.sent_timestamp)
    seen = groups.deduplication
    for old_key in [k for k, sent in seen.items() if now - sent >= DEDUPLICATION_INTERVAL_MS]:
        del seen[old_key]
    if key in seen:
        return True
    seen[key] = now
    return False


def _add_message(self: Any, message: Any) -> None:
    from moto.sqs.models import Queue

    previous = message.__dict__.get(QUEUE)
    source = previous() if previous is not None else None
    if source is not None and source is not self:  # moved here by the source's redrive policy
        message.system_attributes[DEAD_LETTER_SOURCE] = {"DataType": "String", "StringValue": source.queue_arn}
    message.__dict__[QUEUE] = weakref.ref(self)  # weak: moto deep-copies the messages it returns
    if not self.fifo_queue:
        original(Queue, "add_message")(self, message)
        return
    with self._messages_lock:
        groups = _groups(self)
        new_send = message.sent_timestamp is not None and message.approximate_receive_count == 0
        if new_send:  # not a move to a dead-letter queue
            message.sequence_number = _next_sequence_number(self)
            if int(self.delay_seconds or 0):
                message.delay(self.delay_seconds)  # the queue's delay, whatever the message's own said
        if message.deduplication_id and _is_duplicate(self, groups, message):
            return  # accepted, not delivered
        groups.enqueue(message.group_id)
    original(Queue, "add_message")(self, message)


def _delete_message(self: Any, receipt_handle: str) -> None:
    from moto.sqs.exceptions import SQSException
    from moto.sqs.models import Queue

    if not self.fifo_queue:
        original(Queue, "delete_message")(self, receipt_handle)
        return
    with self._messages_lock:
        message = next((m for m in self._messages if m.had_receipt_handle(receipt_handle)), None)
        if message is not None and receipt_handle not in self.deleted_messages and message.visible:
            raise SQSException(
                "InvalidParameterValue",
                f"Value {receipt_handle} for parameter ReceiptHandle is invalid. "
                "Reason: The receipt handle has expired.",
            )
        original(Queue, "delete_message")(self, receipt_handle)
        if message is not None:
            _groups(self).deleted(message)
            self._messages_lock.notify_all()  # a long poll may take the group's next message now


def install(cloud: LocalCloud) -> None:
    from moto.sqs.models import Message, Queue

    replace(Queue, "__init__", _queue_init)
    replace(Queue, "pending_messages", property(_pending_messages))
    replace(Queue, "pending_message_groups", property(_pending_message_groups))
    replace(Queue, "messages", property(_messages))
    replace(Queue, "approximate_number_of_messages", property(_approximate_number_of_messages))
    replace(Queue, "add_message", _add_message)
    replace(Queue, "delete_message", _delete_message)
    replace(Message, "mark_received", _mark_received)
