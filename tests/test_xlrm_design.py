"""XLRM designs: named policies (lever sets, scenarios, a lever sample) crossed with a
sample of uncertainties, every policy on the same futures with the same seeds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from karstsim.experiments import sweep_design
from karstsim.experiments.sweep import run_sweep
from karstsim.experiments.sweep_policies import PolicyError
from karstsim.model import parameters

HEAD = """
[sweep]
name = "xlrm"
scenario = "plan14"
grid = "10x10"
years = "2020:2022"
sampler = "latin_hypercube"
samples = 3
replicates = 2
seed = 4
keep = "final"
"""
POLICIES = """
[policies]
plan14 = {}
plan14_again = {}
double = { treatment_ha_per_year = 142000 }
none = { scenario = "no_new_policy" }

[policy_sample]
samples = 2
levers = { rangers = { range = [0, 300000] } }
"""
FUTURES = """
[parameters]
grazing_pressure = { range = [0.4, 1.0] }
afforestation_failure_prob = { range = [0.05, 0.4] }
"""
UNCERTAIN = ["grazing_pressure", "afforestation_failure_prob"]


def load(tmp_path: Path, text: str) -> sweep_design.Design:
    path = tmp_path / "xlrm.toml"
    path.write_text(text, "utf-8")
    return sweep_design.load(path)


def test_every_policy_runs_on_the_same_futures_with_the_same_seeds(tmp_path: Path) -> None:
    design = load(tmp_path, HEAD + POLICIES + FUTURES)
    table = design.sample()
    assert design.runs == len(table) == 6 * 3 * 2
    names = ["plan14", "plan14_again", "double", "none", "lever_sample_0", "lever_sample_1"]
    assert list(table["policy"].unique()) == names
    futures = [
        part[["sample", "replicate", "seed", *UNCERTAIN]].reset_index(drop=True)
        for _, part in table.groupby("policy", sort=False)
    ]
    for other in futures[1:]:
        pd.testing.assert_frame_equal(futures[0], other)
    by_policy = table.drop_duplicates("policy").set_index("policy")
    assert by_policy.loc["double", "treatment_ha_per_year"] == 142000
    assert by_policy.loc["plan14", "treatment_ha_per_year"] == 71000
    assert by_policy.loc["none", "rangers"] == 0
    sampled = by_policy.loc[["lever_sample_0", "lever_sample_1"], "rangers"]
    assert sampled.between(0, 300000).all() and sampled.nunique() == 2
    row = table[table["policy"] == "double"].iloc[0].to_dict()
    assert design.run_parameters(row)["treatment_ha_per_year"] == 142000


def test_a_scenario_policy_takes_the_scenarios_levers_only(tmp_path: Path) -> None:
    design = load(tmp_path, HEAD + POLICIES + FUTURES)
    none = next(p for p in design.policies if p.name == "none")
    assert none.levers and all(parameters.get(n).role == "lever" for n in none.levers)
    assert none.levers["treatment_ha_per_year"] == 0


@pytest.mark.parametrize(
    "text, error, message",
    [
        (
            HEAD + POLICIES + FUTURES + "rangers = { range = [0, 1000] }\n",
            sweep_design.DesignError,
            "rangers: a lever, but a design with policies samples uncertainties only",
        ),
        (
            HEAD + "[policies]\nbad = { grazing_pressure = 0.5 }\n" + FUTURES,
            PolicyError,
            "grazing_pressure is an uncertainty, not a lever",
        ),
        (
            HEAD.replace("latin_hypercube", "morris") + POLICIES + FUTURES,
            sweep_design.DesignError,
            "a design with policies samples its uncertainties with latin_hypercube",
        ),
        (
            HEAD + "[policies]\nbad = 3\n" + FUTURES,
            PolicyError,
            r"\[policies\] bad: must be a table",
        ),
    ],
)
def test_a_wrong_policy_design_names_the_entry(
    tmp_path: Path, text: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        load(tmp_path, text)


def test_the_same_policy_twice_gives_the_same_results(thread_cluster, tmp_path: Path) -> None:
    text = HEAD.replace("samples = 3", "samples = 2").replace("replicates = 2", "replicates = 1")
    policies = '[policies]\na = {}\nb = {}\nnone = { scenario = "no_new_policy" }\n'
    design = load(tmp_path, text + policies + FUTURES)
    run_sweep(design, tmp_path / "sweep", scheduler=thread_cluster, progress=False)
    results = pd.read_parquet(tmp_path / "sweep" / "results.parquet").sort_values("run_id")
    output = results.set_index(["policy", "sample"])["treated_km2_cum"]
    pd.testing.assert_series_equal(output.loc["a"], output.loc["b"])
    assert (output.loc["none"] < output.loc["a"]).all()
