"""Lambda operations moto 5.2.5 does not serve, answered as AWS answers them, after lambda_api validated the request.

- **Provisioned concurrency** (Put/Get/Delete/ListProvisionedConcurrencyConfig(s)): on a published version or an
  alias only (`$LATEST` is `InvalidParameterValueException`), a missing version is `Function not found: <arn>:<n>`,
  a missing alias `Cannot find alias arn: <arn>:<alias>`; an alias and the version it points to cannot both have
  one (`ResourceConflictException`); a value above what the account leaves unreserved is refused with AWS's
  words. Put answers `IN_PROGRESS` (202) and the configuration is `READY` at once: nothing is kept warm here
  beyond what the runner already keeps. Deleting the alias deletes its configuration.
- **Recursion config** (Put/GetFunctionRecursionConfig): `Terminate` until set.
- **Reserved concurrency limits** (PutFunctionConcurrency, which moto serves): a qualified function is refused,
  and so is a value that leaves the account less than its minimum unreserved concurrency.

The state lives on moto's `$LATEST` function object (`lc_provisioned`, `lc_recursive_loop`), so it goes with the
function. The route sits between lambda_api (validation) and rest_operations (operations nobody serves).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from localcloud import lambda_api
from localcloud.config import DEFAULT_ACCOUNT
from localcloud.lambda_api import ACCOUNT_LIMIT, error
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

ANSWER_KEY = "localcloud.lambda_operations.answer"
MIN_UNRESERVED = 100  # AWS keeps this much of the account's concurrency unreserved
NOT_PUBLISHED = "The function resource provided must be an alias or a published version."
QUALIFIED_REFUSED = (
    "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. "
    "Please specify either a function name or an unqualified function ARN."
)


@dataclass
class Call:
    """One request: its members, and where it lands."""

    params: dict[str, Any]
    region: str
    account: str

    @property
    def backend(self) -> Any:
        from moto.awslambda.models import lambda_backends

        return lambda_backends[self.account][self.region]

    def target(self) -> tuple[str, str | None]:
        """The function name and qualifier the request names (a name, `name:q`, a partial or a full ARN)."""
        parts = str(self.params.get("FunctionName", "")).split(":")
        if parts[0] == "arn":
            parts = parts[5:]
        elif len(parts) > 1 and parts[1] == "function":
            parts = parts[1:]
        if parts[0] == "function":
            parts = parts[1:]
        qualifier = parts[1] if len(parts) > 1 else None
        return parts[0], qualifier or self.params.get("Qualifier")

    def arn(self, name: str, qualifier: str | None = None) -> str:
        arn = f"arn:aws:lambda:{self.region}:{self.account}:function:{name}"
        return f"{arn}:{qualifier}" if qualifier else arn

    def latest(self, name: str) -> Any:  # LambdaFunction or None
        functions = self.backend._lambdas._functions
        return functions[name]["latest"] if name in functions else None

    def version_exists(self, name: str, version: str) -> bool:
        return any(str(v.version) == version for v in self.backend._lambdas._functions[name]["versions"])

    def alias(self, name: str, alias: str) -> Any:  # LambdaAlias or None
        return self.backend._lambdas._aliases[self.arn(name)].get(alias)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _function_not_found(arn: str) -> Response:
    return error(404, "ResourceNotFoundException", f"Function not found: {arn}", message_key="Message")


def _alias_not_found(arn: str) -> Response:
    return error(404, "ResourceNotFoundException", f"Cannot find alias arn: {arn}", message_key="Message")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


# -- provisioned concurrency -----------------------------------------------------------------------


def _provisioned_target(call: Call, latest_message: str) -> tuple[Any, str] | Response:
    """The $LATEST object and the qualifier of a provisioned-concurrency request, or AWS's refusal."""
    name, qualifier = call.target()
    qualifier = qualifier or ""
    is_version = qualifier.isdigit()
    fn = call.latest(name)
    if qualifier == "$LATEST":
        if fn is None:
            return _function_not_found(call.arn(name, qualifier))
        return error(400, "InvalidParameterValueException", latest_message)
    if fn is None or (is_version and not call.version_exists(name, qualifier)):
        return _function_not_found(call.arn(name, qualifier))
    if not is_version and call.alias(name, qualifier) is None:
        return _alias_not_found(call.arn(name, qualifier))
    return fn, qualifier


