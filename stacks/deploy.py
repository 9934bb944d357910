"""Deploy tool: package the Lambdas, deploy the IAM then the app stack, load the seed, upload the UI.

    python -m stacks.deploy deploy --env local     # AWS_ENDPOINT_URL set: the local cloud or LocalStack
    python -m stacks.deploy plan --env prod        # AWS_ENDPOINT_URL unset: real AWS, ordinary credentials
    python -m stacks.deploy deploy --env prod      # shows the plan, asks (--yes: does not ask)
    python -m stacks.deploy verify --env prod      # both stacks complete, email subscriptions confirmed
    python -m stacks.deploy destroy --env prod     # says what it deletes, asks (--yes: does not ask)
    python -m stacks.deploy outputs --env local

Like `aws cloudformation package` + `deploy`: zips go to an artifacts bucket under content-hash keys,
each stack goes through a change set and a waiter, and a run with nothing changed is a no-op. On AWS it
first prints the account, Region and identity it deploys as, and shows every change set before executing
it. A failure a person can fix ends in one line on stderr (preflight.py) and a non-zero exit.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from stacks import parameter_file, plan, site, templates
from stacks.packaging import package
from stacks.parameter_file import ParameterFile
from stacks.preflight import TEST_ENDPOINT_VARIABLE, Identity, UserError, explain, one_line, say, warn

ROOT = Path(__file__).resolve().parent.parent
STACKS = ROOT / "stacks"
BUILD = ROOT / ".artifacts"
FUNCTIONS = ("app_server", "authorizer", "process_order")
KINDS = ("iam", "app")  # deploy order; destroy goes the other way
ENV_NAME = re.compile(r"[a-z][a-z0-9-]{1,15}")  # EnvName's AllowedPattern in both templates
COMPLETE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE")
TOPICS = {"NotificationsTopicArn": "order notices", "OpsTopicArn": "alarms"}


@dataclass(frozen=True)
class Target:
    env: str
    endpoint: str | None
    region: str
    region_source: str = ""
    # The AWS path: identity, plan and confirmation, release checks. False for the local cloud and LocalStack
    # (AWS_ENDPOINT_URL); true for AWS and for tests that point this path at a stand-in endpoint.
    real_aws: bool = False
    _clients: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = boto3.client(service, endpoint_url=self.endpoint, region_name=self.region)
        return self._clients[service]

    @property
    def is_local(self) -> bool:
        return not self.real_aws

    @property
    def cli_region(self) -> str:
        return f"--region {self.region}"


def artifacts_bucket(target: Target, account: str) -> str:
    return f"{target.env}-shop-artifacts-{account}-{target.region}"


def ensure_bucket(target: Target, bucket: str) -> None:
    s3 = target.client("s3")
    try:
        s3.head_bucket(Bucket=bucket)
        return
    except ClientError:
        pass
    say(f"creating artifacts bucket {bucket}")
    kwargs: dict[str, Any] = {"Bucket": bucket}
    if target.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": target.region}
    try:
        s3.create_bucket(**kwargs)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "BucketAlreadyExists":
            raise UserError(
                f"the artifacts bucket name {bucket} is taken (BucketAlreadyExists: S3 bucket names are global and "
                "another AWS account owns this one): deploy under another ENV name, which prefixes it"
            ) from None
        raise
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )  # fmt: skip
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def upload_once(target: Target, bucket: str, key: str, data: bytes) -> None:
    s3 = target.client("s3")
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return  # content-addressed key: already there means identical
    except ClientError:
        pass
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    say(f"uploaded s3://{bucket}/{key} ({len(data) // 1024} KiB)")


def package_all() -> dict[str, tuple[str, bytes]]:
    """What the app stack's code parameters point at: name -> (content-hash S3 key, content). Nothing uploaded."""
    artifacts: dict[str, tuple[str, bytes]] = {}
    for function in FUNCTIONS:
        zip_path = package(function)
        artifacts[function] = (f"functions/{zip_path.name}", zip_path.read_bytes())
    for name, workflow in (("workflow", "order_workflow"), ("batch_workflow", "order_batch_workflow")):
        definition = (ROOT / "workflow" / f"{workflow}.asl.json").read_bytes()
        key = f"workflow/{workflow}-{hashlib.sha256(definition).hexdigest()[:20]}.asl.json"
        artifacts[name] = (key, definition)
    return artifacts


