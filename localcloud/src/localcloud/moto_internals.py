"""The one tripwire: every moto internal the local cloud relies on (the list: moto_internals_list.py), checked.

The layers change moto only through `patches.replace` (so every change is in `patches.REGISTRY`) and
read some of moto's private names besides. `INTERNALS` lists both: each patched attribute, and each
private name, signature or field a layer reads, with what the layer assumes about it. `check()` walks
the registry and this list against the installed moto; `python -m localcloud.moto_internals` installs
every layer in a throwaway cloud first (what localcloud/tests/test_moto_internals.py runs), so a moto
upgrade that moves anything fails one test that names what moved and which layer to update.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import tempfile
from typing import Any

from localcloud import patches
from localcloud.moto_internal import Internal
from localcloud.moto_internals_list import INTERNALS as INTERNALS

# -- the check ------------------------------------------------------------------------------------------


def _resolve(path: str) -> tuple[Any, str, Any]:
    """(owner, name, value) for `module:Qualified.name`; the value is moto's original when patched."""
    module_name, _, qualified = path.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, name = qualified.split(".")
    for part in parents:
        owner = getattr(owner, part)
    patch = patches.REGISTRY.get((owner, name))
    return owner, name, patch.original if patch is not None else getattr(owner, name)


def _parameters(value: Any) -> list[str]:
    return list(inspect.signature(value).parameters)


def _problems_of(internal: Internal) -> list[str]:
    try:
        _, _, value = _resolve(internal.path)
    except (ImportError, AttributeError) as error:
        return [f"{internal.path} is gone ({error})"]
    found: list[str] = []
    if internal.params is not None:
        expected, actual = list(internal.params), _parameters(value)
        if expected[-1:] == ["..."]:
            expected, actual = expected[:-1], actual[: len(expected) - 1]
        if actual != expected:
            found.append(f"{internal.path} takes {_parameters(value)}, not {list(internal.params)}")
    missing = [p for p in internal.has_params if p not in _parameters(value)]
    if missing:
        found.append(f"{internal.path} has no parameter {missing}")
    source = inspect.getsource(value) if internal.text else ""
    found += [f"{internal.path} no longer contains {phrase!r}" for phrase in internal.text if phrase not in source]
    code_names = value.__code__.co_names if internal.names else ()
    found += [f"{internal.path} no longer uses {name!r}" for name in internal.names if name not in code_names]
    found += [f"{internal.path} has no attribute {attr!r}" for attr in internal.attrs if not hasattr(value, attr)]
    if internal.probe is not None and not internal.probe(value):
        found.append(f"{internal.path} no longer behaves as the layer expects")
    return [f"{problem} (update localcloud/{internal.layer}.py)" for problem in found]


def _accepts(replacement: Any, original: Any) -> bool:
    """Whether the replacement takes every argument moto passes to the original."""
    function = replacement.__func__ if isinstance(replacement, classmethod) else replacement
    params = list(inspect.signature(function).parameters.values())
    if isinstance(replacement, classmethod):
        params = params[1:]  # cls; the original is bound to its class
    signature = inspect.Signature(params)
    positional: list[None] = []
    keyword: dict[str, None] = {}
    for param in inspect.signature(original).parameters.values():
        if param.kind == param.POSITIONAL_ONLY:
            positional.append(None)
        elif param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
            keyword[param.name] = None  # moto's callers pass these by name as often as by position
    try:
        signature.bind(*positional, **keyword)
    except TypeError:
        return False
    return True


def check() -> list[str]:
    """What no longer fits: every registered patch and every listed internal, against the installed moto."""
    from moto.core.common_models import CloudFormationModel

    from localcloud.cfn_model import CfnModel, unseen_models

    problems: list[str] = []
    listed = set()
    for internal in INTERNALS:
        problems += _problems_of(internal)
        try:
            owner, name, _ = _resolve(internal.path)
        except (ImportError, AttributeError):
            continue
        listed.add((owner, name))
    for patch in patches.patches():
        if (patch.owner, patch.name) not in listed:
            problems.append(f"{patch.where} is patched by {patch.layer} but not listed in moto_internals.INTERNALS")
        if callable(patch.original) and not _accepts(patch.replacement, patch.original):
            problems.append(f"{patch.where}: {patch.layer}'s replacement does not take moto's arguments")
    problems += unseen_models()
    problems += [
        f"{m.__module__}.{m.__name__} is a CloudFormation model that does not extend cfn_model.CfnModel"
        for m in CloudFormationModel.__subclasses__()
        if m.__module__.startswith("localcloud.") and not issubclass(m, CfnModel)
    ]
    return problems


def main() -> int:
    """Install every layer in a cloud that is never started, then check; exit 1 naming what moved."""
    os.environ.setdefault("LOCALCLOUD_STATE_DIR", tempfile.mkdtemp(prefix="localcloud-tripwire-"))
    from localcloud import config
    from localcloud.cfn_model import models
    from localcloud.server import LocalCloud

    LocalCloud(config.load()).install_layers()
    problems = check()
    for problem in problems:
        print(problem)
    registered = patches.patches()
    layers = sorted({p.layer for p in registered})
    print(
        f"{len(registered)} moto attributes patched by {len(layers)} layers, {len(models())} CloudFormation models, "
        f"{len(INTERNALS)} internals listed: ",
        end="",
    )
    print(f"{len(problems)} problem(s)" if problems else "all still fit")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
