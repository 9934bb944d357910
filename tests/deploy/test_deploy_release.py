"""A first release as a newcomer makes it: plan, confirm, deploy, verify, change, destroy.

One environment is released once for the module (answering "y" on a terminal, as a person would) and the
tests read it, change it out of band to see what `make plan` shows, and finally destroy it. Environments that
must stay empty (the refusals) get their own names.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stacks import templates
from tests.support.deploytool import (
    ACCOUNT,
    REGION,
    ROOT,
    Result,
    make,
    new_env,
    run,
    run_on_terminal,
    tool_env,
    write_params,
)
from tests.support.standin import pending_confirmation, rewrite, stand_in

Aws = Callable[[str], Any]
APP_RESOURCES = len(templates.resources("app"))
IAM_RESOURCES = len(templates.resources("iam"))
TABLES = sorted(
    str(r["Properties"]["TableName"]["Fn::Sub"]).removeprefix("${EnvName}-shop-")
    for r in templates.resources("app").values()
    if r["Type"] == "AWS::DynamoDB::Table"
)
IDENTITY = f"[deploy] account {ACCOUNT}, Region {REGION}, identity arn:aws:sts::{ACCOUNT}:user/moto (credentials: env)"


@dataclass
class Release:
    env: str
    environment: dict[str, str]
    first: Result


def _stacks(aws: Aws, env: str) -> dict[str, str]:
    return {
        s["StackName"]: s["StackStatus"]
        for s in aws("cloudformation").describe_stacks()["Stacks"]
        if s["StackName"].startswith(f"{env}-")
    }


def _buckets(aws: Aws, env: str) -> list[str]:
    return sorted(b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith(f"{env}-"))


def _open_change_sets(aws: Aws, env: str) -> list[str]:
    cfn = aws("cloudformation")
    names: list[str] = []
    for stack in _stacks(aws, env):
        summaries = cfn.list_change_sets(StackName=stack)["Summaries"]
        names += [c["ChangeSetName"] for c in summaries if c["ExecutionStatus"] == "AVAILABLE"]
    return names


@pytest.fixture(scope="module")
def released(endpoint: str, aws: Aws, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Release]:
    home = tmp_path_factory.mktemp("release")
    env = new_env()
    environment = tool_env(endpoint, write_params(home, env), home)
    first = run_on_terminal(["deploy", "--env", env], environment, "y")
    if first.returncode != 0:
        pytest.fail(f"first release failed:\n{first.stdout[-4000:]}\n{first.stderr}", pytrace=False)
    yield Release(env, environment, first)
    if _stacks(aws, env):  # the last test destroys it; this is for a run stopped earlier
        run(["destroy", "--env", env, "--yes"], environment)


def _update_app(aws: Aws, env: str, template: str, **changed: str) -> dict[str, str]:
    """Change the deployed app stack out of band (as another deploy would); returns its previous parameters."""
    cfn, name = aws("cloudformation"), f"{env}-shop-app"
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    before = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    # Only what the deploy tool passes: parameters at their template default stay unset, as they were.
    # (The local cloud fails an update that newly passes a parameter at its default: see the report.)
    defaults = {k: str(v.get("Default")) for k, v in templates.parameters("app").items()}
    passed = {k: changed.get(k, v) for k, v in before.items() if k in changed or v != defaults[k]}
    cfn.update_stack(
        StackName=name,
        TemplateBody=template,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in passed.items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
        Tags=stack["Tags"],
    )
    deadline = time.monotonic() + 120
    while (status := cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]).endswith("_IN_PROGRESS"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert status == "UPDATE_COMPLETE", status
    return before


# ------------------------------------------------------------------------------------------ before a release
def test_plan_of_a_new_env_shows_both_stacks_and_leaves_nothing(endpoint: str, aws: Aws, tmp_path: Path) -> None:
    env = new_env()
    result = make("plan", {"ENV": env}, tool_env(endpoint, write_params(tmp_path, env), tmp_path))

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert IDENTITY in out
    assert f"[deploy] {env}-shop-iam: {IAM_RESOURCES} resource changes (new stack)" in out
    assert "  Add     DataKey             AWS::KMS::Key    -" in out
    assert f"[deploy] {env}-shop-app: new stack, {APP_RESOURCES} resources to add (listed from stacks/app.yaml" in out
    assert "  Add     SiteBucket                     AWS::S3::Bucket                       -" in out
    assert "[deploy] plan only: nothing was changed, and the change sets are deleted again" in out
    # The CREATE change set made an empty stack; the plan deleted it, and created nothing else.
    assert _stacks(aws, env) == {}
    assert _buckets(aws, env) == []


def test_deploy_without_a_terminal_or_yes_refuses_and_creates_nothing(endpoint: str, aws: Aws, tmp_path: Path) -> None:
    env = new_env()
    result = make("deploy", {"ENV": env}, tool_env(endpoint, write_params(tmp_path, env), tmp_path, CI="true"))

    assert result.returncode != 0
    assert result.error_lines[0] == (
        "error: stdin is not a terminal, so nobody can confirm: review what is printed above, then run "
        f"make deploy ENV={env} YES=1 to go ahead without asking"
    )
    assert f"{env}-shop-iam: {IAM_RESOURCES} resource changes (new stack)" in result.stdout  # the plan was shown first
    assert _stacks(aws, env) == {} and _buckets(aws, env) == []


def test_deploy_answered_no_on_a_terminal_changes_nothing(endpoint: str, aws: Aws, tmp_path: Path) -> None:
    env = new_env()
    result = run_on_terminal(["deploy", "--env", env], tool_env(endpoint, write_params(tmp_path, env), tmp_path), "n")

    assert result.one_error() == "error: cancelled: nothing was changed"
    assert f"[deploy] Deploy env {env} to account {ACCOUNT} in {REGION}? [y/N]" in result.stdout
    assert _stacks(aws, env) == {} and _buckets(aws, env) == []


# ------------------------------------------------------------------------------------------ the release
def test_release_says_who_and_where_before_it_creates_anything(released: Release, aws: Aws) -> None:
    out = released.first.stdout
    order = [
        IDENTITY,
        f"[deploy] {released.env}-shop-app: new stack, {APP_RESOURCES} resources to add",
        "[y/N]",
        f"[deploy] creating artifacts bucket {released.env}-shop-artifacts-{ACCOUNT}-{REGION}",
        f"[deploy] {released.env}-shop-iam: executing change set ({IAM_RESOURCES} changes)",
        f"[deploy] {released.env}-shop-app: executing change set ({APP_RESOURCES} changes)",
        f"[deploy] {released.env}-shop-app: CREATE_COMPLETE",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions), out
    assert "CREATE_COMPLETE      AWS::S3::Bucket" in out  # resource events as they happen
    assert released.first.stderr == ""  # the local cloud confirms subscriptions at once: no warning
    assert _stacks(aws, released.env) == {
        f"{released.env}-shop-iam": "CREATE_COMPLETE",
        f"{released.env}-shop-app": "CREATE_COMPLETE",
    }
    assert _open_change_sets(aws, released.env) == []


def test_plan_after_the_release_has_nothing_to_do(released: Release, aws: Aws) -> None:
    result = make("plan", {"ENV": released.env}, released.environment)

    assert result.returncode == 0, result.stderr
    assert f"[deploy] {released.env}-shop-iam: no changes" in result.stdout
    assert f"[deploy] {released.env}-shop-app: no changes" in result.stdout
    assert "[deploy] site: 0 file(s) to upload" in result.stdout
    assert _open_change_sets(aws, released.env) == []


def test_plan_shows_a_change_to_one_lambdas_code(released: Release, aws: Aws) -> None:
    """The deployed App Server runs other code than the working tree's: the plan shows that, changes nothing."""
    template = (ROOT / "stacks" / "app.yaml").read_text()
    current = {p["ParameterKey"]: p["ParameterValue"] for p in _described(aws, released.env)["Parameters"]}
    other = current["AuthorizerCodeKey"]  # a zip already in the artifacts bucket
    before = _update_app(aws, released.env, template, AppServerCodeKey=other)
    try:
        result = run(["plan", "--env", released.env], released.environment)

        assert result.returncode == 0, result.stderr
        assert (
            f"  parameter AppServerCodeKey: {other} -> {before['AppServerCodeKey']} (used by AppServerFunction)"
            in result.stdout
        )
        assert f"[deploy] {released.env}-shop-iam: no changes" in result.stdout
        params = {p["ParameterKey"]: p["ParameterValue"] for p in _described(aws, released.env)["Parameters"]}
        assert params["AppServerCodeKey"] == other  # only planned
        assert _open_change_sets(aws, released.env) == []
    finally:
        _update_app(aws, released.env, template, AppServerCodeKey=before["AppServerCodeKey"])