# ------------------------------------------------------------------------------------------ stacks
def stack_name(env: str, kind: str) -> str:
    return f"{env}-shop-{kind}"


def describe(cfn: Any, name: str) -> dict[str, Any] | None:
    try:
        return cfn.describe_stacks(StackName=name)["Stacks"][0]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise


def outputs_of(stack: dict[str, Any] | None) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in (stack or {}).get("Outputs", [])}


def site_bucket_name(env: str, account: str, region: str) -> str:
    """SiteBucket's BucketName as stacks/app.yaml spells it, for a check before the stack exists."""
    spelled = templates.resources("app")["SiteBucket"]["Properties"]["BucketName"]["Fn::Sub"]
    values = {"EnvName": env, "AWS::AccountId": account, "AWS::Region": region}
    return re.sub(r"\$\{([^}]+)\}", lambda m: values[m[1]], spelled)


def remedy(target: Target, name: str, status: str) -> str:
    """What a person does about a stack in `status`."""
    where = f"--stack-name {name} {target.cli_region}"
    if status == "ROLLBACK_COMPLETE":
        if target.is_local:
            return "The next deploy deletes the empty stack first."
        return (
            f"The stack is empty and CloudFormation can only delete it: run aws cloudformation delete-stack {where}, "
            "then deploy again."
        )
    if status == "UPDATE_ROLLBACK_COMPLETE":
        return "CloudFormation rolled the update back, so nothing changed: fix the cause and deploy again."
    if status == "UPDATE_ROLLBACK_FAILED":
        return (
            f"Fix what the stack's events name (aws cloudformation describe-stack-events {where}), run aws "
            f"cloudformation continue-update-rollback {where} (add --resources-to-skip for any resource that still "
            "cannot roll back), then deploy again."
        )
    if status in ("ROLLBACK_FAILED", "DELETE_FAILED"):
        return (
            f"Delete it, keeping what cannot be deleted: aws cloudformation delete-stack {where} --retain-resources "
            f"<the failed logical ids, from aws cloudformation describe-stack-events {where}>, then deploy again."
        )
    return f"See aws cloudformation describe-stack-events {where}."


def ready_stack(target: Target, kind: str) -> dict[str, Any] | None:
    """The stack if a change set can update it, None if there is none; a stuck stack is a UserError."""
    cfn, name = target.client("cloudformation"), stack_name(target.env, kind)
    stack = describe(cfn, name)
    if stack is None:
        return None
    status = stack["StackStatus"]
    if status == "REVIEW_IN_PROGRESS":  # only change sets, never executed: an interrupted plan left it
        say(f"{name}: deleting the empty stack an interrupted plan left (REVIEW_IN_PROGRESS)")
        cfn.delete_stack(StackName=name)
        _wait_deleted(target, name)
        return None
    if status in ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED") and target.is_local:
        say(f"{name} is {status} from an earlier failed create: deleting it first")
        cfn.delete_stack(StackName=name)
        _wait_deleted(target, name)
        return None
    if status in COMPLETE:
        return stack
    reason = one_line(stack.get("StackStatusReason") or "")
    if status.endswith("_IN_PROGRESS"):
        raise UserError(
            f"{name} is {status}: another operation is running on it; wait until it ends (aws cloudformation "
            f"describe-stacks --stack-name {name} {target.cli_region}) and run this again"
        )
    story = {
        "ROLLBACK_COMPLETE": "its first create failed",
        "ROLLBACK_FAILED": "its first create failed and so did the rollback",
        "DELETE_FAILED": "an earlier delete failed",
        "UPDATE_ROLLBACK_FAILED": "an update failed and so did its rollback",
    }.get(status, "CloudFormation cannot update it in this state")
    raise UserError(f"{name} is {status}: {story}{f' ({reason})' if reason else ''}. {remedy(target, name, status)}")


