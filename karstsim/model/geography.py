"""Guizhou's named mountain belts and river corridors, in longitude and latitude.

The plan's "four screens around, eight rivers connected" (四屏环绕、八水连通). Each
feature is one or more polylines of (longitude, latitude) vertices in degrees (WGS84),
traced through named places whose coordinates are public (county seats, dams, summits,
confluences; each polyline's comment names them), so they are accurate to roughly 5–10 km:
enough for corridors several kilometres wide, not for a channel network.

On the real map (:mod:`karstsim.model.georef`) the polylines are projected onto the
grid. On a synthetic ``WxH`` map they are laid on the map's frame with the province's
bounding box (:data:`PROVINCE_BOX`) stretched to the map, so every grid size shows the
same miniature Guizhou. Distances are returned in km: real ones on the real map, and
province-equivalent ones (the synthetic map standing for the province's
:data:`PROVINCE_SPAN_KM`) on a synthetic map.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from scipy import ndimage

from karstsim.model import static_cache
from karstsim.model.georef import GeoReference

Polyline = tuple[tuple[float, float], ...]
PROVINCE_BOX = (103.6, 109.6, 24.6, 29.22)
"""Guizhou's bounding box: west, east, south, north (degrees)."""
PROVINCE_SPAN_KM = 595.0
"""West–east extent of the province (km) that a synthetic map's longer side stands for."""


@dataclass(frozen=True)
class Feature:
    """A named feature: ``parts`` are polylines of (longitude, latitude) vertices."""

    key: str
    name_en: str
    name_zh: str
    parts: tuple[Polyline, ...]


MOUNTAIN_BELTS: tuple[Feature, ...] = (
    # NE–SW across the Weining–Hezhang plateau to Jiucaiping (2 900 m), Hezhang.
    Feature("wumeng", "Wumeng Mountains", "乌蒙山", (((104.10, 25.95), (104.35, 26.45), (104.72, 27.05)),)),
    # From Qianxi/Dafang NE over Loushanguan (Tongzi) to Daozhen.
    Feature("dalou", "Dalou Mountains", "大娄山", (((105.70, 27.25), (106.30, 27.60), (106.83, 27.97), (107.30, 28.35), (107.70, 28.75)),)),
    # Through Fanjingshan (梵净山, 108.69 E 27.92 N) from Shiqian to Songtao.
    Feature("wuling", "Wuling Mountains", "武陵山", (((108.10, 27.30), (108.69, 27.92), (109.10, 28.35)),)),
    # The Yangtze–Pearl divide: Anshun, south of Guiyang, Duyun, Leigongshan (108.20 E 26.39 N).
    Feature("miaoling", "Miaoling Mountains", "苗岭", (((105.60, 25.95), (106.50, 26.20), (107.30, 26.20), (108.20, 26.39), (108.60, 26.20)),)),
)  # fmt: skip
RIVERS: tuple[Feature, ...] = (
    # Sancha source (Weining) E past Puding, Dongfeng and Wujiangdu dams, Sinan, Yanhe.
    Feature("wu", "Wu River", "乌江", (((104.30, 26.80), (104.90, 26.70), (105.50, 26.45), (105.85, 26.55), (106.10, 26.85), (106.76, 27.32), (107.55, 27.35), (108.25, 27.94), (108.50, 28.56), (108.60, 28.85)),)),
    # Qingshui River (清水江), the Yuan's upper course: Duyun, Kaili, Jianhe, Jinping, Tianzhu.
    Feature("yuan", "Yuan River", "沅江", (((107.50, 26.25), (107.70, 26.50), (108.05, 26.62), (108.44, 26.73), (108.85, 26.65), (109.20, 26.68), (109.50, 26.90)),)),
    # Chishui along the Sichuan border via Maotai (Renhuai) and Chishui; Qijiang N from Tongzi.
    Feature("chishui", "Chishui–Qijiang", "赤水河—綦江", (((104.85, 27.45), (105.45, 27.65), (106.00, 27.70), (106.38, 27.85), (106.05, 28.20), (105.75, 28.45), (105.70, 28.60), (105.85, 28.80)), ((106.85, 28.15), (106.75, 28.60), (106.65, 28.95)))),
    # Niulan on Weining's western border; Heng through its tributary Luoze River (Weining).
    Feature("niulan", "Niulan–Heng River", "牛栏江—横江", (((103.90, 26.55), (103.75, 26.85), (103.65, 27.15)), ((104.25, 26.95), (104.45, 27.20), (104.55, 27.45)))),
    # From the Beipanjiang bridge (Shuicheng) SE through the Huajiang gorge (Guanling–Zhenfeng)
    # to its confluence with the Nanpan at Zhexiang (Wangmo).
    Feature("beipan", "Beipan River", "北盘江", (((104.35, 26.30), (104.65, 26.30), (105.10, 26.05), (105.45, 25.85), (105.65, 25.67), (105.85, 25.40), (106.05, 25.15), (106.20, 24.98)),)),
    # Along the Guangxi border south of Xingyi (Tianshengqiao) and Ceheng.
    Feature("nanpan", "Nanpan River", "南盘江", (((104.55, 24.82), (104.95, 24.95), (105.30, 24.87), (105.70, 24.75), (106.00, 24.85), (106.20, 24.98)),)),
    # From the confluence east along the border south of Luodian.
    Feature("hongshui", "Hongshui River", "红水河", (((106.20, 24.98), (106.50, 25.10), (106.85, 25.12), (107.15, 25.05)),)),
    # Dushan, Sandu, Rongjiang, Congjiang, into Guangxi.
    Feature("duliu", "Duliu River", "都柳江", (((107.50, 25.98), (107.87, 25.98), (108.20, 25.97), (108.52, 25.93), (108.91, 25.75), (109.20, 25.60)),)),
)  # fmt: skip


