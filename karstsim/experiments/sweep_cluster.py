"""The Dask cluster a sweep runs on: a new local one, or an existing one at an address."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

from karstsim.experiments.sweep_store import SweepError

MALLOC_TRIM = "MALLOC_TRIM_THRESHOLD_"
"""Dask's nannies set this for their workers (65536 bytes). It turns off glibc's adaptive
mmap threshold, so every numpy array above 128 KiB is mapped and unmapped anew and a
karstsim run takes about twice as long: local clusters start without it."""


LOCAL_CLUSTER_CONFIG = {
    f"distributed.nanny.pre-spawn-environ.{MALLOC_TRIM}": None,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
}
"""Dask settings of the local clusters sweeps start: glibc's adaptive mmap threshold kept
(:data:`MALLOC_TRIM`), and neither the workers' statistical profiler (a stack sample of
every thread each 10 ms, for the dashboard, which local sweeps do not open) nor the GIL
monitor (a poll each 1 ms where gilknocker is installed) competing with the runs for the
cores."""


SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
"""The address schemes of Dask's communication layers."""
WORKER_WAIT_S = 60.0
"""How long a sweep waits for the first worker to join a scheduler that has none."""
CONNECT_TIMEOUT = "20s"
"""How long a sweep tries to reach a scheduler."""


def check_address(text: str, given_as: str = "--scheduler") -> str:
    """``text`` if it is a Dask scheduler address (``tcp://HOST:PORT`` or ``HOST:PORT``, or
    another of :data:`SCHEMES`); else an error naming ``given_as`` and the allowed form."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    host, colon, port = rest.rpartition(":")
    valid = scheme in SCHEMES and (
        scheme == "inproc" or (bool(host) and port.isdigit() and 0 < int(port) < 65536)
    )
    if not (colon or scheme == "inproc") or not valid:
        raise SweepError(
            f"{given_as} {text!r}: not a Dask scheduler address; expected tcp://HOST:PORT or "
            f"HOST:PORT with a port of 1–65535 (schemes: {', '.join(SCHEMES)}), "
            "e.g. tcp://127.0.0.1:8786"
        )
    return text


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def client(workers: int | None, address: str | None) -> Iterator[Any]:
    """A Dask client: on the cluster at ``address``, or on a new local cluster."""
    from distributed import Client, LocalCluster

    if address:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise SweepError(
                f"cannot reach the Dask scheduler at {address} ({error}); start one with "
                "'dask scheduler' and workers with 'dask worker ADDRESS'"
            ) from None
        with client:
            yield client
        return
    import dask

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(
            n_workers=workers or cores(),
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


def check_workers(client: Any, progress: bool) -> int:
    """The cluster's worker threads; every worker must run this karstsim version."""
    from karstsim import __version__

    _await_workers(client, progress)
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


def _await_workers(client: Any, progress: bool) -> None:
    """Return once the cluster has a worker; say that the sweep waits, and give up after
    :data:`WORKER_WAIT_S` seconds with an error that says how to start workers."""
    if client.scheduler_info().get("workers"):
        return
    address = client.scheduler.address
    if progress:
        print(
            f"karstsim sweep: the Dask scheduler at {address} has no workers yet; waiting up "
            f"to {WORKER_WAIT_S:g} s for one (start them with 'dask worker {address}')",
            file=sys.stderr,
        )
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise SweepError(
            f"the Dask scheduler at {address} has no workers: none joined within "
            f"{WORKER_WAIT_S:g} s; start them with 'dask worker {address}', then run the "
            "sweep again"
        ) from None
