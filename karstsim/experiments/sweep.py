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
- Seeds come from the design, so results do not depend on the workers or their number.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import itertools
import logging
import math
import os
import signal
import sys
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments import sweep_design
from karstsim.experiments.run import run
from karstsim.experiments.sweep_design import Design
from karstsim.experiments.sweep_store import SweepStore
from karstsim.model import scenario as scenario_module
from karstsim.model.parameters import InputError

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
MAX_CHUNK_RUNS = 25
"""Upper bound of the automatic chunk size, in runs."""

MALLOC_TRIM = "MALLOC_TRIM_THRESHOLD_"
"""Dask's nannies set this for their workers (65536 bytes). It turns off glibc's adaptive
mmap threshold, so every numpy array above 128 KiB is mapped and unmapped anew and a
karstsim run takes about twice as long: local clusters start without it."""

Runner = Callable[..., pd.DataFrame]
"""``runner(params, rng, scenario=, grid=, start_year=, end_year=) -> yearly table``."""


class SweepError(InputError):
    """A sweep that cannot start or continue: the message says why and what to do."""


@dataclass(frozen=True)
class RunSettings:
    """What every run of a sweep shares: the base scenario, grid, years and what to keep."""

    scenario: scenario_module.Scenario
    grid: str
    start_year: int
    end_year: int
    keep_final: bool
    keep_yearly: bool

    @classmethod
    def of(cls, design: Design) -> RunSettings:
        """The settings of ``design``."""
        return cls(
            design.scenario,
            design.grid,
            design.start_year,
            design.end_year,
            design.keeps_final,
            design.keeps_yearly,
        )


@dataclass(frozen=True)
class ChunkResult:
    """A finished chunk: one row per run (status, timing, final values) and yearly rows."""

    runs: pd.DataFrame
    yearly: pd.DataFrame | None


def run_chunk(
    runs: Sequence[tuple[int, int, Mapping[str, Any]]],
    settings: RunSettings,
    runner: Runner = run,
) -> ChunkResult:
    """Run ``(run_id, seed, parameters)`` triples one after another; never raises for a run.

    A run that raises gets status ``error`` with its message and traceback; ``elapsed_s``
    is each run's wall time in seconds.
    """
    records, finals, yearly = [], [], []
    for run_id, seed, params in runs:
        began = time.perf_counter()
        record: dict[str, Any] = {"run_id": run_id, "status": "ok", "error": None}
        record["traceback"] = None
        try:
            table = runner(
                params,
                seed,
                scenario=settings.scenario,
                grid=settings.grid,
                start_year=settings.start_year,
                end_year=settings.end_year,
            )
        except Exception as error:
            record.update(
                status="error",
                error=f"{type(error).__name__}: {error}",
                traceback=traceback.format_exc(),
            )
        else:
            if settings.keep_final:
                finals.append(table.iloc[[-1]].assign(run_id=run_id))
            if settings.keep_yearly:
                yearly.append(table.assign(run_id=run_id))
        record["elapsed_s"] = time.perf_counter() - began
        records.append(record)
    table = pd.DataFrame.from_records(records).astype(
        {"error": "string", "traceback": "string", "status": "string"}
    )
    if finals:
        table = table.merge(pd.concat(finals, ignore_index=True), on="run_id", how="left")
    return ChunkResult(
        runs=table,
        yearly=_run_id_first(pd.concat(yearly, ignore_index=True)) if yearly else None,
    )


