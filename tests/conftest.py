"""Shared fixtures: a running local cloud (`endpoint`, `aws`: localcloud.pytest_plugin), and in-process mocks
stopped after each test.

The session uses the local cloud at LOCALCLOUD_PORT (default 4566) if one is already healthy there
(`make up`); otherwise it starts its own in a temporary state folder and stops it by pid.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.external import stop_started
from tests.support.shop import shop_fixture as shop_fixture  # the session fixture `shop`: the deployed shop

pytest_plugins = ("localcloud.pytest_plugin",)


@pytest.fixture(autouse=True)
def _stop_in_process_mocks() -> Iterator[None]:
    """The Payment/Shipment mocks a test started in this process (tests/support/external.py) end with it."""
    yield
    stop_started()
