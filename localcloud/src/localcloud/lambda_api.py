"""Lambda's control-plane API answered as AWS answers it where moto 5.2.5 does not: request validation,
GetAccountSettings, error bodies and the function configuration's shape.

- **Validation.** AWS checks every request against the service model before the service sees it and
  answers `ValidationException` with `N validation error(s) detected: Value 'x' at 'functionName' failed
  to satisfy constraint: ...` (pattern, length, value range, enum). moto checks none of it, so an invalid
  function name or qualifier reached the backend and came back `ResourceNotFoundException` or worse.
  The constraints are botocore's copy of the service model (the same patterns AWS quotes). A function ARN
  of another region is `ResourceNotFoundException` ("Functions from 'x' are not reachable in this
  region"), and a qualifier that contradicts the one in the function name `InvalidParameterValueException`.
- **GetAccountSettings** (moto has no route for it): AWS's default quotas and the code stored. Other
  operations moto lacks answer `UnknownOperationException` (rest_operations.py).
- **Error bodies.** AWS's `ResourceNotFoundException` carries `Type` and `Message`, `ValidationException`
  only `message`, the service's other errors `Type` and `message`; moto sends `__type` and `message`.
- **Function shape** (`get_configuration`): see `_configuration`.

Validation is one route, in front of moto and of the invoke route (lambda_runner.py), for requests signed
for the `lambda` service.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from werkzeug.wrappers import Request, Response

from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

    from localcloud.server import LocalCloud

SIGNED_FOR_LAMBDA = re.compile(r"Credential=[^/]+/\d+/(?P<region>[^/]+)/lambda/aws4_request")
ANSWER_KEY = "localcloud.lambda_api.answer"  # the route's verdict, computed once per request
# Coral models Runtime as a plain string: an unknown runtime is the service's InvalidParameterValueException
# (with a message of its own), never a model-validation error.
NOT_MODEL_VALIDATED = frozenset({"Runtime"})
# Enums whose values Coral quotes in another order than botocore's copy of the model lists them.
ENUM_ORDER = {"RecursiveLoop": ["Terminate", "Allow"]}
# The runtimes CreateFunction takes, in the order AWS's refusal lists them, and those it no longer takes.
RUNTIMES = [
    "nodejs20.x",
    "python3.14",
    "provided.al2023",
    "python3.12",
    "python3.13",
    "nodejs24.x",
    "nodejs22.x",
    "java25",
    "python3.10",
    "python3.11",
    "java21",
    "ruby3.3",
    "ruby3.4",
    "ruby3.2",
    "python3.8",
    "python3.9",
    "java17",
    "nodejs16.x",
    "dotnet10",
    "dotnet8",
    "java11",
    "dotnet6",
    "nodejs18.x",
    "provided.al2",
    "java8.al2",
]
DEPRECATED_RUNTIMES = frozenset(
    [
        "python2.7",
        "python3.6",
        "python3.7",
        "go1.x",
        "java8",
        "provided",
        "ruby2.5",
        "ruby2.7",
        "nodejs",
        "nodejs4.3",
        "nodejs4.3-edge",
        "nodejs6.10",
        "nodejs8.10",
        "nodejs10.x",
        "nodejs12.x",
        "nodejs14.x",
        "dotnetcore1.0",
        "dotnetcore2.0",
        "dotnetcore2.1",
        "dotnetcore3.1",
    ]
)
NUMBERS = ("integer", "long", "float", "double")
MAX_FUNCTION_NAME = 64  # the name itself; the model's 140 (or 256) bounds the whole ARN
# AWS's account defaults (Lambda quotas page).
ACCOUNT_LIMIT = {
    "TotalCodeSize": 80530636800,
    "CodeSizeUnzipped": 262144000,
    "CodeSizeZipped": 52428800,
    "ConcurrentExecutions": 1000,
    "UnreservedConcurrentExecutions": 1000,
}


def error(status: int, code: str, message: str, *, user_type: bool = True, message_key: str = "message") -> Response:
    body: dict[str, Any] = {message_key: message}
    if user_type:
        body["Type"] = "User"
    headers = {"x-amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())}
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


# -- model validation ------------------------------------------------------------------------------


def _shown(value: Any, shape: Shape | None = None) -> str:
    """A value as Coral quotes it: lists as `[a, b]`, maps as `{k=v}`, a float-typed number as a float."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v, getattr(shape, "member", None)) for v in value) + "]"
    if isinstance(value, dict):
        inner = getattr(shape, "value", None)
        return "{" + ", ".join(f"{k}={_shown(v, inner)}" for k, v in value.items()) + "}"
    if shape is not None and shape.type_name in ("float", "double") and isinstance(value, int | float):
        return str(float(value))
    return str(value)


