"""The App Server's environment (docs/data-model.md), parsed once per cold start."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import EnvSettings


class Settings(EnvSettings):
    function_name: ClassVar[str] = "App Server"

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
