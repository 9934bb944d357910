"""The curl test scripts (curl-tests/) against the e2e deployment: every script passes.

The scripts are what a person runs against local, LocalStack or AWS; running them here keeps them in step with
the API. They need bash, curl and jq on PATH (CI installs jq).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.shop import COMMUNITY, ROOT, Shop

SCRIPTS = ROOT / "curl-tests"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")
HEADER = "######## "


def failure_report(stdout: str, stderr: str) -> str:
    """The whole output of each failed script (the passing ones only by name), then the summary."""
    blocks = [block for block in stdout.split(HEADER) if block.strip()]
    failed = [block for block in blocks if "FAIL [" in block]
    shown = [HEADER + block[-12000:] for block in failed] or [stdout[-12000:]]
    passed = [block.split("\n", 1)[0] for block in blocks if block not in failed]
    ending = stdout.rstrip("\n").splitlines()[-2:]  # run-all's "failed: …" and "N passed, N failed"
    return "\n".join([f"passed: {' '.join(passed)}", *shown, *ending, "--- stderr ---", stderr[-4000:]])


def test_run_all_passes_every_script(shop: Shop, tmp_path: Path) -> None:
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the curl tests need {', '.join(missing)} on PATH (apt-get install -y {' '.join(missing)})")
    scripts = sorted(SCRIPTS.glob("[0-9][0-9]-*.sh"))
    env = {
        **os.environ,
        "API_URL": shop.api,
        "PAYMENT_URL": shop.payment.url,
        # LocalStack community mails nothing (its SNS email is only recorded at /_aws/ses): 09-checkout then
        # notes that it does not check the mail, as it does on AWS.
        "MAIL_URL": "" if COMMUNITY else shop.mail_url,
        "OUTPUTS_FILE": str(tmp_path / "no-outputs.json"),  # only the URLs above, never a local deployment's
    }
    run = subprocess.run(
        ["bash", str(SCRIPTS / "run-all.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = run.stdout.rstrip("\n").splitlines()
    report = failure_report(run.stdout, run.stderr)
    summary = SUMMARY.match(lines[-1]) if lines else None
    assert summary, f"run-all.sh did not end with 'N passed, N failed':\n{report}"
    assert run.returncode == 0, f"run-all.sh exited {run.returncode}:\n{report}"
    assert summary.groups() == (str(len(scripts)), "0"), report
