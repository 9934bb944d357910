"""How many AWS API calls the local cloud served, by service and action: `GET /_localcloud/calls`.

The figures a bill is made of (requests per service) and a load run's "AWS calls per order" come from here.
Each request is named from what every SDK sends anyway: the service from the SigV4 credential scope, the
action from `X-Amz-Target` (JSON protocols), the `Action` parameter (query protocols; a form body is read
and put back for moto), or the REST path (Lambda's Invoke). Calls to an API Gateway stage are counted under
`execute-api`. DynamoDB's read and write request units are tallied per table beside them (`units`, from
dynamodb_units.py). A request with the `X-Localcloud-Not-Billed` header (an observer's, like a bench waiting for its
orders) is counted all the same (the cloud served it) and again under `not_billed`, and consumes no units: a bill
leaves it out. The CloudFront edge's viewer requests are counted as `cloudfront:Request`, with the body bytes it
sent in `edge_bytes_out` (what CloudFront bills). `cpu_seconds` is the cloud process's CPU time so far.
`DELETE /_localcloud/calls` starts the counts again.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

PATH = "/_localcloud/calls"
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_INVOKE = re.compile(r"^/2015-03-31/functions/[^/]+/invocations$")
_MAX_FORM_BYTES = 1 << 20
AWS_ROUTES = frozenset({"lambda invoke"})  # layer routes that serve an AWS API call (besides execute-api)
NOT_BILLED = "X-Localcloud-Not-Billed"


class CallCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._not_billed: Counter[str] = Counter()
        self._units: dict[str, list[float]] = {}  # DynamoDB table -> [read units, write units]
        self._edge_bytes = 0  # what the CloudFront edge sent viewers (billed data transfer out)
        self._since = time.time()

    def count(self, request: Request, route: str | None) -> None:
        """Count a request the cloud accepted; `route` names the layer route that serves it, if one does."""
        if route == "execute-api":
            name: str | None = "execute-api:Invoke"
        elif route is None or route in AWS_ROUTES:
            name = _call_name(request)
        else:  # the cloud's own pages (health, these counts, schedules, SNS confirmation links)
            name = None
        if name:
            with self._lock:
                self._counts[name] += 1
                if NOT_BILLED in request.headers:
                    self._not_billed[name] += 1

    def count_edge(self, request: Request, bytes_out: int) -> None:
        """A viewer request the local CloudFront edge answered, and the body bytes it sent (cloudfront.py)."""
        with self._lock:
            self._counts["cloudfront:Request"] += 1
            if NOT_BILLED in request.headers:
                self._not_billed["cloudfront:Request"] += 1
            else:
                self._edge_bytes += bytes_out

    def add_units(self, table: str, read: float, write: float) -> None:
        """DynamoDB request units one call consumed on `table` (dynamodb_units.py)."""
        with self._lock:
            units = self._units.setdefault(table, [0.0, 0.0])
            units[0] += read
            units[1] += write

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            counts = dict(sorted(self._counts.items()))
            units = {t: {"read": r, "write": w} for t, (r, w) in sorted(self._units.items())}
            not_billed = dict(sorted(self._not_billed.items()))
            return {
                "since": self._since,
                "total": sum(counts.values()),
                "calls": counts,
                "not_billed": not_billed,
                "units": units,
                "edge_bytes_out": self._edge_bytes,
                # The cloud process's CPU time so far, every thread (its one core under the GIL is what bounds it):
                # a load run divides the difference over its orders.
                "cpu_seconds": round(time.process_time(), 3),
            }

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._not_billed.clear()
            self._units.clear()
            self._edge_bytes = 0
            self._since = time.time()


def _call_name(request: Request) -> str | None:
    if request.path.startswith(("/_localcloud", "/_localstack", "/moto-api")):
        return None
    match = _SCOPE.search(request.headers.get("Authorization", ""))
    service = match.group(1) if match else "unsigned"
    target = request.headers.get("X-Amz-Target")
    if target:
        return f"{service}:{target.rsplit('.', 1)[-1]}"
    if _INVOKE.match(request.path):
        return f"{service}:Invoke"
    action = request.args.get("Action") or _form_action(request)
    return f"{service}:{action}" if action else f"{service}:{request.method} /{request.path.split('/')[1]}"


def _form_action(request: Request) -> str | None:
    """The Action of a query-protocol body, leaving the body readable for moto."""
    length = request.content_length
    if request.mimetype != "application/x-www-form-urlencoded" or length is None or length > _MAX_FORM_BYTES:
        return None  # SDKs send query-protocol calls with a length; anything else is not read
    body = request.get_data()
    request.environ["wsgi.input"] = io.BytesIO(body)
    request.environ["CONTENT_LENGTH"] = str(len(body))
    action = request.form.get("Action")
    request.environ["wsgi.input"] = io.BytesIO(body)  # parsing the form consumed it again
    return action


def install(cloud: LocalCloud) -> None:
    def handle(request: Request) -> Response:
        if request.method == "DELETE":
            cloud.calls.reset()
        return Response(json.dumps(cloud.calls.snapshot()), mimetype="application/json")

    cloud.add_route("calls", lambda r: r.path == PATH and r.method in ("GET", "DELETE"), handle)
