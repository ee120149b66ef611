"""The real map: a projected, georeferenced grid of Guizhou and its regions.

Every real landscape lies on one equal-area grid: the Albers conic
:data:`GUIZHOU_ALBERS` (WGS84 datum; standard parallels 25° N and 29° N bracket the
province, central meridian 106.5° E), with square cells of ``cell_size_km`` whose edges
fall on multiples of the cell size, so a prefecture's or county's grid is a window of the
province's at the same resolution. Boundaries are rasterised with rasterio (a cell belongs
to the county that contains its centre); the relief is the shipped 0.2° DEM resampled
bilinearly onto the grid (detail below its resolution is added by the generator).

rasterio is imported only here and only when a real map is built or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from karstsim.model import regions as regions_module
from karstsim.model import static_cache
from karstsim.model.regions import Region

GUIZHOU_ALBERS = (
    "+proj=aea +lat_0=0 +lon_0=106.5 +lat_1=25 +lat_2=29 +x_0=0 +y_0=0 "
    "+ellps=WGS84 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
)
"""karstsim's equal-area projection for Guizhou (Albers conic on WGS84, metres)."""
WGS84 = "EPSG:4326"
MARGIN_CELLS = 1
"""Empty cells around a region's bounding box."""
MIN_ELEVATION_M = 147.0
"""Lowest point of Guizhou (the Duliu River at Shuikou, Liping) [M]."""
MAX_ELEVATION_M = 2900.6
"""Highest point of Guizhou (Jiucaiping, Hezhang, Wumeng Mountains) [M]."""


