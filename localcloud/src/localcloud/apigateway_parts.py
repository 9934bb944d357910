"""API Gateway methods, method responses, integrations, integration responses and models as AWS answers them.

moto 5.2.5 has no Update* operation for these parts (its answer was an unknown operation) and checks little
of what AWS refuses. Registered with apigateway_requests (the route); each handler works on moto's own
objects and either answers, raises AWS's error, or leaves the request to moto (None).

- **Methods**: PutMethod refuses an unknown HTTP method, a CUSTOM/COGNITO_USER_POOLS authorization without a
  known authorizer, an unknown request validator or model, and one parameter name in two places; a deleted
  method is `Invalid Method identifier specified`; UpdateMethod's paths (`/requestParameters/<name>`,
  `/requestModels/<content~1type>`, the replace-only fields) with AWS's refusals.
- **Method and integration responses**: UpdateMethodResponse and UpdateIntegrationResponse (parameters,
  models, templates, selection pattern), a status code outside `[1-5]\\d\\d` a `ValidationException`, a
  missing parameter or content type named as AWS names it.
- **Integrations**: PutIntegration's type enum, a missing method, an AWS_PROXY target that is neither a Lambda
  function nor a Firehose action; UpdateIntegration.
- **Models**: the REST API's `Empty` and `Error` models (made with the API by apigateway_requests), CreateModel's
  checks, a model a method uses cannot be deleted (`ConflictException` naming the method), UpdateModel.
"""

from __future__ import annotations

import json
import re
from typing import Any

from localcloud.apigateway_requests import (
    ApiError,
    Call,
    all_or_nothing,
    bad_request,
    check_ops,
    conflict,
    handles,
    not_found,
    unescape,
    unsupported_path,
)

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY")
INTEGRATION_TYPES = ("HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS")
WITH_AUTHORIZER = ("CUSTOM", "COGNITO_USER_POOLS")
STATUS_CODE = re.compile(r"[1-5]\d\d")
NO_SCHEMA = "Model schema must have at least 1 property or array items defined"
# The models every REST API starts with (AWS's own).
DEFAULT_MODELS: dict[str, tuple[str, dict[str, Any]]] = {
    "Empty": ("This is a default empty schema model", {"title": "Empty Schema", "type": "object"}),
    "Error": (
        "This is a default error schema model",
        {"title": "Error Schema", "type": "object", "properties": {"message": {"type": "string"}}},
    ),
}


def add_default_models(api: Any) -> None:
    for name, (description, schema) in DEFAULT_MODELS.items():
        document = {"$schema": "http://json-schema.org/draft-04/schema#", **schema}
        api.add_model(name=name, description=description, schema=json.dumps(document), content_type="application/json")


def status_code_errors(call: Call) -> list[str]:
    """The model's pattern for a status code in the path, in AWS's words."""
    code = call.params.get("statusCode")
    if code is None or STATUS_CODE.fullmatch(str(code)):
        return []
    return [
        f"Value '{code}' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression "
        "pattern: [1-5]\\d\\d"
    ]


def _method(call: Call) -> Any:
    method = call.resource().resource_methods.get(call.params["httpMethod"])
    if method is None:
        raise not_found("Invalid Method identifier specified")
    return method


def _integration(call: Call) -> Any:
    integration = _method(call).method_integration
    if integration is None:
        raise not_found("Invalid Integration identifier specified")
    return integration


def _check_status_code(call: Call) -> None:
    errors = status_code_errors(call)
    if errors:
        raise ApiError("ValidationException", f"1 validation error detected: {errors[0]}")


def _check_authorizer(api: Any, authorization_type: Any, authorizer_id: Any) -> None:
    if authorization_type in WITH_AUTHORIZER and authorizer_id not in api.authorizers:
        raise bad_request(
            "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS "
            "requires a valid authorizer."
        )


def _check_validator(api: Any, validator_id: Any) -> None:
    if validator_id and validator_id not in api.request_validators:
        raise bad_request("Invalid Request Validator identifier specified")


def _keyed(op: dict[str, Any], prefix: str) -> str | None:
    """The key a `/prefix/<key>` path names (one JSON pointer segment), or None."""
    path = str(op.get("path"))
    if not path.startswith(prefix + "/"):
        return None
    key = path[len(prefix) + 1 :]
    return unescape(key) if key and "/" not in key else None


def _patch_map(current: dict[str, Any] | None, key: str, op: dict[str, Any], value: Any, missing: str) -> Any:
    """A map after an add, replace or remove of one key; None once it is empty (AWS then leaves it out)."""
    updated = dict(current or {})
    if op["op"] in ("remove", "replace") and key not in updated:
        raise not_found(missing)
    if op["op"] == "remove":
        del updated[key]
    else:
        updated[key] = value
    return updated or None


# -- methods ------------------------------------------------------------------------------------------


