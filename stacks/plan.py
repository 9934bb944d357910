"""What a deploy would change and what a destroy would delete, told before either happens.

`make plan` and `make deploy` show each stack's change set (the same thing `sam deploy` and the console
show: action, logical id, type, replacement) plus the parameters that changed; `make destroy` lists what goes
with the stacks, read from the live stacks and from the templates' DeletionPolicy and PendingWindowInDays.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from stacks import templates
from stacks.preflight import UserError, one_line, unrecognised_types

NO_CHANGES = ("didn't contain changes", "No updates are to be performed", "No updates")
# Resource types that hold data a person may want back, and what that data is called.
DATA = {
    "AWS::DynamoDB::Table": "items",
    "AWS::S3::Bucket": "objects",
    "AWS::SQS::Queue": "messages",
    "AWS::Logs::LogGroup": "log events",
    "AWS::SecretsManager::Secret": "secret value",
    "AWS::KMS::Key": "key material",
}
KEPT_POLICIES = ("Retain", "RetainExceptOnCreate", "Snapshot")
KMS_DEFAULT_WINDOW_DAYS = 30  # AWS::KMS::Key PendingWindowInDays when a template leaves it out


@dataclass(frozen=True)
class Row:
    action: str
    logical_id: str
    resource_type: str
    replacement: str  # True / False / Conditional from CloudFormation; "-" for Add and Remove; "?" unreported
    note: str = ""


@dataclass
class StackPlan:
    name: str
    kind: str
    mode: str  # "create" or "update" (a change set), "unchanged", or "listing" (read from the template)
    change_set_id: str | None = None
    rows: list[Row] = field(default_factory=list)
    parameter_changes: list[tuple[str, str | None, str]] = field(default_factory=list)
    review_stack: bool = False  # a CREATE change set made an empty REVIEW_IN_PROGRESS stack
    executed: bool = False

    @property
    def changes(self) -> bool:
        return self.mode != "unchanged"


def make(
    cfn: Any,
    name: str,
    kind: str,
    parameters: dict[str, str],
    existing: dict[str, Any] | None,
    change_set_name: str,
    tags: list[dict[str, str]],
    region: str,
) -> StackPlan:
    """Create the stack's change set and read it back; nothing is executed."""
    try:
        created = cfn.create_change_set(
            StackName=name,
            ChangeSetName=change_set_name,
            ChangeSetType="UPDATE" if existing else "CREATE",
            TemplateBody=templates.template_path(kind).read_text(),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=["CAPABILITY_NAMED_IAM"],
            Tags=tags,
        )
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", "")
        if any(text in message for text in NO_CHANGES):  # some implementations refuse an empty change set
            return StackPlan(name, kind, "unchanged")
        if "Unrecognized resource types" in message:
            raise UserError(unrecognised_types(message, region)) from None
        raise
    plan = StackPlan(name, kind, "update" if existing else "create", created["Id"], review_stack=existing is None)
    status = _wait(cfn, plan.change_set_id)
    if status["Status"] == "FAILED":
        reason = status.get("StatusReason", "")
        discard(cfn, plan)
        if any(text in reason for text in NO_CHANGES):
            return StackPlan(name, kind, "unchanged")
        if "Unrecognized resource types" in reason:
            raise UserError(unrecognised_types(reason, region))
        raise UserError(f"{name}: CloudFormation could not make a change set: {one_line(reason)}")
    plan.rows = [_row(kind, change["ResourceChange"]) for change in _changes(cfn, plan.change_set_id, status)]
    plan.parameter_changes = _parameter_changes(kind, parameters, existing)
    return plan


def listing(name: str, kind: str) -> StackPlan:
    """A new stack whose change set cannot be made yet (it imports exports that do not exist): every resource."""
    rows = [Row("Add", logical_id, spec["Type"], "-") for logical_id, spec in templates.resources(kind).items()]
    return StackPlan(name, kind, "listing", rows=rows)


def discard(cfn: Any, plan: StackPlan) -> None:
    """Delete an unexecuted change set, and the empty stack a CREATE change set made."""
    if plan.executed or plan.change_set_id is None:
        return
    with contextlib.suppress(ClientError):  # already gone
        cfn.delete_change_set(ChangeSetName=plan.change_set_id)
    if plan.review_stack:
        with contextlib.suppress(ClientError):
            stack = cfn.describe_stacks(StackName=plan.name)["Stacks"][0]
            if stack["StackStatus"] == "REVIEW_IN_PROGRESS":
                cfn.delete_stack(StackName=plan.name)
    plan.change_set_id = None


