"""Before anything is created: credentials, Region and parameter file, each failure one line on stderr.

The deploy tool runs its AWS path (AWS_ENDPOINT_URL unset) against the local cloud; where the local cloud
cannot give AWS's answer (an expired token), the stand-in endpoint gives it. Every test also checks that
nothing was created: no stack and no artifacts bucket for the environment.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.deploytool import ROOT, Result, make, new_env, run, tool_env, write_params
from tests.support.standin import query_error, stand_in

Aws = Callable[[str], Any]
STS = "https://sts.amazonaws.com/doc/2011-06-15/"


def _nothing_created(aws: Aws, env: str) -> None:
    names = [s["StackName"] for s in aws("cloudformation").describe_stacks()["Stacks"]]
    assert not [n for n in names if n.startswith(f"{env}-")], names
    buckets = [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert not [b for b in buckets if b.startswith(f"{env}-")], buckets


@pytest.mark.parametrize("command", ["plan", "deploy"])
def test_no_credentials_is_one_line_that_says_how_to_sign_in(
    endpoint: str, aws: Aws, tmp_path: Path, command: str
) -> None:
    env = new_env()
    params = write_params(tmp_path, env)
    result = run(
        [command, "--env", env], tool_env(endpoint, params, tmp_path, AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="")
    )

    line = result.one_error()
    assert line.startswith("error: no AWS credentials found")
    assert "aws sso login" in line and "AWS_ACCESS_KEY_ID" in line
    _nothing_created(aws, env)


def _sso_profile(home: Path, expires_at: str | None) -> dict[str, str]:
    """An IAM Identity Center profile as `aws configure sso` writes it; a cached token only if expires_at."""
    (home / "aws-config").write_text(
        "[profile shop-admin]\nsso_session = shop\nsso_account_id = 111111111111\n"
        "sso_role_name = AdministratorAccess\nregion = eu-west-1\n\n"
        "[sso-session shop]\nsso_start_url = https://shop.awsapps.com/start\nsso_region = eu-west-1\n"
        "sso_registration_scopes = sso:account:access\n"
    )
    if expires_at:
        cache = home / ".aws" / "sso" / "cache"
        cache.mkdir(parents=True)
        token = {"startUrl": "https://shop.awsapps.com/start", "region": "eu-west-1", "accessToken": "old",
                 "expiresAt": expires_at}  # fmt: skip
        (cache / f"{hashlib.sha1(b'shop').hexdigest()}.json").write_text(json.dumps(token))  # noqa: S324 - botocore's cache name
    return {"AWS_PROFILE": "shop-admin", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_DEFAULT_REGION": ""}


@pytest.mark.parametrize(
    ("expires_at", "cause"),
    [("2026-01-01T00:00:00Z", "Token has expired"), (None, "Token for shop does not exist")],
    ids=["expired", "never-signed-in"],
)
def test_expired_sso_session_says_to_sign_in_again(
    endpoint: str, aws: Aws, tmp_path: Path, expires_at: str | None, cause: str
) -> None:
    env = new_env()
    params = write_params(tmp_path, env)
    result = run(["plan", "--env", env], tool_env(endpoint, params, tmp_path, **_sso_profile(tmp_path, expires_at)))

    line = result.one_error()
    assert "your AWS SSO session has expired or was never started" in line and cause in line
    assert line.endswith("run aws sso login --profile shop-admin, then run this again")
    # The profile's Region counts (the Makefile no longer forces us-east-1 on the AWS targets).
    assert "Region eu-west-1 (from profile shop-admin)" in result.stdout
    _nothing_created(aws, env)


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("ExpiredToken", "The security token included in the request is expired", "your AWS credentials have expired"),
        (
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            "AWS does not accept these credentials",
        ),
    ],
)
def test_credentials_sts_refuses_are_one_line(
    endpoint: str, aws: Aws, tmp_path: Path, code: str, message: str, expected: str
) -> None:
    env = new_env()
    params = write_params(tmp_path, env)
    with stand_in(endpoint) as proxy:
        proxy.rules["GetCallerIdentity"] = query_error(code, message, 403, STS)
        result = run(["deploy", "--env", env, "--yes"], tool_env(proxy.url, params, tmp_path, AWS_SESSION_TOKEN="t"))

    line = result.one_error()
    assert line.startswith(f"error: {expected} ({code}: {message})")
    assert proxy.actions == ["GetCallerIdentity"]  # asked who we are first, and did nothing else
    _nothing_created(aws, env)


def test_region_without_a_needed_service_is_refused_before_anything(endpoint: str, aws: Aws, tmp_path: Path) -> None:
    env = new_env()
    params = write_params(tmp_path, env)
    # botocore's endpoint data: API Gateway is not offered in this Region.
    result = run(["plan", "--env", env], tool_env(endpoint, params, tmp_path, AWS_REGION="us-isof-south-1"))

    line = result.one_error()
    assert line.startswith("error: Region us-isof-south-1 does not offer API Gateway (for AWS::ApiGateway::")
    assert line.endswith("which the stacks need: choose another Region with AWS_REGION")


def test_unknown_region_is_refused(endpoint: str, tmp_path: Path) -> None:
    env = new_env()
    result = run(
        ["plan", "--env", env], tool_env(endpoint, write_params(tmp_path, env), tmp_path, AWS_REGION="eu-west-9")
    )

    assert result.one_error().startswith("error: unknown Region 'eu-west-9'")


def test_cloudformation_refusing_a_resource_type_in_the_region_is_one_line(
    endpoint: str, aws: Aws, tmp_path: Path
) -> None:
    """What AWS answers CreateChangeSet in a Region that lacks a service the template uses."""
    env = new_env()
    params = write_params(tmp_path, env)
    with stand_in(endpoint) as proxy:
        proxy.rules["CreateChangeSet"] = query_error(
            "ValidationError", "Template format error: Unrecognized resource types: [AWS::Scheduler::Schedule]"
        )
        result = run(["plan", "--env", env], tool_env(proxy.url, params, tmp_path))

    line = result.one_error()
    assert line.startswith("error: Region us-east-1 does not offer AWS::Scheduler::Schedule, which the stacks use")
    _nothing_created(aws, env)


def test_missing_parameter_file_points_at_the_example(endpoint: str, tmp_path: Path) -> None:
    env = new_env()  # no stacks/params/<env>.json exists for it
    result = run(["plan", "--env", env], tool_env(endpoint, None, tmp_path))

    assert result.one_error() == (
        f"error: no parameter file stacks/params/{env}.json: copy stacks/params/prod.json.example to "
        f"stacks/params/{env}.json and set your real URLs and email addresses in it (docs/aws.md, 'Your first release')"
    )


def test_the_example_copied_unedited_is_refused_naming_the_key(endpoint: str, tmp_path: Path) -> None:
    env = new_env()
    params = tmp_path / f"{env}.json"
    shutil.copy(ROOT / "stacks" / "params" / "prod.json.example", params)
    result = run(["deploy", "--env", env, "--yes"], tool_env(endpoint, params, tmp_path))

    assert result.one_error() == (
        f"error: {params}: Parameters.PaymentUrl is still the example's https://payments.example.com: "
        "set the real value"
    )


URLS = {"PaymentUrl": "https://p.shop.test", "ShipmentUrl": "https://s.shop.test"}
INVALID = {
    "json": (
        '{\n  "Parameters": {\n    "PaymentUrl": "https://p.shop.test",\n  }\n}',
        "is not valid JSON: Expecting property name enclosed in double quotes at line 4 column 3",
    ),
    "top-level-key": ({"Paramters": {}}, "unknown key 'Paramters' (did you mean Parameters?)"),
    "unknown-parameter": (
        {"Parameters": {"NotificationEmial": "a@shop.test"}},
        "Parameters.NotificationEmial is not a parameter of stacks/app.yaml (did you mean NotificationEmail?)",
    ),
    "missing": (
        {"Parameters": {"ShipmentUrl": "https://s.shop.test"}},
        "Parameters.PaymentUrl is missing (Base URL of the Payment System (HTTP API).)",
    ),
    "url": (
        {"Parameters": {**URLS, "PaymentUrl": "payments.shop.test"}},
        "Parameters.PaymentUrl must be an http(s):// URL, not 'payments.shop.test'",
    ),
    "email": ({"Parameters": {**URLS, "OpsEmail": "ops"}}, "Parameters.OpsEmail must be an email address, not 'ops'"),
    "allowed-values": (
        {"Parameters": {**URLS, "LogRetentionDays": 10}},
        "Parameters.LogRetentionDays is '10'; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 180, 365",
    ),
    "pattern": (
        {"Parameters": {**URLS, "WorkflowPollers": "1,2"}},
        "Parameters.WorkflowPollers is '1,2', which does not match",
    ),
    "tool-owned": (
        {"Parameters": {"EnvName": "prod"}},
        "Parameters.EnvName is set by the deploy tool (from ENV and the packaged code): remove it",
    ),
    "load-seed": ({"Parameters": URLS, "LoadSeed": "no"}, 'LoadSeed must be true or false, not "no"'),
    "not-an-object": (["Parameters"], "must hold one JSON object"),
}


@pytest.mark.parametrize(("content", "expected"), list(INVALID.values()), ids=list(INVALID))
def test_invalid_parameter_file_is_one_line_naming_the_key(
    endpoint: str, aws: Aws, tmp_path: Path, content: Any, expected: str
) -> None:
    env = new_env()
    params = (
        write_params(tmp_path, env, raw=content) if isinstance(content, str) else write_params(tmp_path, env, content)
    )
    result = run(["deploy", "--env", env, "--yes"], tool_env(endpoint, params, tmp_path))

    line = result.one_error()
    assert line.startswith(f"error: {params}: ") or line.startswith(f"error: {params} "), line
    assert expected in line
    _nothing_created(aws, env)


def test_an_env_name_that_cannot_prefix_resources_is_refused(endpoint: str, tmp_path: Path) -> None:
    result = run(["plan", "--env", "Prod"], tool_env(endpoint, write_params(tmp_path, "Prod"), tmp_path))

    assert result.one_error().startswith("error: ENV='Prod' cannot name an environment: use 2-16 lower-case letters")


def test_the_test_endpoint_and_a_local_endpoint_together_are_refused(endpoint: str, tmp_path: Path) -> None:
    env = new_env()
    result = run(
        ["plan", "--env", env], tool_env(endpoint, write_params(tmp_path, env), tmp_path, AWS_ENDPOINT_URL=endpoint)
    )

    assert result.one_error() == "error: both AWS_ENDPOINT_URL and SHOP_DEPLOY_TEST_AWS_ENDPOINT are set: unset one"


@pytest.mark.parametrize("target", ["plan", "deploy", "verify", "destroy"])
def test_make_refuses_a_local_endpoint_for_the_aws_targets(endpoint: str, tmp_path: Path, target: str) -> None:
    env = new_env()
    result: Result = make(target, {"ENV": env}, tool_env(None, None, tmp_path, AWS_ENDPOINT_URL=endpoint))

    assert result.returncode != 0
    assert result.error_lines[0] == f"error: AWS_ENDPOINT_URL is set ({endpoint}): unset it to {target} on AWS"
    assert "[deploy]" not in result.stdout  # the tool never started
