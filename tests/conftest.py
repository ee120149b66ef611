"""Shared fixtures: tiny hand-made landscapes and small generated ones."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import numpy as np
import pytest
from cluster_helpers import local_cluster

from karstsim.model import parameters
from karstsim.model.layers import LAYERS, LandCover, Landscape, layer_dtype

# the static geography's disk cache of this test session (and its subprocesses): a fresh
# one, so that tests neither read a user's entries nor leave theirs behind in the home
os.environ["KARSTSIM_CACHE"] = tempfile.mkdtemp(prefix="karstsim-test-cache-")
atexit.register(shutil.rmtree, os.environ["KARSTSIM_CACHE"], ignore_errors=True)


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
