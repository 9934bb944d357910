"""What the deploy tool checks before it creates anything, and how it words what went wrong.

Every failure a person can cause (credentials, Region, parameter file, a stack stuck in a failed state, a
taken bucket name) becomes a `UserError`: one line on stderr that says what failed and what to do, and a
non-zero exit. `explain` turns the SDK's exceptions into such lines; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOError,
    TokenRetrievalError,
)

from stacks import templates

# A test-only switch: the AWS path (identity, plan, confirmation, these checks) against a stand-in endpoint
# such as the local cloud. `make deploy` refuses AWS_ENDPOINT_URL; this name is one nobody sets by accident.
TEST_ENDPOINT_VARIABLE = "SHOP_DEPLOY_TEST_AWS_ENDPOINT"
DEFAULT_REGION = "us-east-1"

EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
NOT_RECOGNISED = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "AuthFailure",
    "InvalidSignatureException",
}
DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}


def say(message: str) -> None:
    print(f"[deploy] {message}", flush=True)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


class UserError(Exception):
    """A failure the person running the tool can fix; its text is the whole message."""


@dataclass(frozen=True)
class Identity:
    account: str
    arn: str
    credentials_from: str


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def resolve_region(explicit: str | None) -> tuple[str, str]:
    """(Region, where it came from), the way the AWS CLI chooses it, falling back to us-east-1."""
    if explicit:
        return explicit, "from --region"
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if os.environ.get(variable):
            return os.environ[variable], f"from {variable}"
    try:
        session = boto3.Session()
    except ProfileNotFound as error:
        raise UserError(explain(error)) from None
    if session.region_name:
        return session.region_name, f"from profile {session.profile_name}"
    return DEFAULT_REGION, "the default; set AWS_REGION to choose"


def check_region(region: str, kinds: tuple[str, ...]) -> None:
    """The Region exists and offers every regional service the templates use (botocore's endpoint data)."""
    session = boto3.Session()
    partition = next(
        (p for p in session.get_available_partitions() if region in session.get_available_regions("sts", p)),
        None,
    )
    if partition is None:
        raise UserError(
            f"unknown Region {region!r}: no AWS partition has it; set AWS_REGION to a Region code such as "
            "us-east-1 or eu-west-1"
        )
    missing = [
        (label, types)
        for service, (label, types) in sorted(templates.regional_services(kinds).items())
        if region not in session.get_available_regions(service, partition)
    ]
    if missing:
        names = "; ".join(f"{label} (for {', '.join(types)})" for label, types in missing)
        raise UserError(
            f"Region {region} does not offer {names}, which the stacks need: choose another Region with AWS_REGION"
        )


def identity(session: boto3.Session, sts: Any) -> Identity:
    """Whose credentials these are, from STS; fails with a sentence when there are none or they expired."""
    try:
        credentials = session.get_credentials()
        if credentials is None:
            raise NoCredentialsError()
        credentials.get_frozen_credentials()  # SSO and credential_process fail here, not at the first call
        answer = sts.get_caller_identity()
    except (BotoCoreError, ClientError) as error:
        raise UserError(explain(error)) from None
    return Identity(answer["Account"], answer["Arn"], getattr(credentials, "method", "unknown"))


def explain(error: Exception, region: str | None = None) -> str:
    """One line for an SDK exception: what happened and what to do about it."""
    profile = os.environ.get("AWS_PROFILE")
    if isinstance(error, NoCredentialsError):
        return (
            "no AWS credentials found: sign in first (aws configure sso, or aws sso login --profile NAME, then "
            "export AWS_PROFILE=NAME), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see docs/aws.md, "
            "'Your first release', step 1"
        )
    if isinstance(error, PartialCredentialsError):
        return f"incomplete AWS credentials: {one_line(str(error))}; set both the access key id and the secret key"
    if isinstance(error, ProfileNotFound):
        return (
            f"AWS_PROFILE={profile} names no profile in your AWS config ({one_line(str(error))}): list them with "
            "aws configure list-profiles"
        )
    if isinstance(error, TokenRetrievalError | SSOError):
        login = f"aws sso login --profile {profile}" if profile else "aws sso login"
        return (
            f"your AWS SSO session has expired or was never started ({one_line(str(error))}): run {login}, then "
            "run this again"
        )
    if isinstance(error, CredentialRetrievalError):
        return f"could not get AWS credentials: {one_line(str(error))}"
    if isinstance(error, NoRegionError):
        return "no AWS Region: set AWS_REGION (for example AWS_REGION=eu-west-1)"
    if isinstance(error, EndpointConnectionError):
        where = f" Region {region}" if region else " the Region"
        return (
            f"could not reach {error.kwargs.get('endpoint_url', 'AWS')}: check the network, and that{where} is "
            "right and offers this service"
        )
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = one_line(error.response.get("Error", {}).get("Message", "") or str(error))
        operation = error.operation_name
        if code in EXPIRED:
            return (
                f"your AWS credentials have expired ({code}: {message}): get fresh ones (aws sso login, or new "
                "temporary keys from whoever issued them) and run this again"
            )
        if code in NOT_RECOGNISED:
            return (
                f"AWS does not accept these credentials ({code}: {message}): check AWS_PROFILE or "
                "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN; an opt-in Region not enabled for the "
                "account answers the same, so check AWS_REGION too"
            )
        if code in DENIED:
            return (
                f"AWS denied {operation} ({code}: {message}): the first deploy needs broad rights (an administrator "
                "role is simplest; docs/aws.md, 'Your first release', step 1)"
            )
        if "Unrecognized resource types" in message:
            return unrecognised_types(message, region)
        return f"AWS refused {operation} ({code}: {message})"
    return f"{type(error).__name__}: {one_line(str(error))}"


def unrecognised_types(message: str, region: str | None) -> str:
    """CloudFormation's answer in a Region that lacks a service the template uses."""
    found = re.search(r"\[([^\]]*)\]", message)
    types = found[1] if found else message
    return (
        f"Region {region or '(this Region)'} does not offer {types}, which the stacks use (CloudFormation: "
        f"{one_line(message)}): choose another Region with AWS_REGION"
    )
