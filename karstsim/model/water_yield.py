"""Water balance by land class: annual water yield (Budyko, Fu–Zhang form) and the water
conservation of the GEP accounts.

In the manner of InVEST's annual water yield model (Sharp et al., *InVEST User's Guide*,
"Annual Water Yield"; Zhang et al. 2004, *Water Resources Research* 40, W02502), each
land cell's actual evapotranspiration follows Fu's form of the Budyko curve:

    AET / P = 1 + φ − (1 + φ^ω)^(1/ω),    φ = Kc × ET0 / P

with ``P`` the cell's annual precipitation (mm), ``ET0`` its reference evapotranspiration
(mm), ``Kc`` the land class's crop coefficient and ``ω`` its Fu parameter (larger for deep
roots and thick soils: InVEST sets ω = Z·AWC/P + 1.25). Open water evaporates at its
potential, ``AET = min(Kc × ET0, P)``, as InVEST treats water. Water yield is ``P − AET``.

**Water conservation** (水源涵养) is the national GEP specification's water balance
(《生态产品总值核算规范（试行）》, NDRC and NBS, 2022; the same formula as the Ministry of
Ecology and Environment's 《陆地生态系统生产总值（GEP）核算技术指南》, 2020): for the
ecosystems that hold water (forest, shrubland, grassland, wetland and water),
``Q = (P − R − AET) × A`` with surface runoff ``R = α × P`` (``α``: the class's runoff
coefficient). Cropland, garden, bare rock and sealed land conserve nothing in the account
(their yield is not counted as conservation).

Precipitation and ET0 are the packaged prefecture normals of
``karstsim/data/guizhou/climate.toml`` (what each figure rests on is written there); a
synthetic map takes the province's. Climate is held at its normal every year: the water
balance moves only with land class.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import numpy as np

from karstsim.model import regions
from karstsim.model.layers import LandCover, Landscape


@dataclass(frozen=True)
class WaterClass:
    """A land class's water-balance coefficients: Fu's ``omega`` (``None``: open water,
    AET = min(Kc·ET0, P)), crop coefficient ``kc`` and surface-runoff coefficient
    ``runoff`` (fraction of P; ``None``: the class conserves no water in the account)."""

    omega: float | None
    kc: float
    runoff: float | None


WATER_CLASSES: dict[LandCover, WaterClass] = {
    LandCover.FOREST: WaterClass(2.8, 1.0, 0.027),
    LandCover.SHRUB: WaterClass(2.4, 0.9, 0.043),
    LandCover.OTHER_FOREST: WaterClass(2.2, 0.9, 0.05),
    LandCover.GRASS: WaterClass(2.1, 0.8, 0.09),
    LandCover.CROPLAND: WaterClass(2.2, 0.8, None),
    LandCover.GARDEN: WaterClass(2.4, 0.9, None),
    LandCover.BARE_ROCK: WaterClass(1.6, 0.5, None),
    LandCover.MINE: WaterClass(1.6, 0.5, None),
    LandCover.BUILT: WaterClass(1.4, 0.3, None),
    LandCover.TRANSPORT: WaterClass(1.4, 0.3, None),
    LandCover.WATER: WaterClass(None, 1.05, 0.0),
}
"""Coefficients by land class.

