"""The researcher's faults of issue 26: each is one line naming the input and the allowed
form, with status 2, and a failed start leaves nothing that a retry trips over."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from cluster_helpers import local_cluster

from karstsim.experiments import sweep_cluster, sweep_design
from karstsim.experiments.atomic_output import results_folder
from karstsim.experiments.cli import main
from karstsim.experiments.sweep_store import RESULTS

DESIGN = """
[sweep]
name = "faults"
scenario = "plan14"
grid = "10x10"
years = "2020:2021"
sampler = "latin_hypercube"
samples = 2
seed = 3

[parameters]
grazing_pressure = { range = [0.4, 1.0] }
"""


@pytest.fixture
def design_file(tmp_path: Path) -> Path:
    path = tmp_path / "design.toml"
    path.write_text(DESIGN, "utf-8")
    return path


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the command line; it must fail with status 2 and one line on stderr."""
    status = main(argv)
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1:1", "127.0.0.1:notaport", "tcp://host", "tcp://:8786"]
)
def test_a_scheduler_address_of_the_wrong_form_is_one_line(
    address: str, design_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    err = one_line_error(
        capsys, ["sweep", str(design_file), "--out", str(out), "--scheduler", address]
    )
    assert f"--scheduler {address!r}" in err and "tcp://HOST:PORT" in err
    assert not out.exists()


def test_the_scheduler_address_from_the_environment_is_checked(
    design_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "http://somewhere:8786")
    err = one_line_error(capsys, ["sweep", str(design_file), "--out", str(tmp_path / "o")])
    assert "$DASK_SCHEDULER_ADDRESS 'http://somewhere:8786'" in err


@pytest.mark.parametrize("good", ["tcp://10.0.0.1:8786", "127.0.0.1:8786", "inproc://1.2/3/4"])
def test_scheduler_addresses_of_the_right_form_pass(good: str) -> None:
    assert sweep_cluster.check_address(good) == good


def test_a_scheduler_without_workers_says_so_and_a_retry_is_not_refused(
    design_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setattr(sweep_cluster, "WORKER_WAIT_S", 0.5)
    out = tmp_path / "out"
    with local_cluster(0, processes=False) as empty:
        argv = [
            "sweep",
            str(design_file),
            "--out",
            str(out),
            "--scheduler",
            empty.scheduler_address,
        ]
        for _attempt in range(2):  # the retry fails the same way, not on the folder
            status = main(argv)
            err = capsys.readouterr().err.strip().splitlines()
            assert status == 2
            assert "has no workers yet; waiting up to 0.5 s" in err[0]
            assert "has no workers: none joined within 0.5 s" in err[-1]
            assert not out.exists()


def test_resume_on_a_folder_without_a_sweep_is_an_error(
    design_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing"
    err = one_line_error(capsys, ["sweep", str(design_file), "--out", str(out), "--resume"])
    assert "no sweep to resume" in err
    assert not out.exists()


def test_a_sweep_into_a_folder_of_other_files_is_refused(
    design_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "papers"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me", "utf-8")
    err = one_line_error(capsys, ["sweep", str(design_file), "--out", str(out), "--workers", "1"])
    assert "holds other files and no sweep" in err
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def test_a_design_file_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(DESIGN.replace("faults", "安顺").encode("gbk"))
    err = one_line_error(capsys, ["sweep", str(path), "--out", str(tmp_path / "o")])
    assert "not UTF-8 text" in err and str(path) in err
    with pytest.raises(sweep_design.DesignError, match="save the design as UTF-8"):
        sweep_design.load(path)


@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o027, 0o750), (0o077, 0o700)])
def test_results_folders_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        with results_folder(tmp_path / "results") as staging:
            (staging / "a.csv").write_text("x\n", "utf-8")
    finally:
        os.umask(previous)
    assert (tmp_path / "results").stat().st_mode & 0o777 == mode


def test_karst_model_takes_seed_as_mesa_does() -> None:
    from karstsim import KarstModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # Mesa's own note: prefer rng=
        by_seed = KarstModel(seed=42, grid="10x10")
    by_rng = KarstModel(rng=42, grid="10x10")
    assert by_seed.rng.bit_generator.state == by_rng.rng.bit_generator.state
    assert by_seed.random.random() == by_rng.random.random()
    with pytest.raises(ValueError, match="either rng or seed"):
        KarstModel(seed=1, rng=2, grid="10x10")


def test_sensitivity_on_a_cut_short_results_file_is_one_line_and_status_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "morris.toml"
    path.write_text(
        DESIGN.replace("latin_hypercube", "morris").replace(
            "samples = 2", 'samples = 2\nkeep = "both"'
        )
        + "treatment_ha_per_year = { range = [30000, 120000] }\n",
        "utf-8",
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 0
    results = out / RESULTS
    results.write_bytes(results.read_bytes()[: results.stat().st_size // 2])
    capsys.readouterr()
    err = one_line_error(capsys, ["sensitivity", str(out), "--outputs", "forest_cover_pct"])
    assert f"{results}: cannot be read" in err and "--resume" in err
    assert main(["sweep-status", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "  complete:" not in shown and "damaged" in shown
    assert "results.parquet cannot be read" in shown
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--workers", "1"]) == 0
    capsys.readouterr()
    assert main(["sensitivity", str(out), "--outputs", "forest_cover_pct"]) == 0
