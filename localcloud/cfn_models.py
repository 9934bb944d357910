"""How a layer's CloudFormation models become visible to moto's CloudFormation.

A layer adds a resource type by subclassing moto's CloudFormationModel; moto looks types up through
lru-cached functions, so a model defined after the first lookup stays invisible until those caches are
cleared. Every layer calls this after defining its models, and CloudFormation calls it before each stack.
"""

from __future__ import annotations

CACHED_LOOKUPS = ("get_model_list", "get_model_map", "get_name_type_map")  # in moto.cloudformation.parsing


def refresh_model_map() -> None:
    from moto.cloudformation import parsing

    for name in CACHED_LOOKUPS:
        getattr(parsing, name).cache_clear()
