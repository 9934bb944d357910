"""What the workflow sends Process Order (docs/data-model.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, model_validator


class ProcessOrderInput(BaseModel):
    action: Literal["capture", "ship", "compensate", "sweep"]
    order_id: str | None = None
    message: str | None = None  # capture, compensate: the queue message body as received (may be poison)
    error: str | None = None  # compensate: the caught error's name (Error of the Catch)

    @model_validator(mode="after")
    def _names_an_order(self) -> ProcessOrderInput:
        if self.action != "sweep" and not self.order_id and self.message is None:
            raise ValueError(f"{self.action} needs order_id or message")
        return self
