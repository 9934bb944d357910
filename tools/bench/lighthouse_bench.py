"""Lighthouse on the deployed storefront for `make bench`: catalog, product and checkout, phone and desktop.

Runs tools/bench/lighthouse/run.mjs (Lighthouse 12.2.3, pinned in that folder's package-lock.json, driving Debian's
chromium) against the bench deployment's CloudFront edge and returns its scores and metrics. Asserts nothing:
docs/performance.md shows the figures (tools/bench/write_docs.py).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOOL = Path(__file__).resolve().parent / "lighthouse"


def lighthouse_figures(web_url: str, runs: int = 3) -> dict[str, Any]:
    if not (ROOT / "react-ui" / "dist" / "index.html").exists():
        return {"skipped": "react-ui/dist is missing, so no storefront was deployed: make ui"}
    if not (TOOL / "node_modules" / "lighthouse").exists():  # `make bench` installs it; a direct run may not have
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True, capture_output=True)
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    env = {**os.environ, "WEB_URL": web_url, "RUNS": str(runs), "CHROMIUM": chromium}
    run = subprocess.run(["node", "run.mjs"], cwd=TOOL, env=env, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        return {"error": f"lighthouse run failed (exit {run.returncode}): {run.stderr[-2000:]}"}
    figures: dict[str, Any] = json.loads(run.stdout)
    figures["runs_per_page"] = runs
    return figures
