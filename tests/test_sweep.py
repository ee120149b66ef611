"""Sweeps on a real local Dask cluster: complete, identical on 1 or 2 workers, nothing lost
when a run raises, a worker dies or the driver is killed, and a changed design refused."""

from __future__ import annotations

import _thread
import fcntl
import functools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import cloudpickle
import dask
import pandas as pd
import pytest
from cluster_helpers import local_cluster
from distributed import Client

from karstsim.experiments import sweep_design
from karstsim.experiments.cli import main
from karstsim.experiments.run import run
from karstsim.experiments.sweep import MAX_CHUNK_RUNS, chunk_sizes, run_sweep
from karstsim.experiments.sweep_manifest import status
from karstsim.experiments.sweep_store import SweepError, SweepStore

# the runners below are defined here, so send them to the workers by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])

DESIGN = """
[sweep]
name = "small"
scenario = "plan14"
grid = "{grid}"
years = "{years}"
sampler = "latin_hypercube"
samples = {samples}
replicates = {replicates}
seed = 7
keep = "both"

[parameters]
treatment_ha_per_year = {{ range = [0, 300000] }}
grazing_pressure = {{ range = [0.3, 1.0] }}
enclosure_years = {{ range = [1, 10] }}
grazing_ban_severe = {{}}
"""


