"""SQS FIFO queues as AWS runs them: messages received group by group, a group waits only for its messages
in flight, and a deduplication id counts for five minutes from the first send, deleted or not.

- **Groups after a visibility timeout.** moto 5.2.5 kept a received message in the queue's pending set
  until its next receive walk reached it, so messages whose visibility had run out still locked their
  group: with `message-0..2` of one group timed out, the next receive skipped 0 and 1 and returned only
  `message-2`, out of order. Here a message counts as in flight only while it is invisible: the group is
  free again as soon as its messages are visible, and the next receive returns them in order.
- **Order.** A receive takes a FIFO queue's messages group after group (the group of the oldest message
  first), each group in its order, as AWS does; moto took them in arrival order, groups interleaved.
  Each message gets a `SequenceNumber` larger than the previous one (moto's were random digits).
- **Deduplication.** AWS accepts a message whose `MessageDeduplicationId` (or content hash, with
  `ContentBasedDeduplication`) was sent in the previous five minutes and does not deliver it, even when
  the first one has been deleted since; per message group when `DeduplicationScope` is `messageGroup`.
  moto compared against the messages still in the queue only, so a resend after a delete arrived twice.
  PurgeQueue clears them (the queue's `last_purged_at` changes).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000
SEQUENCE_DIGITS = 20


def _pending_messages(self: Any) -> set[Any]:
    """The messages in flight: received, and still invisible."""
    with self._messages_lock:  # re-entrant: the receive walk holds it already (sqs.py)
        expired = [message for message in self._pending_messages if message.visible]
        self._pending_messages.difference_update(expired)
        return self._pending_messages


def _pending_message_groups(self: Any) -> set[str]:
    with self._messages_lock:
        return {message.group_id for message in _pending_messages(self) if message.group_id is not None}


def _messages(self: Any) -> list[Any]:
    """The messages a receive may take, in order; in a FIFO queue group after group, each in its order."""
    from moto.sqs.models import Queue

    visible: list[Any] = original(Queue, "messages").fget(self)
    if not self.fifo_queue:
        return visible
    first: dict[Any, int] = {}
    for position, message in enumerate(visible):
        first.setdefault(message.group_id, position)
    return sorted(visible, key=lambda message: first[message.group_id])  # stable: each group keeps its order


def _next_sequence_number(queue: Any) -> str:
    """A FIFO message's SequenceNumber: 20 digits, larger than the queue's previous one."""
    with queue._messages_lock:
        last = queue.__dict__.get("_localcloud_sequence", 0)
        number = max(last + 1, time.time_ns())
        queue.__dict__["_localcloud_sequence"] = number
    return str(number).zfill(SEQUENCE_DIGITS)


def _add_message(self: Any, message: Any) -> None:
    from moto.sqs.models import Queue

    if self.fifo_queue and message.sent_timestamp is not None and message.approximate_receive_count == 0:
        message.sequence_number = _next_sequence_number(self)  # a new send, not a move to a dead-letter queue
    if self.fifo_queue and message.deduplication_id:
        scope = message.group_id if self.attributes.get("DeduplicationScope") == "messageGroup" else None
        key = (scope, message.deduplication_id)
        with self._messages_lock:
            seen: dict[tuple[str | None, str], int] = self.__dict__.setdefault("_localcloud_deduplication", {})
            if self.__dict__.get("_localcloud_deduplication_purge") != self.last_purged_at:
                seen.clear()  # a purge clears the deduplication ids too, as on AWS
                self.__dict__["_localcloud_deduplication_purge"] = self.last_purged_at
            now = int(message.sent_timestamp)
            for old_key in [k for k, sent in seen.items() if now - sent >= DEDUPLICATION_INTERVAL_MS]:
                del seen[old_key]
            if key in seen:
                return  # accepted, not delivered
            seen[key] = now
    original(Queue, "add_message")(self, message)


def install(cloud: LocalCloud) -> None:
    from moto.sqs.models import Queue

    replace(Queue, "pending_messages", property(_pending_messages))
    replace(Queue, "pending_message_groups", property(_pending_message_groups))
    replace(Queue, "messages", property(_messages))
    replace(Queue, "add_message", _add_message)
