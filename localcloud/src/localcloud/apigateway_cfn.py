"""CloudFormation for API Gateway REST APIs: the types moto skips or half-makes.

moto 5.2.5 parses `AWS::ApiGateway::{RestApi,Resource,Method,Deployment}` but ignores Stage,
Authorizer, GatewayResponse, UsagePlan and Account, drops `BinaryMediaTypes`, `AuthorizerId`,
`MethodResponses` and `IntegrationResponses`, and fails a Method without `Integration.Uri` (every
MOCK). The models below replace or add those types. They keep no state of their own: each one
writes moto's apigateway backend, so `GetStage`, `GetAuthorizers`, `GetGatewayResponses`, ... answer
what the template said, and `execute_api.py` serves invoke URLs from the same backend.

Every model extends `cfn_model.CfnModel` (the one base) through `_ApiGatewayModel`, which adds the
deletion every API Gateway object shares.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import moto.apigateway.models as apigw_models  # noqa: F401 - must be imported before our overrides
from moto.apigateway.exceptions import StageNotFoundException
from moto.apigateway.models import APIGatewayBackend, RestAPI, apigateway_backends
from moto.core.common_models import CloudFormationModel
from moto.moto_api._internal import mock_random

from localcloud.cfn_model import CfnModel, Properties

log = logging.getLogger("localcloud.apigateway_cfn")

# AWS method-setting names (CloudFormation) -> the keys GetStage returns in `methodSettings`.
_METHOD_SETTING_KEYS = {
    "ThrottlingRateLimit": ("throttlingRateLimit", float),
    "ThrottlingBurstLimit": ("throttlingBurstLimit", int),
    "LoggingLevel": ("loggingLevel", str),
    "MetricsEnabled": ("metricsEnabled", bool),
    "DataTraceEnabled": ("dataTraceEnabled", bool),
    "CachingEnabled": ("cachingEnabled", bool),
    "CacheTtlInSeconds": ("cacheTtlInSeconds", int),
    "CacheDataEncrypted": ("cacheDataEncrypted", bool),
}


def backend(account_id: str, region_name: str) -> APIGatewayBackend:
    return apigateway_backends[account_id][region_name]


def method_setting_key(resource_path: str, http_method: str) -> str:
    """`/*` + `*` -> `*/*`; `/orders/{id}` + `GET` -> `~1orders~1{id}/GET` (the key AWS's GetStage shows)."""
    path = "*" if resource_path.strip() in ("/*", "*") else resource_path.strip().replace("/", "~1")
    return f"{path}/{http_method.upper()}"


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


def _method_settings(settings: list[dict[str, Any]], defaults: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for setting in settings:
        key = method_setting_key(str(setting.get("ResourcePath", "/*")), str(setting.get("HttpMethod", "*")))
        entry = dict(defaults)
        for cfn_name, (aws_name, kind) in _METHOD_SETTING_KEYS.items():
            if cfn_name in setting:
                entry[aws_name] = _bool(setting[cfn_name]) if kind is bool else kind(setting[cfn_name])
        result[key] = entry
    return result


def _tags(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tags or []}


def _media_types(values: list[str] | None) -> list[str]:
    # CloudFormation examples often escape "/" as "~1" (a JSON-patch habit); API Gateway stores "/".
    return [v.replace("~1", "/") for v in values or []]


class _ApiGatewayModel(CfnModel):
    """What every API Gateway model shares: deleting from the backend, where a parent may already be gone."""

    def delete(self, account_id: str, region_name: str) -> None:
        """Stack deletion: remove from the backend; a parent already gone is not an error."""
        try:
            self._delete()
        except Exception as exc:  # the RestApi may have been deleted first, taking this with it
            log.debug("delete %s %s: %s", type(self).__name__, self._physical_id, exc)

    def _delete(self) -> None:
        pass


class RestApiModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::RestApi"
    ATTRIBUTES = ("RootResourceId", "RestApiId")

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> RestApiModel:
        if "Body" in props or "BodyS3Location" in props:
            raise ValueError(
                "AWS::ApiGateway::RestApi with Body/BodyS3Location (OpenAPI import) is not supported by the "
                "local cloud; declare Resource and Method resources instead"
            )
        api = backend(account_id, region_name).create_rest_api(
            name=props.get("Name", name),
            description=props.get("Description", ""),
            api_key_source=props.get("ApiKeySourceType"),
            endpoint_configuration=_endpoint_configuration(props.get("EndpointConfiguration")),
            tags=_tags(props.get("Tags")),  # type: ignore[arg-type]
            policy=json.dumps(props["Policy"]) if isinstance(props.get("Policy"), dict) else props.get("Policy"),
            minimum_compression_size=props.get("MinimumCompressionSize"),
            disable_execute_api_endpoint=props.get("DisableExecuteApiEndpoint"),
        )
        api.binaryMediaTypes = _media_types(props.get("BinaryMediaTypes"))
        return cls(account_id, region_name, api.id, RestApiId=api.id, RootResourceId=api.root_resource_id)

    @classmethod
    def update(cls, original: Any, name: str, props: Properties, account_id: str, region_name: str) -> Any:
        # In place: replacing the API would orphan every Resource and Method under it.
        api: RestAPI = backend(account_id, region_name).get_rest_api(original.physical_resource_id)
        api.name = props.get("Name", api.name)
        api.description = props.get("Description", "")
        api.binaryMediaTypes = _media_types(props.get("BinaryMediaTypes"))
        return original

    def _delete(self) -> None:
        backend(self.account_id, self.region_name).delete_rest_api(self._physical_id)


def _endpoint_configuration(config: dict[str, Any] | None) -> Any:
    if not config:
        return None
    return {
        "types": config.get("Types", ["EDGE"]),
        **({"vpcEndpointIds": config["VpcEndpointIds"]} if "VpcEndpointIds" in config else {}),
    }


class MethodModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::Method"

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> MethodModel:
        be = backend(account_id, region_name)
        api_id, resource_id, http_method = props["RestApiId"], props["ResourceId"], props["HttpMethod"].upper()
        scopes = props.get("AuthorizationScopes")
        be.put_method(
            function_id=api_id,
            resource_id=resource_id,
            method_type=http_method,
            authorization_type=props.get("AuthorizationType", "NONE"),
            api_key_required=_bool(props.get("ApiKeyRequired", False)),
            request_parameters=props.get("RequestParameters"),
            request_models=props.get("RequestModels"),
            operation_name=props.get("OperationName"),
            authorizer_id=props.get("AuthorizerId"),
            authorization_scopes=scopes,
            request_validator_id=props.get("RequestValidatorId"),
        )
        for response in props.get("MethodResponses", []):
            be.put_method_response(
                api_id,
                resource_id,
                http_method,
                str(response["StatusCode"]),
                response.get("ResponseModels"),
                {k: _bool(v) for k, v in response.get("ResponseParameters", {}).items()},
            )
        integration = props.get("Integration")
        if integration:
            integration_type = integration["Type"].upper()
            be.put_integration(
                function_id=api_id,
                resource_id=resource_id,
                method_type=http_method,
                integration_type=integration_type,
                uri=integration.get("Uri", ""),
                integration_method=integration.get("IntegrationHttpMethod"),
                credentials=integration.get("Credentials"),
                request_templates=integration.get("RequestTemplates"),
                passthrough_behavior=integration.get("PassthroughBehavior"),
                timeout_in_millis=integration.get("TimeoutInMillis"),
                request_parameters=integration.get("RequestParameters"),
                content_handling=integration.get("ContentHandling"),
                connection_type=integration.get("ConnectionType"),
            )
            for response in integration.get("IntegrationResponses", []):
                be.put_integration_response(
                    api_id,
                    resource_id,
                    http_method,
                    str(response.get("StatusCode", "200")),
                    response.get("SelectionPattern", ""),
                    response.get("ResponseTemplates") or {},
                    response.get("ResponseParameters") or {},
                    response.get("ContentHandling"),
                )
        physical_id = f"{api_id}-{resource_id}-{http_method}"
        return cls(account_id, region_name, physical_id, api_id=api_id, resource_id=resource_id, method=http_method)

    def _delete(self) -> None:
        a = self.attributes
        backend(self.account_id, self.region_name).delete_method(a["api_id"], a["resource_id"], a["method"])


class AuthorizerModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::Authorizer"
    ATTRIBUTES = ("AuthorizerId",)

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> AuthorizerModel:
        api_id = props["RestApiId"]
        authorizer_type = props["Type"].upper()
        ttl = props.get("AuthorizerResultTtlInSeconds")
        authorizer = backend(account_id, region_name).create_authorizer(
            restapi_id=api_id,
            name=props.get("Name", name),
            authorizer_type=authorizer_type,
            provider_arns=props.get("ProviderARNs"),
            auth_type=props.get("AuthType"),
            authorizer_uri=props.get("AuthorizerUri"),
            authorizer_credentials=props.get("AuthorizerCredentials"),
            identity_source=props.get("IdentitySource"),
            authorizer_result_ttl=300 if ttl is None else int(ttl),  # AWS's default
        )
        # moto passes this one under a misspelt keyword and loses it; set it on the model directly.
        authorizer.identity_validation_expression = props.get("IdentityValidationExpression")
        return cls(account_id, region_name, str(authorizer.id), AuthorizerId=authorizer.id, api_id=api_id)

    def _delete(self) -> None:
        backend(self.account_id, self.region_name).delete_authorizer(self.attributes["api_id"], self._physical_id)


def _stage_settings(stage: Any, props: dict[str, Any]) -> None:
    """Apply the Stage (or Deployment.StageDescription) settings moto's create_stage has no arguments for."""
    settings = list(props.get("MethodSettings", []))
    # StageDescription carries stage-wide throttling as top-level properties.
    top_level = {k: props[k] for k in _METHOD_SETTING_KEYS if k in props}
    if top_level:
        settings.insert(0, {"ResourcePath": "/*", "HttpMethod": "*", **top_level})
    stage.method_settings = _method_settings(settings, stage._get_default_method_settings())
    access_log = props.get("AccessLogSetting")
    if access_log:
        stage.access_log_settings = {
            "destinationArn": access_log.get("DestinationArn"),
            "format": access_log.get("Format"),
        }
    if "TracingEnabled" in props:
        stage.tracing_enabled = _bool(props["TracingEnabled"])


class DeploymentModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::Deployment"
    ATTRIBUTES = ("DeploymentId",)

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> DeploymentModel:
        api_id = props["RestApiId"]
        stage_name = props.get("StageName")
        description = props.get("StageDescription") or {}
        be = backend(account_id, region_name)
        deployment = be.create_deployment(
            function_id=api_id,
            name=stage_name,
            description=props.get("Description", ""),
            stage_variables=description.get("Variables"),
        )
        if stage_name:
            _stage_settings(be.get_stage(api_id, stage_name), description)
        return cls(account_id, region_name, deployment.id, DeploymentId=deployment.id, api_id=api_id, stage=stage_name)

    @classmethod
    def update(cls, original: Any, name: str, props: Properties, account_id: str, region_name: str) -> Any:
        # A new deployment; the old one stays until its stage moves (as in AWS).
        return cls.create(name, props, account_id, region_name)

    def _delete(self) -> None:
        be = backend(self.account_id, self.region_name)
        api_id, stage = self.attributes["api_id"], self.attributes["stage"]
        if stage:
            be.delete_stage(api_id, stage)
        be.delete_deployment(api_id, self._physical_id)


class StageModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::Stage"
    NAME_PROPERTY = "StageName"

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> StageModel:
        api_id = props["RestApiId"]
        stage_name = props.get("StageName") or name
        be = backend(account_id, region_name)
        try:
            be.get_stage(api_id, stage_name)
            raise ValueError(f"Stage {stage_name!r} already exists on RestApi {api_id} (a Deployment's StageName?)")
        except StageNotFoundException:
            pass
        stage = be.create_stage(
            function_id=api_id,
            stage_name=stage_name,
            deploymentId=props.get("DeploymentId", ""),
            variables=dict(props.get("Variables", {})),
            description=props.get("Description", ""),
            cacheClusterEnabled=_bool(props.get("CacheClusterEnabled", False)),
            cacheClusterSize=props.get("CacheClusterSize"),
            tags=_tags(props.get("Tags")) or None,
            tracing_enabled=_bool(props["TracingEnabled"]) if "TracingEnabled" in props else None,
        )
        _stage_settings(stage, props)
        return cls(account_id, region_name, stage_name, api_id=api_id)

    def _delete(self) -> None:
        backend(self.account_id, self.region_name).delete_stage(self.attributes["api_id"], self._physical_id)


class GatewayResponseModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::GatewayResponse"

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> GatewayResponseModel:
        api_id, response_type = props["RestApiId"], props["ResponseType"]
        backend(account_id, region_name).put_gateway_response(
            rest_api_id=api_id,
            response_type=response_type,
            status_code=props.get("StatusCode"),
            response_parameters=props.get("ResponseParameters"),
            response_templates=props.get("ResponseTemplates"),
        )
        physical_id = f"gw-{api_id}-{response_type}"
        return cls(account_id, region_name, physical_id, api_id=api_id, response_type=response_type)

    def _delete(self) -> None:
        a = self.attributes
        backend(self.account_id, self.region_name).delete_gateway_response(a["api_id"], a["response_type"])


def _throttle(throttle: dict[str, Any] | None) -> dict[str, Any] | None:
    if not throttle:
        return None
    result: dict[str, Any] = {}
    if "BurstLimit" in throttle:
        result["burstLimit"] = int(throttle["BurstLimit"])
    if "RateLimit" in throttle:
        result["rateLimit"] = float(throttle["RateLimit"])
    return result


class UsagePlanModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::UsagePlan"
    ATTRIBUTES = ("Id",)

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> UsagePlanModel:
        api_stages = []
        for api_stage in props.get("ApiStages", []):
            entry: dict[str, Any] = {"apiId": api_stage["ApiId"], "stage": api_stage["Stage"]}
            if api_stage.get("Throttle"):
                entry["throttle"] = {path: _throttle(t) for path, t in api_stage["Throttle"].items()}
            api_stages.append(entry)
        quota = props.get("Quota")
        payload = {
            "name": props.get("UsagePlanName", name),
            "description": props.get("Description"),
            "apiStages": api_stages,
            "throttle": _throttle(props.get("Throttle")),
            "quota": {"limit": int(quota["Limit"]), "period": quota["Period"], "offset": int(quota.get("Offset", 0))}
            if quota
            else None,
            "tags": _tags(props.get("Tags")) or None,
        }
        plan = backend(account_id, region_name).create_usage_plan(payload)
        return cls(account_id, region_name, plan.id, Id=plan.id)

    def _delete(self) -> None:
        backend(self.account_id, self.region_name).delete_usage_plan(self._physical_id)


class AccountModel(_ApiGatewayModel, CloudFormationModel):
    TYPE = "AWS::ApiGateway::Account"

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> AccountModel:
        role_arn = props.get("CloudWatchRoleArn")
        backend(account_id, region_name).account.cloudwatch_role_arn = role_arn
        return cls(account_id, region_name, f"apigateway-account-{mock_random.get_random_hex(8)}")

    @classmethod
    def update(cls, original: Any, name: str, props: Properties, account_id: str, region_name: str) -> Any:
        role_arn = props.get("CloudWatchRoleArn")
        backend(account_id, region_name).account.cloudwatch_role_arn = role_arn
        return original

    def _delete(self) -> None:
        backend(self.account_id, self.region_name).account.cloudwatch_role_arn = None
