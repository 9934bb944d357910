"""moto's backend lookup (`dynamodb_backends[account][region]`), without its global lock on every call.

Every moto call reaches its state through `BackendDict.__getitem__`, which takes moto's one global lock and asks
whether the dict is in `BackendDict._instances` with a Python `__eq__` against each service's dict, even when the
account's backend exists already: under load a quarter of the local cloud's CPU (py-spy, `make load`). An account
already present answers straight from the dict; moto's own code still creates the first one and registers it.
That is the same answer: entries are only added by that code, which registers the dict, and `BackendDict.reset`
clears the registered dicts' entries when it forgets them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud


def _backend_for_account(self: Any, account_id: str) -> Any:
    try:
        return dict.__getitem__(self, account_id)
    except KeyError:
        from moto.core.base_backend import BackendDict

        return original(BackendDict, "__getitem__")(self, account_id)


def install(cloud: LocalCloud) -> None:
    from moto.core.base_backend import BackendDict

    replace(BackendDict, "__getitem__", _backend_for_account)
