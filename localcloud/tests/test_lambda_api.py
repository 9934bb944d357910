"""Lambda's control-plane API answers as AWS does: model validation, unknown operations, the function's shape."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import unique

Aws = Callable[[str], Any]
NAME_PATTERN = (
    r"(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?"
    r"(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?"
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def role(aws: Aws) -> Iterator[str]:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    iam = aws("iam")
    created = iam.create_role(RoleName=unique("api-role"), AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    yield created["Arn"]
    iam.delete_role(RoleName=created["RoleName"])


@pytest.fixture
def create(aws: Aws, role: str) -> Iterator[Callable[..., dict[str, Any]]]:
    awslambda, created = aws("lambda"), []

    def _create(**extra: Any) -> dict[str, Any]:
        spec = {"FunctionName": unique("api"), "Runtime": "python3.12", "Role": role, "Handler": "index.handler"}
        response: dict[str, Any] = awslambda.create_function(**{**spec, "Code": {"ZipFile": _zip()}, **extra})
        created.append(response["FunctionName"])
        return response

    yield _create
    for name in created:
        awslambda.delete_function(FunctionName=name)


def _error(call: Callable[..., Any], **params: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def test_a_function_name_outside_the_models_pattern_is_a_validation_exception(aws: Aws, role: str) -> None:
    awslambda = aws("lambda")
    expected = (
        "1 validation error detected: Value 'my-function!' at 'functionName' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}"
    )
    assert _error(awslambda.get_function, FunctionName="my-function!") == (400, "ValidationException", expected)
    assert _error(awslambda.invoke, FunctionName="my-function!") == (400, "ValidationException", expected)
    assert _error(awslambda.delete_function, FunctionName="my-function!") == (400, "ValidationException", expected)
    status, code, message = _error(
        awslambda.create_function,
        FunctionName="arn:aws:lambda::000000000000:function:no-region",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": _zip()},
    )
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: Value 'arn:aws:lambda::000000000000:function:no-region'")


def test_every_broken_constraint_is_counted_in_one_message(aws: Aws) -> None:
    status, code, message = _error(aws("lambda").get_function, FunctionName="bad!", Qualifier="q" * 129)

    assert (status, code) == (400, "ValidationException")
    assert message.startswith("2 validation errors detected: ")
    too_long = "Member must have length less than or equal to 128"
    assert f"Value '{'q' * 129}' at 'qualifier' failed to satisfy constraint: {too_long}" in message
    assert "Value 'bad!' at 'functionName' failed to satisfy constraint: Member must satisfy regular" in message


def test_a_name_longer_than_64_is_refused_at_create(aws: Aws, role: str) -> None:
    name = "a" * 65
    status, code, message = _error(
        aws("lambda").create_function,
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": _zip()},
    )

    assert (status, code) == (400, "InvalidParameterValueException")
    assert message == (
        f"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64"
    )


def test_an_arn_of_another_region_is_not_reachable(aws: Aws) -> None:
    arn = "arn:aws:lambda:eu-west-1:000000000000:function:somewhere"

    assert _error(aws("lambda").get_function, FunctionName=arn) == (
        404,
        "ResourceNotFoundException",
        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    )


def test_a_qualifier_contradicting_the_name_is_refused(aws: Aws) -> None:
    arn = "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST"

    refused = (
        400,
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.",
    )
    for name in (arn, "f:$LATEST", "000000000000:function:f:$LATEST"):  # full, short and partial ARN
        assert _error(aws("lambda").get_function, FunctionName=name, Qualifier="1") == refused


def test_an_operation_the_cloud_does_not_implement_answers_unknown_operation_in_json(aws: Aws) -> None:
    awslambda = aws("lambda")
    for call in (awslambda.get_runtime_management_config, awslambda.list_durable_executions_by_function):
        with pytest.raises(ClientError) as raised:
            call(FunctionName="any")
        response = raised.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert response["Error"]["Code"] == "UnknownOperationException"
        assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/json"


def test_account_settings_count_the_functions_and_their_code(aws: Aws, create: Callable[..., Any]) -> None:
    awslambda = aws("lambda")
    before = awslambda.get_account_settings()
    created = create()
    after = awslambda.get_account_settings()

    assert after["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert after["AccountLimit"]["CodeSizeZipped"] == 52428800
    assert after["AccountUsage"]["FunctionCount"] == before["AccountUsage"]["FunctionCount"] + 1
    assert after["AccountUsage"]["TotalCodeSize"] == before["AccountUsage"]["TotalCodeSize"] + created["CodeSize"]


def test_a_function_is_pending_when_created_then_active_each_step_a_new_revision(
    aws: Aws, create: Callable[..., Any]
) -> None:
    awslambda = aws("lambda")
    created = create(Environment={"Variables": {}})
    name = created["FunctionName"]

    assert (created["State"], created["StateReason"], created["StateReasonCode"]) == (
        "Pending",
        "The function is being created.",
        "Creating",
    )
    assert "LastUpdateStatus" not in created
    assert created["Environment"] == {"Variables": {}}
    assert "Layers" not in created
    assert created["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}
    assert created["RuntimeVersionConfig"]["RuntimeVersionArn"].startswith("arn:aws:lambda:us-east-1::runtime:")

    active = awslambda.get_function(FunctionName=name)["Configuration"]
    assert (active["State"], active["LastUpdateStatus"]) == ("Active", "Successful")
    assert "StateReason" not in active
    assert active["RevisionId"] != created["RevisionId"]

    updated = awslambda.update_function_configuration(FunctionName=name, Timeout=10)
    assert (updated["LastUpdateStatus"], updated["LastUpdateStatusReasonCode"]) == ("InProgress", "Creating")
    assert updated["RevisionId"] != active["RevisionId"]

    settled = awslambda.get_function_configuration(FunctionName=name)
    assert (settled["LastUpdateStatus"], settled["Timeout"]) == ("Successful", 10)
    assert settled["RevisionId"] not in (updated["RevisionId"], active["RevisionId"])
    assert awslambda.get_function_configuration(FunctionName=name)["RevisionId"] == settled["RevisionId"]
    assert "Environment" not in create()  # none given, none shown


def test_a_name_with_its_latest_qualifier_reaches_the_function(aws: Aws, create: Callable[..., Any]) -> None:
    name = create()["FunctionName"]

    configuration = aws("lambda").get_function(FunctionName=f"{name}:$LATEST")["Configuration"]

    assert configuration["FunctionArn"].endswith(f":function:{name}:$LATEST")


def test_error_bodies_carry_awss_members(aws: Aws, create: Callable[..., Any]) -> None:
    awslambda = aws("lambda")
    with pytest.raises(ClientError) as missing:
        awslambda.get_function(FunctionName="arn:aws:lambda:us-east-1:000000000000:function:nowhere")
    body = missing.value.response
    assert (body["Type"], body["Message"]) == (
        "User",
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nowhere",
    )

    name = create()["FunctionName"]
    with pytest.raises(ClientError) as conflict:
        create(FunctionName=name)
    body = conflict.value.response
    assert (body["Error"]["Code"], body["Type"]) == ("ResourceConflictException", "User")
    assert body["message"] == body["Error"]["Message"]


def test_successes_answer_the_operations_status_code(aws: Aws, create: Callable[..., Any]) -> None:
    awslambda = aws("lambda")
    name = create()["FunctionName"]
    alias = awslambda.create_alias(FunctionName=name, Name="live", FunctionVersion="$LATEST")

    assert alias["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert awslambda.get_alias(FunctionName=name, Name="live")["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert awslambda.delete_alias(FunctionName=name, Name="live")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_a_retired_or_unknown_runtime_is_refused(aws: Aws, role: str) -> None:
    def create(runtime: str) -> tuple[int, str, str]:
        spec = {"FunctionName": unique("rt"), "Role": role, "Handler": "index.handler", "Code": {"ZipFile": _zip()}}
        return _error(aws("lambda").create_function, Runtime=runtime, **spec)

    assert create("python3.7") == (
        400,
        "InvalidParameterValueException",
        "The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. "
        "We recommend you use a supported runtime while creating or updating functions.",
    )
    status, code, message = create("PYTHON3.9")
    assert (status, code) == (400, "InvalidParameterValueException")
    assert message.startswith("Value PYTHON3.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum")
    assert message.endswith(" or be a valid ARN") and "python3.12" in message


def test_listings_leave_out_state_and_a_published_version_has_a_revision_of_its_own(
    aws: Aws, create: Callable[..., Any]
) -> None:
    awslambda = aws("lambda")
    name = create()["FunctionName"]
    latest = awslambda.get_function(FunctionName=name)["Configuration"]
    published = awslambda.publish_version(FunctionName=name)
    assert published["RevisionId"] != latest["RevisionId"]
    assert (
        awslambda.get_function(FunctionName=name, Qualifier="1")["Configuration"]["RevisionId"]
        == (published["RevisionId"])
    )
    assert awslambda.publish_version(FunctionName=name)["RevisionId"] == published["RevisionId"]  # nothing new

    versions = awslambda.list_versions_by_function(FunctionName=name)["Versions"]
    listed = [f for f in awslambda.list_functions()["Functions"] if f["FunctionName"] == name]
    for config in [*versions, *listed]:
        assert not {"State", "StateReason", "LastUpdateStatus", "RuntimeVersionConfig"} & set(config)
    latest_now = awslambda.get_function(FunctionName=name)["Configuration"]["RevisionId"]
    assert [v["RevisionId"] for v in versions] == [latest_now, published["RevisionId"]]


def test_a_layer_version_has_a_description_and_license_info_only_when_given(aws: Aws) -> None:
    awslambda = aws("lambda")
    name = unique("layer")
    plain = awslambda.publish_layer_version(LayerName=name, Content={"ZipFile": _zip()})
    licensed = awslambda.publish_layer_version(LayerName=name, Content={"ZipFile": _zip()}, LicenseInfo="MIT")
    try:
        assert plain["Description"] == "" and "LicenseInfo" not in plain
        assert licensed["LicenseInfo"] == "MIT"
        assert "LicenseInfo" not in awslambda.get_layer_version(LayerName=name, VersionNumber=1)
    finally:
        for version in (1, 2):
            awslambda.delete_layer_version(LayerName=name, VersionNumber=version)


def test_a_partial_arn_reaches_the_function_as_its_full_arn(aws: Aws, create: Callable[..., Any]) -> None:
    awslambda = aws("lambda")
    name = create()["FunctionName"]

    updated = awslambda.update_function_configuration(FunctionName=f"000000000000:function:{name}", Timeout=7)
    assert updated["Timeout"] == 7  # moto split the partial ARN as name:qualifier: a 500
    got = awslambda.get_function(FunctionName=f"function:{name}:$LATEST")["Configuration"]
    assert got["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}:$LATEST"
    assert _error(awslambda.get_function, FunctionName="arn:aws:lambda:us-east-1:000000000000:function") == (
        404,
        "ResourceNotFoundException",
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:function",
    )


def test_snap_start_apply_on_is_kept_as_created_and_updated(aws: Aws, create: Callable[..., Any]) -> None:
    awslambda = aws("lambda")
    created = create(SnapStart={"ApplyOn": "PublishedVersions"})
    assert created["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "Off"}
    name = created["FunctionName"]

    updated = awslambda.update_function_configuration(FunctionName=name, SnapStart={"ApplyOn": "None"})
    assert updated["SnapStart"]["ApplyOn"] == "None"
    assert _error(awslambda.update_function_configuration, FunctionName=name, SnapStart={"ApplyOn": "Always"}) == (
        400,
        "ValidationException",
        "1 validation error detected: Value 'Always' at 'snapStart.applyOn' failed to satisfy constraint: "
        "Member must satisfy enum value set: [PublishedVersions, None]",
    )


def test_a_function_created_by_its_arn_is_named_by_the_arns_last_part(aws: Aws, create: Callable[..., Any]) -> None:
    name = unique("byarn")
    created = create(FunctionName=f"arn:aws:lambda:us-east-1:000000000000:function:{name}")
    assert (created["FunctionName"], created["FunctionArn"]) == (
        name,
        f"arn:aws:lambda:us-east-1:000000000000:function:{name}",
    )
    with pytest.raises(ClientError) as other_account:
        create(FunctionName=f"arn:aws:lambda:us-east-1:123456789012:function:{name}")
    assert other_account.value.response["Error"]["Code"] == "AccessDeniedException"
    assert other_account.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_vpc_config_names_the_subnets_vpc_and_an_emptied_one_none(aws: Aws, create: Callable[..., Any]) -> None:
    ec2, awslambda = aws("ec2"), aws("lambda")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(VpcId=vpc, GroupName=unique("sg"), Description="lambda")["GroupId"]
    try:
        created = create(VpcConfig={"SubnetIds": [subnet], "SecurityGroupIds": [group]})
        assert created["VpcConfig"]["VpcId"] == vpc  # moto answered vpc-123abc
        emptied = awslambda.update_function_configuration(
            FunctionName=created["FunctionName"], VpcConfig={"SubnetIds": [], "SecurityGroupIds": []}
        )
        assert emptied["VpcConfig"] == {
            "SubnetIds": [],
            "SecurityGroupIds": [],
            "VpcId": "",
            "Ipv6AllowedForDualStack": False,
        }
    finally:
        ec2.delete_security_group(GroupId=group)
        ec2.delete_subnet(SubnetId=subnet)
        ec2.delete_vpc(VpcId=vpc)


def test_an_inline_package_that_is_no_zip_is_refused(aws: Aws, role: str) -> None:
    spec = {"FunctionName": unique("nozip"), "Runtime": "python3.12", "Role": role, "Handler": "index.handler"}
    assert _error(aws("lambda").create_function, Code={"ZipFile": b"not a zip file"}, **spec) == (
        400,
        "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
    )
