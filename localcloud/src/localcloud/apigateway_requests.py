"""API Gateway's control-plane requests checked and completed as AWS answers them where moto 5.2.5 does not.

One route, in front of moto (and of rest_operations' `UnknownOperationException`), for requests signed for
`apigateway`. It finds the operation in botocore's copy of the service model, reads its members (path, query
string, JSON body) and looks the operation up in `HANDLERS`: a handler either answers itself (a dict, the
JSON document of the success, sent with the operation's modelled status code), raises `ApiError` (AWS's
error, JSON with `x-amzn-ErrorType`), or returns None to leave the request to moto. Handlers read and write
moto's own objects in its backend; nothing is kept here.

- **Patch operations** (`patch`): every Update* operation first refuses an `op` outside the model's enum
  (`ValidationException`, `updateXInput.patchOperations.N.member.op`), then a path or op the part does not
  support, in AWS's words (`Invalid patch path  '/x' specified for op 'replace'. Must be one of: [...]`).
- **REST APIs**: CreateRestApi keeps `version` and `binaryMediaTypes` (moto dropped them, and answered a
  `version` `V1` nobody gave) and refuses what AWS refuses (empty description, endpoint types, compression
  size); UpdateRestApi applies AWS's patch paths (`/binaryMediaTypes/image~1png` adds `image/png`,
  `/minimumCompressionSize`, `/endpointConfiguration/...`), where moto wrote `''` into the media types.
- **Resources**: UpdateResource (moto has none: pathPart and parentId, never cyclical nor two siblings of
  one name), DeleteResource deletes the resource's descendants (moto left orphans that broke GetResources),
  CreateResource refuses a second sibling of the same name or a second variable sibling, and children of a
  greedy `{proxy+}`.
- **Request validators**: looked up in a REST API that does not exist, they are the missing validator
  (a create is `BadRequestException`); UpdateRequestValidator (moto: an HTML 500).

The other parts register their handlers here from their own modules (`PARTS`): methods, integrations, their
responses and models (apigateway_parts.py), documentation parts (apigateway_documentation.py), gateway
responses (apigateway_gateway_responses.py), stages, VPC links and authorizers (apigateway_stages.py) and
TestInvokeMethod (apigateway_test_invoke.py).
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from localcloud.config import DEFAULT_ACCOUNT, DEFAULT_REGION

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

SIGNED_FOR_APIGATEWAY = re.compile(r"Credential=[^/]+/\d+/(?P<region>[^/]+)/apigateway/aws4_request")
ANSWER_KEY = "localcloud.apigateway_requests.answer"
PATCH_OPS = ("add", "remove", "move", "test", "replace", "copy")
ENDPOINT_TYPES = ("PRIVATE", "EDGE", "REGIONAL")
IP_ADDRESS_TYPES = ("ipv4", "dualstack")
MAX_COMPRESSION = 10485760
PARTS = (
    "localcloud.apigateway_documentation",
    "localcloud.apigateway_parts",
    "localcloud.apigateway_gateway_responses",
    "localcloud.apigateway_stages",
    "localcloud.apigateway_test_invoke",
)


class ApiError(Exception):
    """An error API Gateway answers: its code (the `x-amzn-ErrorType`), message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequestException", message)


def not_found(message: str) -> ApiError:
    return ApiError("NotFoundException", message, 404)


def conflict(message: str) -> ApiError:
    return ApiError("ConflictException", message, 409)


@dataclass
class Call:
    """One request: the operation's name, its members by member name, and moto's backend for its region."""

    operation: str
    params: dict[str, Any]
    backend: Any  # moto.apigateway.models.APIGatewayBackend
    body: bytes = b""

    def rest_api(self) -> Any:
        return self.backend.get_rest_api(self.params["restApiId"])  # apigateway_api names a missing one

    def resource(self) -> Any:
        return self.backend.get_resource(self.params["restApiId"], self.params["resourceId"])

    def api_of_resource(self) -> Any:
        """The REST API of the resource named; a missing API is the missing resource, as AWS says."""
        self.resource()
        return self.backend.apis[self.params["restApiId"]]

    def patch_operations(self) -> list[dict[str, Any]]:
        return list(self.params.get("patchOperations") or [])


Handler = Callable[[Call], "dict[str, Any] | None"]
HANDLERS: dict[str, Handler] = {}


