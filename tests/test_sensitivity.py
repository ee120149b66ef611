"""Sensitivity indices from real sweeps: known answers from a model with known effects, the
shipped Morris example end to end, and clear refusals."""

from __future__ import annotations

import dataclasses
import sys

import cloudpickle
import numpy as np
import pandas as pd
import pytest
from cluster_helpers import local_cluster

from karstsim.experiments import sensitivity, sweep_design
from karstsim.experiments.cli import main
from karstsim.experiments.sweep import run_sweep

cloudpickle.register_pickle_by_value(sys.modules[__name__])


def known_effects(params, rng, *, scenario, grid, start_year, end_year):
    """Forest cover rises with treatment only; desertification depends on grazing only."""
    years = np.arange(start_year, end_year + 1)
    elapsed = years - start_year
    return pd.DataFrame(
        {
            "year": years,
            "forest_cover_pct": 60 + 2e-5 * params["treatment_ha_per_year"] * elapsed,
            "desertified_km2": 100 + 50 * params["grazing_pressure"] + 0 * elapsed,
            "carbon_stock_MtC": 5.0 + 0 * elapsed,
        }
    )


def design_text(sampler: str, samples: int, keep: str, replicates: int) -> str:
    return f"""
[sweep]
name = "known"
grid = "classroom"
years = "2020:2025"
sampler = "{sampler}"
samples = {samples}
replicates = {replicates}
seed = 3
keep = "{keep}"
[parameters]
treatment_ha_per_year = {{ range = [0, 300000] }}
grazing_pressure = {{ range = [0.2, 1.0] }}
enclosure_years = {{ range = [1, 10] }}
"""


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as local:
        yield local.scheduler_address


def known_sweep(cluster, folder, sampler, samples, keep="both", replicates=2):
    design = sweep_design.parse(design_text(sampler, samples, keep, replicates), origin="known")
    run_sweep(design, folder, scheduler=cluster, runner=known_effects, progress=False)
    return folder


def test_sobol_finds_the_one_parameter_behind_each_output(cluster, tmp_path, capsys):
    folder = known_sweep(cluster, tmp_path / "sobol", "sobol", 32, replicates=1)
    outputs = "forest_cover_pct@2025,desertified_km2@2022,carbon_stock_MtC"
    assert main(["sensitivity", str(folder), "--outputs", outputs]) == 0
    printed = capsys.readouterr().out
    forest = pd.read_csv(folder / "sensitivity" / "forest_cover_pct_2025.csv").set_index(
        "parameter"
    )
    assert forest.loc["treatment_ha_per_year", "S1"] == pytest.approx(1.0, abs=0.05)
    assert forest.loc["treatment_ha_per_year", "ST"] == pytest.approx(1.0, abs=0.05)
    assert forest.loc[["grazing_pressure", "enclosure_years"], "ST"].abs().max() < 0.02
    assert (forest["S1_conf"] >= 0).all() and forest.loc["treatment_ha_per_year", "role"] == "lever"
    desert = pd.read_csv(folder / "sensitivity" / "desertified_km2_2022.csv").set_index("parameter")
    assert desert.loc["grazing_pressure", "S1"] == pytest.approx(1.0, abs=0.05)
    pairs = pd.read_csv(folder / "sensitivity" / "forest_cover_pct_2025_S2.csv")
    assert len(pairs) == 3 and pairs["S2"].abs().max() < 0.1
    for name in ("forest_cover_pct_2025.png", "desertified_km2_2022.png", "summary.txt"):
        assert (folder / "sensitivity" / name).stat().st_size > 1000 or name == "summary.txt"
    assert "forest_cover_pct@2025: levers that matter: treatment_ha_per_year" in printed
    assert "desertified_km2@2022: uncertainties that matter: grazing_pressure" in printed
    assert "carbon_stock_MtC: does not vary in this sweep" in printed
    assert "treatment_ha_per_year: matters for forest_cover_pct@2025" in printed
    assert "enclosure_years: little effect on any of these outputs" in printed


