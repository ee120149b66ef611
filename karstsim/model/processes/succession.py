"""Succession on karst: bare rock → grass → shrub → forest on undisturbed land.

Each cell carries ``succession_yr``, its progress along the path in *reference years*
(years on an average site). An undisturbed year (not cropped, grazed or built on) adds
``1 / site_factor`` to it, where

    site_factor = (1 + thin_soil_slowdown × max(0, 1 − soil_depth_cm / 30))
                  × (1 + steep_slope_slowdown × slope_deg / 45)
                  / (1 + forest_neighbour_speedup × forest share of the 8 neighbours)

so thin soil and steep slopes slow regrowth and forest nearby speeds it. The land cover
follows the progress: ≥ ``grass_years`` grass, ≥ ``shrub_years`` shrub, ≥ ``forest_years``
forest (other forest land without a planting skips the grass stage: it stays forest land);
each change goes through the land account (cause ``succession``). Cells under a tree
planting (afforestation, eco-economic) do not follow this path: they close when the
planting does. A cell that becomes forest keeps its carbon: its stand age starts where the forest
carbon curve holds what the shrubs held.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.land_account import change_class
from karstsim.model.layers import LandCover, Landscape, Treatment
from karstsim.model.processes.carbon import CarbonModel

SOIL_REFERENCE_CM = 30.0
BARE_ROCK_EXPOSURE = 0.7
"""Exposure from which unused land is bare rock (裸岩石砾地: rock or gravel over ≥ 70 % of
the surface, the land survey's class definition [M]): it stays unused land."""
PATH_RANK = np.full(len(LandCover), -1)
"""Position along the succession path by LandCover code (-1: not on the path)."""
PATH_RANK[[LandCover.BARE_ROCK, LandCover.GRASS, LandCover.SHRUB, LandCover.FOREST]] = [0, 1, 2, 3]
PATH_RANK[LandCover.OTHER_FOREST] = 1  # forest land without trees regrows to shrub, not grass
_PATH_RANK_INT8 = PATH_RANK.astype(np.int8)  # the same ranks, an eighth of the memory traffic


NEIGHBOUR_OFFSETS = tuple((dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0))
"""(row, column) steps to a cell's 8 neighbours."""


def neighbour_count(mask: np.ndarray) -> np.ndarray:
    """How many of each cell's 8 neighbours are true in ``mask`` (uint8); off-grid is false."""
    padded = np.pad(mask.view(np.uint8) if mask.dtype == np.bool_ else mask.astype(np.uint8), 1)
    h, w = mask.shape
    total = np.zeros((h, w), dtype=np.uint8)
    for dy, dx in NEIGHBOUR_OFFSETS:
        total += padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
    return total


def neighbours_on_map(land: Landscape, mask: np.ndarray) -> np.ndarray:
    """:func:`neighbour_count` of a layer-shaped ``mask`` on the landscape's map (cells
    outside the land are false), in the layers' shape (uint8).

    A sparse mask (mines, dusty mines: under 1 in :data:`SPARSE_SHARE` cells) is counted
    from its own cells outwards instead of over the whole map: the same counts."""
    if np.count_nonzero(mask) * SPARSE_SHARE >= land.land.size:  # a dense mask
        return land.from_grid(neighbour_count(land.to_grid(mask, False)))
    true_cells = np.flatnonzero(mask.ravel() & land.land.ravel())
    rows, cols = np.divmod(land.cells[true_cells], land.grid_shape[1])
    height, width = land.grid_shape
    neighbours = []
    for dy, dx in NEIGHBOUR_OFFSETS:
        r, c = rows + dy, cols + dx
        inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
        neighbours.append(r[inside] * width + c[inside])
    position = land.layer_position[np.concatenate(neighbours)]
    counts = np.bincount(position[position >= 0], minlength=land.land.size)
    return counts.astype(np.uint8).reshape(land.shape)


SPARSE_SHARE = 32
"""A mask true in fewer than one cell in this many is counted cell by cell."""


STEEP_SLOPE_REFERENCE_DEG = 45.0
"""Slope at which succession is slowed by the full ``steep_slope_slowdown``, degrees [E]."""


def site_factor(
    soil_depth_cm: np.ndarray,
    slope_deg: np.ndarray,
    forest_neighbours: np.ndarray,
    params: Mapping[str, Any],
) -> np.ndarray:
    """How many calendar years one reference year of succession takes on each cell."""
    thin = np.maximum(0.0, 1.0 - soil_depth_cm / SOIL_REFERENCE_CM)
    slower = (1.0 + params["thin_soil_slowdown"] * thin) * (
        1.0 + params["steep_slope_slowdown"] * slope_deg / STEEP_SLOPE_REFERENCE_DEG
    )
    return slower / (1.0 + params["forest_neighbour_speedup"] * forest_neighbours)


def stage_for_progress(progress_yr: np.ndarray, params: Mapping[str, Any]) -> np.ndarray:
    """Land cover reached after ``progress_yr`` reference years of succession."""
    stage = np.full(progress_yr.shape, LandCover.BARE_ROCK, dtype=np.int8)
    stage[progress_yr >= params["grass_years"]] = LandCover.GRASS
    stage[progress_yr >= params["shrub_years"]] = LandCover.SHRUB
    stage[progress_yr >= params["forest_years"]] = LandCover.FOREST
    return stage


class Succession:
    """Advances undisturbed bare, grass and shrub cells along the succession path."""

    reads: ClassVar[tuple[str, ...]] = (
        "county",  # through the land account
        "land_cover",
        "grazed",
        "soil_depth_cm",
        "slope_deg",
        "succession_yr",
        "carbon_tC_ha",
        "bedrock_exposure",
        "treatment_mode",
    )
    writes: ClassVar[tuple[str, ...]] = ("succession_yr", "land_cover", "stand_age_yr")

    def __init__(self, params: Mapping[str, Any]):
        self.params = params
        self.carbon = CarbonModel(params)

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        cover = land["land_cover"].ravel()
        rank = _PATH_RANK_INT8[land["land_cover"]]
        planting = (land["treatment_mode"] == int(Treatment.AFFORESTATION)) | (
            land["treatment_mode"] == int(Treatment.ECO_ECONOMIC)
        )  # a planting grows as planted stands do (it closes in TreatmentEffects)
        bare = (land["land_cover"] == int(LandCover.BARE_ROCK)) & (
            land["bedrock_exposure"] >= BARE_ROCK_EXPOSURE
        )  # still bare rock by the survey's definition, whatever grows in its fissures
        growing = np.flatnonzero(
            (rank < PATH_RANK[LandCover.FOREST])
            & (rank >= 0)
            & ~land["grazed"]
            & ~planting
            & ~bare
            & land.land
        )
        forest_neighbours = (
            neighbours_on_map(land, land["land_cover"] == int(LandCover.FOREST)).ravel()[growing]
            / 8.0
        )
        factor = site_factor(
            land["soil_depth_cm"].ravel()[growing],
            land["slope_deg"].ravel()[growing],
            forest_neighbours,
            self.params,
        )
        progress = land["succession_yr"].ravel()
        progress[growing] += 1.0 / factor
        new_stage = stage_for_progress(progress[growing], self.params)
        moving = PATH_RANK[new_stage] > PATH_RANK[cover[growing]]
        advancing, stage = growing[moving], new_stage[moving]
        to_forest = np.zeros(land.shape, dtype=bool)
        to_forest.flat[advancing[stage == int(LandCover.FOREST)]] = True
        land["stand_age_yr"][to_forest] = self.carbon.establishment_age(land, to_forest)
        for code in np.unique(stage).tolist():
            change_class(land, advancing[stage == code], code, "succession")
