"""A stand-in endpoint: the local cloud behind a loopback proxy that answers a few AWS actions itself.

Some answers AWS gives cannot come from the local cloud: it accepts any credentials (no ExpiredToken),
confirms email subscriptions at once (no PendingConfirmation), knows every resource type in every Region,
and has no way to leave a stack in UPDATE_ROLLBACK_FAILED on demand. A test names the action and the answer
(in AWS's wire format, as AWS documents it); every other request goes to the local cloud unchanged, so the
deploy tool runs its real code path against real state.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/xml"})


Forward = Callable[[], Answer]
# requests has already undone the transfer and content encodings: the length and encoding headers no longer hold.
HOP_BY_HOP = {"connection", "content-encoding", "content-length", "transfer-encoding", "keep-alive", "server", "date"}
Rule = Callable[[dict[str, str], Forward], Answer]


@dataclass
class StandIn:
    upstream: str
    rules: dict[str, Rule] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)  # every action seen, in order
    url: str = ""

    def handle(self, request: Request) -> Response:
        body = request.get_data()
        form = {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()} if body else {}
        target = request.headers.get("X-Amz-Target", "")
        action = form.get("Action") or (target.rsplit(".", 1)[-1] if target else f"{request.method} {request.path}")
        self.actions.append(action)

        def forward() -> Answer:
            headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
            answer = requests.request(
                request.method, f"{self.upstream}{request.full_path}", headers=headers, data=body, timeout=120
            )
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
            return Answer(answer.status_code, answer.text, kept)

        rule = self.rules.get(action)
        answer = rule(form, forward) if rule else forward()
        return Response(answer.body, status=answer.status, headers=answer.headers)


@contextmanager
def stand_in(upstream: str) -> Iterator[StandIn]:
    proxy = StandIn(upstream)

    @Request.application
    def app(request: Request) -> Response:
        return proxy.handle(request)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    proxy.url = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        thread.join(timeout=10)


def query_error(code: str, message: str, status: int = 400, namespace: str = "") -> Rule:
    """A query-protocol error answer (STS, CloudFormation, SNS), as AWS sends it."""
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    body = (
        f"<ErrorResponse{xmlns}><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>4d6f9f34-standin</RequestId></ErrorResponse>"
    )
    return lambda form, forward: Answer(status, body)


def rewrite(change: Callable[[dict[str, str], str], str]) -> Rule:
    """Forward to the local cloud, then change its answer's body."""

    def rule(form: dict[str, str], forward: Forward) -> Answer:
        answer = forward()
        return Answer(answer.status, change(form, answer.body), answer.headers)

    return rule


def pending_confirmation(form: dict[str, str], body: str) -> str:
    """ListSubscriptionsByTopic as AWS answers before anyone clicked the link: no ARN, PendingConfirmation."""
    return re.sub(
        r"<SubscriptionArn>[^<]*</SubscriptionArn>", "<SubscriptionArn>PendingConfirmation</SubscriptionArn>", body
    )


def stack_status(stack: str, status: str, reason: str) -> Rule:
    """DescribeStacks reports `stack` in `status` (as after a failed update whose rollback failed too)."""

    def change(form: dict[str, str], body: str) -> str:
        if form.get("StackName") != stack:
            return body
        body = re.sub(r"<StackStatus>[^<]*</StackStatus>", f"<StackStatus>{status}</StackStatus>", body)
        if "<StackStatusReason>" in body:
            return re.sub(
                r"<StackStatusReason>[^<]*</StackStatusReason>",
                f"<StackStatusReason>{reason}</StackStatusReason>",
                body,
            )
        return body.replace("</StackStatus>", f"</StackStatus><StackStatusReason>{reason}</StackStatusReason>", 1)

    return rewrite(change)
