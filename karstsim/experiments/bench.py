"""``karstsim bench``: build time, time per simulated year, build + run, cell-years per second
and peak memory for each grid preset, each measured in a fresh process, against the idiomatic
one-agent-per-cell Mesa reference (:mod:`karstsim.experiments.bench_reference`) measured at
the province's size; and, after those (peak memory is read before), the build of a lever run
of the same seed from the kept start landscape, as sweeps, ``compare`` and the app build
it (:mod:`karstsim.model.landscape_cache`).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

from karstsim.model import parameters
from karstsim.model.parameters import InputError

_MEASURE = """
import json, resource, sys, time
t0 = time.perf_counter()
import karstsim
from karstsim import KarstModel
t1, c1 = time.perf_counter(), time.process_time()
model = KarstModel({scenario!r}, rng={seed}, grid={grid!r}, **{overrides!r})
t2, c2 = time.perf_counter(), time.process_time()
model.run_to_year({end})
t3, c3 = time.perf_counter(), time.process_time()
peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
years = {end} - model.results()["year"].iloc[0]
from karstsim.model.landscape_cache import LandscapeCache, reusing
cache = LandscapeCache()
with reusing(cache):  # a lever run of the same seed, as sweeps and the app build it
    KarstModel({scenario!r}, rng={seed}, grid={grid!r}, **{overrides!r})
    t4 = time.perf_counter()
    KarstModel({scenario!r}, rng={seed}, grid={grid!r}, **{lever!r})
    t5 = time.perf_counter()
print(json.dumps(dict(import_s=t1 - t0, build_s=t2 - t1, run_s=t3 - t2, years=int(years),
    build_cpu_s=c2 - c1, run_cpu_s=c3 - c2, build_reused_s=t5 - t4, reused=cache.hits,
    cells=model.landscape.grid_cells, land_cells=model.landscape.land_cells,
    agents=len(model.agents), peak_rss_mb=peak_rss_mb)))
"""
LEVER_RUN = {"treatment_ha_per_year": 123_456.0}
"""The lever changed in the bench's rebuild from a kept start landscape (``build_reused_s``)."""

_MEASURE_REFERENCE = """
import json, resource, time
from karstsim.experiments.bench_reference import CellAgentModel
t1, c1 = time.perf_counter(), time.process_time()
model = CellAgentModel({width}, {height})
t2, c2 = time.perf_counter(), time.process_time()
for _ in range({years}):
    model.step()
t3, c3 = time.perf_counter(), time.process_time()
print(json.dumps(dict(build_s=t2 - t1, run_s=t3 - t2, years={years}, cells={width} * {height},
    build_cpu_s=c2 - c1, run_cpu_s=c3 - c2,
    land_cells={width} * {height}, agents={width} * {height},
    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""

PROVINCE_CELLS = 306_774
"""Grid cells of the province at 1 km (the reference's default size when the province is
not among the presets measured)."""


class BenchmarkProcessError(InputError):
    """A benchmark's fresh process failed (its last line of stderr says why)."""


def failure_line(done: subprocess.CompletedProcess) -> str:
    """The last line a failed process wrote to stderr (its error), or its exit status."""
    return (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]


