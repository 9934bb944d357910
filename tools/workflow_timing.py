"""How long one queue message can take in the order workflow, at worst: what the queue's VisibilityTimeout must cover.

Reads Amazon States Language definitions and adds up, along the longest path through the per-message states
(the Map whose iterations delete the message), every task's attempts (timeout each) and retry backoff. When the
poller hands its batch to a child workflow (`states:startExecution`), the per-message states are the child's, and
the child's own TimeoutSeconds (EXPRESS: at most 5 minutes) bounds them: a batch still running then is stopped,
and what it started last may still run for one task attempt. A start that does not wait for the child adds its
own worst case before the child's clock starts. Used by the tests (the deployed definitions against
the deployed queue) and by `python -m tools.workflow_timing` for the arithmetic in docs/data-model.md.

    python -m tools.workflow_timing workflow/order_workflow.asl.json workflow/order_batch_workflow.asl.json
"""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# AWS's defaults for a Retrier (States Language spec).
DEFAULT_INTERVAL, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF = 1.0, 3, 2.0
EXPRESS_MAX_SECONDS = 300  # an EXPRESS execution's longest run (Step Functions quotas)
CHILD_WORKFLOW = "arn:aws:states:::states:startExecution"


def task_worst_seconds(state: dict[str, Any]) -> float:
    """Every attempt times out, each Retrier is exhausted in turn, each waits its longest backoff."""
    if state.get("Type") != "Task":
        return float(state.get("Seconds", 0)) if state.get("Type") == "Wait" else 0.0
    if "TimeoutSeconds" not in state:
        raise ValueError(f"a task without TimeoutSeconds can run for a year: {json.dumps(state)[:200]}")
    timeout = float(state["TimeoutSeconds"])
    attempts, waiting = 1, 0.0
    for retrier in state.get("Retry", []):
        count = int(retrier.get("MaxAttempts", DEFAULT_ATTEMPTS))
        interval = float(retrier.get("IntervalSeconds", DEFAULT_INTERVAL))
        rate = float(retrier.get("BackoffRate", DEFAULT_BACKOFF))
        cap = float(retrier.get("MaxDelaySeconds", math.inf))
        attempts += count
        waiting += sum(min(interval * rate**k, cap) for k in range(count))
    return attempts * timeout + waiting


def _next_states(state: dict[str, Any]) -> Iterator[str]:
    if "Next" in state:
        yield state["Next"]
    if "Default" in state:
        yield state["Default"]
    for choice in state.get("Choices", []):
        yield choice["Next"]
    for catcher in state.get("Catch", []):
        yield catcher["Next"]


def longest_path_seconds(machine: dict[str, Any]) -> float:
    """The slowest way from StartAt to an end, through Next, Choice and Catch edges (a cycle is an error)."""
    states: dict[str, Any] = machine["States"]

    @functools.cache
    def from_state(name: str, depth: int = 0) -> float:
        if depth > len(states):
            raise ValueError(f"the states loop through {name}: no worst case")
        state = states[name]
        after = max((from_state(n, depth + 1) for n in _next_states(state)), default=0.0)
        return task_worst_seconds(state) + after

    return from_state(machine["StartAt"])


def _states_of_type(node: Any, kind: str) -> Iterator[dict[str, Any]]:
    """Every state of Type `kind` anywhere in a definition (nested Map and Parallel states included)."""
    if isinstance(node, dict):
        if node.get("Type") == kind:
            yield node
        for value in node.values():
            yield from _states_of_type(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from _states_of_type(value, kind)


def _deletes_messages(processor: dict[str, Any]) -> bool:
    return any(str(s.get("Resource", "")).endswith("sqs:deleteMessage") for s in processor["States"].values())


def _per_message_seconds(definition: dict[str, Any], batch: int) -> float:
    for state in _states_of_type(definition, "Map"):
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor and _deletes_messages(processor):
            concurrency = int(state.get("MaxConcurrency", 0)) or batch
            return longest_path_seconds(processor) * math.ceil(batch / min(concurrency, batch))
    raise ValueError("no Map state whose iterations delete queue messages")


def child_starts(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The tasks that start a child workflow (`states:startExecution`, `.sync`, `.sync:2`)."""
    return [t for t in _states_of_type(definition, "Task") if str(t.get("Resource", "")).startswith(CHILD_WORKFLOW)]


def child_limit_seconds(child: dict[str, Any], express: bool = True) -> float:
    """How long the child runs at most: its TimeoutSeconds, and for EXPRESS never beyond 5 minutes."""
    given = float(child.get("TimeoutSeconds", math.inf))
    return min(given, EXPRESS_MAX_SECONDS) if express else given


def message_worst_case_seconds(
    definition: dict[str, Any], batch: int = 10, child: dict[str, Any] | None = None, express: bool = True
) -> float:
    """Worst time from receiving a message to finishing with it: the per-message processor's longest path, times
    the waves a batch of `batch` messages needs when the Map runs fewer at once.

    With `child` (the workflow `definition` hands each batch to, EXPRESS unless `express` is False) the processor
    is the child's, and the child's limit cuts it short: a batch stopped at its limit leaves its messages to come
    back after the visibility timeout, while a task it had started may still run one attempt (a Lambda invocation
    goes on after the execution that called it has stopped; its TimeoutSeconds covers the function's timeout)."""
    if child is None:
        return _per_message_seconds(definition, batch)
    starts = child_starts(definition)
    if not starts:
        raise ValueError("the workflow starts no child workflow (states:startExecution): check it without `child`")
    # A start that does not wait (no .sync) may take all its attempts before the child runs: the message was
    # received before that.
    handover = max((task_worst_seconds(t) for t in starts if ".sync" not in str(t["Resource"])), default=0.0)
    worst = _per_message_seconds(child, batch)
    limit = child_limit_seconds(child, express)
    if worst <= limit:
        return handover + worst
    last_attempt = max(float(t["TimeoutSeconds"]) for t in _states_of_type(child, "Task"))
    return handover + limit + last_attempt


def main(argv: list[str]) -> int:
    paths = argv or ["workflow/order_workflow.asl.json", "workflow/order_batch_workflow.asl.json"]
    definition, *rest = (json.loads(Path(p).read_text()) for p in paths)
    child = rest[0] if rest else None
    if child is not None:
        print(f"one message through the batch workflow, unbounded: {_per_message_seconds(child, 10):.0f} s")
        print(f"the batch workflow's limit: {child_limit_seconds(child):.0f} s")
    print(f"worst case for one message: {message_worst_case_seconds(definition, child=child):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
