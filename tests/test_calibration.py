"""ABC-SMC calibration (pyabc) on a researcher's own observations, the past only."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from karstsim.experiments import calibration
from karstsim.experiments.abc_sampler import OrderedSampler
from karstsim.experiments.calibration_setup import load_setup, load_targets
from karstsim.experiments.cli import main
from karstsim.experiments.observations import load_observations
from karstsim.experiments.weighted import weighted_quantile
from karstsim.model.parameters import InputError

TINY = """
[calibration]
scenario = "hindcast13"
grid = "12x12"
observations = "obs.csv"
[[parameter]]
name = "afforestation_ha_per_year"
high = 398400.0
[[parameter]]
name = "afforestation_failure_prob"
[sampler]
population_size = {population}
max_populations = {populations}
max_simulations = 400
seed = 5
"""


def tiny(folder: Path, forest_2020: float = 61.5, population: int = 12, populations: int = 2):
    """A calibration file and observations CSV of two targets on a 12 × 12 map."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "obs.csv").write_text(
        f"year,output,value,sigma\n2018,forest_cover_pct,57.0,1.0\n"
        f"2020,forest_cover_pct,{forest_2020},1.0\n"
    )
    config = folder / "tiny.toml"
    config.write_text(TINY.format(population=population, populations=populations))
    return config


def test_the_shipped_calibration_fits_the_past_only():
    """No observation after 2020 is a target, though the record has some."""
    assert any(o.year > 2020 for o in load_observations())  # a leak would show
    setup = load_setup()
    assert setup.grid == "province" and setup.scenario == calibration.HINDCAST
    assert {(t.output, t.year) for t in setup.targets} == {
        ("forest_cover_pct", y) for y in (2017, 2018, 2019, 2020)
    }
    # the CSV's values are the record's (they cannot drift apart)
    record = {(o.column, o.year): o.value for o in load_observations()}
    assert all(t.value == record[(t.output, t.year)] for t in setup.targets)
    described = setup.describe()  # no machine's folders in a record of the shipped files
    assert described["config"] == "karstsim/data/calibration.toml"
    assert described["observations"] == "karstsim/data/calibration_observations.csv"
    assert [(o.column, o.year) for o in calibration.targets()] == [
        (t.output, t.year) for t in setup.targets
    ]


def test_the_shipped_priors_are_declared_ranges_or_tighter_with_a_source():
    for p in load_setup().parameters:
        assert p.declared.low <= p.low < p.high <= p.declared.high
        if (p.low, p.high) != (p.declared.low, p.declared.high):
            assert p.source
    planting = next(p for p in load_setup().parameters if p.name == "afforestation_ha_per_year")
    # new planting 2016–20 cannot exceed all afforestation and forest management (2 988 万亩)
    assert planting.high == pytest.approx(2988e4 / 15 / 5) and not planting.carried


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2021,forest_cover_pct,62.1,1", "out-of-sample validation only"),
        ("2016,forest_cover_pct,52,1", "targets must be in 2017–2020"),
        ("2018,forest_cover,57,1", "output 'forest_cover' is not declared"),
        ("2018,forest_cover_pct,abc,1", "value 'abc' is not a number"),
        ("2018,forest_cover_pct,57,0", "sigma 0 must be > 0"),
        ("20x8,forest_cover_pct,57,1", "year '20x8' is not a whole number"),
    ],
)
def test_a_bad_observation_names_its_row(tmp_path, row, message):
    path = tmp_path / "obs.csv"
    path.write_text(f"year,output,value,sigma\n2017,forest_cover_pct,55.3,1\n{row}\n")
    with pytest.raises(InputError, match=message) as error:
        load_targets(path, 2016, 2020)
    assert "row 3" in str(error.value) and "\n" not in str(error.value)


def test_a_regional_observation_names_its_region_by_adcode(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("year,output,value,sigma,region\n2018,forest_cover_pct,60,1,毕节\n")
    (target,) = load_targets(path, 2016, 2020)
    assert target.region == "520500" and target.key == "forest_cover_pct@2018@520500"
    path.write_text("year,output,value,sigma,region\n2018,forest_cover_pct,60,1,Guizhou\n")
    assert load_targets(path, 2016, 2020)[0].region is None  # the province is the map


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("afforestation_failure_prob", "no_such_parameter"), "no_such_parameter"),
        (("high = 398400.0", "high = 900000.0"), "within the declared range"),
        (("seed = 5", "seeds = 5"), "'seeds' is unknown"),
        (("population_size = 12", "population_size = 1.5"), "a whole number ≥ 2"),
    ],
)
def test_a_bad_calibration_file_is_one_line(tmp_path, edit, message):
    config = tiny(tmp_path)
    config.write_text(config.read_text().replace(*edit))
    with pytest.raises(InputError, match=message) as error:
        load_setup(config)
    assert "\n" not in str(error.value)


def test_distance_is_the_rms_of_standardised_errors():
    # errors 1 and −2 over σ 1 and 2: z = 1, −1 → √((1 + 1) / 2) = 1
    assert calibration.distance([56.0, 55.0], np.array([55.0, 57.0]), np.array([1.0, 2.0])) == 1.0


