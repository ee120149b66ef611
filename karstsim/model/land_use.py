"""Applying the year's land-use changes to the layers: the one writer of land cover
changes that agents propose (abandonment, clearing, Grain-for-Green), that disturbances
cause (fire) and that mines make (new pits, restored land).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from karstsim.model.layers import LandCover, Landscape, Treatment
from karstsim.model.processes.treatment import start_treatment

BURN_WRITES = (
    "land_cover",
    "succession_yr",
    "stand_age_yr",
    "treatment_mode",
    "treatment_yr",
    "gfg_year",
)
"""Layers :func:`burn` writes."""

WRITES = (*BURN_WRITES, "protected", "owner")
"""Layers the functions here write (:func:`enrol_in_grain_for_green` through
:func:`~karstsim.model.processes.treatment.start_treatment`, :func:`open_mines` the owner)."""


def _set(land: Landscape, name: str, cells: np.ndarray, value: float) -> None:
    land[name].flat[cells] = value


def to_grass(land: Landscape, cells: np.ndarray, params: Mapping[str, Any]) -> None:
    """Cells become grass at the start of the grass stage (abandoned, burned, restored)."""
    _set(land, "land_cover", cells, LandCover.GRASS)
    _set(land, "succession_yr", cells, params["grass_years"])
    _set(land, "stand_age_yr", cells, 0.0)


def burn(land: Landscape, cells: np.ndarray, params: Mapping[str, Any]) -> None:
    """Burned stands: grass again, out of any treatment and of Grain-for-Green."""
    to_grass(land, cells, params)
    _set(land, "treatment_mode", cells, Treatment.NONE)
    _set(land, "treatment_yr", cells, 0)
    _set(land, "gfg_year", cells, 0)


def clear_for_crops(land: Landscape, cells: np.ndarray) -> None:
    """Wooded cells cleared and sown: cropland, stand and succession gone."""
    _set(land, "land_cover", cells, LandCover.CROPLAND)
    _set(land, "succession_yr", cells, 0.0)
    _set(land, "stand_age_yr", cells, 0.0)
    _set(land, "treatment_mode", cells, Treatment.NONE)
    _set(land, "treatment_yr", cells, 0)


def open_mines(land: Landscape, cells: np.ndarray) -> None:
    """New open pits: mine land with no owner or treatment."""
    clear_for_crops(land, cells)
    _set(land, "land_cover", cells, LandCover.MINE)
    _set(land, "owner", cells, -1)
    _set(land, "gfg_year", cells, 0)


def enrol_in_grain_for_green(land: Landscape, cells: np.ndarray, year: int) -> None:
    """Cropland enrolled this year: planted with trees (afforestation) and paid for."""
    start_treatment(land, cells, Treatment.AFFORESTATION)
    _set(land, "gfg_year", cells, year)
