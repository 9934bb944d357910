"""Load and faults, reconciled (`make load`); a package so `python -m tests.load.run` and mypy agree on names."""

import sys
from pathlib import Path

# The e2e deployment helpers are imported as the e2e tests import them: `shop` (tests/e2e/shop.py), which imports
# `conftest` (tests/conftest.py). Under pytest both folders are on sys.path already; `python -m` needs them too.
_TESTS = Path(__file__).resolve().parents[1]
for _folder in (str(_TESTS), str(_TESTS / "e2e")):
    if _folder not in sys.path:
        sys.path.insert(0, _folder)