def test_morris_gives_the_elementary_effects_of_a_linear_model(cluster, tmp_path):
    folder = known_sweep(cluster, tmp_path / "morris", "morris", 6)
    outputs = sensitivity.parse_outputs("forest_cover_pct@2025,desertified_km2")
    forest, desert = sensitivity.analyse(folder, outputs)
    table = forest.table.set_index("parameter")
    # a full-range change of treatment moves 2025 forest cover by 2e-5 × 300 000 × 5 = 30 points
    assert table.loc["treatment_ha_per_year", "mu_star"] == pytest.approx(30.0, rel=1e-6)
    assert table.loc["treatment_ha_per_year", "sigma"] == pytest.approx(0.0, abs=1e-6)
    assert table.loc[["grazing_pressure", "enclosure_years"], "mu_star"].max() == 0
    assert desert.table.set_index("parameter").loc["grazing_pressure", "mu_star"] == pytest.approx(
        40.0
    )
    assert [a.important()["parameter"].tolist() for a in (forest, desert)] == [
        ["treatment_ha_per_year"],
        ["grazing_pressure"],
    ]


def test_the_shipped_morris_example_gives_indices_and_figures(cluster, tmp_path, capsys):
    shipped = sweep_design.load("levers_morris")
    small = dataclasses.replace(shipped, grid="20x20", samples=2, end_year=2025)
    folder = tmp_path / "example"
    report = run_sweep(small, folder, scheduler=cluster, progress=False)
    assert report.failed == 0
    outputs = "forest_cover_pct@2025,desertified_km2@2023,treatment_cost_Myuan@2025"
    assert main(["sensitivity", str(folder), "--outputs", outputs]) == 0
    printed = capsys.readouterr().out
    assert "Morris indices of 3 output(s)" in printed and "By lever:" in printed
    for stem in ("forest_cover_pct_2025", "desertified_km2_2023", "treatment_cost_Myuan_2025"):
        table = pd.read_csv(folder / "sensitivity" / f"{stem}.csv")
        assert sorted(table["parameter"]) == sorted(shipped.factor_names)
        assert np.isfinite(table["mu_star"]).all() and (table["mu_star"] >= 0).all()
        assert (folder / "sensitivity" / f"{stem}.png").stat().st_size > 5000
    cost = pd.read_csv(folder / "sensitivity" / "treatment_cost_Myuan_2025.csv")
    assert cost.loc[0, "mu_star"] > 0
    assert "treatment_ha_per_year" in printed


def test_sweeps_that_cannot_give_indices_are_refused(cluster, tmp_path, capsys):
    lhs = known_sweep(cluster, tmp_path / "lhs", "latin_hypercube", 4)
    assert main(["sensitivity", str(lhs), "--outputs", "forest_cover_pct"]) == 2
    assert 'sampler = "sobol" or "morris"' in capsys.readouterr().err
    final = known_sweep(cluster, tmp_path / "final", "morris", 2, keep="final")
    assert main(["sensitivity", str(final), "--outputs", "forest_cover_pct@2023"]) == 2
    assert "kept only final (2025) values" in capsys.readouterr().err
    assert main(["sensitivity", str(final), "--outputs", "forest_cover_pct"]) == 0
    capsys.readouterr()
    for outputs, message in [
        ("forest@2025", "no output 'forest' in results.parquet; available: forest_cover_pct"),
        ("forest_cover_pct@20x5", "expected COLUMN or COLUMN@YEAR"),
        ("forest_cover_pct@2040", "the sweep ran 2020–2025"),
    ]:
        assert main(["sensitivity", str(final), "--outputs", outputs]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
    assert main(["sensitivity", str(tmp_path / "nothing"), "--outputs", "x"]) == 2
    assert "no sweep here" in capsys.readouterr().err


@pytest.mark.parametrize(
    "s1, s1_conf, st, st_conf, claimed",
    [
        (0.895, 0.410, 0.958, 0.347, False),  # the levers_sobol case of issue 26
        (0.30, 0.05, 0.60, 0.05, True),
        (0.30, 0.01, 0.33, 0.01, False),  # below SOBOL_INTERACTS however sure
    ],
)
def test_interactions_are_claimed_only_beyond_the_intervals(s1, s1_conf, st, st_conf, claimed):
    assert sensitivity.interacts(s1, s1_conf, st, st_conf) is claimed
