"""Deploy tool: package the Lambdas, deploy the IAM then the app stack, load the seed, upload the UI.

    python -m stacks.deploy deploy --env local     # AWS_ENDPOINT_URL set: the local cloud or LocalStack
    python -m stacks.deploy deploy --env prod      # AWS_ENDPOINT_URL unset: real AWS, ordinary credentials
    python -m stacks.deploy outputs --env local
    python -m stacks.deploy destroy --env prod

Like `aws cloudformation package` + `deploy`: zips go to an artifacts bucket under content-hash keys,
each stack goes through a change set and a waiter, and a run with nothing changed is a no-op.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parent.parent
STACKS = ROOT / "stacks"
BUILD = ROOT / ".artifacts"
FUNCTIONS = ("app_server", "authorizer", "process_order")
LAMBDA_PYTHON = "3.12"  # matches Runtime: python3.12 in app.yaml
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same code gives the same zip and S3 key


@dataclass(frozen=True)
class Target:
    env: str
    endpoint: str | None
    region: str

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name=self.region)

    @property
    def is_local(self) -> bool:
        return self.endpoint is not None


def say(message: str) -> None:
    print(f"[deploy] {message}", flush=True)


# ------------------------------------------------------------------------------------------ packaging
def _deps_dir(function: str) -> Path:
    """Dependencies of one function, installed for the Lambda runtime; cached by requirements hash."""
    requirements = ROOT / "functions" / function / "requirements.txt"
    text = requirements.read_text() if requirements.exists() else ""
    digest = hashlib.sha256(f"{LAMBDA_PYTHON}\n{text}".encode()).hexdigest()[:16]
    target = BUILD / "deps" / f"{function}-{digest}"
    if target.exists():
        return target
    tmp = target.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if text.strip():
        say(f"installing {function} dependencies for python{LAMBDA_PYTHON} (manylinux wheels)")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(requirements),
             "--target", str(tmp), "--platform", "manylinux2014_x86_64", "--implementation", "cp",
             "--python-version", LAMBDA_PYTHON, "--only-binary=:all:", "--upgrade"],
            check=True,
        )  # fmt: skip
    for junk in list(tmp.rglob("__pycache__")) + list(tmp.glob("*.dist-info")) + list(tmp.glob("bin")):
        shutil.rmtree(junk, ignore_errors=True)
    tmp.rename(target)
    return target


def _zip_entries(function: str) -> list[tuple[str, Path]]:
    """(archive name, file) pairs: dependencies, then the shared package, then the function's own code."""
    entries: dict[str, Path] = {}

    def add_tree(base: Path, prefix: str = "") -> None:
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                entries[prefix + path.relative_to(base).as_posix()] = path

    add_tree(_deps_dir(function))
    shared = ROOT / "functions" / "shared"
    if shared.exists():
        add_tree(shared, "shared/")
    source = ROOT / "functions" / function
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and rel != "requirements.txt" and path.suffix != ".pyc":
            entries[rel] = path
    return sorted(entries.items())


def package(function: str) -> Path:
    """Build a deterministic zip; its name carries its sha256 so unchanged code keeps its S3 key."""
    BUILD.mkdir(exist_ok=True)
    tmp = BUILD / f"{function}.zip.tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in _zip_entries(function):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:20]
    final = BUILD / f"{function}-{digest}.zip"
    tmp.replace(final)
    return final


def artifacts_bucket(target: Target) -> str:
    account = target.client("sts").get_caller_identity()["Account"]
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
    s3.create_bucket(**kwargs)
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


