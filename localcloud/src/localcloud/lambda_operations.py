"""Lambda operations moto 5.2.5 does not serve, and the checks it skips on those it does, answered as AWS answers
them, after lambda_api validated the request. Each operation has one handler in HANDLERS: an answer, or None for
moto's turn.

- **Provisioned concurrency** (Put/Get/Delete/ListProvisionedConcurrencyConfig(s)): on a published version or an
  alias only (`$LATEST` is `InvalidParameterValueException`), a missing version is `Function not found: <arn>:<n>`,
  a missing alias `Cannot find alias arn: <arn>:<alias>`; an alias and the version it points to cannot both have
  one (`ResourceConflictException`); a value above what the account leaves unreserved is refused with AWS's
  words. Put answers `IN_PROGRESS` (202) and the configuration is `READY` at once: nothing is kept warm here
  beyond what the runner already keeps. Deleting the alias deletes its configuration.
- **Event invoke, function URL and code signing configs, permissions**: lambda_function_configs.py,
  lambda_code_signing.py and lambda_permissions.py add their handlers to HANDLERS.
- **Recursion config** (Put/GetFunctionRecursionConfig): `Terminate` until set.
- **Reserved concurrency limits** (PutFunctionConcurrency): a qualified function is refused, and so is a value
  that leaves the account less than its minimum unreserved concurrency.
- **DeleteFunction**: `$LATEST` alone is refused, a missing function is named unqualified, deleting a version that
  does not exist succeeds.
- **Tags**: only on an unqualified function (or an event source mapping), none empty, at most 50; each change is a
  new RevisionId of the function.
- **Sizes** (CreateFunction, UpdateFunctionCode/Configuration): the zipped package (50 MB), the whole request
  (70167211 bytes), the unzipped package (250 MB, also for code in S3) and the environment (4 KB as compact JSON).
- **RevisionId** (UpdateFunctionCode/Configuration, PublishVersion, UpdateAlias): another than the latest is
  `PreconditionFailedException`; an alias update is a new revision of the alias.
- **Event source mappings**: no source, a destination for an SQS source, a missing function refused before
  moto; updating or deleting a missing mapping is `ResourceNotFoundException`.
- **Aliases**: AWS's refusals of a RoutingConfig (more than one weight, the alias's own version, a missing
  version, `$LATEST` with weights), `ResourceConflictException` for an existing alias, `Alias not found` on
  update, ListAliases by FunctionVersion, no empty RoutingConfig shown.

The state lives on moto's `$LATEST` function object (`lc_provisioned`, `lc_recursive_loop`), so it goes with the
function. The route sits between lambda_api (validation) and rest_operations (operations nobody serves).
"""

from __future__ import annotations

import base64
import io
import json
import os
import uuid
import zipfile
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
    size: int = 0  # the request body's length

    @property
    def backend(self) -> Any:
        from moto.awslambda.models import lambda_backends

        return lambda_backends[self.account][self.region]

    def target(self) -> tuple[str, str | None]:
        """The function name and qualifier the request names (a name, `name:q`, a partial or a full ARN)."""
        parts = str(self.params.get("FunctionName", "")).split(":")
        if parts[0] == "arn":
            parts = parts[5:]  # [function, name, q] or [name] (an ARN without `function:`)
        elif len(parts) > 2 and parts[1] == "function":
            parts = parts[1:]
        if len(parts) > 1 and parts[0] == "function":
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


