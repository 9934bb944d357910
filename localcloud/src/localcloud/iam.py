"""IAM enforcement: what a Lambda, a state machine task or a schedule does is allowed by its role, or refused.

On AWS every call a function makes is signed with its execution role's temporary credentials and
evaluated against the identity policies attached to that role. Here the same happens:

- `role_credentials(role_arn, session)` mints temporary credentials for the role through moto's own
  STS `AssumeRole` (cached per role and session). lambda_pool.py gives them to each worker of the
  function, stepfunctions_exec.py to the interpreter's clients (the machine's `roleArn`, or a task's
  `Credentials.RoleArn`), schedules.py to the clients that start a schedule's target (its `RoleArn`).
- Every request to moto's services passes `ActionAuthenticatorMixin._authenticate_and_authorize_normal_action`
  (moto's hook for its `INITIAL_NO_AUTH_ACTION_COUNT` feature, replaced here). A request signed with an
  assumed role's key is evaluated: moto's `AssumedRoleAccessKey` finds the role and collects its inline
  and managed policies, `IAMPolicy` reads each document, and `evaluate` below decides per statement
  (moto's own statement matcher has no resource patterns with `?`, matches actions case-sensitively and
  treats a failed Condition as a Deny). The action is `{service}:{operation}` and the resources are the
  ARNs the request names (`resources_of`), so a policy scoped to one table allows only that table.
- A refusal is the service's own error (`AccessDeniedException`, SQS `AccessDenied`, SNS
  `AuthorizationError`) with AWS's message: `User: arn:aws:sts::...:assumed-role/<role>/<session> is not
  authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:...:table/x because no
  identity-based policy allows the dynamodb:PutItem action` (or `... with an explicit deny in an
  identity-based policy`).

Any other credentials (the deploy tool, a user's shell, the tests: key `test`, a 12-digit account id)
keep full access, as an account's administrator would. `LOCALCLOUD_IAM=off` turns evaluation off.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from werkzeug.exceptions import HTTPException

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

log = logging.getLogger("localcloud.iam")

_enabled = True
_lock = threading.Lock()
_sessions: dict[tuple[str, str], tuple[str, str, str]] = {}  # (role ARN, session) -> key id, secret, token
_role_keys: set[str] = set()  # the key ids minted here, so other keys skip the lookup

# SigV4 signing names that differ from the IAM service prefix.
SERVICE_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "execute-api": "execute-api"}
# API operations whose IAM action has another name.
ACTION_NAMES = {"lambda:Invoke": "lambda:InvokeFunction", "lambda:InvokeAsync": "lambda:InvokeAsync"}
# The error each service answers a refusal with (AWS's code; the rest say AccessDeniedException).
ERROR_CODES = {"sqs": "AccessDenied", "sns": "AuthorizationError", "sts": "AccessDenied", "iam": "AccessDenied"}
ERROR_STATUS = {"sns": 403, "sqs": 403, "lambda": 403, "sts": 403, "iam": 403}


def enabled() -> bool:
    return _enabled


# -- credentials for roles ---------------------------------------------------------------------------------
def role_exists(role_arn: str, account_id: str) -> bool:
    from moto.iam.models import iam_backends

    try:
        iam_backends[account_id]["aws"].get_role_by_arn(role_arn)
    except Exception:
        return False
    return True


def role_credentials(role_arn: str, session: str, account_id: str, region: str) -> tuple[str, str, str]:
    """Temporary credentials of `role_arn` (key id, secret, session token), minted by moto's STS AssumeRole."""
    from moto.sts.models import sts_backends

    session = re.sub(r"[^\w+=,.@-]", "-", session)[:64] or "localcloud"
    backend = sts_backends[account_id]["aws"]
    with _lock:
        found = _sessions.get((role_arn, session))
        # moto's state may have been reset since (`/moto-api/reset`): then the key is unknown, mint another.
        if found is not None and backend.get_assumed_role_from_access_key(found[0]) is not None:
            return found
        assumed = backend.assume_role(
            region_name=region,
            role_session_name=session,
            role_arn=role_arn,
            policy="",
            duration=43200,
            external_id="",
        )
        found = (assumed.access_key_id, assumed.secret_access_key, assumed.session_token)
        _sessions[(role_arn, session)] = found
        _role_keys.add(assumed.access_key_id)
        return found


