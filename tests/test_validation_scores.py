"""CRPS, skill and the band test of validation, on numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim.experiments.validation_scores import (
    BEATS,
    DOES_NOT_BEAT,
    crps_ensemble,
    crps_point,
    inside_band,
    score,
    skill,
)


def test_crps_of_an_ensemble_worked_by_hand():
    """Members 1, 2, 4 against 3: E|X − y| = (2 + 1 + 1) / 3 = 4/3; the nine pairs differ
    by 0, 1, 3, 1, 0, 2, 3, 2, 0, so E|X − X′| = 12/9 and half of it is 2/3: CRPS 2/3."""
    assert crps_ensemble(np.array([1.0, 2.0, 4.0]), 3.0) == pytest.approx(2 / 3)


def test_crps_of_one_member_is_its_absolute_error():
    assert crps_ensemble(np.array([5.0]), 2.0) == pytest.approx(3.0) == crps_point(5.0, 2.0)


def test_crps_equals_the_integral_of_the_squared_distribution_gap():
    """∫ (F(t) − 1{t ≥ y})² dt with F the ensemble's step function, integrated finely."""
    members = np.random.default_rng(3).normal(10.0, 2.0, 7)
    observed = 11.0
    grid = np.linspace(0.0, 20.0, 400_001)
    cdf = (members[None, :] <= grid[:, None]).mean(axis=1)
    gap = (cdf - (grid >= observed)) ** 2
    integral = float(np.sum(gap[:-1] * np.diff(grid)))
    assert crps_ensemble(members, observed) == pytest.approx(integral, abs=1e-3)


def test_crps_needs_members():
    with pytest.raises(ValueError, match="no ensemble members"):
        crps_ensemble(np.array([]), 1.0)


def test_skill_score():
    assert skill(1.0, 2.0) == pytest.approx(0.5)
    assert skill(2.0, 2.0) == pytest.approx(0.0)
    assert skill(3.0, 2.0) == pytest.approx(-0.5)
    assert skill(0.0, 0.0) is None


def test_band_is_the_5_to_95_percent_quantiles():
    members = np.arange(101.0)  # quantiles 5 and 95
    assert inside_band(members, 5.0) and inside_band(members, 95.0)
    assert not inside_band(members, 4.9) and not inside_band(members, 95.1)


def test_score_against_an_ensemble_null_and_a_point_null():
    """Model 1, 2, 4 (CRPS 2/3) against 3; null ensemble 3, 3 (CRPS 0) wins; persistence
    at 1 (CRPS 2) loses: skill 1 − (2/3) / 2 = 2/3."""
    found = score(np.array([1.0, 2.0, 4.0]), 3.0, {"null": np.array([3.0, 3.0])}, {"flat": 1.0})
    assert found["crps_model"] == pytest.approx(2 / 3)
    assert found["nulls"]["null"] == {
        "crps": 0.0,
        "skill": None,
        "verdict": DOES_NOT_BEAT,
        "forecast": 3.0,
    }
    assert found["nulls"]["flat"]["skill"] == pytest.approx(2 / 3)
    assert found["nulls"]["flat"]["verdict"] == BEATS
    assert found["nulls"]["flat"]["forecast"] == 1.0
    assert found["inside_band"] and not found["beats_every_null"]


def test_a_tie_does_not_beat_the_null():
    found = score(np.array([2.0]), 3.0, {}, {"same": 2.0})
    assert found["nulls"]["same"]["verdict"] == DOES_NOT_BEAT
