"""S3: `AWS::S3::BucketPolicy` from CloudFormation, and bucket policies with conditions.

- The model puts the policy on moto's bucket (moto skips the type); Ref is the bucket's name; moving the
  policy to another bucket removes it from the first; deleting it after its bucket is not an error.
- moto ignores a policy statement's `Condition`, which turned the usual "Deny s3:* unless
  aws:SecureTransport" into "deny everything". The local endpoint stands in for AWS's HTTPS one
  (aws:SecureTransport is true), and a conditional Deny on any other key is not enforced, because it
  cannot be evaluated here (FakeBucket.get_permission).
- Every S3 answer carries S3's own request headers, `x-amz-request-id` and `x-amz-id-2` (the "extended request
  id" SDKs report as `HostId`, e.g. in a Step Functions task's error cause), not the `x-amzn-RequestId` of
  other services; moto sent only that one (S3Response._enrich_response).
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

from moto.core.common_models import CloudFormationModel
from moto.s3.models import FakeBucket
from moto.utilities.utils import get_partition

from localcloud.cfn_model import CfnModel, Properties
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud


class S3BucketPolicy(CfnModel, CloudFormationModel):
    """Ref is the bucket's name; moving the policy to another bucket removes it from the first."""

    TYPE = "AWS::S3::BucketPolicy"

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> S3BucketPolicy:
        from moto.s3.models import s3_backends

        document = props["PolicyDocument"]
        policy = document if isinstance(document, str) else json.dumps(document)
        s3_backends[account_id][get_partition(region_name)].put_bucket_policy(props["Bucket"], policy.encode())
        return cls(account_id, region_name, props["Bucket"])

    @classmethod
    def update(cls, original: Any, name: str, props: Properties, account_id: str, region_name: str) -> S3BucketPolicy:
        if props["Bucket"] != original.physical_resource_id:
            original.delete(account_id, region_name)
        return cls.create(name, props, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.s3.exceptions import MissingBucket
        from moto.s3.models import s3_backends

        with contextlib.suppress(MissingBucket):  # the bucket went first; its policy went with it
            s3_backends[account_id][get_partition(region_name)].delete_bucket_policy(self.physical_resource_id)


def _deny_applies(statement: dict[str, Any]) -> bool:
    """Whether a Deny statement's Condition holds for a request to the local cloud.

    moto ignores conditions, so the usual `Deny s3:* if aws:SecureTransport is false` denied everything,
    uploads included. The local endpoint stands in for AWS's HTTPS one, so aws:SecureTransport is true;
    other condition keys cannot be known here, and a Deny that cannot be shown to apply is not enforced.
    """
    for operator, keys in (statement.get("Condition") or {}).items():
        for key, expected in keys.items():
            values = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
            if operator != "Bool" or key.lower() != "aws:securetransport" or "true" not in values:
                return False
    return True


def _bucket_get_permission(self: Any, action: str, resource: str) -> Any:
    from moto.iam.access_control import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy)
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    kept = [st for st in statements if st.get("Effect") != "Deny" or not st.get("Condition") or _deny_applies(st)]
    return IAMPolicy(json.dumps({**document, "Statement": kept})).is_action_permitted(action, resource)


def _enrich_response(headers: dict[str, Any], body: Any) -> tuple[dict[str, Any], Any]:
    from moto.core.serialize import S3Serializer
    from moto.s3.responses import S3Response

    headers, body = original(S3Response, "_enrich_response")(headers, body)
    request_id = headers.pop("x-amzn-requestid", None)  # not S3's: SDKs read HostId only without it
    if request_id and "x-amz-request-id" not in headers:
        headers["x-amz-request-id"] = request_id
    headers.setdefault("x-amz-id-2", S3Serializer.DEFAULT_HOST_ID)
    return headers, body


def install(cloud: LocalCloud) -> None:
    from moto.s3.responses import S3Response

    replace(FakeBucket, "get_permission", _bucket_get_permission)
    replace(S3Response, "_enrich_response", staticmethod(_enrich_response))
