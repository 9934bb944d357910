"""docs/conformance.md from two runs of ../shared/conformance/run.sh (the local cloud and plain moto).

    python tools/conformance.py OUT_LOCALCLOUD OUT_MOTO [--runner RUN_SH] [--command CMD] [--doc PATH]

Each OUT dir holds run.sh's per-folder pytest outputs (`<folder>.txt`, run with `-rA`). Failures are grouped by
cause with the runner's own `causes.py` (beside run.sh), so the doc and a hand run of causes.py agree. A failure
counts as a harness limit, excluded from the denominator and listed by test id, only when causes.py calls it one
(container images that need Docker, URLs that point at real AWS hosts) and it passes on neither target.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RUNNER = ROOT.parent / "shared" / "conformance" / "run.sh"
# a parametrized test id may hold spaces; " - " starts the failure message
RESULT_LINE = re.compile(r"^(PASSED|FAILED|ERROR) (.*?\S)(?: - .*)?$")
SKIPPED_LINE = re.compile(r"^SKIPPED \[(\d+)\]")
CLOSING_LINE = re.compile(r"^(=+ )?\d+ (passed|failed|errors?|skipped|deselected)\b.* in [\d.]+s")
LS_REF = re.compile(r"LS_REF:-([0-9a-f]{40})")
TARGETS = ("localcloud", "moto")
TARGET_TITLES = {"localcloud": "local cloud", "moto": "plain moto"}


@dataclass
class Failure:
    folder: str
    test: str
    kind: str  # causes.py's: behaviour | harness | timeout
    cause: str
    detail: str


@dataclass
class FolderRun:
    name: str
    passed: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)  # FAILED or ERROR (setup/teardown) at least once
    skipped: int = 0
    complete: bool = False  # pytest printed its closing line


def read_folder(path: Path) -> FolderRun:
    run = FolderRun(path.stem)
    for line in path.read_text(errors="replace").splitlines():
        if m := RESULT_LINE.match(line):
            (run.passed if m.group(1) == "PASSED" else run.failed).add(m.group(2))
        elif m := SKIPPED_LINE.match(line):
            run.skipped += int(m.group(1))
        elif CLOSING_LINE.match(line):
            run.complete = True
    run.passed -= run.failed  # passed the call, errored in teardown: a failure
    return run


def read_failures(out: Path, causes_py: Path) -> dict[str, Failure]:
    """test id -> its failure as causes.py classifies it (its DUMP rows: folder, status, id, kind, cause, line)."""
    dump = subprocess.run(
        [sys.executable, str(causes_py), str(out), "0"],
        env={**os.environ, "DUMP": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    failures: dict[str, Failure] = {}
    for line in dump.splitlines():
        cols = line.split("\t", 5)
        if len(cols) == 6 and cols[1] in ("FAILED", "ERROR"):
            failures.setdefault(cols[2], Failure(cols[0], cols[2], cols[3], cols[4], cols[5]))
    return failures


def folder_order(runner: Path, present: set[str]) -> list[str]:
    """The selection's order as run.sh lists it, then any other folder found in the outputs."""
    listed = re.findall(r'^\s*"(\w+)\|', runner.read_text(), re.M) if runner.is_file() else []
    return [f for f in listed if f in present] + sorted(present - set(listed))


def pct(passed: int, total: int) -> str:
    return f"{100 * passed / total:.0f}%" if total else "-"


def cell(run: FolderRun | None, excluded: set[str]) -> tuple[str, int, int]:
    if run is None:
        return "not run", 0, 0
    passed, total = len(run.passed), len(run.passed | run.failed) - len(run.failed & excluded)
    text = f"{passed}/{total} ({pct(passed, total)})"
    return (text if run.complete else f"{text}, unfinished"), passed, total


