"""Local Dask clusters for the sweep tests."""

from __future__ import annotations

import logging

from distributed import LocalCluster


def local_cluster(n_workers: int = 2, processes: bool = True):
    """A local Dask cluster of single-threaded workers (processes, or threads of this one)."""
    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
