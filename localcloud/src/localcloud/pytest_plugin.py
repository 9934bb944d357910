"""pytest fixtures for a local cloud; a conftest enables them with `pytest_plugins = ("localcloud.pytest_plugin",)`.

- `endpoint` (session): the local cloud at LOCALCLOUD_PORT (default 4566) if one is already healthy there
  (`make up`), else one started for the session in a temporary state folder and stopped by pid. Its
  schedules fire every second unless LOCALCLOUD_SCHEDULE_RATE_SECONDS says otherwise. A cloud already there
  must run the LOCALCLOUD_PROFILE asked for (default `full`), else the session stops, naming both. The process's
  AWS_* variables point at it, so boto3 and the AWS CLI reach it unchanged.
- `aws` (session): `aws("sqs")` is a boto3 client for it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from localcloud.testing import running_cloud, running_profile

REGION = "us-east-1"


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = int(os.environ.get("LOCALCLOUD_PORT", "4566"))
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://localhost:{port}",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",  # noqa: S106 - the local cloud takes any key
        AWS_DEFAULT_REGION=REGION,
    )
    os.environ.pop("AWS_PROFILE", None)
    rate = os.environ.get("LOCALCLOUD_SCHEDULE_RATE_SECONDS", "1")
    state_dir = tmp_path_factory.mktemp("localcloud")
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(running_cloud(port, state_dir, env={"LOCALCLOUD_SCHEDULE_RATE_SECONDS": rate}))
        except RuntimeError as error:
            pytest.exit(str(error), returncode=3)
        wanted, running = os.environ.get("LOCALCLOUD_PROFILE", "full"), running_profile(url)
        if running != wanted:
            pytest.exit(
                f"the local cloud at {url} runs profile {running!r}, the tests asked for {wanted!r} "
                "(LOCALCLOUD_PROFILE): stop it (make down) or use another LOCALCLOUD_PORT",
                returncode=3,
            )
        yield url


@pytest.fixture(scope="session")
def aws(endpoint: str) -> Callable[[str], Any]:
    """`aws("sqs")` is a boto3 client for the local cloud."""

    def client(service: str) -> Any:
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION)

    return client