def _matches(pattern: str, value: str) -> bool:
    r"""Whether `value` satisfies a model pattern; one Python cannot read (Java's `\p{L}`) is not checked."""
    try:
        return re.fullmatch(pattern, value, re.DOTALL) is not None
    except re.error:
        return True


def _all_constraints(shape: Shape) -> list[str]:
    """Every constraint of a shape, as Coral lists them for a map's keys or values."""
    meta, unit = shape.metadata, "length" if shape.type_name == "string" else "value"
    found = [f"Member must have {unit} less than or equal to {meta['max']}"] if "max" in meta else []
    found += [f"Member must have {unit} greater than or equal to {meta['min']}"] if "min" in meta else []
    found += [f"Member must satisfy regular expression pattern: {meta['pattern']}"] if "pattern" in meta else []
    return found


def _constraints(shape: Shape, value: Any) -> list[str]:
    """The constraints `value` breaks, in Coral's words."""
    meta = shape.metadata
    broken: list[str] = []
    if shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            broken.append(f"Member must have length less than or equal to {meta['max']}")
        if "min" in meta and len(value) < meta["min"]:
            broken.append(f"Member must have length greater than or equal to {meta['min']}")
        if "pattern" in meta and not _matches(meta["pattern"], value):
            broken.append(f"Member must satisfy regular expression pattern: {meta['pattern']}")
        if shape.enum and shape.name not in NOT_MODEL_VALIDATED and value not in shape.enum:
            enum = ENUM_ORDER.get(shape.name, shape.enum)
            broken.append(f"Member must satisfy enum value set: [{', '.join(enum)}]")
    elif shape.type_name in NUMBERS and isinstance(value, int | float) and not isinstance(value, bool):
        if "max" in meta and value > meta["max"]:
            broken.append(f"Member must have value less than or equal to {meta['max']}")
        if "min" in meta and value < meta["min"]:
            broken.append(f"Member must have value greater than or equal to {meta['min']}")
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            broken.append(f"Member must have length less than or equal to {meta['max']}")
        member = shape.member
        inner = sorted({c for item in value for c in _constraints(member, item)})
        if inner:  # an enum's member: what it breaks; any other: every constraint it has (and not null, both)
            listed = [*(inner if member.enum else _all_constraints(member)), "Member must not be null"]
            broken.append(f"Member must satisfy constraint: [{', '.join(listed)}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        if any(_constraints(shape.key, k) for k in value):
            broken.append(f"Map keys must satisfy constraint: [{', '.join(_all_constraints(shape.key))}]")
        if any(_constraints(shape.value, v) for v in value.values()):
            listed = [*_all_constraints(shape.value), "Member must not be null"]
            broken.append(f"Map value must satisfy constraint: [{', '.join(listed)}]")
    return broken


def validation_errors(operation: OperationModel, params: dict[str, Any]) -> list[str]:
    """Coral's messages for the members of `params` (keyed by member name) that break the model, nested
    structures included (`destinationConfig.onFailure.destination`)."""
    members = operation.input_shape.members if operation.input_shape is not None else {}
    return _member_errors(members, params, "")


def _member_errors(members: dict[str, Shape], values: dict[str, Any], prefix: str) -> list[str]:
    errors: list[str] = []
    for name, value in values.items():
        shape = members.get(name)
        if shape is None or value is None:
            continue
        field = prefix + name[0].lower() + name[1:]
        if shape.type_name == "structure" and isinstance(value, dict):
            errors += _member_errors(shape.members, value, f"{field}.")
            continue
        shown = _shown(value, shape)
        errors += [
            f"Value '{shown}' at '{field}' failed to satisfy constraint: {c}" for c in _constraints(shape, value)
        ]
    return errors


def _validation_exception(errors: list[str]) -> Response:
    count = f"{len(errors)} validation error{'s' if len(errors) > 1 else ''} detected: "
    return error(400, "ValidationException", count + "; ".join(errors), user_type=False)


# -- the request -----------------------------------------------------------------------------------


def _params(request: Request, operation: OperationModel, uri_params: dict[str, Any]) -> dict[str, Any]:
    """The request's members by member name: path, query string and (for JSON operations) the body."""
    params: dict[str, Any] = {}
    payload = operation.input_shape.serialization.get("payload") if operation.input_shape is not None else None
    members = operation.input_shape.members if operation.input_shape is not None else {}
    for name, shape in members.items():
        location = shape.serialization.get("location")
        key = shape.serialization.get("name", name)
        if location == "uri" and key in uri_params:
            params[name] = unquote(str(uri_params[key]))
        elif location == "querystring" and key in request.args:
            params[name] = request.args.get(key)
    if payload is None and request.method in ("POST", "PUT") and request.content_length:
        body = request.get_data(cache=True)
        request.environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
        try:
            document = json.loads(body)
        except ValueError:
            document = None
        if isinstance(document, dict):
            params.update({k: v for k, v in document.items() if k in members and k not in params})
    return params


def _semantic_refusal(operation: OperationModel, params: dict[str, Any], region: str) -> Response | None:
    """What the service itself refuses about a valid function name, before looking the function up."""
    name, qualifier = params.get("FunctionName"), params.get("Qualifier")
    if not isinstance(name, str):
        return None
    if operation.name == "CreateFunction":
        base = re.sub(r"^arn:[^:]*:lambda:[^:]*:[^:]*:function:|^(\d{12}:)?function:", "", name).split(":")[0]
        if len(base) > MAX_FUNCTION_NAME:
            constraint = f"Member must have length less than or equal to {MAX_FUNCTION_NAME}"
            message = f"Value '{base}' at 'functionName' failed to satisfy constraint: {constraint}"
            return error(400, "InvalidParameterValueException", f"1 validation error detected: {message}")
    runtime = params.get("Runtime")
    if operation.name in ("CreateFunction", "UpdateFunctionConfiguration") and isinstance(runtime, str):
        if runtime in DEPRECATED_RUNTIMES:
            return error(
                400,
                "InvalidParameterValueException",
                f"The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda "
                "functions. We recommend you use a supported runtime while creating or updating functions.",
            )
        if runtime not in RUNTIMES:
            return error(
                400,
                "InvalidParameterValueException",
                f"Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: "
                f"[{', '.join(RUNTIMES)}] or be a valid ARN",
            )
    parts = name.split(":")
    if name.startswith("arn:") and len(parts) > 3 and parts[3] and parts[3] != region:
        return error(
            404,
            "ResourceNotFoundException",
            f"Functions from '{parts[3]}' are not reachable in this region ('{region}')",
            message_key="Message",
        )
    account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)
    if operation.name == "CreateFunction" and name.startswith("arn:") and len(parts) > 4 and parts[4] != account:
        headers = {"x-amzn-ErrorType": "AccessDeniedException", "x-amzn-RequestId": str(uuid.uuid4())}
        return Response(json.dumps({"Message": None}), status=403, headers=headers, mimetype="application/json")
    # the qualifier in the name: arn:...:function:name:q, account:function:name:q or name:q
    derived = parts[7] if len(parts) == 8 else parts[3] if len(parts) == 4 else parts[1] if len(parts) == 2 else None
    if qualifier is not None and derived is not None and derived != qualifier:
        return error(
            400,
            "InvalidParameterValueException",
            "The derived qualifier from the function name does not match the specified qualifier.",
        )
    return None


