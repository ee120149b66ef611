"""The shipped defaults still pass validation: a scaled check on the county grid."""

from __future__ import annotations

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
    assert {"plan14 forest cover 2021", "plan14 desertified area 2022"} <= {
        g["name"] for g in result["goals"] if g["sample"] == "out-of-sample"
    }


def test_start_states_match_their_observations_exactly(result):
    starts = [c for c in result["comparisons"] if c["by_construction"]]
    assert starts
    for c in starts:
        assert c["simulated_mean"] == pytest.approx(c["observed"], rel=0.01), c
