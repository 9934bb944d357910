"""How long one queue message can take in the order workflow, at worst: what the queue's VisibilityTimeout must cover.

Reads an Amazon States Language definition and adds up, along the longest path through the per-message states
(the Map whose iterations delete the message), every task's attempts (timeout each) and retry backoff. Used by
the tests (the deployed definition against the deployed queue) and by `python -m tools.workflow_timing` for the
arithmetic in docs/data-model.md.

    python -m tools.workflow_timing workflow/order_workflow.asl.json
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


def _maps(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("Type") == "Map":
            yield node
        for value in node.values():
            yield from _maps(value)
    elif isinstance(node, list):
        for value in node:
            yield from _maps(value)


def _deletes_messages(processor: dict[str, Any]) -> bool:
    return any(str(s.get("Resource", "")).endswith("sqs:deleteMessage") for s in processor["States"].values())


def message_worst_case_seconds(definition: dict[str, Any], batch: int = 10) -> float:
    """Worst time from receiving a message to finishing with it: the per-message processor's longest path, times
    the waves a batch of `batch` messages needs when the Map runs fewer at once."""
    for state in _maps(definition):
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor and _deletes_messages(processor):
            concurrency = int(state.get("MaxConcurrency", 0)) or batch
            return longest_path_seconds(processor) * math.ceil(batch / min(concurrency, batch))
    raise ValueError("no Map state whose iterations delete queue messages")


def main(argv: list[str]) -> int:
    definition = json.loads(Path(argv[0] if argv else "workflow/order_workflow.asl.json").read_text())
    print(f"worst case for one message: {message_worst_case_seconds(definition):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