def _run_id_first(table: pd.DataFrame) -> pd.DataFrame:
    return table[["run_id", *(c for c in table.columns if c != "run_id")]]


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
    out.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        table = _prepare(design, store, resume, design_file, progress)
        store.remove_incomplete()
        finished = store.finished_runs()
        todo = table.loc[~table["run_id"].isin(finished["run_id"])]
        manifest = store.read_manifest()
        began = time.perf_counter()
        report = SweepReport(
            folder=out,
            runs=len(table),
            done=len(finished),
            failed=int((finished["status"] == "error").sum()),
            ran_now=0,
        )
        if len(todo):
            address = scheduler or os.environ.get(SCHEDULER_ENV)
            session = {
                "started": _now(),
                "started_epoch": time.time(),
                "runs_done_at_start": report.done,
                "scheduler": address or f"local ({workers or _cores()} workers)",
                "state": "running",
            }
            manifest["state"] = "running"
            manifest.setdefault("sessions", []).append(session)
            store.write_manifest(manifest)
            try:
                with _client(workers, address) as client:
                    report.workers = _check_workers(client, progress)
                    report.startup_s = time.perf_counter() - began
                    session.update(workers=report.workers, computing_since_epoch=time.time())
                    store.write_manifest(manifest)
                    _execute(client, design, todo, store, report, chunk_size, runner, progress)
                    report.compute_s = time.perf_counter() - began - report.startup_s
            except BaseException:
                session.update(state="interrupted", finished=_now())
                manifest["state"] = "interrupted"
                _close_session(session, report, began)
                store.write_manifest(manifest)
                raise
            session.update(state="finished", finished=_now(), workers=report.workers)
            _close_session(session, report, began)
        report.outputs = store.combine(table)
        manifest["state"] = "complete"
        manifest["finished"] = _now()
        manifest["runs_done"] = report.done
        manifest["runs_failed"] = report.failed
        manifest["wall_s_total"] = sum(s.get("wall_s", 0.0) for s in manifest.get("sessions", []))
        store.write_manifest(manifest)
        report.wall_s = time.perf_counter() - began
        return report


