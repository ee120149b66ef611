"""The README's "Calibrating with your own data", run as written: its observations file,
a copy of the shipped calibration file, and its three commands (on the Anshun map, whose
prefecture the regional row names, with a small sampler)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pandas as pd

from karstsim.experiments.calibration_setup import shipped_config
from karstsim.experiments.cli import main

README = Path(__file__).parents[1] / "README.md"


def section() -> str:
    text = README.read_text("utf-8")
    start = text.index("### Calibrating with your own data")
    return text[start : text.index("\n### ", start + 1)]


def commands(block: str) -> list[list[str]]:
    """The README block's karstsim command lines as argument lists."""
    return [
        shlex.split(line.split(".venv/bin/karstsim ", 1)[1])
        for line in block.splitlines()
        if line.startswith(".venv/bin/karstsim ")
    ]


def test_the_readme_calibration_runs_as_written(tmp_path, monkeypatch, capsys):
    block = re.search(r"```bash\n(.*?)```", section(), flags=re.S).group(1)
    observations = re.search(r"<<'EOF'\n(.*?)\nEOF", block, flags=re.S).group(1)
    assert "cp karstsim/data/calibration.toml my.toml" in block
    monkeypatch.chdir(tmp_path)
    Path("my.csv").write_text(observations + "\n", "utf-8")
    shutil.copyfile(shipped_config(), "my.toml")
    config = Path("my.toml").read_text("utf-8")
    small = re.sub(r"population_size = \d+", "population_size = 6", config)
    Path("my.toml").write_text(re.sub(r"max_populations = \d+", "max_populations = 1", small))
    calibrate, resume, forecast = commands(block)
    assert calibrate[-1] == "results/my_cal" and "--resume" in resume
    assert main([*calibrate, "--grid", "520400", "--quiet"]) == 0
    posterior = pd.read_csv("results/my_cal/posterior.csv")
    assert len(posterior) == 6 and "forest_cover_pct@2019@520400" in posterior
    # a finished calibration continues after raising max_populations
    Path("my.toml").write_text(re.sub(r"max_populations = \d+", "max_populations = 2", small))
    assert main([*resume, "--grid", "520400", "--quiet"]) == 0
    info = json.loads(Path("results/my_cal/calibration.json").read_text("utf-8"))
    assert len(info["populations"]) == 2 and info["workers"] == 2
    assert {t["region"] for t in info["setup"]["targets"] if "region" in t} == {"520400"}
    capsys.readouterr()
    assert main([*forecast, "--grid", "520400", "--draws", "2", "--seeds-per-draw", "1",
                 "--end", "2021"]) == 0  # fmt: skip
    assert "2 runs (2 posterior draws × 1 seeds" in capsys.readouterr().out
    assert Path("results/my_fc/forecast_bands.csv").is_file()
