"""API Gateway's control plane checks and completes requests as AWS does: REST APIs, resources, request
validators, documentation parts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import unique


@pytest.fixture
def apigw(endpoint: str) -> Any:
    return boto3.client("apigateway", endpoint_url=endpoint, config=Config(retries={"max_attempts": 0}))


@pytest.fixture
def api(apigw: Any) -> Iterator[dict[str, str]]:
    created = apigw.create_rest_api(name=unique("api"), description="shop")
    yield {"id": created["id"], "root": created["rootResourceId"]}
    apigw.delete_rest_api(restApiId=created["id"])


def _error(call: Callable[..., Any], **params: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def _bad(message: str) -> tuple[int, str, str]:
    return 400, "BadRequestException", message


def test_create_rest_api_keeps_what_was_given_and_refuses_what_aws_refuses(apigw: Any) -> None:
    created = apigw.create_rest_api(name=unique("api"), version="v7", binaryMediaTypes=["image/png"])
    plain = apigw.create_rest_api(name=unique("api"))
    for made in (created, plain):
        apigw.delete_rest_api(restApiId=made["id"])

    assert (created["version"], created["binaryMediaTypes"]) == ("v7", ["image/png"])
    assert "version" not in plain  # moto answered a "V1" nobody gave
    assert _error(apigw.create_rest_api, name="x", description="") == _bad("Description cannot be an empty string")
    assert _error(apigw.create_rest_api, name="x", minimumCompressionSize=-1) == _bad(
        "Invalid minimum compression size, must be between 0 and 10485760"
    )
    assert _error(apigw.create_rest_api, name="x", endpointConfiguration={"types": ["EDGE", "REGIONAL"]}) == _bad(
        "Cannot create an api with multiple Endpoint Types."
    )
    assert _error(
        apigw.create_rest_api, name="x", endpointConfiguration={"types": ["PRIVATE"], "ipAddressType": "ipv4"}
    ) == _bad("Only dualstack ipAddressType is supported for Private APIs.")
    status, code, message = _error(
        apigw.create_rest_api, name="x", endpointConfiguration={"types": ["wrong"], "ipAddressType": "wrong"}
    )
    assert (status, code) == (400, "ValidationException")
    assert message.startswith(
        "2 validation errors detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration"
    )


def test_update_rest_api_patches_media_types_compression_and_endpoint(apigw: Any, api: dict[str, str]) -> None:
    def update(*ops: dict[str, str]) -> dict[str, Any]:
        return apigw.update_rest_api(restApiId=api["id"], patchOperations=list(ops))

    added = update(
        {"op": "add", "path": "/binaryMediaTypes/image~1png"}, {"op": "add", "path": "/binaryMediaTypes/image~1jpeg"}
    )
    replaced = update({"op": "replace", "path": "/binaryMediaTypes/image~1png", "value": "image/gif"})
    removed = update({"op": "remove", "path": "/binaryMediaTypes/image~1gif"}, {"op": "remove", "path": "/description"})
    compressed = update({"op": "replace", "path": "/minimumCompressionSize", "value": "10"})
    private = update({"op": "replace", "path": "/endpointConfiguration/types/0", "value": "PRIVATE"})

    assert added["binaryMediaTypes"] == ["image/png", "image/jpeg"]
    assert replaced["binaryMediaTypes"] == ["image/jpeg", "image/gif"]
    assert removed["binaryMediaTypes"] == ["image/jpeg"] and "description" not in removed
    assert compressed["minimumCompressionSize"] == 10
    assert private["endpointConfiguration"] == {"types": ["PRIVATE"], "ipAddressType": "dualstack"}
    ops = [{"op": "add", "path": "/minimumCompressionSize", "value": "1"}]
    assert _error(apigw.update_rest_api, restApiId=api["id"], patchOperations=ops) == _bad(
        "Invalid patch operation specified. Must be one of: [replace]"
    )
    ops = [{"op": "add", "path": "/binaryMediaTypes", "value": "image/gif"}]
    assert _error(apigw.update_rest_api, restApiId=api["id"], patchOperations=ops) == _bad(
        "Invalid patch path /binaryMediaTypes"
    )
    ops = [{"op": "replace", "path": "/endpointConfiguration/ipAddressType", "value": "ipv4"}]
    assert _error(apigw.update_rest_api, restApiId=api["id"], patchOperations=ops) == _bad(
        "Only dualstack ipAddressType is supported for Private APIs."
    )
    assert _error(apigw.update_rest_api, restApiId="nope", patchOperations=ops) == (
        404,
        "NotFoundException",
        "Invalid API identifier specified 000000000000:nope",
    )
    _, code, message = _error(
        apigw.update_rest_api, restApiId=api["id"], patchOperations=[{"op": "wrong", "path": "/name", "value": "x"}]
    )
    assert (code, message) == (
        "ValidationException",
        "1 validation error detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to "
        "satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    )


def test_resources_move_rename_and_delete_with_their_children(apigw: Any, api: dict[str, str]) -> None:
    pets = apigw.create_resource(restApiId=api["id"], parentId=api["root"], pathPart="pets")["id"]
    sub = apigw.create_resource(restApiId=api["id"], parentId=pets, pathPart="sub")["id"]
    apigw.create_resource(restApiId=api["id"], parentId=sub, pathPart="leaf")

    def update(resource_id: str, path: str, value: str) -> Any:
        ops = [{"op": "replace", "path": path, "value": value}]
        return apigw.update_resource(restApiId=api["id"], resourceId=resource_id, patchOperations=ops)

    renamed = update(pets, "/pathPart", "dogs")
    assert (renamed["path"], renamed["pathPart"]) == ("/dogs", "dogs")
    assert _error(update, resource_id=pets, path="/parentId", value=sub) == _bad("Resources cannot be cyclical.")
    assert _error(update, resource_id=api["root"], path="/pathPart", value="x") == _bad(
        "Root resource cannot update its pathPart."
    )
    assert _error(update, resource_id=pets, path="/nope", value="x") == _bad(
        "Invalid patch path  '/nope' specified for op 'replace'. Must be one of: [/parentId, /pathPart]"
    )
    assert _error(apigw.create_resource, restApiId=api["id"], parentId=api["root"], pathPart="dogs") == (
        409,
        "ConflictException",
        "Another resource with the same parent already has this name: dogs",
    )
    greedy = apigw.create_resource(restApiId=api["id"], parentId=api["root"], pathPart="{proxy+}")["id"]
    assert _error(apigw.create_resource, restApiId=api["id"], parentId=greedy, pathPart="x") == _bad(
        "Cannot create a child of a resource with a greedy path variable: {proxy+}"
    )
    moved = update(sub, "/parentId", api["root"])
    assert moved["path"] == "/sub"

    apigw.delete_resource(restApiId=api["id"], resourceId=sub)  # and its child /sub/leaf

    paths = sorted(r["path"] for r in apigw.get_resources(restApiId=api["id"])["items"])
    assert paths == ["/", "/dogs", "/{proxy+}"]


def test_request_validators_update_and_missing_api(apigw: Any, api: dict[str, str]) -> None:
    created = apigw.create_request_validator(restApiId=api["id"], name="body")
    ops = [{"op": "replace", "path": "/validateRequestBody", "value": "true"}]
    updated = apigw.update_request_validator(restApiId=api["id"], requestValidatorId=created["id"], patchOperations=ops)

    assert (created["validateRequestBody"], created["validateRequestParameters"]) == (False, False)
    assert (updated["validateRequestBody"], updated["validateRequestParameters"]) == (True, False)
    ops = [{"op": "replace", "path": "/name", "value": ""}]
    assert _error(
        apigw.update_request_validator, restApiId=api["id"], requestValidatorId=created["id"], patchOperations=ops
    ) == _bad("Request Validator name cannot be blank")
    assert _error(apigw.create_request_validator, restApiId="nope", name="x") == _bad(
        "Invalid REST API identifier specified"
    )
    assert _error(apigw.get_request_validator, restApiId="nope", requestValidatorId=created["id"]) == (
        404,
        "NotFoundException",
        "Invalid Request Validator identifier specified",
    )


def test_documentation_parts_are_kept_updated_imported_and_deleted(apigw: Any, api: dict[str, str]) -> None:
    part = apigw.create_documentation_part(
        restApiId=api["id"], location={"type": "METHOD", "method": "GET"}, properties='{ "description": "list" }'
    )
    ops = [{"op": "replace", "path": "/properties", "value": '{"description": "all"}'}]
    updated = apigw.update_documentation_part(restApiId=api["id"], documentationPartId=part["id"], patchOperations=ops)
    ops = [{"op": "add", "path": "/properties", "value": "{}"}]
    assert _error(
        apigw.update_documentation_part, restApiId=api["id"], documentationPartId=part["id"], patchOperations=ops
    ) == _bad("Invalid patch path  '/properties' specified for op 'add'. Please choose supported operations")
    document = {
        "openapi": "3.0.0",
        "info": {"title": "doc", "version": "1"},
        "paths": {},
        "x-amazon-apigateway-documentation": {
            "documentationParts": [{"location": {"type": "API"}, "properties": {"description": "shop"}}]
        },
    }
    imported = apigw.import_documentation_parts(restApiId=api["id"], mode="overwrite", body=json.dumps(document))
    listed = apigw.get_documentation_parts(restApiId=api["id"])["items"]
    deleted = apigw.delete_documentation_part(restApiId=api["id"], documentationPartId=imported["ids"][0])

    assert part["location"] == {"type": "METHOD", "method": "GET", "path": "/"}
    assert json.loads(updated["properties"]) == {"description": "all"}
    assert [(p["id"], p["location"], json.loads(p["properties"])) for p in listed] == [
        (imported["ids"][0], {"type": "API"}, {"description": "shop"})
    ]
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert _error(apigw.get_documentation_part, restApiId="nope", documentationPartId=part["id"]) == (
        404,
        "NotFoundException",
        "Invalid Documentation part identifier specified",
    )
    assert _error(apigw.import_documentation_parts, restApiId=api["id"], mode="overwrite", body="{'key:value}") == _bad(
        "Unable to build importer with provided input."
    )


def _not_found(message: str) -> tuple[int, str, str]:
    return 404, "NotFoundException", message


def test_methods_are_checked_updated_and_named_when_missing(apigw: Any, api: dict[str, str]) -> None:
    where = {"restApiId": api["id"], "resourceId": api["root"]}
    assert _error(apigw.put_method, **where, httpMethod="FETCH", authorizationType="NONE") == _bad(
        "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY"
    )
    assert _error(apigw.put_method, **where, httpMethod="GET", authorizationType="CUSTOM")[2].startswith(
        "Invalid authorizer ID specified."
    )
    assert _error(
        apigw.put_method, **where, httpMethod="GET", authorizationType="NONE", requestModels={"application/json": "Pet"}
    ) == _bad("Invalid model identifier specified: Pet")
    apigw.put_method(**where, httpMethod="GET", authorizationType="NONE")

    added = apigw.update_method(
        **where,
        httpMethod="GET",
        patchOperations=[
            {"op": "add", "path": "/requestParameters/method.request.querystring.page", "value": "true"},
            {"op": "add", "path": "/requestModels/application~1json", "value": "Empty"},
            {"op": "replace", "path": "/operationName", "value": "ListPets"},
        ],
    )
    refused = _error(
        apigw.update_method,
        **where,
        httpMethod="GET",
        patchOperations=[
            {"op": "replace", "path": "/apiKeyRequired", "value": "true"},
            {"op": "replace", "path": "/authorizationType", "value": "CUSTOM"},
        ],
    )
    removed = apigw.update_method(
        **where,
        httpMethod="GET",
        patchOperations=[{"op": "remove", "path": "/requestModels/application~1json"}],
    )
    apigw.delete_method(**where, httpMethod="GET")

    assert added["requestParameters"] == {"method.request.querystring.page": True}
    assert (added["requestModels"], added["operationName"]) == ({"application/json": "Empty"}, "ListPets")
    assert refused[2].startswith("Invalid authorizer ID specified.")
    assert removed["apiKeyRequired"] is False  # the refused update changed nothing
    assert "requestModels" not in removed and "methodResponses" not in removed
    ops = [{"op": "add", "path": "/operationName", "value": "x"}]
    assert _error(apigw.update_method, **where, httpMethod="ANY", patchOperations=ops) == _not_found(
        "Invalid Method identifier specified"
    )
    assert _error(apigw.delete_method, **where, httpMethod="GET") == _not_found("Invalid Method identifier specified")


def test_integrations_and_responses_read_and_update_as_awss(apigw: Any, api: dict[str, str]) -> None:
    where = {"restApiId": api["id"], "resourceId": api["root"], "httpMethod": "GET"}
    assert _error(apigw.get_integration, **where) == _not_found("Invalid Method identifier specified")
    apigw.put_method(**where, authorizationType="NONE")
    put = apigw.put_integration(
        **where,
        type="HTTP_PROXY",
        integrationHttpMethod="GET",
        uri="http://example.com",
        connectionType="VPC_LINK",
        connectionId="${stageVariables.link}",
    )
    ops = [{"op": "replace", "path": "/connectionId", "value": "${stageVariables.other}"}]
    updated = apigw.update_integration(**where, patchOperations=ops)
    apigw.put_method_response(**where, statusCode="200", responseModels={}, responseParameters={})
    response_ops = [{"op": "add", "path": "/responseParameters/method.response.header.x-id", "value": "true"}]
    method_response = apigw.update_method_response(**where, statusCode="200", patchOperations=response_ops)
    integration_response = apigw.put_integration_response(**where, statusCode="200", selectionPattern="")
    ops = [{"op": "replace", "path": "/selectionPattern", "value": "ok"}]
    updated_response = apigw.update_integration_response(**where, statusCode="200", patchOperations=ops)

    assert (put["cacheNamespace"], put["timeoutInMillis"], put["connectionId"]) == (
        api["root"],
        29000,
        "${stageVariables.link}",
    )
    assert updated["connectionId"] == "${stageVariables.other}"
    assert method_response["responseParameters"] == {"method.response.header.x-id": True}
    assert integration_response["selectionPattern"] == ""
    assert updated_response["selectionPattern"] == "ok"
    ops = [{"op": "remove", "path": "/responseModels/application~1json"}]
    assert _error(apigw.update_method_response, **where, statusCode="200", patchOperations=ops) == _not_found(
        "Content-Type specified was not found"
    )
    status, code, message = _error(apigw.get_integration_response, **where, statusCode="abc")
    assert (status, code) == (400, "ValidationException")
    assert message.endswith(
        "at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"
    )
    assert _error(apigw.delete_integration_response, **where, statusCode="404") == _not_found(
        "Invalid Response status code specified"
    )
    firehose_path = "arn:aws:apigateway:us-east-1:firehose:path/2015-03-31/functions/x/invocations"
    assert _error(
        apigw.put_integration, **where, type="AWS_PROXY", integrationHttpMethod="POST", uri=firehose_path
    ) == _bad(
        "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."
    )


def test_models_start_with_empty_and_error_and_a_used_model_stays(apigw: Any, api: dict[str, str]) -> None:
    schema = json.dumps({"type": "object"})
    apigw.create_model(restApiId=api["id"], name="Pet", contentType="application/json", schema=schema)
    apigw.put_method(
        restApiId=api["id"],
        resourceId=api["root"],
        httpMethod="POST",
        authorizationType="NONE",
        requestModels={"application/json": "Pet"},
    )
    ops = [{"op": "replace", "path": "/description", "value": "a pet"}]
    updated = apigw.update_model(restApiId=api["id"], modelName="Pet", patchOperations=ops)

    names = sorted(m["name"] for m in apigw.get_models(restApiId=api["id"])["items"])
    assert names == ["Empty", "Error", "Pet"]
    assert updated["description"] == "a pet"
    assert _error(apigw.delete_model, restApiId=api["id"], modelName="Pet") == (
        409,
        "ConflictException",
        "Cannot delete model 'Pet', is referenced in method request: //POST",
    )
    assert _error(
        apigw.create_model, restApiId=api["id"], name="Pet", contentType="application/json", schema=schema
    ) == (
        409,
        "ConflictException",
        "Model name already exists for this REST API",
    )
    assert _error(apigw.create_model, restApiId=api["id"], name="Cat", contentType="application/json") == _bad(
        "Model schema must have at least 1 property or array items defined"
    )
    assert _error(apigw.get_model, restApiId="nope", modelName="Pet") == _not_found("Invalid model name specified: Pet")


def test_gateway_responses_exist_for_every_type_and_inherit_the_default_of_their_class(
    apigw: Any, api: dict[str, str]
) -> None:
    untouched = apigw.get_gateway_response(restApiId=api["id"], responseType="INTEGRATION_TIMEOUT")
    template = {"application/json": '{"message":"gateway"}'}
    apigw.put_gateway_response(
        restApiId=api["id"], responseType="DEFAULT_5XX", statusCode="599", responseTemplates=template
    )
    inherited = apigw.get_gateway_response(restApiId=api["id"], responseType="INTEGRATION_TIMEOUT")
    ops = [
        {"op": "replace", "path": "/statusCode", "value": "444"},
        {"op": "add", "path": "/responseParameters/gatewayresponse.header.x-why", "value": "'because'"},
    ]
    updated = apigw.update_gateway_response(restApiId=api["id"], responseType="DEFAULT_4XX", patchOperations=ops)
    listed = apigw.get_gateway_responses(restApiId=api["id"])["items"]

    assert (untouched["statusCode"], untouched["defaultResponse"]) == ("504", True)
    assert (inherited["statusCode"], inherited["responseTemplates"], inherited["defaultResponse"]) == (
        "599",
        template,
        True,
    )
    assert (updated["statusCode"], updated["responseParameters"]) == (
        "444",
        {"gatewayresponse.header.x-why": "'because'"},
    )
    assert len(listed) == 21
    assert _error(apigw.delete_gateway_response, restApiId=api["id"], responseType="THROTTLED") == _not_found(
        "Gateway response type not defined on api"
    )
    ops = [{"op": "add", "path": "/statusCode", "value": "400"}]
    assert _error(
        apigw.update_gateway_response, restApiId=api["id"], responseType="DEFAULT_4XX", patchOperations=ops
    ) == _bad("Invalid patch path /statusCode")


def test_stages_filter_by_deployment_and_take_access_log_settings(apigw: Any, api: dict[str, str]) -> None:
    apigw.put_method(restApiId=api["id"], resourceId=api["root"], httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api["id"], resourceId=api["root"], httpMethod="GET", type="MOCK")
    first = apigw.create_deployment(restApiId=api["id"])["id"]
    second = apigw.create_deployment(restApiId=api["id"])["id"]
    created = apigw.create_stage(restApiId=api["id"], stageName="one", deploymentId=first)
    apigw.create_stage(restApiId=api["id"], stageName="two", deploymentId=second)
    arn = "arn:aws:logs:us-east-1:000000000000:log-group:access"
    ops = [{"op": "add", "path": "/accessLogSettings/destinationArn", "value": arn}]
    logged = apigw.update_stage(restApiId=api["id"], stageName="one", patchOperations=ops)

    listed = apigw.get_stages(restApiId=api["id"], deploymentId=second)["item"]
    assert [s["stageName"] for s in listed] == ["two"]
    assert (created["cacheClusterStatus"], created["tracingEnabled"], "description" in created) == (
        "NOT_AVAILABLE",
        False,
        False,
    )
    assert "createdDate" in created and "lastUpdatedDate" in logged
    assert logged["accessLogSettings"] == {"destinationArn": arn}
    for op, path, message in (
        ("replace", "/accessLogSettings/format", "Access Log value must not be empty"),
        (
            "add",
            "/accessLogSettings/other",
            "Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, "
            "/accessLogSettings/format]",
        ),
        (
            "remove",
            "/accessLogSettings/destinationArn",
            "Cannot remove method setting accessLogSettings/destinationArn because there is no method setting "
            "for this method ",
        ),
    ):
        ops = [{"op": op, "path": path, "value": ""}]
        assert _error(apigw.update_stage, restApiId=api["id"], stageName="one", patchOperations=ops) == _bad(message)
    ops = [{"op": "remove", "path": "/accessLogSettings"}]
    assert "accessLogSettings" not in apigw.update_stage(restApiId=api["id"], stageName="one", patchOperations=ops)


def test_vpc_links_are_pending_then_available_and_authorizers_need_an_api(apigw: Any) -> None:
    arn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/lb/50dc6c495c0c9188"
    created = apigw.create_vpc_link(name=unique("link"), targetArns=[arn])
    read = apigw.get_vpc_link(vpcLinkId=created["id"])
    ops = [{"op": "replace", "path": "/name", "value": "renamed"}]
    renamed = apigw.update_vpc_link(vpcLinkId=created["id"], patchOperations=ops)
    apigw.delete_vpc_link(vpcLinkId=created["id"])

    assert created["status"] == "PENDING" and "statusMessage" not in created
    assert (read["status"], read["statusMessage"]) == ("AVAILABLE", "Your vpc link is ready for use")
    assert renamed["name"] == "renamed"
    assert _error(apigw.delete_vpc_link, vpcLinkId=created["id"]) == _not_found("Invalid Vpc Link identifier specified")
    assert _error(apigw.create_vpc_link, name="x", targetArns=["not-an-arn"]) == _bad(
        "Invalid ARN. ARN is not well formed not-an-arn"
    )
    assert _error(apigw.create_authorizer, restApiId="nope", name="a", type="TOKEN") == (
        409,
        "ConflictException",
        "Unable to complete operation due to concurrent modification. Please try again later.",
    )


def test_test_invoke_method_runs_a_mock_integration_and_writes_the_execution_log(
    apigw: Any, api: dict[str, str]
) -> None:
    pets = apigw.create_resource(restApiId=api["id"], parentId=api["root"], pathPart="pets")["id"]
    pet = apigw.create_resource(restApiId=api["id"], parentId=pets, pathPart="{petId}")["id"]
    where = {"restApiId": api["id"], "resourceId": pet, "httpMethod": "GET"}
    apigw.put_method(**where, authorizationType="NONE")
    apigw.put_integration(**where, type="MOCK", requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_integration_response(
        **where, statusCode="200", responseTemplates={"application/json": '{"petId": "$input.params(\'petId\')"}'}
    )
    apigw.put_method(restApiId=api["id"], resourceId=api["root"], httpMethod="ANY", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api["id"],
        resourceId=api["root"],
        httpMethod="ANY",
        type="HTTP_PROXY",
        integrationHttpMethod="ANY",
        uri="https://${stageVariables.host}",
    )

    invoked = apigw.test_invoke_method(**where, pathWithQueryString="/pets/123?page=2")
    failed = apigw.test_invoke_method(restApiId=api["id"], resourceId=api["root"], httpMethod="GET")

    assert (invoked["status"], invoked["body"], invoked["headers"]) == (
        200,
        '{"petId": "123"}',
        {"Content-Type": "application/json"},
    )
    lines = [line.split(" : ", 1)[-1] for line in invoked["log"].split("\n")]
    assert lines[2:5] == [
        "HTTP Method: GET, Resource Path: /pets/123",
        "Method request path: {petId=123}",
        "Method request query string: {page=2}",
    ]
    assert lines[-2:] == ["Method completed with status: 200", ""]
    assert (failed["status"], failed["body"]) == (500, '{"message": "Internal server error"}')
    assert "Execution failed due to configuration error: Invalid endpoint address" in failed["log"]
    assert _error(apigw.test_invoke_method, **{**where, "httpMethod": "POST"}) == _not_found(
        "Invalid Method identifier specified"
    )
