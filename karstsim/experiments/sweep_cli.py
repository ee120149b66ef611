"""The ``sweep`` and ``sweep-status`` commands."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from karstsim.experiments.sweep_catalog import SCHEDULER_ENV, shipped_names
from karstsim.experiments.sweep_stop import request_stop


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _cmd_sweep(args: argparse.Namespace) -> int:
    from karstsim.experiments import sweep_design
    from karstsim.experiments.sweep import run_sweep
    from karstsim.experiments.sweep_store import SweepError, SweepStore

    design = sweep_design.load(args.design)
    if args.workers is not None and args.workers < 1:
        raise SweepError(f"--workers {args.workers}: must be at least 1")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise SweepError(f"--chunk-size {args.chunk_size}: must be at least 1")
    out = args.out
    previous = signal.signal(signal.SIGTERM, request_stop)
    try:
        report = run_sweep(
            design,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            chunk_size=args.chunk_size,
            design_file=args.design,
        )
    except KeyboardInterrupt:
        if SweepStore(out).exists():
            print(
                f"karstsim sweep: stopped; finished runs are kept in {out}/. Continue with: "
                f"karstsim sweep {args.design} --out {out} --resume",
                file=sys.stderr,
            )
        else:
            print(
                "karstsim sweep: stopped before any run finished; nothing was kept",
                file=sys.stderr,
            )
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    where = args.scheduler or os.environ.get(SCHEDULER_ENV) or "local cluster"
    print(
        f"karstsim sweep: {design.name}: {report.done} of {report.runs} runs done "
        f"({report.failed} failed), {report.ran_now} now in {_duration(report.wall_s)} on "
        f"{report.workers} worker thread(s) ({where})"
    )
    print(f"  results: {', '.join(str(p) for p in report.outputs)}")
    if report.failed:
        print("  failed runs: see the status, error and traceback columns of results.parquet")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from karstsim.experiments.sweep_manifest import status

    info = status(args.folder)
    runs, done = info["runs"], info["done"]
    share = 100 * done / runs if runs else 100.0
    print(f"sweep {info['name']} in {args.folder} (karstsim {info['karstsim_version']})")
    print(
        f"  {done} of {runs} runs done ({share:.1f} %), {info['failed']} failed, "
        f"{runs - done} to go"
    )
    if info["damaged"]:
        print(
            f"  {len(info['damaged'])} damaged chunk(s) ({'; '.join(info['damaged'])}): "
            "their runs run again on --resume"
        )
    if info["results_problem"]:
        print(f"  {info['results_problem']}: --resume rebuilds it from the chunks")
    if info["last_write"] is not None:
        print(f"  last chunk written {_duration(time.time() - info['last_write'])} ago")
    state = info["state"]
    if state == "complete":
        print(f"  complete: results in {args.folder / 'results.parquet'}")
    elif state == "running" and info["seconds_left"] is not None:
        print(
            f"  running: {info['rate_per_s']:.2f} runs/s, about "
            f"{_duration(info['seconds_left'])} left"
        )
    elif state == "running":
        print("  running: no run finished in this session yet")
    else:
        reason = {
            "stopped": "the sweep was killed",
            "interrupted": "the sweep was stopped",
            "damaged": "chunks were damaged after it completed"
            if info["damaged"]
            else "its results were damaged after it completed",
        }
        print(
            f"  {state} ({reason.get(state, 'nothing is running')}): continue with: karstsim "
            f"sweep {info['design_file'] or 'DESIGN.toml'} --out {args.folder} --resume"
        )
    return 0


def _cmd_design_check(args: argparse.Namespace) -> int:
    from karstsim.experiments import design_check, sweep_design
    from karstsim.model.grid import parse_grid

    design = sweep_design.load(args.design)
    if args.grid is not None:
        parse_grid(args.grid)
    found = design_check.effects(design, grid=args.grid)
    where = f"{design.scenario.name}, grid {args.grid or design.grid}, {design.start_year}–{design.end_year}"
    print(f"karstsim design-check: {design.name}: each factor alone, low vs high ({where})")
    for effect in found:
        moved = f"changes {len(effect.changed)} output(s)" if effect.changed else "NO EFFECT"
        print(f"  {effect.name} ({effect.low} → {effect.high}): {moved}")
    inert = [e.name for e in found if e.inert]
    if inert:
        print(
            f"  {len(inert)} factor(s) change nothing under {design.scenario.name}: "
            f"{', '.join(inert)}; drop them or move them to [fixed]"
        )
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``sweep``, ``sweep-status`` and ``design-check`` commands."""
    sweep = sub.add_parser(
        "sweep",
        help="run a batch sweep described by a design file, locally or on a Dask cluster",
    )
    shipped = ", ".join(shipped_names())
    sweep.add_argument(
        "design", type=Path, help=f"a design file (.toml), or a shipped design: {shipped}"
    )
    sweep.add_argument("--out", type=Path, required=True, help="the sweep's folder")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, default=None, help="local worker processes (default: the cores)"
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help=f"a running Dask scheduler, e.g. tcp://host:8786 (default: ${SCHEDULER_ENV})",
    )
    sweep.add_argument(
        "--resume", action="store_true", help="continue the sweep in --out where it stopped"
    )
    sweep.add_argument(
        "--chunk-size", type=int, default=None, help="runs per task (default: automatic)"
    )
    stat = sub.add_parser("sweep-status", help="progress of a sweep, also one running elsewhere")
    stat.add_argument("folder", type=Path, help="the sweep's folder")
    check = sub.add_parser(
        "design-check",
        help="which of a design's parameters change nothing under its scenario (exit 1 if any)",
    )
    check.add_argument("design", type=Path, help=f"a design file, or a shipped design: {shipped}")
    check.add_argument("--grid", default=None, help="another map than the design's, e.g. 30x30")
    return {"sweep": _cmd_sweep, "sweep-status": _cmd_status, "design-check": _cmd_design_check}
