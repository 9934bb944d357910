"""LOCALCLOUD_PROFILE=localstack-community leaves out, one switch each, what LocalStack community lacks.

A second cloud in that profile, on spare ports, next to the session's full one: an API method behind a Lambda
authorizer is served without running it, and stage throttling answers no 429; Scheduler schedules stay unfired
while EventBridge rules fire; SNS email is recorded at /_aws/ses in LocalStack's shape and not mailed; the
CloudFront edge does not listen, and CloudFormation makes placeholders named "unknown" of the types community has
no provider for; IAM is off. Each test fails on the full profile (test_apigateway.py,
test_schedules.py, test_sns_mail.py, test_cloudfront.py and test_iam.py prove the opposite there).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from conftest import Stacks, poll, unique

from localcloud import config
from localcloud.testing import free_ports, running_cloud

PROFILE = "localstack-community"
REGION = "us-east-1"


class Community:
    def __init__(self, url: str, ports: dict[str, int]) -> None:
        self.url, self.ports = url, ports

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Community]:
    ports = dict(zip(("port", "smtp", "mail_api", "edge"), free_ports(4), strict=True))
    env = {
        "LOCALCLOUD_PROFILE": PROFILE,
        "LOCALCLOUD_SMTP_PORT": str(ports["smtp"]),
        "LOCALCLOUD_MAIL_API_PORT": str(ports["mail_api"]),
        "LOCALCLOUD_EDGE_PORT": str(ports["edge"]),
        "LOCALCLOUD_SCHEDULE_RATE_SECONDS": "1",
    }
    with running_cloud(ports["port"], tmp_path_factory.mktemp("community"), env=env) as url:
        yield Community(url, ports)


@pytest.fixture
def community_stacks(community: Community) -> Iterator[Stacks]:
    stacks = Stacks(community.client("cloudformation"))
    yield stacks
    stacks.delete_all()


def test_health_names_the_profile_and_lists_no_cloudfront(community: Community) -> None:
    health = requests.get(f"{community.url}/_localstack/health", timeout=5).json()

    assert health["profile"] == PROFILE
    assert "cloudfront" not in health["services"]
    assert health["services"]["apigateway"] == "running"


def test_the_cloudfront_edge_does_not_listen(community: Community) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://localhost:{community.ports['edge']}/", timeout=5)


def test_a_method_behind_a_lambda_authorizer_reaches_its_integration_without_authorizer_context(
    community: Community, community_stacks: Stacks
) -> None:
    api = community_stacks.deploy("apigateway_lambda.yaml")
    url = f"{community.url}/_aws/execute-api/{api['ApiId']}/dev/token"

    # On the full profile: 401 without a token, 403 for "deny" (test_apigateway.py).
    for headers in ({}, {"Authorization": "Bearer deny"}):
        answer = requests.get(url, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        assert "authorizer" not in answer.json()["requestContext"]


def test_stage_throttling_is_not_enforced(community: Community, community_stacks: Stacks) -> None:
    api = community_stacks.deploy("apigateway_mock.yaml")
    address = f"{community.url}/_aws/execute-api/{api['ApiId']}/test/limited"  # burst 1: 429s on the full profile

    statuses = [requests.get(address, timeout=10).status_code for _ in range(10)]

    assert statuses == [200] * 10


def test_types_community_has_no_provider_for_are_placeholders_named_unknown(
    community: Community, community_stacks: Stacks
) -> None:
    api = community_stacks.deploy("apigateway_lambda.yaml")
    site = community_stacks.deploy("cloudfront_site.yaml", {"ApiId": api["ApiId"], "EchoPort": "9"})

    assert api["TokenAuthorizerId"] == "unknown"
    assert community.client("apigateway").get_authorizers(restApiId=api["ApiId"])["items"] == []
    for output in ("DistributionId", "DistributionIdAttribute", "DistributionDomainName", "AccessControlId"):
        assert site[output] == "unknown", (output, site)
    assert community.client("cloudfront").list_distributions()["DistributionList"].get("Items", []) == []


def _inputs(sfn: Any, machine_arn: str) -> list[Any]:
    arns = [e["executionArn"] for e in sfn.list_executions(stateMachineArn=machine_arn)["executions"]]
    return [json.loads(sfn.describe_execution(executionArn=arn)["input"]) for arn in arns]


def test_scheduler_schedules_do_not_fire_while_eventbridge_rules_do(
    community: Community, community_stacks: Stacks
) -> None:
    machine = community_stacks.deploy("schedules_machine.yaml")
    parameters = {"MachineArn": machine["MachineArn"], "StartRoleArn": machine["StartRoleArn"]}
    community_stacks.deploy("schedules_scheduler.yaml", {**parameters, "ScheduleName": unique("every")})
    community_stacks.deploy("schedules_rule.yaml", parameters)  # LocalStack community fires rules: the clock
    sfn = community.client("stepfunctions")

    poll(lambda: _inputs(sfn, machine["MachineArn"]).count({"from": "rule"}) >= 3, 30, "three rule executions")

    assert {"from": "scheduler"} not in _inputs(sfn, machine["MachineArn"])
    status = requests.get(f"{community.url}/_localcloud/schedules", timeout=5).json()
    scheduled = [s for s in status["schedules"] if s["kind"] == "scheduler"]
    assert scheduled, status
    assert all(s["fired"] == 0 and "not fired" in (s["lastError"] or "") for s in scheduled), scheduled


def test_sns_email_is_recorded_at_aws_ses_in_localstacks_shape_and_not_mailed(
    community: Community, community_stacks: Stacks
) -> None:
    to = f"{unique('staff')}@example.com"
    topic = community_stacks.deploy("sns_email.yaml", {"NotificationEmail": to})["TopicArn"]

    community.client("sns").publish(TopicArn=topic, Subject="Pedido 7 enviado", Message="Tu pedido 7 va en camino.")

    def recorded() -> list[dict[str, Any]]:
        messages = requests.get(f"{community.url}/_aws/ses", timeout=5).json()["messages"]
        return [m for m in messages if m["Destination"]["ToAddresses"] == [to]]

    (mail,) = poll(recorded, 20, f"the record of the mail to {to}")
    assert mail["Source"] == "admin@localstack.com"
    assert mail["Subject"] == "SNS-Subscriber-Endpoint"  # the Publish Subject is dropped, as there
    assert mail["Body"]["text_part"] == "Tu pedido 7 va en camino."  # no footer, no confirmation mail
    time.sleep(1)  # the full profile's SMTP delivery would have landed by now
    sink = requests.get(f"http://localhost:{community.ports['mail_api']}/api/v1/messages", timeout=5).json()
    assert sink["messages"] == [], sink


def test_the_profile_turns_iam_off_and_an_unknown_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALCLOUD_PROFILE", PROFILE)
    monkeypatch.delenv("LOCALCLOUD_IAM", raising=False)
    settings = config.load()
    assert (settings.profile.name, settings.iam) == (PROFILE, False)  # LocalStack community enforces no IAM

    monkeypatch.setenv("LOCALCLOUD_PROFILE", "localstack-pro")
    with pytest.raises(ValueError, match=r"localstack-pro.*full, localstack-community"):
        config.load()
