"""Every sweep writes its results as one xarray Dataset (ensemble.nc): run × year, and
region on a real map, with the design as coordinates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from karstsim.experiments import sweep_design
from karstsim.experiments.ensemble_data import ENSEMBLE
from karstsim.experiments.run import run
from karstsim.experiments.sweep import run_sweep

DESIGN = """
[sweep]
name = "ensemble"
scenario = "plan14"
grid = "{grid}"
years = "2020:2022"
sampler = "latin_hypercube"
samples = 2
seed = 5
keep = "{keep}"

[parameters]
treatment_ha_per_year = {{ range = [30000, 120000] }}
grazing_pressure = {{ range = [0.4, 1.0] }}
"""
ADDITIVE = ("desertified_km2", "carbon_stock_MtC", "households", "rangers", "land_area_km2")


def design(tmp_path: Path, grid: str, keep: str = "both") -> sweep_design.Design:
    path = tmp_path / "design.toml"
    path.write_text(DESIGN.format(grid=grid, keep=keep), "utf-8")
    return sweep_design.load(path)


@pytest.fixture(scope="module")
def anshun(thread_cluster, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("anshun")
    run_sweep(design(folder, "Anshun"), folder / "sweep", scheduler=thread_cluster, progress=False)
    return folder / "sweep"


def test_a_sweep_on_a_real_region_keeps_its_counties(anshun: Path) -> None:
    with xr.open_dataset(anshun / ENSEMBLE) as ds:
        assert dict(ds.sizes) == {"run": 2, "year": 3, "region": 6}
        assert "Guanling" in ds["region_name_en"].values
        for name in ADDITIVE:
            total = ds[f"{name}_by_region"].sum("region")
            np.testing.assert_allclose(total, ds[name], rtol=1e-9, err_msg=name)
        assert ds["forest_cover_pct"].dims == ("run", "year")
        assert ds["forest_cover_pct"].attrs["units"] == "%"


def test_the_design_is_a_coordinate_along_run(anshun: Path) -> None:
    table = pd.read_parquet(anshun / "design.parquet")
    with xr.open_dataset(anshun / ENSEMBLE) as ds:
        for name in ("seed", "treatment_ha_per_year", "grazing_pressure"):
            np.testing.assert_array_equal(ds[name].values, table[name].to_numpy())
        assert list(ds["status"].values) == ["ok", "ok"]
        assert '"grid": "Anshun"' in ds.attrs["design"] and "numpy" in ds.attrs["provenance"]


def failing_second_sample(params, rng, **spec):
    if params["grazing_pressure"] == failing_second_sample.value:
        raise RuntimeError("planted failure")
    return run(params, rng, **spec)


def test_a_synthetic_sweep_has_no_region_and_a_failed_run_is_nan(
    thread_cluster, tmp_path: Path
) -> None:
    plan = design(tmp_path, "10x10", keep="final")
    failing_second_sample.value = plan.sample()["grazing_pressure"].iloc[1]
    run_sweep(
        plan,
        tmp_path / "sweep",
        scheduler=thread_cluster,
        runner=failing_second_sample,
        progress=False,
    )
    with xr.open_dataset(tmp_path / "sweep" / ENSEMBLE) as ds:
        assert dict(ds.sizes) == {"run": 2, "year": 1}
        assert list(ds["status"].values) == ["ok", "error"]
        forest = ds["forest_cover_pct"].values[:, 0]
        assert np.isfinite(forest[0]) and np.isnan(forest[1])


def test_regions_on_a_synthetic_map_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        DESIGN.format(grid="10x10", keep="both").replace('keep = "both"', 'regions = "county"'),
        "utf-8",
    )
    with pytest.raises(sweep_design.DesignError, match="regions = 'county': results by region"):
        sweep_design.load(path)
