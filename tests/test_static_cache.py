"""The disk cache of the real map's static geography gives the arrays computed without it."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim.model import static_cache


def _counting():
    calls = []

    def compute():
        calls.append(1)
        return {"a": np.arange(5, dtype=np.int32), "b": np.linspace(0.0, 1.0, 7)}

    return calls, compute


def test_an_entry_is_computed_once_and_read_back_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("KARSTSIM_CACHE", str(tmp_path))
    calls, compute = _counting()
    first = static_cache.cached_arrays("demo", "(1, 2)", compute)
    second = static_cache.cached_arrays("demo", "(1, 2)", compute)
    other = static_cache.cached_arrays("demo", "(1, 3)", compute)
    assert len(calls) == 2  # once per arguments
    for name in ("a", "b"):
        assert second[name].dtype == first[name].dtype
        assert np.array_equal(second[name], first[name])
        assert not second[name].flags.writeable
    assert np.array_equal(other["b"], first["b"])
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".npz", ".npz"]  # no leftovers


@pytest.mark.parametrize("setting", ["off", ""])
def test_off_computes_every_time_and_writes_nothing(tmp_path, monkeypatch, setting):
    monkeypatch.setenv("KARSTSIM_CACHE", setting)
    monkeypatch.chdir(tmp_path)
    calls, compute = _counting()
    static_cache.cached_arrays("demo", "x", compute)
    static_cache.cached_arrays("demo", "x", compute)
    assert len(calls) == 2
    assert static_cache.folder() is None
    assert not any(tmp_path.iterdir())


def test_an_unwritable_folder_is_skipped(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KARSTSIM_CACHE", str(blocked / "cache"))
    calls, compute = _counting()
    arrays = static_cache.cached_arrays("demo", "x", compute)
    assert np.array_equal(arrays["a"], np.arange(5))
    static_cache.cached_arrays("demo", "x", compute)
    assert len(calls) == 2


def test_a_damaged_entry_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KARSTSIM_CACHE", str(tmp_path))
    calls, compute = _counting()
    static_cache.cached_arrays("demo", "x", compute)
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(b"truncated")
    assert np.array_equal(static_cache.cached_arrays("demo", "x", compute)["a"], np.arange(5))
    assert len(calls) == 2


def _geography(cell_size_km: float):
    """Region grid, resampled DEM, province bounds and nearest features of the classroom
    county, computed afresh (the process's own caches cleared)."""
    from karstsim.model import geography, georef, regions

    georef._region_grid.cache_clear()
    georef.province_bounds.cache_clear()
    geography.nearest_feature.cache_clear()
    region = regions.all_regions()["520424"]
    grid = georef.region_grid(region, cell_size_km)
    shape = grid.land.shape
    return {
        "county": grid.county,
        "prefecture": grid.prefecture,
        "land": grid.land,
        "transform": np.array(grid.geo.transform),
        "dem": georef.resampled_dem(grid.geo, shape),
        "bounds": np.array(georef.province_bounds()),
        "lonlat": np.array(grid.geo.lonlat_bounds(shape)),
        **{
            f"{name}_{i}": array
            for name, features in (("belt", geography.MOUNTAIN_BELTS), ("river", geography.RIVERS))
            for i, array in enumerate(geography.nearest_feature(features, shape, grid.geo))
        },
    }


def test_the_real_maps_geography_from_the_cache_is_what_is_computed(tmp_path, monkeypatch):
    monkeypatch.setenv("KARSTSIM_CACHE", "off")
    fresh = _geography(0.5)
    monkeypatch.setenv("KARSTSIM_CACHE", str(tmp_path))
    stored = _geography(0.5)  # computed and written
    assert any(tmp_path.iterdir())
    loaded = _geography(0.5)  # read back
    for name, array in fresh.items():
        for other in (stored[name], loaded[name]):
            assert other.dtype == array.dtype, name
            assert np.array_equal(other, array), name
    assert not loaded["county"].flags.writeable and not loaded["belt_1"].flags.writeable