def check_site_bucket(target: Target, account: str) -> None:
    """Before a first create: is the site bucket's global name free? (CloudFormation would fail minutes later.)"""
    name = site_bucket_name(target.env, account, target.region)
    try:
        target.client("s3").head_bucket(Bucket=name)
        owner = (
            f"a bucket of that name is already in account {account}, outside any stack (left from an earlier "
            f"deployment?); if nothing in it is needed, delete it (aws s3 rb s3://{name} --force)"
        )
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            return
        owner = (
            "S3 bucket names are global and another AWS account owns this one"
            if status == 403
            else f"a bucket of that name exists in another Region (HTTP {status})"
        )
    raise UserError(
        f"the site bucket name {name} is taken (BucketAlreadyExists): {owner}, or deploy under another ENV name"
    )


def _event_ids(cfn: Any, name: str) -> set[str]:
    with contextlib.suppress(ClientError):
        return {e["EventId"] for e in cfn.describe_stack_events(StackName=name)["StackEvents"]}
    return set()


def wait_stack(target: Target, name: str, seen: set[str] | None = None, timeout: float = 3600) -> dict[str, Any]:
    """Wait for the stack to settle; with `seen` (the AWS path), print each new resource event as it happens."""
    cfn = target.client("cloudformation")
    deadline = time.monotonic() + timeout
    while True:
        stack = describe(cfn, name)
        if stack is None:
            raise UserError(f"stack {name} disappeared while the deploy waited for it (deleted by someone else?)")
        if seen is not None:
            events = [e for e in cfn.describe_stack_events(StackName=name)["StackEvents"] if e["EventId"] not in seen]
            for event in reversed(events):
                seen.add(event["EventId"])
                reason = one_line(event.get("ResourceStatusReason") or "")
                print(
                    f"  {event['Timestamp']:%H:%M:%S} {event['ResourceStatus']:<20} {event['ResourceType']:<38} "
                    f"{event['LogicalResourceId']}{f'  {reason}' if reason else ''}",
                    flush=True,
                )
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            return stack
        if time.monotonic() > deadline:
            raise UserError(
                f"{name} is still {stack['StackStatus']} after {timeout / 60:.0f} minutes; the deploy stopped waiting, "
                f"CloudFormation did not: follow it with aws cloudformation describe-stack-events --stack-name {name}"
            )
        time.sleep(1 if target.is_local else 3)


def _latest_failures(cfn: Any, name: str) -> list[dict[str, Any]]:
    """Failed resource events of the stack's latest operation, oldest first."""
    failed: list[dict[str, Any]] = []
    for page in cfn.get_paginator("describe_stack_events").paginate(StackName=name):
        for event in page["StackEvents"]:  # newest first
            if event["ResourceType"] == "AWS::CloudFormation::Stack" and event["LogicalResourceId"] == name:
                if event["ResourceStatus"] in ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS"):
                    return list(reversed(failed))  # where the operation began
                continue
            if event["ResourceStatus"].endswith("_FAILED"):
                failed.append(event)
    return list(reversed(failed))


def stack_failed(target: Target, name: str, stack: dict[str, Any]) -> UserError:
    """Print what failed and return the one-line error: the root cause, and what to do."""
    status = stack["StackStatus"]
    failures = _latest_failures(target.client("cloudformation"), name)
    say(f"{name}: {status}; failed resources:")
    for event in failures[:10]:
        reason = one_line(event.get("ResourceStatusReason", ""))
        print(f"  {event['LogicalResourceId']} ({event['ResourceType']}): {reason}")
    cause = next(
        (e for e in failures if "cancelled" not in e.get("ResourceStatusReason", "").lower()),
        failures[0] if failures else None,
    )
    if cause is None:
        what = one_line(stack.get("StackStatusReason") or "CloudFormation reported no failed resource")
        return UserError(f"{name} ended {status}: {what}. {remedy(target, name, status)}")
    reason = one_line(cause.get("ResourceStatusReason", ""))
    if cause["ResourceType"] == "AWS::S3::Bucket" and re.search(r"already exists|AlreadyExists", reason):
        account = stack["StackId"].split(":")[4]
        bucket = cause.get("PhysicalResourceId") or site_bucket_name(target.env, account, target.region)
        said = re.sub(r"^BucketAlreadyExists: ", "", reason)
        return UserError(
            f"the site bucket name {bucket} is taken (BucketAlreadyExists: {said}): if it is yours and nothing in it "
            f"is needed, delete it (aws s3 rb s3://{bucket} --force), or deploy under another ENV name. "
            f"{remedy(target, name, status)}"
        )
    return UserError(
        f"{name} ended {status}: {cause['LogicalResourceId']} ({cause['ResourceType']}): {reason}. "
        f"{remedy(target, name, status)}"
    )


