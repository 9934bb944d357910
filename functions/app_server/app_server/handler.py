"""The App Server's Lambda handler (re-exported by handler.py, the name the stack points at)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from app_server.routes import app
from app_server.wiring import dependencies

logger = Logger()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # The idempotency layer uses the remaining time to expire an in-progress record if this invocation dies.
    dependencies().idempotency.register_lambda_context(context)
    return app.resolve(event, context)
