"""The one tripwire for moto internals, and the patch helper every layer changes moto through."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from localcloud import patches


def test_every_moto_patch_and_private_read_still_fits(tmp_path: Path) -> None:
    """Installs every layer in a child process (the patches must not leak into this one), then walks
    patches.REGISTRY, moto_internals.INTERNALS and the layers' CloudFormation models (each extends cfn_model.CfnModel
    and is the one moto picks for its type): a moto upgrade that moves any of them fails here by name."""
    env = {**os.environ, "LOCALCLOUD_STATE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "localcloud.moto_internals"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("171 moto attributes patched by 32 layers, 16 CloudFormation models")
    assert done.stdout.rstrip().endswith("all still fit")


class _Owner:
    def greet(self, name: str) -> str:
        return f"hola {name}"


def test_replace_records_the_original_once_and_lists_the_patch() -> None:
    moto_greet = _Owner.greet

    def greet(self: _Owner, name: str) -> str:
        return patches.original(_Owner, "greet")(self, name).upper()

    try:
        assert patches.replace(_Owner, "greet", greet) is moto_greet
        assert _Owner().greet("ana") == "HOLA ANA"
        # Installing twice changes nothing: the first replacement stays, the original is still moto's.
        assert patches.replace(_Owner, "greet", lambda self, name: "again") is moto_greet
        assert _Owner().greet("ana") == "HOLA ANA"
        [patch] = [p for p in patches.patches() if p.owner is _Owner]
        assert (patch.name, patch.original, patch.replacement, patch.layer) == ("greet", moto_greet, greet, __name__)
        assert patch.where == f"{__name__}:_Owner.greet"
        with pytest.raises(RuntimeError, match=r"no .*_Owner\.wave"):
            patches.replace(_Owner, "wave", greet)
        # Two layers patching one attribute would undo each other: the second is refused by name.
        other_layer = {"__name__": "localcloud.other", "patches": patches, "_Owner": _Owner, "greet": greet}
        with pytest.raises(RuntimeError, match=r"already replaced by .* localcloud\.other cannot"):
            exec("patches.replace(_Owner, 'greet', greet)", other_layer)  # noqa: S102 - a caller in another module
    finally:
        _Owner.greet = moto_greet  # type: ignore[method-assign]
        patches.REGISTRY.pop((_Owner, "greet"), None)
