"""A sweep's results as one xarray Dataset, written as NetCDF (``ensemble.nc``).

Dimensions ``run`` × ``year`` (× ``region`` on a real map). Every output of the map-wide
yearly table is a variable over ``(run, year)``; every regional output is a variable
``<output>_by_region`` over ``(run, year, region)``, whose additive ones (areas, stocks,
households, rangers, mines, money) sum over ``region`` to the map-wide variable. The design
is kept as coordinates along ``run``: ``sample``, ``replicate``, ``seed``, each varied
parameter (and ``policy`` in a policies × uncertainties design), and each run's ``status``;
regions carry ``region_name_en`` and ``region_name_zh``. A failed run's values are NaN.

Open it with ``xarray.open_dataset("SWEEP/ensemble.nc")``; the manifest's design and
provenance are in the attributes (JSON text).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments.atomic_output import TEMPORARY
from karstsim.experiments.sweep_store import (
    REGIONS,
    RESULTS,
    YEARLY,
    SweepStore,
    SweepStoreError,
)

ENSEMBLE = "ensemble.nc"
REGIONAL_SUFFIX = "_by_region"
"""Suffix of the regional variables (the map-wide one keeps the plain name)."""
_RUN_RECORD = ("status", "error", "traceback", "elapsed_s")


def build(store: SweepStore) -> Any:
    """The combined results of the finished sweep in ``store`` as an ``xarray.Dataset``."""
    manifest = store.read_manifest()
    design = store.read_design()
    inputs = set(design.columns)
    results = pd.read_parquet(store.folder / RESULTS)
    if (store.folder / YEARLY).is_file():
        yearly = pd.read_parquet(store.folder / YEARLY)
    else:  # keep = "final": the final year of each run, from results.parquet
        outputs = [c for c in results.columns if c not in inputs and c not in _RUN_RECORD]
        yearly = results[["run_id", *outputs]]
    if "year" not in yearly.columns:  # a runner's table without years: its last rows
        end = int(manifest["design"]["years"][1])
        group = yearly.groupby("run_id")
        yearly = yearly.assign(year=end - group["run_id"].transform("size") + 1 + group.cumcount())
    runs = design["run_id"].to_numpy()
    dataset = _cube(yearly, ["run_id", "year"]).reindex(run=runs)
    regions_path = store.folder / REGIONS
    if regions_path.is_file():
        dataset = with_regions(dataset, pd.read_parquet(regions_path), runs)
    status = results.set_index("run_id")["status"].reindex(runs).fillna("not run")
    coords = {c: ("run", design[c].to_numpy()) for c in design.columns if c != "run_id"}
    dataset = dataset.assign_coords(status=("run", status.astype(str).to_numpy()), **coords)
    _describe(dataset, manifest)
    return dataset


def _cube(table: pd.DataFrame, index: list[str]) -> Any:
    """The numeric columns of ``table`` as a dense Dataset over the product of ``index``."""
    import xarray as xr

    numeric = table.set_index(index).select_dtypes("number")
    dataset = xr.Dataset.from_dataframe(numeric)
    return dataset.rename({"run_id": "run"})


def _units(dataset: Any) -> None:
    """Each output variable's unit and title as its attributes."""
    from karstsim.model.outputs import OUTPUT_BY_NAME

    for name, variable in dataset.data_vars.items():
        output = OUTPUT_BY_NAME.get(str(name).removesuffix(REGIONAL_SUFFIX))
        if output is not None:
            variable.attrs.update(units=output.unit, long_name=output.title)


