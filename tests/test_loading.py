"""Loading a landscape from layer files, and the errors for bad files."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.model import parameters
from karstsim.model.loading import LandscapeFileError, load_landscape, save_landscape


@pytest.fixture
def saved(tmp_path):
    model = KarstModel("plan14", rng=9, grid="30x20")
    save_landscape(model.landscape, tmp_path)
    return model, tmp_path


def test_roundtrip_keeps_the_layers_and_runs(saved):
    model, folder = saved
    loaded = load_landscape(folder, parameters.resolve(), 2020, np.random.default_rng(0))
    for name in ("land_cover", "bedrock_exposure", "vegetation_cover", "slope_deg", "carbonate"):
        assert np.array_equal(loaded[name], model.landscape[name]), name
    assert np.array_equal(loaded["severity"], model.landscape["severity"])
    run = KarstModel("plan14", rng=1, landscape=loaded)
    run.run_to_year(2023)
    assert len(run.results()) == 4


def test_missing_layer_is_named(saved):
    _, folder = saved
    (folder / "slope_deg.npy").unlink()
    with pytest.raises(LandscapeFileError, match=r"missing layer\(s\) slope_deg"):
        load_landscape(folder, parameters.resolve(), 2020)


def test_wrong_shape_is_named(saved):
    _, folder = saved
    np.save(folder / "soil_depth_cm.npy", np.ones((5, 5)))
    with pytest.raises(LandscapeFileError, match=r"soil_depth_cm.npy: shape \(5, 5\) differs"):
        load_landscape(folder, parameters.resolve(), 2020)


def test_out_of_range_values_are_reported_with_the_allowed_range(saved):
    _, folder = saved
    exposure = np.load(folder / "bedrock_exposure.npy")
    exposure[3, 4] = 1.7
    np.save(folder / "bedrock_exposure.npy", exposure)
    with pytest.raises(LandscapeFileError, match=r"bedrock_exposure.*1\.7; allowed: 0 to 1"):
        load_landscape(folder, parameters.resolve(), 2020)


def test_nan_outside_the_land_mask_is_fine(saved):
    _, folder = saved
    land = np.load(folder / "land.npy")
    land[0, :] = False
    np.save(folder / "land.npy", land)
    slope = np.load(folder / "slope_deg.npy")
    slope[0, :] = np.nan
    np.save(folder / "slope_deg.npy", slope)
    loaded = load_landscape(folder, parameters.resolve(), 2020)
    assert loaded.land_cells == land.sum()


def test_missing_folder_and_geotiff_without_rasterio(tmp_path):
    with pytest.raises(LandscapeFileError, match="not found"):
        load_landscape(tmp_path / "nope", parameters.resolve(), 2020)
