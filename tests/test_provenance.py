"""Manifests record where results came from: commit, library versions, the scenario and
design text, and the seeds."""

from __future__ import annotations

import subprocess
from importlib import metadata, resources
from pathlib import Path

from karstsim.experiments import provenance, sweep_design
from karstsim.experiments.sweep_manifest import prepare
from karstsim.experiments.sweep_store import SweepStore

DESIGN = """
[sweep]
name = "traced"
scenario = "plan14"
grid = "10x10"
years = "2020:2021"
sampler = "latin_hypercube"
samples = 2
replicates = 3
seed = 11

[parameters]
grazing_pressure = { range = [0.4, 1.0] }
"""
ROOT = Path(__file__).resolve().parents[1]


def test_a_new_sweeps_manifest_records_code_inputs_and_seeds(tmp_path: Path) -> None:
    path = tmp_path / "design.toml"
    path.write_text(DESIGN, "utf-8")
    design = sweep_design.load(path)
    store = SweepStore(tmp_path / "sweep")
    store.folder.mkdir()
    prepare(design, store, resume=False, design_file=path, progress=False)
    record = store.read_manifest()["provenance"]
    assert record["seeds"] == [11, 12, 13]
    assert record["design_text"] == DESIGN
    plan14 = (resources.files("karstsim") / "scenarios" / "plan14.toml").read_text("utf-8")
    assert record["scenario_text"] == plan14
    for name in ("mesa", "numpy", "pandas", "karstsim"):
        assert record["versions"][name] == metadata.version(name)
    assert record["versions"]["python"].count(".") == 2
    if (ROOT / ".git").exists():
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        assert record["git"]["commit"] == head


def test_outside_a_checkout_there_is_no_commit(tmp_path: Path) -> None:
    assert provenance.git_commit(tmp_path) is None


def test_a_scenario_file_is_recorded_by_its_text(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n', "utf-8")
    assert provenance.scenario_text(path) == 'name = "mine"\n'
    assert provenance.scenario_text(None) is None


def test_a_forecast_records_its_provenance_and_its_ensemble(tmp_path: Path) -> None:
    import json

    import xarray as xr

    from karstsim.experiments.cli import main

    out = tmp_path / "fc"
    argv = ["forecast", "plan14", "--draws", "2", "--seeds-per-draw", "2", "--grid", "10x10"]
    assert main([*argv, "--end", "2022", "--out", str(out)]) == 0
    record = json.loads((out / "forecast.json").read_text("utf-8"))["provenance"]
    assert record["seeds"] == [0, 1, 1000, 1001]
    assert record["versions"]["numpy"] == metadata.version("numpy")
    with xr.open_dataset(out / "ensemble.nc") as ds:
        assert dict(ds.sizes) == {"run": 4, "year": 3}
        assert list(ds["seed"].values) == [0, 1, 1000, 1001]