def render(plan: StackPlan, depends_on: str = "") -> list[str]:
    """The plan for one stack as lines for a terminal."""
    if plan.mode == "unchanged":
        return [f"{plan.name}: no changes"]
    count = len(plan.rows)
    if plan.mode == "listing":
        head = (
            f"{plan.name}: new stack, {count} resources to add (listed from stacks/{plan.kind}.yaml: its change set "
            f"needs {depends_on}'s exports, so the deploy makes it once {depends_on} exists)"
        )
    else:
        what = "new stack" if plan.mode == "create" else "update"
        head = f"{plan.name}: {count} resource change{'s' if count != 1 else ''} ({what})"
    lines = [head]
    if plan.rows:
        table = [("Action", "LogicalResourceId", "ResourceType", "Replacement")] + [
            (r.action, r.logical_id, r.resource_type, r.replacement) for r in plan.rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(3)]
        for row, source in zip(table, [None, *plan.rows], strict=True):
            text = "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
            if source is not None and source.note:
                text += f"  <- {source.note}"
            lines.append(text.rstrip())
    if any(r.replacement == "?" for r in plan.rows):
        lines.append("  (? = this CloudFormation endpoint did not say whether the change replaces the resource)")
    if plan.mode == "update" and not plan.rows:
        lines.append("  (CloudFormation listed no resource change; the parameters below say what changed)")
    for key, old, new in plan.parameter_changes:
        users = templates.users_of(plan.kind, key)
        used = ", ".join(users) if len(users) <= 4 else f"{len(users)} resources"
        lines.append(
            f"  parameter {key}: {old if old is not None else '(new)'} -> {new}"
            + (f" (used by {used})" if users else "")
        )
    return lines


