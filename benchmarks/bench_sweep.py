"""Benchmark of sweeps on local Dask clusters (a script, not a test).

Measures, on this machine:

1. speed-up of 2 local workers over 1 on runs of about a second (a grid sized for it),
   timed from the workers being ready to the last chunk on disk (``compute_s``);
2. per-run overhead in ms: that time × worker threads − the time inside runs, per run;
3. the driver's memory (RSS, MB) over a sweep of 2 000 small runs, sampled every 0.2 s;
4. runs of one seed that vary levers only, in a sweep's worker (the start landscape is
   generated once and reused: ``karstsim.model.landscape_cache``) and each generated
   anew, at the province (``--reuse-grid``): mean seconds a run and the ratio.

Targets from the issues: speed-up ≥ 1.9× (issue 14; 1.8× before), overhead < 50 ms per
run, flat driver memory. The grid is sized so that one run takes about a second of CPU
(320 × 320 since the model got faster in issue 14; 240 × 240 before).

    .venv/bin/python benchmarks/bench_sweep.py [--grid 320x320] [--runs 40] [--many 2000]
        [--reuse-grid province] [--reuse-runs 6]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

from karstsim.experiments import sweep_design
from karstsim.experiments.bench import parse_preset
from karstsim.experiments.run import run
from karstsim.experiments.sweep import SweepReport, run_sweep
from karstsim.experiments.sweep_worker import WORKER_LANDSCAPES, RunSettings, run_chunk
from karstsim.model import scenario

DESIGN = """
[sweep]
name = "bench"
scenario = "plan14"
grid = "{grid}"
years = "2020:2035"
sampler = "latin_hypercube"
samples = {samples}
seed = 1
keep = "both"

