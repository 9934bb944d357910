"""Local mail sink: an SMTP server that keeps mail in memory, read through Mailpit's API v1.

SNS email subscriptions deliver here over real SMTP. Tests and developers read the mail with the
same HTTP calls they use against Mailpit next to LocalStack (`GET /api/v1/messages`, ...), so the
mail sink is interchangeable with Mailpit. Only the newest
LOCALCLOUD_MAIL_MAX_MESSAGES messages are kept (10,000 by default).
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import logging
import re
import secrets
import shlex
import string
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller

    from localcloud.config import Settings
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.mail_sink")

MAX_MESSAGES = 10_000  # the default of Settings.mail_max_messages
SNIPPET_LENGTH = 250  # what Mailpit puts in a summary's Snippet
_ID_ALPHABET = string.ascii_letters + string.digits


def _new_id() -> str:
    # Mailpit's database IDs are 22 base62 characters; keep the same look.
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _addresses(values: list[str]) -> list[dict[str, str]]:
    return [{"Name": name, "Address": address} for name, address in getaddresses(values) if address]


@dataclass
class StoredMessage:
    id: str
    raw: bytes
    parsed: EmailMessage
    envelope_from: str
    envelope_to: list[str]
    created: datetime
    read: bool = False
    tags: list[str] = field(default_factory=list)

    # -- fields in Mailpit's shapes ---------------------------------------------------------
    def header_addresses(self, name: str) -> list[dict[str, str]]:
        return _addresses([str(v) for v in self.parsed.get_all(name, [])])

    @property
    def sender(self) -> dict[str, str]:
        found = self.header_addresses("From")
        return found[0] if found else {"Name": "", "Address": self.envelope_from}

    @property
    def bcc(self) -> list[dict[str, str]]:
        # Like Mailpit: envelope recipients that no header names were blind copies.
        visible = {a["Address"].lower() for h in ("To", "Cc") for a in self.header_addresses(h)}
        named = self.header_addresses("Bcc")
        hidden = [{"Name": "", "Address": r} for r in self.envelope_to if r.lower() not in visible]
        seen = {a["Address"].lower() for a in named}
        return named + [a for a in hidden if a["Address"].lower() not in seen]

    @property
    def subject(self) -> str:
        return str(self.parsed.get("Subject", ""))

    @property
    def message_id(self) -> str:
        return str(self.parsed.get("Message-ID", "")).strip().strip("<>")

    def _body(self, subtype: str) -> str:
        part = self.parsed.get_body(preferencelist=(subtype,))
        if part is None or part.get_content_subtype() != subtype:
            return ""
        content = part.get_content()
        text = content if isinstance(content, str) else content.decode("utf-8", "replace")
        return text.replace("\r\n", "\n")  # SMTP's CRLF line ends, as readers expect them

    @property
    def text(self) -> str:
        return self._body("plain")

    @property
    def html(self) -> str:
        return self._body("html")

    def _parts(self, inline: bool) -> list[dict[str, Any]]:
        found = []
        for index, part in enumerate(self.parsed.walk()):
            disposition = part.get_content_disposition()
            if part.is_multipart() or disposition is None:
                continue
            if (disposition == "inline") != inline:
                continue
            payload = part.get_payload(decode=True)
            found.append(
                {
                    "PartID": str(index),
                    "FileName": part.get_filename() or "",
                    "ContentType": part.get_content_type(),
                    "ContentID": str(part.get("Content-ID", "")).strip("<>"),
                    "Size": len(payload) if isinstance(payload, bytes) else 0,
                }
            )
        return found

    @property
    def snippet(self) -> str:
        source = self.text or re.sub(r"<[^>]+>", " ", self.html)
        return " ".join(html.unescape(source).split())[:SNIPPET_LENGTH]

    @property
    def date(self) -> datetime:
        try:
            return parsedate_to_datetime(str(self.parsed["Date"])) if self.parsed["Date"] else self.created
        except (TypeError, ValueError):
            return self.created

    def summary(self) -> dict[str, Any]:
        return {
            "ID": self.id,
            "MessageID": self.message_id,
            "Read": self.read,
            "From": self.sender,
            "To": self.header_addresses("To"),
            "Cc": self.header_addresses("Cc"),
            "Bcc": self.bcc,
            "ReplyTo": self.header_addresses("Reply-To"),
            "Subject": self.subject,
            "Created": _rfc3339(self.created),
            "Username": "",
            "Tags": list(self.tags),
            "Size": len(self.raw),
            "Attachments": len(self._parts(inline=False)),
            "Snippet": self.snippet,
        }

    def detail(self) -> dict[str, Any]:
        return {
            "ID": self.id,
            "MessageID": self.message_id,
            "From": self.sender,
            "To": self.header_addresses("To"),
            "Cc": self.header_addresses("Cc"),
            "Bcc": self.bcc,
            "ReplyTo": self.header_addresses("Reply-To"),
            "ReturnPath": self.envelope_from,
            "Subject": self.subject,
            "Date": _rfc3339(self.date),
            "Tags": list(self.tags),
            "Username": "",
            "Text": self.text,
            "HTML": self.html,
            "Size": len(self.raw),
            "Inline": self._parts(inline=True),
            "Attachments": self._parts(inline=False),
        }

    def headers(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, value in self.parsed.items():
            found.setdefault(name, []).append(str(value))
        return found

    def matches(self, query: str) -> bool:
        """Mailpit's search syntax, simplified: every term must match (case-insensitive substrings)."""
        try:
            terms = shlex.split(query)
        except ValueError:
            terms = query.split()
        for term in terms:
            negate = term[:1] in ("-", "!")
            if negate:
                term = term[1:]
            key, _, value = term.partition(":") if ":" in term else ("", "", term)
            if self._term_matches(key.lower(), value.lower()) == negate:
                return False
        return True

    def _term_matches(self, key: str, value: str) -> bool:
        def addresses(*names: str) -> str:
            return " ".join(f"{a['Name']} <{a['Address']}>" for n in names for a in self.header_addresses(n)).lower()

        if key == "to":
            return value in addresses("To") or any(value in r.lower() for r in self.envelope_to)
        if key == "from":
            return value in (addresses("From") or self.envelope_from.lower())
        if key == "cc":
            return value in addresses("Cc")
        if key == "subject":
            return value in self.subject.lower()
        if key == "message-id":
            return value in self.message_id.lower()
        if key == "is":
            return {"read": self.read, "unread": not self.read}.get(value, False)
        if key == "tag":
            return value in (t.lower() for t in self.tags)
        haystack = " ".join((self.subject, self.text, self.html, addresses("From", "To", "Cc"))).lower()
        return (f"{key}:{value}" if key else value) in haystack


