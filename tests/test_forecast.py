"""The forecast: one ensemble of the posterior, policy delivery and seeds; its bands, its
ensemble and each target's probability with a Monte-Carlo interval."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from karstsim.experiments import forecast, targets
from karstsim.experiments.cli import main
from karstsim.experiments.run import run
from karstsim.model.parameters import InputError


def _posterior(tmp_path, text: str):
    path = tmp_path / "posterior.csv"
    path.write_text(text)
    return path


GOOD = (
    "afforestation_ha_per_year,afforestation_failure_prob,weight,distance,seed,"
    "forest_cover_pct@2020\n300000,0.2,0.75,2.1,1,59\n200000,0.3,0.25,2.2,2,58\n"
)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ((",weight,", ",not_a_parameter_xyz,"), "column 'not_a_parameter_xyz' is not a declared"),
        (
            ("300000,0.2", "abc,0.2"),
            "row 2, column afforestation_ha_per_year: 'abc' is not a number",
        ),
        (("0.2,0.75", "1.5,0.75"), "afforestation_failure_prob"),
    ],
)
def test_a_bad_posterior_is_a_one_line_error(tmp_path, capsys, edit, message):
    """An unknown column, a non-number and a value outside the declared range (status 2)."""
    path = _posterior(tmp_path, GOOD.replace(*edit))
    with pytest.raises(InputError, match=message):
        forecast.read_posterior(path)
    code = main(["forecast", "plan14", "--posterior", str(path), "--grid", "12x12",
                 "--out", str(tmp_path / "o")])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "posterior.csv" in err


def test_draws_follow_the_weights_and_levers_stay_in_the_past(tmp_path):
    posterior = forecast.read_posterior(_posterior(tmp_path, GOOD))
    draws = forecast.posterior_draws(posterior, 8)
    # systematic resampling: 0.75 and 0.25 of 8 draws exactly
    assert (draws["afforestation_ha_per_year"] == 300000).sum() == 6
    assert forecast.posterior_draws(posterior, 8).equals(draws)  # the same every time
    future = forecast.draw_overrides(draws, 2020)
    past = forecast.draw_overrides(draws, 2016)
    # the hindcast's fitted planting is the hindcast's lever only; the uncertainty carries
    assert "afforestation_ha_per_year" not in future[0]
    assert past[0]["afforestation_ha_per_year"] == 300000
    assert future[0]["afforestation_failure_prob"] == 0.2
    assert set(future[0]) >= {u.name for u in forecast.UNCERTAIN}


def test_a_declared_parameter_in_the_posterior_is_applied(tmp_path):
    """The issue's case: an extra grazing_pressure column of 0.1 and of 1.0 must not give
    the same runs (it used to be ignored)."""
    results = []
    for value in ("0.1", "1.0"):
        text = GOOD.replace(",weight,", ",grazing_pressure,weight,")
        text = text.replace(",0.75,", f",{value},0.75,").replace(",0.25,", f",{value},0.25,")
        posterior = forecast.read_posterior(_posterior(tmp_path, text))
        assert forecast.draw_overrides(posterior, 2020)[0]["grazing_pressure"] == float(value)
        runs = forecast.run_ensemble("plan14", posterior.head(1), 1, "12x12", 2022)
        results.append(runs.drop(columns=["draw", "seed"]))
    assert not results[0].equals(results[1])


def test_a_scenario_that_sets_an_uncertainty_keeps_it(tmp_path):
    """record's amounts are the reported ones: their delivery is not drawn."""
    from karstsim.model.scenario import load

    draws = forecast.read_posterior(_posterior(tmp_path, GOOD))
    record = load("record")
    assert record.parameters["planting_delivery_share"] == 1.0
    fixed = forecast.draw_overrides(draws, 2020, fixed=record.parameters)
    assert all("planting_delivery_share" not in o for o in fixed)
    assert all("planting_delivery_share" in o for o in forecast.draw_overrides(draws, 2020))


def test_a_weight_of_zero_is_never_drawn(tmp_path):
    path = _posterior(tmp_path, GOOD.replace("0.75,2.1", "0,2.1").replace("0.25,2.2", "1,2.2"))
    draws = forecast.posterior_draws(forecast.read_posterior(path), 5)
    assert set(draws["afforestation_ha_per_year"]) == {200000}


def test_the_uncertain_delivery_is_drawn_from_its_declared_distribution():
    draws = pd.DataFrame(forecast.uncertain_draws(600))
    share = draws["planting_delivery_share"]
    assert share.between(0.45, 1.1).all()
    # triangular(0.45, 1.0, 1.1): mean (0.45 + 1.0 + 1.1) / 3 = 0.85
    assert share.mean() == pytest.approx(0.85, rel=0.03)
    assert set(draws["afforestation_establish_years"]) == {3, 4, 5}
    assert forecast.uncertain_draws(5) == forecast.uncertain_draws(5)


def test_planting_delivery_plants_less():
    """Half the lever delivered: about half the new planting (county map, common seed)."""
    full = run({}, 3, scenario="plan14", grid="county", end_year=2022)
    half = run({"planting_delivery_share": 0.5}, 3, scenario="plan14", grid="county", end_year=2022)
    gained = full["afforested_km2_cum"].iloc[-1], half["afforested_km2_cum"].iloc[-1]
    assert gained[1] < 0.8 * gained[0]


