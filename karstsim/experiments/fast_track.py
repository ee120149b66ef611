"""``karstsim fast-track``: the cheapest mix of forestry levers that reaches 64 % by 2025,
as a preset of ``karstsim optimise`` (:mod:`karstsim.experiments.optimise`).

NSGA-II over new afforestation, the Grain-for-Green quota and the treatment programme,
each between the multiples :data:`BOUNDS` of plan14's value, everything else as in plan14
(the ranger force is kept, as the plan requires); objectives: the budget spent in 2021–25
(least) and forest cover in 2025 (most); constraint: 64 % by 2025 in every seed. The
cheapest feasible point of the front is written as a scenario file, and the answer says
which levers sit at the edge of their range (the optimum may lie beyond it).

It replaced a fixed grid of 30 mixes (multiples 0.5–3 of afforestation, 0–3 of
Grain-for-Green, 0.5–1 of treatment) whose answer, on every map, was the grid's lowest
corner: the cheapest mix lay outside the grid, and the grid could not say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from karstsim.experiments import objectives, optimise
from karstsim.experiments.discover import parse_target
from karstsim.model.grid import parse_grid
from karstsim.model.outputs import FOREST_COVER_TARGET
from karstsim.model.parameters import PARAMETERS, PROVINCE_LAND_KM2
from karstsim.model.scenario import load

TARGET_PCT = FOREST_COVER_TARGET.threshold
TARGET_YEAR = FOREST_COVER_TARGET.deadline
LEVERS = ("afforestation_ha_per_year", "gfg_quota_ha_per_year", "treatment_ha_per_year")
LEVER_WORDS = {
    "afforestation_ha_per_year": ("afforestation", "造林"),
    "gfg_quota_ha_per_year": ("Grain-for-Green", "退耕还林"),
    "treatment_ha_per_year": ("desertification treatment", "石漠化治理"),
}
"""The searched levers in plain words (English, Chinese), for the scenario's texts: the
classroom reads them, and code names mean nothing there."""
BOUNDS = {
    "afforestation_ha_per_year": (0.0, 3.0),
    "gfg_quota_ha_per_year": (0.0, 3.0),
    "treatment_ha_per_year": (0.0, 2.0),
}
"""The search range of each lever, as multiples of its plan14 value."""
COST = "cost_2021_25_Myuan"
COVER = "forest_cover_2025_pct"
EDGE = 0.02
"""A lever within this share of its range from an end is reported at the edge."""


def problem(seeds: Sequence[int], grid: str) -> optimise.Problem:
    """The fast-track search as an optimisation problem."""
    plan = load("plan14")
    base = {name: float(plan.parameters.get(name, PARAMETERS[name].default)) for name in LEVERS}
    years = (plan.start_year, TARGET_YEAR)
    wanted = (
        f"min:budget_spent_Myuan@{years[0] + 1}-{TARGET_YEAR},max:forest_cover_pct@{TARGET_YEAR}"
    )
    cost, cover = objectives.parse(wanted, years)
    return optimise.Problem(
        scenario=plan,
        grid=grid,
        start_year=years[0],
        end_year=TARGET_YEAR,
        levers=tuple(
            optimise.lever(name, (BOUNDS[name][0] * base[name], BOUNDS[name][1] * base[name]))
            for name in LEVERS
        ),
        objectives=(
            objectives.Objective(cost.sense, cost.column, cost.first, cost.last, COST),
            objectives.Objective(cover.sense, cover.column, cover.first, cover.last, COVER),
        ),
        members=optimise.members(seeds),
        constraints=(parse_target(f"forest_cover_pct@{TARGET_YEAR} >= {TARGET_PCT}"),),
    )


def search(
    seeds: Sequence[int] = (0, 1),
    grid: str = "county",
    population: int = 12,
    generations: int = 4,
    workers: int | None = None,
) -> dict[str, Any]:
    """The front, and its cheapest feasible mix (None if none is feasible), compared with
    the shipped fast_track_64 answer of the old grid search."""
    posed = problem(seeds, grid)
    old = load("fast_track_64").parameters
    result = optimise.optimise(
        posed,
        population=population,
        generations=generations,
        workers=workers,
        reference={name: old[name] for name in LEVERS},
    )
    front = result["front"]
    best = None
    if not front.empty:
        row = front.sort_values(COST).iloc[0]
        best = {
            "levers": {name: float(row[name]) for name in LEVERS},
            **_province(row),
            "at_edge": _at_edge(posed, row),
        }
    return {
        "grid": grid,
        "seeds": list(seeds),
        "candidates": result["evaluations"].to_dict("records"),
        "best": best,
        "old_answer_dominated": bool(result["reference_dominated"]),
        "old_answer_on_front": bool(result["reference_on_front"]),
        "old_answer": _province(result["reference"]),
    }


def _province(row: Any) -> dict[str, Any]:
    """A candidate's cost (province-equivalent), forest cover and feasibility."""
    return {
        COST: float(row[COST]) * PROVINCE_LAND_KM2 / float(row["land_area_km2"]),
        COVER: float(row[COVER]),
        "feasible": bool(row["constraint_violation"] <= 0),
    }


