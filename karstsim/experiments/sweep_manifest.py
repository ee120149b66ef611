"""A sweep folder's bookkeeping: its lock, its manifest (new or resumed) and its status.

The manifest (``manifest.json``, written by :class:`~karstsim.experiments.sweep_store.SweepStore`)
holds the design's hash and spec, the karstsim version, the state and one record per session.
"""

from __future__ import annotations

import contextlib
import fcntl
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments import provenance
from karstsim.experiments.sweep_design import Design
from karstsim.experiments.sweep_store import LOCK, SweepError, SweepStore


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so two drivers never write the same sweep."""
    with open(folder / LOCK, "a+") as handle:
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


def writer_alive(folder: Path) -> bool:
    """Whether a driver holds the lock of ``folder`` (it is released when one dies)."""
    path = folder / LOCK
    if not path.exists():
        return False
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def check_folder(store: SweepStore, resume: bool) -> None:
    """Refuse ``--resume`` where there is no sweep, and a new sweep in a folder of other
    files (an empty folder, or one of an earlier sweep, is fine)."""
    folder = store.folder
    if store.exists():
        return
    if resume:
        raise SweepError(
            f"--resume {folder}: no sweep to resume there (no manifest.json); give the folder "
            "of a started sweep, or drop --resume to start a new one"
        )
    if folder.is_dir() and any(p.name != LOCK for p in folder.iterdir()):
        raise SweepError(
            f"--out {folder}: the folder holds other files and no sweep; give a new or empty "
            "folder (or the folder of a sweep, to resume it)"
        )
    if folder.exists() and not folder.is_dir():
        raise SweepError(f"--out {folder}: is a file; give a new or empty folder")


def prepare(
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
                "provenance": provenance.record(
                    seeds=table["seed"],
                    scenario=design.scenario_source,
                    design=design.source,
                ),
                "runs": len(table),
                "created": now(),
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


def status(folder: Path) -> dict[str, Any]:
    """Progress of the sweep in ``folder``: counts, state, rate (runs/s) and time left (s).

    ``state`` is ``new``, ``running``, ``stopped`` (marked running, but no driver holds the
    folder's lock: it was killed), ``interrupted``, ``complete`` or ``damaged`` (complete,
    but chunks were damaged since). ``damaged`` describes
    each damaged chunk (its runs count as not done; a resumed sweep runs them again).
    """
    store = SweepStore(folder)
    manifest = store.read_manifest()
    total = int(manifest.get("runs", 0))
    damaged = store.damaged_chunks(range(total))
    finished = store.finished_runs(skip={chunk.chunk_id for chunk in damaged})
    done = len(finished)
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
        "damaged": [chunk.describe() for chunk in damaged],
    }
    if info["state"] == "running" and not writer_alive(folder):
        info["state"] = "stopped"
    info["results_problem"] = store.results_problem() if info["state"] == "complete" else None
    if info["state"] == "complete" and (damaged or info["results_problem"]):
        info["state"] = "damaged"
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
