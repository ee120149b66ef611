"""The output declaration against everything that makes or reads outputs (drift tests).

An output added in one place only fails here: in the model's measurements without a
declaration, in the declaration without the README/ODD table regenerated, or as a column
name in a consumer (figures, compare, validation, the app) that nobody declares.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from karstsim.experiments import compare, figures, odd, validation
from karstsim.experiments.observations import PROVINCE_SCALED
from karstsim.experiments.run import RunSpec, run, simulate, summary
from karstsim.model import outputs
from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import LAYERS
from karstsim.model.parameters import PARAMETERS

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def small_model() -> KarstModel:
    model = KarstModel("plan14", rng=2, grid="30x30")
    model.run_to_year(2022)
    return model


def test_results_columns_are_the_declared_outputs_in_order(small_model):
    assert tuple(small_model.results().columns) == outputs.NAMES


def test_the_pure_run_that_sweeps_call_returns_the_declared_columns():
    """Sweeps store what ``run`` returns: their outputs follow the declaration."""
    table = run({}, 4, grid="20x20", end_year=2021)
    assert tuple(table.columns) == outputs.NAMES
    assert list(table["year"]) == [2020, 2021]


def test_every_measured_value_is_a_declared_output(small_model):
    """A new indicator computed by the model but not declared would be lost: fail."""
    measures = small_model.measures
    measured = {*measures.land, *measures.households, *measures.mines, *measures.flows}
    measured |= set(measures.livestock)
    assert measured <= set(outputs.NAMES), sorted(measured - set(outputs.NAMES))


def test_the_datacollector_is_mesas_and_holds_the_results(small_model):
    frame = small_model.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(frame, small_model.results())
    assert len(frame) == 3  # 2020, 2021, 2022


def test_reporters_read_the_measurements(small_model):
    row = small_model.results().iloc[-1]
    for output in outputs.OUTPUTS:
        assert output.reporter(small_model) == pytest.approx(row[output.name]), output.name


def test_budget_spent_is_the_sum_of_the_spending_outputs(small_model):
    table = small_model.results()
    total = table[list(outputs.SPENDING)].sum(axis=1)
    assert (table["budget_spent_Myuan"] - total).abs().max() < 1e-9
    assert table["budget_spent_Myuan"].iloc[-1] > 0  # the plan spends every year


def test_declaration_is_well_formed():
    assert len(set(outputs.NAMES)) == len(outputs.NAMES)
    for o in outputs.OUTPUTS:
        assert o.unit and o.description and o.group, o.name
        assert o.better in ("higher", "lower", None), o.name
    assert outputs.NAMES[0] == "year"
    # outputs named like a parameter get an _output suffix in sweeps; no new ones unnoticed
    assert set(outputs.NAMES) & set(PARAMETERS) == {"rangers", "mine_jobs", "mine_revenue_Myuan"}


def test_plan_targets_name_declared_outputs():
    for target in outputs.PLAN_TARGETS:
        assert target.column in outputs.OUTPUT_BY_NAME, target.key
        assert outputs.OUTPUT_BY_NAME[target.column].better == "higher", target.key
    assert outputs.FOREST_COVER_TARGET.threshold == 64.0
    assert outputs.FOREST_COVER_TARGET.line_label == "64 % target (2025)"


def test_consumers_take_their_numbers_from_the_declaration():
    from karstsim.experiments import fast_track

    assert outputs.FOREST_COVER_TARGET.threshold == figures.FOREST_TARGET_PCT
    assert outputs.FOREST_COVER_TARGET.threshold == fast_track.TARGET_PCT
    assert outputs.FOREST_COVER_TARGET.deadline == fast_track.TARGET_YEAR
    assert [o.name for o in compare.KEY_OUTPUTS] == [o.name for o in outputs.KEY_OUTPUTS]


def test_validation_goals_and_province_scaled_columns_are_declared():
    assert {g.column for g in validation.GOALS} <= set(outputs.NAMES)
    assert set(PROVINCE_SCALED) <= set(outputs.NAMES)


def test_app_cards_show_declared_outputs():
    from karstsim.viz.cards import CARDS

    columns = {column for column, *_ in CARDS.values() if column}
    assert columns <= set(outputs.NAMES)


UNIT_SUFFIX = re.compile(r"^[a-z][a-z0-9_]*_(pct|km2|MtC|Mm3|Myuan|yuan|MtCO2|Mt|ha|cum|share)$")
CONSUMERS = (
    "karstsim/experiments/figures.py",
    "karstsim/experiments/compare.py",
    "karstsim/experiments/validation.py",
    "karstsim/experiments/validation_relations.py",
    "karstsim/experiments/validation_report.py",
    "karstsim/experiments/calibration.py",
    "karstsim/experiments/fast_track.py",
    "karstsim/experiments/ensemble.py",
    "karstsim/viz/charts.py",
    "karstsim/viz/cards.py",
    "karstsim/viz/controller.py",
)


NOT_MODEL_OUTPUTS = {"cost_2021_25_Myuan", "forest_cover_2025_pct"}
"""Keys of a consumer's own results (the fast-track search's cost of a lever mix)."""


@pytest.mark.parametrize("path", CONSUMERS)
def test_column_names_in_consumers_are_declared_outputs(path):
    """A string shaped like an output column (``…_pct``, ``…_km2``, ``…_Myuan``, …) in a
    consumer is a declared output (or its ``_province`` form), a parameter or a layer."""
    tree = ast.parse((ROOT / path).read_text("utf-8"))
    known = set(outputs.NAMES) | set(PARAMETERS) | set(LAYERS)
    known |= {f"{name}_province" for name in PROVINCE_SCALED}
    strings = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    columns = {
        s.removesuffix("_province")
        for s in strings
        if UNIT_SUFFIX.match(s) and not s.startswith("unit_")  # the app's unit texts
    }
    columns -= NOT_MODEL_OUTPUTS
    assert columns <= known, sorted(columns - known)


def test_summary_has_every_output_with_its_unit(small_model):
    info = summary(small_model, RunSpec(scenario="plan14", grid="30x30", seed=2))
    assert tuple(info["final"]) == outputs.NAMES
    assert info["units"]["forest_cover_pct"] == "%"
    assert info["final"]["year"] == 2022
    assert json.loads(json.dumps(info))["targets"]["forest_cover_64"]["threshold"] == 64.0


@pytest.mark.parametrize("document", ["docs/ODD.md", "README.md"])
def test_output_tables_in_the_docs_match_the_declaration(document):
    text = (ROOT / document).read_text("utf-8")
    assert odd.outputs_up_to_date(text), (
        f"{document}: the output table differs from karstsim/model/outputs.py; regenerate it "
        "with: .venv/bin/python scripts/update_odd.py"
    )
    for name in outputs.NAMES:
        assert f"| `{name}` |" in text, name


def test_an_output_added_to_the_declaration_only_makes_the_docs_stale(monkeypatch):
    text = (ROOT / "README.md").read_text("utf-8")
    extra = outputs.Output("new_output_km2", "km²", "a new output", "land", None, lambda m: 0.0)
    monkeypatch.setattr(outputs, "OUTPUTS", (*outputs.OUTPUTS, extra))
    assert not odd.outputs_up_to_date(text)


def test_simulate_ends_at_the_scenario_end_year():
    model = simulate(RunSpec(scenario="plan14", grid="20x20", end_year=2023, seed=1))
    assert model.year == 2023
    assert not model.running
    assert list(model.results()["year"]) == [2020, 2021, 2022, 2023]
