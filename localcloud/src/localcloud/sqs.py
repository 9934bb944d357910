"""SQS: each queue's receives, deletes and visibility changes happen one at a time, as on AWS.

moto 5.2.5's ReceiveMessage walks the queue and marks messages received without a lock. Under the local
cloud's threaded server two receivers at once can both take the same message, and a delete or a move to the
dead-letter queue during the walk fails the request with a 500 ("Set changed size during iteration",
"list.remove(x): x not in list"): what the order workflow's parallel pollers did under load. Each operation
below holds the queue's own lock, the Condition moto already uses to wake long polls (waiting in a long poll
releases it, so a long poll never blocks the others). They take microseconds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from localcloud.patches import replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

# SQSBackend methods that read or change a queue's messages; each takes the queue name first.
# (DeleteMessageBatch and ChangeMessageVisibilityBatch go through the single ones.)
QUEUE_METHODS = ("receive_message", "delete_message", "change_message_visibility", "purge_queue")


def _one_at_a_time(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        queue = self.get_queue(queue_name)  # QueueDoesNotExist, as moto's own method would raise
        with queue._messages_lock:  # a re-entrant Condition: moto's wait_for_messages takes it again and waits
            return method(self, queue_name, *args, **kwargs)

    return wrapper


def install(cloud: LocalCloud) -> None:
    from moto.sqs.models import SQSBackend

    for name in QUEUE_METHODS:
        replace(SQSBackend, name, _one_at_a_time(getattr(SQSBackend, name)))