def _wait_deleted(target: Target, name: str, timeout: float = 3600) -> None:
    cfn = target.client("cloudformation")
    deadline = time.monotonic() + timeout
    while (stack := describe(cfn, name)) is not None and stack["StackStatus"] != "DELETE_COMPLETE":
        if stack["StackStatus"] == "DELETE_FAILED":
            raise stack_failed(target, name, stack)
        if time.monotonic() > deadline:
            raise UserError(f"{name}: still {stack['StackStatus']} after {timeout / 60:.0f} minutes")
        time.sleep(2)


def execute(target: Target, stack_plan: plan.StackPlan) -> dict[str, str]:
    """Execute a planned change set and wait; returns the stack's outputs."""
    cfn = target.client("cloudformation")
    if not stack_plan.changes:
        say(f"{stack_plan.name}: no changes")
        return outputs_of(describe(cfn, stack_plan.name))
    say(f"{stack_plan.name}: executing change set ({len(stack_plan.rows)} changes)")
    seen = _event_ids(cfn, stack_plan.name) if target.real_aws else None
    cfn.execute_change_set(ChangeSetName=stack_plan.change_set_id)
    stack_plan.executed = True
    stack = wait_stack(target, stack_plan.name, seen)
    if stack["StackStatus"] not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        raise stack_failed(target, stack_plan.name, stack)
    say(f"{stack_plan.name}: {stack['StackStatus']}")
    return outputs_of(stack)


# ------------------------------------------------------------------------------------------ data and subscriptions
def load_seed(target: Target, outputs: dict[str, str], *, demo_customers: bool) -> None:
    try:
        from seed.load import load_all
    except ImportError:
        say("seed loader not present yet; skipping the seed")
        return
    tables = {
        "Products": outputs["ProductsTableName"],
        "Orders": outputs["OrdersTableName"],
        "Customers": outputs["CustomersTableName"],
    }
    # Without the demo customers, the catalog only: no accounts with the published password, no history of theirs.
    load_all(tables, target.client("dynamodb"), only=None if demo_customers else ("Products",))
    say("seed loaded" + ("" if demo_customers else " (the catalog; LoadDemoCustomers is false)"))


def unconfirmed_subscriptions(target: Target, outputs: dict[str, str]) -> list[tuple[str, str, str]]:
    """(address, topic, what it carries) for each staff email subscription still PendingConfirmation.

    Only the addresses the stack subscribes (its *Email parameters) count: customers subscribe themselves at
    first login, and one who has not confirmed yet must neither fail a release nor be named in its output.
    """
    sns = target.client("sns")
    app = describe(target.client("cloudformation"), stack_name(target.env, "app")) or {}
    staff = {p["ParameterValue"].lower() for p in app.get("Parameters", []) if p["ParameterKey"].endswith("Email")}
    pending: list[tuple[str, str, str]] = []
    for key, purpose in TOPICS.items():
        if key not in outputs:
            continue
        for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=outputs[key]):
            for sub in page["Subscriptions"]:
                if (
                    sub["Protocol"] in ("email", "email-json")
                    and sub["SubscriptionArn"] == "PendingConfirmation"
                    and sub["Endpoint"].lower() in staff
                ):
                    pending.append((sub["Endpoint"], outputs[key].rsplit(":", 1)[-1], purpose))
    return pending


def pending_message(pending: list[tuple[str, str, str]]) -> str:
    which = " and ".join(f"{address} ({purpose}, topic {topic})" for address, topic, purpose in pending)
    one = len(pending) == 1
    return (
        f"the email subscription{'' if one else 's'} of {which} {'is' if one else 'are'} not confirmed yet, so SNS "
        f"sends nothing there: AWS mailed a confirmation request to {'that address' if one else 'each address'} "
        "when the stack subscribed it (subject 'AWS Notification - Subscription Confirmation', from "
        "no-reply@sns.amazonaws.com); open it and choose Confirm subscription (look in the spam folder too; if the "
        "mail is gone, the SNS console's Subscriptions page can request the confirmation again)"
    )


