from __future__ import annotations

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """The one error shape of the API."""

    message: str
    code: str
    field: str | None = None