@dataclass(frozen=True)
class GeoReference:
    """Where a grid lies: its CRS (PROJ string) and the affine transform of its cells.

    ``transform`` is rasterio's/GDAL's ``(a, b, c, d, e, f)``: x = a·col + b·row + c and
    y = d·col + e·row + f for cell corners, in metres; north-up grids have b = d = 0 and
    e = −a.
    """

    crs: str
    transform: tuple[float, float, float, float, float, float]

    @property
    def cell_size_m(self) -> float:
        return float(self.transform[0])

    def affine(self):
        from affine import Affine

        return Affine(*self.transform)

    def bounds(self, shape: tuple[int, int]) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in the CRS."""
        a, _, c, _, e, f = self.transform
        return (c, f + e * shape[0], c + a * shape[1], f)

    def lonlat_bounds(self, shape: tuple[int, int]) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees (kept on disk with the static geography)."""

        def compute() -> dict[str, np.ndarray]:
            from rasterio.warp import transform_bounds

            west_south_east_north = transform_bounds(
                self.crs, WGS84, *self.bounds(shape), densify_pts=50
            )
            return {"bounds": np.array(west_south_east_north, dtype=np.float64)}

        bounds = static_cache.cached_arrays("lonlat_bounds", repr((self, tuple(shape))), compute)
        return tuple(float(v) for v in bounds["bounds"])

    def to_cells(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fractional (col, row) grid coordinates of longitude/latitude points."""
        from rasterio.warp import transform as warp

        xs, ys = warp(WGS84, self.crs, list(np.ravel(lon)), list(np.ravel(lat)))
        a, _, c, _, e, f = self.transform
        return (np.asarray(xs) - c) / a, (np.asarray(ys) - f) / e

    def same_grid(self, other: GeoReference, tolerance_m: float = 1e-3) -> bool:
        from rasterio.crs import CRS

        return CRS.from_user_input(self.crs) == CRS.from_user_input(other.crs) and np.allclose(
            self.transform, other.transform, atol=tolerance_m
        )


@dataclass(frozen=True)
class RegionGrid:
    """A region on the real grid: its land mask and id layers (adcodes, 0 outside)."""

    region: Region
    geo: GeoReference
    land: np.ndarray
    county: np.ndarray
    prefecture: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.land.shape


@cache
def _projected_counties() -> tuple[tuple[dict, int], ...]:
    """County geometries in :data:`GUIZHOU_ALBERS` with their adcodes as integers."""
    from rasterio.warp import transform_geom

    features = regions_module.county_features()
    geometries = transform_geom(WGS84, GUIZHOU_ALBERS, [f["geometry"] for f in features])
    return tuple(
        (geometry, int(f["properties"]["adcode"]))
        for geometry, f in zip(geometries, features, strict=True)
    )


def _geometry_bounds(geometries: list[dict]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for geom in geometries:
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            ring = np.asarray(polygon[0])
            xs.extend((ring[:, 0].min(), ring[:, 0].max()))
            ys.extend((ring[:, 1].min(), ring[:, 1].max()))
    return min(xs), min(ys), max(xs), max(ys)


@cache
def province_bounds() -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the province in :data:`GUIZHOU_ALBERS`, metres."""
    bounds = static_cache.cached_arrays(
        "province_bounds",
        "",
        lambda: {
            "bounds": np.array(
                _geometry_bounds([geometry for geometry, _ in _projected_counties()]),
                dtype=np.float64,
            )
        },
    )["bounds"]
    return tuple(float(v) for v in bounds)


def region_grid(region: Region, cell_size_km: float) -> RegionGrid:
    """Rasterise ``region`` (and its counties and prefectures) on the real grid."""
    return _region_grid(region.adcode, float(cell_size_km))


@cache
def _region_grid(adcode: str, cell_size_km: float) -> RegionGrid:
    region = regions_module.all_regions()[adcode]
    arrays = static_cache.cached_arrays(
        "region_grid", repr((adcode, cell_size_km)), lambda: _rasterise(region, cell_size_km)
    )
    county = arrays["county"]
    geo = GeoReference(GUIZHOU_ALBERS, tuple(float(v) for v in arrays["transform"]))
    prefecture = np.where(county > 0, county // 100 * 100, 0).astype(np.int32)
    land = county > 0
    for cached in (prefecture, land):  # shared by every model built on this grid
        cached.flags.writeable = False
    return RegionGrid(region, geo, land, county, prefecture)


def _rasterise(region: Region, cell_size_km: float) -> dict[str, np.ndarray]:
    """The region's counties rasterised on its grid (adcode per cell, 0 outside) and the
    grid's affine transform."""
    from rasterio.features import rasterize

    members = {int(c.adcode) for c in regions_module.counties_within(region)}
    shapes = _projected_counties()
    cell = cell_size_km * 1000.0
    left, bottom, right, top = _geometry_bounds([g for g, code in shapes if code in members])
    left = (np.floor(left / cell) - MARGIN_CELLS) * cell
    top = (np.ceil(top / cell) + MARGIN_CELLS) * cell
    width = int(np.ceil((right - left) / cell)) + MARGIN_CELLS
    height = int(np.ceil((top - bottom) / cell)) + MARGIN_CELLS
    transform = (cell, 0.0, float(left), 0.0, -cell, float(top))
    geo = GeoReference(GUIZHOU_ALBERS, transform)
    county = rasterize(
        shapes, out_shape=(height, width), transform=geo.affine(), fill=0, dtype="int32"
    )
    county[~np.isin(county, list(members))] = 0
    return {"county": county, "transform": np.array(transform, dtype=np.float64)}


@cache
def _dem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with regions_module.data_file("dem.npz").open("rb") as handle:
        data = np.load(handle)
        return data["lon"], data["lat"], data["dem_m"]


def resampled_dem(geo: GeoReference, shape: tuple[int, int]) -> np.ndarray:
    """The 0.2° DEM resampled (bilinear) onto the grid, metres (read-only: cached)."""
    return static_cache.cached_arrays(
        "resampled_dem", repr((geo, tuple(shape))), lambda: {"dem_m": _resample_dem(geo, shape)}
    )["dem_m"]


def _resample_dem(geo: GeoReference, shape: tuple[int, int]) -> np.ndarray:
    from affine import Affine
    from rasterio.warp import Resampling, reproject

    lon, lat, dem = _dem()
    dem = np.where(np.isfinite(dem), dem, np.nanmean(dem)).astype(np.float64)
    step_x, step_y = float(lon[1] - lon[0]), float(lat[1] - lat[0])
    if step_y > 0:  # south-up rows: flip to north-up
        dem, lat, step_y = dem[::-1], lat[::-1], -step_y
    source_transform = Affine(
        step_x, 0.0, float(lon[0]) - step_x / 2, 0.0, step_y, float(lat[0]) - step_y / 2
    )
    out = np.zeros(shape, dtype=np.float64)
    reproject(
        dem,
        out,
        src_transform=source_transform,
        src_crs=WGS84,
        dst_transform=geo.affine(),
        dst_crs=geo.crs,
        resampling=Resampling.bilinear,
    )
    return out


def write_geotiff(path, layers: dict[str, np.ndarray], geo: GeoReference, **tags: Any) -> None:
    """One GeoTIFF with a band per entry of ``layers`` (band descriptions are their keys)."""
    import rasterio

    arrays = list(layers.values())
    dtype = np.result_type(*[a.dtype for a in arrays])
    if dtype == np.bool_:
        dtype = np.uint8
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=arrays[0].shape[0],
        width=arrays[0].shape[1],
        count=len(arrays),
        dtype=dtype,
        crs=geo.crs,
        transform=geo.affine(),
        compress="deflate",
    ) as target:
        for band, (name, array) in enumerate(layers.items(), start=1):
            target.write(array.astype(dtype), band)
            target.set_band_description(band, str(name))
        if tags:
            target.update_tags(**{k: str(v) for k, v in tags.items()})
