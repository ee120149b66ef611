"""Commands for researchers: ``calibrate``, ``validate`` and ``compare``."""

from __future__ import annotations

import argparse
from pathlib import Path

from karstsim.experiments.atomic_output import check_target, results_file, results_folder
from karstsim.model.grid import parse_grid
from karstsim.model.parameters import InputError
from karstsim.model.scenario import load


def _seeds(n: int) -> list[int]:
    if n < 1:
        raise InputError(f"--seeds {n}: must be at least 1")
    return list(range(n))


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from karstsim.experiments import calibration

    parse_grid(args.grid)
    out = check_target(args.out)
    result = calibration.calibrate(_seeds(args.seeds), args.grid, args.max_evaluations)
    with results_folder(out) as staging:
        calibration.write(result, staging)
    path = out / calibration.FILE_NAME
    chosen = result["chosen"]
    print(
        f"karstsim calibrate: best fit with afforestation_establish_years = "
        f"{chosen['afforestation_establish_years']}, loss {chosen['loss']:.2f}"
    )
    for name, value in chosen["values"].items():
        print(f"  {name} = {value:.4g}")
    for row in result["fit"]:
        print(
            f"  {row['scenario']} {row['column']} {row['year']}: observed {row['observed']:,.2f}, "
            f"simulated {row['simulated']:,.2f}"
        )
    print(f"  written to {path}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from karstsim.experiments import validation

    parse_grid(args.grid)
    out = check_target(args.out)
    seeds = _seeds(args.seeds)
    runs = validation.run_validation(seeds, args.grid)
    result = validation.evaluate(runs)
    with results_folder(out) as staging:
        validation.write_report(result, runs, staging, seeds, args.grid)
    for goal in result["goals"]:
        error = (
            f"{100 * goal['relative_error']:+.1f} %"
            if goal["relative"]
            else f"{goal['error']:+.2f}"
        )
        print(
            f"  {goal['name']}: observed {goal['observed']:,.2f}, simulated {goal['simulated_mean']:,.2f} "
            f"({error}) — {'met' if goal['met'] else 'NOT met'}"
        )
    print(f"  report in {out}/ (report.md, validation.json, forest_cover.png, desertified.png)")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from karstsim.experiments import compare

    for name in (args.a, args.b):
        load(name)
    parse_grid(args.grid)
    out = check_target(args.out)
    runs = compare.compare(args.a, args.b, _seeds(args.seeds), args.grid, args.end)
    with results_folder(out) as staging:
        table = compare.write(runs, staging)
    last = table["year"].max()
    print(f"karstsim compare: {args.a} vs {args.b}, {args.seeds} seeds, grid {args.grid}")
    for _, row in table[table["year"] == last].iterrows():
        print(
            f"  {row['label']} ({last}): {row[f'{args.a}_mean']:,.3g} vs {row[f'{args.b}_mean']:,.3g}"
        )
    print(f"  results in {out}/ (comparison.csv, comparison.md, comparison.png)")
    return 0


def _cmd_fast_track(args: argparse.Namespace) -> int:
    from karstsim.experiments import fast_track

    parse_grid(args.grid)
    check_target(args.out, folder=False)
    result = fast_track.search(_seeds(args.seeds), args.grid)
    best = result["best"]
    if best is None:
        print("karstsim fast-track: no lever mix in the search reaches 64 % by 2025 in every seed")
        return 1
    with results_file(args.out) as staging:
        fast_track.write(result, staging)
    print(
        f"karstsim fast-track: cheapest mix reaching 64 % by 2025 "
        f"(cost {best['cost_2021_25_Myuan']:,.0f} M yuan in 2021–25, lowest forest cover "
        f"{best['forest_cover_2025_min']:.2f} %):"
    )
    for name, value in best["levers"].items():
        print(f"  {name} = {value:,.0f}")
    print(f"  scenario written to {args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> dict:
    cal = sub.add_parser("calibrate", help="fit uncertain parameters to the observed record")
    cal.add_argument("--seeds", type=int, default=2)
    cal.add_argument("--grid", default="county")
    cal.add_argument("--max-evaluations", type=int, default=40, help="per establishment period")
    cal.add_argument("--out", type=Path, default=Path("results/calibration"))
    val = sub.add_parser("validate", help="hindcast and plan14 against the observed record")
    val.add_argument("--seeds", type=int, default=5)
    val.add_argument("--grid", default="province")
    val.add_argument("--out", type=Path, default=Path("results/validation"))
    com = sub.add_parser("compare", help="two scenarios over the same seeds, side by side")
    com.add_argument("a")
    com.add_argument("b")
    com.add_argument("--seeds", type=int, default=3)
    com.add_argument("--grid", default="county")
    com.add_argument("--end", type=int, default=None, help="last year (default: the scenarios')")
    com.add_argument("--out", type=Path, default=Path("results/compare"))
    # argparse expands % in help texts: a literal one is written %%
    fast = sub.add_parser("fast-track", help="search the cheapest lever mix reaching 64 %% by 2025")
    fast.add_argument("--seeds", type=int, default=2)
    fast.add_argument("--grid", default="county")
    fast.add_argument("--out", type=Path, default=Path("results/fast_track_64.toml"))
    return {
        "calibrate": _cmd_calibrate,
        "validate": _cmd_validate,
        "compare": _cmd_compare,
        "fast-track": _cmd_fast_track,
    }