# -- evaluation --------------------------------------------------------------------------------------------
class Decision:
    ALLOW = "allow"
    IMPLICIT_DENY = "implicit"
    EXPLICIT_DENY = "explicit"


def _wildcard(pattern: str, value: str, ignore_case: bool) -> bool:
    """IAM's `*` and `?` (no other pattern syntax), anchored."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _element_matches(statement: dict[str, Any], name: str, value: str, ignore_case: bool) -> bool | None:
    """Whether `Name` (or `NotName`) covers value; None when the statement has neither."""
    if name in statement:
        return any(_wildcard(str(p), value, ignore_case) for p in _as_list(statement[name]))
    if f"Not{name}" in statement:
        return not any(_wildcard(str(p), value, ignore_case) for p in _as_list(statement[f"Not{name}"]))
    return None


def _condition_operator(operator: str, wanted: list[str], actual: list[str]) -> bool:
    """One operator over present values (the key exists): true when any actual value satisfies it."""
    base = operator.removesuffix("IfExists")
    negated = "Not" in base
    base = base.replace("Not", "")

    def one(value: str) -> bool:
        if base in ("StringEquals", "ArnEquals"):
            return value in wanted
        if base == "StringEqualsIgnoreCase":
            return value.lower() in (w.lower() for w in wanted)
        if base in ("StringLike", "ArnLike"):
            return any(_wildcard(w, value, ignore_case=False) for w in wanted)
        if base == "Bool":
            return value.lower() in (w.lower() for w in wanted)
        raise ValueError(operator)

    matched = any(one(v) for v in actual)
    return not matched if negated else matched


def conditions_hold(condition: dict[str, Any], context: dict[str, list[str]]) -> bool:
    """AWS's rule: every operator, every key in it must hold (values of one key are ORed)."""
    for operator, keys in condition.items():
        qualifier, _, op = operator.rpartition(":")  # ForAnyValue: / ForAllValues:
        for key, wanted_raw in keys.items():
            wanted = [str(w).lower() if isinstance(w, bool) else str(w) for w in _as_list(wanted_raw)]
            actual = context.get(key.lower())
            if op == "Null":
                if (actual is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            if actual is None:
                if op.endswith("IfExists") or "Not" in op or qualifier == "ForAllValues":
                    continue
                return False
            try:
                if qualifier == "ForAllValues":
                    ok = all(_condition_operator(op, wanted, [v]) for v in actual)
                else:
                    ok = _condition_operator(op, wanted, actual)
            except ValueError:
                log.warning("IAM condition operator %s is not evaluated locally: its statement is skipped", op)
                return False
            if not ok:
                return False
    return True


def evaluate(
    documents: Iterable[dict[str, Any]], action: str, resource: str, context: dict[str, list[str]] | None = None
) -> str:
    """Identity-policy evaluation for one action on one resource: explicit Deny > Allow > implicit deny."""
    context = context or {}
    allowed = False
    for document in documents:
        for statement in _as_list(document.get("Statement", [])):
            if _element_matches(statement, "Action", action, ignore_case=True) is not True:
                continue
            if _element_matches(statement, "Resource", resource, ignore_case=False) is False:
                continue
            if not conditions_hold(statement.get("Condition") or {}, context):
                continue
            if statement.get("Effect") == "Deny":
                return Decision.EXPLICIT_DENY
            allowed = allowed or statement.get("Effect") == "Allow"
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


# -- requests: action, resources, context ------------------------------------------------------------------
def _params(response: Any) -> dict[str, Any]:
    body = getattr(response, "raw_body", b"") or b""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body.strip().startswith("{"):
        try:
            parsed = json.loads(body)
            return parsed if isinstance(parsed, dict) else {}
        except ValueError:
            pass
    values = getattr(response, "querystring", {}) or {}
    return {k: (v[0] if isinstance(v, list) and v else v) for k, v in values.items()}


def _dynamodb(operation: str, params: dict[str, Any], arn: str) -> list[tuple[str, str]]:
    def table(name: str, index: str | None = None) -> str:
        base = name if name.startswith("arn:") else f"{arn}:table/{name}"
        return f"{base}/index/{index}" if index else base

    if operation in ("TransactWriteItems", "TransactGetItems"):
        actions = {
            "Put": "PutItem",
            "Update": "UpdateItem",
            "Delete": "DeleteItem",
            "ConditionCheck": "ConditionCheckItem",
            "Get": "GetItem",
        }
        found = []
        for item in params.get("TransactItems", []):
            for kind, body in item.items():
                if kind in actions:
                    found.append((f"dynamodb:{actions[kind]}", table(body.get("TableName", ""))))
        return found
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(f"dynamodb:{operation}", table(name)) for name in params.get("RequestItems", {})]
    if "TableName" in params:
        return [(f"dynamodb:{operation}", table(params["TableName"], params.get("IndexName")))]
    return [(f"dynamodb:{operation}", "*")]