def write(outs: dict[str, Path], runner: Path, command: str) -> str:
    causes_py = runner.parent / "causes.py"
    runs = {t: {p.stem: read_folder(p) for p in sorted(outs[t].glob("*.txt"))} for t in TARGETS}
    failures = {t: read_failures(outs[t], causes_py) for t in TARGETS}
    for t in TARGETS:  # causes.py reads ids up to the first space: keep the rest countable
        for run in runs[t].values():
            for test in run.failed - failures[t].keys():
                failures[t][test] = Failure(run.name, test, "behaviour", "not classified by causes.py", "")
    passed_anywhere = set().union(*(r.passed for t in TARGETS for r in runs[t].values()))
    harness = {
        test: f
        for t in TARGETS
        for test, f in failures[t].items()
        if f.kind == "harness" and test not in passed_anywhere
    }
    excluded = set(harness)
    folders = folder_order(runner, set(runs["localcloud"]) | set(runs["moto"]))
    ref = LS_REF.search(runner.read_text()) if runner.is_file() else None

    lines = [
        "# Conformance: the local cloud against behaviour recorded on AWS",
        "",
        "LocalStack's AWS-validated snapshot tests (`-m aws_validated`; each test's expected responses were recorded",
        "against real AWS), run against the local cloud of this checkout and against plain moto, by",
        "`../shared/conformance/run.sh`. A measurement, not part of `make test`: CI cannot fetch the suite.",
        "",
        f"- Produced by: `{command}`",
        f"- Date: {datetime.date.today().isoformat()}; moto {metadata.version('moto')}; "
        f"suite at LocalStack commit `{ref.group(1)[:12] if ref else 'unknown'}`",
        "- A cell is passed/counted (percentage). Counted = passed + failed, less the harness limits below;",
        "  skipped tests are not counted. A test that passes its call but errors in teardown counts as failed.",
        "",
        "| folder | local cloud | plain moto | skipped | harness limits |",
        "|---|---|---|---|---|",
    ]
    totals = {t: [0, 0] for t in TARGETS}
    for folder in folders:
        cells = []
        for t in TARGETS:
            text, passed, total = cell(runs[t].get(folder), excluded)
            totals[t][0] += passed
            totals[t][1] += total
            cells.append(text)
        run = runs["localcloud"].get(folder) or runs["moto"][folder]
        n_harness = sum(1 for f in harness.values() if f.folder == folder)
        lines.append(f"| {folder} | {cells[0]} | {cells[1]} | {run.skipped} | {n_harness} |")
    lc, mo = totals["localcloud"], totals["moto"]
    lines += [
        f"| **all** | **{lc[0]}/{lc[1]} ({pct(*lc)})** | **{mo[0]}/{mo[1]} ({pct(*mo)})** | | {len(harness)} |",
        "",
    ]

    lc_failed = {t: f for t, f in failures["localcloud"].items() if t not in excluded}
    worse = sorted(t for r in runs["moto"].values() for t in r.passed if t in lc_failed)
    by_cause: dict[tuple[str, str], list[Failure]] = collections.defaultdict(list)
    for f in lc_failed.values():
        by_cause[(f.kind, f.cause)].append(f)
    ranked = sorted(by_cause.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    lines += [
        f"## Local cloud failures by cause ({len(lc_failed)})",
        "",
        "Grouped by `causes.py` (the first snapshot key that differs, the error code raised, or the assertion",
        "message); a test is under one cause. `behaviour` is a difference from AWS; `timeout` is a test that ran",
        "past the per-test limit (usually waiting for something that never happens).",
        "",
        "| tests | kind | cause | folders |",
        "|---|---|---|---|",
    ]
    singles = [fs[0] for _, fs in ranked if len(fs) == 1]
    for (kind, cause), fs in ranked:
        if len(fs) > 1:
            per_folder = collections.Counter(f.folder for f in fs)
            where = ", ".join(f"{k} {v}" for k, v in per_folder.most_common())
            lines.append(f"| {len(fs)} | {kind} | {md(cause)} | {where} |")
    if singles:
        where = ", ".join(f"{k} {v}" for k, v in collections.Counter(f.folder for f in singles).most_common())
        lines.append(f"| {len(singles)} | | causes with one test each (listed below) | {where} |")
    lines += ["", "<details><summary>Every failing test, by cause</summary>", ""]
    for (kind, cause), fs in ranked:
        lines.append(f"- **{md(cause)}** ({kind}, {len(fs)})")
        lines += [f"  - `{f.test.split('/')[-1]}`: {md(f.detail)}" for f in sorted(fs, key=lambda f: f.test)]
    lines += ["", "</details>", ""]

    lines += [f"## Passing on plain moto, failing on the local cloud ({len(worse)})", ""]
    lines += [f"- `{t.split('/')[-1]}`: {md(lc_failed[t].cause)}" for t in worse] or ["None."]
    lines += [
        "",
        f"## Harness limits ({len(harness)}), excluded from the counts",
        "",
        "Tests no emulator on this machine can pass: they build container images (no Docker engine here) or",
        "call a host name that does not resolve offline: a real AWS host, or an API Gateway invoke URL that the",
        "test itself builds on LocalStack's public DNS name `*.execute-api.localhost.localstack.cloud`.",
        "They fail on both targets.",
        "",
    ]
    lines += [f"- `{f.test}`: {f.cause}" for f in sorted(harness.values(), key=lambda f: f.test)] or ["None."]
    return "\n".join(lines) + "\n"


def md(text: str) -> str:
    """One table cell or list item: no pipes, newlines, backticks or HTML tags (error bodies hold XML)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("localcloud", type=Path, help="run.sh output dir of the local cloud run")
    parser.add_argument("moto", type=Path, help="run.sh output dir of the plain moto run")
    parser.add_argument("--runner", type=Path, default=DEFAULT_RUNNER, help="run.sh (causes.py beside it)")
    parser.add_argument("--command", default="make conformance", help="the command to name in the doc")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "conformance.md")
    args = parser.parse_args()
    for out in (args.localcloud, args.moto):
        if not any(out.glob("*.txt")):
            parser.error(f"{out}: no run.sh output (<folder>.txt) there")
    args.doc.write_text(write({"localcloud": args.localcloud, "moto": args.moto}, args.runner, args.command))
    print(f"wrote {args.doc}")


if __name__ == "__main__":
    main()
