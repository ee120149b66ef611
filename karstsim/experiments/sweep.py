"""Batch sweeps on Dask distributed, from a laptop to a cluster, that lose nothing and resume.

``run_sweep`` samples a design (:mod:`karstsim.experiments.sweep_design`), groups its runs
into chunks and sends each chunk to a Dask worker, which calls the one pure
:func:`karstsim.experiments.run.run` for every run in it. The driver writes each finished
chunk to the sweep folder (:mod:`karstsim.experiments.sweep_store`) and lets it go, so its
memory stays flat however large the sweep. Only the driver writes, so workers need no
shared disk.

- A run that raises is recorded (status ``error``, its message and traceback) and the
  sweep goes on.
- A worker that dies has its chunk rescheduled by Dask; a chunk that keeps killing workers
  is split into single runs, and a single run that keeps killing them is recorded as an
  error.
- An interrupted sweep resumes with ``resume=True``: exactly the runs not on disk run,
  none twice; a changed design is refused.
- On resume and before the final combine every chunk is checked; a damaged one is moved to
  ``chunks/damaged/`` and its runs run again.
- Seeds come from the design, so results do not depend on the workers or their number.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments import ensemble_data, sweep_cluster, sweep_stop
from karstsim.experiments.atomic_output import ensure_writable
from karstsim.experiments.run import run, run_by_region
from karstsim.experiments.sweep_catalog import SCHEDULER_ENV
from karstsim.experiments.sweep_design import Design
from karstsim.experiments.sweep_manifest import check_folder, lock, now, prepare
from karstsim.experiments.sweep_store import DamagedChunk, SweepStore, SweepStoreError
from karstsim.experiments.sweep_worker import (
    ChunkResult,
    Runner,
    RunSettings,
    killed_run,
    run_chunk,
)

MAX_CHUNK_RUNS = 25
"""Upper bound of the automatic chunk size, in runs."""
MAX_SESSIONS = 2
"""Sessions of one call: the runs to do, then those of chunks found damaged at the end."""


@dataclass
class SweepReport:
    """What a call of :func:`run_sweep` did. Times are wall-clock seconds: ``startup_s``
    until the workers are ready, ``compute_s`` from then until the last chunk is on disk,
    ``wall_s`` in all (with shutting the cluster down and combining the results)."""

    folder: Path
    runs: int
    done: int
    failed: int
    ran_now: int
    workers: int = 0
    startup_s: float = 0.0
    compute_s: float = 0.0
    wall_s: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    damaged: list[DamagedChunk] = field(default_factory=list)


@dataclass
class _Chunk:
    """Runs sent to a worker together: a slice of the sampled design."""

    chunk_id: int
    rows: pd.DataFrame
    suspect: bool = False  # a run of a chunk that killed workers: sent alone

    def payload(self, design: Design) -> list[tuple[int, int, dict[str, Any]]]:
        """``(run_id, seed, parameters)`` of each run, built only when the chunk is sent."""
        return [
            (int(row["run_id"]), int(row["seed"]), design.run_parameters(row))
            for row in self.rows.to_dict("records")
        ]


def run_sweep(
    design: Design,
    out: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    runner: Runner = run,
    progress: bool = True,
    design_file: Path | None = None,
) -> SweepReport:
    """Run every run of ``design`` not yet in ``out`` and combine the results.

    ``workers`` local worker processes (default: the cores), or the Dask cluster at
    ``scheduler`` (default: ``$DASK_SCHEDULER_ADDRESS`` if set). ``chunk_size`` runs per
    task (default: :func:`chunk_sizes`).
    """
    out = Path(out)
    store = SweepStore(out)
    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if address:
        sweep_cluster.check_address(address, "--scheduler" if scheduler else f"${SCHEDULER_ENV}")
    check_folder(store, resume)
    new_folder = not out.exists()
    new_sweep = not store.exists()
    ensure_writable(out)
    if design.regions and runner is run:
        runner = functools.partial(run_by_region, by=design.regions)
    try:
        return _run_sweep(
            design,
            store,
            resume,
            design_file,
            _Engine(workers, address, chunk_size, runner, progress),
        )
    except BaseException:
        if new_sweep and not store.finished_runs_on_disk():
            store.discard(remove_folder=new_folder)
        raise


def _run_sweep(
    design: Design, store: SweepStore, resume: bool, design_file: Path | None, engine: _Engine
) -> SweepReport:
    """:func:`run_sweep` in a checked folder."""
    out, progress = store.folder, engine.progress
    with lock(out), sweep_stop.stops_remembered():
        table = prepare(design, store, resume, design_file, progress)
        store.remove_incomplete()
        manifest = store.read_manifest()
        began = time.perf_counter()
        report = SweepReport(folder=out, runs=len(table), done=0, failed=0, ran_now=0)
        for attempt in itertools.count():
            # checked on resume and again before the combine: a damaged chunk runs again
            todo = _runs_to_do(store, table, report, progress)
            if not len(todo):
                break
            if attempt == MAX_SESSIONS:
                raise SweepStoreError(
                    f"{store.chunks}: chunks were damaged again as they were written; check "
                    "the disk (free space, a network share that drops writes), then resume"
                )
            _session(design, todo, store, manifest, report, engine)
        report.outputs = [*store.combine(table), ensemble_data.write(store)]
        manifest["state"] = "complete"
        manifest["finished"] = now()
        manifest["runs_done"] = report.done
        manifest["runs_failed"] = report.failed
        manifest["wall_s_total"] = sum(s.get("wall_s", 0.0) for s in manifest.get("sessions", []))
        store.write_manifest(manifest)
        report.wall_s = time.perf_counter() - began
        return report


def _runs_to_do(
    store: SweepStore, table: pd.DataFrame, report: SweepReport, progress: bool
) -> pd.DataFrame:
    """The design's runs not on disk, after moving damaged chunks aside (said in one line)."""
    damaged = store.damaged_chunks(table["run_id"].tolist())
    if damaged:
        folder = store.move_aside(damaged)
        report.damaged.extend(damaged)
        if progress:
            shown = "; ".join(chunk.describe() for chunk in damaged[:3])
            more = f"; and {len(damaged) - 3} more" if len(damaged) > 3 else ""
            print(
                f"karstsim sweep: {len(damaged)} damaged chunk(s) moved to {folder} "
                f"({shown}{more}); their runs run again",
                file=sys.stderr,
            )
    finished = store.finished_runs()
    report.done = len(finished)
    report.failed = int((finished["status"] == "error").sum())
    return table.loc[~table["run_id"].isin(finished["run_id"])]


