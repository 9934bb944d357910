"""Stacks CloudFormation cannot update, and a site bucket name that is taken: one line that says what to do.

A ROLLBACK_COMPLETE stack is made for real (a template whose bucket name is taken, the local cloud rolls it
back); the taken bucket is created first, or, for the race, while the tool waits for its confirmation.
UPDATE_ROLLBACK_FAILED cannot be produced on demand, so the stand-in reports it for a real stack.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.deploytool import ACCOUNT, REGION, new_env, run, run_on_terminal, tool_env, write_params
from tests.support.standin import stack_status, stand_in

Aws = Callable[[str], Any]

# A stack that rolls back on create: its bucket's name is taken.
ROLLS_BACK = """
Parameters:
  TakenBucketName: {Type: String}
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Bucket:
    Type: AWS::S3::Bucket
    DependsOn: Queue
    Properties: {BucketName: !Ref TakenBucketName}
"""


def _wait(cfn: Any, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return dict(stack)
        time.sleep(0.2)


@pytest.fixture
def cleanup(aws: Aws) -> Iterator[Callable[[str], None]]:
    """Registers environments whose stacks and buckets the test leaves behind; removes them afterwards."""
    envs: list[str] = []
    yield envs.append
    cfn, s3 = aws("cloudformation"), aws("s3")
    for env in envs:
        for kind in ("app", "iam"):
            with contextlib.suppress(Exception):
                cfn.delete_stack(StackName=f"{env}-shop-{kind}")
                _wait(cfn, f"{env}-shop-{kind}")
        for bucket in [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(f"{env}-")]:
            with contextlib.suppress(Exception):
                for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
                    for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
                        s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
                s3.delete_bucket(Bucket=bucket)


@pytest.mark.parametrize("command", ["plan", "deploy"])
def test_a_rolled_back_first_create_says_to_delete_it(
    endpoint: str, aws: Aws, tmp_path: Path, cleanup: Callable[[str], None], command: str
) -> None:
    env = new_env()
    cleanup(env)
    cfn, name = aws("cloudformation"), f"{env}-shop-app"
    taken = f"{env}-taken"
    aws("s3").create_bucket(Bucket=taken)
    cfn.create_stack(
        StackName=name,
        TemplateBody=ROLLS_BACK,
        Parameters=[{"ParameterKey": "TakenBucketName", "ParameterValue": taken}],
    )
    assert _wait(cfn, name)["StackStatus"] == "ROLLBACK_COMPLETE"

    result = run([command, "--env", env, "--yes"], tool_env(endpoint, write_params(tmp_path, env), tmp_path))

    line = result.one_error()
    assert line.startswith(f"error: {name} is ROLLBACK_COMPLETE: its first create failed (")
    assert "Bucket" in line  # the reason CloudFormation gave
    assert line.endswith(
        "The stack is empty and CloudFormation can only delete it: run aws cloudformation delete-stack "
        f"--stack-name {name} --region {REGION}, then deploy again."
    )
    assert _wait(cfn, name)["StackStatus"] == "ROLLBACK_COMPLETE"  # left for the person to decide
    assert not [s for s in cfn.describe_stacks()["Stacks"] if s["StackName"] == f"{env}-shop-iam"]


def test_update_rollback_failed_says_how_to_continue(
    endpoint: str, aws: Aws, tmp_path: Path, cleanup: Callable[[str], None]
) -> None:
    env = new_env()
    cleanup(env)
    cfn, name = aws("cloudformation"), f"{env}-shop-iam"
    cfn.create_stack(StackName=name, TemplateBody="Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n")
    assert _wait(cfn, name)["StackStatus"] == "CREATE_COMPLETE"
    reason = "The following resource(s) failed to update: [DataKey]."

    with stand_in(endpoint) as proxy:
        proxy.rules["DescribeStacks"] = stack_status(name, "UPDATE_ROLLBACK_FAILED", reason)
        result = run(["deploy", "--env", env, "--yes"], tool_env(proxy.url, write_params(tmp_path, env), tmp_path))

    line = result.one_error()
    assert line.startswith(
        f"error: {name} is UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback ({reason})."
    )
    assert f"aws cloudformation continue-update-rollback --stack-name {name} --region {REGION}" in line
    assert "--resources-to-skip" in line
    assert "CreateChangeSet" not in proxy.actions and "CreateBucket" not in str(proxy.actions)


def test_a_taken_site_bucket_is_refused_before_anything_is_created(
    endpoint: str, aws: Aws, tmp_path: Path, cleanup: Callable[[str], None]
) -> None:
    env = new_env()
    cleanup(env)
    site = f"{env}-shop-site-{ACCOUNT}-{REGION}"  # SiteBucket's BucketName in stacks/app.yaml
    aws("s3").create_bucket(Bucket=site)

    result = run(["plan", "--env", env], tool_env(endpoint, write_params(tmp_path, env), tmp_path))

    line = result.one_error()
    assert line.startswith(f"error: the site bucket name {site} is taken (BucketAlreadyExists): ")
    assert f"aws s3 rb s3://{site} --force" in line and line.endswith("or deploy under another ENV name")
    names = [s["StackName"] for s in aws("cloudformation").describe_stacks()["Stacks"]]
    assert not [n for n in names if n.startswith(f"{env}-")]
    assert [b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith(env)] == [site]


def test_a_site_bucket_taken_during_the_deploy_fails_in_one_line(
    endpoint: str, aws: Aws, tmp_path: Path, cleanup: Callable[[str], None]
) -> None:
    """The name was free at the plan; someone took it before the confirmation: CloudFormation's failure, worded."""
    env = new_env()
    cleanup(env)
    site = f"{env}-shop-site-{ACCOUNT}-{REGION}"
    environment = tool_env(endpoint, write_params(tmp_path, env), tmp_path)

    result = run_on_terminal(
        ["deploy", "--env", env], environment, "y", before_answering=lambda: aws("s3").create_bucket(Bucket=site)
    )

    line = result.one_error()
    assert line.startswith(f"error: the site bucket name {site} is taken (BucketAlreadyExists")
    assert f"aws cloudformation delete-stack --stack-name {env}-shop-app --region {REGION}" in line
    assert "SiteBucket (AWS::S3::Bucket)" in result.stdout  # the failed resources, listed above the error
    cfn = aws("cloudformation")
    assert _wait(cfn, f"{env}-shop-app")["StackStatus"] == "ROLLBACK_COMPLETE"
    assert _wait(cfn, f"{env}-shop-iam")["StackStatus"] == "CREATE_COMPLETE"

    # The next run says what to do about the failed stack instead of failing again somewhere else.
    again = run(["plan", "--env", env], environment)
    assert again.one_error().startswith(f"error: {env}-shop-app is ROLLBACK_COMPLETE: its first create failed")
