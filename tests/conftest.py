"""Shared fixtures: tiny hand-made landscapes and small generated ones."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import numpy as np
import pytest
from cluster_helpers import local_cluster
from requirements_check import BROWSER, CJK_FONT, missing, summary

from karstsim.model import parameters
from karstsim.model.layers import LAYERS, LandCover, Landscape, layer_dtype

# the static geography's disk cache of this test session (and its subprocesses): a fresh
# one, so that tests neither read a user's entries nor leave theirs behind in the home
os.environ["KARSTSIM_CACHE"] = tempfile.mkdtemp(prefix="karstsim-test-cache-")
atexit.register(shutil.rmtree, os.environ["KARSTSIM_CACHE"], ignore_errors=True)


_SKIPPED = pytest.StashKey[tuple[list[str], set[str]]]()
"""The tests skipped for what the machine lacks, and what it lacks for them."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{BROWSER}: drives Debian's Chromium with Playwright")
    config.addinivalue_line("markers", f"{CJK_FONT}: needs a Chinese font installed")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests whose machine extras are missing (see :mod:`requirements_check`)."""
    skipped: list[str] = []
    lacking_any: set[str] = set()
    for item in items:
        lacking = [
            thing
            for marker in (BROWSER, CJK_FONT)
            if item.get_closest_marker(marker)
            for thing in missing()[marker]
        ]
        if lacking:
            item.add_marker(pytest.mark.skip(reason=f"missing {', '.join(lacking)}"))
            skipped.append(item.name)
            lacking_any.update(lacking)
    config.stash[_SKIPPED] = (skipped, lacking_any)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped, lacking = config.stash.get(_SKIPPED, ([], set()))
    if skipped:
        terminalreporter.write_line(summary(skipped, lacking))


def blank_landscape(shape=(1, 1), **values) -> Landscape:
    """A landscape of ``shape`` whose every layer is zero unless given in ``values``.

    Values may be scalars (filled everywhere) or arrays of ``shape``.
    """
    land = Landscape(land=np.ones(shape, dtype=bool), cell_size_km=1.0, year=2020)
    for name in LAYERS:
        fill = values.get(name, 0)
        land[name] = np.broadcast_to(np.asarray(fill, dtype=layer_dtype(name)), shape).copy()
    land["land_cover"] = np.broadcast_to(
        np.asarray(values.get("land_cover", LandCover.GRASS), dtype=np.int8), shape
    ).copy()
    return land


@pytest.fixture
def params():
    return parameters.resolve()


@pytest.fixture(scope="session")
def province_2020():
    from karstsim import KarstModel

    return KarstModel("plan14", rng=7, grid="province")


@pytest.fixture(scope="module")
def thread_cluster():
    """The address of a one-worker Dask cluster in this process (threads: quick to start,
    runners need not be sent by value)."""
    with local_cluster(1, processes=False) as local:
        yield local.scheduler_address
