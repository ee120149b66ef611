"""Loading a landscape from a folder of layer files (``.npy`` or GeoTIFF).

The folder holds one file per layer, named after the layer: ``land_cover.npy`` or
``land_cover.tif``. Required layers are in :data:`REQUIRED`; :data:`OPTIONAL` ones are
derived when absent (``land``: every cell is land; ``vegetation_cover``: what the land
cover and rock allow; ``village``: cells at distance 0 of ``distance_to_village_km``;
``river`` and ``corridor`` (codes 1–12, see ``layers.py``): none; ``stand_age_yr``: drawn
like the generator's). GeoTIFF needs the optional
extra: ``pip install 'karstsim[geotiff]'``.
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
}
SUFFIXES = (".npy", ".tif", ".tiff")


def _find(folder: Path, name: str) -> Path | None:
    for suffix in SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def _read(path: Path) -> np.ndarray:
    if path.suffix == ".npy":
        try:
            return np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:  # EOFError: an empty file
            raise LandscapeFileError(
                f"layer file {path}: not a readable .npy array ({error})",
                zh=f"图层文件 {path}：不是可读的 .npy 数组（{error}）",
            ) from None
    try:
        import rasterio
    except ImportError:
        raise LandscapeFileError(
            f"layer file {path}: reading GeoTIFF needs rasterio; install it with "
            "pip install 'karstsim[geotiff]' or give .npy files",
            zh=f"图层文件 {path}：读取 GeoTIFF 需要 rasterio；请用 "
            "pip install 'karstsim[geotiff]' 安装，或改用 .npy 文件",
        ) from None
    try:
        with rasterio.open(path) as source:
            return source.read(1)
    except rasterio.errors.RasterioError as error:
        raise LandscapeFileError(
            f"layer file {path}: not a readable GeoTIFF ({error})",
            zh=f"图层文件 {path}：不是可读的 GeoTIFF（{error}）",
        ) from None


def read_layers(folder: Path) -> dict[str, np.ndarray]:
    """Every known layer file in ``folder``, checked for presence, shape and range."""
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
    for name in {**REQUIRED, **OPTIONAL}:
        path = _find(folder, name)
        if path is None:
            continue
        array = _read(path)
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
    return layers


def load_landscape(
    folder: Path,
    params: Mapping[str, Any],
    year: int,
    rng: np.random.Generator | None = None,
) -> Landscape:
    """A :class:`Landscape` for ``year`` from the layer files in ``folder``."""
    rng = rng if rng is not None else np.random.default_rng(0)
    raw = read_layers(folder)
    land = raw.pop("land").astype(bool)
    landscape = Landscape(land=land, cell_size_km=params["cell_size_km"], year=year)
    for name in ("land_cover", "carbonate", "village", "river"):
        if name in raw:
            raw[name] = np.rint(raw[name])
    for name, array in raw.items():
        landscape[name] = np.where(land, array, 0)
    if "village" not in landscape:
        landscape["village"] = landscape["distance_to_village_km"] <= 0.0
    given_distance = raw.get("distance_to_village_km")
    add_village_territories(landscape, params["cell_size_km"])
    if given_distance is not None:
        landscape["distance_to_village_km"] = np.where(land, given_distance, 0)
    for name in ("river", "corridor"):
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
    add_succession_and_carbon(landscape, params, rng, raw.get("stand_age_yr"))
    landscape["erosion_t_km2"] = SoilErosion(params).soil_loss(landscape)
    return landscape


def save_landscape(landscape: Landscape, folder: Path) -> list[Path]:
    """Write a landscape's loadable layers as ``.npy`` files (the inverse of loading)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    arrays = {
        "land": landscape.land,
        **{n: landscape[n] for n in {**REQUIRED, **OPTIONAL} if n in landscape},
    }
    for name, array in arrays.items():
        path = folder / f"{name}.npy"
        np.save(path, array)
        written.append(path)
    return written
