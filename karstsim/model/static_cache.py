"""A disk cache of the real map's static geography, shared by processes.

The rasterised counties and prefectures of a region, the DEM resampled onto its grid and
the distance to the nearest mountain belt and river depend only on the shipped data, the
grid and the code that makes them, never on a seed or a parameter; yet each costs a
fresh process its share of a build (with rasterio's import, ~0.25 s of the province's
0.7 s at 1 km, ~1.5 s at 250 m). They are kept within a process already (``functools``
caches); this keeps them on disk too, so that the next process (a ``karstsim run``, a
sweep's worker, the app) loads the same arrays instead of computing them again.

Exact: an entry holds the arrays as computed (``.npy`` bytes), under a key made of what
they depend on — the entry's arguments, the shipped data files, the source of the modules
that compute them and the versions of numpy, scipy and rasterio — so a change of any of
these makes a new entry, never a stale answer.

Where: ``$KARSTSIM_CACHE``, else ``$XDG_CACHE_HOME/karstsim``, else ``~/.cache/karstsim``;
``KARSTSIM_CACHE=off`` turns it off. A cache that cannot be written (read-only home) is
skipped silently: the arrays are computed as without it. Entries of older code are never
read again but stay: delete the folder to clear it.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np

OFF = {"off", "0", "no", "false", "none"}
_SOURCES = ("karstsim.model.georef", "karstsim.model.geography", __name__)
_DATA = ("counties.geojson", "dem.npz")


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    setting = os.environ.get("KARSTSIM_CACHE")
    if setting is not None:
        return None if setting.strip().lower() in OFF or not setting.strip() else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = Path.home() / ".cache"
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "karstsim"


@cache
def _code_key() -> str:
    """Digest of what every entry depends on besides its arguments."""
    from karstsim.model import regions

    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    for name in _DATA:
        digest.update(regions.data_file(name).read_bytes())
    for package in ("numpy", "scipy", "rasterio"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - a broken install
            digest.update(package.encode())
    return digest.hexdigest()


def cached_arrays(
    kind: str, arguments: str, compute: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The arrays ``compute()`` returns, from the cache if an entry for ``kind`` and
    ``arguments`` (a string that fixes them, e.g. a repr) is there, else computed and
    stored. Returned arrays are read-only."""
    where = folder()
    if where is None:
        return _read_only(compute())
    key = hashlib.sha256(f"{_code_key()}|{kind}|{arguments}".encode()).hexdigest()[:32]
    path = where / f"{kind}-{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            return _read_only({name: stored[name] for name in stored.files})
    except (OSError, ValueError, KeyError):  # no entry yet (or a damaged one)
        pass
    arrays = _read_only(compute())
    _store(where, path, arrays)
    return arrays


def _store(where: Path, path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an entry atomically (readers see a whole entry or none); skip on failure."""
    temporary = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            np.savez(handle, **arrays)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _read_only(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    for array in arrays.values():
        array.flags.writeable = False
    return arrays