def _sqs_queue(url_or_name: str, arn: str) -> str:
    name = urlparse(url_or_name).path.rstrip("/").rsplit("/", 1)[-1] if "/" in url_or_name else url_or_name
    return f"{arn}:{name}"


def _secret(secret_id: str, account_id: str, region: str) -> str:
    from moto.secretsmanager.models import secretsmanager_backends

    if secret_id.startswith("arn:"):
        return secret_id
    secrets = secretsmanager_backends[account_id][region].secrets
    for secret in list(secrets.values()):
        if getattr(secret, "name", None) == secret_id:
            return str(secret.arn)
    return f"arn:aws:secretsmanager:{region}:{account_id}:secret:{secret_id}"


def _kms_key(key_id: str, account_id: str, region: str) -> str:
    from moto.kms.models import kms_backends

    try:
        resolved = kms_backends[account_id][region].any_id_to_key_id(key_id)
    except Exception:
        resolved = key_id.rsplit("/", 1)[-1]
    return f"arn:aws:kms:{region}:{account_id}:key/{resolved}"


def resources_of(
    service: str, operation: str, params: dict[str, Any], account_id: str, region: str
) -> list[tuple[str, str]]:
    """(IAM action, resource ARN) pairs a request needs, for the services the templates call."""
    action = ACTION_NAMES.get(f"{service}:{operation}", f"{service}:{operation}")
    arn = f"arn:aws:{service}:{region}:{account_id}"
    if service == "dynamodb":
        return _dynamodb(operation, params, arn)
    if service == "sqs":
        if "QueueUrl" in params:
            return [(action, _sqs_queue(str(params["QueueUrl"]), arn))]
        if "QueueName" in params:
            return [(action, f"{arn}:{params['QueueName']}")]
    elif service == "sns":
        topic = params.get("TopicArn") or params.get("TargetArn")
        if topic:
            return [(action, str(topic))]
        if operation == "CreateTopic" and "Name" in params:
            return [(action, f"{arn}:{params['Name']}")]
    elif service == "states":
        for key in ("stateMachineArn", "executionArn", "activityArn", "resourceArn"):
            if key in params:
                return [(action, str(params[key]))]
    elif service == "secretsmanager":
        if "SecretId" in params:
            return [(action, _secret(str(params["SecretId"]), account_id, region))]
    elif service == "kms":
        if "KeyId" in params:
            return [(action, _kms_key(str(params["KeyId"]), account_id, region))]
    elif service == "logs":
        group = params.get("logGroupName")
        if group:
            stream = params.get("logStreamName")
            where = f"{arn}:log-group:{group}" + (f":log-stream:{stream}" if stream else "")
            return [(action, where)]
    elif service == "lambda":
        name = str(params.get("FunctionName", ""))
        if name:
            return [(action, lambda_function_arn(name, params.get("Qualifier"), account_id, region))]
    return [(action, "*")]


def lambda_function_arn(name: str, qualifier: str | None, account_id: str, region: str) -> str:
    if name.startswith("arn:"):
        base = name
    elif ":" in name:  # name:qualifier or account:function:name forms
        parts = name.split(":")
        base = f"arn:aws:lambda:{region}:{account_id}:function:{parts[-1] if parts[-2] == 'function' else name}"
    else:
        base = f"arn:aws:lambda:{region}:{account_id}:function:{name}"
    if qualifier and base.count(":") == 6:
        base = f"{base}:{qualifier}"
    return base


