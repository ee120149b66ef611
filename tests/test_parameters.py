"""The parameter declaration and the process registry's contracts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from karstsim import KarstModel
from karstsim.model import parameters
from karstsim.model.layers import LAYERS, Landscape
from karstsim.model.parameters import PARAMETERS, ParameterError


@pytest.mark.parametrize("p", PARAMETERS.values(), ids=lambda p: p.name)
def test_every_parameter_is_documented_and_its_default_valid(p):
    assert p.unit and p.description and p.source and p.group in parameters.GROUPS
    assert p.source.startswith(("[F]", "[D]", "[M]", "[E]")), p.source
    assert p.coerce(p.default) == p.default
    assert p.role in ("lever", "uncertainty")


def test_unknown_parameter_suggests_close_names():
    with pytest.raises(ParameterError, match="did you mean treatment_ha_per_year"):
        parameters.resolve({"treatment_ha_per_yr": 1})


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("treatment_ha_per_year", -5, "out of range; allowed: 0 to 500,000 ha/yr"),
        ("grazing_pressure", "abc", "not a valid float"),
        ("enclosure_years", 2.5, "not a valid int"),
        ("grazing_ban_severe", "maybe", "true or false"),
        ("grazing_pressure", "nan", "not a valid float"),
    ],
)
def test_bad_values_name_the_parameter_and_the_allowed_range(name, value, message):
    with pytest.raises(ParameterError, match=message) as info:
        parameters.resolve({name: value})
    assert name in str(info.value)


def test_strings_from_the_command_line_are_converted():
    values = parameters.resolve(
        {"enclosure_years": "4", "grazing_ban_severe": "false", "grazing_pressure": "0.5"}
    )
    assert values["enclosure_years"] == 4 and values["grazing_ban_severe"] is False
    assert values["grazing_pressure"] == 0.5


def test_succession_stages_must_be_ordered():
    with pytest.raises(ParameterError, match="grass_years < shrub_years < forest_years"):
        parameters.resolve({"shrub_years": 25, "forest_years": 20})


def test_markdown_lists_every_parameter():
    table = parameters.markdown_table()
    for name in PARAMETERS:
        assert f"`{name}`" in table


def test_processes_touch_only_what_they_declare(monkeypatch):
    model = KarstModel("plan14", rng=3, grid="30x30")
    model.step()
    for process in model.processes:
        assert set(process.writes) <= set(LAYERS)
        assert set(process.reads) <= set(LAYERS)
        before = model.landscape.copy()
        accessed: set[str] = set()
        original = Landscape.__getitem__

        def recording(self, name, accessed=accessed, original=original):
            accessed.add(name)
            return original(self, name)

        monkeypatch.setattr(Landscape, "__getitem__", recording)
        process.run_one_year(model.landscape, np.random.default_rng(1))
        monkeypatch.setattr(Landscape, "__getitem__", original)
        changed = {n for n in LAYERS if not np.array_equal(before[n], model.landscape[n])}
        name = type(process).__name__
        assert changed <= set(process.writes), (name, changed)
        assert accessed <= set(process.reads) | set(process.writes), (name, accessed)


BUSY = {
    "afforestation_ha_per_year": 200_000,
    "treatment_ha_per_year": 400_000,
    "moderate_afforestation_share": 0.5,
    "legacy_restoration_ha_per_year": 20_000,
    "wetland_restoration_ha_per_year": 20_000,  # issue 13: plan14 restores none
    "wetland_reclamation_rate": 0.05,
    "relocation_people_per_year": 100_000,  # issue 13: plan14 relocates no one
    "carbon_credit_issuance_share": 0.5,  # issue 13: plan14 issues no programme credits
}


def _short_run(**values) -> pd.DataFrame:
    model = KarstModel("plan14", rng=5, grid="60x60", **values)
    model.run_to_year(2026)
    return model.results()


@pytest.mark.parametrize("name", [p.name for p in PARAMETERS.values() if p.kind != "bool"])
def test_every_parameter_changes_the_results(name):
    """A parameter with no effect is a bug: moving it to an end of its range must change
    something in a short, busy run (budget shares are tested in total-budget mode)."""
    p = PARAMETERS[name]
    busy = {**BUSY, "total_budget_mode": p.group == "budget"}
    if name.startswith("young_"):  # young plantations exist only if planting takes > 1 year
        busy["afforestation_establish_years"] = 3
    if name == "grass_years":  # busy planting takes all grassland: let some regrow instead
        busy["afforestation_ha_per_year"] = 0
    if name == "dispersal_distance_km":  # gaps matter only where old forest is fragmented
        busy["habitat_min_age_yr"] = 45.0
    busy.pop(name, None)
    base = _short_run(**busy)
    ends = {"grass_years": (2.0,), "shrub_years": (6.5,), "forest_years": (60.0,)}.get(
        name, (p.low, p.high)
    )
    changed = [
        not base.equals(_short_run(**busy, **{name: end})) for end in ends if end != p.default
    ]
    assert any(changed), name
