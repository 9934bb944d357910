"""The storefront end to end in headless Chromium, through the local CloudFront edge, against the e2e deployment.

The browser script (react-ui/e2e/run.mjs, Playwright driving Debian's chromium) browses, logs in, checks out,
follows the order to SHIPPED and finds the confirmation mail; a declined card; an out-of-stock product. Then, on a
desktop and a phone, in Spanish and English: every route opened, reloaded and revisited (issue 15: the edge once
answered a revalidation with an empty 200, a blank page), page titles, no sideways scrolling, 44 px header
targets, sort, add to cart from the grid, in-app messages, thumbnails, the order number, the customer's language
after login. It saves screenshots of the main pages, and of the customer's own shipping mail as the mail sink's
viewer shows it, in react-ui/e2e/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.support.shop import ROOT, Shop, gap

SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@gap("cloudfront")
def test_storefront_in_a_real_browser(shop: Shop) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if not (ROOT / "react-ui" / "node_modules").exists() or shutil.which("node") is None:
        pytest.fail("the browser tests need node and react-ui/node_modules (make ui)")
    if not (ROOT / "react-ui" / "dist" / "index.html").exists():
        pytest.fail("react-ui/dist is missing: build the UI before deploying (make ui)")
    env = {**os.environ, "WEB_URL": shop.outputs["WebUrl"], "MAIL_URL": shop.mail_url, "CHROMIUM": CHROMIUM}
    run = subprocess.run(
        ["node", "e2e/run.mjs"], cwd=ROOT / "react-ui", env=env, capture_output=True, text=True, timeout=900
    )
    lines = run.stdout.rstrip("\n").splitlines()
    summary = SUMMARY.match(lines[-1]) if lines else None
    report = f"{run.stdout[-8000:]}\n--- stderr ---\n{run.stderr[-4000:]}"
    assert summary, f"the browser run did not end with 'N passed, N failed':\n{report}"
    assert run.returncode == 0 and summary.group(2) == "0", report
