"""The shipped defaults still pass validation: a scaled check on the county grid."""

from __future__ import annotations

import pandas as pd
import pytest

from karstsim.experiments import validation
from karstsim.experiments import validation_relations as relations
from karstsim.experiments.ensemble import value_at
from karstsim.experiments.validation_scores import crps_ensemble


def frames(values: dict[str, float | list[float]], years=range(2016, 2026)) -> pd.DataFrame:
    """A runs table of two seeds holding each column's value (or per-seed values) in every
    year."""
    rows = []
    for seed in (0, 1):
        for year in years:
            row = {"seed": seed, "year": year}
            for column, value in values.items():
                row[column] = value[seed] if isinstance(value, list) else value
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def runs():
    return validation.run_validation(seeds=(0, 1), grid="county")


@pytest.fixture(scope="module")
def result(runs):
    return validation.evaluate(runs)


FITTED = {relations.CALIBRATION_TARGET, relations.START_STATE}
IN_SAMPLE = [
    g.name
    for g in validation.GOALS
    if validation.relation(g.scenario, g.column, g.year)["relation"] in FITTED
    and (g.column, g.year) not in relations.FITTED_PARAMETERS
]
"""Goals a fit or a start state made on their own run: a parameter set by hand on the 2020
start state is checked on it (tests/test_generator.py: the soil-conservation rate), not on
the hindcast's end."""


@pytest.mark.parametrize("goal", IN_SAMPLE)
def test_in_sample_goal_is_met_by_the_shipped_defaults(result, goal):
    """What the calibration and the start states fitted must still hold (else recalibrate)."""
    found = {g["name"]: g for g in result["goals"]}[goal]
    assert found["met"], (
        f"{goal}: observed {found['observed']}, simulated {found['simulated_mean']:.2f}; "
        "recalibrate with `karstsim calibrate` and update the defaults"
    )


def test_every_goal_is_labelled_and_later_ones_are_out_of_sample_unless_a_start_state(result):
    """Goals after 2020 are out-of-sample, reported met or not, except the 2022 desertified
    area, which was interpolated into the 2020 start state."""
    for goal in result["goals"]:
        assert goal["relation"] in relations.RELATIONS
        if goal["year"] > 2020:
            expected = (
                relations.START_STATE
                if goal["column"] == "desertified_km2"
                else relations.OUT_OF_SAMPLE
            )
            assert goal["relation"] == expected, goal["name"]
    assert {"plan14 forest cover 2021", "record forest cover 2024"} <= {
        g["name"] for g in result["goals"] if g["relation"] == relations.OUT_OF_SAMPLE
    }


def test_start_states_match_their_observations_exactly(result):
    starts = [c for c in result["comparisons"] if c["at_start"]]
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
    frame = frames({"desertified_km2_province": 18_600.0})
    result = validation.evaluate({name: frame for name in (*validation.RUNS, validation.NULL)})
    (row,) = result["goals"]
    assert validation.observation_error("desertified_km2", 2022) == 0.10
    assert row["tolerance_with_observation_error"] == pytest.approx(0.25)
    assert row["relative_error"] == pytest.approx(0.20)
    assert row["met"] and not row["met_model_tolerance"]


def test_every_row_obeys_the_start_state_rule(result):
    """No row whose observation built a start state is out-of-sample; every out-of-sample
    row is after 2020 and scored, every other row is not."""
    built = relations.start_state_sources()
    for row in result["goals"] + result["comparisons"]:
        key = (row["column"], row["year"])
        assert row["relation"] in relations.RELATIONS, row
        if key in built:
            assert row["relation"] != relations.OUT_OF_SAMPLE, row
        if row["relation"] == relations.OUT_OF_SAMPLE:
            assert row["year"] > 2020 and row["scores"] is not None, row
        else:
            assert row["scores"] is None, row


