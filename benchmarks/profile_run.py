"""cProfile of one run (a script, not a test): the build (``KarstModel(...)``) and the run
(``run_to_year``) profiled apart, each listed by own time and by cumulative time; or, with
``--by-step``, the wall time of each sub-model of a year (``KarstModel.step``'s schedule,
no profiler), in ms a year and as a share of the year.

    .venv/bin/python benchmarks/profile_run.py [--grid province] [--cell-m 250]
        [--scenario plan14] [--seed 1] [--end 2035] [--top 35] [--by-step]

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


STEP_PARTS = {
    "government": ("budget", "allocate_treatment", "tend_forest", "control_erosion"),
    "mines": ("step",),
    "rangers": ("staff", "patrol"),
    "households": ("decide", "choose_schemes", "account"),
    "resolution": ("resolve", "apply_mines"),
    "fire": ("run_one_year",),
    "compensation": ("pay",),
    "carbon_credits": ("trade",),
}
"""The model's parts whose methods ``step`` calls (the land processes are added from
``model.processes``), timed by ``--by-step``."""


def time_steps(model, end: int) -> tuple[float, dict[str, float]]:
    """Run ``model`` to ``end``; the whole run's wall time (s) and each sub-model's (s)."""
    from karstsim.model import corridors

    spent: dict[str, float] = {}

    def timed(owner, name: str, label: str) -> None:
        method = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    for part, names in STEP_PARTS.items():
        for name in names:
            timed(getattr(model, part), name, f"{part}.{name}")
    for process in model.processes:
        timed(process, "run_one_year", type(process).__name__)
    timed(model, "_collect", "outputs (KarstModel._collect)")
    find_patches = corridors.find_patches
    timed(corridors, "find_patches", "corridors.find_patches")
    try:
        start = time.perf_counter()
        model.run_to_year(end)
        return time.perf_counter() - start, spent
    finally:
        corridors.find_patches = find_patches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="province")
    parser.add_argument("--cell-m", type=float, default=None, help="cell size, m")
    parser.add_argument("--scenario", default="plan14")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=int, default=2035)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--by-step", action="store_true", help="time each sub-model of a year, no profiler"
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    from karstsim import KarstModel

    t1 = time.perf_counter()
    overrides = {"cell_size_km": args.cell_m / 1000} if args.cell_m else {}
    where = args.grid + (f"@{args.cell_m:g}m" if args.cell_m else "")
    if args.by_step:
        model = KarstModel(args.scenario, rng=args.seed, grid=args.grid, **overrides)
        years = args.end - model.year
        total, spent = time_steps(model, args.end)
        print(f"# {where}: {1000 * total / years:.1f} ms a year over {years} years")
        for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
            print(f"{1000 * seconds / years:8.2f} ms {100 * seconds / total:5.1f} %  {label}")
        rest = total - sum(spent.values())
        print(f"{1000 * rest / years:8.2f} ms {100 * rest / total:5.1f} %  the rest of step()")
        return
    build = cProfile.Profile()
    model = build.runcall(KarstModel, args.scenario, rng=args.seed, grid=args.grid, **overrides)
    t2 = time.perf_counter()
    run = cProfile.Profile()
    run.runcall(model.run_to_year, args.end)
    t3 = time.perf_counter()
    print(f"# {where}: import {t1 - t0:.2f} s, build {t2 - t1:.2f} s, run {t3 - t2:.2f} s")
    for name, profile in (("build", build), ("run", run)):
        for key in ("tottime", "cumulative"):
            print(f"\n## {where}, {name}, by {key}\n{_listing(profile, key, args.top)}")


if __name__ == "__main__":
    main()