def test_the_interval_of_a_probability_is_jeffreys():
    # 3 of 10: Beta(3.5, 7.5) quantiles 5 % and 95 %
    low, high = forecast.probability_interval(3, 10)
    assert low == pytest.approx(stats.beta.ppf(0.05, 3.5, 7.5))
    assert high == pytest.approx(stats.beta.ppf(0.95, 3.5, 7.5))
    # all met: the upper bound is 1 and the lower one below it
    low, high = forecast.probability_interval(12, 12)
    assert high == 1.0 and low == pytest.approx(stats.beta.ppf(0.05, 12.5, 0.5))


def test_a_probability_counts_runs_and_its_interval_counts_draws():
    runs = pd.DataFrame(
        {
            "draw": [0, 0, 0, 0, 1, 1],
            "seed": [0, 0, 1, 1, 2, 2],
            "year": [2024, 2025] * 3,
            "forest_cover_pct": [63.0, 64.5, 63.0, 63.5, 62.0, 63.5],
            "area_scale": 1.0,
        }
    )
    p = forecast.probabilities(runs)["forest_cover_64"]
    assert p["probability"] == pytest.approx(1 / 3) and p["runs"] == 3 and p["draws"] == 2
    # draw 0 met in one seed of two (0.5), draw 1 not: 0.5 successes of 2 draws
    assert p["interval_90"] == pytest.approx(list(forecast.probability_interval(0.5, 2)))


def test_an_area_target_short_by_a_fraction_of_a_cell_is_met():
    """806 whole cells against a scaled 806.1 km²: met (the map treats whole cells); 790: not."""
    scale = 806.1 / 3550
    for treated, met in ((806.0, True), (790.0, False)):
        runs = pd.DataFrame({"year": [2020, 2025], "treated_km2_cum": [0.0, treated]})
        target = next(t for t in targets.PLAN_TARGETS if t.key == "desert_treatment_3550")
        year = targets.first_met(runs, target, scale)
        assert (year == 2025) is met


def test_forecast_writes_every_output_every_region_and_the_ensemble(tmp_path, capsys):
    import xarray as xr

    out = tmp_path / "fc"
    assert main(["forecast", "plan14", "--draws", "3", "--seeds-per-draw", "2", "--grid",
                 "classroom", "--end", "2025", "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "6 runs (3 posterior draws × 2 seeds" in printed
    assert "P(forest cover ≥ 64 % by 2025 (binding)) =" in printed and "90 % interval" in printed
    bands = pd.read_csv(out / "forecast_bands.csv", dtype={"region": str})
    on_map = bands[bands["level"] == "map"]
    runs = xr.load_dataset(out / "ensemble.nc")
    declared = {str(v) for v in runs.data_vars if not str(v).endswith("_by_region")}
    assert set(on_map["output"]) >= declared - {"area_scale", "year"}
    assert (bands["p5"] <= bands["p50"] + 1e-9).all() and (
        bands["p50"] <= bands["p95"] + 1e-9
    ).all()
    regional = bands[bands["level"] != "map"]
    assert not regional.empty and set(regional["region"]) == {"520400"}  # Anshun
    assert bands.index[bands["level"] == "map"].max() < regional.index.min()  # map rows first
    assert runs.sizes["run"] == 6 and "forest_cover_pct_by_region" in runs
    info = json.loads((out / "forecast.json").read_text())
    assert info["grid"] == "classroom" and info["map"] == "not the province"
    assert "soil_conservation_78" not in info["probabilities"]  # 2035: after the runs' end
    entry = info["probabilities"]["forest_cover_64"]
    assert entry["interval_90"][0] <= entry["probability"] <= entry["interval_90"][1]
    assert set(info["uncertain"]) == {u.name for u in forecast.UNCERTAIN}


def test_forecast_runs_on_the_province_unless_told():
    assert forecast.DEFAULT_GRID == "province"
    with pytest.raises(SystemExit):
        main(["forecast", "--help"])


def test_forecast_states_growth_and_sink_beside_the_plan():
    posterior = forecast.posterior_draws(forecast.read_posterior(None), 2)
    runs = forecast.run_ensemble("plan14", posterior, seeds_per_draw=1, grid="county")
    growth = forecast.growth_and_sink(runs)
    assert growth["runs"] == 2
    assert growth["growing_stock_start_Mm3"]["p50"] == pytest.approx(609.0, rel=0.02)
    # 0.46 × 1.4 × 0.47 × (1.24 + 0.12) tC/m³ × 44/12
    assert growth["tCO2_per_m3_all_pools"] == pytest.approx(
        0.46 * 1.4 * 0.47 * 1.36 * 44 / 12, rel=1e-6
    )
    end = growth["growing_stock_end_Mm3"]
    assert end["p5"] <= end["p50"] <= end["p95"]
    assert growth["sink_MtCO2"]["p50"] > 0
    assert np.isfinite(growth["harvest_Mm3"]["p50"])
