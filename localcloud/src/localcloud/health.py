"""`GET /_localstack/health` in LocalStack's JSON shape, so LocalStack tooling sees a healthy cloud."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

SERVICES = (
    "apigateway", "cloudformation", "cloudfront", "cloudwatch", "dynamodb", "events", "iam", "lambda",
    "logs", "s3", "scheduler", "secretsmanager", "sns", "sqs", "ssm", "stepfunctions", "sts",
)  # fmt: skip

PATHS = ("/_localstack/health", "/health")


def install(cloud: LocalCloud) -> None:
    def handle(request: Request) -> Response:
        profile = cloud.settings.profile
        body = {
            # LocalStack community lists no cloudfront service: neither does the profile without the edge.
            "services": {name: "running" for name in SERVICES if name != "cloudfront" or profile.cloudfront_edge},
            "edition": "localcloud",
            "version": "moto-" + _moto_version(),
            "profile": profile.name,
            "layers": cloud.installed_layers,
        }
        return Response(json.dumps(body), mimetype="application/json")

    cloud.add_route("health", lambda r: r.method in ("GET", "HEAD") and r.path in PATHS, handle)


def _moto_version() -> str:
    from importlib.metadata import version

    return version("moto")
