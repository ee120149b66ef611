"""Loading a landscape from a folder of layer files (``.npy`` or GeoTIFF).

The folder holds one file per layer, named after the layer: ``land_cover.npy`` or
``land_cover.tif``. Required layers are in :data:`REQUIRED`; :data:`OPTIONAL` ones are
derived when absent (``land``: every cell is land; ``vegetation_cover``: what the land
cover and rock allow; ``village``: cells at distance 0 of ``distance_to_village_km``;
``river`` and ``corridor`` (codes 1–12, see ``layers.py``): none; ``stand_age_yr``: drawn
like the generator's; ``county`` and ``prefecture`` (adcodes): none).

GeoTIFFs keep their place: the landscape takes their CRS and transform (so its outputs are
georeferenced too), and every GeoTIFF of a folder must share one CRS, transform and shape.
The cell size then comes from the transform (square cells in metres).
:func:`save_landscape` writes the inverse: GeoTIFFs for a georeferenced landscape,
``.npy`` files for a synthetic one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from karstsim.model import severity
from karstsim.model.generator import (
    add_succession_and_carbon,
    add_village_territories,
    init_management_layers,
)
from karstsim.model.georef import GeoReference, write_geotiff
from karstsim.model.initial_states import START_STATES
from karstsim.model.layers import LandCover, Landscape
from karstsim.model.parameters import InputError
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.grazing import grazeable
from karstsim.model.processes.vegetation import target_cover


class LandscapeFileError(InputError):
    """A landscape folder with a missing, misshapen or out-of-range layer."""


REQUIRED: dict[str, tuple[float, float]] = {
    "land_cover": (0, len(LandCover) - 1),
    "elevation_m": (-500.0, 9000.0),
    "slope_deg": (0.0, 90.0),
    "carbonate": (0, 1),
    "soil_depth_cm": (0.0, 1000.0),
    "bedrock_exposure": (0.0, 1.0),
}
OPTIONAL: dict[str, tuple[float, float]] = {
    "land": (0, 1),
    "vegetation_cover": (0.0, 1.0),
    "village": (0, 1),
    "distance_to_village_km": (0.0, 1000.0),
    "river": (0, 1),
    "stand_age_yr": (0.0, 500.0),
    "corridor": (0, 12),
    "county": (0, 999_999),
    "prefecture": (0, 999_999),
}
SUFFIXES = (".npy", ".tif", ".tiff")


def _find(folder: Path, name: str) -> Path | None:
    for suffix in SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def _read(path: Path) -> tuple[np.ndarray, GeoReference | None]:
    """The array in ``path`` and, for a GeoTIFF with a CRS, where it lies."""
    if path.suffix == ".npy":
        try:
            return np.load(path, allow_pickle=False), None
        except (ValueError, OSError, EOFError) as error:  # EOFError: an empty file
            raise LandscapeFileError(
                f"layer file {path}: not a readable .npy array ({error})",
                zh=f"图层文件 {path}：不是可读的 .npy 数组（{error}）",
            ) from None
    import rasterio

    try:
        with rasterio.open(path) as source:
            array = source.read(1)
            if source.crs is None:
                return array, None
            return array, GeoReference(source.crs.to_wkt(), tuple(source.transform)[:6])
    except rasterio.errors.RasterioError as error:
        raise LandscapeFileError(
            f"layer file {path}: not a readable GeoTIFF ({error})",
            zh=f"图层文件 {path}：不是可读的 GeoTIFF（{error}）",
        ) from None


def read_layers(folder: Path) -> tuple[dict[str, np.ndarray], GeoReference | None]:
    """Every known layer file in ``folder``, checked for presence, shape, range and (for
    GeoTIFFs) a common CRS and transform; and where the layers lie."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LandscapeFileError(
            f"landscape folder {folder}: not found or not a folder",
            zh=f"景观文件夹 {folder}：不存在或不是文件夹",
        )
    missing = [name for name in REQUIRED if _find(folder, name) is None]
    if missing:
        raise LandscapeFileError(
            f"landscape folder {folder}: missing layer(s) {', '.join(missing)}; "
            f"each is a file NAME.npy or NAME.tif",
            zh=f"景观文件夹 {folder}：缺少图层 {', '.join(missing)}；每个图层是一个 "
            "名称.npy 或 名称.tif 文件",
        )
    layers: dict[str, np.ndarray] = {}
    shape = None
    geo, geo_path = None, None
    for name in {**REQUIRED, **OPTIONAL}:
        path = _find(folder, name)
        if path is None:
            continue
        array, where = _read(path)
        if where is not None:
            if geo is None:
                geo, geo_path = _square_cells(where, path), path
            elif not where.same_grid(geo):
                raise LandscapeFileError(
                    f"layer file {path}: its CRS or transform differs from {geo_path.name}'s; "
                    "every GeoTIFF of a landscape must lie on one grid",
                    zh=f"图层文件 {path}：其坐标系或仿射变换与 {geo_path.name} 不同；"
                    "同一景观的所有 GeoTIFF 必须在同一网格上",
                )
        if array.ndim != 2:
            raise LandscapeFileError(
                f"layer file {path}: expected a 2-D array, got {array.ndim}-D",
                zh=f"图层文件 {path}：应为二维数组，实际为 {array.ndim} 维",
            )
        if shape is None:
            shape = array.shape
        elif array.shape != shape:
            raise LandscapeFileError(
                f"layer file {path}: shape {array.shape} differs from the other layers' {shape}",
                zh=f"图层文件 {path}：形状 {array.shape} 与其他图层的 {shape} 不同",
            )
        if not np.issubdtype(array.dtype, np.number) and array.dtype != np.bool_:
            raise LandscapeFileError(
                f"layer file {path}: values must be numbers, got {array.dtype}",
                zh=f"图层文件 {path}：数值须为数字，实际为 {array.dtype}",
            )
        layers[name] = array.astype(np.float64)
    land = layers.pop("land", np.ones(shape)).astype(bool)
    for name, array in layers.items():
        low, high = {**REQUIRED, **OPTIONAL}[name]
        values = array[land]
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            example = values[bad][0]
            where = f"{name} ({_find(folder, name)})"
            raise LandscapeFileError(
                f"layer {where}: {int(bad.sum())} land cell(s) out of range, "
                f"e.g. {example:g}; allowed: {low:g} to {high:g}",
                zh=f"图层 {where}：{int(bad.sum())} 个陆地格子超出范围，"
                f"如 {example:g}；允许：{low:g} 至 {high:g}",
            )
    if "village" not in layers and "distance_to_village_km" not in layers:
        raise LandscapeFileError(
            f"landscape folder {folder}: needs village or distance_to_village_km",
            zh=f"景观文件夹 {folder}：需要 village 或 distance_to_village_km 图层",
        )
    layers["land"] = land.astype(np.float64)
    return layers, geo