``omega`` [E] within the range of Fu's parameter fitted to Chinese catchments (≈ 1.5–3.5;
Zhang et al. 2004 give ≈ 2.8 for forested and ≈ 2.2 for grass and crop catchments) and
InVEST's Z·AWC/P + 1.25 (deep-rooted forest high, thin karst soil and sealed land low).
``kc`` [E] after the InVEST user guide's table of crop coefficients (forest 1.0, shrub and
orchards 0.9, grass and crops ≈ 0.65–0.85, bare and built 0.2–0.5, open water 1.05).
``runoff`` [M] the surface-runoff coefficients of the MEE GEP technical guide (2020, table
of 地表径流系数: forest ≈ 1.3–3.0 %, shrubland ≈ 4.3 %, grassland ≈ 4.8–9.4 %); other forest
land (young plantations, cut-over) [E] between shrub and grass."""

OMEGA = np.array([WATER_CLASSES[c].omega or 0.0 for c in LandCover])
KC = np.array([WATER_CLASSES[c].kc for c in LandCover])
OPEN_WATER = np.array([WATER_CLASSES[c].omega is None for c in LandCover])
RUNOFF = np.array([WATER_CLASSES[c].runoff or 0.0 for c in LandCover])
CONSERVES = np.array([WATER_CLASSES[c].runoff is not None for c in LandCover])


@cache
def climate_table() -> dict:
    """The packaged climate normals (``climate.toml``)."""
    return tomllib.loads(regions.data_file("climate.toml").read_text("utf-8"))


def climate_zones(land: Landscape) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every land cell's climate zone (land-cell order) and each zone's annual
    precipitation and ET0, mm: the zones are the prefectures on a real map (their normals),
    the province elsewhere (or where a prefecture is missing from the table)."""
    table = climate_table()
    province = table["province"]
    if "prefecture" not in land:
        zone = np.zeros(land.land_cells, dtype=np.intp)
        return zone, np.array([province["precipitation_mm"]]), np.array([province["et0_mm"]])
    codes, zone = np.unique(land.on_land(land["prefecture"]), return_inverse=True)
    rows = [table["prefectures"].get(str(int(code)), province) for code in codes]
    precipitation = np.array([float(row["precipitation_mm"]) for row in rows])
    et0 = np.array([float(row["et0_mm"]) for row in rows])
    return zone.ravel(), precipitation, et0


def actual_evapotranspiration(
    precipitation_mm: np.ndarray, et0_mm: np.ndarray, cover: np.ndarray
) -> np.ndarray:
    """AET of every cell, mm/yr: Fu's curve for its class, open water at its potential."""
    potential = KC[cover] * et0_mm
    omega = OMEGA[cover]
    phi = potential / np.maximum(precipitation_mm, 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (
            1.0 + phi - np.power(1.0 + np.power(phi, omega), 1.0 / np.where(omega > 0, omega, 1))
        )
    budyko = precipitation_mm * ratio
    return np.where(OPEN_WATER[cover], np.minimum(potential, precipitation_mm), budyko)


class WaterBalance:
    """Water yield and water conservation of every land cell, from its land class and the
    packaged climate (a measurement: it writes no layer).

    Climate is one of a few zones (the prefectures' normals), so the balance is worked out
    once per zone and land class and looked up each year: the same numbers as
    :func:`actual_evapotranspiration` cell by cell, at the cost of an index."""

    reads: ClassVar[tuple[str, ...]] = ("land_cover", "prefecture")
    writes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, land: Landscape):
        zone, precipitation, et0 = climate_zones(land)
        n_classes = len(LandCover)
        classes = np.tile(np.arange(n_classes), precipitation.size)
        p = np.repeat(precipitation, n_classes)
        aet = actual_evapotranspiration(p, np.repeat(et0, n_classes), classes)
        m3_per_mm = land.cell_area_km2 * 1e3  # 1 mm over 1 km² = 1 000 m³
        self._yield_m3 = (p - aet) * m3_per_mm
        conserved = np.where(CONSERVES[classes], p - RUNOFF[classes] * p - aet, 0.0)
        self._conservation_m3 = conserved * m3_per_mm
        self._zone_offset = zone * n_classes
        """Row of every land cell's climate zone in the (zone, class) tables."""

    def measure(self, land: Landscape) -> dict[str, np.ndarray]:
        """``water_yield`` (P − AET) and ``water_conservation`` (P − R − AET on the classes
        that conserve water, 0 elsewhere) of every land cell this year, m³."""
        key = self._zone_offset + land.on_land(land["land_cover"])
        return {
            "water_yield": self._yield_m3[key],
            "water_conservation": self._conservation_m3[key],
        }
