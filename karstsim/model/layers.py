"""The landscape: named numpy layers on one grid, owned by the model.

Codes for land cover, desertification severity and treatment mode live here, with the
layer names, so that every process and agent speaks the same vocabulary.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

import numpy as np

from karstsim.model.georef import GeoReference
from karstsim.model.land_account import LandLedger
from karstsim.units import HA_PER_KM2

# Compare a layer of codes with ``int(member)``, not with the member itself: numpy takes an
# IntEnum member for a strong int64 (only an exact Python int is "weak", NEP 50), so
# ``layer == LandCover.FOREST`` first casts the whole int8 layer to int64 — 67 µs instead
# of 4 at the province, and about 3 % of its year over the model's comparisons
# (tests/test_fast_paths.py looks for layers compared with a bare member).


class LandCover(IntEnum):
    """Land classes of the Third National Land Survey (三调), int8 codes in the
    ``land_cover`` layer; forest land (林地) is split as the survey splits it.

    Every change of a cell's class goes through
    :func:`karstsim.model.land_account.change_class` with a cause.
    """

    FOREST = 0  # tree forest and bamboo (乔木林地, 竹林地)
    SHRUB = 1  # shrubland (灌木林地; specially designated: counts as forest cover)
    GRASS = 2  # grassland (草地)
    CROPLAND = 3  # cropland (耕地)
    BARE_ROCK = 4  # unused land: bare rock and soil (其他土地: 裸岩石砾地, 裸土地)
    MINE = 5  # mining land (采矿用地)
    BUILT = 6  # towns, villages and industry (城镇村及工矿用地 without mines)
    WATER = 7  # water, water works and wetland (水域及水利设施用地, 湿地)
    OTHER_FOREST = 8  # other forest land (其他林地): unclosed plantations, cut-over, burned
    GARDEN = 9  # garden land (园地): tea, orchards
    TRANSPORT = 10  # transport land (交通运输用地)


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
    """``np.isin(codes, values)`` for a few small integer codes, without sorting (fast; each
    compared as a plain int, in the codes' own dtype)."""
    mask = np.zeros(codes.shape, dtype=bool)
    for value in values:
        mask |= codes == int(value)
    return mask


WOODED = (LandCover.FOREST, LandCover.SHRUB)
"""Wooded land: forest or (special) shrubland. The one definition of "forest or shrub"."""

FOREST_LAND = (LandCover.FOREST, LandCover.SHRUB, LandCover.OTHER_FOREST)
"""Forest land (林地) as the land survey counts it: tree forest, bamboo, shrubland and
other forest land."""

PLANTABLE = (LandCover.OTHER_FOREST, LandCover.GRASS, LandCover.BARE_ROCK)
"""Classes afforestation may plant (other forest land, grassland, unused land); cropland
only through an approved Grain-for-Green quota (国办发明电〔2020〕24号)."""

SEALED = (LandCover.MINE, LandCover.BUILT, LandCover.WATER, LandCover.TRANSPORT)
"""Classes with no soil surface to erode, classify or revegetate."""

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

    ``layers`` maps a name from :data:`LAYERS` to an array of the landscape's
    :attr:`shape`. A landscape is held one of two ways:

    - **on land cells only** (``grid_land`` given: what :meth:`compact` makes, and how
      every generated or loaded map is held): each layer is 1-D, one value per land cell in the grid's
      row-major order, and ``land`` is all true. The 43 % of the province's bounding box
      that is outside it costs neither time nor memory.
    - **on the whole grid** (``grid_land`` None: small hand-made maps, e.g. in tests):
      each layer is 2-D and ``land`` is the land mask (cells outside
      are ignored by every process and metric).

    Processes work on either: element-wise code is the same, and the few neighbourhood
    operations (filters, labels, neighbour counts) go through :meth:`to_grid` and
    :meth:`from_grid`. ``geo`` places a real map (CRS and transform); synthetic maps have
    none.
    """

    land: np.ndarray
    cell_size_km: float
    year: int
    layers: dict[str, np.ndarray] = field(default_factory=dict)
    geo: GeoReference | None = None
    grid_land: np.ndarray | None = None
    """The map's 2-D land mask when the layers hold land cells only (else None)."""
    ledger: LandLedger = field(default_factory=LandLedger)
    """Land-class changes since the start (a copy starts with an empty ledger)."""

    @property
    def shape(self) -> tuple[int, ...]:
        """The layers' shape: ``(land cells,)`` on land cells only, else the grid's."""
        return self.land.shape

    @property
    def grid_shape(self) -> tuple[int, int]:
        """The map's ``(rows, cols)``."""
        return self.land.shape if self.grid_land is None else self.grid_land.shape

    @property
    def grid_cells(self) -> int:
        """Cells of the map's grid, inside the province or not."""
        rows, cols = self.grid_shape
        return rows * cols

    @property
    def grid_mask(self) -> np.ndarray:
        """The map's 2-D land mask."""
        return self.land if self.grid_land is None else self.grid_land

    @cached_property
    def cells(self) -> np.ndarray:
        """Flat grid index (row-major) of each position of a layer's flat values."""
        if self.grid_land is None:
            return np.arange(self.land.size)
        return np.flatnonzero(self.grid_land)

    @cached_property
    def layer_position(self) -> np.ndarray:
        """Position in a layer's flat values of each cell of the grid (flat, row-major;
        -1 outside the land when the layers hold land cells only): :attr:`cells` inverted."""
        position = np.full(self.grid_cells, -1, dtype=np.intp)
        position[self.cells] = np.arange(self.cells.size)
        return position

    @property
    def cell_area_km2(self) -> float:
        return self.cell_size_km**2

    @property
    def cell_area_ha(self) -> float:
        return self.cell_area_km2 * HA_PER_KM2

    @property
    def land_cells(self) -> int:
        return self.land.size if self.grid_land is not None else int(self.land.sum())

    @property
    def land_area_km2(self) -> float:
        return self.land_cells * self.cell_area_km2

    def to_grid(self, values: np.ndarray, fill: float | bool = 0) -> np.ndarray:
        """``values`` (a layer's shape) on the map's 2-D grid, ``fill`` outside the land."""
        if self.grid_land is None:
            return np.where(self.land, values.reshape(self.grid_shape), fill)
        grid = np.full(self.grid_cells, fill, dtype=values.dtype)
        grid[self.cells] = values.ravel()
        return grid.reshape(self.grid_shape)

    def on_land(self, values: np.ndarray) -> np.ndarray:
        """``values`` (a layer's shape) at the land cells only, 1-D in row-major order (on
        land cells only, ``values`` itself: do not write to it)."""
        return values if self.grid_land is not None else values[self.land]

    def from_grid(self, grid: np.ndarray) -> np.ndarray:
        """A 2-D array on the map's grid as an array of the layers' shape."""
        if self.grid_land is None:
            return grid.reshape(self.shape)
        return grid.reshape(-1)[self.cells]

    def uniform(
        self, rng: np.random.Generator, dtype: type = np.float64, extra: int = 0
    ) -> np.ndarray:
        """One uniform number in [0, 1) per cell of a layer (land cells only, when the
        landscape holds them so), then ``extra`` more, from the stream ``rng``."""
        return rng.random(self.land.size + extra, dtype=dtype)

    def compact(self) -> Landscape:
        """This landscape on its land cells only (itself if it already is)."""
        if self.grid_land is not None:
            return self
        cells = np.flatnonzero(self.land)
        compacted = Landscape(
            land=np.ones(cells.size, dtype=bool),
            cell_size_km=self.cell_size_km,
            year=self.year,
            layers={k: np.ascontiguousarray(v.reshape(-1)[cells]) for k, v in self.layers.items()},
            geo=self.geo,
            grid_land=self.land,
        )
        compacted.cells = cells  # the cached property, known already
        return compacted

    def on_grid(self) -> Landscape:
        """This landscape with 2-D layers on the whole grid (0 outside the land), for maps
        and files; itself if it is held on the whole grid."""
        if self.grid_land is None:
            return self
        return Landscape(
            land=self.grid_land,
            cell_size_km=self.cell_size_km,
            year=self.year,
            layers=_LayersOnGrid(self),
            geo=self.geo,
        )

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

    def copy(self, share: Collection[str] = ()) -> Landscape:
        """An independent copy, except the layers named in ``share``: the same arrays."""
        return Landscape(
            land=self.land.copy(),
            cell_size_km=self.cell_size_km,
            year=self.year,
            layers={k: v if k in share else v.copy() for k, v in self.layers.items()},
            geo=self.geo,
            grid_land=self.grid_land,
        )


class _LayersOnGrid(Mapping):
    """The layers of a landscape held on land cells, each put on the whole grid when first
    read (read-only: a map of the state, not a second state)."""

    def __init__(self, source: Landscape):
        self._source = source
        self._grids: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        grid = self._grids.get(name)
        if grid is None:
            grid = self._grids[name] = self._source.to_grid(self._source.layers[name])
            grid.flags.writeable = False
        return grid

    def __iter__(self) -> Iterator[str]:
        return iter(self._source.layers)

    def __len__(self) -> int:
        return len(self._source.layers)
