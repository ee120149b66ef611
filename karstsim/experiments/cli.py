"""The ``karstsim`` command line.

Every subcommand is registered by a module's ``register(subparsers)``; bad input ends
with one line naming the problem and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import NoReturn

from karstsim.experiments.atomic_output import check_target, results_folder
from karstsim.experiments.cli_common import Handler, add_run_options, run_spec_from
from karstsim.experiments.process_exit import exit_now, status_of
from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.parameters import InputError

COMMAND_PLUGINS = "karstsim.commands"
"""Entry-point group of commands registered from outside this package (the web app's
``viz``), so that the command line does not import the layers built on it."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors on one line and exits with status 2."""

    commands: argparse._SubParsersAction | None = None
    """The subcommands' parsers (on the top-level parser)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        """As argparse, but arguments a subcommand does not know are reported by that
        subcommand (``karstsim run: error: unrecognized arguments: --sede 3 (see 'karstsim
        run --help')``), not by ``karstsim``."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(parsed, "command", None)
            reporter = self.commands.choices[command] if self.commands and command else self
            reporter.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed


def _cmd_run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from karstsim.experiments.run import simulate, write_outputs
    from karstsim.model.loading import YEARLY_LAYERS, load_landscape

    spec = run_spec_from(args)
    out = check_target(args.out)
    plan = spec.resolved_scenario()
    landscape = None
    if args.landscape is not None:
        landscape = load_landscape(
            args.landscape, parameters.resolve(plan.parameters), plan.start_year
        )
    began = time.perf_counter()
    with tqdm(
        total=plan.end_year - plan.start_year,
        desc=f"{plan.name} {args.grid}",
        unit="yr",
        delay=2.0,
        disable=None,
        file=sys.stderr,
    ) as bar:
        model = simulate(
            spec,
            landscape=landscape,
            on_year=lambda m: bar.update(1),
            by_region=True,
            keep_layers=YEARLY_LAYERS if args.save_layers else (),
        )
    with results_folder(out) as staging:
        info = write_outputs(model, spec, staging, figures=not args.no_maps)
    elapsed = time.perf_counter() - began
    final = info["final"]
    print(
        f"karstsim run: {plan.name}, grid {args.grid} ({info['land_area_km2']:,.0f} km² of land), "
        f"seed {spec.seed}, {info['years'][0]}→{info['years'][1]} in {elapsed:.1f} s"
    )
    print(
        f"  forest cover {final['forest_cover_pct']:.2f} %, desertified {final['desertified_km2']:,.0f} km², "
        f"carbon {final['carbon_stock_MtC']:,.1f} MtC, treated {final['treated_km2_cum']:,.0f} km²"
    )
    for target in info["targets"].values():
        met = target["first_met"]
        state = f"met in {met}" if met is not None else "not met"
        if met is not None and met <= target["deadline"] and not target["met_by_deadline"]:
            state += f", not kept to {target['deadline']}"  # a held target (a level to keep)
        print(f"  target: {target['description']}: {state}")
    for target in info.get("area_targets", {}).values():
        met = target["first_met"]
        state = f"met in {met}" if met is not None else "not met"
        print(f"  target: {target['description']}: {state}")
    files = ["timeseries.csv", "transitions.csv", "gep.csv", "summary.json"]
    if not args.no_maps:
        files += ["dashboard.png", "maps/"]
    if "regions" in info:
        files.insert(1, "regions.csv")
    if args.save_layers:
        files.append("layers/")
    print(f"  results in {out}/ ({', '.join(files)})")
    return 0


def _cmd_scenarios(args: argparse.Namespace) -> int:
    for name in scenario_module.shipped_names():
        sc = scenario_module.load(name)
        print(f"{name:18s} {sc.start_year}–{sc.end_year}  {sc.text('title', args.lang)}")
        if args.verbose:
            print(f"{'':18s} {sc.text('description', args.lang)}")
            print(f"{'':18s} Q: {sc.text('question', args.lang)}")
    return 0


def _cmd_params(args: argparse.Namespace) -> int:
    if args.markdown:
        print(parameters.markdown_table())
        return 0
    for group, params in parameters.by_group().items():
        print(f"[{parameters.GROUPS[group]}]")
        for p in params:
            print(f"  {p.name:34s} {p.default!s:>10s}  {p.allowed():32s} {p.role}")
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Handler]:
    run = sub.add_parser("run", help="run one scenario and write its results")
    add_run_options(run)
    run.add_argument("--out", type=Path, default=Path("results/run"), help="output folder")
    run.add_argument(
        "--by",
        choices=("prefecture", "county"),
        default="prefecture",
        help="level of regions.csv on a real map (default: prefecture)",
    )
    run.add_argument(
        "--no-maps",
        action="store_true",
        help="skip maps/ and dashboard.png (the tables and summary only; faster)",
    )
    run.add_argument(
        "--save-layers",
        action="store_true",
        help="also write the end state (loadable with --landscape) and the yearly land "
        "cover, severity, carbon and treatment layers to layers/ (GeoTIFF on a real map)",
    )
    sc = sub.add_parser("scenarios", help="list the shipped scenarios")
    sc.add_argument("--lang", choices=("en", "zh"), default="en")
    sc.add_argument("-v", "--verbose", action="store_true", help="show descriptions")
    pa = sub.add_parser("params", help="list the parameters")
    pa.add_argument("--markdown", action="store_true", help="as Markdown tables")
    rg = sub.add_parser("regions", help="list Guizhou's prefectures and counties")
    rg.add_argument("prefecture", nargs="?", default=None, help="only this prefecture's counties")
    return {
        "run": _cmd_run,
        "scenarios": _cmd_scenarios,
        "params": _cmd_params,
        "regions": _cmd_regions,
    }


def _cmd_regions(args: argparse.Namespace) -> int:
    from karstsim.model import regions

    chosen = regions.find_region(args.prefecture) if args.prefecture else None
    if chosen is not None and chosen.level != "prefecture":
        raise InputError(f"region {args.prefecture!r} is a county, not a prefecture")
    for prefecture in regions.prefectures():
        if chosen is not None and prefecture != chosen:
            continue
        print(
            f"{prefecture.adcode}  {prefecture.name_zh}  {prefecture.name_en} "
            f"({prefecture.kind_en}), {prefecture.boundary_area_km2:,.0f} km²"
        )
        for county in regions.counties(prefecture.adcode):
            print(
                f"  {county.adcode}  {county.name_zh}  {county.name_en} ({county.kind_en}), "
                f"{county.boundary_area_km2:,.0f} km²"
            )
    return 0


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    from karstsim.experiments import (
        bench,
        explore_cli,
        research_cli,
        sensitivity_cli,
        sweep_cli,
    )

    parser = _Parser(
        prog="karstsim", description="Karst land-use and restoration simulation of Guizhou."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parser.commands = sub
    handlers: dict[str, Handler] = {}
    for module_register in (
        register,
        bench.register,
        research_cli.register,
        sweep_cli.register,
        sensitivity_cli.register,
        explore_cli.register,
        *(entry.load() for entry in entry_points(group=COMMAND_PLUGINS)),
    ):
        handlers.update(module_register(sub))
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    try:
        return handlers[args.command](args)
    except InputError as error:
        print(f"karstsim {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"karstsim {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def console() -> NoReturn:
    """The ``karstsim`` command: :func:`main`, then the process ends at once
    (:func:`karstsim.experiments.process_exit.exit_now`, ~0.3 s sooner than Python's
    own exit after a run)."""
    try:
        status = main()
    except SystemExit as stop:  # argparse's --help, --version and usage errors
        status = status_of(stop)
    exit_now(status)


if __name__ == "__main__":
    console()
