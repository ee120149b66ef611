"""Benchmark of the web app's responsiveness (a script, not a test).

Measures, on this machine, the time from a click on "Step one year" to the page being
redrawn with the new year: the model step (and its results by region), the cards, the
table by region, the five charts, the map (and the difference map in compare mode) drawn
as PNGs and the page's widgets updated, on the classroom map (Guanling county, ~1 500
cells) and on the whole province (~176 000 cells of 1 km²). The page is rendered with
``solara.render`` as the server does (the browser's own work, decoding and showing the
PNGs, is not included). Also reported: the parts alone, and a lever moved at the start
year until its run is rebuilt (from the session's start landscape, and generated anew).

Targets from the issues: a step redrawn in under 0.25 s on the classroom map (issue 14;
0.5 s before), and within 1 s on the province.

    .venv/bin/python benchmarks/bench_viz.py [--grid classroom province] [--steps 15]
        [--compare] [--json out.json]

CPU time is reported beside wall time: on a busy machine the wall time includes waiting
for a core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import ipyvuetify as v
import solara

from karstsim.model.landscape_cache import LandscapeCache
from karstsim.viz import app
from karstsim.viz.charts import ChartRenderer
from karstsim.viz.controller import Controller
from karstsim.viz.map_view import MapRenderer


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    walls, cpus = zip(*samples, strict=True)
    return {
        "wall_median_s": round(statistics.median(walls), 4),
        "wall_max_s": round(max(walls), 4),
        "cpu_median_s": round(statistics.median(cpus), 4),
    }


TARGETS_S = {"classroom": 0.25, "province": 1.0}
"""Target of a step redrawn, by map (seconds, median)."""


def bench_parts(grid: str, steps: int, compare: bool) -> dict[str, dict[str, float]]:
    """The model step, the charts and the maps, each timed alone."""
    controller = Controller(grid=grid)
    controller.set_compare(compare)
    if compare:
        controller.set_value("B", "treatment_ha_per_year", 300_000)
    renderer, map_renderer = ChartRenderer(), MapRenderer()
    model, charts, maps = [], [], []
    for _ in range(steps):
        model.append(_timed(controller.step))
        charts.append(_timed(lambda: renderer.render(controller.results(), "en")))
        maps.append(_timed(lambda: map_renderer.render(controller.models(), "land_cover", "en")))
    return {"model_step": _summary(model), "charts": _summary(charts), "maps": _summary(maps)}


def bench_lever(grid: str, moves: int) -> dict[str, dict[str, float]]:
    """A lever moved at the start year, until its run is rebuilt: from the session's start
    landscape (the app's way), and with that landscape generated anew each time."""
    controller = Controller(grid=grid)
    values = [20_000.0 * (k + 1) for k in range(2 * moves)]

    def move(value: float) -> Callable[[], None]:
        return lambda: controller.set_value("A", "treatment_ha_per_year", value)

    reused = [_timed(move(value)) for value in values[:moves]]
    controller.landscapes = LandscapeCache(max_mb=0)  # keeps nothing: every rebuild generates
    generated = [_timed(move(value)) for value in values[moves:]]
    return {
        "lever_rebuild_reused": _summary(reused),
        "lever_rebuild_generated": _summary(generated),
    }


def bench_page(grid: str, steps: int, compare: bool) -> dict[str, float]:
    """A click on the page's Step button until the page is redrawn."""
    _, render_context = solara.render(app.Page(), handle_error=False)

    def button(css_class: str) -> v.Btn:
        return next(b for b in render_context.find(v.Btn).widgets if css_class in (b.class_ or ""))

    if grid != "classroom":
        maps = render_context.find(v.Autocomplete).widgets
        next(m for m in maps if "karst-grid" in (m.class_ or "")).v_model = grid

    if compare:
        switch = next(
            s for s in render_context.find(v.Switch).widgets if "karst-compare" in (s.class_ or "")
        )
        switch.v_model = True
    button("karst-step").click()  # warm-up: first figures, fonts, caches
    return _summary([_timed(button("karst-step").click) for _ in range(steps)])


def main() -> None:
    """Run the benchmark and print (and optionally save) the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--grid", nargs="+", default=list(TARGETS_S), help="maps (default: classroom province)"
    )
    parser.add_argument("--steps", type=int, default=15, help="steps to time (years)")
    parser.add_argument("--compare", action="store_true", help="two lever sets (compare mode)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    for grid in args.grid:
        result = {
            "grid": grid,
            "compare": args.compare,
            "steps": args.steps,
            "page_step": bench_page(grid, args.steps, args.compare),
            **bench_parts(grid, args.steps, args.compare),
            **bench_lever(grid, max(args.steps // 3, 1)),
            "target_s": TARGETS_S.get(grid, 1.0),
        }
        result["meets_target"] = result["page_step"]["wall_median_s"] < result["target_s"]
        results.append(result)
        print(json.dumps(result, indent=2), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
