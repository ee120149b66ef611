"""The parameter declaration and the process registry's contracts."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.model import parameters
from karstsim.model.layers import LAYERS
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


def test_processes_write_only_what_they_declare():
    model = KarstModel("plan14", rng=3, grid="30x30")
    model.step()
    for process in model.processes:
        assert set(process.writes) <= set(LAYERS)
        assert set(process.reads) <= set(LAYERS)
        before = model.landscape.copy()
        process.run_one_year(model.landscape, np.random.default_rng(1))
        changed = {n for n in LAYERS if not np.array_equal(before[n], model.landscape[n])}
        assert changed <= set(process.writes), (type(process).__name__, changed)


@pytest.mark.parametrize("name", [p.name for p in PARAMETERS.values() if p.kind != "bool"])
def test_every_parameter_changes_the_results(name):
    """A parameter with no effect is a bug: moving each one to an end of its range must
    change something in a short run (or, for the landscape ones, the start state)."""
    p = PARAMETERS[name]
    other = p.high if p.default != p.high else p.low
    if name in ("grass_years", "shrub_years", "forest_years"):
        other = {"grass_years": 2.0, "shrub_years": 6.5, "forest_years": 60.0}[name]
    busy = {"afforestation_ha_per_year": 200_000, "treatment_ha_per_year": 400_000}
    base = KarstModel("plan14", rng=5, grid="40x40", **busy)
    changed = KarstModel("plan14", rng=5, grid="40x40", **{**busy, name: other})
    base.run_until(2026)
    changed.run_until(2026)
    a, b = base.results(), changed.results()
    assert not a.equals(b), name
