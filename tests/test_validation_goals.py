"""The shipped defaults still pass validation: a scaled check on the county grid."""

from __future__ import annotations

import pytest

from karstsim.experiments import validation


@pytest.fixture(scope="module")
def result():
    runs = validation.run_validation(seeds=(0, 1), grid="county")
    return validation.evaluate(runs)


@pytest.mark.parametrize("goal", [g.name for g in validation.GOALS])
def test_goal_is_met_by_the_shipped_defaults(result, goal):
    found = {g["name"]: g for g in result["goals"]}[goal]
    assert found["met"], (
        f"{goal}: observed {found['observed']}, simulated {found['simulated_mean']:.2f}; "
        "recalibrate with `karstsim calibrate` and update the defaults"
    )


def test_start_states_match_their_observations_exactly(result):
    starts = [c for c in result["comparisons"] if c["by_construction"]]
    assert starts
    for c in starts:
        assert c["simulated_mean"] == pytest.approx(c["observed"], rel=0.01), c
