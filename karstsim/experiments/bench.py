"""``karstsim bench``: build time, time per simulated year, cell-years per second and peak
memory for each grid preset, each measured in a fresh process; optionally against the
idiomatic one-agent-per-cell Mesa reference (:mod:`karstsim.experiments.bench_reference`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from karstsim.model.parameters import InputError

_MEASURE = """
import json, resource, sys, time
t0 = time.perf_counter()
import karstsim
from karstsim import KarstModel
t1 = time.perf_counter()
model = KarstModel({scenario!r}, rng={seed}, grid={grid!r}, **{overrides!r})
t2 = time.perf_counter()
model.run_to_year({end})
t3 = time.perf_counter()
years = {end} - model.results()["year"].iloc[0]
print(json.dumps(dict(import_s=t1 - t0, build_s=t2 - t1, run_s=t3 - t2, years=int(years),
    cells=int(model.landscape.land.size), land_cells=model.landscape.land_cells,
    agents=len(model.agents), peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""

_MEASURE_REFERENCE = """
import json, resource, time
from karstsim.experiments.bench_reference import CellAgentModel
t1 = time.perf_counter()
model = CellAgentModel({width}, {height})
t2 = time.perf_counter()
for _ in range({years}):
    model.step()
t3 = time.perf_counter()
print(json.dumps(dict(build_s=t2 - t1, run_s=t3 - t2, years={years}, cells={width} * {height},
    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def _measure(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark process failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def parse_preset(text: str) -> tuple[str, dict]:
    """``province@250m`` → (``province``, {cell_size_km: 0.25}); a bare name has no override."""
    grid, _, cell = text.partition("@")
    if not cell:
        return grid, {}
    try:
        metres = float(cell.removesuffix("m"))
    except ValueError:
        raise InputError(
            f"bench preset {text!r}: expected GRID or GRID@CELLm, e.g. province@250m"
        ) from None
    return grid, {"cell_size_km": metres / 1000.0}


def measure_preset(grid: str, scenario: str = "plan14", end: int = 2035, seed: int = 1) -> dict:
    """One preset's figures (``GRID`` or ``GRID@CELLm``), measured in a fresh Python process."""
    name, overrides = parse_preset(grid)
    figures = _measure(
        _MEASURE.format(grid=name, scenario=scenario, end=end, seed=seed, overrides=overrides)
    )
    figures["per_year_ms"] = 1000 * figures["run_s"] / max(figures["years"], 1)
    figures["cell_years_per_s"] = figures["cells"] * figures["years"] / figures["run_s"]
    figures["total_s"] = figures["build_s"] + figures["run_s"]
    return {"grid": grid, **figures}


def measure_reference(width: int = 100, height: int = 100, years: int = 3) -> dict:
    """The idiomatic Mesa reference's figures on a width × height grid."""
    figures = _measure(_MEASURE_REFERENCE.format(width=width, height=height, years=years))
    figures["cell_years_per_s"] = figures["cells"] * figures["years"] / figures["run_s"]
    return {"grid": f"mesa-reference {width}x{height}", **figures}


def _cmd_bench(args: argparse.Namespace) -> int:
    rows = [measure_preset(g.strip(), end=args.end) for g in args.presets.split(",") if g.strip()]
    print(
        f"{'grid':16s} {'cells':>8s} {'land':>8s} {'agents':>7s} {'build s':>8s} {'ms/yr':>8s} "
        f"{'cell-yr/s':>12s} {'build+run s':>11s} {'peak MB':>8s}"
    )
    for r in rows:
        print(
            f"{r['grid']:16s} {r['cells']:8d} {r['land_cells']:8d} {r['agents']:7d} {r['build_s']:8.2f} "
            f"{r['per_year_ms']:8.1f} {r['cell_years_per_s']:12,.0f} {r['total_s']:11.2f} "
            f"{r['peak_rss_mb']:8.0f}"
        )
    report = {"presets": rows}
    if args.reference:
        ref = measure_reference()
        report["reference"] = ref
        print(
            f"mesa reference (one agent per cell, {ref['cells']} cells): "
            f"{ref['cell_years_per_s']:,.0f} cell-yr/s, build {ref['build_s']:.2f} s"
        )
        for r in rows:
            ratio = r["cell_years_per_s"] / ref["cell_years_per_s"]
            r["speedup_vs_reference"] = ratio
            print(f"  {r['grid']}: {ratio:,.0f}× the reference's cell-years per second")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


def register(sub: argparse._SubParsersAction) -> dict:
    bench = sub.add_parser("bench", help="measure speed and memory of each grid preset")
    bench.add_argument(
        "--presets",
        default="classroom,county,province,province@500m,province@250m",
        help="comma-separated grids; GRID@CELLm sets the cell size (e.g. province@250m)",
    )
    bench.add_argument("--end", type=int, default=2035, help="last simulated year")
    bench.add_argument(
        "--reference",
        action="store_true",
        help="also measure the idiomatic one-agent-per-cell Mesa model",
    )
    bench.add_argument("--json", default=None, help="also write the figures to this file")
    return {"bench": _cmd_bench}