def handles(*operations: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in operations:
            HANDLERS[name] = handler
        return handler

    return register


# -- patch operations -------------------------------------------------------------------------------


def check_ops(call: Call, extra: list[str] | None = None) -> None:
    """The model's enum for each patch operation's `op` (then `extra` errors), as AWS's request validation words it."""
    errors = [
        f"Value '{op.get('op')}' at '{call.operation[0].lower()}{call.operation[1:]}Input.patchOperations."
        f"{number}.member.op' failed to satisfy constraint: Member must satisfy enum value set: "
        f"[{', '.join(PATCH_OPS)}]"
        for number, op in enumerate(call.patch_operations(), start=1)
        if op.get("op") not in PATCH_OPS
    ] + list(extra or [])
    if errors:
        count = f"{len(errors)} validation error{'s' if len(errors) > 1 else ''} detected: "
        raise ApiError("ValidationException", count + "; ".join(errors))


def unsupported_path(op: dict[str, Any], replaceable: list[str]) -> ApiError:
    """AWS's refusal of a path the part does not take for the op."""
    if op["op"] == "replace":
        return bad_request(
            f"Invalid patch path  '{op.get('path')}' specified for op 'replace'. "
            f"Must be one of: [{', '.join(replaceable)}]"
        )
    return bad_request(
        f"Invalid patch path  '{op.get('path')}' specified for op '{op['op']}'. Please choose supported operations"
    )


@contextmanager
def all_or_nothing(part: Any) -> Iterator[None]:
    """An update applies every patch operation or, when one is refused, none (the part's fields restored)."""
    before = {k: copy.deepcopy(v) for k, v in vars(part).items() if not k.startswith("_")}
    try:
        yield
    except ApiError:
        vars(part).update(before)
        raise


def unescape(segment: str) -> str:
    """A JSON pointer segment: `image~1png` is `image/png`."""
    return segment.replace("~1", "/").replace("~0", "~")


def as_bool(value: Any) -> bool:
    return str(value).lower() == "true"


# -- REST APIs ----------------------------------------------------------------------------------------


def _endpoint_errors(config: dict[str, Any]) -> list[str]:
    errors = []
    types = config.get("types")
    if isinstance(types, list) and any(t not in ENDPOINT_TYPES for t in types):
        errors.append(
            f"Value '[{', '.join(map(str, types))}]' at 'createRestApiInput.endpointConfiguration.types' failed to "
            f"satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
            f"[{', '.join(ENDPOINT_TYPES)}]]"
        )
    ip_type = config.get("ipAddressType")
    if ip_type is not None and ip_type not in IP_ADDRESS_TYPES:
        errors.append(
            f"Value '{ip_type}' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(IP_ADDRESS_TYPES)}]"
        )
    return errors


def _compression(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = -1
    if not 0 <= size <= MAX_COMPRESSION:
        raise bad_request(f"Invalid minimum compression size, must be between 0 and {MAX_COMPRESSION}")
    return size


@handles("CreateRestApi")
def create_rest_api(call: Call) -> dict[str, Any]:
    p = call.params
    config = dict(p.get("endpointConfiguration") or {})
    errors = _endpoint_errors(config)
    if errors:
        count = f"{len(errors)} validation error{'s' if len(errors) > 1 else ''} detected: "
        raise ApiError("ValidationException", count + "; ".join(errors))
    if p.get("description") == "":
        raise bad_request("Description cannot be an empty string")
    compression = _compression(p.get("minimumCompressionSize"))
    if "types" in config and not config["types"]:
        raise bad_request("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.")
    if len(config.get("types") or []) > 1:
        raise bad_request("Cannot create an api with multiple Endpoint Types.")
    config.setdefault("types", ["EDGE"])
    private = config["types"] == ["PRIVATE"]
    if private and config.get("ipAddressType") == "ipv4":
        raise bad_request("Only dualstack ipAddressType is supported for Private APIs.")
    config.setdefault("ipAddressType", "dualstack" if private else "ipv4")
    tags = p.get("tags")
    api = call.backend.create_rest_api(
        p.get("name"),
        p.get("description"),
        api_key_source=p.get("apiKeySource"),
        endpoint_configuration=config,
        tags=tags,
        policy=p.get("policy"),
        minimum_compression_size=compression,
        disable_execute_api_endpoint=p.get("disableExecuteApiEndpoint"),
    )
    api.version = p.get("version")
    api.binaryMediaTypes = list(p.get("binaryMediaTypes") or [])
    from localcloud.apigateway_parts import add_default_models

    add_default_models(api)
    shown: dict[str, Any] = api.to_dict()
    return shown


def _patch_rest_api(api: Any, op: dict[str, Any]) -> None:
    path, value, kind = str(op.get("path")), op.get("value"), op["op"]
    if path.startswith("/binaryMediaTypes/"):
        media_type = unescape(path.removeprefix("/binaryMediaTypes/"))
        if media_type in api.binaryMediaTypes and kind in ("remove", "replace"):
            api.binaryMediaTypes.remove(media_type)
        if kind == "add" and media_type not in api.binaryMediaTypes:
            api.binaryMediaTypes.append(media_type)
        if kind == "replace" and value:
            api.binaryMediaTypes.append(value)
    elif path == "/binaryMediaTypes":
        raise bad_request("Invalid patch path /binaryMediaTypes")
    elif path == "/minimumCompressionSize":
        if kind != "replace":
            raise bad_request("Invalid patch operation specified. Must be one of: [replace]")
        api.minimum_compression_size = _compression(value)
    elif path == "/endpointConfiguration/ipAddressType":
        if kind != "replace":
            raise bad_request("Invalid patch operation specified. Must be one of: [replace]")
        if value not in IP_ADDRESS_TYPES:
            raise bad_request("ipAddressType must be either ipv4 or dualstack.")
        if value == "ipv4" and api.endpoint_configuration.get("types") == ["PRIVATE"]:
            raise bad_request("Only dualstack ipAddressType is supported for Private APIs.")
        api.endpoint_configuration["ipAddressType"] = value
    elif path.startswith("/endpointConfiguration/types"):
        if kind != "replace":
            raise bad_request("Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
        if value not in ENDPOINT_TYPES:
            raise bad_request("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE")
        api.endpoint_configuration["types"] = [value]
        if value == "PRIVATE":
            api.endpoint_configuration["ipAddressType"] = "dualstack"
        else:
            api.endpoint_configuration.setdefault("ipAddressType", "ipv4")
    elif path in ("/description", "/name", "/apiKeySource", "/policy", "/version") and kind in ("replace", "remove"):
        attribute = {"/apiKeySource": "api_key_source"}.get(path, path[1:])
        setattr(api, attribute, value if kind == "replace" else None)
    elif path == "/disableExecuteApiEndpoint" and kind == "replace":
        api.disableExecuteApiEndpoint = as_bool(value)
    else:
        raise bad_request(f"Invalid patch path {path}")


@handles("UpdateRestApi")
def update_rest_api(call: Call) -> dict[str, Any]:
    check_ops(call)
    api = call.rest_api()
    with all_or_nothing(api):
        for op in call.patch_operations():
            _patch_rest_api(api, op)
    shown: dict[str, Any] = api.to_dict()
    shown["tags"] = dict(api.tags or {})  # AWS answers an update with the tags, even none
    return shown


# -- resources ----------------------------------------------------------------------------------------


def _children(api: Any, resource_id: str) -> list[Any]:
    return [r for r in api.resources.values() if r.parent_id == resource_id]


def _check_sibling(api: Any, parent_id: str, path_part: str, moving: Any = None) -> None:
    siblings = [r for r in _children(api, parent_id) if r is not moving]
    if any(r.path_part == path_part for r in siblings):
        raise conflict(f"Another resource with the same parent already has this name: {path_part}")
    if path_part.startswith("{"):
        variable = next((r for r in siblings if r.path_part.startswith("{")), None)
        if variable is not None:
            raise bad_request(
                f"A sibling ({variable.path_part}) of this resource already has a variable path part "
                "-- only one is allowed"
            )


@handles("CreateResource")
def create_resource(call: Call) -> None:
    api = call.rest_api()
    parent = api.resources.get(call.params.get("parentId"))
    path_part = str(call.params.get("pathPart") or "")
    if parent is None or not path_part:
        return None  # moto's answer
    if parent.path_part and parent.path_part.endswith("+}"):
        raise bad_request(f"Cannot create a child of a resource with a greedy path variable: {parent.path_part}")
    _check_sibling(api, parent.id, path_part)
    return None


@handles("DeleteResource")
def delete_resource(call: Call) -> dict[str, Any]:
    api = call.rest_api()
    doomed = [call.resource()]
    for resource in doomed:  # grows as it goes: every descendant
        doomed += _children(api, resource.id)
    for resource in doomed:
        api.resources.pop(resource.id, None)
    return {}


@handles("UpdateResource")
def update_resource(call: Call) -> dict[str, Any]:
    check_ops(call)
    api, resource = call.rest_api(), call.resource()
    for op in call.patch_operations():
        path, value = op.get("path"), op.get("value")
        if op["op"] != "replace" or path not in ("/parentId", "/pathPart"):
            raise unsupported_path(op, ["/parentId", "/pathPart"])
        if resource.parent_id is None:
            raise bad_request(f"Root resource cannot update its {path[1:]}.")
        if path == "/pathPart":
            _check_sibling(api, resource.parent_id, str(value), moving=resource)
            resource.path_part = value
            continue
        parent = call.backend.get_resource(api.id, value)
        ancestor = parent
        while ancestor is not None:
            if ancestor is resource:
                raise bad_request("Resources cannot be cyclical.")
            ancestor = api.resources.get(ancestor.parent_id)
        _check_sibling(api, parent.id, resource.path_part, moving=resource)
        resource.parent_id = parent.id
    return {k: v for k, v in resource.to_dict().items() if k != "resourceMethods"}


# -- request validators -------------------------------------------------------------------------------


def _validator(call: Call) -> Any:
    api = call.backend.apis.get(call.params["restApiId"])
    validator = api.request_validators.get(call.params["requestValidatorId"]) if api is not None else None
    if validator is None:
        raise not_found("Invalid Request Validator identifier specified")
    return validator


@handles("CreateRequestValidator")
def create_request_validator(call: Call) -> None:
    if call.params["restApiId"] not in call.backend.apis:
        raise bad_request("Invalid REST API identifier specified")
    return None


@handles("GetRequestValidator", "DeleteRequestValidator")
def missing_request_validator(call: Call) -> None:
    _validator(call)
    return None  # moto's answer


@handles("UpdateRequestValidator")
def update_request_validator(call: Call) -> dict[str, Any]:
    check_ops(call)
    validator = _validator(call)
    paths = ["/name", "/validateRequestParameters", "/validateRequestBody"]
    for op in call.patch_operations():
        path, value = op.get("path"), op.get("value")
        if op["op"] != "replace" or path not in paths:
            raise unsupported_path(op, paths)
        if path == "/name":
            if not value:
                raise bad_request("Request Validator name cannot be blank")
            validator.name = value
        elif path == "/validateRequestBody":
            validator.validate_request_body = as_bool(value)
        else:
            validator.validate_request_parameters = as_bool(value)
    shown: dict[str, Any] = validator.to_dict()
    return shown


# -- the route ----------------------------------------------------------------------------------------


def _params(request: Request, operation: Any, uri_params: dict[str, Any]) -> dict[str, Any]:
    """The request's members by member name: path, query string and the JSON body."""
    params: dict[str, Any] = {}
    members = operation.input_shape.members if operation.input_shape is not None else {}
    for name, shape in members.items():
        location = shape.serialization.get("location")
        key = shape.serialization.get("name", name)
        if location == "uri" and key in uri_params:
            params[name] = unquote(str(uri_params[key]))
        elif location == "querystring" and key in request.args:
            params[name] = request.args.get(key)
    if request.method in ("POST", "PUT", "PATCH") and request.content_length:
        body = request.get_data(cache=True)
        request.environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
        try:
            document = json.loads(body)
        except ValueError:
            document = None
        if isinstance(document, dict):
            in_body = {
                s.serialization.get("name", n): n for n, s in members.items() if not s.serialization.get("location")
            }
            params.update({in_body[k]: v for k, v in document.items() if k in in_body})
    return params


def _error_response(error: ApiError) -> Response:
    headers = {"x-amzn-ErrorType": error.code, "x-amzn-RequestId": str(uuid.uuid4())}
    body = json.dumps({"__type": error.code, "message": error.message})
    return Response(body, status=error.status, headers=headers, mimetype="application/json")


def _answer(request: Request, region: str) -> Response | None:
    from moto.apigateway.models import apigateway_backends
    from moto.core.exceptions import JsonRESTError
    from moto.core.request import Request as MotoRequest
    from moto.core.routing import get_service_router
    from werkzeug.exceptions import HTTPException

    try:
        operation, uri_params = get_service_router("apigateway").match(MotoRequest(request.environ))
    except HTTPException:
        return None
    handler = HANDLERS.get(operation.name)
    if handler is None:
        return None
    account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT)
    params = _params(request, operation, uri_params)
    body = request.get_data(cache=True) if request.content_length else b""
    call = Call(operation.name, params, apigateway_backends[account][region], body)
    try:
        document = handler(call)
    except ApiError as error:
        return _error_response(error)
    except JsonRESTError as error:  # moto's own exceptions: their code, status and body
        return Response(error.get_body(), status=error.code, headers=dict(error.get_headers()))
    if document is None:
        return None
    status = int(operation.http.get("responseCode", 200))
    return Response("" if status == 204 else json.dumps(document), status=status, mimetype="application/json")


def answer(request: Request) -> Response | None:
    """The route's verdict for a request signed for API Gateway: an answer of ours, or None (moto's turn)."""
    if ANSWER_KEY in request.environ:
        return request.environ[ANSWER_KEY]
    verdict: Response | None = None
    signed = SIGNED_FOR_APIGATEWAY.search(request.headers.get("Authorization", ""))
    if signed is not None:
        verdict = _answer(request, signed["region"] or DEFAULT_REGION)
    request.environ[ANSWER_KEY] = verdict
    return verdict


def install(cloud: LocalCloud) -> None:
    import importlib

    for module in PARTS:  # they register their handlers
        importlib.import_module(module)
    cloud.add_route("apigateway requests", lambda r: answer(r) is not None, lambda r: answer(r) or Response(status=500))