def context_of(
    service: str, params: dict[str, Any], principal_arn: str, role_arn: str, account_id: str, region: str
) -> dict[str, list[str]]:
    context = {
        "aws:principalarn": [role_arn],
        "aws:principalaccount": [account_id],
        "aws:requestedregion": [region],
        "aws:securetransport": ["true"],  # the local endpoint stands in for AWS's HTTPS one (as in s3.py)
        "aws:userid": [principal_arn.rsplit("/", 1)[-1]],
    }
    if service == "cloudwatch" and "Namespace" in params:
        context["cloudwatch:namespace"] = [str(params["Namespace"])]
    return context


# -- the check ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    service: str
    principal: str
    action: str
    resource: str
    explicit: bool
    error: str | None = None  # the service's own code when it refuses on KMS's behalf (SQS KmsAccessDenied)

    @property
    def code(self) -> str:
        return self.error or ERROR_CODES.get(self.service, "AccessDeniedException")

    @property
    def status(self) -> int:
        return 400 if self.error else ERROR_STATUS.get(self.service, 400)

    @property
    def message(self) -> str:
        why = (
            "with an explicit deny in an identity-based policy"
            if self.explicit
            else f"because no identity-based policy allows the {self.action} action"
        )
        return f"User: {self.principal} is not authorized to perform: {self.action} on resource: {self.resource} {why}"


class AccessDenied(ServiceException):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code, refusal.message)
        self.refusal = refusal


def _may_be_role_key(access_key_id: str) -> bool:
    """moto's STS keys start with ASIA; anything else (`test`, an account id, AKIA...) is not a role's."""
    return access_key_id.startswith("ASIA") or access_key_id in _role_keys


def _principal(access_key_id: str, headers: Any, account_id: str) -> Any:
    """moto's AssumedRoleAccessKey for a role's key (it checks the session token), else None."""
    if not _may_be_role_key(access_key_id):
        return None
    from moto.iam.access_control import AssumedRoleAccessKey, CreateAccessKeyFailure

    try:
        return AssumedRoleAccessKey(account_id, "aws", access_key_id, {"X-Amz-Security-Token": "", **dict(headers)})
    except CreateAccessKeyFailure:
        return None  # not a role session this cloud knows: treated like any other key


def _documents(principal: Any) -> list[dict[str, Any]]:
    from moto.iam.access_control import IAMPolicy

    try:
        policies = principal.collect_policies()
    except Exception:  # the role was deleted: nothing allows anything
        return []
    documents = []
    for policy in policies:
        if isinstance(policy, dict) and "Statement" in policy:  # an inline policy from CloudFormation
            documents.append(policy)
        else:  # a managed Policy (its default version) or a JSON string
            documents.append(IAMPolicy(policy)._policy_json)
    return documents


def check(
    access_key_id: str, headers: Any, service: str, operation: str, params: dict[str, Any], account_id: str, region: str
) -> Refusal | None:
    """The refusal for a request made with a role's credentials that its policies do not allow, else None."""
    if not _enabled:
        return None
    principal = _principal(access_key_id, headers, account_id)
    if principal is None:
        return None
    documents = _documents(principal)
    role_arn = f"arn:aws:iam::{account_id}:role/{principal._owner_role_name}"
    context = context_of(service, params, principal.arn, role_arn, account_id, region)
    for action, resource in resources_of(service, operation, params, account_id, region):
        decision = evaluate(documents, action, resource, context)
        if decision != Decision.ALLOW:
            refusal = Refusal(service, principal.arn, action, resource, decision == Decision.EXPLICIT_DENY)
            log.info("IAM: %s", refusal.message)
            return refusal
        key = _data_key_for_send(service, operation, resource, account_id, region)
        if key is not None:  # SQS asks KMS for a data key with the sender's credentials
            via = {**context, "kms:viaservice": [f"sqs.{region}.amazonaws.com"], "kms:calleraccount": [account_id]}
            decision = evaluate(documents, "kms:GenerateDataKey", key, via)
            if decision != Decision.ALLOW:
                explicit = decision == Decision.EXPLICIT_DENY
                refusal = Refusal(service, principal.arn, "kms:GenerateDataKey", key, explicit, "KmsAccessDenied")
                log.info("IAM: %s", refusal.message)
                return refusal
    return None