def _measure(code: str, what: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkProcessError(f"the benchmark process of {what} failed: {failure_line(done)}")
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


def check_preset(text: str, scenario: str = "plan14", end: int = 2035) -> None:
    """Raise an :class:`InputError` naming the preset (or the end year) that a benchmark
    process would fail on: an unknown grid, a cell size out of range, no year to run."""
    from karstsim.experiments.run import RunSpec
    from karstsim.model.grid import parse_grid

    name, overrides = parse_preset(text)
    plan = RunSpec(scenario=scenario, end_year=end).resolved_scenario()
    if end <= plan.start_year:
        raise InputError(f"--end {end}: must be after the scenario's start year {plan.start_year}")
    try:
        parse_grid(name)
        parameters.resolve({**plan.parameters, **overrides})
    except InputError as error:
        raise InputError(f"bench preset {text!r}: {error}") from None


def _rates(figures: dict) -> dict:
    """Per-year time, cell-years per second (all grid cells and land cells) and build + run."""
    figures["per_year_ms"] = 1000 * figures["run_s"] / max(figures["years"], 1)
    figures["cell_years_per_s"] = figures["cells"] * figures["years"] / figures["run_s"]
    figures["land_cell_years_per_s"] = figures["land_cells"] * figures["years"] / figures["run_s"]
    figures["total_s"] = figures["build_s"] + figures["run_s"]
    figures["total_cpu_s"] = figures["build_cpu_s"] + figures["run_cpu_s"]
    return figures


def measure_preset(
    grid: str, scenario: str = "plan14", end: int = 2035, seed: int = 1, repeat: int = 1
) -> dict:
    """One preset's figures (``GRID`` or ``GRID@CELLm``), measured in a fresh Python process;
    with ``repeat`` > 1, the fastest (build + run) of that many fresh processes, and how
    many there were (``rounds``)."""
    name, overrides = parse_preset(grid)
    code = _MEASURE.format(
        grid=name,
        scenario=scenario,
        end=end,
        seed=seed,
        overrides=overrides,
        lever={**overrides, **LEVER_RUN},
    )
    rounds = [_rates(_measure(code, f"preset {grid}")) for _ in range(max(repeat, 1))]
    return {"grid": grid, **min(rounds, key=lambda r: r["total_s"]), "rounds": len(rounds)}


def reference_shape(cells: int) -> tuple[int, int]:
    """A near-square width × height with about ``cells`` cells."""
    width = max(1, math.isqrt(cells))
    return width, max(1, round(cells / width))


def measure_reference(width: int = 554, height: int = 554, years: int = 2) -> dict:
    """The idiomatic Mesa reference's figures on a width × height grid (a few years: each
    costs seconds at the province's size, and every year costs the same)."""
    figures = _measure(
        _MEASURE_REFERENCE.format(width=width, height=height, years=years), "the Mesa reference"
    )
    return {"grid": f"mesa-reference {width}x{height}", **_rates(figures)}


def measure_whole_run(grid: str, end: int = 2035, seed: int = 1, repeat: int = 1) -> float:
    """Wall time of the whole ``karstsim run --grid GRID --no-maps`` (``GRID@CELLm`` as
    ``--set cell_size_km=…``) in a fresh process, imports and files included, s: the
    fastest of ``repeat``."""
    import tempfile

    name, overrides = parse_preset(grid)
    command = [sys.executable, "-m", "karstsim", "run", "--grid", name, "--seed", str(seed)]
    command += ["--years", str(end), "--no-maps"]
    for key, value in overrides.items():
        command += ["--set", f"{key}={value}"]
    times = []
    for _ in range(max(repeat, 1)):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            done = subprocess.run(
                [*command, "--out", str(Path(folder) / "run")], capture_output=True, text=True
            )
            times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise BenchmarkProcessError(
                f"the whole run of preset {grid} failed: {failure_line(done)}"
            )
    return min(times)


def _row(r: dict, mark: str = "–") -> str:
    """A line of the table; ``mark`` stands in the ratio's column of a row without one."""
    ratio = r.get("speedup_vs_reference")
    reused = f"{r['build_reused_s']:8.2f}" if "build_reused_s" in r else f"{'':8s}"
    return (
        f"{r['grid']:24s} {r['cells']:9d} {r['land_cells']:9d} {r['agents']:7d} "
        f"{r['build_s']:8.2f} {reused} {r['per_year_ms']:8.1f} {r['total_s']:11.2f} "
        f"{r['total_cpu_s']:7.2f} "
        f"{r['land_cell_years_per_s']:12,.0f} {r['peak_rss_mb']:8.0f} "
        + (f"{ratio:9,.0f}×" if ratio is not None else f"{mark:>10s}")
    )


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.repeat < 1:
        raise InputError(f"--repeat {args.repeat}: must be 1 or more (fresh processes a preset)")
    if args.reference_years < 1:
        raise InputError(f"--reference-years {args.reference_years}: must be 1 or more")
    if args.reference_cells is not None and args.reference_cells < 1:
        raise InputError(f"--reference-cells {args.reference_cells}: must be 1 or more")
    grids = [g.strip() for g in args.presets.split(",") if g.strip()]
    if not grids:
        raise InputError(f"--presets {args.presets!r}: name at least one grid, e.g. province")
    for grid in grids:
        check_preset(grid, end=args.end)
    rows = [measure_preset(g, end=args.end, repeat=args.repeat) for g in grids]
    whole_grid = "province" if "province" in grids else grids[0]
    whole_s = measure_whole_run(whole_grid, end=args.end, repeat=args.repeat)
    report: dict = {"presets": rows, "whole_run": {"grid": whole_grid, "seconds": whole_s}}
    ref = None
    if not args.no_reference:
        province = next((r for r in rows if r["grid"] == "province"), None)
        cells = args.reference_cells or (province["cells"] if province else PROVINCE_CELLS)
        width, height = reference_shape(cells)
        ref = measure_reference(width, height, args.reference_years)
        report["reference"] = ref
        for r in rows:  # land cells: the model simulates only those (the reference all)
            r["speedup_vs_reference"] = r["land_cell_years_per_s"] / ref["cell_years_per_s"]
            r["speedup_vs_reference_grid_cells"] = r["cell_years_per_s"] / ref["cell_years_per_s"]
    print(
        f"{'grid':24s} {'cells':>9s} {'land':>9s} {'agents':>7s} {'build s':>8s} "
        f"{'reused s':>8s} {'ms/yr':>8s} "
        f"{'build+run s':>11s} {'cpu s':>7s} {'land c-yr/s':>12s} {'peak MB':>8s} {'× Mesa':>10s}"
    )
    for r in rows:
        print(_row(r))
    if ref is not None:
        print(_row(ref, mark="1×"))
        print(
            f"(the reference: one Mesa agent per cell, {ref['years']} years at "
            f"{ref['cells']:,} cells; ratios are land cell-years per second (the model "
            "holds and simulates the land cells only; every cell of the reference is simulated); "
            "cpu s: the process's CPU time for build + run, steadier than wall time on a busy "
            "machine)"
        )
    print(
        "(reused s: the build of a run of the same seed with a lever changed, from the start "
        "landscape kept in memory, as sweeps, compare and the app build it)"
    )
    report["import_s"] = min(r["import_s"] for r in rows)
    print(
        f"(imports: {report['import_s']:.2f} s to import karstsim and its model in a fresh "
        "process, the fastest of the presets' processes; Mesa's own import is most of it)"
    )
    print(
        f"(whole command: `karstsim run --grid {whole_grid} --no-maps` took {whole_s:.2f} s "
        "in a fresh process, imports, the results by region and the files included)"
    )
    from karstsim.model import static_cache

    cache = static_cache.folder()
    report["static_cache"] = _home_relative(cache) if cache is not None else None
    print(
        "(real maps load their static geography from "
        + (f"the cache in {cache}" if cache is not None else "nowhere: KARSTSIM_CACHE is off")
        + "; a preset's first run on a machine computes and stores it)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


def _home_relative(path: Path) -> str:
    """``path`` with the user's home written ``~``, so a shared report names no machine's
    folders."""
    try:
        return "~/" + path.resolve().relative_to(Path.home().resolve()).as_posix()
    except (ValueError, RuntimeError):  # outside the home folder, or no home
        return str(path)


def register(sub: argparse._SubParsersAction) -> dict:
    bench = sub.add_parser("bench", help="measure speed and memory of each grid preset")
    bench.add_argument(
        "--presets",
        default="classroom,county,province,province@500m,province@250m",
        help="comma-separated grids; GRID@CELLm sets the cell size (e.g. province@250m)",
    )
    bench.add_argument("--end", type=int, default=2035, help="last simulated year")
    bench.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="fresh processes per preset; the fastest is reported (a busy machine's noise "
        "only ever adds time)",
    )
    bench.add_argument(
        "--reference",
        action="store_true",
        help="measure the one-agent-per-cell Mesa model too (the default; kept for old scripts)",
    )
    bench.add_argument(
        "--no-reference", action="store_true", help="skip the one-agent-per-cell Mesa model"
    )
    bench.add_argument(
        "--reference-cells",
        type=int,
        default=None,
        help="cells of the Mesa reference (default: the province's grid cells)",
    )
    bench.add_argument(
        "--reference-years", type=int, default=2, help="years the Mesa reference runs"
    )
    bench.add_argument("--json", default=None, help="also write the figures to this file")
    return {"bench": _cmd_bench}
