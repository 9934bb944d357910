"""The App Server's environment (docs/data-model.md), parsed once per cold start."""

from __future__ import annotations

import os

from pydantic import BaseModel, ValidationError


class Settings(BaseModel):
    products_table: str
    orders_table: str
    customers_table: str
    idempotency_table: str
    orders_queue_url: str
    payment_url: str
    jwt_secret_arn: str
    login_attempts_table: str
    notifications_topic_arn: str
    payment_timeout_seconds: float = 5.0
    sweep_after_seconds: int = 600  # an order still in flight this long after it was placed is re-sent
    login_window_seconds: int = 900
    login_failures_per_account: int = 10
    login_failures_per_source: int = 100
    # GET /products and /categories serve a listing read at most this long ago in this warm Lambda (0: always read).
    catalog_cache_seconds: float = 30

    @classmethod
    def from_env(cls) -> Settings:
        values = {name: os.environ[name.upper()] for name in cls.model_fields if name.upper() in os.environ}
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            missing = [str(e["loc"][0]).upper() for e in error.errors() if e["type"] == "missing"]
            raise RuntimeError(f"App Server misconfigured: set environment variables {', '.join(missing)}") from error
