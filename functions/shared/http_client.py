"""The one small JSON-over-HTTP client the functions use for the Payment and Shipment systems.

urllib from the standard library keeps the Lambda packages small (no `requests`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from shared.errors import TransientError

DEFAULT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: dict[str, Any]
    replayed: bool = False  # `Idempotent-Replayed: true`: the stored answer to an earlier request with this key


class JsonHttpClient:
    """POST/GET JSON to one base URL. Transport failures and 5xx raise TransientError; 2xx-4xx are returned."""

    def __init__(self, base_url: str, *, system: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"{system} URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.system = system
        self.timeout = timeout

    def post(self, path: str, body: dict[str, Any], *, idempotency_key: str | None = None) -> HttpResponse:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return self._send("POST", path, json.dumps(body).encode(), headers)

    def get(self, path: str) -> HttpResponse:
        return self._send("GET", path, None, {"Accept": "application/json"})

    def _send(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> HttpResponse:
        url = f"{self.base_url}{path}"
        # The scheme is checked in __init__, so only http(s) URLs reach urlopen.
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
                replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        except urllib.error.HTTPError as error:
            status, raw, replayed = error.code, error.read(), False
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            # Refused: the request never reached the system. A timeout or a reset may have been processed.
            refused = isinstance(reason, ConnectionRefusedError)
            raise TransientError(
                f"{self.system} unreachable at {method} {url}: {reason}", processed=False if refused else None
            ) from error
        if status >= 500:
            # 503 means the system did not process the request (RFC 9110 15.6.4); other 5xx may have.
            raise TransientError(
                f"{self.system} answered {status} to {method} {url}", processed=False if status == 503 else None
            )
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"raw": raw.decode(errors="replace")}
        return HttpResponse(status, parsed if isinstance(parsed, dict) else {"items": parsed}, replayed)