@dataclass(frozen=True)
class _Engine:
    """How a sweep's runs are computed: where, in chunks of what size, by which runner."""

    workers: int | None
    address: str | None
    chunk_size: int | None
    runner: Runner
    progress: bool


def _session(
    design: Design,
    todo: pd.DataFrame,
    store: SweepStore,
    manifest: dict[str, Any],
    report: SweepReport,
    engine: _Engine,
) -> None:
    """Run ``todo`` on a Dask cluster, recording the session in the manifest."""
    session = {
        "started": now(),
        "started_epoch": time.time(),
        "runs_done_at_start": report.done,
        "scheduler": engine.address or f"local ({engine.workers or sweep_cluster.cores()} workers)",
        "state": "running",
    }
    manifest["state"] = "running"
    manifest.setdefault("sessions", []).append(session)
    store.write_manifest(manifest)
    began = time.perf_counter()
    try:
        with sweep_cluster.client(engine.workers, engine.address) as dask_client:
            report.workers = sweep_cluster.check_workers(dask_client, engine.progress)
            report.startup_s = time.perf_counter() - began
            session.update(workers=report.workers, computing_since_epoch=time.time())
            store.write_manifest(manifest)
            _execute(dask_client, design, todo, store, report, engine)
            report.compute_s = time.perf_counter() - began - report.startup_s
    except BaseException:
        session.update(state="interrupted", finished=now())
        manifest["state"] = "interrupted"
        _close_session(session, report, began)
        store.write_manifest(manifest)
        raise
    session.update(state="finished", finished=now(), workers=report.workers)
    _close_session(session, report, began)


