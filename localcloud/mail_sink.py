"""Placeholder: this layer is not built yet (see localcloud/README.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from localcloud.server import LocalCloud


def install(cloud: LocalCloud) -> None:
    """Nothing to install yet."""
