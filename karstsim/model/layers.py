"""The landscape: named numpy layers on one grid, owned by the model.

Codes for land cover, desertification severity and treatment mode live here, with the
layer names, so that every process and agent speaks the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from karstsim.model.georef import GeoReference
from karstsim.units import HA_PER_KM2


class LandCover(IntEnum):
    """Land-cover classes (int8 codes in the ``land_cover`` layer)."""

    FOREST = 0
    SHRUB = 1  # shrubland specially designated by the state: counts as forest cover
    GRASS = 2
    CROPLAND = 3
    BARE_ROCK = 4
    MINE = 5
    BUILT = 6
    WATER = 7


class Severity(IntEnum):
    """Rocky-desertification severity classes (see :mod:`karstsim.model.severity`)."""

    NONE = 0
    POTENTIAL = 1
    LIGHT = 2
    MODERATE = 3
    SEVERE = 4
    EXTREME = 5


class Treatment(IntEnum):
    """Treatment modes of the desertification programme (``treatment_mode`` layer)."""

    NONE = 0
    ENCLOSURE = 1
    AFFORESTATION = 2
    GRASS_PLANTING = 3
    ECO_ECONOMIC = 4


class EcoCrop(IntEnum):
    """Featured crops of eco-economic stands (``eco_crop`` layer; issue 13, item 6)."""

    NONE = 0
    OIL_TEA = 1  # 油茶
    WALNUT = 2  # 核桃 (improved low-yield groves)
    ROSA = 3  # 刺梨 (rosa roxburghii)


def is_any(codes: np.ndarray, values) -> np.ndarray:
    """``np.isin(codes, values)`` for a few small integer codes, without sorting (fast)."""
    mask = np.zeros(codes.shape, dtype=bool)
    for value in values:
        mask |= codes == value
    return mask


WOODED = (LandCover.FOREST, LandCover.SHRUB)
"""Wooded land: forest or (special) shrubland. The one definition of "forest or shrub"."""

FOREST_COVER_CLASSES = WOODED
"""Classes counted by the plan's forest-cover rate (forest + special shrubland)."""

STATIC_LAYERS: dict[str, str] = {
    "elevation_m": "elevation above sea level, m",
    "slope_deg": "mean hillslope within the cell, degrees",
    "carbonate": "carbonate (karst) bedrock, bool",
    "distance_to_village_km": "distance to the nearest village centre, km",
    "village": "village centre, bool",
    "river": "river channel or valley floor of the eight river corridors, bool",
    "corridor": "ecological corridor: 0 none, 1–4 mountain belts, 5–12 rivers (geography order)",
    "village_id": "index of the village whose land the cell is (nearest village), int32",
    "county": "adcode of the county-level division (real maps; 0 elsewhere), int32",
    "prefecture": "adcode of the prefecture-level division (real maps; 0 elsewhere), int32",
    "rural_density": "rural residents per km² of the cell's prefecture over the province's (1 on synthetic maps)",
}
DYNAMIC_LAYERS: dict[str, str] = {
    "land_cover": "LandCover code, int8",
    "vegetation_cover": "fraction of the cell covered by vegetation, 0–1",
    "bedrock_exposure": "fraction of the cell's surface that is bare bedrock, 0–1",
    "soil_depth_cm": "mean soil depth, cm",
    "severity": "Severity code, int8",
    "stand_age_yr": "age of the tree stand (forest cells), yr",
    "carbon_tC_ha": "biomass carbon density, tC/ha",
    "soil_carbon_tC_ha": "soil organic carbon, 0–30 cm (with wetland sediment), tC/ha",
    "succession_yr": "undisturbed recovery years on the grass → shrub → forest path, yr",
    "treatment_mode": "Treatment code, int8",
    "treatment_yr": "years since the current treatment began, yr",
    "protected": "closed to grazing and cutting this year, bool",
    "grazed": "grazed this year, bool",
    "erosion_t_km2": "soil loss this year, t/km²/yr",
    "owner": "household agent that holds the cell (−1: collective or state), int32",
    "gfg_year": "year the cell entered Grain-for-Green (0: never), int16",
    "tended_yr": "year the forest stand was last tended (0: never), int16",
    "erosion_control_yr": "year the cell came under soil-erosion control (0: never), int16",
    "detection_prob": "chance that rangers detect an illegal act or a fire this year, 0–1",
    "mine_dirty": "an active mine that is not green works here this year, bool",
    "red_line": "inside the ecological protection red line (生态保护红线), bool",
    "protected_area": "inside a protected area (自然保护地; within the red line), bool",
    "wetland": "a wetland site (natural unless it is cropland), bool",
    "wetland_protected": "protected wetland (湿地保护), bool",
    "reserve_forest": "national reserve forest (国家储备林), bool",
    "bought_back": "commercial forest bought back by the state (商品林赎买), bool",
    "public_welfare_forest": "public-welfare forest (公益林): not cut, its owner compensated, bool",
    "eco_crop": "featured crop of an eco-economic stand (EcoCrop code: 0 none), int8",
    "eco_crop_yr": "year the featured crop was planted or improved (0: never), int16",
}
LAYERS = {**STATIC_LAYERS, **DYNAMIC_LAYERS}

