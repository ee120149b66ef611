"""The on-disk record of a sweep, written so that nothing is lost and nothing is doubled.

A sweep folder holds::

    manifest.json          design hash and spec, package version, state, sessions and timing
    design.parquet         one row per run: run_id, sample, replicate, seed, varied parameters
    chunks/runs-NNNNNN.parquet    one row per finished run of chunk NNNNNN (status, error,
                                  elapsed_s and, if kept, the final year's outputs)
    chunks/yearly-NNNNNN.parquet  every year's outputs of the chunk's runs (if kept)
    chunks/regions-NNNNNN.parquet every year's outputs of every region (real maps, if kept)
    chunks/damaged/        chunks found damaged, set aside (their runs ran again)
    results.parquet        at the end: design.parquet joined with every chunk's runs rows
    yearly.parquet         at the end, if kept: every run's yearly rows (run_id, year, ...)
    regions.parquet        at the end, on a real map: every run's regional rows
                           (run_id, year, adcode, ...)
    ensemble.nc            at the end: all of it as one xarray Dataset (run × year × region)
    .lock                  locked by the driver writing the folder (see ``karstsim.experiments.sweep_manifest``)

Every file is written under a temporary name, flushed to disk and renamed, so a file that
exists is complete. A chunk's ``runs`` file is written last and is what makes its runs
count as done; a ``yearly`` file without its ``runs`` file is a chunk cut short and is
removed before a sweep resumes.

A ``runs`` file records, in its Parquet metadata, the run ids it holds and how many yearly
rows its ``yearly`` file holds. A chunk whose files cannot be read or do not hold what that
record says (a full disk, a broken copy, a network share) is *damaged*: it is moved to
``chunks/damaged/`` and its runs count as not done, so a resumed sweep runs them again.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from karstsim.experiments.atomic_output import TEMPORARY, write_atomic
from karstsim.model.parameters import InputError

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RESULTS = "results.parquet"
YEARLY = "yearly.parquet"
REGIONS = "regions.parquet"
LOCK = ".lock"
CHUNKS = "chunks"
DAMAGED = "damaged"
_RECORD = b"karstsim.chunk"
_CHUNK_FILE = re.compile(r"^(runs|yearly|regions)-(\d{6})\.parquet$")
_EXTRA_KINDS = ("yearly", "regions")
"""The chunk files written before a chunk's runs file, which records their row counts."""


class SweepError(InputError):
    """A sweep that cannot start or continue: the message says why and what to do."""


class SweepStoreError(SweepError):
    """A sweep folder that is missing, damaged or holds a different sweep."""


def _write_parquet(path: Path, table: pa.Table) -> None:
    write_atomic(path, lambda handle: pq.write_table(table, handle))


@dataclass(frozen=True)
class DamagedChunk:
    """A chunk whose files cannot be read or do not hold what its record says."""

    chunk_id: int
    files: tuple[Path, ...]
    reason: str

    def describe(self) -> str:
        """``runs-000003.parquet: <reason>``."""
        return f"{self.files[0].name}: {self.reason}"


def _with_record(table: pa.Table, record: dict[str, Any]) -> pa.Table:
    metadata = {**(table.schema.metadata or {}), _RECORD: json.dumps(record).encode("utf-8")}
    return table.replace_schema_metadata(metadata)


def _read_error(error: Exception) -> str:
    return f"cannot be read ({str(error).strip().splitlines()[0] if str(error) else error})"


