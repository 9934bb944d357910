"""API Gateway REST APIs from CloudFormation answer on LocalStack's invoke URLs like AWS does.

Two fixture stacks: `apigateway_mock.yaml` (MOCK integrations only: stage settings, CORS preflight,
gateway responses, throttling) and `apigateway_lambda.yaml` (Lambda proxy integrations and
Lambda authorizers; the echo function returns the event it received).
"""

from __future__ import annotations

import base64
import http.client
import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import botocore.exceptions
import pytest
import requests
from conftest import Stacks

Aws = Callable[[str], Any]
HOST_DOMAIN = "execute-api.localhost.localstack.cloud"


@pytest.fixture(scope="module")
def mock_api(aws: Aws) -> Iterator[dict[str, str]]:
    stacks = Stacks(aws("cloudformation"))
    yield stacks.deploy("apigateway_mock.yaml")
    stacks.delete_all()


@pytest.fixture(scope="module")
def lambda_api(aws: Aws) -> Iterator[dict[str, str]]:
    stacks = Stacks(aws("cloudformation"))
    yield stacks.deploy("apigateway_lambda.yaml")
    stacks.delete_all()


def urls(endpoint: str, api_id: str, stage: str, path: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The three LocalStack invoke URL forms for one API path, with the headers each needs."""
    port = urlsplit(endpoint).port
    return {
        "_aws": (f"{endpoint}/_aws/execute-api/{api_id}/{stage}{path}", {}),
        "user_request": (f"{endpoint}/restapis/{api_id}/{stage}/_user_request_{path}", {}),
        "host": (f"{endpoint}/{stage}{path}", {"Host": f"{api_id}.{HOST_DOMAIN}:{port}"}),
    }


def url(endpoint: str, api_id: str, stage: str, path: str) -> str:
    return f"{endpoint}/_aws/execute-api/{api_id}/{stage}{path}"


def event_of(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()
    return event


# -- CloudFormation glue (no Lambda involved) ------------------------------------------------------------
def test_stage_settings_from_cloudformation_are_visible_through_the_api(aws: Aws, mock_api: dict[str, str]) -> None:
    apigw = aws("apigateway")
    api_id = mock_api["ApiId"]

    stage = apigw.get_stage(restApiId=api_id, stageName=mock_api["StageName"])
    assert mock_api["StageName"] == "test"
    assert stage["deploymentId"] == mock_api["DeploymentId"]
    assert stage["variables"] == {"color": "blue"}
    assert stage["methodSettings"]["*/*"]["throttlingRateLimit"] == 100.0
    assert stage["methodSettings"]["*/*"]["throttlingBurstLimit"] == 200
    assert stage["methodSettings"]["~1limited/GET"]["throttlingBurstLimit"] == 1
    assert stage["accessLogSettings"]["format"] == "$context.requestId $context.status"

    root = next(r for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    assert mock_api["RootResourceId"] == root["id"]
    assert apigw.get_rest_api(restApiId=api_id)["binaryMediaTypes"] == ["application/octet-stream"]

    responses = {r["responseType"]: r for r in apigw.get_gateway_responses(restApiId=api_id)["items"]}
    assert responses["DEFAULT_4XX"]["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "404"

    plan = apigw.get_usage_plan(usagePlanId=mock_api["UsagePlanId"])
    assert plan["apiStages"] == [{"apiId": api_id, "stage": "test"}]
    assert plan["throttle"] == {"burstLimit": 100, "rateLimit": 50.0}
    assert plan["quota"]["limit"] == 10000
    assert apigw.get_account()["cloudwatchRoleArn"] == mock_api["CloudWatchRoleArn"]


def test_mock_method_keeps_its_integration_responses(aws: Aws, mock_api: dict[str, str]) -> None:
    apigw = aws("apigateway")
    ping = next(r for r in apigw.get_resources(restApiId=mock_api["ApiId"])["items"] if r["path"] == "/ping")

    method = apigw.get_method(restApiId=mock_api["ApiId"], resourceId=ping["id"], httpMethod="OPTIONS")

    assert method["methodIntegration"]["type"] == "MOCK"
    parameters = method["methodIntegration"]["integrationResponses"]["204"]["responseParameters"]
    assert parameters["method.response.header.Access-Control-Allow-Origin"] == "'*'"


def test_deleting_the_stack_deletes_the_api(aws: Aws, stacks: Stacks) -> None:
    outputs = stacks.deploy("apigateway_mock.yaml")
    cfn = aws("cloudformation")
    stack_name = stacks.created.pop()

    cfn.delete_stack(StackName=stack_name)

    def gone() -> bool:
        try:
            status = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
        except botocore.exceptions.ClientError:  # a deleted stack is no longer found by name
            return True
        assert status in ("DELETE_IN_PROGRESS", "DELETE_COMPLETE"), status
        return status == "DELETE_COMPLETE"

    deadline = time.monotonic() + 30
    while not gone():
        assert time.monotonic() < deadline, "stack deletion did not finish"
        time.sleep(0.2)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        aws("apigateway").get_rest_api(restApiId=outputs["ApiId"])
    assert error.value.response["Error"]["Code"] == "NotFoundException"


# -- routing, MOCK, gateway responses, throttling (no Lambda involved) ----------------------------------------
@pytest.mark.parametrize("form", ["_aws", "user_request", "host"])
def test_mock_integration_answers_on_every_url_form(endpoint: str, mock_api: dict[str, str], form: str) -> None:
    address, headers = urls(endpoint, mock_api["ApiId"], "test", "/ping")[form]

    response = requests.get(address, headers=headers, timeout=10)

    assert response.status_code == 200
    assert response.json() == {"pong": True}
    assert response.headers["X-Stage-Color"] == "blue"
    assert response.headers["x-amzn-RequestId"]


def test_cors_preflight_comes_from_the_mock_integration_response(endpoint: str, mock_api: dict[str, str]) -> None:
    response = requests.options(
        url(endpoint, mock_api["ApiId"], "test", "/ping"),
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"},
        timeout=10,
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET,OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type,Authorization"


def test_customised_gateway_response_for_an_unknown_route(endpoint: str, mock_api: dict[str, str]) -> None:
    response = requests.get(url(endpoint, mock_api["ApiId"], "test", "/nowhere"), timeout=10)

    # MISSING_AUTHENTICATION_TOKEN is customised (status, template); DEFAULT_4XX adds the CORS headers.
    assert response.status_code == 404
    assert response.json() == {"error": "no such route", "detail": "Missing Authentication Token"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_unknown_stage_is_forbidden_and_unknown_api_not_found(endpoint: str, mock_api: dict[str, str]) -> None:
    stage = requests.get(url(endpoint, mock_api["ApiId"], "nostage", "/ping"), timeout=10)
    api = requests.get(url(endpoint, "doesnotexist", "test", "/ping"), timeout=10)

    assert stage.status_code == 403
    assert stage.json() == {"message": "Forbidden"}
    assert api.status_code == 404


def test_method_throttling_answers_429_past_rate_and_burst(endpoint: str, mock_api: dict[str, str]) -> None:
    address = url(endpoint, mock_api["ApiId"], "test", "/limited")

    responses = [requests.get(address, timeout=10) for _ in range(10)]

    statuses = [r.status_code for r in responses]
    assert 200 in statuses
    assert 429 in statuses, statuses
    throttled = responses[statuses.index(429)]
    assert throttled.json() == {"message": "Too Many Requests"}
    assert throttled.headers["Access-Control-Allow-Origin"] == "*"  # DEFAULT_4XX applies to THROTTLED
    # The stage-wide limit (100/s, burst 200) leaves other methods alone.
    assert requests.get(url(endpoint, mock_api["ApiId"], "test", "/ping"), timeout=10).status_code == 200


# -- Lambda proxy integration ---------------------------------------------------------------------------
def test_proxy_event_has_the_rest_v1_shape(endpoint: str, lambda_api: dict[str, str]) -> None:
    api_id = lambda_api["ApiId"]
    target = urlsplit(url(endpoint, api_id, "dev", "/items/42?a=1&a=2&b=x"))
    connection = http.client.HTTPConnection(target.hostname or "localhost", target.port, timeout=30)
    connection.putrequest("GET", f"{target.path}?{target.query}")
    connection.putheader("X-Rep", "1")
    connection.putheader("X-Rep", "2")
    connection.putheader("User-Agent", "apigw-test/1.0")
    connection.putheader("x-lower-case", "kept")
    connection.putheader("Accept", "text/html,application/json;q=0.9")
    connection.endheaders()
    raw = connection.getresponse()
    body = raw.read()
    response_headers = raw.headers
    connection.close()

    assert raw.status == 200, body
    event = json.loads(body)
    assert event["resource"] == "/items/{id}"
    assert event["path"] == "/items/42"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"id": "42"}
    assert event["queryStringParameters"] == {"a": "2", "b": "x"}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"], "b": ["x"]}
    assert event["headers"]["X-Rep"] == "2"
    assert event["multiValueHeaders"]["X-Rep"] == ["1", "2"]
    assert event["headers"]["x-lower-case"] == "kept"  # the client's spelling, as API Gateway passes it
    assert event["multiValueHeaders"]["Accept"] == ["text/html,application/json;q=0.9"]
    assert event["stageVariables"] == {"animal": "cat"}
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["resourceId"] == lambda_api["ItemResourceId"]
    assert context["resourcePath"] == "/items/{id}"
    assert context["httpMethod"] == "GET"
    assert context["path"] == "/dev/items/42"
    assert context["stage"] == "dev"
    assert context["apiId"] == api_id
    assert context["accountId"] == "000000000000"
    assert context["domainPrefix"] == api_id
    assert context["protocol"] == "HTTP/1.1"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["identity"]["userAgent"] == "apigw-test/1.0"
    assert context["requestId"] == response_headers["x-amzn-RequestId"]
    assert context["extendedRequestId"]
    assert isinstance(context["requestTimeEpoch"], int)
    assert context["requestTime"].endswith("+0000")
    assert "authorizer" not in context
    # Response headers: single and multi-value ones both reach the client.
    assert response_headers["X-Single"] == "one"
    assert response_headers.get_all("X-Multi") == ["a", "b"]


@pytest.mark.parametrize("form", ["_aws", "user_request", "host"])
def test_every_url_form_reaches_the_lambda(endpoint: str, lambda_api: dict[str, str], form: str) -> None:
    api_id = lambda_api["ApiId"]
    address, headers = urls(endpoint, api_id, "dev", "/items")[form]

    event = event_of(requests.get(address, headers=headers, timeout=30))

    assert event["resource"] == "/items"
    assert event["requestContext"]["path"] == "/dev/items"
    if form == "host":
        assert event["requestContext"]["domainName"] == f"{api_id}.{HOST_DOMAIN}"


def test_empty_parts_of_the_event_are_null(endpoint: str, lambda_api: dict[str, str]) -> None:
    event = event_of(requests.get(url(endpoint, lambda_api["ApiId"], "dev", "/"), timeout=30))

    assert event["resource"] == "/"
    assert event["path"] == "/"
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None
    assert event["body"] is None


def test_static_resources_win_over_parameters_and_proxy_takes_the_rest(
    endpoint: str, lambda_api: dict[str, str]
) -> None:
    def resource(method: str, path: str) -> dict[str, Any]:
        response = requests.request(method, url(endpoint, lambda_api["ApiId"], "dev", path), timeout=30)
        return event_of(response)

    assert resource("GET", "/items/special")["resource"] == "/items/special"
    assert resource("GET", "/items/other")["pathParameters"] == {"id": "other"}
    proxied = resource("PUT", "/files/a/b/c.txt")
    assert proxied["resource"] == "/files/{proxy+}"
    assert proxied["pathParameters"] == {"proxy": "a/b/c.txt"}
    assert proxied["httpMethod"] == "PUT"
    any_method = resource("DELETE", "/items")
    assert (any_method["resource"], any_method["httpMethod"]) == ("/items", "DELETE")


@pytest.mark.parametrize(("method", "path"), [("GET", "/nothing"), ("PUT", "/items/42"), ("GET", "/files")])
def test_unknown_route_is_missing_authentication_token(
    endpoint: str, lambda_api: dict[str, str], method: str, path: str
) -> None:
    response = requests.request(method, url(endpoint, lambda_api["ApiId"], "dev", path), timeout=30)

    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}


def test_text_body_is_passed_as_is(endpoint: str, lambda_api: dict[str, str]) -> None:
    response = requests.post(
        url(endpoint, lambda_api["ApiId"], "dev", "/items"),
        data=json.dumps({"sku": "A1"}),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )

    event = event_of(response)
    assert json.loads(event["body"]) == {"sku": "A1"}
    assert event["isBase64Encoded"] is False


def test_binary_body_round_trips_base64(endpoint: str, lambda_api: dict[str, str]) -> None:
    payload = bytes(range(256))

    response = requests.post(
        url(endpoint, lambda_api["ApiId"], "dev", "/files/binary"),
        data=payload,
        headers={"Content-Type": "application/octet-stream", "Accept": "application/octet-stream"},
        timeout=30,
    )

    assert response.status_code == 201
    assert response.headers["X-Was-Base64"] == "true"
    assert response.content == payload


def test_base64_response_stays_text_when_accept_is_not_binary(endpoint: str, lambda_api: dict[str, str]) -> None:
    # As on AWS: without an Accept matching binaryMediaTypes the client gets the base64 text.
    response = requests.post(
        url(endpoint, lambda_api["ApiId"], "dev", "/files/binary"),
        data=b"\x00\x01binary",
        headers={"Content-Type": "application/octet-stream", "Accept": "text/plain"},
        timeout=30,
    )

    assert response.status_code == 201
    assert base64.b64decode(response.text) == b"\x00\x01binary"


@pytest.mark.parametrize("path", ["/files/boom", "/files/malformed"])
def test_lambda_error_or_malformed_response_is_502(endpoint: str, lambda_api: dict[str, str], path: str) -> None:
    response = requests.get(url(endpoint, lambda_api["ApiId"], "dev", path), timeout=30)

    assert response.status_code == 502
    assert response.json() == {"message": "Internal server error"}
    assert response.headers["x-amzn-RequestId"]


# -- Lambda authorizers ------------------------------------------------------------------------------------
def _token_call(endpoint: str, api: dict[str, str], token: str | None, method: str = "GET") -> requests.Response:
    headers = {"Authorization": token} if token is not None else {}
    return requests.request(method, url(endpoint, api["ApiId"], "dev", "/token"), headers=headers, timeout=30)


def test_token_authorizer_allows_and_passes_its_context(endpoint: str, lambda_api: dict[str, str]) -> None:
    event = event_of(_token_call(endpoint, lambda_api, "Bearer gamma"))

    authorizer = event["requestContext"]["authorizer"]
    assert authorizer["principalId"] == "user-gamma"
    assert authorizer["admin"] == "true"  # REST APIs pass context values as strings
    assert authorizer["invocation"]


def test_token_authorizer_result_is_cached_per_token(endpoint: str, lambda_api: dict[str, str]) -> None:
    first = event_of(_token_call(endpoint, lambda_api, "Bearer alpha"))["requestContext"]["authorizer"]
    again = event_of(_token_call(endpoint, lambda_api, "Bearer alpha"))["requestContext"]["authorizer"]
    other = event_of(_token_call(endpoint, lambda_api, "Bearer beta"))["requestContext"]["authorizer"]

    assert again["invocation"] == first["invocation"]  # served from the cache: the Lambda did not run
    assert again["calls"] == first["calls"]
    assert other["invocation"] != first["invocation"]
    # The cached policy (GET only) is evaluated against each method: POST is implicitly denied.
    post = _token_call(endpoint, lambda_api, "Bearer alpha", method="POST")
    assert post.status_code == 403
    assert post.json() == {"message": "User is not authorized to access this resource"}


@pytest.mark.parametrize(
    ("token", "status", "message"),
    [
        (None, 401, "Unauthorized"),
        ("Bearer 123", 401, "Unauthorized"),  # fails IdentityValidationExpression: Lambda not called
        ("Bearer unauthorized", 401, "Unauthorized"),
        ("Bearer deny", 403, "User is not authorized to access this resource with an explicit deny"),
        ("Bearer elsewhere", 403, "User is not authorized to access this resource"),
        ("Bearer crash", 500, None),
    ],
)
def test_token_authorizer_refusals(
    endpoint: str, lambda_api: dict[str, str], token: str | None, status: int, message: str | None
) -> None:
    response = _token_call(endpoint, lambda_api, token)

    assert response.status_code == status
    assert response.json() == {"message": message}


def _request_call(endpoint: str, api: dict[str, str], user: str | None, tenant: str | None) -> requests.Response:
    return requests.get(
        url(endpoint, api["ApiId"], "dev", "/request"),
        headers={"X-User": user} if user else {},
        params={"tenant": tenant} if tenant else {},
        timeout=30,
    )


def test_request_authorizer_sees_the_request_and_is_not_cached_with_ttl_0(
    endpoint: str, lambda_api: dict[str, str]
) -> None:
    first = event_of(_request_call(endpoint, lambda_api, "alice", "t1"))["requestContext"]["authorizer"]
    second = event_of(_request_call(endpoint, lambda_api, "alice", "t1"))["requestContext"]["authorizer"]

    assert first["principalId"] == "alice"
    assert first["tenant"] == "t1"
    assert first["type"] == "REQUEST"
    assert second["invocation"] != first["invocation"]


@pytest.mark.parametrize(
    ("user", "tenant", "status", "message"),
    [
        ("alice", None, 401, "Unauthorized"),
        (None, "t1", 401, "Unauthorized"),
        ("mallory", "t1", 403, "User is not authorized to access this resource with an explicit deny"),
    ],
)
def test_request_authorizer_refusals(
    endpoint: str, lambda_api: dict[str, str], user: str | None, tenant: str | None, status: int, message: str
) -> None:
    response = _request_call(endpoint, lambda_api, user, tenant)

    assert response.status_code == status
    assert response.json() == {"message": message}