class MailStore:
    """The last MAX_MESSAGES messages, newest last; thread-safe (SMTP and HTTP threads share it)."""

    def __init__(self, limit: int = MAX_MESSAGES) -> None:
        self._limit = limit
        self._messages: OrderedDict[str, StoredMessage] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, raw: bytes, envelope_from: str, envelope_to: list[str]) -> StoredMessage:
        parsed = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        stored = StoredMessage(_new_id(), raw, parsed, envelope_from, envelope_to, datetime.now(UTC))
        with self._lock:
            self._messages[stored.id] = stored
            while len(self._messages) > self._limit:
                self._messages.popitem(last=False)
        return stored

    def newest_first(self) -> list[StoredMessage]:
        with self._lock:
            return list(reversed(self._messages.values()))

    def get(self, message_id: str) -> StoredMessage | None:
        with self._lock:
            if message_id == "latest":
                return next(reversed(self._messages.values()), None)
            return self._messages.get(message_id)

    def delete(self, ids: list[str] | None) -> None:
        with self._lock:
            if not ids:
                self._messages.clear()
            for message_id in ids or []:
                self._messages.pop(message_id, None)


# -- SMTP -------------------------------------------------------------------------------------
class _SmtpHandler:
    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode("utf-8")
        stored = self.store.add(raw, envelope.mail_from or "", list(envelope.rcpt_tos))
        log.info("mail %s to %s: %s", stored.id, ", ".join(envelope.rcpt_tos), stored.subject)
        return "250 Message accepted for delivery"