def test_plan_shows_a_table_that_a_change_replaces(endpoint: str, aws: Aws, tmp_path: Path) -> None:
    """The deployed Customers table has another name than the template's: renaming replaces the table.

    Its own environment: the local cloud cannot rename a table in place (it keeps both), which would leave the
    module's release with a table no stack owns.
    """
    env = new_env()
    environment = tool_env(endpoint, write_params(tmp_path, env), tmp_path)
    deployed = run(["deploy", "--env", env, "--yes"], environment)
    assert deployed.returncode == 0, deployed.stderr
    template = (ROOT / "stacks" / "app.yaml").read_text()
    renamed = template.replace('"${EnvName}-shop-customers"', '"${EnvName}-shop-customers-v0"')
    assert renamed != template
    try:
        _update_app(aws, env, renamed)
        result = run(["plan", "--env", env], environment)

        assert result.returncode == 0, result.stderr
        rows = [line.split() for line in result.stdout.splitlines() if line.startswith("  Modify")]
        assert ["Modify", "CustomersTable", "AWS::DynamoDB::Table"] in [row[:3] for row in rows]
        assert _open_change_sets(aws, env) == []
        current = aws("cloudformation").get_template(StackName=f"{env}-shop-app")["TemplateBody"]
        assert "-shop-customers-v0" in str(current)  # only planned
    finally:
        run(["destroy", "--env", env, "--yes"], environment)
        dynamodb = aws("dynamodb")
        for table in dynamodb.list_tables()["TableNames"]:
            if table.startswith(f"{env}-"):
                dynamodb.delete_table(TableName=table)