# ------------------------------------------------------------------------------------------ commands
def outputs_path(env: str) -> Path:
    return BUILD / f"outputs-{env}.json"


def public_outputs(target: Target, outputs: dict[str, str], local: dict[str, str]) -> dict[str, str]:
    """The stack's outputs, plus the URLs a person or a test uses on this target."""
    result = dict(outputs)
    if target.is_local:
        # Local targets serve execute-api and CloudFront on loopback, at LocalStack's URL forms.
        result["ApiUrl"] = f"{target.endpoint}/_aws/execute-api/{outputs['ApiId']}/{outputs['ApiStageName']}"
        domain = outputs["DistributionDomainName"]
        result["WebUrl"] = f"http://{domain}" if "localhost" in domain else "http://localhost:8080"
        result.update(local)
    result.setdefault("MailUrl", "(real mail on AWS: confirm the SNS subscription in your inbox)")
    return result


def preflight(target: Target) -> Identity:
    """The Region offers what the stacks need, and whose credentials these are: printed before anything is made."""
    from stacks.preflight import check_region, identity

    check_region(target.region, KINDS)
    who = identity(boto3.Session(), target.client("sts"))
    say(f"account {who.account}, Region {target.region}, identity {who.arn} (credentials: {who.credentials_from})")
    return who


def confirm(question: str, without_asking: str) -> None:
    """Ask on the terminal; never assume a yes when nobody can answer."""
    if not sys.stdin.isatty():
        raise UserError(
            f"stdin is not a terminal, so nobody can confirm: review what is printed above, then run "
            f"{without_asking} to go ahead without asking"
        )
    print(f"[deploy] {question} [y/N] ", end="", flush=True)
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise UserError("cancelled: nothing was changed")


def show_plan(plans: list[plan.StackPlan], uploads: dict[str, bytes], params: ParameterFile) -> None:
    for stack_plan in plans:
        lines = plan.render(stack_plan, depends_on=plans[0].name)
        say(lines[0])
        for line in lines[1:]:
            print(line)
    names = ", ".join(list(uploads)[:5]) + (", ..." if len(uploads) > 5 else "")
    say(f"site: {len(uploads)} file(s) to upload" + (f" ({names})" if uploads else ""))
    if not (ROOT / "react-ui" / "dist").exists():
        say("site: react-ui/dist is missing, so there is no storefront to upload: build it with make ui")
    if params.load_seed:
        say("seed: the demo data is loaded into the tables (LoadSeed is true)")
    else:
        say("seed: not loaded (LoadSeed is false)")