def _square_cells(geo: GeoReference, path: Path) -> GeoReference:
    a, b, _, d, e, _ = geo.transform
    if b or d or not np.isclose(a, -e) or a <= 0:
        raise LandscapeFileError(
            f"layer file {path}: cells must be square and north-up (transform {geo.transform})",
            zh=f"图层文件 {path}：像元须为正方形且北向朝上（变换 {geo.transform}）",
        )
    return geo


def load_landscape(
    folder: Path,
    params: Mapping[str, Any],
    year: int,
    rng: np.random.Generator | None = None,
) -> Landscape:
    """A :class:`Landscape` for ``year`` from the layer files in ``folder``."""
    rng = rng if rng is not None else np.random.default_rng(0)
    raw, geo = read_layers(folder)
    land = raw.pop("land").astype(bool)
    cell_km = geo.cell_size_m / 1000.0 if geo is not None else params["cell_size_km"]
    landscape = Landscape(land=land, cell_size_km=cell_km, year=year, geo=geo)
    for name in ("land_cover", "carbonate", "village", "river"):
        if name in raw:
            raw[name] = np.rint(raw[name])
    for name, array in raw.items():
        landscape[name] = np.where(land, array, 0)
    if "village" not in landscape:
        landscape["village"] = landscape["distance_to_village_km"] <= 0.0
    given_distance = raw.get("distance_to_village_km")
    add_village_territories(landscape, cell_km)
    if given_distance is not None:
        landscape["distance_to_village_km"] = np.where(land, given_distance, 0)
    for name in ("river", "corridor", "county", "prefecture"):
        if name not in landscape:
            landscape[name] = np.zeros(land.shape)
    init_management_layers(landscape)
    landscape["grazed"] = grazeable(landscape, params["grazing_distance_km"]) & (
        rng.random(land.shape) < params["grazing_pressure"]
    )
    if "vegetation_cover" not in raw:
        landscape["vegetation_cover"] = (
            target_cover(
                landscape["land_cover"],
                landscape["bedrock_exposure"],
                landscape["grazed"],
                params["rock_cover_penalty"],
                params["grazing_cover_loss"],
            )
            * land
        )
    landscape["severity"] = (
        severity.classify(
            landscape["bedrock_exposure"],
            landscape["vegetation_cover"],
            landscape["carbonate"],
            landscape["land_cover"],
        )
        * land
    )
    stock = START_STATES.get(landscape.year, START_STATES[2020]).stock_m3_ha
    add_succession_and_carbon(landscape, params, rng, stock, raw.get("stand_age_yr"))
    landscape["erosion_t_km2"] = SoilErosion(params).soil_loss(landscape)
    return landscape.compact()


def save_landscape(landscape: Landscape, folder: Path) -> list[Path]:
    """Write a landscape's loadable layers (the inverse of loading): one GeoTIFF per layer
    for a georeferenced landscape, one ``.npy`` file per layer for a synthetic one."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    landscape = landscape.on_grid()
    arrays = {
        "land": landscape.land,
        **{n: landscape[n] for n in {**REQUIRED, **OPTIONAL} if n in landscape},
    }
    written = []
    for name, array in arrays.items():
        if landscape.geo is None:
            path = folder / f"{name}.npy"
            np.save(path, array)
        else:
            path = folder / f"{name}.tif"
            write_geotiff(path, {name: array}, landscape.geo, year=landscape.year)
        written.append(path)
    return written


YEARLY_LAYERS = ("land_cover", "severity", "carbon_tC_ha", "treatment_mode")
"""Layers ``--save-layers`` keeps for every year of a run."""


def write_run_layers(
    landscape: Landscape, yearly: dict[int, dict[str, np.ndarray]], folder: Path
) -> list[Path]:
    """The end state as a loadable landscape folder, and ``yearly/NAME.tif`` (one band
    per year, described by the year; ``yearly/NAME.npy`` of shape (years, rows, cols) on
    a synthetic map) for each layer kept in ``yearly``."""
    written = save_landscape(landscape, folder)
    (folder / "yearly").mkdir(exist_ok=True)
    years = sorted(yearly)
    for name in yearly[years[0]]:
        if landscape.geo is None:
            path = folder / "yearly" / f"{name}.npy"
            np.save(path, np.stack([yearly[y][name] for y in years]))
        else:
            path = folder / "yearly" / f"{name}.tif"
            bands = {str(y): yearly[y][name] for y in years}
            write_geotiff(path, bands, landscape.geo, layer=name, years=f"{years[0]}-{years[-1]}")
        written.append(path)
    return written
