"""The README's example of policies × uncertainties, scenario discovery and optimisation
runs end to end: its commands as written, on a smaller map and with fewer draws."""

from __future__ import annotations

import json
import re
import shlex
from importlib import resources
from pathlib import Path

import pytest
import xarray as xr

from karstsim.experiments.cli import main

README = Path(__file__).parents[1] / "README.md"
SMALLER = {'grid = "county"': 'grid = "40x40"', "samples = 64": "samples = 16"}


def example_commands() -> list[list[str]]:
    """The ``karstsim`` commands between the README's example markers."""
    text = README.read_text("utf-8")
    block = re.search(r"<!-- example: xlrm -->\n```bash\n(.*?)```", text, flags=re.S)
    assert block, "the README lost its example"
    lines = block[1].replace("\\\n", " ").splitlines()
    return [shlex.split(line.split(".venv/bin/karstsim ", 1)[1]) for line in lines if line]


def smaller_design(folder: Path) -> Path:
    text = (resources.files("karstsim") / "designs" / "policies_xlrm.toml").read_text("utf-8")
    for old, new in SMALLER.items():
        assert old in text
        text = text.replace(old, new)
    path = folder / "policies_xlrm.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_readme_example_runs_end_to_end(
    thread_cluster, tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    sweep, discover, optimise = example_commands()
    assert sweep[:2] == ["sweep", "policies_xlrm"] and discover[0] == "discover"
    sweep[1] = str(smaller_design(tmp_path))
    assert main([*sweep, "--scheduler", thread_cluster]) == 0
    with xr.open_dataset(tmp_path / "results" / "xlrm" / "ensemble.nc") as ds:
        assert dict(ds.sizes) == {"run": 3 * 16, "year": 6}
        assert sorted(set(ds["policy"].values)) == ["fast_track", "more_afforestation", "plan14"]
    assert main(discover) == 0
    found = json.loads((tmp_path / "results/xlrm/discover/discover.json").read_text("utf-8"))
    assert found["cases"] == 16 and 0 < found["coverage"] <= 1 and 0 < found["density"] <= 1
    small = ["--grid", "20x20", "--population", "4", "--generations", "1"]
    assert main([*optimise, *small, "--scheduler", thread_cluster]) == 0
    printed = capsys.readouterr().out
    assert "Pareto front of" in printed and "plan14's levers" in printed
    assert (tmp_path / "results" / "optimise" / "front.csv").is_file()