def _provisioned(call: Call, fn: Any) -> dict[str, dict[str, Any]]:
    """The function's configurations by qualifier, without those of deleted aliases or versions."""
    configs: dict[str, dict[str, Any]] = getattr(fn, "lc_provisioned", {})
    name = fn.function_name
    for qualifier in list(configs):
        exists = call.version_exists(name, qualifier) if qualifier.isdigit() else call.alias(name, qualifier)
        if not exists:
            del configs[qualifier]
    fn.lc_provisioned = configs
    return configs


def _shown(config: dict[str, Any]) -> dict[str, Any]:
    requested = config["RequestedProvisionedConcurrentExecutions"]
    return {
        "RequestedProvisionedConcurrentExecutions": requested,
        "AvailableProvisionedConcurrentExecutions": requested,
        "AllocatedProvisionedConcurrentExecutions": requested,
        "Status": "READY",
        "LastModified": config["LastModified"],
    }


def put_provisioned_concurrency_config(call: Call) -> Response:
    found = _provisioned_target(
        call, "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    )
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    requested = int(call.params["ProvisionedConcurrentExecutions"])
    unreserved = ACCOUNT_LIMIT["UnreservedConcurrentExecutions"]
    if requested > unreserved:
        message = (
            "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency "
            f"[{unreserved}]."
        )
        return error(400, "InvalidParameterValueException", message, user_type=False)
    if requested > unreserved - MIN_UNRESERVED:
        message = (
            "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below "
            f"its minimum value of [{MIN_UNRESERVED}]."
        )
        return error(400, "InvalidParameterValueException", message, user_type=False)
    configs = _provisioned(call, fn)
    name = fn.function_name
    if qualifier.isdigit():
        aliases = call.backend._lambdas._aliases[call.arn(name)]
        if any(alias in configs and a.function_version == qualifier for alias, a in aliases.items()):
            return error(409, "ResourceConflictException", "Version is pointed by a Provisioned Concurrency alias")
    elif call.alias(name, qualifier).function_version in configs:
        message = "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
        return error(409, "ResourceConflictException", message)
    configs[qualifier] = {"RequestedProvisionedConcurrentExecutions": requested, "LastModified": _now()}
    body = {
        "RequestedProvisionedConcurrentExecutions": requested,
        "AvailableProvisionedConcurrentExecutions": 0,
        "AllocatedProvisionedConcurrentExecutions": 0,
        "Status": "IN_PROGRESS",
        "LastModified": configs[qualifier]["LastModified"],
    }
    return _json(body, 202)


def get_provisioned_concurrency_config(call: Call) -> Response:
    found = _provisioned_target(call, NOT_PUBLISHED)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    config = _provisioned(call, fn).get(qualifier)
    if config is None:
        message = "No Provisioned Concurrency Config found for this function"
        return error(404, "ProvisionedConcurrencyConfigNotFoundException", message)
    return _json(_shown(config))


def delete_provisioned_concurrency_config(call: Call) -> Response:
    found = _provisioned_target(call, NOT_PUBLISHED)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    _provisioned(call, fn).pop(qualifier, None)
    return Response(status=204)


def list_provisioned_concurrency_configs(call: Call) -> Response:
    name, _ = call.target()
    fn = call.latest(name)
    if fn is None:
        return _function_not_found(call.arn(name))
    configs = [
        {"FunctionArn": call.arn(name, qualifier), **_shown(config)}
        for qualifier, config in _provisioned(call, fn).items()
    ]
    return _json({"ProvisionedConcurrencyConfigs": configs})


# -- recursion config and reserved concurrency --------------------------------------------------------


def _unqualified_function(call: Call) -> Any:
    name, qualifier = call.target()
    fn = call.latest(name)
    if fn is None:
        return _function_not_found(call.arn(name, qualifier or "$LATEST"))
    if qualifier:
        return error(400, "InvalidParameterValueException", QUALIFIED_REFUSED)
    return fn


def put_function_recursion_config(call: Call) -> Response:
    fn = _unqualified_function(call)
    if isinstance(fn, Response):
        return fn
    fn.lc_recursive_loop = call.params["RecursiveLoop"]
    return _json({"RecursiveLoop": fn.lc_recursive_loop})


def get_function_recursion_config(call: Call) -> Response:
    fn = _unqualified_function(call)
    if isinstance(fn, Response):
        return fn
    return _json({"RecursiveLoop": getattr(fn, "lc_recursive_loop", "Terminate")})


def put_function_concurrency(call: Call) -> Response | None:
    fn = _unqualified_function(call)
    if isinstance(fn, Response):
        return fn
    if int(call.params["ReservedConcurrentExecutions"]) > ACCOUNT_LIMIT["ConcurrentExecutions"] - MIN_UNRESERVED:
        message = (
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
            f"below its minimum value of [{MIN_UNRESERVED}]."
        )
        return error(400, "InvalidParameterValueException", message, user_type=False)
    return None  # moto stores it


# -- tags ------------------------------------------------------------------------------------------------
MAX_TAGS = 50


def _tagged(call: Call) -> Any:
    """The function or event source mapping a tag request names, or AWS's refusal."""
    arn = str(call.params.get("Resource", ""))
    parts = arn.split(":", 6)
    kind, rest = (parts[5], parts[6]) if len(parts) == 7 else ("", "")
    if kind == "event-source-mapping":
        esm = call.backend._event_source_mappings.get(rest)
        if esm is None:
            message = f"Event source mapping not found: {arn}"
            return error(404, "ResourceNotFoundException", message, message_key="Message")
        return esm
    if kind != "function":
        return None
    name, _, qualifier = rest.partition(":")
    if qualifier:
        message = "Tags on function aliases and versions are not supported. Please specify a function ARN."
        return error(400, "InvalidParameterValueException", message)
    fn = call.latest(name)
    return fn if fn is not None else _function_not_found(arn)


def tag_resource(call: Call) -> Response | None:
    resource = _tagged(call)
    if resource is None or isinstance(resource, Response):
        return resource
    tags = call.params.get("Tags") or {}
    if not tags:
        message = "An error occurred and the request cannot be processed."
        return error(400, "InvalidParameterValueException", message)
    if len({**resource.tags, **tags}) > MAX_TAGS:
        return error(400, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
    if hasattr(resource, "lc_revision_id"):
        lambda_api.new_revision(resource)
    return None  # moto stores them


def untag_resource(call: Call) -> Response | None:
    resource = _tagged(call)
    if resource is None or isinstance(resource, Response):
        return resource
    if hasattr(resource, "lc_revision_id"):
        lambda_api.new_revision(resource)
    return None


def list_tags(call: Call) -> Response | None:
    resource = _tagged(call)
    return resource if isinstance(resource, Response) else None


def create_function(call: Call) -> Response | None:
    if len(call.params.get("Tags") or {}) > MAX_TAGS:
        return error(400, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
    return None


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
    return _json(_invoke_config_body(call, fn, qualifier, configs[qualifier]))


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
    return _json(_invoke_config_body(call, fn, qualifier, _invoke_configs(fn)[qualifier]))


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
    return _json(_page(call, "FunctionEventInvokeConfigs", bodies))


def _page(call: Call, key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A page of `items` from Marker (an index, as the NextMarker before gave it), MaxItems long."""
    start = int(call.params.get("Marker") or 0)
    size = int(call.params.get("MaxItems") or 50)
    page: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        page["NextMarker"] = str(start + size)
    return page


# -- function URL configs --------------------------------------------------------------------------------
# moto keeps one URL config per function object (an alias's landed on its version) with a Buffered mode;
# AWS keeps one for the function and one per alias.
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
    return _json(_url_body(call, fn, alias, config, *fields), 201)


def get_function_url_config(call: Call) -> Response:
    found = _url_target(call, URL_MISSING)
    if isinstance(found, Response):
        return found
    fn, alias = found
    config = _url_configs(fn).get(alias)
    if config is None:
        return error(404, "ResourceNotFoundException", URL_MISSING, message_key="Message")
    return _json(_url_body(call, fn, alias, config, "InvokeMode", "LastModifiedTime"))


def update_function_url_config(call: Call) -> Response:
    found = _url_target(call, FUNCTION_MISSING)
    if isinstance(found, Response):
        return found
    fn, alias = found
    config = _url_configs(fn).get(alias)
    if config is None:
        return error(404, "ResourceNotFoundException", URL_MISSING, message_key="Message")
    config.update({k: call.params[k] for k in ("AuthType", "Cors", "InvokeMode") if call.params.get(k) is not None})
    config["LastModifiedTime"] = _iso_now()
    fields = ("InvokeMode",) if call.params.get("InvokeMode") else ()
    return _json(_url_body(call, fn, alias, config, *fields, "LastModifiedTime"))


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
    return _json(_page(call, "FunctionUrlConfigs", bodies))


# -- revision ids ----------------------------------------------------------------------------------------
REVISION_MISMATCH = (
    "The Revision Id provided does not match the latest Revision Id. "
    "Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
)


def _revision_refusal(call: Call, current: str | None) -> Response | None:
    given = call.params.get("RevisionId")
    if given is not None and current is not None and given != current:
        return error(412, "PreconditionFailedException", REVISION_MISMATCH)
    return None


def function_revision_check(call: Call) -> Response | None:
    """UpdateFunctionCode, UpdateFunctionConfiguration, PublishVersion: RevisionId must be $LATEST's."""
    fn = call.latest(call.target()[0])
    return _revision_refusal(call, lambda_api.current_revision(fn)) if fn is not None else None


def update_alias(call: Call) -> Response | None:
    name = call.target()[0]
    alias = call.alias(name, str(call.params.get("Name"))) if call.latest(name) is not None else None
    return _revision_refusal(call, alias.revision_id) if alias is not None else None


def _alias_update(self: Any, *args: Any, **kwargs: Any) -> None:
    """moto's alias update, with the new RevisionId AWS gives every change of an alias."""
    from moto.awslambda.models import LambdaAlias

    original(LambdaAlias, "update")(self, *args, **kwargs)
    self.revision_id = str(uuid.uuid4())


# -- the route ---------------------------------------------------------------------------------------------

HANDLERS: dict[str, Callable[[Call], Response | None]] = {
    "PutProvisionedConcurrencyConfig": put_provisioned_concurrency_config,
    "GetProvisionedConcurrencyConfig": get_provisioned_concurrency_config,
    "DeleteProvisionedConcurrencyConfig": delete_provisioned_concurrency_config,
    "ListProvisionedConcurrencyConfigs": list_provisioned_concurrency_configs,
    "PutFunctionRecursionConfig": put_function_recursion_config,
    "GetFunctionRecursionConfig": get_function_recursion_config,
    "PutFunctionConcurrency": put_function_concurrency,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTags": list_tags,
    "CreateFunction": create_function,
    "UpdateFunctionCode": function_revision_check,
    "UpdateFunctionConfiguration": function_revision_check,
    "PublishVersion": function_revision_check,
    "UpdateAlias": update_alias,
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


def answer(request: Request) -> Response | None:
    """This layer's answer to a (valid) Lambda request, or None (moto's turn)."""
    if ANSWER_KEY in request.environ:
        return request.environ[ANSWER_KEY]
    verdict: Response | None = None
    found = lambda_api.parsed(request)
    if found is not None and found[0].name in HANDLERS:
        operation, params, region = found
        call = Call(params, region, os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT))
        verdict = HANDLERS[operation.name](call)
    request.environ[ANSWER_KEY] = verdict
    return verdict


def install(cloud: LocalCloud) -> None:
    from moto.awslambda.models import LambdaAlias

    replace(LambdaAlias, "update", _alias_update)
    cloud.add_route("lambda operations", lambda r: answer(r) is not None, lambda r: answer(r) or Response(status=500))
