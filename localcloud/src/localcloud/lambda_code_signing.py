"""Lambda code signing configs, answered as AWS answers them (handled on lambda_operations' route; moto has none).

Create/Get/Update/Delete/ListCodeSigningConfig(s) keep account-level configs (`csc-` and 17 characters, with
their ARN); Put/Get/DeleteFunctionCodeSigningConfig attach one to a function and ListFunctionsByCodeSigningConfig
lists the functions it is attached to. A missing config is `ResourceNotFoundException` `The Lambda code signing
configuration <arn> can not be found.`, except when attaching it: `CodeSigningConfigNotFoundException`, checked
before the function. Signatures are not verified: nothing here signs or checks code, so `Enforce` deploys what
`Warn` would.

The configs are kept on moto's Lambda backend (`lc_code_signing_configs`), the attachment on the function's
`$LATEST` object (`lc_code_signing_config`).
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Response

from localcloud import lambda_operations
from localcloud.lambda_api import error
from localcloud.lambda_operations import Call, respond

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

ID_ALPHABET = string.ascii_lowercase + string.digits


def _configs(call: Call) -> dict[str, dict[str, Any]]:
    backend = call.backend
    if not hasattr(backend, "lc_code_signing_configs"):
        backend.lc_code_signing_configs = {}
    configs: dict[str, dict[str, Any]] = backend.lc_code_signing_configs
    return configs


def _missing(arn: str) -> Response:
    message = f"The Lambda code signing configuration {arn} can not be found."
    return error(404, "ResourceNotFoundException", message, user_type=False, message_key="Message")


def _found(call: Call) -> dict[str, Any] | Response:
    arn = str(call.params.get("CodeSigningConfigArn"))
    config = _configs(call).get(arn)
    return config if config is not None else _missing(arn)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")


def create_code_signing_config(call: Call) -> Response:
    config_id = "csc-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(17))
    arn = f"arn:aws:lambda:{call.region}:{call.account}:code-signing-config:{config_id}"
    config = {
        "AllowedPublishers": call.params["AllowedPublishers"],
        "CodeSigningConfigArn": arn,
        "CodeSigningConfigId": config_id,
        "CodeSigningPolicies": call.params.get("CodeSigningPolicies") or {"UntrustedArtifactOnDeployment": "Warn"},
        "Description": call.params.get("Description") or "",
        "LastModified": _now(),
    }
    _configs(call)[arn] = config
    return respond({"CodeSigningConfig": config}, 201)


def get_code_signing_config(call: Call) -> Response:
    config = _found(call)
    return config if isinstance(config, Response) else respond({"CodeSigningConfig": config})


def update_code_signing_config(call: Call) -> Response:
    config = _found(call)
    if isinstance(config, Response):
        return config
    updatable = ("AllowedPublishers", "CodeSigningPolicies", "Description")
    changes: dict[str, Any] = {k: call.params[k] for k in updatable if k in call.params}
    if changes:
        config.update(changes, LastModified=_now())
    return respond({"CodeSigningConfig": config})


def delete_code_signing_config(call: Call) -> Response:
    config = _found(call)
    if isinstance(config, Response):
        return config
    del _configs(call)[config["CodeSigningConfigArn"]]
    return Response(status=204)


def list_code_signing_configs(call: Call) -> Response:
    return respond(lambda_operations.page(call, "CodeSigningConfigs", list(_configs(call).values())))


def list_functions_by_code_signing_config(call: Call) -> Response:
    config = _found(call)
    if isinstance(config, Response):
        return config
    arn = config["CodeSigningConfigArn"]
    functions = call.backend._lambdas._functions
    attached = [
        call.arn(name)
        for name, fns in functions.items()
        if fns["latest"] is not None and getattr(fns["latest"], "lc_code_signing_config", None) == arn
    ]
    return respond(lambda_operations.page(call, "FunctionArns", attached))


def _function(call: Call) -> Any:
    name = call.target()[0]
    fn = call.latest(name)
    if fn is None:
        return error(404, "ResourceNotFoundException", f"Function not found: {call.arn(name)}", message_key="Message")
    return fn


def put_function_code_signing_config(call: Call) -> Response:
    arn = str(call.params.get("CodeSigningConfigArn"))
    if arn not in _configs(call):
        message = (
            "The code signing configuration cannot be found. Check that the provided configuration is not deleted: "
            f"{arn}."
        )
        return error(404, "CodeSigningConfigNotFoundException", message, message_key="Message")
    fn = _function(call)
    if isinstance(fn, Response):
        return fn
    fn.lc_code_signing_config = arn
    return respond({"CodeSigningConfigArn": arn, "FunctionName": fn.function_name})


def get_function_code_signing_config(call: Call) -> Response:
    fn = _function(call)
    if isinstance(fn, Response):
        return fn
    arn = getattr(fn, "lc_code_signing_config", None)
    return respond({"CodeSigningConfigArn": arn, "FunctionName": fn.function_name} if arn else {})


def delete_function_code_signing_config(call: Call) -> Response:
    fn = _function(call)
    if isinstance(fn, Response):
        return fn
    fn.lc_code_signing_config = None
    return Response(status=204)


HANDLERS: dict[str, Callable[[Call], Response | None]] = {
    "CreateCodeSigningConfig": create_code_signing_config,
    "GetCodeSigningConfig": get_code_signing_config,
    "UpdateCodeSigningConfig": update_code_signing_config,
    "DeleteCodeSigningConfig": delete_code_signing_config,
    "ListCodeSigningConfigs": list_code_signing_configs,
    "ListFunctionsByCodeSigningConfig": list_functions_by_code_signing_config,
    "PutFunctionCodeSigningConfig": put_function_code_signing_config,
    "GetFunctionCodeSigningConfig": get_function_code_signing_config,
    "DeleteFunctionCodeSigningConfig": delete_function_code_signing_config,
}


def install(cloud: LocalCloud) -> None:
    lambda_operations.HANDLERS.update(HANDLERS)
