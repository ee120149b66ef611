"""cProfile of one run (a script, not a test): the build (``KarstModel(...)``) and the run
(``run_to_year``) profiled apart, each listed by own time and by cumulative time.

    .venv/bin/python benchmarks/profile_run.py [--grid province] [--cell-m 250]
        [--scenario plan14] [--seed 1] [--end 2035] [--top 35]

Wall times under cProfile are slower than without; compare profiles taken the same way.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path


def _listing(profile: cProfile.Profile, key: str, top: int) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(key).print_stats(top)
    text = out.getvalue()
    text = text[text.find("   ncalls") :]
    prefixes = {p for p in sys.path if p} | {str(Path(__file__).resolve().parents[1])}
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(prefix.rstrip("/") + "/", "")
    return "\n".join(line for line in text.splitlines() if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="province")
    parser.add_argument("--cell-m", type=float, default=None, help="cell size, m")
    parser.add_argument("--scenario", default="plan14")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=int, default=2035)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    t0 = time.perf_counter()
    from karstsim import KarstModel

    t1 = time.perf_counter()
    overrides = {"cell_size_km": args.cell_m / 1000} if args.cell_m else {}
    build = cProfile.Profile()
    model = build.runcall(KarstModel, args.scenario, rng=args.seed, grid=args.grid, **overrides)
    t2 = time.perf_counter()
    run = cProfile.Profile()
    run.runcall(model.run_to_year, args.end)
    t3 = time.perf_counter()
    where = args.grid + (f"@{args.cell_m:g}m" if args.cell_m else "")
    print(f"# {where}: import {t1 - t0:.2f} s, build {t2 - t1:.2f} s, run {t3 - t2:.2f} s")
    for name, profile in (("build", build), ("run", run)):
        for key in ("tottime", "cumulative"):
            print(f"\n## {where}, {name}, by {key}\n{_listing(profile, key, args.top)}")


if __name__ == "__main__":
    main()
