"""Lever optimisation finds the known Pareto front of a small problem (Schaffer's: minimise
x² and (x − 2)², front x in [0, 2]) through the whole pipeline of runs on Dask workers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from karstsim.experiments import objectives, optimise
from karstsim.experiments.cli import main
from karstsim.experiments.discover import parse_target
from karstsim.model import scenario
from karstsim.model.parameters import InputError

SCALE = 100_000.0  # treatment_ha_per_year / SCALE = x


def schaffer(params, rng, start_year, end_year, **spec):
    x = params["treatment_ha_per_year"] / SCALE
    years = list(range(start_year, end_year + 1))
    return pd.DataFrame(
        {"year": years, "f1": [x**2] * len(years), "score": [-((x - 2) ** 2)] * len(years)}
    )


def problem(constraints=()) -> optimise.Problem:
    return optimise.Problem(
        scenario=scenario.load("plan14"),
        grid="10x10",
        start_year=2020,
        end_year=2021,
        levers=(
            optimise.lever("treatment_ha_per_year", (0, 4 * SCALE)),
            optimise.lever("rangers", (0, 1000)),
        ),
        objectives=tuple(objectives.parse("min:f1@2021,max:score@2021", (2020, 2021))),
        members=optimise.members([0, 1]),
        constraints=constraints,
    )


def test_nsga2_finds_the_known_front(thread_cluster) -> None:
    result = optimise.optimise(
        problem(),
        population=24,
        generations=15,
        seed=1,
        scheduler=thread_cluster,
        runner=schaffer,
        reference={"treatment_ha_per_year": 3 * SCALE, "rangers": 500},
    )
    front = result["front"]
    x = front["treatment_ha_per_year"].to_numpy() / SCALE
    assert len(front) >= 8
    assert ((x > -1e-9) & (x < 2.05)).all()
    f1, f2 = front["min:f1@2021"].to_numpy(), -front["max:score@2021"].to_numpy()
    np.testing.assert_allclose(f2, (np.sqrt(f1) - 2) ** 2, atol=1e-9)
    assert f1.min() < 0.2 and f1.max() > 3.0  # spread along the front, not one corner
    assert result["reference_dominated"] and not result["reference_on_front"]
    assert len(result["evaluations"]) == 24 * 15


def test_a_constraint_keeps_the_front_inside_it(thread_cluster) -> None:
    limited = problem(constraints=(parse_target("f1@2021 <= 1"),))
    result = optimise.optimise(
        limited, population=12, generations=6, seed=2, scheduler=thread_cluster, runner=schaffer
    )
    assert len(result["front"]) and (result["front"]["min:f1@2021"] <= 1 + 1e-9).all()


def test_the_search_starts_from_the_reference(thread_cluster) -> None:
    optimal = {"treatment_ha_per_year": 1 * SCALE, "rangers": 7}  # x = 1: on the known front
    result = optimise.optimise(
        problem(),
        population=6,
        generations=1,
        seed=3,
        scheduler=thread_cluster,
        runner=schaffer,
        reference=optimal,
    )
    assert result["evaluations"].iloc[0]["treatment_ha_per_year"] == 1 * SCALE
    assert result["reference_on_front"] and not result["reference_dominated"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("forest_cover", "give at least two"),
        ("forest_cover,cheap", "'cheap' is not an objective"),
        ("forest_cover,min:budget_spent_Myuan@2021-2040", "the runs go 2020–2035"),
    ],
)
def test_a_wrong_objective_is_named(text: str, message: str) -> None:
    with pytest.raises(objectives.ObjectiveError, match=message):
        objectives.parse(text, (2020, 2035))


def test_only_levers_are_optimised() -> None:
    with pytest.raises(InputError, match="--levers: grazing_pressure is an uncertainty"):
        optimise.lever("grazing_pressure")


def test_the_command_writes_the_front_and_compares_the_reference(
    thread_cluster, tmp_path, capsys
) -> None:
    out = tmp_path / "opt"
    argv = [
        "optimise",
        "--levers",
        "treatment_ha_per_year=0:200000",
        "--objectives",
        "public_cost,max:forest_cover_pct@2022",  # public cost: 2021–22
        "--grid",
        "10x10",
        "--years",
        "2020:2022",
        "--seeds",
        "1",
        "--population",
        "4",
        "--generations",
        "1",
        "--scheduler",
        thread_cluster,
        "--out",
        str(out),
    ]
    assert main([*argv[:4], "public_cost,forest_cover", *argv[5:]]) == 2
    err = capsys.readouterr().err.strip()
    assert "'forest_cover' (max:forest_cover_pct@2025)" in err and len(err.splitlines()) == 1
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "Pareto front of" in printed and "plan14's levers" in printed
    front = pd.read_csv(out / "front.csv")
    assert {"treatment_ha_per_year", "public_cost", "max:forest_cover_pct@2022"} <= set(front)
    info = json.loads((out / "optimise.json").read_text("utf-8"))
    assert info["evaluated"] == 4 and info["provenance"]["versions"]["numpy"]
    assert (out / "front.png").stat().st_size > 1000
    with xr.open_dataset(out / "evaluations.nc") as ds:
        assert ds.sizes["candidate"] == 4 and int(ds["on_front"].sum()) == len(front)


def test_fast_track_is_a_preset_of_optimise() -> None:
    from karstsim.experiments import fast_track

    posed = fast_track.problem([0, 1], "8x8")
    bounds = {f.name: (f.low, f.high) for f in posed.levers}
    plan = scenario.load("plan14").parameters
    assert bounds["afforestation_ha_per_year"] == (0.0, 3 * plan["afforestation_ha_per_year"])
    assert bounds["treatment_ha_per_year"] == (0.0, 2 * plan["treatment_ha_per_year"])
    assert [c.label for c in posed.constraints] == ["forest_cover_pct@2025 >= 64"]
    assert [o.label for o in posed.objectives] == [
        "min budget_spent_Myuan@2021-2025 (sum)",
        "max forest_cover_pct@2025",
    ]
    low_corner = {"afforestation_ha_per_year": 0.0, "gfg_quota_ha_per_year": 1.0}
    row = {**low_corner, "treatment_ha_per_year": 71000.0}
    assert fast_track._at_edge(posed, row) == [
        "afforestation_ha_per_year at the lower end of its range",
        "gfg_quota_ha_per_year at the lower end of its range",
    ]


@pytest.mark.parametrize(
    "dominated, on_front, old_cost, said",
    [
        (True, False, 24000.0, "dominated by the front found"),
        (False, True, 24000.0, "the mix above costs 1,500 M yuan less for 0.30 points less"),
        (False, True, 22000.0, "and the cheapest mix found"),
    ],
)
def test_fast_track_says_how_its_answer_compares_with_the_old_one(
    tmp_path, monkeypatch, capsys, dominated, on_front, old_cost, said
) -> None:
    from karstsim.experiments import fast_track

    levers = dict.fromkeys(fast_track.LEVERS, 1000.0)
    best = {"levers": levers, fast_track.COST: 22500.0, fast_track.COVER: 64.4, "at_edge": []}
    old = {fast_track.COST: old_cost, fast_track.COVER: 64.7, "feasible": True}
    canned = {
        "grid": "8x8",
        "seeds": [0, 1],
        "candidates": [],
        "best": best,
        "old_answer": old,
        "old_answer_dominated": dominated,
        "old_answer_on_front": on_front,
    }
    monkeypatch.setattr(fast_track, "search", lambda *args, **kwargs: canned)
    out = tmp_path / "fast.toml"
    assert main(["fast-track", "--grid", "8x8", "--out", str(out)]) == 0
    assert said in capsys.readouterr().out
    assert "afforestation_ha_per_year = 1000" in out.read_text("utf-8")


def test_posterior_draws_times_seeds_are_the_ensemble_of_a_robust_search() -> None:
    from karstsim.experiments.cli import build_parser
    from karstsim.experiments.explore_cli import problem_from

    argv = ["optimise", "--levers", "treatment_ha_per_year", "--objectives"]
    argv += ["public_cost,forest_cover", "--posterior", "--draws", "3", "--seeds", "2"]
    posed = problem_from(build_parser()[0].parse_args(argv))
    assert [seed for seed, _ in posed.members] == [0, 1, 1000, 1001, 2000, 2001]
    draws = [draw for _, draw in posed.members]
    assert draws[0] == draws[1] != draws[2] and len(draws[0]) > 3
    assert posed.levers[0].low == 0 and posed.start_year == 2020