@handles("PutMethod")
def put_method(call: Call) -> None:
    p = call.params
    api = call.api_of_resource()
    if p.get("httpMethod") not in HTTP_METHODS:
        raise bad_request(f"Invalid HttpMethod specified. Valid options are {','.join(HTTP_METHODS)}")
    _check_authorizer(api, p.get("authorizationType"), p.get("authorizerId"))
    _check_validator(api, p.get("requestValidatorId"))
    for model in (p.get("requestModels") or {}).values():
        if model not in api.models:
            raise bad_request(f"Invalid model identifier specified: {model}")
    names = [str(name).rsplit(".", 1)[-1] for name in p.get("requestParameters") or {}]
    if len(names) != len(set(names)):
        raise bad_request("Parameter names must be unique across querystring, header and path")
    return None


@handles("GetMethod", "DeleteMethod", "GetIntegration")
def missing_method(call: Call) -> None:
    _method(call)
    return None


REPLACE_ONLY = ("/operationName", "/apiKeyRequired", "/authorizationType", "/authorizerId", "/requestValidatorId")


@handles("UpdateMethod")
def update_method(call: Call) -> dict[str, Any]:
    check_ops(call)
    api = call.api_of_resource()
    method = _method(call)
    with all_or_nothing(method):
        _patch_method(api, method, call.patch_operations())
    shown: dict[str, Any] = method.to_json()
    return shown


def _patch_method(api: Any, method: Any, operations: list[dict[str, Any]]) -> None:
    for op in operations:
        path, value = str(op.get("path")), op.get("value")
        if path in REPLACE_ONLY:
            if op["op"] != "replace":
                raise bad_request("Invalid patch operation specified. Must be one of: [replace]")
            if path == "/apiKeyRequired":
                method.api_key_required = str(value).lower() == "true"
            elif path == "/requestValidatorId":
                _check_validator(api, value)
                method.request_validator_id = value
            else:
                attribute = {"/operationName": "operation_name", "/authorizationType": "authorization_type"}
                setattr(method, attribute.get(path, "authorizer_id"), value)
        elif (name := _keyed(op, "/requestParameters")) is not None:
            flag = str(value).lower() == "true"
            method.request_parameters = _patch_map(
                method.request_parameters, name, op, flag, "Invalid parameter name specified"
            )
        elif (content_type := _keyed(op, "/requestModels")) is not None:
            method.request_models = _patch_map(
                method.request_models, content_type, op, value, "Content-Type specified was not found"
            )
        else:
            raise bad_request(f"Invalid patch path {path}")
    _check_authorizer(api, method.authorization_type, method.authorizer_id)


# -- method responses ---------------------------------------------------------------------------------


@handles("UpdateMethodResponse")
def update_method_response(call: Call) -> dict[str, Any]:
    check_ops(call, extra=status_code_errors(call))
    response = _method(call).get_response(call.params["statusCode"])
    if response is None:
        raise not_found("Invalid Response status code specified")
    for op in call.patch_operations():
        if (name := _keyed(op, "/responseParameters")) is not None:
            flag = str(op.get("value")).lower() == "true"
            response.response_parameters = _patch_map(
                response.response_parameters, name, op, flag, "Invalid parameter name specified"
            )
        elif (content_type := _keyed(op, "/responseModels")) is not None:
            response.response_models = _patch_map(
                response.response_models, content_type, op, op.get("value"), "Content-Type specified was not found"
            )
        else:
            raise bad_request(f"Invalid patch path {op.get('path')}")
    shown: dict[str, Any] = response.to_json()
    return shown


# -- integrations -------------------------------------------------------------------------------------


@handles("PutIntegration")
def put_integration(call: Call) -> dict[str, Any]:
    p = call.params
    if p.get("type") not in INTEGRATION_TYPES:
        raise ApiError(
            "ValidationException",
            f"1 validation error detected: Value '{p.get('type')}' at 'putIntegrationInput.type' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(INTEGRATION_TYPES)}]",
        )
    _method(call)
    _check_proxy_target(p["type"], str(p.get("uri") or ""))
    integration = call.backend.put_integration(
        p["restApiId"],
        p["resourceId"],
        p["httpMethod"],
        p["type"],
        p.get("uri"),
        credentials=p.get("credentials"),
        integration_method=p.get("integrationHttpMethod"),
        request_templates=p.get("requestTemplates"),
        passthrough_behavior=p.get("passthroughBehavior") or "WHEN_NO_MATCH",
        tls_config=p.get("tlsConfig"),
        cache_namespace=p.get("cacheNamespace") or p["resourceId"],
        timeout_in_millis=int(p.get("timeoutInMillis") or 29000),
        request_parameters=p.get("requestParameters"),
        content_handling=p.get("contentHandling"),
        connection_type=p.get("connectionType"),
    )
    integration.connection_id = p.get("connectionId")  # moto's Integration keeps neither of these
    integration.cache_key_parameters = list(p.get("cacheKeyParameters") or [])
    shown: dict[str, Any] = integration.to_json()
    return shown


