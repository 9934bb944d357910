"""How a change set reads, given the answer AWS's DescribeChangeSet documents (in-process, no cloud).

The local cloud's change sets leave out Replacement and parameter-only changes (see docs/aws.md), so what the
tool prints for them is checked here from an AWS-shaped answer; the rest is checked against the local cloud
by test_deploy_release.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stacks import parameter_file, plan, templates
from stacks.preflight import UserError

# DescribeChangeSet's Changes for: new App Server code (a parameter) and a renamed Customers table.
AWS_CHANGES: list[dict[str, Any]] = [
    {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "AppServerFunction",
     "ResourceType": "AWS::Lambda::Function", "Replacement": "False", "Scope": ["Properties"]}},
    {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "CustomersTable",
     "ResourceType": "AWS::DynamoDB::Table", "Replacement": "True", "Scope": ["Properties"]}},
    {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "IdempotencyTable",
     "ResourceType": "AWS::DynamoDB::Table", "Replacement": "Conditional", "Scope": ["Properties"]}},
    {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "OldQueue",
     "ResourceType": "AWS::SQS::Queue"}},
]  # fmt: skip


def _plan(changes: list[dict[str, Any]]) -> plan.StackPlan:
    rows = [plan._row("app", c["ResourceChange"]) for c in changes]
    return plan.StackPlan("prod-shop-app", "app", "update", "arn:changeSet/x", rows)


def test_replacements_say_what_happens_to_the_old_resource() -> None:
    lines = plan.render(_plan(AWS_CHANGES))

    assert lines[0] == "prod-shop-app: 4 resource changes (update)"
    assert lines[1].split() == ["Action", "LogicalResourceId", "ResourceType", "Replacement"]
    assert lines[2].split() == ["Modify", "AppServerFunction", "AWS::Lambda::Function", "False"]
    # UpdateReplacePolicy is read from stacks/app.yaml: Retain for the customers, Delete for idempotency.
    assert lines[3].endswith("True  <- replaces it: the old one is kept (UpdateReplacePolicy: Retain)")
    assert lines[4].endswith("Conditional  <- may replace it: the old one is deleted with its items")
    assert lines[5].endswith("-  <- deleted with its messages")
    assert not any("?" in line for line in lines)


def test_an_unreported_replacement_is_marked_and_explained() -> None:
    change = {"Action": "Modify", "LogicalResourceId": "CustomersTable", "ResourceType": "AWS::DynamoDB::Table"}
    lines = plan.render(_plan([{"ResourceChange": change}]))

    assert lines[2].split() == ["Modify", "CustomersTable", "AWS::DynamoDB::Table", "?"]
    assert lines[-1] == "  (? = this CloudFormation endpoint did not say whether the change replaces the resource)"


def test_parameter_changes_name_the_resources_that_use_them() -> None:
    existing = {"Parameters": [{"ParameterKey": "AppServerCodeKey", "ParameterValue": "functions/app_server-a.zip"}]}
    changed = plan._parameter_changes("app", {"AppServerCodeKey": "functions/app_server-b.zip"}, existing)
    stack_plan = plan.StackPlan("prod-shop-app", "app", "update", "arn:x", parameter_changes=changed)

    lines = plan.render(stack_plan)
    assert (
        "  parameter AppServerCodeKey: functions/app_server-a.zip -> functions/app_server-b.zip "
        "(used by AppServerFunction)" in lines
    )
    # Parameters the stack did not have before show as new, at the value CloudFormation will use.
    assert ("LogRetentionDays", None, "14") in changed
    assert templates.users_of("app", "EnvName")[:2] == ["ProductsTable", "OrdersTable"]


def test_every_regional_resource_type_maps_to_a_service_the_region_check_knows() -> None:
    """A new resource namespace in a template must be added to the Region check, not silently skipped."""
    namespaces = {spec["Type"].split("::")[1] for kind in ("iam", "app") for spec in templates.resources(kind).values()}
    unknown = namespaces - set(templates.SERVICE_OF_NAMESPACE) - templates.GLOBAL_NAMESPACES
    assert unknown == set()


@pytest.mark.parametrize("name", ["local.json", "localstack.json"])
def test_the_local_parameter_files_pass_the_checks(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_PARAMS_FILE", str(parameter_file.PARAMS / name))

    loaded = parameter_file.load("local", real_aws=False)
    assert loaded.parameters["PaymentUrl"].startswith("http://")


def test_the_example_passes_locally_but_not_for_a_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_PARAMS_FILE", str(parameter_file.EXAMPLE))

    loaded = parameter_file.load("prod", real_aws=False)
    assert loaded.load_seed is False and loaded.parameters["LogRetentionDays"] == "30"
    with pytest.raises(UserError, match=r"Parameters.PaymentUrl is still the example's https://payments"):
        parameter_file.load("prod", real_aws=True)


def test_numbers_in_the_parameter_file_become_cloudformation_strings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "n.json"
    body = {"Parameters": {"PaymentUrl": "https://p.shop.test", "ShipmentUrl": "https://s.shop.test",
                           "ThrottleRateLimit": 50, "LogRetentionDays": 30.0}}  # fmt: skip
    path.write_text(json.dumps(body))
    monkeypatch.setenv("SHOP_PARAMS_FILE", str(path))

    loaded = parameter_file.load("prod", real_aws=True)
    assert loaded.parameters["ThrottleRateLimit"] == "50" and loaded.parameters["LogRetentionDays"] == "30"


def test_demo_customers_are_loaded_only_locally_unless_the_file_asks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "d.json"
    body: dict[str, Any] = {"Parameters": {"PaymentUrl": "https://p.shop.test", "ShipmentUrl": "https://s.shop.test"}}
    path.write_text(json.dumps(body))
    monkeypatch.setenv("SHOP_PARAMS_FILE", str(path))
    assert parameter_file.load("dev", real_aws=False).load_demo_customers is True
    assert parameter_file.load("dev", real_aws=True).load_demo_customers is False  # the published password stays out
    path.write_text(json.dumps({**body, "LoadDemoCustomers": True}))
    assert parameter_file.load("dev", real_aws=True).load_demo_customers is True
    path.write_text(json.dumps({**body, "LoadDemoCustomers": "yes"}))
    with pytest.raises(UserError, match="LoadDemoCustomers must be true or false"):
        parameter_file.load("dev", real_aws=True)