class SweepStore:
    """Reads and writes one sweep folder (see the module docstring for its layout)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.chunks = self.folder / CHUNKS

    # --- manifest and design ------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the folder holds a sweep (has a manifest)."""
        return (self.folder / MANIFEST).is_file()

    def read_manifest(self) -> dict[str, Any]:
        """The manifest; a clear error if the folder holds no sweep."""
        path = self.folder / MANIFEST
        try:
            return json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise SweepStoreError(
                f"{self.folder}: no sweep here (no {MANIFEST}); start one with 'karstsim sweep'"
            ) from None
        except (OSError, json.JSONDecodeError) as error:
            raise SweepStoreError(f"{path}: cannot be read ({error})") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        text = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        write_atomic(self.folder / MANIFEST, lambda handle: handle.write(text))

    def write_design(self, design: pd.DataFrame) -> None:
        """Write the sampled design (one row per run)."""
        self.chunks.mkdir(parents=True, exist_ok=True)
        _write_parquet(self.folder / DESIGN, pa.Table.from_pandas(design, preserve_index=False))

    def read_design(self) -> pd.DataFrame:
        """The sampled design, one row per run, in run_id order."""
        try:
            return pd.read_parquet(self.folder / DESIGN)
        except (OSError, pa.ArrowException) as error:
            raise SweepStoreError(f"{self.folder / DESIGN}: cannot be read ({error})") from None

    def discard(self, remove_folder: bool) -> None:
        """Delete a sweep that ran nothing: its manifest, design, chunks folder and lock (and
        the folder itself if ``remove_folder`` and it is then empty), so that the same
        command can be run again."""
        for name in (MANIFEST, DESIGN, LOCK):
            (self.folder / name).unlink(missing_ok=True)
        shutil.rmtree(self.chunks, ignore_errors=True)
        if remove_folder:
            with contextlib.suppress(OSError):
                self.folder.rmdir()

    # --- chunks ------------------------------------------------------------------------------
    def _chunk_files(self, kind: str) -> dict[int, Path]:
        if not self.chunks.is_dir():
            return {}
        files = {}
        for path in self.chunks.iterdir():
            match = _CHUNK_FILE.match(path.name)
            if match and match[1] == kind:
                files[int(match[2])] = path
        return dict(sorted(files.items()))

    def remove_incomplete(self) -> None:
        """Delete temporary files and the yearly files of chunks cut short."""
        committed = self._chunk_files("runs")
        for folder in (self.folder, self.chunks):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                match = _CHUNK_FILE.match(path.name)
                orphan = match is not None and match[1] != "runs" and int(match[2]) not in committed
                if path.name.startswith(TEMPORARY) or orphan:
                    path.unlink()

    def next_chunk_id(self) -> int:
        """The first chunk number not used yet."""
        used = [*self._chunk_files("runs"), *self._chunk_files("yearly")]
        used += self._chunk_files("regions")
        return max(used, default=-1) + 1

    def write_chunk(
        self,
        chunk_id: int,
        runs: pd.DataFrame,
        yearly: pd.DataFrame | None,
        regions: pd.DataFrame | None = None,
    ) -> None:
        """Write one finished chunk: its yearly and regional rows first, then its runs (the
        commit), which records the chunk's run ids and the other files' row counts."""
        record: dict[str, Any] = {"run_ids": [int(i) for i in runs["run_id"]]}
        for kind, rows in (("yearly", yearly), ("regions", regions)):
            record[f"{kind}_rows"] = 0 if rows is None else len(rows)
            if record[f"{kind}_rows"]:
                _write_parquet(
                    self._chunk_path(kind, chunk_id),
                    pa.Table.from_pandas(rows, preserve_index=False),
                )
        _write_parquet(
            self._chunk_path("runs", chunk_id),
            _with_record(pa.Table.from_pandas(runs, preserve_index=False), record),
        )

    def _chunk_path(self, kind: str, chunk_id: int) -> Path:
        return self.chunks / f"{kind}-{chunk_id:06d}.parquet"

    def damaged_chunks(self, run_ids: Collection[int]) -> list[DamagedChunk]:
        """Every chunk whose files cannot be read in full, or whose runs file does not hold
        the run ids and yearly rows it records, or holds a run id not in ``run_ids``."""
        extras = {kind: self._chunk_files(kind) for kind in _EXTRA_KINDS}
        known = frozenset(run_ids)
        damaged = []
        for chunk_id, path in self._chunk_files("runs").items():
            parts = {kind: files[chunk_id] for kind, files in extras.items() if chunk_id in files}
            files = (path, *parts.values())
            reason = self._chunk_problem(path, parts, known)
            if reason is not None:
                damaged.append(DamagedChunk(chunk_id, files, reason))
        return damaged

    @staticmethod
    def _chunk_problem(
        runs_path: Path, parts: dict[str, Path], run_ids: frozenset[int]
    ) -> str | None:
        """What is wrong with one chunk's files, or None."""
        try:
            runs = pq.read_table(runs_path)
        except (OSError, pa.ArrowException) as error:
            return _read_error(error)
        ids = runs["run_id"].to_pylist() if "run_id" in runs.column_names else []
        unknown = sorted(set(ids) - run_ids)
        if unknown:
            return f"holds run id(s) {unknown[:5]} that are not in the design"
        record = json.loads((runs.schema.metadata or {}).get(_RECORD, b"null"))
        if record is None:  # written before chunks carried their record
            return None
        if len(ids) != len(record["run_ids"]) or set(ids) != set(record["run_ids"]):
            return f"holds {len(ids)} run(s), expected {len(record['run_ids'])}"
        for kind in _EXTRA_KINDS:
            expected = record.get(f"{kind}_rows", 0)
            path = parts.get(kind)
            if not expected:
                continue
            if path is None:
                return f"its {kind} file {runs_path.name.replace('runs-', f'{kind}-')} is missing"
            try:
                rows = pq.read_table(path).num_rows
            except (OSError, pa.ArrowException) as error:
                return f"{path.name} {_read_error(error)}"
            if rows != expected:
                return f"{path.name} holds {rows} rows, expected {expected}"
        return None

    def move_aside(self, damaged: Collection[DamagedChunk]) -> Path:
        """Move the files of ``damaged`` chunks to ``chunks/damaged/`` (never overwriting one
        already there); returns that folder."""
        folder = self.chunks / DAMAGED
        folder.mkdir(exist_ok=True)
        for chunk in damaged:
            for path in chunk.files:
                target = folder / path.name
                if target.exists():
                    target = folder / f"{path.stem}-{time.time_ns()}{path.suffix}"
                os.replace(path, target)
        return folder

    def finished_runs(self, skip: Collection[int] = ()) -> pd.DataFrame:
        """``run_id`` and ``status`` of every run on disk, one row per run, leaving out the
        chunks numbered in ``skip`` (damaged ones)."""
        parts = [
            pq.read_table(path, columns=["run_id", "status"]).to_pandas()
            for chunk_id, path in self._chunk_files("runs").items()
            if chunk_id not in skip
        ]
        if not parts:
            return pd.DataFrame({"run_id": pd.Series(dtype="int64"), "status": []})
        finished = pd.concat(parts, ignore_index=True)
        doubled = finished["run_id"].duplicated()
        if doubled.any():
            raise SweepStoreError(
                f"{self.chunks}: run(s) {finished.loc[doubled, 'run_id'].tolist()[:5]} are "
                "recorded twice; the folder was changed by hand"
            )
        return finished

    def finished_runs_on_disk(self) -> bool:
        """Whether any chunk of finished runs has been written."""
        return bool(self._chunk_files("runs"))

    def results_problem(self) -> str | None:
        """Why the combined results (results.parquet, yearly.parquet) cannot be read, or
        None; checks the files' footers, which a cut-short copy lacks."""
        for name, kind in ((RESULTS, "runs"), (YEARLY, "yearly"), (REGIONS, "regions")):
            path = self.folder / name
            if not path.exists() and not self._chunk_files(kind):
                continue
            try:
                pq.read_metadata(path)
            except (OSError, pa.ArrowException) as error:
                return f"{name} {_read_error(error)}"
        return None

    def last_write(self) -> float | None:
        """When the newest chunk was written (seconds since the epoch), or None."""
        times = [p.stat().st_mtime for p in self._chunk_files("runs").values()]
        return max(times, default=None)

    # --- combined results ------------------------------------------------------------------
    def combine(self, design: pd.DataFrame) -> list[Path]:
        """Write ``results.parquet`` (and ``yearly.parquet``) from the chunks, chunk by chunk.

        Memory stays at one chunk's size. Rows come in chunk order, sorted by run_id (and
        year) within a chunk: sort them if you need a global order.
        """
        if not np.array_equal(design["run_id"].to_numpy(), np.arange(len(design))):
            raise SweepStoreError(f"{self.folder / DESIGN}: run ids are not 0, 1, 2, …")
        design_table = pa.Table.from_pandas(design, preserve_index=False)

        def with_design(part: pa.Table) -> pa.Table:
            rows = design_table.take(part["run_id"])
            for name in part.column_names:
                if name == "run_id":
                    continue
                field = part.field(name)
                if name in rows.column_names:  # an output named like a parameter (e.g. rangers)
                    field = field.with_name(f"{name}{OUTPUT_SUFFIX}")
                rows = rows.append_column(field, part[name])
            return rows

        written = [self._combine_kind("runs", self.folder / RESULTS, with_design)]
        for kind, name in (("yearly", YEARLY), ("regions", REGIONS)):
            if self._chunk_files(kind):
                written.append(self._combine_kind(kind, self.folder / name, lambda part: part))
        return written

    def _combine_kind(self, kind: str, target: Path, shape: Callable[[pa.Table], pa.Table]) -> Path:
        files = list(self._chunk_files(kind).values())
        schema = pa.unify_schemas(
            [shape(pq.read_schema(path).empty_table()).schema for path in files],
            promote_options="permissive",
        ).remove_metadata()

        def write(handle: BinaryIO) -> None:
            with pq.ParquetWriter(handle, schema) as writer:
                for path in files:
                    part = pq.read_table(path)
                    keys = [(k, "ascending") for k in ("run_id", "year") if k in part.column_names]
                    writer.write_table(_conform(shape(part.sort_by(keys)), schema))

        write_atomic(target, write)
        return target


OUTPUT_SUFFIX = "_output"
"""Suffix of an output column in results.parquet whose name is also a varied parameter's."""


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema``'s columns in order; missing columns filled with nulls."""
    columns = [
        table[field.name].cast(field.type)
        if field.name in table.column_names
        else pa.nulls(len(table), field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)