def respond(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def function_not_found(arn: str) -> Response:
    return error(404, "ResourceNotFoundException", f"Function not found: {arn}", message_key="Message")


def alias_not_found(arn: str) -> Response:
    return error(404, "ResourceNotFoundException", f"Cannot find alias arn: {arn}", message_key="Message")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def page(call: Call, key: str, items: list[Any]) -> dict[str, Any]:
    """A page of `items` from Marker (an index, as the NextMarker before gave it), MaxItems long."""
    start = int(call.params.get("Marker") or 0)
    size = int(call.params.get("MaxItems") or 50)
    page: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        page["NextMarker"] = str(start + size)
    return page


# -- provisioned concurrency -----------------------------------------------------------------------


def _provisioned_target(call: Call, latest_message: str) -> tuple[Any, str] | Response:
    """The $LATEST object and the qualifier of a provisioned-concurrency request, or AWS's refusal."""
    name, qualifier = call.target()
    qualifier = qualifier or ""
    is_version = qualifier.isdigit()
    fn = call.latest(name)
    if qualifier == "$LATEST":
        if fn is None:
            return function_not_found(call.arn(name, qualifier))
        return error(400, "InvalidParameterValueException", latest_message)
    if is_version and (fn is None or not call.version_exists(name, qualifier)):
        return function_not_found(call.arn(name, qualifier))
    if not is_version and (fn is None or call.alias(name, qualifier) is None):
        return alias_not_found(call.arn(name, qualifier))
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
    return respond(body, 202)


def get_provisioned_concurrency_config(call: Call) -> Response:
    found = _provisioned_target(call, NOT_PUBLISHED)
    if isinstance(found, Response):
        return found
    fn, qualifier = found
    config = _provisioned(call, fn).get(qualifier)
    if config is None:
        message = "No Provisioned Concurrency Config found for this function"
        return error(404, "ProvisionedConcurrencyConfigNotFoundException", message)
    return respond(_shown(config))


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
        return function_not_found(call.arn(name))
    configs = [
        {"FunctionArn": call.arn(name, qualifier), **_shown(config)}
        for qualifier, config in _provisioned(call, fn).items()
    ]
    return respond({"ProvisionedConcurrencyConfigs": configs})


# -- recursion config and reserved concurrency --------------------------------------------------------


def _unqualified_function(call: Call) -> Any:
    name, qualifier = call.target()
    fn = call.latest(name)
    if fn is None:
        return function_not_found(call.arn(name, qualifier or "$LATEST"))
    if qualifier:
        return error(400, "InvalidParameterValueException", QUALIFIED_REFUSED)
    return fn


def put_function_recursion_config(call: Call) -> Response:
    fn = _unqualified_function(call)
    if isinstance(fn, Response):
        return fn
    fn.lc_recursive_loop = call.params["RecursiveLoop"]
    return respond({"RecursiveLoop": fn.lc_recursive_loop})


def get_function_recursion_config(call: Call) -> Response:
    fn = _unqualified_function(call)
    if isinstance(fn, Response):
        return fn
    return respond({"RecursiveLoop": getattr(fn, "lc_recursive_loop", "Terminate")})


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


# -- delete function -----------------------------------------------------------------------------------------


def delete_function(call: Call) -> Response | None:
    """$LATEST alone cannot be deleted; a missing function is named without its qualifier; deleting a version
    that does not exist (any more) succeeds, as AWS's delete is idempotent."""
    name, qualifier = call.target()
    if qualifier == "$LATEST":
        message = "$LATEST version cannot be deleted without deleting the function."
        return error(400, "InvalidParameterValueException", message)
    if call.latest(name) is None:
        return function_not_found(call.arn(name))
    if qualifier and qualifier.isdigit() and not call.version_exists(name, qualifier):
        return Response(status=204)
    return None


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
    return fn if fn is not None else function_not_found(arn)


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
    refusal = _size_refusal(call) or _layer_refusal(call)
    if refusal is not None:
        return refusal
    if len(call.params.get("Tags") or {}) > MAX_TAGS:
        return error(400, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
    return None


# -- layers ----------------------------------------------------------------------------------------------------
MAX_LAYERS = 5


def _layer_refusal(call: Call) -> Response | None:
    """What AWS refuses about a function's Layers: more than five, another region's, two versions of one layer,
    a version that does not exist."""
    layers = call.params.get("Layers")
    if not isinstance(layers, list):
        return None
    if len(layers) > MAX_LAYERS:
        return error(400, "InvalidParameterValueException", "Cannot reference more than 5 layers.")
    for arn in layers:
        if str(arn).split(":")[3:4] != [call.region]:
            message = "Layers are not in the same region as the function. "
            message += f"Layers are expected to be in region {call.region}."
            return error(400, "InvalidParameterValueException", message)
    for index, arn in enumerate(layers):
        for other in layers[index + 1 :]:
            if str(arn).rsplit(":", 1)[0] == str(other).rsplit(":", 1)[0]:
                message = (
                    "Two different versions of the same layer are not allowed to be referenced in the same function. "
                    f"{arn} and {other} are versions of the same layer."
                )
                return error(400, "InvalidParameterValueException", message)
    for arn in layers:
        if call.backend.layers_versions_by_arn(str(arn)) is None:
            return error(400, "InvalidParameterValueException", f"Layer version {arn} does not exist.")
    return None


def get_layer_version_by_arn(call: Call) -> Response:
    found = call.backend.layers_versions_by_arn(str(call.params.get("Arn")))
    if found is None:
        message = "The resource you requested does not exist."
        return error(404, "ResourceNotFoundException", message, message_key="Message")
    return respond(found.get_layer_version())


# -- event source mappings ---------------------------------------------------------------------------------


def create_event_source_mapping(call: Call) -> Response | None:
    """AWS's refusals before a mapping is made: no source, a destination for an SQS source, no function."""
    source = str(call.params.get("EventSourceArn") or "")
    if not source:
        return error(400, "InvalidParameterValueException", "Unrecognized event source.")
    if call.params.get("DestinationConfig") and source.split(":")[2:3] == ["sqs"]:
        message = "Unsupported DestinationConfig parameter for given event source mapping type."
        return error(400, "InvalidParameterValueException", message)
    if call.latest(call.target()[0]) is None:
        return error(400, "InvalidParameterValueException", "Function does not exist")
    return None


def event_source_mapping_by_uuid(call: Call) -> Response | None:
    """Update or delete of a mapping that does not exist (moto answered an empty 404 or a 500)."""
    if call.params.get("UUID") in call.backend._event_source_mappings:
        return None
    message = "The resource you requested does not exist."
    return error(404, "ResourceNotFoundException", message, message_key="Message")


# -- sizes ---------------------------------------------------------------------------------------------------
MAX_REQUEST = 70167211  # CreateFunction's whole request
MAX_ENVIRONMENT = 4096  # the variables as compact JSON


def _size_refusal(call: Call) -> Response | None:
    """The code and request size limits (an inline package zipped, then the request, then any package unzipped) and
    the 4 KB environment."""
    code = call.params.get("Code") or call.params
    zipped = _zip_bytes(call, code)
    if code.get("ZipFile") and zipped is not None and len(zipped) > ACCOUNT_LIMIT["CodeSizeZipped"]:
        message = f"Zipped size must be smaller than {ACCOUNT_LIMIT['CodeSizeZipped']} bytes"
        return error(413, "RequestEntityTooLargeException", message, user_type=False)
    if call.size > MAX_REQUEST:
        message = f"Request must be smaller than {MAX_REQUEST} bytes for the CreateFunction operation"
        return error(413, "RequestEntityTooLargeException", message, user_type=False)
    if code.get("ZipFile") and zipped is not None and not zipfile.is_zipfile(io.BytesIO(zipped)):
        message = "Could not unzip uploaded file. Please check your file, then try to upload again."
        return error(400, "InvalidParameterValueException", message)
    if zipped is not None and _unzipped_size(zipped) >= ACCOUNT_LIMIT["CodeSizeUnzipped"]:
        message = f"Unzipped size must be smaller than {ACCOUNT_LIMIT['CodeSizeUnzipped']} bytes"
        return error(400, "InvalidParameterValueException", message)
    variables = (call.params.get("Environment") or {}).get("Variables")
    measured = json.dumps(variables, separators=(",", ":"), ensure_ascii=False) if variables else ""
    if len(measured.encode()) > MAX_ENVIRONMENT:
        message = (
            "Lambda was unable to configure your environment variables because the environment variables you have "
            f"provided exceeded the 4KB limit. String measured: {measured}"
        )
        return error(400, "InvalidParameterValueException", message)
    return None


def _zip_bytes(call: Call, code: dict[str, Any]) -> bytes | None:
    """The deployment package a request names: inline (base64) or in the local S3."""
    if code.get("ZipFile"):
        try:
            return base64.b64decode(code["ZipFile"])
        except ValueError:
            return None
    if code.get("S3Bucket") and code.get("S3Key"):
        from moto.s3.models import s3_backends

        try:
            key = s3_backends[call.account]["aws"].get_object(code["S3Bucket"], code["S3Key"])
        except Exception:  # a missing bucket or key is moto's to answer
            return None
        return bytes(key.value) if key is not None else None
    return None


def _unzipped_size(zipped: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return 0


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


def publish_version(call: Call) -> Response | None:
    """PublishVersion with CodeSha256: it must be $LATEST's."""
    refusal = function_revision_check(call)
    fn = call.latest(call.target()[0])
    given = call.params.get("CodeSha256")
    if refusal is None and fn is not None and given is not None and given != fn.code_sha_256:
        message = (
            f"CodeSHA256 ({given}) is different from current CodeSHA256 in $LATEST ({fn.code_sha_256}). "
            "Please try again with the CodeSHA256 in $LATEST."
        )
        return error(400, "InvalidParameterValueException", message)
    return refusal


def update_function_code(call: Call) -> Response | None:
    return _size_refusal(call) or function_revision_check(call)


def update_function_configuration(call: Call) -> Response | None:
    return _size_refusal(call) or _layer_refusal(call) or function_revision_check(call)


def update_alias(call: Call) -> Response | None:
    name = call.target()[0]
    if call.latest(name) is None:
        return None  # moto names the missing function
    alias_name = str(call.params.get("Name"))
    alias = call.alias(name, alias_name)
    if alias is None:
        arn = call.arn(name, alias_name)
        return error(404, "ResourceNotFoundException", f"Alias not found: {arn}", message_key="Message")
    return _revision_refusal(call, alias.revision_id) or _routing_refusal(call, alias.function_version)


def create_alias(call: Call) -> Response | None:
    name = call.target()[0]
    version = str(call.params.get("FunctionVersion"))
    if call.latest(name) is None:
        return function_not_found(call.arn(name, version))
    alias_name = str(call.params.get("Name"))
    if call.alias(name, alias_name) is not None:
        message = f"Alias already exists: {call.arn(name, alias_name)}"
        return error(409, "ResourceConflictException", message)
    return _routing_refusal(call, version)


def _routing_refusal(call: Call, version: str) -> Response | None:
    """What AWS refuses about an alias's FunctionVersion and RoutingConfig that the model allows."""
    name = call.target()[0]
    version = str(call.params.get("FunctionVersion") or version)
    weights = ((call.params.get("RoutingConfig") or {}).get("AdditionalVersionWeights")) or {}
    if len(weights) > 1:
        message = "Number of items in AdditionalVersionWeights cannot be greater than 1"
        return error(400, "InvalidParameterValueException", message)
    if version in weights:
        message = f"Invalid function version {version}. Function version {version} is already included in routing "
        return error(400, "InvalidParameterValueException", message + "configuration.")
    for needed in (version, *weights):
        if needed != "$LATEST" and not call.version_exists(name, needed):
            return function_not_found(call.arn(name, needed))
    if version == "$LATEST" and weights:
        message = "$LATEST is not supported for an alias pointing to more than 1 version"
        return error(400, "InvalidParameterValueException", message, user_type=False)
    return None


def list_aliases(call: Call) -> Response | None:
    """ListAliases with FunctionVersion: only the aliases of that version (moto listed all)."""
    name, version = call.target()[0], call.params.get("FunctionVersion")
    if version is None or call.latest(name) is None:
        return None
    aliases = sorted(call.backend._lambdas._aliases[call.arn(name)].values(), key=lambda a: a.name)
    listed = [alias.to_json() for alias in aliases if alias.function_version == version]
    return respond({"Aliases": listed})


def _alias_json(self: Any) -> dict[str, Any]:
    """An alias as AWS shows it: no RoutingConfig without weights (moto showed an empty one, or null)."""
    from moto.awslambda.models import LambdaAlias

    shown: dict[str, Any] = original(LambdaAlias, "to_json")(self)
    if not (shown.get("RoutingConfig") or {}).get("AdditionalVersionWeights"):
        shown.pop("RoutingConfig", None)
    return shown


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
    "UpdateFunctionCode": update_function_code,
    "DeleteFunction": delete_function,
    "UpdateFunctionConfiguration": update_function_configuration,
    "PublishVersion": publish_version,
    "UpdateAlias": update_alias,
    "CreateAlias": create_alias,
    "ListAliases": list_aliases,
    "GetLayerVersionByArn": get_layer_version_by_arn,
    "CreateEventSourceMapping": create_event_source_mapping,
    "UpdateEventSourceMapping": event_source_mapping_by_uuid,
    "DeleteEventSourceMapping": event_source_mapping_by_uuid,
}


def answer(request: Request) -> Response | None:
    """This layer's answer to a (valid) Lambda request, or None (moto's turn)."""
    if ANSWER_KEY in request.environ:
        return request.environ[ANSWER_KEY]
    verdict: Response | None = None
    found = lambda_api.parsed(request)
    if found is not None and found[0].name in HANDLERS:
        operation, params, region = found
        call = Call(params, region, os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT), request.content_length or 0)
        verdict = HANDLERS[operation.name](call)
    request.environ[ANSWER_KEY] = verdict
    return verdict


def install(cloud: LocalCloud) -> None:
    from moto.awslambda.models import LambdaAlias

    replace(LambdaAlias, "update", _alias_update)
    replace(LambdaAlias, "to_json", _alias_json)
    cloud.add_route("lambda operations", lambda r: answer(r) is not None, lambda r: answer(r) or Response(status=500))
