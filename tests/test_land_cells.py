"""The landscape held on its land cells only (issue 14): the layers' shape, the way to the
grid and back, neighbourhoods that ignore the cells outside, draws per land cell, and a
run on land cells equal to the same run on the whole grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import Landscape
from karstsim.model.processes.succession import (
    SPARSE_SHARE,
    neighbour_count,
    neighbours_on_map,
)

#  a 3 × 4 map; land marked 1 (row-major land cells: flat 1, 2, 4, 5, 6, 10)
MASK = np.array(
    [
        [0, 1, 1, 0],
        [1, 1, 1, 0],
        [0, 0, 1, 0],
    ],
    dtype=bool,
)


def _small() -> Landscape:
    land = Landscape(land=MASK.copy(), cell_size_km=1.0, year=2020)
    land["slope_deg"] = np.arange(12.0).reshape(3, 4)
    land["village"] = np.zeros((3, 4), dtype=bool)
    return land.compact()


def test_compact_layers_hold_the_land_cells_in_row_major_order():
    land = _small()
    assert land.shape == (6,) and land.grid_shape == (3, 4) and land.land.all()
    assert land.cells.tolist() == [1, 2, 4, 5, 6, 10]
    assert land["slope_deg"].tolist() == [1.0, 2.0, 4.0, 5.0, 6.0, 10.0]
    assert land.land_cells == 6 and land.grid_cells == 12


def test_to_grid_fills_outside_the_land_and_from_grid_takes_it_back():
    land = _small()
    grid = land.to_grid(land["slope_deg"], fill=-1.0)
    assert grid.tolist() == [
        [-1.0, 1.0, 2.0, -1.0],
        [4.0, 5.0, 6.0, -1.0],
        [-1.0, -1.0, 10.0, -1.0],
    ]
    assert land.from_grid(grid).tolist() == land["slope_deg"].tolist()
    shown = land.on_grid()
    assert shown.shape == (3, 4) and np.array_equal(shown.land, MASK)
    assert shown["slope_deg"][0, 0] == 0.0 and shown["slope_deg"][2, 2] == 10.0
    with pytest.raises(ValueError):  # the map is read-only, not a second state
        shown["slope_deg"][0, 1] = 3.0


def test_neighbours_count_only_land_cells_of_the_map():
    land = _small()
    everywhere = np.ones(land.shape, dtype=bool)
    # by hand: each land cell's land neighbours among the 8 around it
    assert neighbours_on_map(land, everywhere).tolist() == [4, 3, 2, 5, 4, 2]
    only_centre = land.cells == 5
    assert neighbours_on_map(land, only_centre).tolist() == [1, 1, 1, 0, 1, 1]


@pytest.mark.parametrize("compact", [True, False])
def test_a_sparse_mask_is_counted_cell_by_cell_to_the_same_counts(compact):
    rng = np.random.default_rng(5)
    grid_land = rng.random((40, 50)) < 0.7
    grid_land[0, :] = grid_land[:, -1] = True  # mines on the map's edges too
    land = Landscape(land=grid_land, cell_size_km=1.0, year=2020)
    if compact:
        land = land.compact()
    mask = np.zeros(land.shape, dtype=bool)
    flat = mask.reshape(-1)
    flat[rng.choice(flat.size, size=flat.size // 100, replace=False)] = True
    flat[0] = flat[2] = flat[-1] = True  # row 0 is all land: cell 1 has two
    if not compact:
        mask[0, -1] = True  # a corner
    whole_map = land.from_grid(neighbour_count(land.to_grid(mask, False)))
    sparse = neighbours_on_map(land, mask)
    assert mask.sum() * SPARSE_SHARE < land.land.size  # the cell-by-cell path was taken
    assert sparse.dtype == np.uint8 and np.array_equal(sparse, whole_map)
    assert sparse.reshape(-1)[1] == 2  # neighbours add up


def test_draws_are_one_per_land_cell():
    land = _small()
    draw = land.uniform(np.random.default_rng(3))
    assert draw.shape == (6,)
    assert np.array_equal(draw, np.random.default_rng(3).random(6))
    with_rounding = land.uniform(np.random.default_rng(3), extra=1)
    assert with_rounding.shape == (7,) and np.array_equal(with_rounding[:6], draw)


def test_a_real_map_is_held_on_its_land_cells_and_maps_put_zero_outside():
    model = KarstModel("plan14", rng=2, grid="classroom")
    land = model.landscape
    assert land.grid_land is not None and land.shape == (land.land_cells,)
    assert land.land_cells < land.grid_cells
    cover = land.on_grid()["land_cover"]
    assert cover.shape == land.grid_shape
    assert np.array_equal(cover[land.grid_mask], land["land_cover"])
    assert not cover[~land.grid_mask].any()


def _on_whole_grid(land: Landscape) -> Landscape:
    """The same all-land landscape held on the whole grid (2-D layers)."""
    shape = land.grid_shape
    return Landscape(
        land=np.ones(shape, dtype=bool),
        cell_size_km=land.cell_size_km,
        year=land.year,
        layers={name: values.reshape(shape).copy() for name, values in land.layers.items()},
        geo=land.geo,
    )


def test_a_run_on_land_cells_equals_the_run_on_the_whole_grid():
    """An all-land map draws the same numbers either way, so every process must give the
    same bits on 1-D layers as on 2-D ones (a 2-D-only operation would differ or fail)."""
    compact = KarstModel("plan14", rng=5, grid="40x30").landscape
    runs = {}
    for kind, landscape in (("land cells", compact.copy()), ("grid", _on_whole_grid(compact))):
        model = KarstModel("plan14", rng=5, landscape=landscape)
        model.run_to_year(2026)
        runs[kind] = model
    pd.testing.assert_frame_equal(runs["land cells"].results(), runs["grid"].results())
    for name, values in runs["land cells"].landscape.layers.items():
        assert np.array_equal(values, runs["grid"].landscape[name].ravel()), name
