"""One moto internal a layer relies on (the entries of `moto_internals_list.INTERNALS`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Internal:
    """A moto name (`module:Qualified.name`) a layer relies on, and what the layer assumes about it.

    For a patched attribute the checks apply to moto's original, as `patches.replace` recorded it.
    """

    path: str
    layer: str
    params: tuple[str, ...] | None = None  # its parameters exactly; a trailing "..." allows more after them
    has_params: tuple[str, ...] = ()  # parameters it must have, wherever
    text: tuple[str, ...] = ()  # phrases its source must contain
    names: tuple[str, ...] = ()  # names its code must use (attributes an __init__ sets)
    attrs: tuple[str, ...] = ()  # attributes it must have (methods of a class, cache_clear of an lru_cache)
    probe: Callable[[Any], bool] | None = None  # anything else, asked of the object itself