def _check_proxy_target(kind: str, uri: str) -> None:
    """An AWS_PROXY integration invokes a Lambda function or a Firehose action, nothing else."""
    target = re.fullmatch(r"arn:[^:]+:apigateway:[^:]+:(?P<service>[^:]+):(?P<kind>path|action)/(?P<rest>.+)", uri)
    if kind != "AWS_PROXY" or target is None:
        return  # moto refuses what is no API Gateway service ARN, in AWS's words
    lambda_path = r"2015-03-31/functions/arn:[^/]+:lambda:[^/]+:function:[^/]+/invocations"
    if (target["service"], target["kind"]) == ("lambda", "path") and re.fullmatch(lambda_path, target["rest"]):
        return
    if (target["service"], target["kind"]) == ("firehose", "action"):
        return
    raise bad_request(
        "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."
    )


INTEGRATION_FIELDS = {
    "/uri": "uri",
    "/httpMethod": "http_method",
    "/connectionId": "connection_id",
    "/connectionType": "connection_type",
    "/passthroughBehavior": "passthrough_behaviour",
    "/timeoutInMillis": "timeout_in_millis",
    "/contentHandling": "content_handling",
    "/credentials": "credentials",
    "/cacheNamespace": "cache_namespace",
    "/type": "integration_type",
}


@handles("UpdateIntegration")
def update_integration(call: Call) -> dict[str, Any]:
    check_ops(call)
    integration = _integration(call)
    for op in call.patch_operations():
        path, value = str(op.get("path")), op.get("value")
        if path in INTEGRATION_FIELDS and op["op"] == "replace":
            if path == "/timeoutInMillis":
                value = int(str(value))
            setattr(integration, INTEGRATION_FIELDS[path], value)
        elif (content_type := _keyed(op, "/requestTemplates")) is not None:
            integration.request_templates = _patch_map(
                integration.request_templates, content_type, op, value, "Content-Type specified was not found"
            )
        elif (name := _keyed(op, "/requestParameters")) is not None:
            integration.request_parameters = _patch_map(
                integration.request_parameters, name, op, value, "Invalid mapping expression specified"
            )
        else:
            raise bad_request(f"Invalid patch path {path}")
    shown: dict[str, Any] = integration.to_json()
    return shown


@handles("PutIntegrationResponse", "GetIntegrationResponse")
def integration_response_status(call: Call) -> None:
    _check_status_code(call)
    _method(call)
    return None


@handles("DeleteIntegrationResponse")
def delete_integration_response(call: Call) -> dict[str, Any]:
    _check_status_code(call)
    integration = call.backend.get_integration(
        call.params["restApiId"], call.params["resourceId"], call.params["httpMethod"]
    )
    if integration.delete_integration_response(call.params["statusCode"]) is None:
        raise not_found("Invalid Response status code specified")
    return {}


@handles("UpdateIntegrationResponse")
def update_integration_response(call: Call) -> dict[str, Any]:
    check_ops(call, extra=status_code_errors(call))
    response = _integration(call).get_integration_response(call.params["statusCode"])
    for op in call.patch_operations():
        path, value = str(op.get("path")), op.get("value")
        if path in ("/selectionPattern", "/contentHandling") and op["op"] == "replace":
            setattr(response, "selection_pattern" if path == "/selectionPattern" else "content_handling", value)
        elif (content_type := _keyed(op, "/responseTemplates")) is not None:
            response.response_templates = _patch_map(
                response.response_templates, content_type, op, value, "Content-Type specified was not found"
            )
        elif (name := _keyed(op, "/responseParameters")) is not None:
            response.response_parameters = _patch_map(
                response.response_parameters, name, op, value, "Invalid parameter name specified"
            )
        else:
            raise bad_request(f"Invalid patch path {path}")
    shown: dict[str, Any] = response.to_json()
    return shown


# -- models -------------------------------------------------------------------------------------------


def _model(call: Call) -> Any:
    api = call.backend.apis.get(call.params["restApiId"])
    model = api.models.get(call.params["modelName"]) if api is not None else None
    if model is None:
        raise not_found(f"Invalid model name specified: {call.params['modelName']}")
    return model


@handles("CreateModel")
def create_model(call: Call) -> None:
    api = call.rest_api()
    name = call.params.get("name")
    if not name:
        raise bad_request("Model name must be non-empty")
    if name in api.models:
        raise conflict("Model name already exists for this REST API")
    if not call.params.get("schema"):
        raise bad_request(NO_SCHEMA)
    return None


@handles("GetModel")
def get_model(call: Call) -> None:
    _model(call)
    return None


@handles("DeleteModel")
def delete_model(call: Call) -> None:
    model = _model(call)
    api = call.rest_api()
    for resource in api.resources.values():
        for method in resource.resource_methods.values():
            if model.name in (method.request_models or {}).values():
                path = resource.get_path()
                raise conflict(
                    f"Cannot delete model '{model.name}', is referenced in method request: {path}/{method.http_method}"
                )
    return None


@handles("UpdateModel")
def update_model(call: Call) -> dict[str, Any]:
    check_ops(call)
    model = _model(call)
    for op in call.patch_operations():
        if op["op"] != "replace" or op.get("path") not in ("/description", "/schema"):
            raise unsupported_path(op, ["/description", "/schema"])
        if op["path"] == "/schema":
            if not op.get("value"):
                raise bad_request(NO_SCHEMA)
            model.schema = op["value"]
        else:
            model.description = op.get("value") or None
    shown: dict[str, Any] = model.to_json()
    return shown