def _described(aws: Aws, env: str) -> dict[str, Any]:
    return dict(aws("cloudformation").describe_stacks(StackName=f"{env}-shop-app")["Stacks"][0])


# ------------------------------------------------------------------------------------------ after it
def test_verify_says_ready_when_the_subscriptions_are_confirmed(released: Release) -> None:
    """(The code-change test above updated the app stack out of band, and back.)"""
    result = make("verify", {"ENV": released.env}, released.environment)

    assert result.returncode == 0, result.stderr
    assert (
        f"[deploy] ready: {released.env}-shop-iam CREATE_COMPLETE, {released.env}-shop-app UPDATE_COMPLETE; "
        "email subscriptions confirmed" in result.stdout
    )


def test_unconfirmed_subscriptions_say_where_the_mail_went(endpoint: str, released: Release, aws: Aws) -> None:
    """AWS reports a subscription nobody confirmed as PendingConfirmation; the local cloud confirms at once.

    A customer's own subscription (made at their first login, filtered to their mails) is theirs to confirm:
    it is neither named nor a reason to fail.
    """
    outputs = {o["OutputKey"]: o["OutputValue"] for o in _described(aws, released.env)["Outputs"]}
    topic = outputs["NotificationsTopicArn"]
    aws("sns").subscribe(
        TopicArn=topic,
        Protocol="email",
        Endpoint="customer@shop.test",
        Attributes={"FilterPolicy": json.dumps({"recipient": ["customer@shop.test"]})},
    )
    with stand_in(endpoint) as proxy:
        proxy.rules["ListSubscriptionsByTopic"] = rewrite(pending_confirmation)
        environment = {**released.environment, "SHOP_DEPLOY_TEST_AWS_ENDPOINT": proxy.url}
        verify = run(["verify", "--env", released.env], environment)
        deploy = run(["deploy", "--env", released.env, "--yes"], environment)

    line = verify.one_error()
    env = released.env
    assert line.startswith(
        f"error: the email subscriptions of orders@shop.test (order notices, topic {env}-shop-notifications) and "
        f"ops@shop.test (alarms, topic {env}-shop-ops) are not confirmed yet, so SNS sends nothing there: AWS mailed "
        "a confirmation request to each address when the stack subscribed it (subject 'AWS Notification - "
        "Subscription Confirmation', from no-reply@sns.amazonaws.com); open it and choose Confirm subscription"
    )
    # A deploy succeeds (its stacks are fine) but ends with the same news and how to check again.
    assert deploy.returncode == 0, deploy.stderr
    assert len(deploy.error_lines) == 1 and deploy.error_lines[0].startswith("warning: the email subscriptions of")
    assert deploy.error_lines[0].endswith(f"make verify ENV={env} says when it is done")
    assert "customer@shop.test" not in verify.stderr + deploy.stderr


