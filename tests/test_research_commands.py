"""compare, validate and the observed record, end to end on small grids."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from karstsim.experiments import validation, validation_relations
from karstsim.experiments.cli import main
from karstsim.experiments.observations import load_observations


def test_observations_carry_their_sources():
    observations = load_observations()
    assert {o.column for o in observations} >= {"forest_cover_pct", "desertified_km2"}
    for o in observations:
        assert o.tag in {"F", "D", "M"} and o.source


def test_compare_writes_table_and_figure(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert (
        main(
            [
                "compare",
                "plan14",
                "no_new_policy",
                "--grid",
                "classroom",
                "--seeds",
                "2",
                "--end",
                "2026",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "comparison.csv")
    forest = table[(table.output == "forest_cover_pct") & (table.year == 2026)].iloc[0]
    assert forest["plan14_mean"] > forest["no_new_policy_mean"]
    assert forest["difference"] < 0
    assert (out / "comparison.png").stat().st_size > 10_000
    assert "| output |" in (out / "comparison.md").read_text()
    assert "plan14 vs no_new_policy" in capsys.readouterr().out


def test_compare_rejects_an_unknown_scenario(tmp_path, capsys):
    assert main(["compare", "plan14", "nope", "--out", str(tmp_path)]) == 2
    assert "nope" in capsys.readouterr().err


def test_validate_writes_report_json_and_figures(tmp_path, capsys):
    out = tmp_path / "val"
    assert main(["validate", "--grid", "classroom", "--seeds", "2", "--out", str(out)]) == 0
    report = json.loads((out / "validation.json").read_text())
    assert len(report["goals"]) == len(validation.GOALS) == 10
    for goal in report["goals"]:
        assert {"observed", "simulated_mean", "error", "met", "relation", "null_meets"} <= set(goal)
        assert goal["error"] == pytest.approx(goal["simulated_mean"] - goal["observed"])
        size = abs(goal["relative_error"] if goal["relative"] else goal["error"])
        assert goal["met_model_tolerance"] == (size <= goal["tolerance"])
        assert goal["met"] == (size <= goal["tolerance_with_observation_error"])
        assert goal["tolerance_with_observation_error"] >= goal["tolerance"]
    years = {(c["column"], c["year"]) for c in report["comparisons"]}
    assert ("forest_cover_pct", 2021) in years and ("desertified_km2", 2022) in years
    assert report["relations"] == list(validation_relations.RELATIONS)
    assert {f["row"] for f in report["failures"]} >= {"hindcast grassland vegetation cover 2020"}
    for name in ("forest_cover.png", "desertified.png", "report.md"):
        assert (out / name).stat().st_size > 1000
    text = (out / "report.md").read_text()
    assert text.index("## Rows that fail") < text.index("## Goals")
    assert "## Out-of-sample rows against the null models" in text
    printed = capsys.readouterr().out
    assert "rows that fail" in printed and "hindcast grassland vegetation cover 2020" in printed


def test_compare_can_band_over_the_posterior(tmp_path, capsys):
    """--posterior runs every draw × seed of both scenarios: the runs tables hold them all,
    and the draws' parameters make the runs differ."""
    from karstsim.experiments import forecast

    posterior = tmp_path / "posterior.csv"
    forecast.read_posterior(None).head(3).to_csv(posterior, index=False)
    out = tmp_path / "cmp"
    argv = ["compare", "plan14", "no_new_policy", "--grid", "classroom", "--seeds", "2",
            "--end", "2022", "--posterior", str(posterior), "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    assert "3 posterior draws × 2 seeds" in capsys.readouterr().out
    runs = pd.read_csv(out / "plan14_runs.csv")
    assert runs.groupby(["draw", "seed"]).ngroups == 6
    final = runs[runs["year"] == 2022].groupby("draw")["growing_stock_Mm3"].mean()
    assert final.nunique() == 3


@pytest.mark.parametrize(
    ("argv", "named"),
    [(["--seeds", "0"], "--seeds 0"), (["--grid", "nowhere"], "nowhere")],
)
def test_validate_rejects_bad_input_in_one_line(tmp_path, capsys, argv, named):
    assert main(["validate", *argv, "--out", str(tmp_path / "val")]) == 2
    err = capsys.readouterr().err.strip()
    assert named in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "val").exists()
