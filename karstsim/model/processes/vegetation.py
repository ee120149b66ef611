"""Vegetation cover moves toward what the land cover and the rock allow.

Target cover per land-cover class (fraction of the cell, [E] typical values for Guizhou's
karst: closed forest 0.85, shrubland 0.75, grass 0.60, cropland 0.35 averaged over the
year, bare rock 0.08, mine 0.05, built 0.15, water 0) × (1 − ``rock_cover_penalty`` ×
bedrock exposure), less ``grazing_cover_loss`` where grazed. Each year cover closes
``cover_relaxation_rate`` of the gap to its target.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model import severity
from karstsim.model.layers import LandCover, Landscape, Treatment

TARGET_COVER_BY_CLASS = {
    LandCover.FOREST: 0.85,
    LandCover.SHRUB: 0.75,
    LandCover.GRASS: 0.60,
    LandCover.CROPLAND: 0.35,
    LandCover.BARE_ROCK: 0.08,
    LandCover.MINE: 0.05,
    LandCover.BUILT: 0.15,
    LandCover.WATER: 0.0,
    LandCover.OTHER_FOREST: 0.45,
    LandCover.GARDEN: 0.55,
    LandCover.TRANSPORT: 0.10,
}
"""Target vegetation cover of each land-cover class before rock and grazing, fraction of
the cell (0–1) [E]: closed karst forest and shrub near the national monitoring's
"vegetated" threshold, crops a season's cover, bare rock and pits almost none; other forest
land (young plantations, cut-over) 0.45 and garden land (tea, orchards) 0.55 between shrub
and crops; road verges 0.1."""
CLASS_COVER = np.array([TARGET_COVER_BY_CLASS[c] for c in LandCover])
""":data:`TARGET_COVER_BY_CLASS` indexed by :class:`LandCover` code, fraction (0–1)."""


def target_cover(
    land_cover: np.ndarray,
    bedrock_exposure: np.ndarray,
    grazed: np.ndarray,
    rock_cover_penalty: float,
    grazing_cover_loss: float,
    sown_grass: np.ndarray | bool = False,
    sown_grass_bonus: float = 0.0,
) -> np.ndarray:
    """Cover (fraction) a cell tends to under its land cover, rock and grazing; sown and
    improved grassland (``sown_grass``) reaches ``sown_grass_bonus`` more."""
    target = CLASS_COVER[land_cover] * (1.0 - rock_cover_penalty * bedrock_exposure)
    target = target + sown_grass_bonus * (
        np.asarray(sown_grass) & (land_cover == int(LandCover.GRASS))
    )
    return np.clip(target - grazing_cover_loss * grazed, 0.0, 1.0)


class VegetationCover:
    """Relaxes ``vegetation_cover`` toward :func:`target_cover`."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "bedrock_exposure",
        "grazed",
        "vegetation_cover",
        "treatment_mode",
    )
    writes: ClassVar[tuple[str, ...]] = ("vegetation_cover",)

    def __init__(self, params: Mapping[str, Any]):
        self.rate = params["cover_relaxation_rate"]
        self.rock_penalty = params["rock_cover_penalty"]
        self.grazing_loss = params["grazing_cover_loss"]
        self.sown_bonus = params["sown_grass_cover_bonus"]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        target = target_cover(
            land["land_cover"],
            land["bedrock_exposure"],
            land["grazed"],
            self.rock_penalty,
            self.grazing_loss,
            land["treatment_mode"] == int(Treatment.GRASS_PLANTING),
            self.sown_bonus,
        )
        cover = land["vegetation_cover"]
        land["vegetation_cover"] = np.clip(cover + self.rate * (target - cover), 0.0, 1.0)


def restructured(land: Landscape, establish_years: int) -> np.ndarray:
    """Cells the treatment programme has restructured: eco-economic stands (terraces and
    eco-industry crops on cropland) that have established (``establish_years``), for
    :func:`karstsim.model.severity.classify`."""
    return (land["treatment_mode"] == int(Treatment.ECO_ECONOMIC)) & (
        land["treatment_yr"] >= establish_years
    )


class SeverityClassification:
    """Re-derives the desertification severity class from exposure, cover, land class and
    restructuring."""

    reads: ClassVar[tuple[str, ...]] = (
        "bedrock_exposure",
        "vegetation_cover",
        "carbonate",
        "land_cover",
        "treatment_mode",
        "treatment_yr",
    )
    writes: ClassVar[tuple[str, ...]] = ("severity",)

    def __init__(self, params: Mapping[str, Any]):
        self.establish_years = params["eco_economic_establish_years"]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        land["severity"] = (
            severity.classify(
                land["bedrock_exposure"],
                land["vegetation_cover"],
                land["carbonate"],
                land["land_cover"],
                restructured(land, self.establish_years),
            )
            * land.land
        )
