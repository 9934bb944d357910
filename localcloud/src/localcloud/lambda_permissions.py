"""Lambda permissions (AddPermission, RemovePermission, GetPolicy) checked as AWS checks them (handled on
lambda_operations' route, before moto's policy code).

Not on `$LATEST`; a principal that is a service (`*.amazonaws.com`), an account, an ARN or `*`; no statement id
twice; AWS's words for a missing function, alias, version, policy or statement; RemovePermission with a RevisionId
that is not the policy's is `PreconditionFailedException`, with the right one it removes the statement here (moto
compared the RevisionId with the query string's list of values, so it never matched). An alias's permissions are
still its version's (moto keeps one policy per function object), so AWS's separate alias policies are not
emulated.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Response

from localcloud import lambda_operations
from localcloud.lambda_api import error
from localcloud.lambda_operations import Call, alias_not_found, function_not_found

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$|^\*$|^\d{12}$|^arn:")


def _policy_target(call: Call, *, missing_function: Callable[[str], Response]) -> Any:
    """The function object a permission request names (its version or alias), or AWS's refusal."""
    name, qualifier = call.target()
    fn = call.latest(name)
    if fn is None:
        return missing_function(call.arn(name))
    if not qualifier or qualifier == "$LATEST":
        return fn
    if re.fullmatch(r"[a-zA-Z0-9-_]+", qualifier) and not qualifier.isdigit():
        alias = call.alias(name, qualifier)
        if alias is None:
            return alias_not_found(call.arn(name, qualifier))
        qualifier = alias.function_version
    version = next((v for v in call.backend._lambdas._functions[name]["versions"] if str(v.version) == qualifier), None)
    return version if version is not None else function_not_found(call.arn(name, call.target()[1]))


def add_permission(call: Call) -> Response | None:
    if call.target()[1] == "$LATEST":
        return error(400, "InvalidParameterValueException", "We currently do not support adding policies for $LATEST.")
    if not SERVICE_PRINCIPAL.match(str(call.params.get("Principal", ""))):
        message = "The provided principal was invalid. Please check the principal and try again."
        return error(400, "InvalidParameterValueException", message)
    fn = _policy_target(call, missing_function=function_not_found)
    if isinstance(fn, Response):
        return fn
    refusal = _policy_revision_refusal(call, fn)
    if refusal is not None:
        return refusal
    sid = call.params.get("StatementId")
    if any(statement.get("Sid") == sid for statement in fn.policy.statements):
        message = (
            f"The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the "
            "existing statement."
        )
        return error(409, "ResourceConflictException", message)
    return None


def remove_permission(call: Call) -> Response | None:
    def no_policy_for(arn: str) -> Response:
        return error(404, "ResourceNotFoundException", f"No policy found for: {arn}", message_key="Message")

    fn = _policy_target(call, missing_function=no_policy_for)
    if isinstance(fn, Response):
        return fn
    if not fn.policy.statements:
        message = "No policy is associated with the given resource."
        return error(404, "ResourceNotFoundException", message, message_key="Message")
    sid = call.params.get("StatementId")
    if not any(statement.get("Sid") == sid for statement in fn.policy.statements):
        message = f"Statement {sid} is not found in resource policy."
        return error(404, "ResourceNotFoundException", message, message_key="Message")
    refusal = _policy_revision_refusal(call, fn)
    if refusal is not None:
        return refusal
    # removed here: moto compared the RevisionId with the query string's list of values, so it never matched
    fn.policy.del_statement(sid)
    fn.policy.revision = str(uuid.uuid4())
    return Response(status=204)


def _policy_revision_refusal(call: Call, fn: Any) -> Response | None:
    given = call.params.get("RevisionId")
    if given is not None and given != fn.policy.revision:
        message = (
            "The Revision Id provided does not match the latest Revision Id. "
            "Call the GetPolicy API to retrieve the latest Revision Id"
        )
        return error(412, "PreconditionFailedException", message)
    return None


def get_policy(call: Call) -> Response | None:
    def not_found(_: str) -> Response:
        message = "The resource you requested does not exist."
        return error(404, "ResourceNotFoundException", message, message_key="Message")

    fn = _policy_target(call, missing_function=not_found)
    return not_found("") if isinstance(fn, Response) else None


HANDLERS: dict[str, Callable[[Call], Response | None]] = {
    "AddPermission": add_permission,
    "RemovePermission": remove_permission,
    "GetPolicy": get_policy,
}


def install(cloud: LocalCloud) -> None:
    lambda_operations.HANDLERS.update(HANDLERS)