def _at_edge(posed: optimise.Problem, row: Any) -> list[str]:
    unit = posed.unit_of({f.name: row[f.name] for f in posed.levers})
    return [
        f"{f.name} at the {'lower' if u < 0.5 else 'upper'} end of its range"
        for f, u in zip(posed.levers, unit, strict=True)
        if min(u, 1 - u) < EDGE
    ]


def scenario_text(result: dict[str, Any]) -> str:
    """The fast_track_64 scenario file for the search's best mix."""
    best = result["best"]
    plan = load("plan14")
    chosen = {name: round(value, -2) for name, value in best["levers"].items()}  # whole 100 ha
    levers = {**plan.parameters, **chosen}
    body = "\n".join(f"{name} = {_toml(value)}" for name, value in levers.items())
    cost = best[COST] / 1000
    base = {name: float(plan.parameters.get(name, PARAMETERS[name].default)) for name in LEVERS}
    ratios = {name: chosen[name] / base[name] if base[name] else 0.0 for name in LEVERS}
    change_en = ", ".join(f"{LEVER_WORDS[n][0]} {ratios[n]:.0%} of the plan's" for n in LEVERS)
    change_zh = "，".join(f"{LEVER_WORDS[n][1]}为规划的 {ratios[n]:.0%}" for n in LEVERS)
    seeds = " and ".join(map(str, result["seeds"]))
    seeds_zh = " 和 ".join(map(str, result["seeds"]))
    spec = parse_grid(result["grid"])
    size = f"{spec.width} × {spec.height} km" if not spec.is_real else ""
    map_en = f"a synthetic {size} map" if size else f"the real map ({result['grid']})"
    map_zh = f"{size} 的合成地图" if size else f"真实地图（{result['grid']}）"
    return f"""[scenario]
name = "fast_track_64"
start_year = 2020
end_year = 2035
title_en = "Fast track to 64 %"
title_zh = "最快达到 64%"
description_en = "The cheapest mix of afforestation, Grain-for-Green and desertification treatment that the model finds reaching 64 % forest cover by 2025 in every seed (found by a multi-objective search, NSGA-II, on {map_en} with random seeds {seeds}; ranger force kept): about {cost:,.1f} bn yuan in 2021–25. Against the 14th Five-Year Plan: {change_en}. It buys forest cover, not less desertification: what it cuts shows in the desertified area and in households' Grain-for-Green income."
description_zh = "模型找到的、在每个随机种子下都能在 2025 年达到 64% 森林覆盖率的最省钱的造林、退耕还林和石漠化治理组合（在 {map_zh}上用随机种子 {seeds_zh} 以多目标搜索 NSGA-II 得到；护林员队伍保持不变）：2021—2025 年约 {cost * 10:,.0f} 亿元。与“十四五”规划相比：{change_zh}。它换来的是森林覆盖率，而不是更少的石漠化：削减的部分体现在石漠化面积和农户的退耕还林收入上。"
question_en = "What is the least the province must spend to be sure of 64 % by 2025, and on what?"
question_zh = "要确保 2025 年达到 64%，全省最少要花多少钱？钱该花在哪里？"

[parameters]
{body}
"""


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write(result: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scenario_text(result), "utf-8")
    return path
