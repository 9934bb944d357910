"""Lambda operations moto lacks, and the checks it skips, answered as AWS answers them (lambda_operations.py)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import unique
from test_lambda_api import _error, _zip
from test_lambda_api import role as role  # the module's execution role fixture

Aws = Callable[[str], Any]
ACCOUNT, REGION = "000000000000", "us-east-1"


def _arn(name: str, qualifier: str | None = None) -> str:
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier else arn


@pytest.fixture
def function(aws: Aws, role: str) -> Iterator[str]:
    awslambda, name = aws("lambda"), unique("ops")
    awslambda.create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": _zip()}
    )
    yield name
    awslambda.delete_function(FunctionName=name)


def test_provisioned_concurrency_lives_on_a_version_or_an_alias_never_both(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    version = awslambda.publish_version(FunctionName=function)["Version"]
    awslambda.create_alias(FunctionName=function, Name="live", FunctionVersion=version)
    missing = "No Provisioned Concurrency Config found for this function"
    get = awslambda.get_provisioned_concurrency_config
    assert _error(get, FunctionName=function, Qualifier=version) == (
        404,
        "ProvisionedConcurrencyConfigNotFoundException",
        missing,
    )
    assert _error(get, FunctionName=function, Qualifier="$LATEST") == (
        400,
        "InvalidParameterValueException",
        "The function resource provided must be an alias or a published version.",
    )
    assert _error(get, FunctionName=function, Qualifier="10") == (
        404,
        "ResourceNotFoundException",
        f"Function not found: {_arn(function, '10')}",
    )
    assert _error(get, FunctionName=function, Qualifier="nope") == (
        404,
        "ResourceNotFoundException",
        f"Cannot find alias arn: {_arn(function, 'nope')}",
    )
    put = awslambda.put_provisioned_concurrency_config
    assert _error(put, FunctionName=function, Qualifier="$LATEST", ProvisionedConcurrentExecutions=1) == (
        400,
        "InvalidParameterValueException",
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    )
    assert _error(put, FunctionName=function, Qualifier=version, ProvisionedConcurrentExecutions=1001)[2] == (
        "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000]."
    )
    assert _error(put, FunctionName=function, Qualifier=version, ProvisionedConcurrentExecutions=1000)[2] == (
        "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its "
        "minimum value of [100]."
    )

    answered = put(FunctionName=function, Qualifier=version, ProvisionedConcurrentExecutions=2)
    assert answered["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (answered["Status"], answered["RequestedProvisionedConcurrentExecutions"]) == ("IN_PROGRESS", 2)
    assert _error(put, FunctionName=function, Qualifier="live", ProvisionedConcurrentExecutions=1) == (
        409,
        "ResourceConflictException",
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
    )
    ready = get(FunctionName=function, Qualifier=version)
    assert (ready["Status"], ready["AvailableProvisionedConcurrentExecutions"]) == ("READY", 2)
    listed = awslambda.list_provisioned_concurrency_configs(FunctionName=function)["ProvisionedConcurrencyConfigs"]
    assert [c["FunctionArn"] for c in listed] == [_arn(function, version)]

    awslambda.delete_provisioned_concurrency_config(FunctionName=function, Qualifier=version)
    put(FunctionName=function, Qualifier="live", ProvisionedConcurrentExecutions=1)
    assert _error(put, FunctionName=function, Qualifier=version, ProvisionedConcurrentExecutions=1) == (
        409,
        "ResourceConflictException",
        "Version is pointed by a Provisioned Concurrency alias",
    )
    awslambda.delete_alias(FunctionName=function, Name="live")  # takes its configuration with it
    assert awslambda.list_provisioned_concurrency_configs(FunctionName=function)["ProvisionedConcurrencyConfigs"] == []
    assert _error(awslambda.list_provisioned_concurrency_configs, FunctionName="ops-nope") == (
        404,
        "ResourceNotFoundException",
        f"Function not found: {_arn('ops-nope')}",
    )


def test_recursion_config_is_terminate_until_set(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    assert awslambda.get_function_recursion_config(FunctionName=function)["RecursiveLoop"] == "Terminate"
    assert awslambda.put_function_recursion_config(FunctionName=function, RecursiveLoop="Allow")["RecursiveLoop"] == (
        "Allow"
    )
    assert awslambda.get_function_recursion_config(FunctionName=function)["RecursiveLoop"] == "Allow"
    assert _error(awslambda.put_function_recursion_config, FunctionName=function, RecursiveLoop="Sometimes") == (
        400,
        "ValidationException",
        "1 validation error detected: Value 'Sometimes' at 'recursiveLoop' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Terminate, Allow]",
    )


def test_reserved_concurrency_is_for_the_function_and_leaves_the_accounts_minimum(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    put = awslambda.put_function_concurrency
    assert _error(put, FunctionName="ops-nope", ReservedConcurrentExecutions=1) == (
        404,
        "ResourceNotFoundException",
        f"Function not found: {_arn('ops-nope', '$LATEST')}",
    )
    assert _error(put, FunctionName=_arn(function, "$LATEST"), ReservedConcurrentExecutions=1)[:2] == (
        400,
        "InvalidParameterValueException",
    )
    assert _error(put, FunctionName=function, ReservedConcurrentExecutions=901)[2] == (
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
        "below its minimum value of [100]."
    )
    assert put(FunctionName=function, ReservedConcurrentExecutions=900)["ReservedConcurrentExecutions"] == 900


def test_tags_belong_to_the_unqualified_function_and_change_its_revision(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    arn = _arn(function)
    revision = awslambda.get_function(FunctionName=function)["Configuration"]["RevisionId"]
    awslambda.tag_resource(Resource=arn, Tags={"a": "1"})
    tagged = awslambda.get_function(FunctionName=function)["Configuration"]["RevisionId"]
    assert tagged != revision
    awslambda.untag_resource(Resource=arn, TagKeys=["a"])
    assert awslambda.get_function(FunctionName=function)["Configuration"]["RevisionId"] not in (revision, tagged)

    refused = "Tags on function aliases and versions are not supported. Please specify a function ARN."
    for qualified in (_arn(function, "$LATEST"), _arn(function, "1")):
        assert _error(awslambda.tag_resource, Resource=qualified, Tags={"a": "1"}) == (
            400,
            "InvalidParameterValueException",
            refused,
        )
    assert _error(awslambda.tag_resource, Resource=arn, Tags={})[1:] == (
        "InvalidParameterValueException",
        "An error occurred and the request cannot be processed.",
    )
    too_many = {f"k{i}": "v" for i in range(51)}
    assert _error(awslambda.tag_resource, Resource=arn, Tags=too_many)[1:] == (
        "InvalidParameterValueException",
        "Number of tags exceeds resource tag limit.",
    )
    esm = f"arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:00000000-0000-0000-0000-000000000000"
    assert _error(awslambda.list_tags, Resource=esm) == (
        404,
        "ResourceNotFoundException",
        f"Event source mapping not found: {esm}",
    )


def test_a_revision_id_that_is_not_the_latest_is_a_failed_precondition(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    mismatch = (
        412,
        "PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. "
        "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    )
    update_code, update_config = awslambda.update_function_code, awslambda.update_function_configuration
    assert _error(update_code, FunctionName=function, ZipFile=_zip(), RevisionId="wrong") == mismatch
    assert _error(update_config, FunctionName=function, Timeout=5, RevisionId="wrong") == mismatch
    assert _error(awslambda.publish_version, FunctionName=function, RevisionId="wrong") == mismatch

    revision = awslambda.get_function(FunctionName=function)["Configuration"]["RevisionId"]
    updated = update_config(FunctionName=function, Timeout=5, RevisionId=revision)
    settled = awslambda.get_function(FunctionName=function)["Configuration"]["RevisionId"]
    assert settled != updated["RevisionId"]
    published = awslambda.publish_version(FunctionName=function, RevisionId=settled)
    assert awslambda.get_function(FunctionName=function)["Configuration"]["RevisionId"] != settled  # $LATEST too

    alias = awslambda.create_alias(FunctionName=function, Name="live", FunctionVersion=published["Version"])
    assert _error(awslambda.update_alias, FunctionName=function, Name="live", RevisionId="wrong") == mismatch
    changed = awslambda.update_alias(
        FunctionName=function, Name="live", Description="x", RevisionId=alias["RevisionId"]
    )
    assert changed["RevisionId"] != alias["RevisionId"]


def test_event_invoke_configs_are_kept_per_qualifier_put_replaces_update_merges(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    put, update = awslambda.put_function_event_invoke_config, awslambda.update_function_event_invoke_config
    get = awslambda.get_function_event_invoke_config
    assert _error(put, FunctionName="ops-nope", MaximumRetryAttempts=1) == (
        404,
        "ResourceNotFoundException",
        "The function doesn't exist.",
    )
    assert _error(get, FunctionName=function) == (
        404,
        "ResourceNotFoundException",
        f"The function {_arn(function, '$LATEST')} doesn't have an EventInvokeConfig",
    )
    assert _error(put, FunctionName=function, DestinationConfig={"OnSuccess": {"Destination": _arn(function)}})[2] == (
        "You can't specify the function as a destination for itself."
    )
    assert _error(put, FunctionName=function, DestinationConfig={"OnSuccess": {"Destination": _arn("ops-nope")}})[
        2
    ] == (f"The destination ARN {_arn('ops-nope')} is invalid.")

    put(FunctionName=function, MaximumRetryAttempts=0)
    replaced = put(FunctionName=function, MaximumEventAgeInSeconds=60)
    assert "MaximumRetryAttempts" not in replaced
    assert replaced["DestinationConfig"] == {"OnFailure": {}, "OnSuccess": {}}
    merged = update(FunctionName=function, MaximumRetryAttempts=1)
    assert (merged["MaximumEventAgeInSeconds"], merged["MaximumRetryAttempts"]) == (60, 1)
    assert merged["FunctionArn"] == _arn(function, "$LATEST")

    version = awslambda.publish_version(FunctionName=function)["Version"]
    assert _error(get, FunctionName=function, Qualifier=version)[0] == 404
    put(FunctionName=function, Qualifier=version, MaximumEventAgeInSeconds=120)
    first = awslambda.list_function_event_invoke_configs(FunctionName=function, MaxItems=1)
    rest = awslambda.list_function_event_invoke_configs(FunctionName=function, Marker=first["NextMarker"])
    arns = [c["FunctionArn"] for c in first["FunctionEventInvokeConfigs"] + rest["FunctionEventInvokeConfigs"]]
    assert arns == [_arn(function, "$LATEST"), _arn(function, version)]
    awslambda.delete_function_event_invoke_config(FunctionName=function)
    assert _error(get, FunctionName=function)[0] == 404
    assert get(FunctionName=function, Qualifier=version)["MaximumEventAgeInSeconds"] == 120


def test_a_url_config_belongs_to_the_function_or_to_one_alias(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    version = awslambda.publish_version(FunctionName=function)["Version"]
    awslambda.create_alias(FunctionName=function, Name="live", FunctionVersion=version)
    assert _error(awslambda.create_function_url_config, FunctionName="ops-nope", AuthType="NONE") == (
        404,
        "ResourceNotFoundException",
        "Function does not exist",
    )
    assert _error(awslambda.get_function_url_config, FunctionName=function) == (
        404,
        "ResourceNotFoundException",
        "The resource you requested does not exist.",
    )
    assert _error(awslambda.get_function_url_config, FunctionName=f"{function}:other", Qualifier="live") == (
        400,
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.",
    )

    own = awslambda.create_function_url_config(FunctionName=function, AuthType="NONE")
    assert own["FunctionArn"] == _arn(function) and "InvokeMode" not in own
    assert _error(awslambda.create_function_url_config, FunctionName=function, AuthType="NONE") == (
        409,
        "ResourceConflictException",
        f"Failed to create function url config for [functionArn = {_arn(function)}]. "
        "Error message:  FunctionUrlConfig exists for this Lambda function",
    )
    aliased = awslambda.create_function_url_config(FunctionName=function, Qualifier="live", AuthType="NONE")
    assert aliased["FunctionArn"] == _arn(function, "live") and aliased["FunctionUrl"] != own["FunctionUrl"]
    updated = awslambda.update_function_url_config(FunctionName=function, AuthType="AWS_IAM")
    assert (updated["AuthType"], updated["FunctionUrl"]) == ("AWS_IAM", own["FunctionUrl"])
    first = awslambda.list_function_url_configs(FunctionName=function, MaxItems=1)
    rest = awslambda.list_function_url_configs(FunctionName=function, Marker=first["NextMarker"])
    assert [c["FunctionArn"] for c in first["FunctionUrlConfigs"] + rest["FunctionUrlConfigs"]] == [
        _arn(function),
        _arn(function, "live"),
    ]

    awslambda.delete_function_url_config(FunctionName=function)  # the function's own, not the alias's
    assert _error(awslambda.get_function_url_config, FunctionName=function)[0] == 404
    got = awslambda.get_function_url_config(FunctionName=function, Qualifier="live")
    assert (got["InvokeMode"], got["FunctionUrl"]) == ("BUFFERED", aliased["FunctionUrl"])


def test_delete_keeps_latest_names_a_missing_function_unqualified_and_forgives_a_missing_version(
    aws: Aws, function: str
) -> None:
    awslambda = aws("lambda")
    assert _error(awslambda.delete_function, FunctionName=function, Qualifier="$LATEST") == (
        400,
        "InvalidParameterValueException",
        "$LATEST version cannot be deleted without deleting the function.",
    )
    gone = awslambda.delete_function(FunctionName=function, Qualifier="1233")  # no such version: nothing to do
    assert gone["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert _error(awslambda.delete_function, FunctionName="ops-nope", Qualifier="1") == (
        404,
        "ResourceNotFoundException",
        f"Function not found: {_arn('ops-nope')}",
    )
    awslambda.get_function(FunctionName=function)


def test_deleting_a_function_answers_204(aws: Aws, role: str) -> None:
    awslambda, name = aws("lambda"), unique("ops")
    awslambda.create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": _zip()}
    )
    assert awslambda.delete_function(FunctionName=name)["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_an_alias_routes_to_one_other_existing_version_and_is_shown_as_itself(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    for timeout in (5, 6):
        awslambda.update_function_configuration(FunctionName=function, Timeout=timeout)
        awslambda.publish_version(FunctionName=function)
    create = awslambda.create_alias

    def refused(**params: Any) -> tuple[int, str, str]:
        return _error(create, FunctionName=function, Name="live", **params)

    assert refused(FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"1": 0.5, "2": 0.5}})[2] == (
        "Number of items in AdditionalVersionWeights cannot be greater than 1"
    )
    assert refused(FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})[2] == (
        "Invalid function version 1. Function version 1 is already included in routing configuration."
    )
    assert refused(FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"10": 0.5}}) == (
        404,
        "ResourceNotFoundException",
        f"Function not found: {_arn(function, '10')}",
    )
    assert refused(FunctionVersion="$LATEST", RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})[2] == (
        "$LATEST is not supported for an alias pointing to more than 1 version"
    )
    assert refused(FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"2": 2}}) == (
        400,
        "ValidationException",
        "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to "
        "satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
        "Member must have value greater than or equal to 0.0, Member must not be null]",
    )

    created = create(FunctionName=function, Name="live", FunctionVersion="1", RoutingConfig={})
    assert "RoutingConfig" not in created
    assert refused(FunctionVersion="1") == (
        409,
        "ResourceConflictException",
        f"Alias already exists: {_arn(function, 'live')}",
    )
    create(FunctionName=function, Name="next", FunctionVersion="2")
    listed = awslambda.list_aliases(FunctionName=function, FunctionVersion="2")["Aliases"]
    assert [a["Name"] for a in listed] == ["next"]
    got = awslambda.get_function(FunctionName=function, Qualifier="live")["Configuration"]
    assert (got["FunctionArn"], got["Version"]) == (_arn(function, "live"), "1")
    assert _error(awslambda.update_alias, FunctionName=function, Name="gone", FunctionVersion="1") == (
        404,
        "ResourceNotFoundException",
        f"Alias not found: {_arn(function, 'gone')}",
    )


def test_a_code_signing_config_is_kept_and_attached_to_functions(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    publishers = {"SigningProfileVersionArns": [f"arn:aws:signer:{REGION}:{ACCOUNT}:/signing-profiles/test"]}
    created = awslambda.create_code_signing_config(AllowedPublishers=publishers)["CodeSigningConfig"]
    arn = created["CodeSigningConfigArn"]
    assert arn == f"arn:aws:lambda:{REGION}:{ACCOUNT}:code-signing-config:{created['CodeSigningConfigId']}"
    assert created["CodeSigningPolicies"] == {"UntrustedArtifactOnDeployment": "Warn"}
    missing = arn[:-1] + ("x" if arn[-1] != "x" else "y")
    assert _error(awslambda.get_code_signing_config, CodeSigningConfigArn=missing) == (
        404,
        "ResourceNotFoundException",
        f"The Lambda code signing configuration {missing} can not be found.",
    )
    assert _error(awslambda.put_function_code_signing_config, CodeSigningConfigArn=missing, FunctionName="nope")[
        :2
    ] == (404, "CodeSigningConfigNotFoundException")
    assert awslambda.get_function_code_signing_config(FunctionName=function).get("CodeSigningConfigArn") is None

    awslambda.update_code_signing_config(
        CodeSigningConfigArn=arn, CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Enforce"}
    )
    got = awslambda.get_code_signing_config(CodeSigningConfigArn=arn)["CodeSigningConfig"]
    assert got["CodeSigningPolicies"] == {"UntrustedArtifactOnDeployment": "Enforce"}
    awslambda.put_function_code_signing_config(CodeSigningConfigArn=arn, FunctionName=function)
    assert awslambda.get_function_code_signing_config(FunctionName=function)["CodeSigningConfigArn"] == arn
    assert awslambda.list_functions_by_code_signing_config(CodeSigningConfigArn=arn)["FunctionArns"] == [_arn(function)]
    awslambda.delete_function_code_signing_config(FunctionName=function)
    assert awslambda.list_functions_by_code_signing_config(CodeSigningConfigArn=arn)["FunctionArns"] == []
    awslambda.delete_code_signing_config(CodeSigningConfigArn=arn)
    assert _error(awslambda.get_code_signing_config, CodeSigningConfigArn=arn)[0] == 404


def test_code_and_environment_sizes_are_limited_as_on_aws(aws: Aws, role: str) -> None:
    awslambda = aws("lambda")
    spec = {"FunctionName": unique("ops"), "Runtime": "python3.12", "Role": role, "Handler": "index.handler"}
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.py", b"#" * 262144000)  # small zipped, 250 MB unzipped
    assert _error(awslambda.create_function, Code={"ZipFile": bomb.getvalue()}, **spec) == (
        400,
        "InvalidParameterValueException",
        "Unzipped size must be smaller than 262144000 bytes",
    )
    variables = {"SMALL_VAR": "ok", "LARGE_VAR": "x" * 4064}  # 4097 bytes as compact JSON
    status, code, message = _error(
        awslambda.create_function, Code={"ZipFile": _zip()}, Environment={"Variables": variables}, **spec
    )
    assert (status, code) == (400, "InvalidParameterValueException")
    assert message == (
        "Lambda was unable to configure your environment variables because the environment variables you have "
        f"provided exceeded the 4KB limit. String measured: {json.dumps(variables, separators=(',', ':'))}"
    )
    variables["LARGE_VAR"] = "x" * 4063
    awslambda.create_function(Code={"ZipFile": _zip()}, Environment={"Variables": variables}, **spec)
    awslambda.delete_function(FunctionName=spec["FunctionName"])


def test_publishing_with_another_code_sha256_is_refused(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    sha = awslambda.get_function(FunctionName=function)["Configuration"]["CodeSha256"]
    assert _error(awslambda.publish_version, FunctionName=function, CodeSha256="other") == (
        400,
        "InvalidParameterValueException",
        f"CodeSHA256 (other) is different from current CodeSHA256 in $LATEST ({sha}). "
        "Please try again with the CodeSHA256 in $LATEST.",
    )
    assert awslambda.publish_version(FunctionName=function, CodeSha256=sha)["Version"] == "1"


def test_a_functions_layers_are_checked_and_a_layer_version_is_found_by_its_arn(aws: Aws, function: str) -> None:
    awslambda, name = aws("lambda"), unique("layer")
    first = awslambda.publish_layer_version(LayerName=name, Content={"ZipFile": _zip()})["LayerVersionArn"]
    second = awslambda.publish_layer_version(LayerName=name, Content={"ZipFile": _zip()})["LayerVersionArn"]
    try:
        update = awslambda.update_function_configuration
        assert _error(update, FunctionName=function, Layers=[first, second]) == (
            400,
            "InvalidParameterValueException",
            "Two different versions of the same layer are not allowed to be referenced in the same function. "
            f"{first} and {second} are versions of the same layer.",
        )
        missing = first.rsplit(":", 1)[0] + ":9"
        assert _error(update, FunctionName=function, Layers=[missing])[2] == f"Layer version {missing} does not exist."
        assert _error(update, FunctionName=function, Layers=[first] * 6)[2] == "Cannot reference more than 5 layers."
        elsewhere = first.replace(f":{REGION}:", ":eu-west-1:")
        assert _error(update, FunctionName=function, Layers=[elsewhere])[2] == (
            f"Layers are not in the same region as the function. Layers are expected to be in region {REGION}."
        )
        assert update(FunctionName=function, Layers=[second])["Layers"][0]["Arn"] == second

        found = awslambda.get_layer_version_by_arn(Arn=first)
        assert (found["LayerVersionArn"], found["Version"]) == (first, 1)
        assert _error(awslambda.get_layer_version_by_arn, Arn=missing) == (
            404,
            "ResourceNotFoundException",
            "The resource you requested does not exist.",
        )
    finally:
        for version in (1, 2):
            awslambda.delete_layer_version(LayerName=name, VersionNumber=version)


def test_an_event_source_mapping_is_shown_as_aws_shows_it(aws: Aws, function: str) -> None:
    """(event_source_mapping.py) Creating at first, the function as named, SQS's defaults."""
    awslambda, sqs = aws("lambda"), aws("sqs")
    queue = sqs.create_queue(QueueName=unique("esm"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    version = awslambda.publish_version(FunctionName=function)["Version"]
    awslambda.create_alias(FunctionName=function, Name="live", FunctionVersion=version)
    try:
        created = awslambda.create_event_source_mapping(FunctionName=f"{function}:live", EventSourceArn=queue_arn)
        try:
            assert (created["State"], created["StateTransitionReason"]) == ("Creating", "USER_INITIATED")
            assert created["FunctionArn"] == _arn(function, "live")
            assert (created["FunctionResponseTypes"], created["MaximumBatchingWindowInSeconds"]) == ([], 0)
            assert not {"Tags", "FilterCriteria", "StartingPosition"} & set(created)
            got = awslambda.get_event_source_mapping(UUID=created["UUID"])
            assert (got["State"], got["FunctionArn"]) == ("Enabled", _arn(function, "live"))
        finally:
            awslambda.delete_event_source_mapping(UUID=created["UUID"])
    finally:
        sqs.delete_queue(QueueUrl=queue)


def test_an_event_source_mapping_is_refused_as_aws_refuses_it(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:ops-queue"
    create = awslambda.create_event_source_mapping
    assert _error(create, FunctionName=function)[2] == "Unrecognized event source."
    destinations = {"OnSuccess": {"Destination": queue}}
    assert _error(create, FunctionName="nope", EventSourceArn=queue, DestinationConfig=destinations) == (
        400,
        "InvalidParameterValueException",
        "Unsupported DestinationConfig parameter for given event source mapping type.",
    )
    assert _error(create, FunctionName="nope", EventSourceArn=queue)[2] == "Function does not exist"
    missing = (404, "ResourceNotFoundException", "The resource you requested does not exist.")
    uuid = "00000000-0000-0000-0000-000000000000"
    assert _error(awslambda.delete_event_source_mapping, UUID=uuid) == missing
    assert _error(awslambda.update_event_source_mapping, UUID=uuid, Enabled=False) == missing


def test_permissions_are_checked_and_removed_as_on_aws(aws: Aws, function: str) -> None:
    awslambda = aws("lambda")
    add = awslambda.add_permission
    grant = {"Action": "lambda:InvokeFunction", "StatementId": "s3", "Principal": "s3.amazonaws.com"}
    assert _error(add, FunctionName=function, Qualifier="$LATEST", **grant)[2] == (
        "We currently do not support adding policies for $LATEST."
    )
    assert _error(add, FunctionName=function, **{**grant, "Principal": "invalid.example.com"})[2] == (
        "The provided principal was invalid. Please check the principal and try again."
    )
    assert _error(add, FunctionName=function, Qualifier="nope", **grant) == (
        404,
        "ResourceNotFoundException",
        f"Cannot find alias arn: {_arn(function, 'nope')}",
    )
    assert _error(add, FunctionName=function, Qualifier="42", **grant)[2] == (
        f"Function not found: {_arn(function, '42')}"
    )
    assert _error(awslambda.remove_permission, FunctionName=function, StatementId="s3")[2] == (
        "No policy is associated with the given resource."
    )
    add(FunctionName=function, **grant)
    assert _error(add, FunctionName=function, **grant)[:2] == (409, "ResourceConflictException")
    add(FunctionName=function, **{**grant, "StatementId": "sqs", "Principal": "sqs.amazonaws.com"})
    assert _error(awslambda.remove_permission, FunctionName=function, StatementId="gone")[2] == (
        "Statement gone is not found in resource policy."
    )
    revision = awslambda.get_policy(FunctionName=function)["RevisionId"]
    assert _error(awslambda.remove_permission, FunctionName=function, StatementId="sqs", RevisionId="x")[0] == 412
    awslambda.remove_permission(FunctionName=function, StatementId="sqs", RevisionId=revision)
    assert [s["Sid"] for s in json.loads(awslambda.get_policy(FunctionName=function)["Policy"])["Statement"]] == ["s3"]

    version = awslambda.publish_version(FunctionName=function)["Version"]  # a version starts without a policy
    assert _error(awslambda.get_policy, FunctionName=function, Qualifier=version)[:2] == (
        404,
        "ResourceNotFoundException",
    )
    assert _error(awslambda.remove_permission, FunctionName="ops-nope", StatementId="s3")[2] == (
        f"No policy found for: {_arn('ops-nope')}"
    )
