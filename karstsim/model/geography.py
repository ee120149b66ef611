"""Guizhou's named mountain belts and river corridors, in map-relative coordinates.

The plan's "four screens around, eight rivers connected" (四屏环绕、八水连通). Each
feature is a polyline in coordinates relative to the map: ``x`` from 0 (west) to 1 (east),
``y`` from 0 (north) to 1 (south), traced by eye from the province's physical map
(Guizhou spans about 103.6–109.6° E and 24.6–29.2° N); rivers that run along the border
are drawn just inside it so that they lie on the generated province. The landscape generator raises
the belts and carves the rivers along them, and the corridor network follows them, so
every grid size shows the same miniature Guizhou.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True)
class Feature:
    """A named polyline: ``points`` are (x, y) map-relative vertices."""

    key: str
    name_en: str
    name_zh: str
    points: tuple[tuple[float, float], ...]


MOUNTAIN_BELTS: tuple[Feature, ...] = (
    Feature("wumeng", "Wumeng Mountains", "乌蒙山", ((0.04, 0.22), (0.14, 0.40), (0.24, 0.58))),
    Feature("dalou", "Dalou Mountains", "大娄山", ((0.22, 0.14), (0.42, 0.12), (0.64, 0.20))),
    Feature("wuling", "Wuling Mountains", "武陵山", ((0.74, 0.08), (0.84, 0.26), (0.90, 0.46))),
    Feature("miaoling", "Miaoling Mountains", "苗岭", ((0.32, 0.62), (0.56, 0.60), (0.84, 0.66))),
)
RIVERS: tuple[Feature, ...] = (
    Feature(
        "wu",
        "Wu River",
        "乌江",
        ((0.12, 0.42), (0.30, 0.40), (0.48, 0.34), (0.66, 0.24), (0.82, 0.02)),
    ),
    Feature("yuan", "Yuan River", "沅江", ((0.50, 0.54), (0.74, 0.50), (0.99, 0.44))),
    Feature(
        "chishui", "Chishui–Qijiang", "赤水河—綦江", ((0.16, 0.24), (0.30, 0.16), (0.46, 0.01))
    ),
    Feature(
        "niulan", "Niulan–Heng River", "牛栏江—横江", ((0.07, 0.40), (0.11, 0.24), (0.17, 0.10))
    ),
    Feature("beipan", "Beipan River", "北盘江", ((0.10, 0.46), (0.20, 0.68), (0.32, 0.94))),
    Feature("nanpan", "Nanpan River", "南盘江", ((0.08, 0.74), (0.18, 0.84), (0.32, 0.91))),
    Feature("hongshui", "Hongshui River", "红水河", ((0.32, 0.91), (0.46, 0.93), (0.60, 0.90))),
    Feature("duliu", "Duliu River", "都柳江", ((0.58, 0.72), (0.76, 0.80), (0.97, 0.90))),
)


def distance_to_polyline(
    points: tuple[tuple[float, float], ...], shape: tuple[int, int]
) -> np.ndarray:
    """Distance of every cell centre to the polyline, in map-relative units of the longer side.

    ``shape`` is (height, width); the result has that shape.
    """
    height, width = shape
    scale = max(height, width)
    ys, xs = np.mgrid[0:height, 0:width]
    px = (xs + 0.5) / width * (width / scale)
    py = (ys + 0.5) / height * (height / scale)
    best = np.full(shape, np.inf)
    for (x0, y0), (x1, y1) in pairwise(points):
        ax, ay = x0 * width / scale, y0 * height / scale
        bx, by = x1 * width / scale, y1 * height / scale
        dx, dy = bx - ax, by - ay
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        best = np.minimum(best, np.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def nearest_feature(
    features: tuple[Feature, ...], shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """For every cell: index of the nearest feature and the distance to it (map-relative)."""
    distances = np.stack([distance_to_polyline(f.points, shape) for f in features])
    index = distances.argmin(axis=0)
    return index, np.take_along_axis(distances, index[None], axis=0)[0]