def cmd_deploy(target: Target, yes: bool = False, plan_only: bool = False) -> int:
    started = time.monotonic()
    params = parameter_file.load(target.env, target.real_aws)
    account = preflight(target).account if target.real_aws else _account(target)
    stacks = {kind: ready_stack(target, kind) for kind in KINDS}
    bucket = artifacts_bucket(target, account)
    artifacts = package_all()
    app_params = {
        "EnvName": target.env,
        "ArtifactsBucket": bucket,
        "AppServerCodeKey": artifacts["app_server"][0],
        "AuthorizerCodeKey": artifacts["authorizer"][0],
        "ProcessOrderCodeKey": artifacts["process_order"][0],
        "WorkflowDefinitionKey": artifacts["workflow"][0],
        "BatchWorkflowDefinitionKey": artifacts["batch_workflow"][0],
        **params.parameters,
    }
    stack_parameters = {"iam": {"EnvName": target.env}, "app": app_params}
    if target.real_aws and stacks["app"] is None:
        check_site_bucket(target, account)
    cfn = target.client("cloudformation")
    change_set = f"{'plan' if plan_only else 'deploy'}-{int(time.time())}"
    tags = [{"Key": "project", "Value": "serverless-shop"}, {"Key": "env", "Value": target.env}]

    def make_plan(kind: str) -> plan.StackPlan:
        name = stack_name(target.env, kind)
        return plan.make(cfn, name, kind, stack_parameters[kind], stacks[kind], change_set, tags, target.region)

    plans: list[plan.StackPlan] = []
    try:
        plans.append(make_plan("iam"))
        if stacks["iam"] is None and stacks["app"] is None:
            plans.append(plan.listing(stack_name(target.env, "app"), "app"))  # its imports do not exist yet
        else:
            plans.append(make_plan("app"))
        if target.real_aws or plan_only:
            site_bucket = outputs_of(stacks["app"]).get("SiteBucketName")
            uploads = site.changes(target.client("s3"), site_bucket, site.files(params.site))
            show_plan(plans, uploads, params)
            if plan_only:
                say("plan only: nothing was changed, and the change sets are deleted again")
                return 0
            if not any(p.changes for p in plans) and not uploads and not params.load_seed:
                say("nothing to deploy: both stacks and the site are up to date")
            elif not yes:
                confirm(
                    f"Deploy env {target.env} to account {account} in {target.region}?",
                    f"make deploy ENV={target.env} YES=1",
                )
        ensure_bucket(target, bucket)
        for key, data in artifacts.values():
            upload_once(target, bucket, key, data)
        outputs: dict[str, str] = {}
        for index, kind in enumerate(KINDS):
            if plans[index].mode == "listing":
                plans[index] = make_plan(kind)
            outputs = execute(target, plans[index])
    finally:
        for stack_plan in plans:
            plan.discard(cfn, stack_plan)
    if params.load_seed:
        load_seed(target, outputs, demo_customers=params.load_demo_customers)
    else:
        say("seed not loaded (LoadSeed is false in the parameter file)")
    site.upload(target.client("s3"), outputs["SiteBucketName"], params.site)
    result = public_outputs(target, outputs, params.local)
    BUILD.mkdir(exist_ok=True)
    outputs_path(target.env).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    for key in ("WebUrl", "ApiUrl", "MailUrl", "PaymentUrl", "ShipmentUrl"):
        say(f"{key:12} {result.get(key)}")
    if target.real_aws:
        pending = unconfirmed_subscriptions(target, outputs)
        if pending:
            warn(pending_message(pending) + f"; make verify ENV={target.env} says when it is done")
    say(f"done in {time.monotonic() - started:.1f}s (outputs in {outputs_path(target.env).relative_to(ROOT)})")
    return 0


def cmd_verify(target: Target) -> int:
    """Ready for orders: both stacks complete and every email subscription confirmed."""
    if target.real_aws:
        preflight(target)
    cfn = target.client("cloudformation")
    stacks: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        name = stack_name(target.env, kind)
        stack = describe(cfn, name)
        if stack is None:
            raise UserError(f"{name} does not exist: deploy first (make deploy ENV={target.env})")
        if stack["StackStatus"] not in COMPLETE:
            reason = one_line(stack.get("StackStatusReason") or "")
            raise UserError(
                f"{name} is {stack['StackStatus']}{f' ({reason})' if reason else ''}. "
                f"{remedy(target, name, stack['StackStatus'])}"
            )
        stacks[kind] = stack
    outputs = outputs_of(stacks["app"])
    pending = unconfirmed_subscriptions(target, outputs)
    if pending:
        raise UserError(pending_message(pending))
    states = ", ".join(f"{s['StackName']} {s['StackStatus']}" for s in stacks.values())
    say(f"ready: {states}; email subscriptions confirmed")
    say(f"{'WebUrl':12} {outputs.get('WebUrl')}")
    return 0


def cmd_outputs(target: Target) -> int:
    path = outputs_path(target.env)
    if path.exists():
        print(path.read_text(), end="")
        return 0
    stack = describe(target.client("cloudformation"), stack_name(target.env, "app"))
    if stack is None:
        raise UserError(f"no deployment for env {target.env}: run make deploy-local (or make deploy ENV=...)")
    local = parameter_file.load(target.env, real_aws=False).local if target.is_local else {}
    print(json.dumps(public_outputs(target, outputs_of(stack), local), indent=2, sort_keys=True))
    return 0


def _empty_bucket(target: Target, bucket: str) -> None:
    s3 = target.client("s3")
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            objects = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            ]
            if objects:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
    except ClientError as error:
        if "NoSuchBucket" not in str(error):
            raise