def with_regions(dataset: Any, regional: pd.DataFrame, runs: Any) -> Any:
    """``dataset`` with the ``regional`` rows (``run_id``, ``year``, ``adcode``, names,
    outputs) as ``<output>_by_region`` variables over ``(run, year, region)``."""
    import xarray as xr

    regional = regional.rename(columns={"adcode": "region"})
    cube = _cube(regional, ["run_id", "year", "region"]).reindex(run=runs)
    dataset = xr.merge(
        [dataset, cube.rename({v: f"{v}{REGIONAL_SUFFIX}" for v in cube.data_vars})],
        join="outer",
    )
    names = regional.drop_duplicates("region").set_index("region")
    return dataset.assign_coords(
        region_name_en=("region", names.loc[dataset["region"].values, "name_en"].to_numpy()),
        region_name_zh=("region", names.loc[dataset["region"].values, "name_zh"].to_numpy()),
    )


def runs_dataset(
    yearly: pd.DataFrame,
    keys: list[str],
    attrs: dict[str, Any],
    regional: pd.DataFrame | None = None,
) -> Any:
    """Stacked yearly results of several runs, told apart by the ``keys`` columns (e.g.
    ``draw`` and ``seed``), as a Dataset ``run`` × ``year`` with the keys as coordinates
    along ``run`` and ``attrs`` (plain values; others as JSON text) as its attributes; with
    ``regional`` rows (the same keys), also ``<output>_by_region`` over ``region``."""
    table = yearly.assign(run_id=yearly.groupby(keys, sort=False).ngroup())
    labels = table.drop_duplicates("run_id").set_index("run_id").sort_index()
    dataset = _cube(table.drop(columns=keys), ["run_id", "year"])
    if regional is not None and not regional.empty:
        ids = labels.reset_index().set_index(keys)["run_id"]
        run_id = ids.loc[pd.MultiIndex.from_frame(regional[keys])].to_numpy()
        rows = regional.drop(columns=[*keys, "level"], errors="ignore").assign(run_id=run_id)
        dataset = with_regions(dataset, rows, dataset["run"].values)
    dataset = dataset.assign_coords({k: ("run", labels[k].to_numpy()) for k in keys})
    _units(dataset)
    dataset.attrs.update({k: _attribute(v) for k, v in attrs.items()})
    return dataset


def _attribute(value: Any) -> Any:
    plain = isinstance(value, str | int | float) and not isinstance(value, bool)
    return value if plain else json.dumps(value, ensure_ascii=False)


def _describe(dataset: Any, manifest: dict[str, Any]) -> None:
    """Units of the outputs and the sweep's design and provenance as attributes."""
    _units(dataset)
    spec = manifest.get("design", {})
    dataset.attrs.update(
        title=f"karstsim sweep {spec.get('name')}",
        scenario=str(spec.get("scenario", {}).get("name")),
        grid=str(spec.get("grid")),
        design=json.dumps(spec, ensure_ascii=False),
        provenance=json.dumps(manifest.get("provenance"), ensure_ascii=False),
        karstsim_version=str(manifest.get("karstsim_version")),
    )


def open_or_build(store: SweepStore) -> Any:
    """The sweep's ensemble, read into memory from ``ensemble.nc`` (built from the Parquet
    files for a sweep written before ensembles were)."""
    import xarray as xr

    path = store.folder / ENSEMBLE
    if not path.is_file():
        return build(store)
    try:
        return xr.load_dataset(path, engine="h5netcdf")
    except (OSError, ValueError) as error:
        raise SweepStoreError(
            f"{path}: cannot be read ({error}); rebuild it with 'karstsim sweep DESIGN --out "
            f"{store.folder} --resume'"
        ) from None


def write(store: SweepStore) -> Path:
    """Write ``ensemble.nc`` into the sweep folder."""
    return save(build(store), store.folder / ENSEMBLE)


def save(dataset: Any, target: Path) -> Path:
    """Write ``dataset`` as NetCDF (compressed) to ``target``, under a temporary name first."""
    temporary = target.with_name(f"{TEMPORARY}{os.getpid()}-{target.name}")
    encoding = {name: {"zlib": True, "complevel": 4} for name in dataset.data_vars}
    try:
        dataset.to_netcdf(temporary, engine="h5netcdf", encoding=encoding)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