def _data_key_for_send(service: str, operation: str, queue_arn: str, account_id: str, region: str) -> str | None:
    """The customer managed key a send to an SSE-KMS queue needs `kms:GenerateDataKey` on, else None.

    On AWS, SQS calls KMS with the sender's credentials (kms:ViaService sqs.<region>.amazonaws.com). The AWS
    managed key alias/aws/sqs is left out: its key policy lets every principal of the account use it through
    SQS, whatever their IAM policies say."""
    if service != "sqs" or operation not in ("SendMessage", "SendMessageBatch"):
        return None
    from moto.sqs.models import sqs_backends

    queue = sqs_backends[account_id][region].queues.get(queue_arn.rsplit(":", 1)[-1])
    key_id = getattr(queue, "kms_master_key_id", None)
    if not key_id or str(key_id) == "alias/aws/sqs":
        return None
    return _kms_key(str(key_id), account_id, region)


class _Refused(HTTPException):
    """Carries the service's serialized error out of moto's authorization hook."""


def _authorize(self: Any, resource: str = "*") -> None:
    original(ActionAuthenticatorMixin, "_authenticate_and_authorize_normal_action")(self, resource)
    authorization = self.headers.get("Authorization", "")
    scope = re.search(r"Credential=([^/,]+)/\d+/([^/]+)/([^/]+)/", authorization)
    if scope is None:
        return
    key_id, region, signing_name = scope[1], scope[2], scope[3]
    if not _enabled or not _may_be_role_key(key_id):
        return  # full access: read nothing of the request
    service = SERVICE_PREFIX.get(signing_name, signing_name)
    refusal = check(
        key_id, self.headers, service, self._get_action() or "", _params(self), self.current_account, region
    )
    if refusal is None:
        return
    _, headers, body = self.serialized(ActionResult(AccessDenied(refusal)))
    headers.pop("status", None)
    self.response_headers.update(headers)
    error = _Refused(description=body)
    error.code = refusal.status
    raise error


def check_request(
    request: Any, service: str, operation: str, params: dict[str, Any], account_id: str
) -> Refusal | None:
    """For the layers' own routes (Lambda Invoke): the refusal for a werkzeug request, else None."""
    scope = re.search(r"Credential=([^/,]+)/\d+/([^/]+)/", request.headers.get("Authorization", ""))
    if scope is None:
        return None
    return check(scope[1], request.headers, service, operation, params, account_id, scope[2])


# -- roles from CloudFormation ------------------------------------------------------------------------------
def _role_update_from_cloudformation_json(
    cls: Any,
    original_resource: Any,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> Any:
    """A stack update of an `AWS::IAM::Role` changes its inline `Policies` and trust policy, as on AWS (in place).

    moto 5.2.5 updates only the description on a stack update, so a permission taken out of a template stayed
    granted until the stack was deleted: exactly the "works locally" this layer exists to prevent."""
    from moto.iam.models import Role

    role = original(Role, "update_from_cloudformation_json")(
        original_resource, new_resource_name, cloudformation_json, account_id, region_name
    )
    properties = cloudformation_json.get("Properties", {})
    wanted = {p["PolicyName"]: p["PolicyDocument"] for p in properties.get("Policies", [])}
    for name in set(role.policies) - set(wanted):
        role.delete_policy(name)
    for name, document in wanted.items():
        role.put_policy(name, document)  # a dict, as moto's create stores a template's policy
    trust = properties.get("AssumeRolePolicyDocument")
    if trust is not None:  # stored as moto's create stores it (unvalidated JSON text)
        role.assume_role_policy_document = trust if isinstance(trust, str) else json.dumps(trust, default=str)
    return role


def install(cloud: LocalCloud) -> None:
    global _enabled
    _enabled = cloud.settings.iam
    replace(ActionAuthenticatorMixin, "_authenticate_and_authorize_normal_action", _authorize)
    from moto.iam.models import Role

    replace(Role, "update_from_cloudformation_json", classmethod(_role_update_from_cloudformation_json))
    why = "LOCALCLOUD_IAM=off" if cloud.settings.profile.iam else f"profile {cloud.settings.profile.name}"
    log.info("IAM enforcement for role credentials is %s", "on" if _enabled else f"off ({why})")