def cmd_destroy(target: Target, yes: bool = False) -> int:
    cfn = target.client("cloudformation")
    account = preflight(target).account if target.real_aws else _account(target)
    bucket = artifacts_bucket(target, account)
    stacks = {kind: s for kind in reversed(KINDS) if (s := describe(cfn, stack_name(target.env, kind)))}
    if target.real_aws:
        lines = plan.inventory(target, stacks, bucket)
        if not lines:
            say(f"nothing to destroy: env {target.env} has no stacks and no artifacts bucket here")
            outputs_path(target.env).unlink(missing_ok=True)
            return 0
        say(f"destroy deletes, in account {account}, Region {target.region}:")
        for line in lines:
            print(f"  {line}")
        if not yes:
            confirm(f"Delete env {target.env} and everything listed above?", f"make destroy ENV={target.env} YES=1")
    for kind, stack in stacks.items():
        name = stack_name(target.env, kind)
        site = outputs_of(stack).get("SiteBucketName")
        if site:
            _empty_bucket(target, site)
        cfn.delete_stack(StackName=name)
        _wait_deleted(target, name)
        say(f"{name}: deleted")
    _empty_bucket(target, bucket)
    with contextlib.suppress(ClientError):  # already gone
        target.client("s3").delete_bucket(Bucket=bucket)
    outputs_path(target.env).unlink(missing_ok=True)
    return 0


def make_target(env: str, region_arg: str | None) -> Target:
    """Where this run goes: AWS_ENDPOINT_URL -> a local target; otherwise AWS (or, in tests, the stand-in)."""
    from stacks.preflight import resolve_region

    if not ENV_NAME.fullmatch(env):
        raise UserError(
            f"ENV={env!r} cannot name an environment: use 2-16 lower-case letters, digits or '-', starting with a "
            "letter (it prefixes every resource name)"
        )
    region, source = resolve_region(region_arg)
    test_endpoint, local_endpoint = os.environ.get(TEST_ENDPOINT_VARIABLE), os.environ.get("AWS_ENDPOINT_URL")
    if test_endpoint and local_endpoint:
        raise UserError(f"both AWS_ENDPOINT_URL and {TEST_ENDPOINT_VARIABLE} are set: unset one")
    return Target(env, test_endpoint or local_endpoint or None, region, source, real_aws=not local_endpoint)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stacks.deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("plan", "deploy", "verify", "outputs", "destroy", "package"))
    parser.add_argument("--env", default="local")
    parser.add_argument(
        "--region", default=None, help="default: AWS_REGION, AWS_DEFAULT_REGION, the profile's Region, us-east-1"
    )
    parser.add_argument("--yes", action="store_true", help="deploy or destroy without asking (make: YES=1)")
    args = parser.parse_args(argv)
    region: str | None = args.region
    try:
        if args.command == "package":
            for function in FUNCTIONS:
                path = package(function)
                say(f"{path.relative_to(ROOT)} {path.stat().st_size // 1024} KiB")
            return 0
        target = make_target(args.env, args.region)
        region = target.region
        if args.command != "outputs":  # `outputs` prints one JSON object and nothing else, for jq and scripts
            say(f"env {target.env} -> {_where(target)}")
        if args.command in ("plan", "deploy"):
            return cmd_deploy(target, yes=args.yes, plan_only=args.command == "plan")
        if args.command == "destroy":
            return cmd_destroy(target, yes=args.yes)
        return {"verify": cmd_verify, "outputs": cmd_outputs}[args.command](target)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
    except (BotoCoreError, ClientError) as error:
        print(f"error: {explain(error, region)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted (an operation CloudFormation already began carries on without us)", file=sys.stderr)
        return 130
    return 1


def _where(target: Target) -> str:
    if target.is_local:
        return str(target.endpoint)
    region = f"Region {target.region} ({target.region_source})"
    if target.endpoint:
        return f"the AWS path against {target.endpoint} ({TEST_ENDPOINT_VARIABLE}: tests only), {region}"
    return f"AWS, {region}"


def _account(target: Target) -> str:
    return str(target.client("sts").get_caller_identity()["Account"])


if __name__ == "__main__":
    raise SystemExit(main())