def package_all(target: Target, bucket: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for function in FUNCTIONS:
        zip_path = package(function)
        key = f"functions/{zip_path.name}"
        upload_once(target, bucket, key, zip_path.read_bytes())
        keys[function] = key
    definition = (ROOT / "workflow" / "order_workflow.asl.json").read_bytes()
    keys["workflow"] = f"workflow/order_workflow-{hashlib.sha256(definition).hexdigest()[:20]}.asl.json"
    upload_once(target, bucket, keys["workflow"], definition)
    return keys


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


def wait_stack(cfn: Any, name: str, timeout: float = 1800) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stack = describe(cfn, name)
        if stack is None:
            raise SystemExit(f"stack {name} disappeared")
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            return stack
        if time.monotonic() > deadline:
            raise SystemExit(f"stack {name} still {stack['StackStatus']} after {timeout:.0f}s")
        time.sleep(1 if stack["StackStatus"] else 5)


def failure_report(cfn: Any, name: str) -> str:
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"].endswith("FAILED")]
    lines = [f"  {e['LogicalResourceId']} ({e['ResourceType']}): {e.get('ResourceStatusReason', '')}" for e in failed]
    return "\n".join(lines[:10]) or "  (no failed resource events)"


def deploy_stack(target: Target, kind: str, parameters: dict[str, str]) -> dict[str, str]:
    """Create or update one stack through a change set; a change set with no changes is a no-op."""
    cfn = target.client("cloudformation")
    name = stack_name(target.env, kind)
    body = (STACKS / f"{kind}.yaml").read_text()
    existing = describe(cfn, name)
    if existing and existing["StackStatus"] in ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED"):
        say(f"{name} is {existing['StackStatus']} from an earlier failed create: deleting it first")
        cfn.delete_stack(StackName=name)
        _wait_deleted(cfn, name)
        existing = None
    change_set = f"deploy-{int(time.time())}"
    try:
        _create_change_set(cfn, name, change_set, existing is not None, body, parameters, target.env)
    except ClientError as error:
        if "No updates are to be performed" not in str(error):
            raise
        say(f"{name}: no changes")  # some CloudFormation implementations refuse the empty change set outright
        return outputs_of(describe(cfn, name))
    status = _wait_change_set(cfn, name, change_set)
    if status["Status"] == "FAILED":
        reason = status.get("StatusReason", "")
        if "didn't contain changes" in reason or "No updates" in reason:
            cfn.delete_change_set(StackName=name, ChangeSetName=change_set)
            say(f"{name}: no changes")
            return outputs_of(describe(cfn, name))
        raise SystemExit(f"{name}: change set failed: {reason}")
    say(f"{name}: executing change set ({len(status.get('Changes', []))} changes)")
    cfn.execute_change_set(StackName=name, ChangeSetName=change_set)
    stack = wait_stack(cfn, name)
    if stack["StackStatus"] not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        raise SystemExit(f"{name}: {stack['StackStatus']}\n{failure_report(cfn, name)}")
    say(f"{name}: {stack['StackStatus']}")
    return outputs_of(stack)


def _create_change_set(
    cfn: Any, name: str, change_set: str, update: bool, body: str, parameters: dict[str, str], env: str
) -> None:
    cfn.create_change_set(
        StackName=name,
        ChangeSetName=change_set,
        ChangeSetType="UPDATE" if update else "CREATE",
        TemplateBody=body,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
        Tags=[{"Key": "project", "Value": "serverless-shop"}, {"Key": "env", "Value": env}],
    )


def _wait_change_set(cfn: Any, name: str, change_set: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status = cfn.describe_change_set(StackName=name, ChangeSetName=change_set)
        if status["Status"] in ("CREATE_COMPLETE", "FAILED") or time.monotonic() > deadline:
            return status
        time.sleep(1)


def _wait_deleted(cfn: Any, name: str, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while (stack := describe(cfn, name)) is not None and stack["StackStatus"] != "DELETE_COMPLETE":
        if stack["StackStatus"] == "DELETE_FAILED":
            raise SystemExit(f"{name}: DELETE_FAILED\n{failure_report(cfn, name)}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{name}: still {stack['StackStatus']}")
        time.sleep(2)


def outputs_of(stack: dict[str, Any] | None) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in (stack or {}).get("Outputs", [])}


# ------------------------------------------------------------------------------------------ data and site
def load_seed(target: Target, outputs: dict[str, str]) -> None:
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
    load_all(tables, target.client("dynamodb"))
    say("seed loaded")


def upload_site(target: Target, outputs: dict[str, str], site_config: dict[str, Any]) -> None:
    """The UI build (if any), the product images and the runtime config the UI reads."""
    s3 = target.client("s3")
    bucket = outputs["SiteBucketName"]
    files: dict[str, Path] = {}
    dist = ROOT / "react-ui" / "dist"
    if dist.exists():
        files.update({p.relative_to(dist).as_posix(): p for p in dist.rglob("*") if p.is_file()})
    images = ROOT / "seed" / "images"
    if images.exists():
        files.update({f"images/{p.name}": p for p in images.iterdir() if p.is_file()})
    existing = {
        obj["Key"]: obj["ETag"].strip('"')
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for obj in page.get("Contents", [])
    }
    uploaded = 0
    for key, path in sorted(files.items()):
        data = path.read_bytes()
        if existing.get(key) == hashlib.md5(data, usedforsecurity=False).hexdigest():
            continue
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        cache = "no-cache" if key == "index.html" else "public, max-age=31536000, immutable"
        s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type, CacheControl=cache)
        uploaded += 1
    config = json.dumps(site_config, sort_keys=True).encode()
    if existing.get("config.json") != hashlib.md5(config, usedforsecurity=False).hexdigest():
        s3.put_object(
            Bucket=bucket, Key="config.json", Body=config, ContentType="application/json", CacheControl="no-cache"
        )
        uploaded += 1
    say(
        f"site: {uploaded} file(s) uploaded to s3://{bucket}"
        + ("" if dist.exists() else " (no react-ui/dist build yet)")
    )


# ------------------------------------------------------------------------------------------ commands
def load_params(env: str) -> dict[str, Any]:
    override = os.environ.get("SHOP_PARAMS_FILE")  # tests deploy with their own mock ports
    path = Path(override) if override else STACKS / "params" / f"{env}.json"
    if not path.exists():
        raise SystemExit(f"no parameter file {path.relative_to(ROOT)}: copy stacks/params/local.json and edit it")
    return dict(json.loads(path.read_text()))


def outputs_path(env: str) -> Path:
    return BUILD / f"outputs-{env}.json"


def public_outputs(target: Target, outputs: dict[str, str], params: dict[str, Any]) -> dict[str, str]:
    """The stack's outputs, plus the URLs a person or a test uses on this target."""
    result = dict(outputs)
    if target.is_local:
        # Local targets serve execute-api and CloudFront on loopback, at LocalStack's URL forms.
        result["ApiUrl"] = f"{target.endpoint}/_aws/execute-api/{outputs['ApiId']}/{outputs['ApiStageName']}"
        domain = outputs["DistributionDomainName"]
        result["WebUrl"] = f"http://{domain}" if "localhost" in domain else "http://localhost:8080"
    result.update(params.get("Local", {}) if target.is_local else {})
    result.setdefault("MailUrl", "(real mail on AWS: confirm the SNS subscription in your inbox)")
    return result


def cmd_deploy(target: Target) -> int:
    started = time.monotonic()
    params = load_params(target.env)
    bucket = artifacts_bucket(target)
    ensure_bucket(target, bucket)
    keys = package_all(target, bucket)
    deploy_stack(target, "iam", {"EnvName": target.env})
    app_params = {
        "EnvName": target.env,
        "ArtifactsBucket": bucket,
        "AppServerCodeKey": keys["app_server"],
        "AuthorizerCodeKey": keys["authorizer"],
        "ProcessOrderCodeKey": keys["process_order"],
        "WorkflowDefinitionKey": keys["workflow"],
        **params.get("Parameters", {}),
    }
    outputs = deploy_stack(target, "app", app_params)
    if params.get("LoadSeed", True):
        load_seed(target, outputs)
    else:
        say("seed not loaded (LoadSeed is false in the parameter file)")
    upload_site(target, outputs, params.get("Site", {}))
    result = public_outputs(target, outputs, params)
    outputs_path(target.env).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    for key in ("WebUrl", "ApiUrl", "MailUrl", "PaymentUrl", "ShipmentUrl"):
        say(f"{key:12} {result.get(key)}")
    say(f"done in {time.monotonic() - started:.1f}s (outputs in {outputs_path(target.env).relative_to(ROOT)})")
    return 0


def cmd_outputs(target: Target) -> int:
    path = outputs_path(target.env)
    if path.exists():
        print(path.read_text(), end="")
        return 0
    stack = describe(target.client("cloudformation"), stack_name(target.env, "app"))
    if stack is None:
        print(f"no deployment for env {target.env}: run make deploy-local (or make deploy ENV=...)", file=sys.stderr)
        return 1
    print(json.dumps(public_outputs(target, outputs_of(stack), load_params(target.env)), indent=2, sort_keys=True))
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


def cmd_destroy(target: Target) -> int:
    cfn = target.client("cloudformation")
    app = describe(cfn, stack_name(target.env, "app"))
    if app is not None:
        site = outputs_of(app).get("SiteBucketName")
        if site:
            _empty_bucket(target, site)
        cfn.delete_stack(StackName=stack_name(target.env, "app"))
        _wait_deleted(cfn, stack_name(target.env, "app"))
        say(f"{stack_name(target.env, 'app')}: deleted")
    if describe(cfn, stack_name(target.env, "iam")) is not None:
        cfn.delete_stack(StackName=stack_name(target.env, "iam"))
        _wait_deleted(cfn, stack_name(target.env, "iam"))
        say(f"{stack_name(target.env, 'iam')}: deleted")
    bucket = artifacts_bucket(target)
    _empty_bucket(target, bucket)
    with contextlib.suppress(ClientError):  # already gone
        target.client("s3").delete_bucket(Bucket=bucket)
    outputs_path(target.env).unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stacks.deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("deploy", "outputs", "destroy", "package"))
    parser.add_argument("--env", default="local")
    parser.add_argument(
        "--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    )
    args = parser.parse_args(argv)
    # boto3 reads AWS_ENDPOINT_URL itself; we keep it to know whether the target is local.
    target = Target(args.env, os.environ.get("AWS_ENDPOINT_URL") or None, args.region)
    if args.command != "outputs":  # `outputs` prints one JSON object and nothing else, for jq and scripts
        say(f"env {target.env} -> {target.endpoint or 'AWS ' + target.region}")
    if args.command == "package":
        for function in FUNCTIONS:
            path = package(function)
            say(f"{path.relative_to(ROOT)} {path.stat().st_size // 1024} KiB")
        return 0
    return {"deploy": cmd_deploy, "outputs": cmd_outputs, "destroy": cmd_destroy}[args.command](target)


if __name__ == "__main__":
    raise SystemExit(main())