[parameters]
treatment_ha_per_year = {{ range = [0, 300000] }}
grazing_pressure = {{ range = [0.3, 1.0] }}
"""


def sweep(grid: str, samples: int, workers: int, folder: Path) -> tuple[SweepReport, float]:
    """Run a sweep of ``samples`` runs; returns its report and the time spent inside runs (s)."""
    design = sweep_design.parse(DESIGN.format(grid=grid, samples=samples), origin="bench")
    report = run_sweep(design, folder, workers=workers, progress=False)
    inside = float(pd.read_parquet(folder / "results.parquet")["elapsed_s"].sum())
    return report, inside


def overhead_ms(report: SweepReport, inside_s: float) -> float:
    """Worker time not spent inside runs, per run, in ms."""
    return 1000 * (report.compute_s * report.workers - inside_s) / report.ran_now


def plain_processes(grid: str, runs: int, processes: int) -> float:
    """Wall time (s) of ``processes`` plain Python processes each doing ``runs`` runs at once.

    The machine's own limit: two processes on two cores are not always twice as fast
    (shared or busy cores, memory bandwidth), whatever the sweep engine does. The processes
    import first and start together; the time runs from that start to the last one's end.
    """
    start = time.time() + 6.0
    code = (
        "import time\n"
        "from karstsim.experiments.run import run\n"
        f"time.sleep(max(0.0, {start} - time.time()))\n"
        f"for seed in range({runs}): run({{}}, seed, scenario='plan14', grid='{grid}')\n"
        "print(time.time())\n"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    ends = [float(child.communicate()[0].split()[-1]) for child in children]
    return max(ends) - start


def speedup(grid: str, runs: int, root: Path) -> dict:
    """1 vs 2 local workers on the same sweep."""
    run({}, 1, scenario="plan14", grid="20x20")  # imports and caches
    began = time.perf_counter()
    run({}, 1, scenario="plan14", grid=grid)
    single_run_s = time.perf_counter() - began
    one, inside_one = sweep(grid, runs, 1, root / "one")
    two, inside_two = sweep(grid, runs, 2, root / "two")
    alone, together = plain_processes(grid, 4, 1), plain_processes(grid, 4, 2)
    return {
        "plain_processes_speedup": 2 * alone / together,
        "grid": grid,
        "runs": runs,
        "single_run_s_alone": single_run_s,
        "mean_run_s_1_worker": inside_one / runs,
        "mean_run_s_2_workers": inside_two / runs,
        "compute_s_1_worker": one.compute_s,
        "compute_s_2_workers": two.compute_s,
        "startup_s": [one.startup_s, two.startup_s],
        "speedup": one.compute_s / two.compute_s,
        "speedup_with_startup_and_shutdown": one.wall_s / two.wall_s,
        "overhead_ms_per_run_1_worker": overhead_ms(one, inside_one),
        "overhead_ms_per_run_2_workers": overhead_ms(two, inside_two),
    }


def memory(runs: int, root: Path) -> dict:
    """Driver RSS sampled over a sweep of ``runs`` small runs on 2 workers."""
    process = psutil.Process()
    samples: list[tuple[float, float, int]] = []
    done = threading.Event()
    chunks = root / "many" / "chunks"

    def sample() -> None:
        while not done.is_set():
            finished = len(list(chunks.glob("runs-*.parquet"))) if chunks.is_dir() else 0
            samples.append((time.perf_counter(), process.memory_info().rss / 2**20, finished))
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    report, inside = sweep("20x20", runs, 2, root / "many")
    done.set()
    watcher.join()
    table = pd.DataFrame(samples, columns=["t", "rss_mb", "chunks"])
    running = table[table["chunks"] > 0]
    total_chunks = running["chunks"].max()
    first = running[running["chunks"] <= 0.1 * total_chunks]["rss_mb"]
    half = running[running["chunks"].between(0.45 * total_chunks, 0.55 * total_chunks)]["rss_mb"]
    last = running[running["chunks"] >= 0.9 * total_chunks]["rss_mb"]
    return {
        "runs": runs,
        "chunks": int(total_chunks),
        "rss_mb_at_10pct": float(first.median()),
        "rss_mb_at_50pct": float(half.median()),
        "rss_mb_at_90_100pct": float(last.median()),
        "rss_mb_peak": float(table["rss_mb"].max()),
        "growth_mb_from_10_to_100pct": float(last.median() - first.median()),
        "overhead_ms_per_run": overhead_ms(report, inside),
        "mean_run_s": inside / runs,
        "compute_s": report.compute_s,
    }


def reuse(preset: str, runs: int) -> dict:
    """Mean time of a run of seed 1 with a new treatment lever each time, with the start
    landscape reused (a sweep worker's chunk) and generated for every run; ``preset`` is
    ``GRID`` or ``GRID@CELLm``."""
    grid, cell = parse_preset(preset)
    levers = [{**cell, "treatment_ha_per_year": 20_000.0 * (k + 1)} for k in range(runs)]
    run(cell, 1, scenario="plan14", grid=grid, end_year=2021)  # imports and static caches
    began = time.perf_counter()
    for params in levers:
        run(params, 1, scenario="plan14", grid=grid)
    fresh_s = (time.perf_counter() - began) / runs
    settings = RunSettings(scenario.load("plan14"), grid, 2020, 2035, True, False)
    WORKER_LANDSCAPES.clear()
    hits = WORKER_LANDSCAPES.hits
    chunk = run_chunk([(k, 1, params) for k, params in enumerate(levers)], settings)
    reused = WORKER_LANDSCAPES.hits - hits
    WORKER_LANDSCAPES.clear()
    elapsed = chunk.runs.sort_values("run_id")["elapsed_s"].to_numpy()
    return {
        "grid": preset,
        "runs": runs,
        "mean_run_s_generated": fresh_s,
        "first_run_s_generating_and_keeping": float(elapsed[0]),
        "mean_run_s_reused": float(elapsed[1:].mean()),
        "reused": reused,
        "speedup": fresh_s / float(elapsed[1:].mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="320x320", help="grid for runs of about a second")
    parser.add_argument("--runs", type=int, default=40, help="runs in the speed-up sweep")
    parser.add_argument("--many", type=int, default=2000, help="runs in the memory sweep")
    parser.add_argument(
        "--reuse-grid", default="province", help="GRID or GRID@CELLm of the reuse figure"
    )
    parser.add_argument("--reuse-runs", type=int, default=6, help="runs of the reuse figure")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    if args.reuse_runs < 2:
        parser.error(f"--reuse-runs {args.reuse_runs}: at least 2 (one generates, the rest reuse)")
    with tempfile.TemporaryDirectory(prefix="karstsim-bench-") as folder:
        root = Path(folder)
        figures = {
            "speedup": speedup(args.grid, args.runs, root),
            "memory": memory(args.many, root),
            "reuse": reuse(args.reuse_grid, args.reuse_runs),
        }
    s, m, r = figures["speedup"], figures["memory"], figures["reuse"]
    print(f"runs of {s['single_run_s_alone']:.2f} s alone on {s['grid']}, {s['runs']} per sweep:")
    print(
        f"  1 worker {s['compute_s_1_worker']:.1f} s, 2 workers {s['compute_s_2_workers']:.1f} s "
        f"-> speed-up {s['speedup']:.2f}x ({s['speedup_with_startup_and_shutdown']:.2f}x with "
        f"cluster start-up of {s['startup_s'][0]:.1f} / {s['startup_s'][1]:.1f} s and shut-down)"
    )
    print(
        f"  without Dask, 2 plain processes did {s['plain_processes_speedup']:.2f}x the work "
        "of 1 in the same time (what the machine gave at that moment)"
    )
    print(
        f"  mean run inside a worker: {s['mean_run_s_1_worker']:.2f} s (1 worker), "
        f"{s['mean_run_s_2_workers']:.2f} s (2 workers)"
    )
    print(
        f"  overhead per run: {s['overhead_ms_per_run_1_worker']:.1f} ms (1 worker), "
        f"{s['overhead_ms_per_run_2_workers']:.1f} ms (2 workers)"
    )
    print(
        f"{m['runs']} runs of {1000 * m['mean_run_s']:.0f} ms in {m['chunks']} chunks, "
        f"{m['compute_s']:.1f} s: overhead {m['overhead_ms_per_run']:.1f} ms per run"
    )
    print(
        f"  driver RSS {m['rss_mb_at_10pct']:.0f} MB at 10 %, {m['rss_mb_at_50pct']:.0f} MB at "
        f"50 %, {m['rss_mb_at_90_100pct']:.0f} MB at the end (growth "
        f"{m['growth_mb_from_10_to_100pct']:+.1f} MB), peak {m['rss_mb_peak']:.0f} MB"
    )
    print(
        f"{r['runs']} runs of one seed on {r['grid']}, levers varied: "
        f"{r['mean_run_s_generated']:.2f} s a run generating the map each time; in a worker, "
        f"{r['first_run_s_generating_and_keeping']:.2f} s for the first and "
        f"{r['mean_run_s_reused']:.2f} s for each of the {r['reused']} that reused it "
        f"-> {r['speedup']:.2f}x"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
