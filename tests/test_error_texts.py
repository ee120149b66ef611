"""Every user-facing error of the model has a Chinese text, and the web app's Chinese page
shows it; the command line prints the English one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from karstsim.experiments.run import RunSpec, parse_years
from karstsim.model import parameters, scenario
from karstsim.model.grid import parse_grid
from karstsim.model.initial_states import start_state
from karstsim.model.loading import read_layers
from karstsim.model.parameters import InputError

PACKAGE = Path(__file__).parents[1] / "karstsim"
CJK = re.compile(r"[\u4e00-\u9fff]")
ERROR_CLASSES = {"InputError", "ParameterError", "LandscapeFileError"}
"""The model's user-facing error classes (the web app shows their messages)."""


def model_sources() -> list[Path]:
    """The modules whose errors can reach the web app."""
    return [
        *sorted((PACKAGE / "model").rglob("*.py")),
        PACKAGE / "experiments" / "run.py",
        *(p for p in sorted((PACKAGE / "viz").rglob("*.py")) if p.name != "cli.py"),
    ]  # viz/cli.py: the errors of the ``viz`` command, printed by the command line


def raised_errors(path: Path) -> list[ast.Call]:
    calls = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ERROR_CLASSES:
                calls.append(node.exc)
    return calls


def test_every_raised_error_carries_a_chinese_text():
    missing = []
    for path in model_sources():
        for call in raised_errors(path):
            zh = next((k.value for k in call.keywords if k.arg == "zh"), None)
            text = "" if zh is None else ast.unparse(zh)
            if not (CJK.search(text) or ".text('zh')" in text):  # Chinese, or composed of it
                missing.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert not missing, missing
    assert sum(len(raised_errors(path)) for path in model_sources()) >= 25


def layer_folder(tmp_path: Path, **arrays) -> Path:
    folder = tmp_path / "layers"
    folder.mkdir(parents=True)
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array)
    return folder


def bad_inputs(tmp_path: Path):
    """One way to trigger each user-facing error of the model."""
    good = {
        name: np.ones((6, 6))
        for name in ("elevation_m", "slope_deg", "carbonate", "soil_depth_cm", "village")
    }
    good["land_cover"] = np.ones((6, 6))
    good["bedrock_exposure"] = np.zeros((6, 6))
    toml = tmp_path / "bad.toml"
    yield lambda: parameters.get("grazing_presure")
    yield lambda: parameters.get("grazing_pressure").coerce("lots")
    yield lambda: parameters.get("grazing_pressure").coerce(7)
    yield lambda: parameters.resolve({"grass_years": 15, "shrub_years": 6})
    yield lambda: parameters.resolve({"total_budget_mode": True, **_zero_shares()})
    yield lambda: parse_grid("huge")
    yield lambda: parse_grid("3x3")
    yield lambda: start_state(2018)
    yield lambda: parse_years("20x0")
    yield lambda: RunSpec(scenario="plan14", start_year=2035, end_year=2020).resolved_scenario()
    yield lambda: scenario.load("nope")
    yield lambda: scenario.load(tmp_path / "missing.toml")
    yield lambda: (toml.write_text("[parameters\n"), scenario.load(toml))
    yield lambda: (toml.write_text("[other]\n"), scenario.load(toml))
    yield lambda: (toml.write_text("[parameters]\ngrazing_pressure = 9\n"), scenario.load(toml))
    yield lambda: (toml.write_text("[scenario]\nstart_year = 'x'\n"), scenario.load(toml))
    yield lambda: read_layers(tmp_path / "nowhere")
    yield lambda: read_layers(layer_folder(tmp_path / "a", elevation_m=np.ones((2, 2))))
    yield lambda: read_layers(layer_folder(tmp_path / "b", **{**good, "slope_deg": np.ones(6)}))
    yield lambda: read_layers(
        layer_folder(tmp_path / "c", **{**good, "slope_deg": np.ones((5, 6))})
    )
    yield lambda: read_layers(
        layer_folder(tmp_path / "d", **{**good, "slope_deg": np.full((6, 6), "x")})
    )
    yield lambda: read_layers(
        layer_folder(tmp_path / "e", **{**good, "carbonate": np.full((6, 6), 5.0)})
    )
    no_village = {k: v for k, v in good.items() if k != "village"}
    yield lambda: read_layers(layer_folder(tmp_path / "f", **no_village))
    broken = layer_folder(tmp_path / "g", **good)
    yield lambda: ((broken / "slope_deg.npy").write_bytes(b"not numpy"), read_layers(broken))


def _zero_shares() -> dict[str, float]:
    return {name: 0.0 for name in parameters.PARAMETERS if name.startswith("share_")}


def test_each_error_of_the_model_reads_in_english_and_in_chinese(tmp_path):
    seen = 0
    for trigger in bad_inputs(tmp_path):
        with pytest.raises(InputError) as raised:
            trigger()
        error = raised.value
        assert error.text("en") == str(error) and not CJK.search(str(error)), str(error)
        assert CJK.search(error.text("zh")), f"no Chinese text for: {error}"
        seen += 1
    assert seen >= 24


def test_the_app_shows_the_chinese_text_on_the_chinese_page():
    from karstsim.viz.controller import Controller

    controller = Controller(grid="10x10")
    controller.set_grid("300x300")
    controller.set_value("A", "grazing_pressure", 7)
    controller.set_seed(-4)  # shown beside the map's: a bad seed stops the runs until fixed
    for lang, script in (("zh", CJK), ("en", None)):
        messages = [message for _, message in controller.errors(lang)]
        assert len(messages) == 3
        for message in messages:
            assert bool(CJK.search(message)) == (script is not None), message
