"""Scenario discovery: PRIM recovers a box planted in a sweep's uncertainties."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from karstsim.experiments import discover, sweep_design
from karstsim.experiments.cli import main
from karstsim.experiments.sweep import run_sweep

BOX = {"grazing_pressure": (0.6, 0.9), "afforestation_failure_prob": (0.05, 0.2)}
DESIGN = """
[sweep]
name = "planted"
scenario = "plan14"
grid = "10x10"
years = "2020:2025"
sampler = "latin_hypercube"
samples = 300
seed = 9
keep = "yearly"

[parameters]
grazing_pressure = { range = [0.3, 1.0] }
afforestation_failure_prob = { range = [0.0, 0.5] }
stand_volume_k_per_yr = { range = [0.015, 0.045] }
erosion_base_t_km2_yr = { range = [1000, 5000] }
"""


def in_box(params) -> bool:
    return all(low <= params[name] <= high for name, (low, high) in BOX.items())


def planted(params, rng, start_year, end_year, **spec):
    """Forest cover misses 64 % exactly inside BOX."""
    years = range(start_year, end_year + 1)
    final = 60.0 if in_box(params) else 66.0
    return pd.DataFrame(
        {"year": list(years), "forest_cover_pct": [61.5] * (len(years) - 1) + [final]}
    )


@pytest.fixture(scope="module")
def sweep(thread_cluster, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("planted") / "sweep"
    design = sweep_design.parse(DESIGN, origin="planted")
    run_sweep(
        design, folder, scheduler=thread_cluster, runner=planted, chunk_size=50, progress=False
    )
    return folder


def test_prim_recovers_the_planted_box(sweep: Path) -> None:
    found = discover.discover(sweep, discover.parse_target("forest_cover_pct@2025 < 64"))
    assert found.coverage > 0.8 and found.density > 0.8
    limits = found.limits.set_index("input")
    assert set(limits.index) == set(BOX)
    for name, (low, high) in BOX.items():
        span = limits.loc[name, "full_high"] - limits.loc[name, "full_low"]
        assert (
            abs(limits.loc[name, "low"] - low) < 0.1 * span or low <= limits.loc[name, "full_low"]
        )
        assert abs(limits.loc[name, "high"] - high) < 0.1 * span
    assert found.trajectory["coverage"].iloc[0] == 1.0
    assert found.trajectory["density"].iloc[0] == pytest.approx(found.marked / found.cases)


def test_the_command_writes_the_table_and_figures(
    sweep: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "found"
    assert (
        main(["discover", str(sweep), "--target", "forest_cover_pct@2025 < 64", "--out", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "coverage" in printed and "density" in printed and "grazing_pressure" in printed
    names = {p.name for p in out.iterdir()}
    assert {"trajectory.csv", "box.csv", "discover.json", "tradeoff.png", "box.png"} <= names
    trajectory = pd.read_csv(out / "trajectory.csv")
    assert {"coverage", "density", "res_dim"} <= set(trajectory.columns) and len(trajectory) > 3


def test_a_quantile_target_takes_the_worst_runs(sweep: Path) -> None:
    target = discover.parse_target("forest_cover_pct@2025 < q0.5")
    found = discover.discover(sweep, target)
    x, values, _, _ = discover.cases(sweep, target)
    assert found.marked == int((values < 66).sum()) == int(x.apply(in_box, axis=1).sum())
    assert "50 % quantile" in found.note


@pytest.mark.parametrize(
    "target, message",
    [
        ("forest_cover_pct@2025 = 64", "expected OUTPUT@YEAR OP NUMBER"),
        ("forest_cover_pct@2030 < 64", "the sweep ran 2020–2025"),
        ("no_such_output@2025 < 64", "no output 'no_such_output'"),
        ("forest_cover_pct@2025 < 10", "no run of the sweep meets it"),
        ("forest_cover_pct@2025 < q1.5", "a quantile is between 0 and 1"),
    ],
)
def test_a_target_that_cannot_be_used_is_one_line(
    sweep: Path, target: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["discover", str(sweep), "--target", target, "--out", str(sweep.parent / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