_DTYPES = {
    "carbonate": np.bool_,
    "village": np.bool_,
    "river": np.bool_,
    "protected": np.bool_,
    "grazed": np.bool_,
    "land_cover": np.int8,
    "severity": np.int8,
    "treatment_mode": np.int8,
    "treatment_yr": np.int16,
    "corridor": np.int8,
    "village_id": np.int32,
    "county": np.int32,
    "prefecture": np.int32,
    "owner": np.int32,
    "gfg_year": np.int16,
    "tended_yr": np.int16,
    "erosion_control_yr": np.int16,
    "mine_dirty": np.bool_,
    "red_line": np.bool_,
    "protected_area": np.bool_,
    "wetland": np.bool_,
    "wetland_protected": np.bool_,
    "reserve_forest": np.bool_,
    "bought_back": np.bool_,
    "public_welfare_forest": np.bool_,
    "eco_crop": np.int8,
    "eco_crop_yr": np.int16,
}


def layer_dtype(name: str) -> np.dtype:
    """The dtype every layer called ``name`` has."""
    return np.dtype(_DTYPES.get(name, np.float64))


@dataclass
class Landscape:
    """A grid of square cells and its named layers.

    ``land`` is the land mask (cells outside the province are False and ignored by every
    process and metric). ``layers`` maps a name from :data:`LAYERS` to an array of shape
    ``(height, width)``. ``geo`` places a real map (CRS and transform); synthetic maps
    have none.
    """

    land: np.ndarray
    cell_size_km: float
    year: int
    layers: dict[str, np.ndarray] = field(default_factory=dict)
    geo: GeoReference | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.land.shape

    @property
    def cell_area_km2(self) -> float:
        return self.cell_size_km**2

    @property
    def cell_area_ha(self) -> float:
        return self.cell_area_km2 * HA_PER_KM2

    @property
    def land_cells(self) -> int:
        return int(self.land.sum())

    @property
    def land_area_km2(self) -> float:
        return self.land_cells * self.cell_area_km2

    def __getitem__(self, name: str) -> np.ndarray:
        return self.layers[name]

    def __setitem__(self, name: str, array: np.ndarray) -> None:
        if name not in LAYERS:
            raise KeyError(f"unknown layer {name!r}")
        if array.shape != self.shape:
            raise ValueError(f"layer {name}: shape {array.shape} is not {self.shape}")
        self.layers[name] = np.ascontiguousarray(array, dtype=layer_dtype(name))

    def __contains__(self, name: str) -> bool:
        return name in self.layers

    def copy(self) -> Landscape:
        return Landscape(
            land=self.land.copy(),
            cell_size_km=self.cell_size_km,
            year=self.year,
            layers={k: v.copy() for k, v in self.layers.items()},
            geo=self.geo,
        )