def test_out_of_sample_rows_are_scored_against_both_nulls(runs, result):
    """On the county grid: the model's CRPS is the ensemble's, no_new_policy is scored over
    the same seeds and persistence is the run's own 2020 value."""
    scored = [c for c in result["comparisons"] if c["scores"]]
    assert {(c["scenario"], c["column"], c["year"]) for c in scored} >= {
        ("plan14", "forest_cover_pct", 2021),
        ("record", "forest_cover_pct", 2024),
    }
    for c in scored:
        found = c["scores"]
        assert set(found["nulls"]) == {validation.NULL, validation.PERSISTENCE}
        persistence = found["nulls"][validation.PERSISTENCE]
        start = value_at(runs[c["scenario"]], c["column"], 2020)
        assert persistence["forecast"] == pytest.approx(start.mean())
        null = value_at(runs[validation.NULL], c["column"], c["year"])
        assert found["nulls"][validation.NULL]["crps"] == pytest.approx(
            crps_ensemble(null, c["observed"])
        )
        model = value_at(runs[c["scenario"]], c["column"], c["year"])
        assert found["crps_model"] == pytest.approx(crps_ensemble(model, c["observed"]))
        assert persistence["crps"] == pytest.approx(abs(persistence["forecast"] - c["observed"]))
        assert found["inside_band"] == (c["simulated_p5"] <= c["observed"] <= c["simulated_p95"])
        for null in found["nulls"].values():
            beats = found["crps_model"] < null["crps"]
            assert null["verdict"] == ("beats the null" if beats else "does not beat the null")


def test_a_null_that_wins_and_a_record_outside_the_band_are_listed_as_failures(monkeypatch):
    """Hand-made runs against the record's 62.12 % of 2021: the model's seeds give 60.12
    and 61.12 (CRPS: mean error (2 + 1) / 2 = 1.5 less half the mean spread over the four
    pairs, ½ · (0 + 1 + 1 + 0) / 4 = 0.25: 1.25), the null's 62.12 in both (CRPS 0) and the
    start value is 61.5 (CRPS 0.62): the record is outside the model's band and both nulls
    win; the goal (±1.5, widened by the observation's error) is met by the null too."""
    forest = [o for o in validation.load_observations() if o.column == "forest_cover_pct"]
    record_2021 = next(o for o in forest if o.year == 2021)
    monkeypatch.setattr(validation, "load_observations", lambda: [record_2021])
    goal = validation.Goal("forest 2021", "plan14", "forest_cover_pct", 2021, 62.12, 1.5, False)
    monkeypatch.setattr(validation, "GOALS", (goal,))
    model = frames({"forest_cover_pct": 61.5}, years=[2020]).pipe(
        lambda start: pd.concat([start, frames({"forest_cover_pct": [60.12, 61.12]}, [2021])])
    )
    null = frames({"forest_cover_pct": 62.12}, years=[2020, 2021])
    runs = {"hindcast13": null, "plan14": model, "record": model, validation.NULL: null}
    result = validation.evaluate(runs)
    row = next(c for c in result["comparisons"] if c["scenario"] == "plan14")
    found = row["scores"]
    assert found["crps_model"] == pytest.approx(1.25)
    assert found["nulls"][validation.NULL]["crps"] == pytest.approx(0.0)
    assert found["nulls"][validation.NULL]["skill"] is None
    assert found["nulls"][validation.PERSISTENCE]["crps"] == pytest.approx(0.62)
    assert found["nulls"][validation.PERSISTENCE]["skill"] == pytest.approx(1 - 1.25 / 0.62)
    assert not found["inside_band"] and not found["beats_every_null"]
    failed = {f["row"]: f["reasons"] for f in result["failures"]}
    reasons = " ".join(failed["plan14 forest_cover_pct 2021"])
    assert "outside the 90 % band" in reasons
    assert "does not beat no_new_policy" in reasons and "does not beat persistence" in reasons
    (goal_row,) = result["goals"]
    assert goal_row["met"] and goal_row["null_meets"]
    assert failed["forest 2021"] == ["no_new_policy meets it too: it cannot tell policies apart"]