def _wait(cfn: Any, change_set_id: str | None, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status = cfn.describe_change_set(ChangeSetName=change_set_id)
        if status["Status"] in ("CREATE_COMPLETE", "FAILED") or time.monotonic() > deadline:
            return dict(status)
        time.sleep(1)


def _changes(cfn: Any, change_set_id: str | None, first: dict[str, Any]) -> list[dict[str, Any]]:
    changes, page = list(first.get("Changes", [])), first
    while page.get("NextToken"):
        page = cfn.describe_change_set(ChangeSetName=change_set_id, NextToken=page["NextToken"])
        changes += page.get("Changes", [])
    return [c for c in changes if c.get("Type", "Resource") == "Resource"]


def _row(kind: str, change: dict[str, Any]) -> Row:
    action, logical_id, resource_type = change["Action"], change["LogicalResourceId"], change["ResourceType"]
    spec = templates.resources(kind).get(logical_id, {})
    data = DATA.get(resource_type)
    if action == "Modify":
        replacement = change.get("Replacement") or "?"
        note = ""
        if replacement in ("True", "Conditional"):
            kept = spec.get("UpdateReplacePolicy", "Delete") in KEPT_POLICIES
            verb = "replaces it" if replacement == "True" else "may replace it"
            old = "the old one is kept (UpdateReplacePolicy: Retain)" if kept else "the old one is deleted"
            note = f"{verb}: {old}" + (f" with its {data}" if data and not kept else "")
        return Row(action, logical_id, resource_type, replacement, note)
    if action == "Remove" and data:
        return Row(action, logical_id, resource_type, "-", f"deleted with its {data}")
    return Row(action, logical_id, resource_type, "-")


def _parameter_changes(
    kind: str, parameters: dict[str, str], existing: dict[str, Any] | None
) -> list[tuple[str, str | None, str]]:
    if existing is None:
        return []
    old = {p["ParameterKey"]: p.get("ParameterValue") for p in existing.get("Parameters", [])}
    changes: list[tuple[str, str | None, str]] = []
    for key, spec in templates.parameters(kind).items():
        new = parameters.get(key, spec.get("Default"))
        if new is not None and str(new) != old.get(key):
            changes.append((key, old.get(key), str(new)))
    return changes


# ------------------------------------------------------------------------------------------ destroy
def inventory(target: Any, stacks: dict[str, dict[str, Any]], artifacts_bucket: str) -> list[str]:
    """What `destroy` deletes and what it leaves, one line per kind of thing a person may care about."""
    lines: list[str] = []
    physical: set[str] = set()
    for kind, stack in stacks.items():
        resources = _stack_resources(target.client("cloudformation"), stack["StackName"])
        physical |= {r.get("PhysicalResourceId", "") for r in resources}
        lines.append(f"stack {stack['StackName']} ({stack['StackStatus']}, {len(resources)} resources):")
        spec = templates.resources(kind)
        by_type: dict[str, list[dict[str, Any]]] = {}
        others: dict[str, int] = {}
        for resource in resources:
            logical, rtype = resource["LogicalResourceId"], resource["ResourceType"]
            policy = spec.get(logical, {}).get("DeletionPolicy", "Delete")
            if policy in KEPT_POLICIES:
                lines.append(f"  kept: {rtype} {resource.get('PhysicalResourceId')} (DeletionPolicy: {policy})")
            elif rtype in DATA:
                by_type.setdefault(rtype, []).append(resource)
            else:
                namespace = rtype.split("::")[1]
                others[namespace] = others.get(namespace, 0) + 1
        for rtype, group in by_type.items():
            lines.append("  " + _data_line(target, rtype, group, spec, resources, kind))
        if others:
            total = sum(others.values())
            lines.append(f"  and {total} more ({', '.join(f'{ns} {n}' for ns, n in sorted(others.items()))})")
    objects = _object_versions(target, artifacts_bucket)
    if objects is not None:
        lines.append(f"artifacts bucket {artifacts_bucket} and its {objects} object versions (the Lambda zips)")
    leftovers = _leftover_tables(target, physical)
    if leftovers:
        lines.append(
            f"not deleted: {', '.join(leftovers)} (tables named for this env that no stack owns: left by an "
            "earlier replacement, UpdateReplacePolicy: Retain; delete them yourself if nothing needs them)"
        )
    return lines


def _data_line(
    target: Any,
    rtype: str,
    group: list[dict[str, Any]],
    spec: dict[str, dict[str, Any]],
    resources: list[dict[str, Any]],
    kind: str,
) -> str:
    names = [r.get("PhysicalResourceId", "") for r in group]
    if rtype == "AWS::DynamoDB::Table":
        counts = [
            _quietly(lambda n=n: target.client("dynamodb").describe_table(TableName=n)["Table"]["ItemCount"])
            for n in names
        ]
        listed = ", ".join(f"{n}{_about(c, 'items')}" for n, c in zip(names, counts, strict=True))
        line = f"{len(names)} DynamoDB tables and their items, deleted (DeletionPolicy: Delete): {listed}"
        with_pitr = [
            r for r in group
            if spec.get(r["LogicalResourceId"], {}).get("Properties", {})
            .get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled")
        ]  # fmt: skip
        if with_pitr:
            line += (
                "; point-in-time recovery is on, so DynamoDB keeps a system backup of each (<table>$DeletedTableBackup)"
                " for 35 days at no charge, readable only while the KMS key below exists"
            )
        return line
    if rtype == "AWS::S3::Bucket":
        listed = ", ".join(f"{n}{_about(_object_versions(target, n), 'object versions')}" for n in names)
        return f"S3 bucket {listed}: emptied (every version), then deleted"
    if rtype == "AWS::SQS::Queue":
        listed = ", ".join(f"{n.rsplit('/', 1)[-1]}{_about(_waiting(target, n), 'messages')}" for n in names)
        return f"SQS queues and the messages in them: {listed}"
    if rtype == "AWS::Logs::LogGroup":
        return f"{len(names)} log groups and their logs: {', '.join(names)}"
    if rtype == "AWS::SecretsManager::Secret":
        return f"secret {', '.join(n.rsplit(':', 1)[-1] for n in names)} (signed-in customers must sign in again)"
    if rtype == "AWS::KMS::Key":
        days = [
            spec.get(r["LogicalResourceId"], {})
            .get("Properties", {})
            .get("PendingWindowInDays", KMS_DEFAULT_WINDOW_DAYS)
            for r in group
        ]
        aliases = [r.get("PhysicalResourceId", "") for r in resources if r["ResourceType"] == "AWS::KMS::Alias"]
        named = f"{', '.join(aliases)} ({', '.join(names)})" if aliases else ", ".join(names)
        return (
            f"KMS key {named}: deleted after a {max(days)}-day waiting period (PendingWindowInDays in "
            f"stacks/{kind}.yaml), at no charge while it waits; within it, aws kms cancel-key-deletion --key-id "
            f"{names[0]} keeps the key; after it, whatever is still encrypted with it can never be read"
        )
    return f"{rtype}: {', '.join(names)}"


def _waiting(target: Any, queue_url: str) -> int | None:
    return _quietly(
        lambda: target.client("sqs").get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"]
    )


def _stack_resources(cfn: Any, name: str) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
        resources += [
            r
            for r in page["StackResourceSummaries"]
            if r.get("ResourceStatus") != "DELETE_COMPLETE" and r.get("LogicalResourceId") and r.get("ResourceType")
        ]
    return resources


def _object_versions(target: Any, bucket: str) -> int | None:
    """How many object versions a bucket holds; None when there is no such bucket."""
    try:
        pages = target.client("s3").get_paginator("list_object_versions").paginate(Bucket=bucket)
        return sum(len(p.get("Versions", [])) + len(p.get("DeleteMarkers", [])) for p in pages)
    except ClientError:
        return None


def _leftover_tables(target: Any, owned: set[str]) -> list[str]:
    prefix = f"{target.env}-shop-"
    names: list[str] = []
    with contextlib.suppress(ClientError):
        for page in target.client("dynamodb").get_paginator("list_tables").paginate():
            names += [n for n in page.get("TableNames", []) if n.startswith(prefix) and n not in owned]
    return names


def _quietly(read: Any) -> int | None:
    try:
        return int(read())
    except (ClientError, KeyError, ValueError):
        return None


def _about(count: int | None, what: str) -> str:
    return "" if count is None else f" (about {count} {what})"