def answer(request: Request) -> Response | None:
    """The route's verdict for a request signed for Lambda: an error or local answer, or None (moto's turn)."""
    if ANSWER_KEY in request.environ:
        return request.environ[ANSWER_KEY]
    verdict = _verdict(request)
    request.environ[ANSWER_KEY] = verdict
    return verdict


PARSED_KEY = "localcloud.lambda_api.parsed"


def parsed(request: Request) -> tuple[OperationModel, dict[str, Any], str] | None:
    """The operation a request signed for Lambda names, its members by member name and its region, or None."""
    if PARSED_KEY in request.environ:
        return request.environ[PARSED_KEY]
    from moto.core.request import Request as MotoRequest
    from moto.core.routing import get_service_router
    from werkzeug.exceptions import HTTPException

    result = None
    signed = SIGNED_FOR_LAMBDA.search(request.headers.get("Authorization", ""))
    if signed is not None:
        raw = MotoRequest(request.environ)  # moto routes the raw (still quoted) path
        try:
            operation, uri_params = get_service_router("lambda").match(raw)
            result = (operation, _params(request, operation, uri_params), signed["region"] or DEFAULT_REGION)
        except HTTPException:
            pass  # no operation: rest_operations answers
    request.environ[PARSED_KEY] = result
    return result


