"""Lambda event invoke configs and function URL configs, kept as AWS keeps them (handled on lambda_operations' route).

moto 5.2.5 keeps one of each per function object: an alias's landed on its version, a put on a version overwrote
$LATEST's, update replaced instead of merging, and its not-found answers named the wrong thing. Here:

- **Event invoke configs** (Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s)): one per qualifier ($LATEST
  when none), Put replaces and Update merges; a request with none of the settings, a destination that is the
  function itself, a Lambda destination that does not exist, or a destination of a service AWS does not send to
  is `InvalidParameterValueException` in AWS's words; a missing function is `The function doesn't exist.`, a
  missing configuration `The function <arn>:<qualifier> doesn't have an EventInvokeConfig`.
- **Function URL configs** (Create/Get/Update/Delete/ListFunctionUrlConfig(s)): one for the function and one per
  alias, `ResourceConflictException` for a second one; a missing function or alias is `Function does not exist`
  on writes and `The resource you requested does not exist.` on reads and deletes. InvokeMode is `BUFFERED`
  unless given. The URL is not served: nothing in the local cloud invokes a function through it.

Both are kept on moto's `$LATEST` function object (`lc_invoke_configs`, `lc_url_configs`), so they go with it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Response

from localcloud import lambda_operations
from localcloud.lambda_api import error
from localcloud.lambda_operations import Call, page, respond

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

# -- event invoke configs ----------------------------------------------------------------------------------
NO_FUNCTION = "The function doesn't exist."
DESTINATION_SERVICES = ("sqs", "sns", "lambda", "events", "s3")


def _invoke_config_target(call: Call, *, reading: bool = False) -> tuple[Any, str] | Response:
    """The $LATEST object and the qualifier ($LATEST when none) an event invoke config request names; a missing
    function or qualifier is, for a read, a missing configuration."""
    name, qualifier = call.target()  # lambda_api refused a name whose qualifier contradicts Qualifier
    qualifier = qualifier or "$LATEST"
    fn = call.latest(name)
    if fn is None or not (
        qualifier == "$LATEST" or call.version_exists(name, qualifier) or call.alias(name, qualifier)
    ):
        return _no_invoke_config(call.arn(name, qualifier)) if reading else _no_function()
    return fn, qualifier


def _no_function() -> Response:
    return error(404, "ResourceNotFoundException", NO_FUNCTION, message_key="Message")


def _no_invoke_config(arn: str) -> Response:
    message = f"The function {arn} doesn't have an EventInvokeConfig"
    return error(404, "ResourceNotFoundException", message, message_key="Message")


def _invoke_configs(fn: Any) -> dict[str, dict[str, Any]]:
    configs: dict[str, dict[str, Any]] = getattr(fn, "lc_invoke_configs", {})
    fn.lc_invoke_configs = configs
    return configs


def _destination_refusal(call: Call, fn: Any, destinations: dict[str, Any]) -> Response | None:
    for kind in ("OnSuccess", "OnFailure"):
        arn = (destinations.get(kind) or {}).get("Destination")
        if not arn:
            continue
        service = arn.split(":")[2] if arn.count(":") >= 5 else ""
        if service not in DESTINATION_SERVICES:
            shown = {
                "OnSuccess": _destination_shown("OnSuccess", destinations),
                "OnFailure": _destination_shown("OnFailure", destinations),
            }
            message = (
                f"The provided destination config DestinationConfig(onSuccess={shown['OnSuccess']}, "
                f"onFailure={shown['OnFailure']}) is invalid."
            )
            return error(400, "InvalidParameterValueException", message)
        if service == "lambda":
            target = arn.split(":")[6] if arn.count(":") >= 6 else ""
            if target == fn.function_name:
                message = "You can't specify the function as a destination for itself."
                return error(400, "InvalidParameterValueException", message)
            if call.latest(target) is None:
                return error(400, "InvalidParameterValueException", f"The destination ARN {arn} is invalid.")
    return None


def _destination_shown(kind: str, destinations: dict[str, Any]) -> str:
    given = destinations.get(kind)
    if given is None:
        return "null"
    return f"{kind}(destination={given.get('Destination')})"


def _invoke_config_body(call: Call, fn: Any, qualifier: str, config: dict[str, Any]) -> dict[str, Any]:
    destinations = config.get("DestinationConfig") or {}
    body: dict[str, Any] = {
        "DestinationConfig": {k: destinations.get(k) or {} for k in ("OnFailure", "OnSuccess")},
        "FunctionArn": call.arn(fn.function_name, qualifier),
        "LastModified": config["LastModified"],
    }
    for key in ("MaximumEventAgeInSeconds", "MaximumRetryAttempts"):
        if key in config:
            body[key] = config[key]
    return body


INVOKE_CONFIG_KEYS = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")


def _write_invoke_config(call: Call, *, merge: bool) -> Response:
    given = {k: call.params[k] for k in INVOKE_CONFIG_KEYS if call.params.get(k) is not None}
    if not given:
        message = "You must specify at least one of error handling or destination setting."
        return error(400, "InvalidParameterValueException", message)
    found = _invoke_config_target(call)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    configs = _invoke_configs(fn)
    if merge and qualifier not in configs:
        return _no_invoke_config(call.arn(fn.function_name, qualifier))
    refusal = _destination_refusal(call, fn, given.get("DestinationConfig") or {})
    if refusal is not None:
        return refusal
    config = {**configs[qualifier], **given} if merge else given
    configs[qualifier] = {**config, "LastModified": time.time()}
    return respond(_invoke_config_body(call, fn, qualifier, configs[qualifier]))


def put_function_event_invoke_config(call: Call) -> Response:
    return _write_invoke_config(call, merge=False)


def update_function_event_invoke_config(call: Call) -> Response:
    return _write_invoke_config(call, merge=True)


def _read_invoke_config(call: Call) -> tuple[Any, str] | Response:
    found = _invoke_config_target(call, reading=True)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    if qualifier not in _invoke_configs(fn):
        return _no_invoke_config(call.arn(fn.function_name, qualifier))
    return fn, qualifier


def get_function_event_invoke_config(call: Call) -> Response:
    found = _read_invoke_config(call)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    return respond(_invoke_config_body(call, fn, qualifier, _invoke_configs(fn)[qualifier]))


def delete_function_event_invoke_config(call: Call) -> Response:
    found = _read_invoke_config(call)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    del _invoke_configs(fn)[qualifier]
    return Response(status=204)


def list_function_event_invoke_configs(call: Call) -> Response:
    name, _ = call.target()
    fn = call.latest(name)
    if fn is None:
        return _no_function()
    bodies = [_invoke_config_body(call, fn, q, c) for q, c in _invoke_configs(fn).items()]
    return respond(page(call, "FunctionEventInvokeConfigs", bodies))


# -- function URL configs --------------------------------------------------------------------------------
FUNCTION_MISSING = "Function does not exist"
URL_MISSING = "The resource you requested does not exist."


def _url_target(call: Call, missing: str) -> tuple[Any, str] | Response:
    """The $LATEST object and the alias ("" for the function itself) a URL config request names."""
    name, qualifier = call.target()
    fn = call.latest(name)
    if fn is None or (qualifier and call.alias(name, qualifier) is None):
        return error(404, "ResourceNotFoundException", missing, message_key="Message")
    return fn, qualifier or ""


def _url_configs(fn: Any) -> dict[str, dict[str, Any]]:
    configs: dict[str, dict[str, Any]] = getattr(fn, "lc_url_configs", {})
    fn.lc_url_configs = configs
    return configs


def _url_body(call: Call, fn: Any, alias: str, config: dict[str, Any], *fields: str) -> dict[str, Any]:
    body = {"FunctionArn": call.arn(fn.function_name, alias or None)}
    for key in ("AuthType", "Cors", "CreationTime", "FunctionUrl", *fields):
        if key in config:
            body[key] = config[key]
    return body


def _iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create_function_url_config(call: Call) -> Response:
    found = _url_target(call, FUNCTION_MISSING)
    if isinstance(found, Response):
        return found
    fn, alias = found
    configs = _url_configs(fn)
    if alias in configs:
        arn = call.arn(fn.function_name, alias or None)
        message = (
            f"Failed to create function url config for [functionArn = {arn}]. "
            "Error message:  FunctionUrlConfig exists for this Lambda function"
        )
        return error(409, "ResourceConflictException", message)
    now = _iso_now()
    config = {
        "AuthType": call.params["AuthType"],
        "CreationTime": now,
        "LastModifiedTime": now,
        "FunctionUrl": f"https://{uuid.uuid4().hex}.lambda-url.{call.region}.on.aws/",
        "InvokeMode": call.params.get("InvokeMode") or "BUFFERED",
    }
    if call.params.get("Cors") is not None:
        config["Cors"] = call.params["Cors"]
    configs[alias] = config
    fields = ("InvokeMode",) if call.params.get("InvokeMode") else ()
    return respond(_url_body(call, fn, alias, config, *fields), 201)


def _url_config(call: Call, missing: str) -> tuple[Any, str, dict[str, Any]] | Response:
    """The function, alias and URL config a request names, or AWS's refusal."""
    found = _url_target(call, missing)
    if isinstance(found, Response):
        return found
    fn, alias = found
    config = _url_configs(fn).get(alias)
    if config is None:
        return error(404, "ResourceNotFoundException", URL_MISSING, message_key="Message")
    return fn, alias, config


