"""Fault injection for the mocks' business routes: an error rate, added latency, or down.

A fault is decided before a request does anything, so a faulted request changes nothing and its
idempotency key stays free for the retry. With a seed the sequence of failures is the same on every run
(and again after `/_reset`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from mocks.errors import ApiError, invalid

MAX_LATENCY_MS = 60_000


@dataclass
class Faults:
    error_rate: float = 0.0
    latency_ms: int = 0
    down: bool = False


class FaultInjector:
    """Decides, before a business request does anything, whether it fails; seeded for repeatable runs."""

    def __init__(self, service_title: str, initial: Faults, seed: int | None) -> None:
        self._title = service_title
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 - fault decisions, not secrets
        self.current = Faults(**asdict(initial))

    def snapshot(self) -> Faults:
        with self._lock:
            return Faults(**asdict(self.current))

    def update(self, body: Mapping[str, Any]) -> Faults:
        """Partial update: only the keys present change. Validates everything before changing anything."""
        unknown = sorted(set(body) - {"error_rate", "latency_ms", "down"})
        if unknown:
            raise invalid(unknown[0], f"unknown fault '{unknown[0]}'; use error_rate, latency_ms or down")
        changes: dict[str, Any] = {}
        if "error_rate" in body:
            rate = body["error_rate"]
            if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0.0 <= rate <= 1.0:
                raise invalid("error_rate", "'error_rate' must be a number from 0.0 to 1.0")
            changes["error_rate"] = float(rate)
        if "latency_ms" in body:
            latency = body["latency_ms"]
            if isinstance(latency, bool) or not isinstance(latency, int) or not 0 <= latency <= MAX_LATENCY_MS:
                raise invalid("latency_ms", f"'latency_ms' must be an integer from 0 to {MAX_LATENCY_MS}")
            changes["latency_ms"] = latency
        if "down" in body:
            if not isinstance(body["down"], bool):
                raise invalid("down", "'down' must be true or false")
            changes["down"] = body["down"]
        with self._lock:
            for name, value in changes.items():
                setattr(self.current, name, value)
            return Faults(**asdict(self.current))

    def reset(self) -> None:
        with self._lock:
            self.current = Faults()
            self._random = random.Random(self._seed)  # noqa: S311 - same sequence again after a reset

    def apply(self) -> None:
        """Sleep the configured latency, then raise the injected 503 if this request is to fail."""
        faults = self.snapshot()
        if faults.down:
            raise ApiError(503, "injected_fault", f"the {self._title} is down (fault injection: down=true)")
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        with self._lock:
            fail = faults.error_rate > 0 and self._random.random() < faults.error_rate
        if fail:
            raise ApiError(
                503,
                "injected_fault",
                f"the {self._title} failed this request on purpose (fault injection: error_rate={faults.error_rate})",
            )
