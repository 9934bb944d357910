"""Shared fixtures: a running local cloud (`endpoint`, `aws`: localcloud.pytest_plugin) and the helpers the
shop's tests import (`from conftest import poll, stop_group`).

The session uses the local cloud at LOCALCLOUD_PORT (default 4566) if one is already healthy there
(`make up`); otherwise it starts its own in a temporary state folder and stops it by pid.
"""

from __future__ import annotations

from localcloud.testing import poll as poll  # re-exported for `from conftest import poll`
from localcloud.testing import stop_group as stop_group  # re-exported for `from conftest import stop_group`

pytest_plugins = ("localcloud.pytest_plugin",)