def get_function_url_config(call: Call) -> Response:
    found = _url_config(call, URL_MISSING)
    if isinstance(found, Response):
        return found
    fn, alias, config = found
    return respond(_url_body(call, fn, alias, config, "InvokeMode", "LastModifiedTime"))


def update_function_url_config(call: Call) -> Response:
    found = _url_config(call, FUNCTION_MISSING)
    if isinstance(found, Response):
        return found
    fn, alias, config = found
    config.update({k: call.params[k] for k in ("AuthType", "Cors", "InvokeMode") if call.params.get(k) is not None})
    config["LastModifiedTime"] = _iso_now()
    fields = ("InvokeMode",) if call.params.get("InvokeMode") else ()
    return respond(_url_body(call, fn, alias, config, *fields, "LastModifiedTime"))


def delete_function_url_config(call: Call) -> Response:
    found = _url_target(call, URL_MISSING)
    if isinstance(found, Response):
        return found
    fn, alias = found
    if _url_configs(fn).pop(alias, None) is None:
        return error(404, "ResourceNotFoundException", URL_MISSING, message_key="Message")
    return Response(status=204)


def list_function_url_configs(call: Call) -> Response:
    name, _ = call.target()
    fn = call.latest(name)
    if fn is None:
        return error(404, "ResourceNotFoundException", FUNCTION_MISSING, message_key="Message")
    bodies = [
        _url_body(call, fn, alias, config, "InvokeMode", "LastModifiedTime")
        for alias, config in _url_configs(fn).items()
        if not alias or call.alias(name, alias) is not None
    ]
    return respond(page(call, "FunctionUrlConfigs", bodies))


HANDLERS: dict[str, Callable[[Call], Response | None]] = {
    "PutFunctionEventInvokeConfig": put_function_event_invoke_config,
    "UpdateFunctionEventInvokeConfig": update_function_event_invoke_config,
    "GetFunctionEventInvokeConfig": get_function_event_invoke_config,
    "DeleteFunctionEventInvokeConfig": delete_function_event_invoke_config,
    "ListFunctionEventInvokeConfigs": list_function_event_invoke_configs,
    "CreateFunctionUrlConfig": create_function_url_config,
    "GetFunctionUrlConfig": get_function_url_config,
    "UpdateFunctionUrlConfig": update_function_url_config,
    "DeleteFunctionUrlConfig": delete_function_url_config,
    "ListFunctionUrlConfigs": list_function_url_configs,
}


def install(cloud: LocalCloud) -> None:
    lambda_operations.HANDLERS.update(HANDLERS)
