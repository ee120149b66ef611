"""The ``discover`` and ``optimise`` commands, registered without loading their libraries."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from karstsim.experiments.atomic_output import check_target, results_folder
from karstsim.model.parameters import InputError

if TYPE_CHECKING:  # the command line is built without loading these
    import pandas as pd

    from karstsim.experiments import optimise


def _cmd_discover(args: argparse.Namespace) -> int:
    from karstsim.experiments import discover

    if not 0 < args.min_density <= 1:
        raise InputError(f"--min-density {args.min_density}: must be in (0, 1], e.g. 0.8")
    if not 0 < args.peel_alpha < 0.5:
        raise InputError(f"--peel-alpha {args.peel_alpha}: must be in (0, 0.5), e.g. 0.05")
    target = discover.parse_target(args.target)
    out = check_target(args.out or args.folder / "discover")
    found = discover.discover(
        args.folder,
        target,
        min_density=args.min_density,
        peel_alpha=args.peel_alpha,
        policy=args.policy,
    )
    with results_folder(out) as staging:
        written = discover.write(found, staging)
    print(f"karstsim discover: PRIM on {args.folder}")
    for line in discover.summary_lines(found):
        print(f"  {line}")
    print(f"  written to {out}/: {', '.join(p.name for p in written)}")
    return 0


def _levers(text: str) -> list[tuple[str, tuple[float, float] | None]]:
    """``a,b=0:1000`` → ``[("a", None), ("b", (0.0, 1000.0))]``."""
    levers = []
    for item in filter(None, (i.strip() for i in text.split(","))):
        name, sep, bounds = item.partition("=")
        if not sep:
            levers.append((name, None))
            continue
        low, _, high = bounds.partition(":")
        try:
            levers.append((name, (float(low), float(high))))
        except ValueError:
            raise InputError(
                f"--levers {item!r}: expected NAME or NAME=LOW:HIGH, e.g. "
                "treatment_ha_per_year=0:300000"
            ) from None
    if not levers:
        raise InputError("--levers: name at least one lever, e.g. treatment_ha_per_year")
    return levers


def problem_from(args: argparse.Namespace) -> optimise.Problem:
    """The :class:`~karstsim.experiments.optimise.Problem` the options describe."""
    from karstsim.experiments import forecast, objectives, optimise
    from karstsim.experiments.discover import parse_target
    from karstsim.experiments.run import parse_years
    from karstsim.model import scenario as scenario_module
    from karstsim.model.grid import parse_grid

    plan = scenario_module.load(args.scenario)
    parse_grid(args.grid)
    start, end = parse_years(args.years) if args.years else (None, None)
    start = plan.start_year if start is None else start
    end = plan.end_year if end is None else end
    if args.seeds < 1:
        raise InputError(f"--seeds {args.seeds}: must be at least 1")
    constraints = tuple(parse_target(text) for text in args.constraint)
    for constraint in constraints:
        if constraint.quantile:
            raise InputError(f"--constraint {constraint.label}: give a value, not a quantile")
        if constraint.year is None or not start <= constraint.year <= end:
            raise InputError(
                f"--constraint {constraint.label}: give a year in the runs' {start}–{end}, "
                "e.g. forest_cover_pct@2025 >= 64"
            )
    draws = ()
    if args.posterior is not None:
        posterior = forecast.read_posterior(None if args.posterior == Path("") else args.posterior)
        draws = tuple(
            forecast.draw_overrides(
                forecast.posterior_draws(posterior, args.draws), start, fixed=plan.parameters
            )
        )
    return optimise.Problem(
        scenario=plan,
        grid=args.grid,
        start_year=start,
        end_year=end,
        levers=tuple(optimise.lever(name, bounds) for name, bounds in _levers(args.levers)),
        objectives=tuple(objectives.parse(args.objectives, (start, end))),
        members=optimise.members(range(args.seeds), draws),
        constraints=constraints,
    )


def _cmd_optimise(args: argparse.Namespace) -> int:
    import sys

    from karstsim.experiments import optimise, optimise_report
    from karstsim.model import parameters
    from karstsim.model import scenario as scenario_module

    if args.population < 4 or args.generations < 1:
        raise InputError(
            f"--population {args.population} --generations {args.generations}: need a "
            "population of at least 4 and at least 1 generation"
        )
    problem = problem_from(args)
    out = check_target(args.out)
    reference_plan = scenario_module.load(args.reference or args.scenario)
    resolved = parameters.resolve(reference_plan.parameters)
    reference = {f.name: resolved[f.name] for f in problem.levers}

    def progress(generation: int, total: int, table: pd.DataFrame) -> None:
        print(
            f"karstsim optimise: generation {generation + 1} of {total}: {len(table)} candidates",
            file=sys.stderr,
        )

    result = optimise.optimise(
        problem,
        population=args.population,
        generations=args.generations,
        seed=args.seed,
        workers=args.workers,
        scheduler=args.scheduler,
        reference=reference,
        progress=progress,
    )
    settings = {
        "population": args.population,
        "generations": args.generations,
        "seed": args.seed,
        "reference_scenario": reference_plan.name,
    }
    info = optimise_report.manifest(problem, result, settings)
    with results_folder(out) as staging:
        written = optimise_report.write(problem, result, info, staging)
    for line in optimise_report.summary_lines(problem, result, reference_plan.name):
        print(line)
    print(f"  written to {out}/: {', '.join(p.name for p in written)}")
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``discover`` and ``optimise`` commands."""
    disc = sub.add_parser(
        "discover",
        help="scenario discovery (PRIM): where in the uncertainties a target fails",
    )
    disc.add_argument("folder", type=Path, help="a finished sweep's folder")
    disc.add_argument(
        "--target",
        required=True,
        help='the runs to explain: OUTPUT@YEAR OP NUMBER, e.g. "forest_cover_pct@2025 < 64" '
        "(the plan's goal missed)",
    )
    disc.add_argument(
        "--min-density",
        type=float,
        default=0.8,
        help="the box reported: highest coverage with at least this density (default 0.8)",
    )
    disc.add_argument(
        "--peel-alpha", type=float, default=0.05, help="share of runs peeled per step (0.05)"
    )
    disc.add_argument(
        "--policy", default=None, help="in a policies × uncertainties sweep: one policy's runs"
    )
    disc.add_argument(
        "--out", type=Path, default=None, help="output folder (default: FOLDER/discover)"
    )
    opt = sub.add_parser(
        "optimise",
        help="Pareto front of levers for several objectives (NSGA-II), over seeds",
    )
    opt.add_argument(
        "--levers",
        required=True,
        help="comma-separated levers, each over its declared range or NAME=LOW:HIGH",
    )
    opt.add_argument(
        "--objectives",
        required=True,
        help="two or more of public_cost, forest_cover, desertified_area, rural_income, "
        "carbon_sink, or min:COLUMN@YEAR / max:COLUMN@FIRST-LAST (summed)",
    )
    opt.add_argument(
        "--constraint",
        action="append",
        default=[],
        metavar="OUTPUT@YEAR OP NUMBER",
        help='must hold in every run of a candidate, e.g. "forest_cover_pct@2025 >= 64"',
    )
    opt.add_argument("--scenario", default="plan14", help="the scenario the levers change")
    opt.add_argument("--grid", default="county", help="province, a region, county or WxH")
    opt.add_argument("--years", default=None, help="START:END (default: the scenario's)")
    opt.add_argument("--seeds", type=int, default=2, help="seeds per candidate (2)")
    opt.add_argument(
        "--posterior",
        type=Path,
        nargs="?",
        const=Path(""),
        default=None,
        help="robust: every posterior draw × --seeds (a posterior.csv, or none: the shipped one)",
    )
    opt.add_argument("--draws", type=int, default=5, help="posterior draws used (5)")
    opt.add_argument("--population", type=int, default=16, help="NSGA-II population (16)")
    opt.add_argument("--generations", type=int, default=5, help="NSGA-II generations (5)")
    opt.add_argument("--seed", type=int, default=0, help="seed of the search itself")
    opt.add_argument(
        "--reference",
        default=None,
        help="a scenario whose lever values the front is compared with (default: --scenario)",
    )
    where = opt.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, help="local workers (the cores)")
    where.add_argument("--scheduler", default=None, help="a Dask scheduler, tcp://HOST:PORT")
    opt.add_argument("--out", type=Path, default=Path("results/optimise"), help="output folder")
    return {"discover": _cmd_discover, "optimise": _cmd_optimise}
