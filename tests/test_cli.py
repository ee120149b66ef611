"""Every command end to end on a small grid, including bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from karstsim.experiments.cli import main

REQUIRED_COLUMNS = [
    "year",
    "forest_cover_pct",
    "cropland_pct",
    "desertified_km2",
    "desert_light_km2",
    "desert_moderate_km2",
    "desert_severe_km2",
    "desert_extreme_km2",
    "treated_km2_cum",
    "carbon_stock_MtC",
    "co2_sequestered_MtCO2",
    "treatment_cost_Myuan",
]


def karstsim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "karstsim", *args], capture_output=True, text=True)


def test_run_writes_every_output(tmp_path):
    out = tmp_path / "plan"
    done = karstsim(
        "run",
        "--grid",
        "classroom",
        "--years",
        "2020:2030",
        "--seed",
        "3",
        "--set",
        "treatment_ha_per_year=100000",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "forest cover" in done.stdout
    table = pd.read_csv(out / "timeseries.csv")
    assert set(REQUIRED_COLUMNS) <= set(table.columns)
    assert table["year"].tolist() == list(range(2020, 2031))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["parameters"]["treatment_ha_per_year"] == 100000
    assert summary["final"]["year"] == 2030
    assert set(summary["targets"]) >= {"forest_cover_64"}
    # the target's first year is the CSV's first year at or above 64 %
    reached = table.loc[table["forest_cover_pct"] >= 64.0, "year"]
    first = summary["targets"]["forest_cover_64"]["first_met"]
    assert first == (int(reached.iloc[0]) if len(reached) else None)
    # the final values are the CSV's last row, with the declared units
    last = table.iloc[-1]
    assert summary["final"]["desertified_km2"] == pytest.approx(last["desertified_km2"])
    assert summary["final"]["carbon_stock_MtC"] == pytest.approx(last["carbon_stock_MtC"])
    assert summary["units"]["desertified_km2"] == "km²"
    # maps: ten years of 100 000 ha/yr of treatment change the land-cover map
    from matplotlib.image import imread

    start = imread(out / "maps" / "land_cover_start.png")
    end = imread(out / "maps" / "land_cover_end.png")
    colours = {len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) for image in (start, end)}
    assert min(colours) > 8  # several land-cover classes drawn, not a blank figure
    assert start.shape != end.shape or not np.array_equal(start, end)
    assert imread(out / "dashboard.png").shape[:2] == (8 * 110, 12 * 110)  # 12×8 in, 110 dpi


def test_run_with_a_scenario_file_and_a_landscape_folder(tmp_path):
    from karstsim import KarstModel
    from karstsim.model.loading import save_landscape

    save_landscape(KarstModel(rng=1, grid="20x20").landscape, tmp_path / "layers")
    scenario = tmp_path / "mine.toml"
    scenario.write_text(
        '[scenario]\nname = "mine"\nend_year = 2023\n[parameters]\ngrazing_pressure = 0.2\n'
    )
    done = karstsim(
        "run",
        "--scenario",
        str(scenario),
        "--landscape",
        str(tmp_path / "layers"),
        "--out",
        str(tmp_path / "o"),
    )
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(tmp_path / "o" / "timeseries.csv")["year"].tolist() == [
        2020,
        2021,
        2022,
        2023,
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "no_such_param=3"], "unknown parameter 'no_such_param'"),
        (["--set", "grazing_pressure=7"], "grazing_pressure: '7' is out of range; allowed: 0 to 1"),
        (["--set", "grazing_pressure"], "expected NAME=VALUE"),
        (["--years", "2035:2020"], "end year must be ≥ the start year"),
        (["--years", "20x0"], "expected START:END"),
        (
            ["--years", "2018:2030"],
            "start year 2018 has no observed land composition; allowed: 2020, 2016",
        ),
        (["--grid", "huge"], "grid 'huge' is not a preset, WxH or a Guizhou region"),
        (["--region", "Bijei"], "did you mean Bijie"),
        (["--grid", "3x3"], "at least 5 cells"),
        (["--scenario", "nope"], "neither a shipped scenario nor a file"),
        (["--scenario", "missing.toml"], "cannot be read"),
        (["--landscape", "/nonexistent"], "landscape folder /nonexistent: not found"),
        (["--seed", "abc"], "invalid int value"),
    ],
)
def test_bad_input_is_one_clear_line_and_status_2(tmp_path, capsys, args, message):
    try:
        code = main(["run", "--grid", "classroom", "--out", str(tmp_path / "x"), *args])
    except SystemExit as exit_info:  # argparse's own errors
        code = exit_info.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["run", "--grid", "classroom", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert "not writable" in err and str(blocker / "sub") in err


def test_a_bad_scenario_file_names_the_file_and_the_entry(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[parameters]\ntreatment_ha_per_year = -1\n")
    assert main(["run", "--scenario", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "treatment_ha_per_year" in err


def test_scenarios_and_params_commands(capsys):
    assert main(["scenarios", "-v"]) == 0
    out = capsys.readouterr().out
    assert "plan14" in out and "no_new_policy" in out
    assert main(["scenarios", "--lang", "zh"]) == 0
    assert "规划" in capsys.readouterr().out
    assert main(["params"]) == 0
    assert "treatment_ha_per_year" in capsys.readouterr().out
    assert main(["params", "--markdown"]) == 0
    assert "| `treatment_ha_per_year` |" in capsys.readouterr().out


def test_bench_runs_on_the_classroom_preset(capsys, tmp_path):
    assert (
        main(
            [
                "bench",
                "--presets",
                "classroom",
                "--end",
                "2022",
                "--reference-cells",
                "400",
                "--json",
                str(tmp_path / "b.json"),
            ]
        )
        == 0
    )
    report = json.loads((tmp_path / "b.json").read_text())
    row = report["presets"][0]
    assert row["cell_years_per_s"] > 0
    for key in ("build_s", "per_year_ms", "total_s", "peak_rss_mb", "speedup_vs_reference"):
        assert row[key] > 0
    assert row["reused"] == 1 and row["build_reused_s"] > 0  # the lever run reused the map
    assert report["reference"]["cells"] == 400
    assert report["static_cache"]  # the tests' own cache folder (conftest)
    assert 0 < report["import_s"] == row["import_s"]  # one preset: its process's imports
    out = capsys.readouterr().out
    assert "× Mesa" in out
    assert "static geography" in out
    assert f"(imports: {report['import_s']:.2f} s" in out
    whole = report["whole_run"]  # the first preset's, without the province among them
    assert whole["grid"] == "classroom" and whole["seconds"] > report["import_s"]
    assert f"`karstsim run --grid classroom --no-maps` took {whole['seconds']:.2f} s" in out


def test_the_whole_run_is_timed_with_the_presets_cell_size_and_fails_in_one_line():
    from karstsim.experiments.bench import BenchmarkProcessError, measure_whole_run

    assert measure_whole_run("classroom@500m", end=2021) > 0
    with pytest.raises(BenchmarkProcessError, match="whole run of preset classroom@1m failed"):
        measure_whole_run("classroom@1m", end=2021)  # 1 m is below the cell sizes allowed


def test_bench_repeat_reports_the_fastest_of_fresh_processes(capsys, tmp_path):
    out = tmp_path / "b.json"
    args = ["bench", "--presets", "classroom", "--end", "2021", "--no-reference"]
    assert main([*args, "--repeat", "2", "--json", str(out)]) == 0
    row = json.loads(out.read_text())["presets"][0]
    assert row["rounds"] == 2 and row["total_s"] > 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("classroom"))
    assert line.endswith("–")  # no reference measured: no ratio (not the reference's "1×")
    assert main([*args, "--repeat", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--repeat 0" in err[0]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--presets", "classroom,atlantis"], "bench preset 'atlantis': grid 'atlantis'"),
        (["--presets", "province@0m"], "bench preset 'province@0m': parameter cell_size_km"),
        (["--presets", "province@fine"], "bench preset 'province@fine'"),
        (["--end", "2020"], "--end 2020: must be after"),
        (["--end", "2300"], "years 2020:2300"),
        (["--reference-years", "0"], "--reference-years 0"),
        (["--reference-cells", "-5"], "--reference-cells -5"),
        (["--presets", " , "], "--presets ' , ': name at least one grid"),
    ],
)
def test_bench_rejects_bad_input_in_one_line_before_measuring(capsys, args, named):
    """Checked before any preset is measured: without the checks, a bad preset among good
    ones failed after minutes of measuring, with the fresh process's traceback."""
    assert main(["bench", "--presets", "classroom", *args]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and named in err[0]
    assert captured.out == ""  # nothing measured, no table begun


def test_a_failed_benchmark_process_is_one_line_naming_it():
    from karstsim.experiments.bench import BenchmarkProcessError, _measure

    with pytest.raises(BenchmarkProcessError, match=r"^the benchmark process of X failed: .*boom"):
        _measure("raise SystemExit('boom')", "X")


AGENT_COLUMNS = [
    "household_income_mean_yuan",
    "poverty_share",
    "income_gini",
    "gfg_enrolled_km2",
    "carbon_sink_households",
    "carbon_revenue_Myuan",
    "offfarm_share",
    "rangers",
    "violations_attempted",
    "violations_detected",
    "mines_active",
    "green_mine_share",
    "mine_area_ha",
    "mine_restored_ha_cum",
    "corridor_connectivity",
]


@pytest.mark.parametrize("scenario", ["plan14", "no_new_policy"])
def test_both_policy_scenarios_carry_every_column(tmp_path, scenario):
    out = tmp_path / scenario
    assert (
        main(
            [
                "run",
                "--scenario",
                scenario,
                "--grid",
                "classroom",
                "--years",
                "2020:2023",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "timeseries.csv")
    assert set(REQUIRED_COLUMNS + AGENT_COLUMNS) <= set(table.columns)
    assert not table[AGENT_COLUMNS].isna().any().any()