def _verdict(request: Request) -> Response | None:
    found = parsed(request)
    if found is None:
        return None
    operation, params, region = found
    errors = validation_errors(operation, params)
    if errors:
        return _validation_exception(errors)
    refusal = _semantic_refusal(operation, params, region)
    if refusal is not None:
        return refusal
    if operation.name == "GetAccountSettings":
        return _account_settings(region)
    _expand_partial_arn(request, params, region)
    return None


# `123456789012:function:name[:q]`, `function:name[:q]`, and `arn:aws:lambda:region:123456789012:name`, an ARN
# without `function:` (the model's pattern reads the last part as the name)
PARTIAL_ARN = re.compile(
    r"^(?:(?P<account>\d{12}):)?function:(?P<rest>[^:]+(?::[^:]+)?)$"
    r"|^arn:[^:]+:lambda:[^:]*:(?P<arn_account>\d{12}):(?P<name>[^:]+)$"
)


def _expand_partial_arn(request: Request, params: dict[str, Any], region: str) -> None:
    """A partial ARN in the path (PARTIAL_ARN) becomes the full ARN, which moto understands (it split a partial one
    as `name:qualifier` and failed with a 500)."""
    name = params.get("FunctionName")
    found = PARTIAL_ARN.match(name) if isinstance(name, str) else None
    if found is None or not isinstance(name, str):
        return
    account = found["account"] or found["arn_account"] or os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)
    full = f"arn:aws:lambda:{region}:{account}:function:{found['rest'] or found['name']}"
    environ = request.environ
    for key in ("RAW_URI", "REQUEST_URI"):
        if key in environ:
            environ[key] = environ[key].replace(quote(name, safe=""), quote(full, safe="")).replace(name, full)
    environ["PATH_INFO"] = environ.get("PATH_INFO", "").replace(name, full)


def _account_settings(region: str) -> Response:
    """GetAccountSettings: AWS's default quotas, and the code stored (every function version and layer version)."""
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)][region]
    functions = list(backend.list_functions())
    total = sum(int(v.code_size or 0) for fn in functions for v in backend.list_versions_by_function(fn.function_name))
    for layer in backend.list_layers():
        total += sum(int(lv.code_size or 0) for lv in backend.list_layer_versions(layer["LayerName"]))
    body = {"AccountLimit": ACCOUNT_LIMIT, "AccountUsage": {"TotalCodeSize": total, "FunctionCount": len(functions)}}
    return Response(json.dumps(body), status=200, mimetype="application/json")


# -- the function configuration's shape -----------------------------------------------------------
# AWS answers CreateFunction with State Pending (StateReason "The function is being created."), an update
# with LastUpdateStatus InProgress, and the next read with Active / Successful; each of those transitions
# is a new RevisionId. Every configuration has a RevisionId, a LoggingConfig, a RuntimeVersionConfig (zip
# functions), an Environment when one was given (also empty), Layers only when there are some, and SnapStart's
# ApplyOn as created or updated (moto kept `None`). Listings leave the state out; a published version has a
# RevisionId of its own, and publishing is a new revision of $LATEST too.
BEING_CREATED = {"Reason": "The function is being created.", "ReasonCode": "Creating"}


