"""A damaged chunk file (truncated by a full disk, a broken copy or a network share) is
moved aside and its runs run again, on resume and at the final combine; ``sweep-status``
reports it. Every run ends up in ``results.parquet`` exactly once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from karstsim.experiments import sweep_design
from karstsim.experiments.cli import main
from karstsim.experiments.sweep import run_sweep
from karstsim.experiments.sweep_manifest import status
from karstsim.experiments.sweep_store import SweepStore

DESIGN = """
[sweep]
name = "damage"
grid = "8x8"
years = "2020:2022"
sampler = "latin_hypercube"
samples = 6
replicates = 1
seed = 5
keep = "{keep}"
[parameters]
treatment_ha_per_year = {{ range = [0, 300000] }}
"""


def quick_runner(params, rng, *, scenario, grid, start_year, end_year):
    """A stand-in for the model: one row per year, known values."""
    years = np.arange(start_year, end_year + 1)
    return pd.DataFrame({"year": years, "forest_cover_pct": params["treatment_ha_per_year"] + rng})


def write_design(folder: Path, keep: str = "both") -> Path:
    path = folder / "design.toml"
    path.write_text(DESIGN.format(keep=keep), "utf-8")
    return path


def sweep(address: str, folder: Path, keep: str = "both", resume: bool = False):
    design = sweep_design.load(write_design(folder, keep))
    return run_sweep(
        design,
        folder / "out",
        scheduler=address,
        chunk_size=2,
        resume=resume,
        runner=quick_runner,
        progress=False,
    )


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def assert_complete(out: Path, runs: int = 6) -> None:
    results = pd.read_parquet(out / "results.parquet")
    assert sorted(results["run_id"]) == list(range(runs))
    assert (results["status"] == "ok").all()
    if (out / "yearly.parquet").exists():
        yearly = pd.read_parquet(out / "yearly.parquet")
        assert yearly.groupby("run_id").size().to_dict() == dict.fromkeys(range(runs), 3)


@pytest.mark.parametrize("kind", ["runs", "yearly"])
def test_a_truncated_chunk_is_moved_aside_and_its_runs_run_again(thread_cluster, tmp_path, kind):
    sweep(thread_cluster, tmp_path)
    out = tmp_path / "out"
    truncate(out / "chunks" / f"{kind}-000001.parquet")
    report = sweep(thread_cluster, tmp_path, resume=True)
    assert report.ran_now == 2 and report.done == 6
    assert [d.chunk_id for d in report.damaged] == [1]
    assert (out / "chunks" / "damaged" / f"{kind}-000001.parquet").exists()
    assert_complete(out)


def test_a_chunk_that_lost_rows_is_damaged(thread_cluster, tmp_path):
    sweep(thread_cluster, tmp_path, keep="final")
    path = tmp_path / "out" / "chunks" / "runs-000002.parquet"
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 1), path)  # readable, same record, one run missing
    report = sweep(thread_cluster, tmp_path, keep="final", resume=True)
    assert "holds 1 run(s), expected 2" in report.damaged[0].reason
    assert report.ran_now == 2
    assert_complete(tmp_path / "out")


def test_sweep_status_and_resume_say_so_in_one_line(thread_cluster, tmp_path, capsys):
    design = write_design(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(design), "--out", str(out), "--scheduler", thread_cluster]) == 0
    truncate(out / "chunks" / "runs-000000.parquet")
    capsys.readouterr()

    assert main(["sweep-status", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "4 of 6 runs done" in printed
    assert "1 damaged chunk" in printed and "runs-000000.parquet" in printed
    assert "damaged (chunks were damaged after it completed)" in printed and "--resume" in printed

    code = main(
        ["sweep", str(design), "--out", str(out), "--scheduler", thread_cluster, "--resume"]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    damage = [line for line in err.splitlines() if "damaged" in line]
    assert len(damage) == 1 and "runs-000000.parquet" in damage[0]
    assert str(out / "chunks" / "damaged") in damage[0] and "run again" in damage[0]
    assert_complete(out)
    assert status(out)["damaged"] == []


def test_a_chunk_damaged_while_the_sweep_runs_is_found_before_the_combine(
    thread_cluster, tmp_path, monkeypatch
):
    write_chunk = SweepStore.write_chunk
    damaged = []

    def write_then_break_the_first(store, chunk_id, runs, yearly, regions=None):
        write_chunk(store, chunk_id, runs, yearly, regions)
        if not damaged:
            damaged.append(chunk_id)
            truncate(store.chunks / f"runs-{chunk_id:06d}.parquet")

    monkeypatch.setattr(SweepStore, "write_chunk", write_then_break_the_first)
    report = sweep(thread_cluster, tmp_path)
    assert [d.chunk_id for d in report.damaged] == damaged
    assert report.done == 6 and report.ran_now == 8
    assert_complete(tmp_path / "out")
