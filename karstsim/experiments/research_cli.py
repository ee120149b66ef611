"""Commands for researchers: ``calibrate``, ``forecast``, ``validate``, ``compare`` and
``fast-track``."""

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
    from dataclasses import replace

    from karstsim.experiments import calibration
    from karstsim.experiments.calibration_setup import load_setup

    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: must be at least 1")
    if args.scheduler is not None:
        from karstsim.experiments.sweep_cluster import check_address

        check_address(args.scheduler)
    setup = load_setup(args.config, args.observations)
    if args.grid is not None:
        parse_grid(args.grid)
        setup = replace(setup, grid=args.grid)
    if args.seed is not None:
        setup = replace(setup, sampler={**setup.sampler, "seed": args.seed})
    out = check_target(args.out)
    try:
        result = calibration.calibrate(
            setup,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        import sys

        print(
            f"karstsim calibrate: stopped; the finished populations are kept in "
            f"{calibration.working_database(out)}. Continue with the same command and --resume",
            file=sys.stderr,
        )
        return 130
    database = calibration.working_database(out)
    with results_folder(out) as staging:
        calibration.write(result, staging, database)
    calibration.finish(database)
    print("\n".join(calibration.summary_lines(result)))
    print(
        f"  results in {out}/ (posterior.csv, populations.csv, calibration.json, "
        "marginals.png, pairs.png, predictive.png, abc.db)"
    )
    return 0


def _cmd_forecast(args: argparse.Namespace) -> int:
    from karstsim.experiments import forecast, provenance
    from karstsim.model.regions import PROVINCE_CODE

    load(args.scenario)
    spec = parse_grid(args.grid)
    if args.seeds_per_draw < 1:
        raise InputError(f"--seeds-per-draw {args.seeds_per_draw}: must be at least 1")
    posterior = forecast.posterior_draws(forecast.read_posterior(args.posterior), args.draws)
    out = check_target(args.out)
    ensemble = forecast.run_ensemble(
        args.scenario, posterior, args.seeds_per_draw, args.grid, args.end, by_region=True
    )
    meta = {
        "grid": args.grid,
        "region": spec.region or "a synthetic map",
        "map": "the province" if spec.region == PROVINCE_CODE else "not the province",
        "posterior": str(args.posterior or "the shipped one (karstsim/data/posterior.csv)"),
        "posterior_draws": len(posterior),
        "seeds_per_draw": args.seeds_per_draw,
        "provenance": provenance.record(
            seeds=ensemble.runs["seed"], scenario=provenance.scenario_text(args.scenario)
        ),
    }
    with results_folder(out) as staging:
        info = forecast.write(args.scenario, ensemble, staging, meta)
    print(
        f"karstsim forecast: {args.scenario}, grid {args.grid}, {info['ensemble_size']} runs "
        f"({len(posterior)} posterior draws × {args.seeds_per_draw} seeds; delivery, "
        "establishment, land and growth uncertain too)"
    )
    for entry in info["probabilities"].values():
        low, high = entry["interval_90"]
        print(
            f"  P({entry['description']}) = {entry['probability']:.2f} "
            f"(90 % interval {low:.2f}–{high:.2f}; {entry['runs']} runs, {entry['draws']} draws)"
        )
    growth = info["growth_and_sink"]
    if growth:
        end, sink = growth["growing_stock_end_Mm3"], growth["sink_MtCO2"]
        first, last = growth["period"]
        print(
            f"  growing stock {last} (province-equivalent): {end['p50']:,.0f} Mm³ "
            f"(5–95 %: {end['p5']:,.0f}–{end['p95']:,.0f}; plan: 609 → 700); carbon sink "
            f"{first + 1}–{last}: {sink['p50']:,.0f} MtCO₂ ({sink['p5']:,.0f}–{sink['p95']:,.0f}), "
            f"{growth['tCO2_per_m3_all_pools']:.2f} tCO₂ per m³ of stock"
        )
    print(f"  results in {out}/ (forecast_bands.csv, forecast.json, forecast.png, ensemble.nc)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from karstsim.experiments import validation
    from karstsim.experiments.validation_report import summary_lines

    parse_grid(args.grid)
    out = check_target(args.out)
    seeds = _seeds(args.seeds)
    runs = validation.run_validation(seeds, args.grid)
    result = validation.evaluate(runs)
    with results_folder(out) as staging:
        validation.write_report(result, runs, staging, seeds, args.grid)
    print(
        f"karstsim validate: grid {args.grid}, seeds {seeds}; null models: no_new_policy, persistence"
    )
    print("\n".join(summary_lines(result)))
    print(f"  report in {out}/ (report.md, validation.json, forest_cover.png, desertified.png)")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from karstsim.experiments import compare

    for name in (args.a, args.b):
        load(name)
    parse_grid(args.grid)
    out = check_target(args.out)
    if args.posterior is None:
        runs = compare.compare(args.a, args.b, _seeds(args.seeds), args.grid, args.end)
        ensemble = f"{args.seeds} seeds"
    else:
        from karstsim.experiments import forecast
        from karstsim.model.landscape_cache import LandscapeCache, reusing

        posterior = forecast.posterior_draws(
            forecast.read_posterior(None if args.posterior == Path("") else args.posterior)
        )
        with reusing(LandscapeCache()):  # B's runs start from A's landscapes, draw by draw
            runs = {
                name: forecast.run_ensemble(name, posterior, args.seeds, args.grid, args.end)
                for name in (args.a, args.b)
            }
        ensemble = f"{len(posterior)} posterior draws × {args.seeds} seeds"
    with results_folder(out) as staging:
        table = compare.write(runs, staging)
    last = table["year"].max()
    print(f"karstsim compare: {args.a} vs {args.b}, {ensemble}, grid {args.grid}")
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
    result = fast_track.search(_seeds(args.seeds), args.grid, workers=args.workers)
    best = result["best"]
    if best is None:
        print("karstsim fast-track: no lever mix in the search reaches 64 % by 2025 in every seed")
        return 1
    with results_file(args.out) as staging:
        fast_track.write(result, staging)
    print(
        f"karstsim fast-track: cheapest mix found reaching 64 % by 2025 in every seed "
        f"(NSGA-II, {len(result['candidates'])} mixes; cost {best[fast_track.COST]:,.0f} M yuan "
        f"in 2021–25 province-equivalent, forest cover {best[fast_track.COVER]:.2f} % "
        "on average):"
    )
    for name, value in best["levers"].items():
        print(f"  {name} = {value:,.0f}")
    for note in best["at_edge"]:
        print(f"  note: {note}; the optimum may lie beyond it")
    old = result["old_answer"]
    if result["old_answer_dominated"]:
        verdict = "dominated by the front found"
    elif result["old_answer_on_front"] and old[fast_track.COST] <= best[fast_track.COST]:
        verdict = "on the front found, and the cheapest mix found: the search kept it"
    elif result["old_answer_on_front"]:
        saved = old[fast_track.COST] - best[fast_track.COST]
        verdict = (
            "on the front found (the search starts from it): no mix evaluated is both cheaper "
            f"and higher in forest cover; the mix above costs {saved:,.0f} M yuan less for "
            f"{old[fast_track.COVER] - best[fast_track.COVER]:.2f} points less forest cover"
        )
    elif old["feasible"]:
        verdict = "not dominated by the front found"
    else:
        verdict = "infeasible on this map: below 64 % in a seed"
    print(
        f"  the old grid search's answer (fast_track_64): {old[fast_track.COST]:,.0f} M yuan, "
        f"{old[fast_track.COVER]:.2f} %: {verdict}"
    )
    print(f"  scenario written to {args.out}")
    return 0


def _grid_and_out(
    parser: argparse.ArgumentParser,
    grid: str,
    out: str,
    *,
    seeds: int | None = None,
    end_default: str | None = None,
) -> None:
    """The map and the output path, which every research command takes; the number of
    seeds and the last year, for those that take them."""
    if seeds is not None:
        parser.add_argument("--seeds", type=int, default=seeds)
    if end_default is not None:
        parser.add_argument(
            "--end", type=int, default=None, help=f"last year (default: {end_default})"
        )
    parser.add_argument(
        "--grid", default=grid, help=f"province, a region, classroom, county or WxH ({grid})"
    )
    parser.add_argument("--out", type=Path, default=Path(out), help=f"where to write ({out})")


def register(sub: argparse._SubParsersAction) -> dict:
    cal = sub.add_parser(
        "calibrate",
        help="ABC-SMC (pyabc) of chosen parameters on observations up to 2020",
        description="ABC-SMC of the parameters a calibration file names on an observations "
        "CSV (year, output, value, sigma[, region]); defaults: the shipped ones "
        "(karstsim/data/calibration.toml: the hindcast's forest cover 2017-20 on the province).",
    )
    cal.add_argument(
        "--config", type=Path, default=None, help="calibration file (.toml; default: shipped)"
    )
    cal.add_argument(
        "--observations",
        type=Path,
        default=None,
        help="observations CSV: year, output, value, sigma[, region] (default: the config's)",
    )
    where = cal.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, default=None, help="local worker processes (default: 1)"
    )
    where.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="a running Dask scheduler"
    )
    cal.add_argument(
        "--resume", action="store_true", help="continue the calibration of --out where it stopped"
    )
    cal.add_argument("--seed", type=int, default=None, help="the sampler's seed (default: config)")
    cal.add_argument("--quiet", action="store_true", help="no per-population progress")
    cal.add_argument(
        "--grid", default=None, help="province, a region, classroom, county or WxH (config's)"
    )
    cal.add_argument("--out", type=Path, default=Path("results/calibration"), help="where to write")
    fc = sub.add_parser(
        "forecast", help="posterior × seeds ensemble: bands and the probability of each target"
    )
    fc.add_argument("scenario", help="shipped scenario name or a .toml file")
    fc.add_argument(
        "--posterior", type=Path, default=None, help="posterior.csv (default: the shipped one)"
    )
    fc.add_argument("--draws", type=int, default=None, help="draws by the posterior's weights (30)")
    fc.add_argument("--seeds-per-draw", type=int, default=2)
    _grid_and_out(fc, "province", "results/forecast", end_default="the scenario's")
    val = sub.add_parser(
        "validate",
        help="hindcast, plan14 and record against the observed record and two null models",
    )
    _grid_and_out(val, "province", "results/validation", seeds=5)
    com = sub.add_parser("compare", help="two scenarios over the same seeds, side by side")
    com.add_argument("a")
    com.add_argument("b")
    _grid_and_out(com, "county", "results/compare", seeds=3, end_default="the scenarios'")
    com.add_argument(
        "--posterior",
        type=Path,
        nargs="?",
        const=Path(""),
        default=None,
        help="bands over the posterior × seeds (--seeds per draw) instead of seeds alone; "
        "a posterior.csv, or none for the shipped one",
    )
    # argparse expands % in help texts: a literal one is written %%
    fast = sub.add_parser(
        "fast-track",
        help="the cheapest lever mix reaching 64 %% by 2025 (a preset of karstsim optimise)",
    )
    _grid_and_out(fast, "county", "results/fast_track_64.toml", seeds=2)
    fast.add_argument("--workers", type=int, default=None, help="local workers (the cores)")
    return {
        "calibrate": _cmd_calibrate,
        "forecast": _cmd_forecast,
        "validate": _cmd_validate,
        "compare": _cmd_compare,
        "fast-track": _cmd_fast_track,
    }
