"""The shipped defaults still pass validation: a scaled check on the county grid."""

from __future__ import annotations

import pandas as pd
import pytest

from karstsim.experiments import validation


@pytest.fixture(scope="module")
def result():
    runs = validation.run_validation(seeds=(0, 1), grid="county")
    return validation.evaluate(runs)


IN_SAMPLE = [
    g.name
    for g in validation.GOALS
    if validation.sample_of(g.scenario, g.column, g.year).startswith("in-sample")
]


@pytest.mark.parametrize("goal", IN_SAMPLE)
def test_in_sample_goal_is_met_by_the_shipped_defaults(result, goal):
    """What the calibration and the start states fitted must still hold (else recalibrate)."""
    found = {g["name"]: g for g in result["goals"]}[goal]
    assert found["met"], (
        f"{goal}: observed {found['observed']}, simulated {found['simulated_mean']:.2f}; "
        "recalibrate with `karstsim calibrate` and update the defaults"
    )


def test_every_goal_is_labelled_and_later_ones_are_out_of_sample(result):
    """Out-of-sample goals are reported, met or not, never fitted."""
    for goal in result["goals"]:
        assert goal["sample"]
        if goal["year"] > 2020:
            assert goal["sample"] == "out-of-sample", goal["name"]
    assert {"plan14 forest cover 2021", "record forest cover 2024"} <= {
        g["name"] for g in result["goals"] if g["sample"] == "out-of-sample"
    }


def test_start_states_match_their_observations_exactly(result):
    starts = [c for c in result["comparisons"] if c["by_construction"]]
    assert starts
    for c in starts:
        assert c["simulated_mean"] == pytest.approx(c["observed"], rel=0.01), c


def test_observation_error_widens_the_tolerance_and_the_report_says_so(monkeypatch):
    """A method change is observation error: 15 % tolerance and a 10 % (1σ) observation
    error give √(0.15² + 0.20²) = 25 %; a model 20 % off is then met, but not within the
    model's own tolerance."""
    goal = validation.Goal("test goal", "record", "desertified_km2", 2022, 15_500.0, 0.15, True)
    monkeypatch.setattr(validation, "GOALS", (goal,))
    desertified = [o for o in validation.load_observations() if o.column == "desertified_km2"]
    monkeypatch.setattr(validation, "load_observations", lambda: desertified)
    frame = pd.DataFrame({"year": [2022, 2022], "desertified_km2_province": [18_600.0, 18_600.0]})
    result = validation.evaluate({"record": frame, "hindcast13": frame, "plan14": frame})
    (row,) = result["goals"]
    assert validation.observation_error("desertified_km2", 2022) == 0.10
    assert row["tolerance_with_observation_error"] == pytest.approx(0.25)
    assert row["relative_error"] == pytest.approx(0.20)
    assert row["met"] and not row["met_model_tolerance"]
