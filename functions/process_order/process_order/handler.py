"""Process Order's Lambda handler (`Handler: process_order.handler.handler`): input {"action", ...} -> logic."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError
from shared.errors import InvalidMessage

from process_order import logic
from process_order.models import ProcessOrderInput
from process_order.wiring import ports, publish_stranded

logger = Logger()


class InvalidInput(Exception):
    """The workflow sent an input this function does not understand (not retried; the workflow catches it by name)."""


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = ProcessOrderInput.model_validate(event)
    except ValidationError as error:
        raise InvalidInput(f"expected {{'action': capture|ship|compensate|sweep, 'order_id': ...}}: {error}") from error
    if request.action == "sweep":
        counts = logic.sweep(ports())
        publish_stranded(counts["stranded"])
        logger.info("swept", extra=counts)
        return counts
    order_id = request.order_id or logic.order_id_of(request.message or "")
    logger.append_keys(order_id=order_id, action=request.action)
    try:
        if request.action == "capture":
            result = logic.capture(ports(), order_id)
        elif request.action == "ship":
            result = logic.ship(ports(), order_id)
        else:
            result = logic.compensate(ports(), order_id, error=request.error)
    except InvalidMessage:
        logger.warning("not an order message", extra={"message": (request.message or "")[:500]})
        raise
    logger.info("done", extra={"status": result.get("status")})
    return result
