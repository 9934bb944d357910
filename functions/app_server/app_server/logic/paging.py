"""Opaque pagination tokens: base64url of a small JSON object. Clients pass them back unchanged."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from app_server.logic.errors import InvalidInput


def encode_token(position: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError) as error:
        raise InvalidInput("next_token is not a token from a previous page", field="next_token") from error
    if not isinstance(value, dict):
        raise InvalidInput("next_token is not a token from a previous page", field="next_token")
    return value
