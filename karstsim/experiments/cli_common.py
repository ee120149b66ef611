"""Helpers shared by the command line's modules: the run options and ``--set``.

Each command module (``cli``, ``research_cli``, ``sweep_cli``, ``sensitivity``, ``bench``)
imports these from here, never from another command module, so that imports flow one way.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.parameters import InputError, ParameterError

Handler = Callable[[argparse.Namespace], int]
"""A command's handler: parsed arguments in, exit status out."""


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` → ``{"a": "1", "b": "x"}`` with a clear error for a bad item."""
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--set {item!r}: expected NAME=VALUE")
        values[name.strip()] = value.strip()
    return values


def add_run_options(parser: argparse.ArgumentParser, *, seed_help: str = "random seed") -> None:
    """The options that define a run, shared by ``run`` and the commands built on it."""
    parser.add_argument(
        "--scenario", default="plan14", help="shipped scenario name or a .toml file"
    )
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable)",
    )
    parser.add_argument(
        "--grid",
        default="county",
        help="province (real Guizhou), classroom (Guanling county), county (synthetic "
        "200x200) or WxH (synthetic)",
    )
    parser.add_argument(
        "--region",
        default=None,
        help="a real prefecture or county instead of --grid, by name or adcode "
        "(e.g. 毕节市, Bijie, 520502; `karstsim regions` lists them)",
    )
    parser.add_argument("--years", default=None, help="START:END, e.g. 2020:2035")
    parser.add_argument("--seed", type=int, default=0, help=seed_help)
    parser.add_argument(
        "--landscape",
        type=Path,
        default=None,
        help="folder of layer files (.npy or GeoTIFF) instead of a generated map",
    )


def run_spec_from(args: argparse.Namespace):
    """A checked :class:`RunSpec` from the run options (raises InputError)."""
    from karstsim.experiments.run import RunSpec, parse_years
    from karstsim.model.grid import parse_grid, region_grid_spec

    if args.seed < 0:  # numpy's seed sequences take no negative number
        raise InputError(
            f"--seed {args.seed}: a seed must be a whole number of 0 or more",
            zh=f"--seed {args.seed}：随机种子必须是不小于 0 的整数",
        )
    start, end = parse_years(args.years) if args.years else (None, None)
    grid = region_grid_spec(args.region) if args.region else parse_grid(args.grid)
    args.grid = grid.name
    spec = RunSpec(
        scenario=args.scenario,
        overrides=parse_assignments(args.assignments),
        grid=grid,
        start_year=start,
        end_year=end,
        seed=args.seed,
        by=getattr(args, "by", "prefecture"),
    )
    spec.resolved_scenario()  # validates names, values and years before any work
    parameters.resolve({**scenario_module.load(args.scenario).parameters, **spec.overrides})
    return spec