# ------------------------------------------------------------------------------------------ destroy
def test_destroy_says_what_it_deletes_and_asks_first(released: Release, aws: Aws) -> None:
    env = released.env
    refused = run(["destroy", "--env", env], released.environment)
    cancelled = run_on_terminal(["destroy", "--env", env], released.environment, "n")

    assert refused.one_error() == (
        "error: stdin is not a terminal, so nobody can confirm: review what is printed above, then run "
        f"make destroy ENV={env} YES=1 to go ahead without asking"
    )
    assert cancelled.one_error() == "error: cancelled: nothing was changed"
    listing = refused.stdout
    assert f"[deploy] destroy deletes, in account {ACCOUNT}, Region {REGION}:" in listing
    assert f"{len(TABLES)} DynamoDB tables and their items, deleted (DeletionPolicy: Delete): " in listing
    for table in TABLES:
        assert f"{env}-shop-{table} (about " in listing
    assert "DynamoDB keeps a system backup of each (<table>$DeletedTableBackup) for 35 days" in listing
    assert f"KMS key alias/{env}-shop-data (" in listing
    assert "deleted after a 7-day waiting period (PendingWindowInDays in stacks/iam.yaml)" in listing
    assert f"S3 bucket {env}-shop-site-{ACCOUNT}-{REGION} (about " in listing
    assert f"artifacts bucket {env}-shop-artifacts-{ACCOUNT}-{REGION} and its " in listing
    assert f"Delete env {env} and everything listed above? [y/N]" in cancelled.stdout
    assert len(_stacks(aws, env)) == 2 and len(_buckets(aws, env)) == 2  # nothing deleted


def test_destroy_with_yes_deletes_it_all(released: Release, aws: Aws) -> None:
    result = make("destroy", {"ENV": released.env, "YES": "1"}, released.environment)

    assert result.returncode == 0, result.stderr
    assert f"[deploy] {released.env}-shop-app: deleted" in result.stdout
    assert f"[deploy] {released.env}-shop-iam: deleted" in result.stdout
    assert _stacks(aws, released.env) == {}
    assert _buckets(aws, released.env) == []
    assert not (ROOT / ".artifacts" / f"outputs-{released.env}.json").exists()
