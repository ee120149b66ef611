"""What a Dask worker runs for a sweep: a chunk of runs, each caught and recorded as data.

A run that raises gets status ``error`` with its message and traceback, so a worker never
fails a task for a run's own exception (Dask blames every task of a dying worker). Runs
of the same seed reuse the start landscape this process generated for an earlier one
when the parameters it was generated from are the same (:data:`WORKER_LANDSCAPES`).
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from karstsim.experiments.run import run
from karstsim.experiments.sweep_design import Design
from karstsim.model import landscape_cache
from karstsim.model import scenario as scenario_module

Runner = Callable[..., pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]]
"""``runner(params, rng, scenario=, grid=, start_year=, end_year=) -> yearly table``, or
``(yearly table, regional table)`` for a runner that keeps the results by region."""


WORKER_LANDSCAPES = landscape_cache.LandscapeCache()
"""The start landscapes this process generated for sweep runs, kept for later runs of
the same seed (common random numbers: every run of a replicate has one), within
:func:`landscapes_mb`."""
CACHE_SHARE_OF_WORKER_MEMORY = 0.25
"""Share of a Dask worker's memory limit its kept landscapes may take: a run at 250 m
needs about 1.3 GB besides, and a worker over its limit is restarted by its nanny."""


def landscapes_mb(memory_limit_bytes: float | None) -> float:
    """What the kept landscapes may take, MB, in a worker with that memory limit (None or
    0: no limit): :data:`CACHE_SHARE_OF_WORKER_MEMORY` of it, at most
    :data:`~karstsim.model.landscape_cache.DEFAULT_MAX_MB`."""
    if not memory_limit_bytes:
        return landscape_cache.DEFAULT_MAX_MB
    share = CACHE_SHARE_OF_WORKER_MEMORY * memory_limit_bytes / 2**20
    return min(landscape_cache.DEFAULT_MAX_MB, share)


def _dask_memory_limit() -> float | None:
    """This Dask worker's memory limit in bytes (None outside a worker or without one)."""
    if "distributed" not in sys.modules:  # not in a worker; importing it would cost 0.5 s
        return None
    from distributed import get_worker

    try:
        return get_worker().memory_manager.memory_limit
    except ValueError:  # not inside a worker's task
        return None


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

    def runner_arguments(self) -> dict[str, Any]:
        """What every run passes its runner besides the parameters and the seed."""
        return {
            "scenario": self.scenario,
            "grid": self.grid,
            "start_year": self.start_year,
            "end_year": self.end_year,
        }


@dataclass(frozen=True)
class ChunkResult:
    """A finished chunk: one row per run (status, timing, final values) and yearly rows."""

    runs: pd.DataFrame
    yearly: pd.DataFrame | None
    regions: pd.DataFrame | None = None
    """Every year's row of every region of the chunk's runs (real maps), or None."""


def run_chunk(
    runs: Sequence[tuple[int, int, Mapping[str, Any]]],
    settings: RunSettings,
    runner: Runner = run,
) -> ChunkResult:
    """Run ``(run_id, seed, parameters)`` triples one after another; never raises for a run.

    A run that raises gets status ``error`` with its message and traceback; ``elapsed_s``
    is each run's wall time in seconds.
    """
    WORKER_LANDSCAPES.resize(landscapes_mb(_dask_memory_limit()))
    with landscape_cache.reusing(WORKER_LANDSCAPES):
        records, finals, yearly, regional = _run_each(runs, settings, runner)
    table = pd.DataFrame.from_records(records).astype(
        {"error": "string", "traceback": "string", "status": "string"}
    )
    if finals:
        table = table.merge(pd.concat(finals, ignore_index=True), on="run_id", how="left")
    return ChunkResult(
        runs=table,
        yearly=_run_id_first(pd.concat(yearly, ignore_index=True)) if yearly else None,
        regions=_run_id_first(pd.concat(regional, ignore_index=True)) if regional else None,
    )


def _run_each(
    runs: Sequence[tuple[int, int, Mapping[str, Any]]], settings: RunSettings, runner: Runner
) -> tuple[list[dict[str, Any]], list[pd.DataFrame], list[pd.DataFrame], list[pd.DataFrame]]:
    """Each run's record, and its final, yearly and regional rows (as ``settings`` keeps
    them)."""
    records, finals, yearly, regional = [], [], [], []
    for run_id, seed, params in runs:
        began = time.perf_counter()
        record: dict[str, Any] = {"run_id": run_id, "status": "ok", "error": None}
        record["traceback"] = None
        try:
            result = runner(params, seed, **settings.runner_arguments())
        except Exception as error:
            record.update(
                status="error",
                error=f"{type(error).__name__}: {error}",
                traceback=traceback.format_exc(),
            )
        else:
            table, regions = result if isinstance(result, tuple) else (result, None)
            if regions is not None and len(regions):
                regional.append(regions.assign(run_id=run_id))
            if settings.keep_final:
                finals.append(table.iloc[[-1]].assign(run_id=run_id))
            if settings.keep_yearly:
                yearly.append(table.assign(run_id=run_id))
        record["elapsed_s"] = time.perf_counter() - began
        records.append(record)
    return records, finals, yearly, regional


def _run_id_first(table: pd.DataFrame) -> pd.DataFrame:
    return table[["run_id", *(c for c in table.columns if c != "run_id")]]


def killed_run(run_id: int) -> ChunkResult:
    """The record of a single run whose worker process died each time it ran it."""
    runs = pd.DataFrame(
        {
            "run_id": [run_id],
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
