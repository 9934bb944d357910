"""API Gateway's control-plane API: what AWS answers for a REST API part that does not exist.

moto 5.2.5 answers a missing integration with an empty document or an HTML 500 (botocore retries a 500
for about a minute), a missing request validator with an HTML 500 or a 400, and words its not-found
messages its own way. AWS answers `NotFoundException` (404) naming what is missing, in these words:

- REST API: `Invalid API identifier specified <account>:<id>`
- resource (also when its REST API does not exist): `Invalid Resource identifier specified`
- method: `Invalid Method identifier specified`; integration: `Invalid Integration identifier specified`
- request validator: `Invalid Request Validator identifier specified`; VPC link: `Invalid Vpc Link identifier specified`

A REST API also reads as AWS's: no empty `binaryMediaTypes`, `tags` or `version`, and an
`endpointConfiguration` with its `ipAddressType` (`dualstack` for a PRIVATE API, else `ipv4`); a request
validator's flags are `false` when not given (moto: null). Methods, integrations and their responses show no
null fields nor empty maps (a method response shows the maps it was given, also empty), an integration its
`connectionId`, an integration response its `selectionPattern` also when empty, and a method its
`authorizerId` only for a CUSTOM or COGNITO_USER_POOLS authorization. A stage shows its dates, its cache
cluster status and tracing flag, no empty variables or description; a VPC link that is AVAILABLE its
status message.

What moto does not implement is answered by apigateway_requests.py and its handler modules; any other
operation moto lacks answers `UnknownOperationException` (rest_operations.py).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud


def _not_found(message: str) -> Exception:
    from moto.apigateway.exceptions import NotFoundException

    error = NotFoundException(message)
    error.code = 404  # moto's NotFoundException keeps its base's 400
    return error


def _get_rest_api(self: Any, function_id: str) -> Any:
    from moto.apigateway.exceptions import RestAPINotFound

    try:
        return original(type(self), "get_rest_api")(self, function_id)
    except RestAPINotFound:
        raise _not_found(f"Invalid API identifier specified {self.account_id}:{function_id}") from None


def _get_resource(self: Any, function_id: str, resource_id: str) -> Any:
    api = self.apis.get(function_id)
    if api is None or resource_id not in api.resources:
        raise _not_found("Invalid Resource identifier specified")
    return api.resources[resource_id]


def _get_integration(self: Any, function_id: str, resource_id: str, method_type: str) -> Any:
    integration = self.get_resource(function_id, resource_id).get_integration(method_type)
    if integration is None:
        raise _not_found("Invalid Integration identifier specified")
    return integration


def _get_integration_response(self: Any, function_id: str, resource_id: str, method_type: str, status_code: str) -> Any:
    self.get_resource(function_id, resource_id).get_method(method_type)  # a missing method is named first
    return self.get_integration(function_id, resource_id, method_type).get_integration_response(status_code)


def _get_request_validator(self: Any, validator_id: str) -> Any:
    validator = self.request_validators.get(validator_id)
    if validator is None:
        raise _not_found("Invalid Request Validator identifier specified")
    return validator


def _delete_request_validator(self: Any, validator_id: str) -> Any:
    self.get_request_validator(validator_id)
    return original(type(self), "delete_request_validator")(self, validator_id)


def _get_vpc_link(self: Any, vpc_link_id: str) -> Any:
    if vpc_link_id not in self.vpc_links:
        raise _not_found("Invalid Vpc Link identifier specified")
    return self.vpc_links[vpc_link_id]


def _rest_api_dict(self: Any) -> dict[str, Any]:
    shown: dict[str, Any] = original(type(self), "to_dict")(self)
    for key in ("binaryMediaTypes", "tags", "version", "policy", "minimumCompressionSize"):
        if shown.get(key) in (None, [], {}, ""):
            shown.pop(key, None)
    endpoint = dict(shown.get("endpointConfiguration") or {"types": ["EDGE"]})
    endpoint.setdefault("ipAddressType", "dualstack" if "PRIVATE" in endpoint.get("types", []) else "ipv4")
    shown["endpointConfiguration"] = endpoint
    return shown


def _request_validator_dict(self: Any) -> dict[str, Any]:
    shown: dict[str, Any] = original(type(self), "to_dict")(self)
    for key in ("validateRequestBody", "validateRequestParameters"):
        shown[key] = bool(shown.get(key))  # moto answered null for a flag not given
    return shown


def _shown(document: dict[str, Any], keep_empty: tuple[str, ...] = ()) -> dict[str, Any]:
    """A part as AWS shows it: no null fields, and no empty maps but those it shows empty."""
    return {k: v for k, v in document.items() if v is not None and (v != {} or k in keep_empty)}


def _method_dict(self: Any) -> dict[str, Any]:
    shown = _shown(original(type(self), "to_json")(self))
    if self.authorization_type not in ("CUSTOM", "COGNITO_USER_POOLS"):
        shown.pop("authorizerId", None)  # AWS keeps it but shows it only for an authorization that uses it
    return shown


def _integration_dict(self: Any) -> dict[str, Any]:
    shown = _shown(original(type(self), "to_json")(self))
    if getattr(self, "connection_id", None):
        shown["connectionId"] = self.connection_id
    return shown


def _integration_response_dict(self: Any) -> dict[str, Any]:
    shown = _shown(original(type(self), "to_json")(self))
    if self.selection_pattern is not None:
        shown["selectionPattern"] = self.selection_pattern  # also "" (moto left an empty one out)
    return shown


def _method_response_dict(self: Any) -> dict[str, Any]:
    return _shown(original(type(self), "to_json")(self), keep_empty=("responseModels", "responseParameters"))


def _stage_dict(self: Any) -> dict[str, Any]:
    shown = _shown(original(type(self), "to_json")(self), keep_empty=("methodSettings",))
    if shown.get("description") == "":
        del shown["description"]
    shown.setdefault("cacheClusterStatus", "NOT_AVAILABLE")
    shown.setdefault("tracingEnabled", False)
    if not hasattr(self, "lc_created_date"):  # moto keeps no dates: the first answer is the creation's
        self.lc_created_date = time.time()
    shown["createdDate"] = int(self.lc_created_date)
    shown["lastUpdatedDate"] = int(getattr(self, "lc_updated_date", self.lc_created_date))
    return shown


def _vpc_link_dict(self: Any) -> dict[str, Any]:
    shown = _shown(original(type(self), "to_json")(self))
    if shown.get("status") == "AVAILABLE":
        shown["statusMessage"] = "Your vpc link is ready for use"
    return shown


def install(cloud: LocalCloud) -> None:
    from moto.apigateway.models import (
        APIGatewayBackend,
        Integration,
        IntegrationResponse,
        Method,
        MethodResponse,
        RequestValidator,
        RestAPI,
        Stage,
        VpcLink,
    )

    replace(APIGatewayBackend, "get_rest_api", _get_rest_api)
    replace(APIGatewayBackend, "get_resource", _get_resource)
    replace(APIGatewayBackend, "get_integration", _get_integration)
    replace(APIGatewayBackend, "get_integration_response", _get_integration_response)
    replace(APIGatewayBackend, "get_vpc_link", _get_vpc_link)
    replace(RestAPI, "to_dict", _rest_api_dict)
    replace(RestAPI, "get_request_validator", _get_request_validator)
    replace(RestAPI, "delete_request_validator", _delete_request_validator)
    replace(RequestValidator, "to_dict", _request_validator_dict)
    replace(Method, "to_json", _method_dict)
    replace(Integration, "to_json", _integration_dict)
    replace(IntegrationResponse, "to_json", _integration_response_dict)
    replace(MethodResponse, "to_json", _method_response_dict)
    replace(Stage, "to_json", _stage_dict)
    replace(VpcLink, "to_json", _vpc_link_dict)