def _relative(points: Polyline) -> np.ndarray:
    """(x, y) in the province's bounding box: 0–1 west→east and north→south."""
    west, east, south, north = PROVINCE_BOX
    lon, lat = np.asarray(points, dtype=float).T
    return np.stack([(lon - west) / (east - west), (north - lat) / (north - south)], axis=1)


def _to_cells(points: Polyline, shape: tuple[int, int], geo: GeoReference | None) -> np.ndarray:
    """Polyline vertices as (col, row) grid coordinates (cell units, corner origin)."""
    if geo is not None:
        lon, lat = np.asarray(points, dtype=float).T
        cols, rows = geo.to_cells(lon, lat)
        return np.stack([cols, rows], axis=1)
    height, width = shape
    return _relative(points) * np.array([width, height])


def km_per_cell(shape: tuple[int, int], geo: GeoReference | None) -> float:
    """Kilometres that one cell's side stands for in feature distances."""
    return geo.cell_size_m / 1000.0 if geo is not None else PROVINCE_SPAN_KM / max(shape)


def rasterize_lines(lines: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Label raster of polylines: cell = 1 + index of the line that crosses it, else 0.

    ``lines`` are (col, row) vertex arrays in grid coordinates; each segment is sampled
    every half cell, so a line is at most half a cell from the cells it marks.
    """
    height, width = shape
    labels = np.zeros(shape, dtype=np.int32)
    for number, vertices in enumerate(lines, start=1):
        for (ax, ay), (bx, by) in pairwise(vertices):
            steps = max(int(np.ceil(2 * np.hypot(bx - ax, by - ay))), 1)
            t = np.linspace(0.0, 1.0, steps + 1)
            cols = np.floor(ax + t * (bx - ax)).astype(np.int64)
            rows = np.floor(ay + t * (by - ay)).astype(np.int64)
            inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
            labels[rows[inside], cols[inside]] = number
    return labels


@lru_cache(maxsize=4)
def nearest_feature(
    features: tuple[Feature, ...], shape: tuple[int, int], geo: GeoReference | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For every cell: index of the nearest feature and the distance to it (km); the
    arrays are read-only (they are cached: generation asks several times; on a real map
    also on disk, see :mod:`karstsim.model.static_cache`).

    The features' lines are rasterised and the distance is the Euclidean distance
    transform to the nearest marked cell (exact to half a cell). Features entirely off
    the grid are at infinite distance.
    """
    if geo is None:  # synthetic maps: quick to compute, not worth a file
        arrays = _nearest_feature(features, shape, geo)
    else:
        arrays = static_cache.cached_arrays(
            "nearest_feature",
            repr((features, tuple(shape), geo)),
            lambda: _nearest_feature(features, shape, geo),
        )
    index, distance = arrays["index"].astype(np.int64), arrays["distance"]
    index.flags.writeable = distance.flags.writeable = False
    return index, distance


def _nearest_feature(
    features: tuple[Feature, ...], shape: tuple[int, int], geo: GeoReference | None
) -> dict[str, np.ndarray]:
    """:func:`nearest_feature`'s arrays (the index in the smallest integer type)."""
    lines, owners = [], []
    for index, feature in enumerate(features):
        for part in feature.parts:
            lines.append(_to_cells(part, shape, geo))
            owners.append(index)
    labels = rasterize_lines(lines, shape)
    small = np.min_scalar_type(max(len(features) - 1, 0))
    if not labels.any():
        return {"index": np.zeros(shape, dtype=small), "distance": np.full(shape, np.inf)}
    distance, (rows, cols) = ndimage.distance_transform_edt(labels == 0, return_indices=True)
    index = np.asarray(owners, dtype=small)[labels[rows, cols] - 1]
    distance *= km_per_cell(shape, geo)
    return {"index": index, "distance": distance}


def projected_parts(
    feature: Feature, shape: tuple[int, int], geo: GeoReference | None = None
) -> list[np.ndarray]:
    """The feature's polylines in (col, row) grid coordinates, for drawing on a map."""
    return [_to_cells(part, shape, geo) for part in feature.parts]
