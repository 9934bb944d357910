"""Settings of the local cloud, read once from the environment.

Every port can be moved (tests run several clouds side by side); every listener binds to
127.0.0.1 unless LOCALCLOUD_BIND opens it on purpose (docker-compose needs 0.0.0.0).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ACCOUNT = "000000000000"  # LocalStack's account id, so ARNs look the same on both targets
DEFAULT_REGION = "us-east-1"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


@dataclass(frozen=True)
class Profile:
    """What the cloud supplies beyond moto; each switch is one AWS feature a profile can leave out.

    `full` (the default) supplies everything. `localstack-community` leaves out what LocalStack community
    lacks and the shop's templates touch, so the suite can prove the docker-compose target's behaviour
    without Docker; localstack/README.md cites LocalStack's source for each gap.
    """

    name: str
    # API Gateway runs Lambda authorizers (community: its execute-api chain has no authorizer step, so the
    # request reaches the integration with no requestContext.authorizer).
    lambda_authorizers: bool = True
    # API Gateway stage, method and usage-plan throttling answers 429 (community: no throttling step either).
    api_throttling: bool = True
    # CloudFront distributions are served at the edge port (community: no CloudFront service).
    cloudfront_edge: bool = True
    # EventBridge Scheduler schedules fire their targets (community: stored, never invoked; EventBridge
    # rules with a ScheduleExpression do fire there, and here in every profile).
    scheduler_fires: bool = True
    # SNS email subscriptions are delivered over SMTP to the mail sink (community: sent through SES, which
    # only records the message at GET /_aws/ses, with the subject "SNS-Subscriber-Endpoint").
    sns_email_smtp: bool = True
    # Role credentials are evaluated against the role's policies (community: IAM is not enforced).
    iam: bool = True
    # Types CloudFormation deploys as placeholders: CREATE_COMPLETE, nothing made, Ref and every GetAtt "unknown"
    # (community has no resource provider for them and docker-compose.yml sets CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES).
    cloudformation_placeholders: tuple[str, ...] = ()


PROFILES: dict[str, Profile] = {
    "full": Profile("full"),
    "localstack-community": Profile(
        "localstack-community",
        lambda_authorizers=False,
        api_throttling=False,
        cloudfront_edge=False,
        scheduler_fires=False,
        sns_email_smtp=False,
        iam=False,
        cloudformation_placeholders=(
            "AWS::ApiGateway::Authorizer",
            "AWS::CloudFront::CachePolicy",
            "AWS::CloudFront::Distribution",
            "AWS::CloudFront::OriginAccessControl",
        ),
    ),
}


def _profile() -> Profile:
    name = os.environ.get("LOCALCLOUD_PROFILE", "full")
    if name not in PROFILES:
        raise ValueError(f"LOCALCLOUD_PROFILE={name!r} is not a profile; use one of {', '.join(PROFILES)}")
    return PROFILES[name]


@dataclass(frozen=True)
class Settings:
    bind: str = field(default_factory=lambda: os.environ.get("LOCALCLOUD_BIND", "127.0.0.1"))
    port: int = field(default_factory=lambda: _int("LOCALCLOUD_PORT", 4566))
    edge_port: int = field(default_factory=lambda: _int("LOCALCLOUD_EDGE_PORT", 8080))
    smtp_port: int = field(default_factory=lambda: _int("LOCALCLOUD_SMTP_PORT", 1025))
    mail_api_port: int = field(default_factory=lambda: _int("LOCALCLOUD_MAIL_API_PORT", 8025))
    state_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("LOCALCLOUD_STATE_DIR", ".localcloud")).resolve()
    )
    region: str = field(default_factory=lambda: os.environ.get("AWS_DEFAULT_REGION", DEFAULT_REGION))
    # Schedules fire at their template rate; a test may shorten every rate to this many seconds.
    schedule_rate_override_seconds: float = field(
        default_factory=lambda: _float("LOCALCLOUD_SCHEDULE_RATE_SECONDS", 0.0)
    )
    # Warm workers (processes, ~60 MB each) per Lambda function version, started as invocations need them;
    # past the bound an invoke is throttled as at AWS's concurrency limit (AWS's default is 1,000 per account).
    lambda_max_workers: int = field(default_factory=lambda: _int("LOCALCLOUD_LAMBDA_MAX_WORKERS", 16))
    # At the bound, how long an invoke waits (first come, first served) for a worker before it is throttled.
    # AWS queues nothing at its limit, but its limit is 1,000; here a burst of a few seconds (16 workers
    # starting on two cores) should not fail.
    lambda_bound_wait_seconds: float = field(
        default_factory=lambda: _float("LOCALCLOUD_LAMBDA_BOUND_WAIT_SECONDS", 10.0)
    )
    # The mail sink keeps the newest this many messages (Mailpit's MP_MAX_MESSAGES); a 1,000-order load run
    # sends about four per order (staff and customer copies of two notices).
    mail_max_messages: int = field(default_factory=lambda: _int("LOCALCLOUD_MAIL_MAX_MESSAGES", 10_000))
    # An EXPRESS execution ends TIMED_OUT after this long (AWS's limit is 5 minutes).
    express_max_seconds: int = field(default_factory=lambda: _int("LOCALCLOUD_EXPRESS_MAX_SECONDS", 300))
    # LOCALCLOUD_PROFILE: which AWS features beyond moto the cloud supplies (Profile above).
    profile: Profile = field(default_factory=_profile)
    # Calls made with a role's credentials (Lambda, Step Functions, schedules) are evaluated against its
    # policies; LOCALCLOUD_IAM=off lets everything through, and so does a profile without IAM.
    iam: bool = field(
        default_factory=lambda: (
            os.environ.get("LOCALCLOUD_IAM", "on").lower() not in ("off", "0", "false") and _profile().iam
        )
    )

    @property
    def endpoint(self) -> str:
        """The AWS endpoint URL clients use (always loopback, even when bound wider)."""
        return f"http://localhost:{self.port}"

    @property
    def edge_url(self) -> str:
        return f"http://localhost:{self.edge_port}"

    @property
    def mail_api_url(self) -> str:
        return f"http://localhost:{self.mail_api_port}"


def load() -> Settings:
    return Settings()