def _toy_abc(map_, batch_size: int) -> pd.DataFrame:
    """A Gaussian toy model through pyabc with the ordered sampler."""
    import pyabc

    abc = pyabc.ABCSMC(
        lambda p: {"y": p["mu"] + np.random.normal()},
        pyabc.Distribution(mu=pyabc.RV("uniform", -5, 10)),
        lambda x, x0: abs(x["y"] - x0["y"]),
        population_size=20,
        sampler=OrderedSampler(map_, seed=7, batch_size=batch_size),
    )
    abc.new("sqlite://", {"y": 1.0})
    history = abc.run(max_nr_populations=3)
    frame, weights = history.get_distribution()
    return frame.assign(weight=weights).reset_index(drop=True)


def test_the_posterior_does_not_depend_on_the_workers():
    """One process, or two worker processes in batches of three: the same particles and
    weights (threads would share numpy's global random state, which pyabc draws from)."""
    alone = _toy_abc(map, 1)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        parallel = _toy_abc(pool.map, 3)
    pd.testing.assert_frame_equal(alone, parallel)
    assert alone["mu"].std() < 10 / np.sqrt(12)  # it learnt something


def test_changing_an_observation_moves_the_posterior(tmp_path, capsys):
    """A higher forest cover in 2020 asks for plantings that fail less (on the county map,
    where 2016–20's plantings move the 2020 cover between about 56.5 and 59.5 %)."""
    medians = {}
    for cover in (57.0, 60.0):
        folder = tmp_path / f"c{cover:.0f}"
        config = tiny(folder, forest_2020=cover, population=12, populations=2)
        out = folder / "out"
        command = ["calibrate", "--config", str(config), "--grid", "county", "--out", str(out)]
        assert main([*command, "--quiet"]) == 0
        posterior = pd.read_csv(out / "posterior.csv")
        medians[cover] = weighted_quantile(
            posterior["afforestation_failure_prob"].to_numpy(), posterior["weight"].to_numpy(), 0.5
        )
    assert medians[60.0] < medians[57.0] - 0.15
    printed = capsys.readouterr().out
    assert "ABC-SMC of 2 parameters on 2 observations" in printed
    info = json.loads((out / "calibration.json").read_text())
    assert len(info["populations"]) == 2 and info["stopped_because"].startswith("2 populations")
    for name in ("marginals.png", "pairs.png", "predictive.png", "abc.db", "populations.csv"):
        assert (out / name).stat().st_size > 0
    assert not calibration.working_database(out).exists()


def test_an_interrupted_calibration_resumes_where_it_stopped(tmp_path):
    """One population, interrupted, then resumed to two: the same as two in one go."""
    whole = calibration.calibrate(load_setup(tiny(tmp_path / "a")), tmp_path / "a" / "out")
    config = tiny(tmp_path / "b", populations=1)
    out = tmp_path / "b" / "out"
    calibration.calibrate(load_setup(config), out)  # the working database stays: interrupted
    assert calibration.working_database(out).exists()
    with pytest.raises(InputError, match="add --resume to continue it"):
        calibration.calibrate(load_setup(config), out)
    resumed = calibration.calibrate(load_setup(tiny(tmp_path / "b")), out, resume=True)
    pd.testing.assert_frame_equal(whole["posterior"], resumed["posterior"])
    assert len(resumed["populations"]) == 2


def test_resuming_with_other_targets_is_refused(tmp_path):
    out = tmp_path / "out"
    calibration.calibrate(load_setup(tiny(tmp_path, populations=1)), out)
    with pytest.raises(InputError, match="other parameters, targets or map"):
        calibration.calibrate(load_setup(tiny(tmp_path, forest_2020=64.0)), out, resume=True)


def test_calibrate_names_its_options_and_refuses_bad_ones(capsys):
    with pytest.raises(SystemExit):
        main(["calibrate", "--help"])
    text = capsys.readouterr().out
    for option in ("--observations", "--config", "--workers", "--scheduler", "--resume"):
        assert option in text
    assert main(["calibrate", "--workers", "0"]) == 2
    assert main(["calibrate", "--scheduler", "no-port-here"]) == 2
    assert "not a Dask scheduler address" in capsys.readouterr().err
    assert main(["calibrate", "--observations", "/no/such.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "/no/such.csv" in err


def test_a_calibration_stopped_with_ctrl_c_resumes(tmp_path, monkeypatch, capsys):
    """Ctrl-C in the middle of the second population (a KeyboardInterrupt raised where the
    sampler runs, as Python raises it on SIGINT), then --resume: the same posterior as a
    calibration never interrupted."""
    config = tiny(tmp_path / "a", populations=3)
    out = tmp_path / "a" / "out"
    command = ["calibrate", "--config", str(config), "--out", str(out), "--quiet"]
    original = OrderedSampler.sample_until_n_accepted

    def interrupted(self, n, simulate_one, t, **kwargs):
        if t == 1:
            raise KeyboardInterrupt
        return original(self, n, simulate_one, t, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(OrderedSampler, "sample_until_n_accepted", interrupted)
        assert main(command) == 130
    err = capsys.readouterr().err
    assert "--resume" in err and str(calibration.working_database(out)) in err
    assert calibration.working_database(out).exists() and not out.exists()
    assert main([*command, "--resume"]) == 0
    whole = calibration.calibrate(load_setup(tiny(tmp_path / "b", populations=3)), tmp_path / "b")
    resumed = pd.read_csv(out / "posterior.csv")
    expected = whole["posterior"]
    assert np.allclose(resumed[expected.columns].to_numpy(float), expected.to_numpy(float))
    assert len(json.loads((out / "calibration.json").read_text())["populations"]) == 3
