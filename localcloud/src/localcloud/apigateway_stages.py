"""What serves a REST API, as AWS answers for it: stages, VPC links and authorizers.

- **Stages**: GetStages filtered by `deploymentId` (moto listed every stage); UpdateStage's access log
  settings in AWS's terms (`/accessLogSettings/destinationArn` and `/format` added or replaced, never empty,
  the whole `/accessLogSettings` removed; anything else refused in AWS's words), the other paths applied by
  moto, the whole update all or nothing.
- **VPC links**: CreateVpcLink refuses an empty name or a target that is not an ARN and answers the new link
  `PENDING` (it reads `AVAILABLE` afterwards), DeleteVpcLink of an unknown link is `NotFoundException`
  (moto: a success), UpdateVpcLink (moto had none).
- **Authorizers**: CreateAuthorizer on a REST API that does not exist is AWS's `ConflictException`.

Handlers are registered with apigateway_requests (the route).
"""

from __future__ import annotations

import re
import time
from typing import Any

from localcloud.apigateway_requests import (
    Call,
    all_or_nothing,
    bad_request,
    check_ops,
    conflict,
    handles,
    unsupported_path,
)

ACCESS_LOG_FIELDS = ("destinationArn", "format")
ARN = re.compile(r"arn:[^:]+:[^:]+:[^:]*:[^:]*:.+")


# -- stages -------------------------------------------------------------------------------------------


@handles("GetStages")
def get_stages(call: Call) -> dict[str, Any]:
    stages = call.backend.get_stages(call.params["restApiId"])
    deployment = call.params.get("deploymentId")
    return {"item": [s.to_json() for s in stages if deployment is None or s.deployment_id == deployment]}


def _patch_access_log(stage: Any, op: dict[str, Any]) -> None:
    path = str(op.get("path"))
    field = path.removeprefix("/accessLogSettings").lstrip("/")
    if op["op"] == "remove":
        if field:
            raise bad_request(
                f"Cannot remove method setting accessLogSettings/{field} because there is no method setting for "
                "this method "
            )
        stage.access_log_settings = None
    elif field not in ACCESS_LOG_FIELDS:
        raise bad_request(
            "Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, "
            "/accessLogSettings/format]"
        )
    elif not op.get("value"):
        raise bad_request("Access Log value must not be empty")
    else:
        stage.access_log_settings = {**(stage.access_log_settings or {}), field: op["value"]}


@handles("UpdateStage")
def update_stage(call: Call) -> dict[str, Any]:
    check_ops(call)
    stage = call.backend.get_stage(call.params["restApiId"], call.params["stageName"])
    with all_or_nothing(stage):
        for op in call.patch_operations():
            if str(op.get("path")).startswith("/accessLogSettings"):
                _patch_access_log(stage, op)
            else:
                stage.apply_operations([op])
    stage.lc_updated_date = time.time()
    shown: dict[str, Any] = stage.to_json()
    return shown


# -- VPC links ----------------------------------------------------------------------------------------


@handles("CreateVpcLink")
def create_vpc_link(call: Call) -> dict[str, Any]:
    p = call.params
    for arn in p.get("targetArns") or []:
        if not ARN.fullmatch(str(arn)):
            raise bad_request(f"Invalid ARN. ARN is not well formed {arn}")
    if not p.get("name"):
        raise bad_request("Name cannot be empty")
    link = call.backend.create_vpc_link(
        name=p["name"], description=p.get("description"), target_arns=p.get("targetArns"), tags=p.get("tags")
    )
    shown: dict[str, Any] = link.to_json()
    shown["status"] = "PENDING"  # what AWS answers at once; the link reads AVAILABLE afterwards
    shown.pop("statusMessage", None)
    return shown


@handles("DeleteVpcLink")
def delete_vpc_link(call: Call) -> None:
    call.backend.get_vpc_link(call.params["vpcLinkId"])  # apigateway_api names a missing one
    return None


@handles("UpdateVpcLink")
def update_vpc_link(call: Call) -> dict[str, Any]:
    check_ops(call)
    link = call.backend.get_vpc_link(call.params["vpcLinkId"])
    with all_or_nothing(link):
        for op in call.patch_operations():
            if op["op"] != "replace" or op.get("path") not in ("/name", "/description"):
                raise unsupported_path(op, ["/name", "/description"])
            setattr(link, str(op["path"])[1:], op.get("value"))
    shown: dict[str, Any] = link.to_json()
    shown["tags"] = dict(link.tags or {})  # AWS answers an update with the tags, even none
    return shown


# -- authorizers --------------------------------------------------------------------------------------


@handles("CreateAuthorizer")
def create_authorizer(call: Call) -> None:
    if call.params["restApiId"] not in call.backend.apis:
        raise conflict("Unable to complete operation due to concurrent modification. Please try again later.")
    return None
