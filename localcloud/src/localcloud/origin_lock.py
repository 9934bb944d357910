"""Who may call the local cloud: its user's own programs and pages, never a page on another origin.

The cloud takes any credentials, so a web page the user happens to open could otherwise make the browser read
secrets, create functions and run them on the user's machine (a plain cross-origin POST invokes a function
without asking first), or reach the cloud under its own host name after rebinding that name to 127.0.0.1.
`server.LocalCloud` asks `refusal` before routing: a request whose `Host` is not this machine, or whose `Origin`
is a page elsewhere, is answered 403 in AWS's error shape and nothing runs. API Gateway invoke URLs skip the
Origin check (their template's CORS decides, as on AWS); the CloudFront edge is a server of its own.
"""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request, Response

from localcloud.config import Settings

# Names that always mean this machine: `localhost` and its subdomains (RFC 6761), and LocalStack's public
# name `localhost.localstack.cloud` (resolves to 127.0.0.1) with its subdomains, which the cloud advertises in
# execute-api URLs and which LocalStack tooling uses.
LOOPBACK_NAMES = re.compile(r"^(?:[a-z0-9-]+\.)*(?:localhost|localhost\.localstack\.cloud)\.?$", re.IGNORECASE)
WILDCARD_BINDS = ("", "0.0.0.0", "::")
# Step Functions' StartSyncExecution goes to `sync-<endpoint host>` (`sync-localhost`): a name no public DNS
# serves, so it cannot be rebound; the rest of the name must still be this machine's.
SYNC_PREFIX = "sync-"


def _host_name(host: str) -> str:
    """`example:4566` -> `example`, `[::1]:4566` -> `::1`."""
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class OriginLock:
    def __init__(self, settings: Settings) -> None:
        self.bind = settings.bind.lower()

    def is_this_machine(self, name: str) -> bool:
        """A loopback name or address, or the address the cloud was bound to."""
        name = name.lower()
        ip = _ip(name)
        if LOOPBACK_NAMES.match(name) or (ip is not None and ip.is_loopback):
            return True
        return name == self.bind and self.bind not in WILDCARD_BINDS

    def host_allowed(self, host: str) -> bool:
        name = _host_name(host)
        if name.lower().startswith(SYNC_PREFIX):  # botocore's host prefix for StartSyncExecution
            name = name[len(SYNC_PREFIX) :]
        # Bound to every interface on purpose, the cloud is addressed by this machine's IP addresses; an IP
        # address cannot be rebound the way a DNS name can.
        return self.is_this_machine(name) or (self.bind in WILDCARD_BINDS and _ip(name) is not None)

    def origin_allowed(self, origin: str | None) -> bool:
        """No Origin (SDKs, the CLI, curl) or a page served from this machine; `null` is anyone's."""
        if origin is None:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and self.is_this_machine(parts.hostname or "")

    def refusal(self, request: Request, check_origin: bool) -> Response | None:
        """The 403 for a caller that is not the user's, or None when the request may go on."""
        host = request.headers.get("Host", "")
        if not self.host_allowed(host):
            return _access_denied(
                request,
                f"The local cloud refused a request addressed to host {host!r}: it answers only to its own names "
                "(localhost, 127.0.0.1, *.localhost, *.localhost.localstack.cloud). A host name that resolves here "
                "but is not one of those is how DNS rebinding reaches local servers.",
            )
        origin = request.headers.get("Origin")
        if check_origin and not self.origin_allowed(origin):
            return _access_denied(
                request,
                f"The local cloud refused a request from the web page at {origin}: only pages served from this "
                "machine (http://localhost:<port>, http://127.0.0.1:<port>) and programs that send no Origin "
                "(SDKs, the CLI) may call it. API Gateway invoke URLs answer every origin as their template says.",
            )
        return None


def _access_denied(request: Request, message: str) -> Response:
    """AccessDenied in the protocol the caller speaks: JSON for JSON and REST-JSON APIs, else the XML shape."""
    request_id = str(uuid.uuid4())
    content_type = request.headers.get("Content-Type", "")
    # Lambda's REST API is the one REST-JSON service the origin lock guards by path (its invoke route).
    if "X-Amz-Target" in request.headers or "json" in content_type or request.path.startswith("/2015-03-31/"):
        return Response(
            json.dumps({"__type": "AccessDeniedException", "message": message}),
            status=403,
            mimetype="application/json",
            headers={"x-amzn-ErrorType": "AccessDeniedException", "x-amzn-RequestId": request_id},
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    return Response(body, status=403, mimetype="text/xml", headers={"x-amzn-RequestId": request_id})
