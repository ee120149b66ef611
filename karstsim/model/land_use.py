"""Applying the year's land-use changes to the layers: the land-class changes that agents
propose (abandonment, clearing, Grain-for-Green), that disturbances cause (fire) and that
mines make (new pits, restored land), each through
:func:`karstsim.model.land_account.change_class` with its cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from karstsim.model.land_account import change_class
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


def regrow(
    land: Landscape, cells: np.ndarray, params: Mapping[str, Any], to: LandCover, cause: str
) -> None:
    """Cells become class ``to`` at the start of the grass stage of succession, without
    trees (abandoned cropland, burned stands, restored mines)."""
    change_class(land, cells, to, cause)
    _set(land, "succession_yr", cells, params["grass_years"])
    _set(land, "stand_age_yr", cells, 0.0)


def burn(land: Landscape, cells: np.ndarray, params: Mapping[str, Any]) -> None:
    """Burned land: stands become land without trees (无立木林地, other forest land) and
    grass stays grass; out of any treatment and of Grain-for-Green."""
    cells = np.asarray(cells, dtype=np.intp)
    grass = land["land_cover"].ravel()[cells] == int(LandCover.GRASS)
    regrow(land, cells[~grass], params, LandCover.OTHER_FOREST, "fire")
    regrow(land, cells[grass], params, LandCover.GRASS, "fire")
    _set(land, "treatment_mode", cells, Treatment.NONE)
    _set(land, "treatment_yr", cells, 0)
    _set(land, "gfg_year", cells, 0)


def _clear(land: Landscape, cells: np.ndarray) -> None:
    """Stand, succession and treatment of ``cells`` gone."""
    _set(land, "succession_yr", cells, 0.0)
    _set(land, "stand_age_yr", cells, 0.0)
    _set(land, "treatment_mode", cells, Treatment.NONE)
    _set(land, "treatment_yr", cells, 0)


def clear_for_crops(land: Landscape, cells: np.ndarray) -> None:
    """Wooded cells cleared and sown without permission: cropland, stand and succession gone."""
    change_class(land, cells, LandCover.CROPLAND, "illegal_clearing")
    _clear(land, cells)


def open_mines(land: Landscape, cells: np.ndarray) -> None:
    """New open pits: mine land with no owner or treatment."""
    change_class(land, cells, LandCover.MINE, "mine_opening")
    _clear(land, cells)
    _set(land, "owner", cells, -1)
    _set(land, "gfg_year", cells, 0)


def build_on(land: Landscape, cells: np.ndarray) -> None:
    """Cells built on (towns, villages, roads): built land with no owner, stand or treatment."""
    change_class(land, cells, LandCover.BUILT, "built_expansion")
    _clear(land, cells)
    _set(land, "owner", cells, -1)


def enrol_in_grain_for_green(land: Landscape, cells: np.ndarray, year: int) -> None:
    """Cropland enrolled this year: planted with trees (other forest land until the
    planting closes) and paid for."""
    start_treatment(land, cells, Treatment.AFFORESTATION, "grain_for_green")
    _set(land, "gfg_year", cells, year)