def _close_session(session: dict[str, Any], report: SweepReport, began: float) -> None:
    session.update(
        runs_done=report.ran_now,
        runs_done_total=report.done,
        runs_failed_total=report.failed,
        wall_s=time.perf_counter() - began,
        startup_s=report.startup_s,
        compute_s=report.compute_s,
    )


def _execute(
    client: Any,
    design: Design,
    todo: pd.DataFrame,
    store: SweepStore,
    report: SweepReport,
    engine: _Engine,
) -> None:
    """Submit the runs of ``todo`` in chunks, a bounded window at a time; write each result.

    A chunk whose worker died again and again (Dask's ``KilledWorker``) is split into
    single runs, sent one at a time so that each runs alone; one that still kills its
    worker is recorded as an error.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker
    from tqdm import tqdm

    slots = max(report.workers, 1)
    settings = RunSettings.of(design)
    ids = itertools.count(store.next_chunk_id())
    sizes = chunk_sizes(len(todo), slots, engine.chunk_size)
    starts = itertools.accumulate(sizes, initial=0)
    chunks = (_Chunk(next(ids), todo.iloc[a : a + n]) for a, n in zip(starts, sizes, strict=False))
    upcoming = next(chunks, None)
    suspects: deque[_Chunk] = deque()
    token = uuid.uuid4().hex[:8]
    in_flight: dict[str, _Chunk] = {}
    window = as_completed()

    def submit(chunk: _Chunk) -> None:
        future = client.submit(
            run_chunk,
            chunk.payload(design),
            settings,
            engine.runner,
            key=f"karstsim-sweep-{token}-{chunk.chunk_id}",
            pure=False,
        )
        in_flight[future.key] = chunk
        window.add(future)

    def fill() -> None:
        nonlocal upcoming
        if suspects and not any(c.suspect for c in in_flight.values()):
            submit(suspects.popleft())
        while upcoming is not None and len(in_flight) < 2 * slots + 2:
            submit(upcoming)
            upcoming = next(chunks, None)

    bar = tqdm(
        total=report.runs,
        initial=report.done,
        desc=design.name,
        unit="run",
        disable=None if engine.progress else True,
        file=sys.stderr,
        smoothing=0.1,
    )

    def record(chunk: _Chunk, result: ChunkResult) -> None:
        store.write_chunk(chunk.chunk_id, result.runs, result.yearly, result.regions)
        report.done += len(result.runs)
        report.ran_now += len(result.runs)
        report.failed += int((result.runs["status"] == "error").sum())
        bar.update(len(result.runs))
        bar.set_postfix(failed=report.failed, refresh=False)

    try:
        fill()
        for future in window:
            chunk = in_flight.pop(future.key)
            if future.status == "finished":
                record(chunk, future.result())
            elif not isinstance(future.exception(), KilledWorker):
                raise future.exception()
            elif chunk.suspect:
                record(chunk, killed_run(int(chunk.rows["run_id"].iloc[0])))
            else:
                suspects.extend(
                    _Chunk(next(ids), chunk.rows.iloc[[i]], suspect=True)
                    for i in range(len(chunk.rows))
                )
            del future  # Dask's __del__: a stop raised in it is lost, hence the flag
            sweep_stop.raise_if_requested()
            fill()
    finally:
        bar.close()
        if in_flight:
            client.cancel(list(window.futures))


def chunk_sizes(runs: int, slots: int, fixed: int | None = None) -> list[int]:
    """Runs per chunk: ``fixed``, or shrinking as the sweep nears its end (guided
    self-scheduling), so that workers finish together.

    Each chunk takes a quarter of the remaining runs' share per worker thread, between 1 and
    :data:`MAX_CHUNK_RUNS` runs.
    """
    sizes = []
    remaining = runs
    while remaining > 0:
        size = fixed or min(MAX_CHUNK_RUNS, math.ceil(remaining / (4 * slots)))
        sizes.append(min(size, remaining))
        remaining -= sizes[-1]
    return sizes