def _init(self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:
    name = str(spec.get("FunctionName", ""))
    if ":" in name:  # CreateFunction takes a full or partial ARN: the function is named by its last part
        spec = {**spec, "FunctionName": name.split(":")[-1]}
    original(_function_class(), "__init__")(self, account_id, spec, *args, **kwargs)
    self.lc_has_environment = "Environment" in spec
    self.lc_logging_config = dict(spec.get("LoggingConfig") or {})
    self.lc_snap_start = (spec.get("SnapStart") or {}).get("ApplyOn", "None")
    self.lc_revision_id = str(uuid.uuid4())
    self.lc_transition = False  # a Pending or InProgress answered, not yet read back
    self.lc_updating = False


def _update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
    if "Environment" in config_updates:
        self.lc_has_environment = True
    if "SnapStart" in config_updates:
        self.lc_snap_start = (config_updates["SnapStart"] or {}).get("ApplyOn", "None")
    if "LoggingConfig" in config_updates:
        self.lc_logging_config = {**getattr(self, "lc_logging_config", {}), **(config_updates["LoggingConfig"] or {})}
    self.lc_updating = True
    try:
        return original(_function_class(), "update_configuration")(self, config_updates)
    finally:
        self.lc_updating = False


def _update_function_code(self: Any, updated_spec: dict[str, Any]) -> Any:
    self.lc_updating = True
    try:
        return original(_function_class(), "update_function_code")(self, updated_spec)
    finally:
        self.lc_updating = False


def _logging_config(self: Any) -> dict[str, Any]:
    given = getattr(self, "lc_logging_config", {})
    config: dict[str, Any] = {"LogFormat": given.get("LogFormat", "Text")}
    if config["LogFormat"] == "JSON":
        config["ApplicationLogLevel"] = given.get("ApplicationLogLevel", "INFO")
        config["SystemLogLevel"] = given.get("SystemLogLevel", "INFO")
    config["LogGroup"] = given.get("LogGroup") or f"/aws/lambda/{self.function_name}"
    return config


def _configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
    config: dict[str, Any] = original(_function_class(), "get_configuration")(self, on_create)
    config = {k: v for k, v in config.items() if v is not None}
    if not config.get("Layers"):
        config.pop("Layers", None)
    if getattr(self, "lc_has_environment", False):
        config["Environment"] = {"Variables": dict(self.environment_vars or {})}
    config["LoggingConfig"] = _logging_config(self)
    if "VpcConfig" in config:
        config["VpcConfig"] = _vpc_config(self, config["VpcConfig"])
    config["SnapStart"] = {"ApplyOn": getattr(self, "lc_snap_start", "None"), "OptimizationStatus": "Off"}
    if config.get("PackageType", "Zip") == "Zip" and config.get("Runtime"):
        digest = hashlib.sha256(str(config["Runtime"]).encode()).hexdigest()
        config["RuntimeVersionConfig"] = {"RuntimeVersionArn": f"arn:aws:lambda:{self.region}::runtime:{digest}"}
    if on_create or getattr(self, "lc_updating", False):
        self.lc_revision_id, self.lc_transition = str(uuid.uuid4()), True
        if on_create:
            config.update(
                State="Pending", StateReason=BEING_CREATED["Reason"], StateReasonCode=BEING_CREATED["ReasonCode"]
            )
        else:
            config.update(
                LastUpdateStatus="InProgress",
                LastUpdateStatusReason=BEING_CREATED["Reason"],
                LastUpdateStatusReasonCode=BEING_CREATED["ReasonCode"],
            )
    elif getattr(self, "lc_transition", False):
        self.lc_revision_id, self.lc_transition = str(uuid.uuid4()), False
    config["RevisionId"] = getattr(self, "lc_revision_id", None) or str(uuid.uuid4())
    return config


def new_revision(fn: Any) -> None:
    """A change that AWS counts as a new revision of the function (a tag, a permission)."""
    fn.lc_revision_id, fn.lc_transition = str(uuid.uuid4()), False


def current_revision(fn: Any) -> str:
    """The RevisionId a read of the function would show now (a Pending or InProgress answered has settled)."""
    if getattr(fn, "lc_transition", False):
        new_revision(fn)
    return str(getattr(fn, "lc_revision_id", ""))


# What AWS leaves out of the configurations ListFunctions and ListVersionsByFunction list.
NOT_LISTED = (
    "State",
    "StateReason",
    "StateReasonCode",
    "LastUpdateStatus",
    "LastUpdateStatusReason",
    "LastUpdateStatusReasonCode",
    "RuntimeVersionConfig",
)


def _listing(method: str, key: str) -> Any:
    def listed(self: Any) -> str:
        from moto.awslambda.responses import LambdaResponse

        document = json.loads(original(LambdaResponse, method)(self))
        for config in document[key]:
            for name in NOT_LISTED:
                config.pop(name, None)
        return json.dumps(document)

    return listed


def _publish_version(self: Any, name_or_arn: str, description: str = "") -> Any:
    """moto's publish, the new version with a revision of its own (moto's copy kept $LATEST's)."""
    from moto.awslambda.models import LambdaStorage

    before = {id(v) for fns in self._functions.values() for v in fns["versions"]}
    fn = original(LambdaStorage, "publish_version")(self, name_or_arn, description)
    if fn is not None and id(fn) not in before:
        from moto.awslambda.policy import Policy

        fn.policy = Policy(fn)  # a version starts without $LATEST's permissions (moto's copy shared them)
        new_revision(fn)
        new_revision(self._functions[fn.function_name]["latest"])  # publishing is a change of $LATEST too
    return fn


def _set_configuration_qualifier(configuration: dict[str, Any], function_name: str, qualifier: str) -> dict[str, Any]:
    """GetFunction(Configuration) through an alias: the alias's ARN (moto showed the version's)."""
    from moto.awslambda.responses import LambdaResponse

    configuration = original(LambdaResponse, "_set_configuration_qualifier")(configuration, function_name, qualifier)
    tail = function_name.split(":function:")[-1] if function_name.startswith("arn:") else function_name
    alias = tail.split(":")[1] if ":" in tail else qualifier
    if alias and alias != "$LATEST" and not alias.isdigit():
        base = configuration["FunctionArn"].split(":function:")[0]
        configuration["FunctionArn"] = f"{base}:function:{configuration['FunctionName']}:{alias}"
    return configuration


def _layer_version(self: Any) -> dict[str, Any]:
    """A layer version as AWS shows it: a Description always (empty by default), LicenseInfo only when given."""
    from moto.awslambda.models import LayerVersion

    version: dict[str, Any] = original(LayerVersion, "get_layer_version")(self)
    version["Description"] = self.description or ""
    if not self.license_info:
        version.pop("LicenseInfo", None)
    return version


def _vpc_config(fn: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The VPC the subnets are in (moto answered `vpc-123abc`), or "" once the config is emptied."""
    from moto.ec2.models import ec2_backends

    subnets = list(given.get("SubnetIds") or [])
    vpc_id = ""
    if subnets:
        try:
            vpc_id = ec2_backends[fn.account_id][fn.region].get_subnet(subnets[0]).vpc_id
        except Exception:  # a subnet EC2 does not know: AWS would have refused it
            vpc_id = given.get("VpcId", "")
    shown = {"Ipv6AllowedForDualStack": False, "SecurityGroupIds": [], **given, "SubnetIds": subnets}
    return {**shown, "VpcId": vpc_id}


def _client_error_init(self: Any, error: str, message: str) -> None:
    """moto's LambdaClientError, with the body AWS sends for its code (moto answers with `description`)."""
    from moto.awslambda.exceptions import LambdaClientError

    original(LambdaClientError, "__init__")(self, error, message)
    body: dict[str, Any] = {"__type": error, "Type": "User", "message": message}
    if error == "ResourceNotFoundException":
        body = {"__type": error, "Type": "User", "Message": message}
    elif error == "ValidationException":
        body = {"__type": error, "message": message}
    self.description = json.dumps(body)


def _function_class() -> Any:
    """moto's LambdaFunction, imported late: moto loads after the settings (server.configure_moto_environment)."""
    from moto.awslambda.models import LambdaFunction

    return LambdaFunction


def install(cloud: LocalCloud) -> None:
    from moto.awslambda import urls
    from moto.awslambda.exceptions import LambdaClientError
    from moto.awslambda.models import LambdaStorage, LayerVersion
    from moto.awslambda.responses import LambdaResponse

    replace(LambdaClientError, "__init__", _client_error_init)
    replace(LambdaStorage, "publish_version", _publish_version)
    replace(LayerVersion, "get_layer_version", _layer_version)
    replace(LambdaResponse, "_set_configuration_qualifier", staticmethod(_set_configuration_qualifier))
    for method, key in (("list_functions", "Functions"), ("list_versions_by_function", "Versions")):
        replace(LambdaResponse, method, _listing(method, key))
    cls = _function_class()
    replace(cls, "__init__", _init)
    replace(cls, "update_configuration", _update_configuration)
    replace(cls, "update_function_code", _update_function_code)
    replace(cls, "get_configuration", _configuration)
    # moto's URL map takes no `$` or `.` in a function name, so `name:$LATEST` and names AWS allows on reads
    # were an HTML 404 before any handler ran. (`\x24`: moto strips every literal `$` from its URL patterns.)
    routable = {path.replace(r"[\w_:%-]+", r"[\w_:%\x24.-]+"): handler for path, handler in urls.url_paths.items()}
    replace(urls, "url_paths", routable)
    cloud.add_route("lambda api", lambda r: answer(r) is not None, lambda r: answer(r) or Response(status=500))
