"""The one way a layer changes moto: `replace(owner, name, fn)`.

A layer that must change a moto function, method or module attribute calls `replace`: it records what
was there, does nothing when the same layer asks again (install twice is harmless), refuses a second
layer patching the same attribute, and lists the patch in REGISTRY. The replacement reaches moto's own
code through `original(owner, name)`. One tripwire (`python -m localcloud.moto_internals`, run by
localcloud/tests/test_moto_internals.py) installs every layer, then walks REGISTRY and the private moto
names the layers read, so a moto upgrade that moves any of them fails one test that names it.
"""

from __future__ import annotations

import inspect
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Patch:
    owner: Any  # the moto class or module
    name: str
    original: Any  # what getattr(owner, name) gave before (bound to the class for a classmethod)
    replacement: Any  # what was set: a function, a classmethod object, a wrapper
    layer: str  # the localcloud module that asked for it

    @property
    def where(self) -> str:
        return where(self.owner, self.name)


REGISTRY: dict[tuple[Any, str], Patch] = {}
_lock = threading.Lock()


def where(owner: Any, name: str) -> str:
    """`moto.sns.models:Subscription.publish` for a class attribute, `moto.cloudformation.parsing:parse_resource`."""
    if inspect.ismodule(owner):
        return f"{owner.__name__}:{name}"
    return f"{owner.__module__}:{owner.__qualname__}.{name}"


def replace(owner: Any, name: str, fn: Any) -> Any:
    """Set `owner.name = fn` once and return the original (what getattr gave before the patch)."""
    caller = inspect.currentframe()
    layer = str(caller.f_back.f_globals.get("__name__", "?")) if caller and caller.f_back else "?"
    with _lock:
        patch = REGISTRY.get((owner, name))
        if patch is not None:
            if patch.layer != layer:
                raise RuntimeError(f"{patch.where} is already replaced by {patch.layer}; {layer} cannot replace it too")
            return patch.original
        if not hasattr(owner, name):
            raise RuntimeError(f"moto has no {where(owner, name)} any more; update {layer} for the pinned moto")
        original_value = getattr(owner, name)
        setattr(owner, name, fn)
        REGISTRY[(owner, name)] = Patch(owner, name, original_value, fn, layer)
        return original_value


def original(owner: Any, name: str) -> Any:
    """moto's own `owner.name`, as it was before `replace`."""
    return REGISTRY[(owner, name)].original


def patches() -> list[Patch]:
    with _lock:
        return list(REGISTRY.values())
