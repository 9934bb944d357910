"""Process Order's environment (docs/data-model.md), parsed once per cold start."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import EnvSettings


class Settings(EnvSettings):
    function_name: ClassVar[str] = "Process Order"

    orders_table: str
    products_table: str
    orders_queue_url: str
    payment_url: str
    shipment_url: str
    sweep_after_seconds: int = 600
    env_name: str = "local"
