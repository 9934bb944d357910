"""API Gateway's control-plane API names a missing part of a REST API as AWS does, and never answers HTML."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import unique


@pytest.fixture
def apigw(endpoint: str) -> Any:
    # No retries: a 500 would otherwise be retried for about a minute before the test saw it.
    return boto3.client("apigateway", endpoint_url=endpoint, config=Config(retries={"max_attempts": 0}))


@pytest.fixture
def api(apigw: Any) -> Iterator[dict[str, str]]:
    created = apigw.create_rest_api(name=unique("api"))
    root = apigw.get_resources(restApiId=created["id"])["items"][0]["id"]
    yield {"id": created["id"], "root": root}
    apigw.delete_rest_api(restApiId=created["id"])


def _error(call: Callable[..., Any], **params: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def test_a_method_without_integration_has_no_integration(apigw: Any, api: dict[str, str]) -> None:
    apigw.put_method(restApiId=api["id"], resourceId=api["root"], httpMethod="GET", authorizationType="NONE")

    assert _error(apigw.get_integration, restApiId=api["id"], resourceId=api["root"], httpMethod="GET") == (
        404,
        "NotFoundException",
        "Invalid Integration identifier specified",
    )
    assert _error(apigw.get_integration, restApiId=api["id"], resourceId=api["root"], httpMethod="POST")[2] == (
        "Invalid Method identifier specified"
    )
    assert _error(
        apigw.get_integration_response, restApiId=api["id"], resourceId=api["root"], httpMethod="PUT", statusCode="200"
    ) == (404, "NotFoundException", "Invalid Method identifier specified")


def test_missing_rest_api_resource_and_validator_are_named(apigw: Any, api: dict[str, str]) -> None:
    assert _error(apigw.get_rest_api, restApiId="nope") == (
        404,
        "NotFoundException",
        "Invalid API identifier specified 000000000000:nope",
    )
    assert _error(apigw.get_resource, restApiId=api["id"], resourceId="nope") == (
        404,
        "NotFoundException",
        "Invalid Resource identifier specified",
    )
    assert _error(apigw.delete_request_validator, restApiId=api["id"], requestValidatorId="nope") == (
        404,
        "NotFoundException",
        "Invalid Request Validator identifier specified",
    )


def test_an_operation_the_cloud_does_not_implement_answers_unknown_operation_in_json(
    apigw: Any, api: dict[str, str]
) -> None:
    with pytest.raises(ClientError) as raised:
        apigw.get_client_certificates()
    response = raised.value.response

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["Error"]["Code"] == "UnknownOperationException"
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/json"


def test_successes_answer_the_operations_status_code(apigw: Any) -> None:
    created = apigw.create_rest_api(name=unique("api"))
    deleted = apigw.delete_rest_api(restApiId=created["id"])

    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202


def test_a_rest_api_reads_as_awss(apigw: Any, api: dict[str, str]) -> None:
    shown = apigw.get_rest_api(restApiId=api["id"])
    private = apigw.create_rest_api(name=unique("api"), endpointConfiguration={"types": ["PRIVATE"]})
    apigw.delete_rest_api(restApiId=private["id"])

    assert shown["endpointConfiguration"] == {"types": ["EDGE"], "ipAddressType": "ipv4"}
    assert "binaryMediaTypes" not in shown
    assert private["endpointConfiguration"] == {"types": ["PRIVATE"], "ipAddressType": "dualstack"}
