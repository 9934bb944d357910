"""Load and faults, reconciled (`make load`); a package so `python -m tests.load.run` and mypy agree on names."""

import sys
from pathlib import Path

# The e2e deployment helpers (tests/e2e/shop.py) are imported as `shop`, as the e2e tests themselves do.
_E2E = str(Path(__file__).resolve().parents[1] / "e2e")
if _E2E not in sys.path:
    sys.path.insert(0, _E2E)
