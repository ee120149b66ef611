"""Benchmark of the web app's responsiveness (a script, not a test).

Measures, on this machine, the time from a click on "Step one year" to the page being
redrawn with the new year: the model step, the five charts, the map (and the difference
map in compare mode) drawn as PNGs and the page's widgets updated, on the classroom grid.
The page is rendered with ``solara.render`` as the server does (the browser's own work,
decoding and showing the PNGs, is not included). Also reported: the parts alone.

Target from the issue: a step with charts and map redrawn in under 0.5 s.

    .venv/bin/python benchmarks/bench_viz.py [--steps 15] [--compare] [--json out.json]

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


def bench_parts(steps: int, compare: bool) -> dict[str, dict[str, float]]:
    """The model step, the charts and the maps, each timed alone."""
    controller = Controller()
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


def bench_page(steps: int, compare: bool) -> dict[str, float]:
    """A click on the page's Step button until the page is redrawn."""
    _, render_context = solara.render(app.Page(), handle_error=False)

    def button(css_class: str) -> v.Btn:
        return next(b for b in render_context.find(v.Btn).widgets if css_class in (b.class_ or ""))

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
    parser.add_argument("--steps", type=int, default=15, help="steps to time (years)")
    parser.add_argument("--compare", action="store_true", help="two lever sets (compare mode)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    result = {
        "grid": "classroom",
        "compare": args.compare,
        "steps": args.steps,
        "page_step": bench_page(args.steps, args.compare),
        **bench_parts(args.steps, args.compare),
        "target_s": 0.5,
    }
    result["meets_target"] = result["page_step"]["wall_median_s"] < result["target_s"]
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