def _close_session(session: dict[str, Any], report: SweepReport, began: float) -> None:
    session.update(
        runs_done=report.ran_now,
        runs_done_total=report.done,
        runs_failed_total=report.failed,
        wall_s=time.perf_counter() - began,
        startup_s=report.startup_s,
        compute_s=report.compute_s,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so two drivers never write the same sweep."""
    with open(folder / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SweepError(
                f"{folder}: another 'karstsim sweep' is writing this folder; wait for it to "
                "finish or stop it, then resume"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _writer_alive(folder: Path) -> bool:
    """Whether a driver holds the lock of ``folder`` (it is released when one dies)."""
    path = folder / ".lock"
    if not path.exists():
        return False
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _prepare(
    design: Design, store: SweepStore, resume: bool, design_file: Path | None, progress: bool
) -> pd.DataFrame:
    """The sampled design: written for a new sweep, read back (and checked) to resume one."""
    from karstsim import __version__

    if not store.exists():
        table = design.sample()
        store.write_design(table)
        store.write_manifest(
            {
                "design_hash": design.hash,
                "design_file": _design_reference(design_file),
                "design": design.spec(),
                "karstsim_version": __version__,
                "runs": len(table),
                "created": _now(),
                "state": "new",
                "sessions": [],
            }
        )
        return table
    manifest = store.read_manifest()
    if not resume:
        raise SweepError(
            f"{store.folder} already holds a sweep ({manifest.get('state', 'unknown')}); "
            "add --resume to continue it, or choose another --out"
        )
    if manifest.get("design_hash") != design.hash:
        raise SweepError(
            f"{store.folder}: the design has changed since this sweep started (hash "
            f"{str(manifest.get('design_hash'))[:12]} on disk, {design.hash[:12]} now); resume "
            f"with the original design ({manifest.get('design_file') or 'see manifest.json'}) "
            "or start the new design in another --out folder"
        )
    if manifest.get("karstsim_version") != __version__ and progress:
        print(
            f"karstsim sweep: note: this sweep was started with karstsim "
            f"{manifest.get('karstsim_version')}, now running {__version__}",
            file=sys.stderr,
        )
    return store.read_design()


def _design_reference(design_file: Path | None) -> str | None:
    """The design file's absolute path, or the name of a shipped design as given."""
    if design_file is None:
        return None
    return str(design_file.resolve() if design_file.exists() else design_file)


@contextlib.contextmanager
def _client(workers: int | None, address: str | None) -> Iterator[Any]:
    """A Dask client: on the cluster at ``address``, or on a new local cluster."""
    from distributed import Client, LocalCluster

    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise SweepError(
                f"cannot reach the Dask scheduler at {address} ({error}); start one with "
                "'dask scheduler' and workers with 'dask worker ADDRESS'"
            ) from None
        with client:
            yield client
        return
    import dask

    with dask.config.set({f"distributed.nanny.pre-spawn-environ.{MALLOC_TRIM}": None}):
        cluster = LocalCluster(
            n_workers=workers or _cores(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    with cluster, Client(cluster) as client:
        yield client


def _worker_info() -> tuple[str, str | None]:
    import karstsim

    return karstsim.__version__, os.environ.get(MALLOC_TRIM)


def _check_workers(client: Any, progress: bool) -> int:
    """The cluster's worker threads; every worker must run this karstsim version."""
    from karstsim import __version__

    try:
        info = client.run(_worker_info)
    except ImportError as error:
        raise SweepError(
            f"the Dask workers cannot import karstsim ({error}); install it on every worker"
        ) from None
    wrong = {w: v for w, (v, _) in info.items() if v != __version__}
    if wrong:
        raise SweepError(
            f"Dask workers run another karstsim version than this driver ({__version__}): "
            f"{wrong}; install the same version everywhere"
        )
    trimmed = [w for w, (_, trim) in info.items() if trim is not None]
    if trimmed and progress:
        print(
            f"karstsim sweep: note: {len(trimmed)} worker(s) run with {MALLOC_TRIM} set, "
            "which makes runs about twice as slow; start them with the Dask setting "
            f"distributed.nanny.pre-spawn-environ.{MALLOC_TRIM}: null (see the README)",
            file=sys.stderr,
        )
    return sum(client.nthreads().values())


def _execute(
    client: Any,
    design: Design,
    todo: pd.DataFrame,
    store: SweepStore,
    report: SweepReport,
    chunk_size: int | None,
    runner: Runner,
    progress: bool,
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
    sizes = chunk_sizes(len(todo), slots, chunk_size)
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
            runner,
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
        disable=None if progress else True,
        file=sys.stderr,
        smoothing=0.1,
    )

    def record(chunk: _Chunk, result: ChunkResult) -> None:
        store.write_chunk(chunk.chunk_id, result.runs, result.yearly)
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
                record(chunk, _killer(chunk))
            else:
                suspects.extend(
                    _Chunk(next(ids), chunk.rows.iloc[[i]], suspect=True)
                    for i in range(len(chunk.rows))
                )
            del future
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


def _killer(chunk: _Chunk) -> ChunkResult:
    """The record of a single run whose worker process died each time it ran it."""
    runs = pd.DataFrame(
        {
            "run_id": [int(chunk.rows["run_id"].iloc[0])],
            "status": ["error"],
            "error": [
                "KilledWorker: the worker process died while running this run alone "
                "(out of memory?)"
            ],
            "traceback": [None],
            "elapsed_s": [float("nan")],
        }
    ).astype({"error": "string", "traceback": "string", "status": "string"})
    return ChunkResult(runs=runs, yearly=None)


# --- status --------------------------------------------------------------------------------
def status(folder: Path) -> dict[str, Any]:
    """Progress of the sweep in ``folder``: counts, state, rate (runs/s) and time left (s).

    ``state`` is ``new``, ``running``, ``stopped`` (marked running, but no driver holds the
    folder's lock: it was killed), ``interrupted`` or ``complete``.
    """
    store = SweepStore(folder)
    manifest = store.read_manifest()
    finished = store.finished_runs()
    done = len(finished)
    total = int(manifest.get("runs", 0))
    info: dict[str, Any] = {
        "name": manifest.get("design", {}).get("name"),
        "state": manifest.get("state"),
        "runs": total,
        "done": done,
        "failed": int((finished["status"] == "error").sum()),
        "design_file": manifest.get("design_file"),
        "design_hash": manifest.get("design_hash"),
        "karstsim_version": manifest.get("karstsim_version"),
        "last_write": store.last_write(),
        "rate_per_s": None,
        "seconds_left": None,
    }
    if info["state"] == "running" and not _writer_alive(folder):
        info["state"] = "stopped"
    sessions = manifest.get("sessions") or []
    if sessions and info["state"] == "running":
        current = sessions[-1]
        ran = done - int(current.get("runs_done_at_start", 0))
        since = current.get("computing_since_epoch", current.get("started_epoch", time.time()))
        elapsed = time.time() - float(since)
        if ran > 0 and elapsed > 0:
            info["rate_per_s"] = ran / elapsed
            info["seconds_left"] = (total - done) / info["rate_per_s"]
    return info


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


# --- command line --------------------------------------------------------------------------
def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _cmd_sweep(args: argparse.Namespace) -> int:
    design = sweep_design.load(args.design)
    if args.workers is not None and args.workers < 1:
        raise SweepError(f"--workers {args.workers}: must be at least 1")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise SweepError(f"--chunk-size {args.chunk_size}: must be at least 1")
    from karstsim.experiments.cli import ensure_writable

    out = ensure_writable(args.out)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        report = run_sweep(
            design,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            chunk_size=args.chunk_size,
            design_file=args.design,
        )
    except KeyboardInterrupt:
        print(
            f"karstsim sweep: stopped; finished runs are kept in {out}/. Continue with: "
            f"karstsim sweep {args.design} --out {out} --resume",
            file=sys.stderr,
        )
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    where = args.scheduler or os.environ.get(SCHEDULER_ENV) or "local cluster"
    print(
        f"karstsim sweep: {design.name}: {report.done} of {report.runs} runs done "
        f"({report.failed} failed), {report.ran_now} now in {_duration(report.wall_s)} on "
        f"{report.workers} worker thread(s) ({where})"
    )
    print(f"  results: {', '.join(str(p) for p in report.outputs)}")
    if report.failed:
        print("  failed runs: see the status, error and traceback columns of results.parquet")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    info = status(args.folder)
    runs, done = info["runs"], info["done"]
    share = 100 * done / runs if runs else 100.0
    print(f"sweep {info['name']} in {args.folder} (karstsim {info['karstsim_version']})")
    print(
        f"  {done} of {runs} runs done ({share:.1f} %), {info['failed']} failed, "
        f"{runs - done} to go"
    )
    if info["last_write"] is not None:
        print(f"  last chunk written {_duration(time.time() - info['last_write'])} ago")
    state = info["state"]
    if state == "complete":
        print(f"  complete: results in {args.folder / 'results.parquet'}")
    elif state == "running" and info["seconds_left"] is not None:
        print(
            f"  running: {info['rate_per_s']:.2f} runs/s, about "
            f"{_duration(info['seconds_left'])} left"
        )
    elif state == "running":
        print("  running: no run finished in this session yet")
    else:
        reason = {"stopped": "the sweep was killed", "interrupted": "the sweep was stopped"}
        print(
            f"  {state} ({reason.get(state, 'nothing is running')}): continue with: karstsim "
            f"sweep {info['design_file'] or 'DESIGN.toml'} --out {args.folder} --resume"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``sweep`` and ``sweep-status`` commands."""
    sweep = sub.add_parser(
        "sweep",
        help="run a batch sweep described by a design file, locally or on a Dask cluster",
    )
    shipped = ", ".join(sweep_design.shipped_names())
    sweep.add_argument(
        "design", type=Path, help=f"a design file (.toml), or a shipped design: {shipped}"
    )
    sweep.add_argument("--out", type=Path, required=True, help="the sweep's folder")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, default=None, help="local worker processes (default: the cores)"
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help=f"a running Dask scheduler, e.g. tcp://host:8786 (default: ${SCHEDULER_ENV})",
    )
    sweep.add_argument(
        "--resume", action="store_true", help="continue the sweep in --out where it stopped"
    )
    sweep.add_argument(
        "--chunk-size", type=int, default=None, help="runs per task (default: automatic)"
    )
    stat = sub.add_parser("sweep-status", help="progress of a sweep, also one running elsewhere")
    stat.add_argument("folder", type=Path, help="the sweep's folder")
    return {"sweep": _cmd_sweep, "sweep-status": _cmd_status}
