"""API Gateway TOKEN authorizer for `Authorization: Bearer <jwt>` (HS256 only)."""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from shared.tokens import Claims, InvalidToken, read_secret, verify_bearer

logger = Logger()


def api_wildcard_arn(method_arn: str) -> str:
    """`arn:...:{apiId}/{stage}/{verb}/{path}` → `arn:...:{apiId}/{stage}/*/*`.

    One policy for the whole stage, so a cached policy also allows the caller's other routes.
    """
    prefix, _, path = method_arn.partition(":execute-api:")
    region_account_api, _, rest = path.partition("/")
    stage = rest.split("/", 1)[0]
    if not prefix or not region_account_api or not stage:
        raise ValueError(f"not an execute-api method ARN: {method_arn!r}")
    return f"{prefix}:execute-api:{region_account_api}/{stage}/*/*"


def policy(claims: Claims, method_arn: str) -> dict[str, Any]:
    return {
        "principalId": claims.sub,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": api_wildcard_arn(method_arn)}
            ],
        },
        "context": {"customer_id": claims.sub, "email": claims.email, "name": claims.name, "locale": claims.locale},
    }


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        claims = verify_bearer(read_secret(os.environ["JWT_SECRET_ARN"]), event.get("authorizationToken"))
    except InvalidToken as error:
        logger.info("token rejected", extra={"reason": str(error)})
        raise Exception("Unauthorized") from None
    return policy(claims, event["methodArn"])
