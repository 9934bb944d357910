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
import uuid
from typing import Any

import pytest
import requests

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


@gap("cloudfront")
def test_catalog_reads_are_answered_at_the_edge_and_nothing_else_is(shop: Shop) -> None:
    """Issue 14: the catalog's answers carry the App Server's Cache-Control and CloudFront keeps them (a repeated
    read costs no API Gateway call); orders, errors and writes always reach the API."""
    web, calls = shop.outputs["WebUrl"], f"{shop.endpoint}/_localcloud/calls"

    def api_calls() -> int:
        return int(requests.get(calls, timeout=10).json()["calls"].get("execute-api:Invoke", 0))

    def twice(path: str, **kwargs: Any) -> tuple[list[requests.Response], int]:
        before = api_calls()
        answers = [requests.get(f"{web}{path}", timeout=30, **kwargs) for _ in range(2)]
        return answers, api_calls() - before

    search = f"/api/products?q={uuid.uuid4().hex[:8]}&limit=5"  # a key no earlier read made
    (first, second), reached = twice(search)
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert first.headers["Cache-Control"] == "public, max-age=30"
    assert [first.headers["X-Cache"], second.headers["X-Cache"]] == ["Miss from cloudfront", "Hit from cloudfront"]
    assert reached == 1
    (other, _), _ = twice(search.replace("limit=5", "limit=6"))  # the query string is in the key
    assert other.headers["X-Cache"] == "Miss from cloudfront" and len(other.json()["items"]) <= 6
    for path, kwargs in (
        ("/api/products/no-such-product", {}),  # a 404 is not kept
        ("/api/orders", {"headers": shop.login()}),  # a customer's own data never is
    ):
        answers, reached = twice(path, **kwargs)
        assert [a.headers["X-Cache"] for a in answers] == ["Miss from cloudfront"] * 2, path
        assert reached == 2, path
