"""`make bench-api`: only the App Server rows of `make bench` (GET /products and POST /orders, through API Gateway
and in-process), repeated in one deployment, and the rows of docs/performance.md rewritten with the medians.

    .venv/bin/python -m tools.bench.api_bench [--rounds 3] [--profile] [--no-write]

Starts the shop the way `make bench` does (localcloud.ctl up on BENCH_PORT..+3, the deploy tool as env `bench`),
runs `shop_bench.api_figures` `--rounds` times (BENCH_API_N calls per figure and round) and takes each figure's
median over the rounds. `--profile` then runs the in-process calls once more under cProfile and prints where the
time goes (the stats are kept in .artifacts/profile-*.pstats). Prints; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
from pathlib import Path
from typing import Any

from tools.bench.shop_bench import api_calls, api_figures, bench_shop
from tools.bench.write_docs import update_api_section

ROOT = Path(__file__).resolve().parents[2]

PORT = int(os.environ.get("BENCH_PORT", "4590"))
N_SHOP = int(os.environ.get("BENCH_API_N", "100"))


def median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Each route's p50 and p99 (API and in-process) as the median over the rounds, and the ratio of those."""
    figures: dict[str, Any] = {}
    for route in rounds[0]:
        figure: dict[str, Any] = {}
        for kind in ("api_ms", "in_process_ms"):
            figure[kind] = {p: round(statistics.median(r[route][kind][p] for r in rounds), 2) for p in ("p50", "p99")}
        figure["api_vs_in_process_p50_ratio"] = round(
            figure["api_ms"]["p50"] / max(figure["in_process_ms"]["p50"], 1e-6), 2
        )
        figure["in_process_p50_every_round"] = [r[route]["in_process_ms"]["p50"] for r in rounds]
        figures[route] = figure
    return figures


def profile(shop: Any, endpoint: str, n: int) -> None:
    out = ROOT / ".artifacts"
    out.mkdir(exist_ok=True)
    for route, (_, in_process) in api_calls(shop, endpoint, n).items():
        in_process()  # warm
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            in_process()
        profiler.disable()
        path = out / f"profile-{route.split()[0].lower()}-{route.split()[1].strip('/')}.pstats"
        profiler.dump_stats(path)
        print(f"\n== {route}: {n} in-process calls under cProfile ({path.relative_to(ROOT)})")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="then profile the in-process calls (cProfile)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    with bench_shop(PORT) as (shop, endpoint):
        rounds = [api_figures(shop, endpoint, N_SHOP) for _ in range(args.rounds)]
        if args.profile:
            profile(shop, endpoint, N_SHOP)
    figures = median_of(rounds)
    print(json.dumps({"rounds": rounds, "median": figures}, indent=2))
    if not args.no_write:
        print(f"wrote {update_api_section(figures, N_SHOP, args.rounds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
