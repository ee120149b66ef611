"""ABC calibration on the past only, and the forecast ensemble."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from karstsim.experiments import calibration, forecast
from karstsim.experiments.cli import main
from karstsim.experiments.observations import Observation, load_observations
from karstsim.model.parameters import InputError


def test_calibration_uses_the_past_only():
    """No observation after 2020 enters a calibration target, though the record has some."""
    record = load_observations()
    assert any(o.year > 2020 for o in record)  # the test would catch a leak
    chosen = calibration.targets()
    assert chosen and all(o.year <= calibration.CALIBRATION_CUTOFF_YEAR for o in chosen)
    assert {(o.column, o.year) for o in chosen} == {
        ("forest_cover_pct", y) for y in (2017, 2018, 2019, 2020)
    }


def test_a_late_observation_is_refused_as_target(monkeypatch):
    """Even if the hindcast ran past 2020, a later observation could not become a target."""
    monkeypatch.setattr(calibration, "HINDCAST_YEARS", (2017, 2021))
    with pytest.raises(InputError, match="out-of-sample validation only"):
        calibration.targets([Observation("forest_cover_pct", 2021, 62.12, "F", "test")])


def test_priors_are_the_declared_ranges_or_tighter_with_a_source():
    for prior in calibration.PRIORS:
        low, high = prior.bounds
        assert low == prior.parameter.low
        assert high <= prior.parameter.high
    # new planting 2016–20 cannot exceed all afforestation and forest management (2 988 万亩)
    assert calibration.PRIORS[0].bounds[1] == pytest.approx(2988e4 / 15 / 5)


def test_distance_is_the_rms_of_standardised_errors():
    record = [Observation("forest_cover_pct", 2017, 55.0, "F", ""),
              Observation("forest_cover_pct", 2018, 57.0, "F", "")]  # fmt: skip
    assert calibration.distance([56.0, 55.0], record) == pytest.approx(np.sqrt((1 + 4) / 2))


def test_the_14th_plan_planting_follows_the_2021_record():
    share = 0.5
    values = {calibration.PRIORS[0].name: share * calibration.YINGZAOLIN_2016_20_HA_YR}
    planted = calibration.afforestation_2021_25(values)["afforestation_ha_per_year"]
    assert planted == pytest.approx(share * 361e4 / 15)


def test_calibrate_and_forecast_end_to_end(tmp_path, capsys):
    out = tmp_path / "cal"
    assert main(["calibrate", "--draws", "6", "--accept", "0.5", "--grid", "12x12",
                 "--out", str(out)]) == 0  # fmt: skip
    posterior = pd.read_csv(out / "posterior.csv")
    prior = pd.read_csv(out / "prior_draws.csv")
    assert len(posterior) == 3 and len(prior) == 6
    # the accepted draws are the closest ones
    assert posterior["distance"].max() <= prior["distance"].nsmallest(3).max() + 1e-12
    info = json.loads((out / "calibration.json").read_text())
    assert info["cutoff_year"] == 2020 and info["accepted"] == 3
    assert (out / "posterior.png").stat().st_size > 10_000
    capsys.readouterr()
    fc = tmp_path / "fc"
    assert main(["forecast", "plan14", "--posterior", str(out / "posterior.csv"),
                 "--seeds-per-draw", "2", "--grid", "12x12", "--end", "2026",
                 "--out", str(fc)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "6 runs (3 posterior draws × 2 seeds)" in printed
    assert "P(forest cover ≥ 64 % by 2025 (binding)) =" in printed
    result = json.loads((fc / "forecast.json").read_text())
    assert result["ensemble_size"] == 6
    probability = result["probabilities"]["forest_cover_64"]["probability"]
    assert probability in {k / 6 for k in range(7)}
    bands = pd.read_csv(fc / "forecast_bands.csv")
    rows = bands[bands["output"] == "forest_cover_pct"]
    assert (rows["p5"] <= rows["p50"]).all() and (rows["p50"] <= rows["p95"]).all()
    assert set(rows["year"]) == set(range(2020, 2027))


def test_forecast_probability_counts_runs():
    runs = pd.DataFrame(
        {
            "draw": [0, 0, 1, 1],
            "seed": [0, 0, 1, 1],
            "year": [2024, 2025, 2024, 2025],
            "forest_cover_pct": [63.0, 64.5, 62.0, 63.5],
            "area_scale": 1.0,
        }
    )
    p = forecast.probabilities(runs)["forest_cover_64"]
    assert p["probability"] == 0.5 and p["runs"] == 2


def test_a_bad_posterior_is_one_line(tmp_path, capsys):
    bad = tmp_path / "p.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["forecast", "plan14", "--posterior", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "p.csv" in err and "karstsim calibrate" in err


def test_an_area_target_short_by_a_fraction_of_a_cell_is_met():
    """806 whole cells against a scaled 806.1 km²: met (the map treats whole cells); 790: not."""
    from karstsim.experiments import targets

    scale = 806.1 / 3550
    for treated, met in ((806.0, True), (790.0, False)):
        runs = pd.DataFrame({"year": [2020, 2025], "treated_km2_cum": [0.0, treated]})
        treated = next(t for t in targets.PLAN_TARGETS if t.key == "desert_treatment_3550")
        year = targets.first_met(runs, treated, scale)
        assert (year == 2025) is met


def test_unconstrained_parameters_are_drawn_from_their_priors():
    draws = forecast.prior_draws(400)
    volume = np.array([d["stand_volume_max_m3_ha"] for d in draws])
    assert volume.min() >= 120.0 and volume.max() <= 300.0
    # triangular(120, 180, 300): mean (120 + 180 + 300) / 3 = 200
    assert volume.mean() == pytest.approx(200.0, rel=0.05)
    assert forecast.prior_draws(5) == forecast.prior_draws(5)


def test_forecast_states_growth_and_sink_beside_the_plan():
    posterior = forecast.read_posterior(None).head(2)
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


def test_the_fitted_2016_20_planting_is_the_hindcast_lever_only():
    """The posterior's 2016–20 planting drives the hindcast; a 2020 scenario keeps its own
    afforestation lever and takes only the uncertainties."""
    from karstsim.experiments import calibration

    values = {prior.name: 1.0 for prior in calibration.PRIORS}
    values[calibration.PRIORS[0].name] = 300_000.0
    overrides = calibration.scenario_overrides(values)
    assert overrides[calibration.HINDCAST]["afforestation_ha_per_year"] == 300_000.0
    assert "afforestation_ha_per_year" not in overrides["2020"]
    assert overrides["2020"]["afforestation_failure_prob"] == 1.0
