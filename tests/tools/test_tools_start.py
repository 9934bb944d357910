"""The tools run as `make` runs them (`python -m ...` from the repository root, outside pytest's pythonpath)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "args",
    [
        ["-m", "tools.load", "--help"],
        ["-c", "import tools.bench.run, tools.bench.api_bench, tools.bench.cost_bench"],
    ],
)
def test_a_tool_imports_outside_pytest(args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
