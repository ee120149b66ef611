"""A factor that changes nothing under the scenario it is swept in is reported, and the
shipped designs spend no factor on one."""

from __future__ import annotations

from pathlib import Path

import pytest

from karstsim.experiments import design_check, sweep_design
from karstsim.experiments.cli import main

DESIGN = """
[sweep]
name = "with_an_inert_lever"
scenario = "plan14"
grid = "20x20"
years = "2020:2024"
sampler = "sobol"
samples = 8
seed = 1

[parameters]
treatment_ha_per_year = { range = [0, 300000] }
grazing_ban_severe = {}
"""


def test_a_lever_without_effect_under_its_scenario_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "design.toml"
    path.write_text(DESIGN, "utf-8")
    assert main(["design-check", str(path)]) == 1
    printed = capsys.readouterr().out
    assert "grazing_ban_severe (False → True): NO EFFECT" in printed
    assert "1 factor(s) change nothing under plan14: grazing_ban_severe" in printed
    assert "treatment_ha_per_year (0.0 → 300000.0): changes" in printed


def test_the_shipped_sobol_design_varies_only_levers_that_act() -> None:
    design = sweep_design.load("levers_sobol")
    inert = [e.name for e in design_check.effects(design) if e.inert]
    assert inert == []
    assert len(design.factors) == 5