# -- HTTP: Mailpit API v1 and a small viewer --------------------------------------------------
def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _text(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def _int_arg(request: Request, name: str, default: int) -> int:
    try:
        return max(0, int(request.args.get(name, default)))
    except ValueError:
        return default


def _listing(store: MailStore, request: Request, found: list[StoredMessage]) -> Response:
    everything = store.newest_first()
    start, limit = _int_arg(request, "start", 0), _int_arg(request, "limit", 50)
    page = found[start : start + limit]
    return _json(
        {
            "total": len(everything),
            "unread": sum(1 for m in everything if not m.read),
            "count": len(page),
            "messages_count": len(found),
            "messages_unread": sum(1 for m in found if not m.read),
            "start": start,
            "tags": sorted({t for m in everything for t in m.tags}),
            "messages": [m.summary() for m in page],
        }
    )


def _ids_from_body(request: Request) -> list[str]:
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError:
        return []
    ids = body.get("IDs") if isinstance(body, dict) else None
    return [str(i) for i in ids] if isinstance(ids, list) else []


def make_api(store: MailStore) -> Any:
    """The WSGI app of the mail API (Mailpit API v1 subset) and the viewer."""

    def route(request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/", request.method
        if path == "/api/v1/messages":
            if method == "GET":
                return _listing(store, request, store.newest_first())
            if method == "DELETE":
                store.delete(_ids_from_body(request))
                return _text("ok")
            if method == "PUT":
                body = json.loads(request.get_data() or b"{}")
                ids = set(body.get("IDs") or [])
                for each in store.newest_first():
                    if not ids or each.id in ids:
                        each.read = bool(body.get("Read"))
                return _text("ok")
        if path == "/api/v1/search":
            query = request.args.get("query", "").strip()
            if not query:
                return _text("Error: no search query", 400)
            found = [m for m in store.newest_first() if m.matches(query)]
            if method == "GET":
                return _listing(store, request, found)
            if method == "DELETE":
                if found:  # an empty ID list would mean "everything"
                    store.delete([m.id for m in found])
                return _text("ok")
        match = re.fullmatch(r"/api/v1/message/([^/]+)(/raw|/headers)?", path)
        if match and method == "GET":
            message = store.get(match.group(1))
            if message is None:
                return _text("Message not found", 404)
            if match.group(2) == "/raw":
                return Response(message.raw, mimetype="text/plain")
            if match.group(2) == "/headers":
                return _json(message.headers())
            message.read = True  # Mailpit marks a message read when it is opened
            return _json(message.detail())
        if method == "GET" and path == "/":
            return Response(_viewer(store.newest_first()), mimetype="text/html")
        match = re.fullmatch(r"/view/([^/]+)", path)
        if match and method == "GET":
            shown = store.get(match.group(1))
            if shown is None:
                return _text("Message not found", 404)
            shown.read = True
            return Response(_viewer_message(shown), mimetype="text/html")
        return _text("Not found", 404)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        return route(Request(environ))(environ, start_response)

    return app


# Laid out at the device's width (without the viewport tag a phone shows a zoomed-out 980 px page); long words
# wrap and the list scrolls inside its table, so the page itself never scrolls sideways.
_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;margin:1em auto;padding:0 1em;max-width:60em}}
table{{display:block;overflow-x:auto}}td,th{{padding:.3em .8em;text-align:left}}tr.unread{{font-weight:bold}}
h1{{overflow-wrap:anywhere}}pre{{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:1em}}</style>
</head><body>{body}</body></html>"""


def _viewer(messages: list[StoredMessage]) -> str:
    rows = "".join(
        f'<tr class="{"read" if m.read else "unread"}"><td>{html.escape(_rfc3339(m.created))}</td>'
        f"<td>{html.escape(m.sender['Address'])}</td>"
        f"<td>{html.escape(', '.join(a['Address'] for a in m.header_addresses('To')))}</td>"
        f'<td><a href="/view/{m.id}">{html.escape(m.subject or "(no subject)")}</a></td></tr>'
        for m in messages
    )
    body = (
        f"<h1>Local mail sink</h1><p>{len(messages)} message(s). API: <code>/api/v1/messages</code></p>"
        f"<table><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr>{rows}</table>"
    )
    return _PAGE.format(title="Local mail sink", body=body)


def _display(address: dict[str, str]) -> str:
    return f"{address['Name']} <{address['Address']}>" if address["Name"] else address["Address"]


def _viewer_message(message: StoredMessage) -> str:
    body = (
        f'<p><a href="/">&larr; all messages</a></p><h1>{html.escape(message.subject)}</h1>'
        f"<p>From: {html.escape(_display(message.sender))}<br>"
        f"To: {html.escape(', '.join(a['Address'] for a in message.header_addresses('To')))}<br>"
        f"Date: {html.escape(format_datetime(message.date))}</p>"
        f"<pre>{html.escape(message.text or message.snippet)}</pre>"
    )
    return _PAGE.format(title=html.escape(message.subject), body=body)


# -- the service --------------------------------------------------------------------------------
class MailSink:
    def __init__(self, settings: Settings, store: MailStore | None = None) -> None:
        self.settings = settings
        self.store = store or MailStore(settings.mail_max_messages)
        self._smtp: Controller | None = None
        self._http: BaseWSGIServer | None = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        try:
            self._smtp = Controller(_SmtpHandler(self.store), hostname=self.settings.bind, port=self.settings.smtp_port)
            self._smtp.start()
            self._http = make_server(
                self.settings.bind, self.settings.mail_api_port, make_api(self.store), threaded=True
            )
        except OSError as error:
            self.stop()
            raise RuntimeError(
                f"mail sink cannot listen on {self.settings.bind} ports {self.settings.smtp_port} (SMTP) / "
                f"{self.settings.mail_api_port} (API): {error}. Free the ports or set LOCALCLOUD_SMTP_PORT and "
                "LOCALCLOUD_MAIL_API_PORT."
            ) from error
        threading.Thread(target=self._http.serve_forever, name="mail-api", daemon=True).start()
        log.info(
            "mail sink: SMTP on %s:%d, API and viewer on %s",
            self.settings.bind,
            self.settings.smtp_port,
            self.settings.mail_api_url,
        )

    def stop(self) -> None:
        if self._smtp is not None:
            self._smtp.stop()
            self._smtp = None
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None


def install(cloud: LocalCloud) -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection at INFO
    sink = MailSink(cloud.settings)
    cloud.add_service("mail_sink", sink.start, sink.stop)
