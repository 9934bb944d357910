"""Lambda: runs each function in its own warm worker process (placeholder until built).

The interface below is what the other layers call (execute-api, Step Functions, event source
mappings, SNS); it is stable, the body is not written yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION

if TYPE_CHECKING:
    from localcloud.server import LocalCloud


@dataclass
class InvokeResult:
    status_code: int  # 200 for RequestResponse, 202 for Event
    payload: bytes  # the handler's JSON result, or AWS's error document
    function_error: str | None  # "Unhandled" when the function failed, else None
    log_tail: str  # the invocation's log (what x-amz-log-result carries, base64-decoded)
    executed_version: str = "$LATEST"


def invoke(
    function: str,
    payload: bytes,
    *,
    invocation_type: str = "RequestResponse",
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
    qualifier: str | None = None,
) -> InvokeResult:
    """Invoke a function by name or ARN, the way the Lambda service would."""
    raise NotImplementedError("lambda_runner is not built yet")


def install(cloud: LocalCloud) -> None:
    """Nothing to install yet."""