def write_design(folder: Path, grid="20x20", years="2020:2024", samples=6, replicates=2) -> Path:
    path = folder / "design.toml"
    text = DESIGN.format(grid=grid, years=years, samples=samples, replicates=replicates)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def two_worker_sweep(cluster, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep2")
    design = sweep_design.load(write_design(folder))
    report = run_sweep(design, folder / "out", scheduler=cluster, chunk_size=2, progress=False)
    return design, folder / "out", report


def comparable(table: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in ("run_id", "year") if k in table]
    return (
        table.drop(columns=["elapsed_s"], errors="ignore").sort_values(keys).reset_index(drop=True)
    )


def test_a_small_sweep_completes_with_every_output(two_worker_sweep, capsys):
    design, out, report = two_worker_sweep
    assert (report.runs, report.done, report.failed, report.ran_now) == (12, 12, 0, 12)
    assert report.workers == 2
    results = pd.read_parquet(out / "results.parquet")
    assert sorted(results["run_id"]) == list(range(12))
    assert (results["status"] == "ok").all() and results["error"].isna().all()
    assert (results["year"] == 2024).all()
    design_table = pd.read_parquet(out / "design.parquet")
    assert design_table.equals(design.sample())
    assert (design_table["seed"] == 7 + design_table["replicate"]).all()
    merged = results.merge(design_table, on="run_id", suffixes=("", "_design"))
    assert (merged["treatment_ha_per_year"] == merged["treatment_ha_per_year_design"]).all()

    yearly = pd.read_parquet(out / "yearly.parquet")
    assert len(yearly) == 12 * 5
    assert yearly.groupby("run_id")["year"].apply(list).map(tuple).unique().tolist() == [
        (2020, 2021, 2022, 2023, 2024)
    ]
    final = yearly[yearly["year"] == 2024].set_index("run_id").sort_index()
    indexed = results.set_index("run_id").sort_index()
    assert final["forest_cover_pct"].equals(indexed["forest_cover_pct"])

    # the seed and parameters come from the design: one run redone by hand is identical
    row = design_table.iloc[5]
    alone = run(
        design.run_parameters(row),
        int(row["seed"]),
        scenario="plan14",
        grid="20x20",
        start_year=2020,
        end_year=2024,
    )
    pd.testing.assert_frame_equal(
        comparable(yearly[yearly["run_id"] == 5]).drop(columns="run_id"), alone
    )

    assert len(list((out / "chunks").glob("runs-*.parquet"))) == 6
    assert not list(out.rglob(".tmp-*"))
    info = status(out)
    assert (info["state"], info["done"], info["failed"]) == ("complete", 12, 0)
    assert main(["sweep-status", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "12 of 12 runs done" in printed and "complete" in printed


def test_results_equal_a_one_worker_run(two_worker_sweep, tmp_path):
    design, out, _ = two_worker_sweep
    report = run_sweep(design, tmp_path / "one", workers=1, chunk_size=5, progress=False)
    assert report.workers == 1
    for name in ("results.parquet", "yearly.parquet"):
        one = comparable(pd.read_parquet(tmp_path / "one" / name))
        two = comparable(pd.read_parquet(out / name))
        pd.testing.assert_frame_equal(one, two)


def test_resuming_a_complete_sweep_runs_nothing(two_worker_sweep, cluster):
    design, out, _ = two_worker_sweep
    report = run_sweep(design, out, scheduler=cluster, resume=True, progress=False)
    assert (report.ran_now, report.done) == (0, 12)


def test_a_changed_design_is_refused(two_worker_sweep, tmp_path, capsys):
    design, out, _ = two_worker_sweep
    manifest = (out / "manifest.json").read_text()
    changed = tmp_path / "design.toml"
    changed.write_text(
        (out.parent / "design.toml").read_text().replace("[0.3, 1.0]", "[0.3, 0.9]"), "utf-8"
    )
    with pytest.raises(SweepError, match="the design has changed since this sweep started"):
        run_sweep(sweep_design.load(changed), out, resume=True, progress=False)
    with pytest.raises(SweepError, match=r"already holds a sweep .* add --resume"):
        run_sweep(design, out, progress=False)
    assert main(["sweep", str(changed), "--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert "design has changed" in err and len(err.strip().splitlines()) == 1
    assert (out / "manifest.json").read_text() == manifest


def test_a_second_driver_on_the_same_folder_is_refused(tmp_path):
    design = sweep_design.load(write_design(tmp_path))
    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(SweepError, match="another 'karstsim sweep' is writing"):
            run_sweep(design, tmp_path / "out", workers=1, progress=False)


def failing_runner(params, rng, **spec):
    if params["treatment_ha_per_year"] > 150_000:
        raise ValueError("treatment too ambitious for this test")
    return run(params, rng, **spec)


def test_a_run_that_raises_is_recorded_and_the_rest_complete(cluster, tmp_path):
    design = sweep_design.load(write_design(tmp_path, samples=8, replicates=1))
    report = run_sweep(
        design, tmp_path / "out", scheduler=cluster, runner=failing_runner, progress=False
    )
    results = pd.read_parquet(tmp_path / "out" / "results.parquet").sort_values("run_id")
    bad = results["treatment_ha_per_year"] > 150_000
    assert 0 < bad.sum() < len(results)
    assert (results.loc[bad, "status"] == "error").all()
    assert (results.loc[~bad, "status"] == "ok").all()
    assert (results.loc[bad, "error"] == "ValueError: treatment too ambitious for this test").all()
    assert results.loc[bad, "traceback"].str.contains("failing_runner").all()
    assert results.loc[bad, "forest_cover_pct"].isna().all()
    assert results.loc[~bad, "forest_cover_pct"].notna().all()
    assert (report.done, report.failed) == (8, int(bad.sum()))


def slow_runner(params, rng, **spec):
    time.sleep(0.2)
    return run(params, rng, **spec)


def test_a_worker_killed_mid_sweep_loses_and_doubles_nothing(cluster, tmp_path):
    design = sweep_design.load(write_design(tmp_path, samples=8, replicates=2))
    out = tmp_path / "out"
    with Client(cluster) as client:
        outcome = {}

        def drive():
            try:
                outcome["report"] = run_sweep(
                    design,
                    out,
                    scheduler=cluster,
                    chunk_size=2,
                    runner=slow_runner,
                    progress=False,
                )
            except BaseException as error:  # reported by the assertion below
                outcome["error"] = error

        driver = threading.Thread(target=drive)
        driver.start()
        killed = None
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline and driver.is_alive():
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy and len(list((out / "chunks").glob("runs-*.parquet"))) >= 1:
                killed = busy[0]
                pid = client.run(os.getpid, workers=[killed])[killed]
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        driver.join(120)
    assert killed is not None, "no worker was busy to kill"
    assert "error" not in outcome, outcome.get("error")
    results = pd.read_parquet(out / "results.parquet")
    assert sorted(results["run_id"]) == list(range(16))
    assert (results["status"] == "ok").all()
    yearly = pd.read_parquet(out / "yearly.parquet")
    assert len(yearly) == 16 * 5 and not yearly.duplicated(["run_id", "year"]).any()


def exit_runner(params, rng, *, doomed, **spec):
    if params["grazing_pressure"] == doomed:
        os._exit(3)  # the worker process dies, as on running out of memory
    return run(params, rng, **spec)


def test_a_run_that_kills_its_worker_is_isolated_and_recorded(tmp_path):
    design = sweep_design.load(write_design(tmp_path, samples=6, replicates=1))
    doomed_row = design.sample().iloc[4]
    runner = functools.partial(exit_runner, doomed=float(doomed_row["grazing_pressure"]))
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), local_cluster() as local:
        report = run_sweep(
            design,
            tmp_path / "out",
            scheduler=local.scheduler_address,
            chunk_size=3,
            runner=runner,
            progress=False,
        )
    results = pd.read_parquet(tmp_path / "out" / "results.parquet").set_index("run_id")
    assert sorted(results.index) == list(range(6))
    assert results.loc[4, "status"] == "error"
    assert results.loc[4, "error"].startswith("KilledWorker")
    assert (results.drop(index=4)["status"] == "ok").all()
    assert (report.done, report.failed) == (6, 1)


def test_a_killed_sweep_resumes_to_exactly_the_full_set(cluster, tmp_path, capsys):
    design_path = write_design(tmp_path, grid="30x30", years="2020:2030", samples=40, replicates=1)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "karstsim",
            "sweep",
            str(design_path),
            "--out",
            str(out),
            "--workers",
            "2",
            "--chunk-size",
            "2",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            if len(list((out / "chunks").glob("runs-*.parquet"))) >= 3:
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()
    assert not (out / "results.parquet").exists()
    store = SweepStore(out)
    before = {p.name: p.read_bytes() for p in (out / "chunks").glob("runs-*.parquet")}
    done_before = len(store.finished_runs())
    assert 0 < done_before < 40

    assert main(["sweep-status", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"{done_before} of 40 runs done" in printed
    assert "stopped (the sweep was killed)" in printed and "--resume" in printed

    # leftovers of a chunk cut short are cleaned up, not counted
    (out / "chunks" / "yearly-999999.parquet").write_bytes(b"cut short")
    (out / "chunks" / ".tmp-1-runs-000999.parquet").write_bytes(b"cut short")
    design = sweep_design.load(design_path)
    report = run_sweep(design, out, scheduler=cluster, resume=True, progress=False)
    assert report.ran_now == 40 - done_before
    assert report.done == 40 and report.failed == 0
    results = pd.read_parquet(out / "results.parquet")
    assert sorted(results["run_id"]) == list(range(40))
    assert (results["status"] == "ok").all()
    assert all((out / "chunks" / name).read_bytes() == data for name, data in before.items())
    assert not list(out.rglob(".tmp-*")) and not (out / "chunks" / "yearly-999999.parquet").exists()
    manifest = store.read_manifest()
    assert manifest["state"] == "complete"
    assert [s["runs_done_at_start"] for s in manifest["sessions"]][-1] == done_before


@pytest.mark.parametrize("runs, slots", [(24, 2), (7, 1), (2000, 8), (1, 4)])
def test_automatic_chunks_cover_every_run_and_shrink_towards_the_end(runs, slots):
    sizes = chunk_sizes(runs, slots)
    assert sum(sizes) == runs
    assert all(1 <= size <= MAX_CHUNK_RUNS for size in sizes)
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    assert chunk_sizes(runs, slots, fixed=5) == [5] * (runs // 5) + ([runs % 5] if runs % 5 else [])


@pytest.fixture
def python_handles_ctrl_c():
    """Python's own Ctrl-C handler, whatever the test process inherited: a job started in
    the background by a non-interactive shell has SIGINT ignored, and then neither a
    Ctrl-C nor ``_thread.interrupt_main`` does anything."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("python_handles_ctrl_c")
# when the press lands in a released Dask future's __del__, Python reports it as ignored
# ("Exception ignored in: <function Future.__del__ ...>"): the flag stops the sweep then
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_stops_cleanly_and_the_sweep_resumes(cluster, tmp_path):
    design = sweep_design.load(write_design(tmp_path, samples=10, replicates=1))
    out = tmp_path / "out"

    def press_ctrl_c():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if list((out / "chunks").glob("runs-*.parquet")):
                _thread.interrupt_main()
                return
            time.sleep(0.01)

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        run_sweep(design, out, scheduler=cluster, chunk_size=1, runner=slow_runner, progress=False)
    info = status(out)
    assert info["state"] == "interrupted" and 0 < info["done"] < 10
    report = run_sweep(design, out, scheduler=cluster, resume=True, progress=False)
    assert report.ran_now == 10 - info["done"]
    assert sorted(pd.read_parquet(out / "results.parquet")["run_id"]) == list(range(10))


def test_a_local_cluster_starts_its_workers_without_the_profiler():
    """The sweeps' own local cluster: no worker samples its stacks every 10 ms for a
    dashboard nobody opens."""
    from karstsim.experiments import sweep_cluster

    def profiling() -> bool:
        return dask.config.get("distributed.worker.profile.enabled")

    with sweep_cluster.client(1, None) as client:
        assert list(client.run(profiling).values()) == [False]


@pytest.mark.usefixtures("python_handles_ctrl_c")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the point
def test_a_stop_lost_in_a_del_still_stops_the_sweep():
    """Python swallows a KeyboardInterrupt raised inside __del__ (the sweep's main thread
    runs Dask futures' as it lets them go); the flag set with it stops the sweep after."""
    import gc

    from karstsim.experiments import sweep_stop

    class Released:
        def __del__(self):
            sweep_stop.request_stop(signal.SIGINT, None)

    with sweep_stop.stops_remembered():
        assert signal.getsignal(signal.SIGINT) is sweep_stop.request_stop
        sweep_stop.raise_if_requested()  # nothing asked yet
        Released()  # the interrupt is raised in __del__, and lost there
        gc.collect()
        with pytest.raises(KeyboardInterrupt):
            sweep_stop.raise_if_requested()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    sweep_stop.raise_if_requested()  # the next sweep starts afresh


def test_a_sweep_started_with_ctrl_c_ignored_leaves_it_ignored():
    from karstsim.experiments import sweep_stop

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # e.g. `nohup karstsim sweep … &`
    try:
        with sweep_stop.stops_remembered():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
