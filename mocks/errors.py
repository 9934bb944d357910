"""The errors both mocks answer, `{"error": {"code", "message", "field"?}}`, and the input checks that raise them.

`ApiError` is a werkzeug HTTPException, so a view simply raises it; each check names the offending
field (`card_number`, `address.city`, `items[0].quantity`) in the 400 it raises.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment


def json_response(status: int, body: Mapping[str, Any]) -> Response:
    return Response(json.dumps(body) + "\n", status=status, mimetype="application/json")


class ApiError(HTTPException):
    """An error answered as `{"error": {"code", "message", "field"?}}` plus optional top-level extras."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = status
        self.error_code = code
        self.message = message
        self.field = field
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.error_code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error, **self.extra}

    # What werkzeug's HTTPException.get_response() sends: the JSON error instead of its HTML page.
    def get_body(self, environ: WSGIEnvironment | None = None, scope: dict[str, Any] | None = None) -> str:
        return json.dumps(self.body()) + "\n"

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json")]


def invalid(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, field=field)


def get_object(data: Mapping[str, Any], key: str, label: str | None = None) -> dict[str, Any]:
    label = label or key
    value = data.get(key)
    if not isinstance(value, dict):
        raise invalid(label, f"'{label}' is required and must be an object")
    return value


def get_str(data: Mapping[str, Any], key: str, label: str | None = None, *, max_length: int = 200) -> str:
    label = label or key
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise invalid(label, f"'{label}' is required and must be a non-empty string")
    if len(value) > max_length:
        raise invalid(label, f"'{label}' must be at most {max_length} characters")
    return value


def get_int(
    data: Mapping[str, Any], key: str, label: str | None = None, *, minimum: int = 1, lenient: bool = False
) -> int:
    """An integer >= minimum; `lenient` also takes a string of digits (HTML forms send those)."""
    label = label or key
    value = data.get(key)
    if lenient and isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid(label, f"'{label}' is required and must be an integer")
    if value < minimum:
        raise invalid(label, f"'{label}' must be at least {minimum}, got {value}")
    return value


def read_body(request: Request) -> dict[str, Any]:
    """The JSON object a POST carries; `{}` for none (capture, void, refund need no body)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid("body", f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise invalid("body", "the request body must be a JSON object")
    return body
