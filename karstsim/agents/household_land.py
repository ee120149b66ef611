"""What a household owns and proposes on land: which cover it can hold, how well its
cropland yields, the proposals it hands to the model, and the per-owner cell choices of
its decisions (:class:`~karstsim.agents.households.HouseholdPopulation.decide`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from karstsim.model.layers import LandCover

OWNABLE = np.array(
    [LandCover.FOREST, LandCover.SHRUB, LandCover.GRASS, LandCover.CROPLAND, LandCover.BARE_ROCK],
    dtype=np.int8,
)
YIELD_ZERO_SLOPE_DEG = 60.0
"""Slope at which the slope term of crop yield reaches zero, degrees [E]."""
YIELD_FULL_SOIL_CM = 30.0
"""Soil depth from which crops yield fully, cm [E] (a shallow karst plough layer)."""
YIELD_FLOOR = 0.1
"""Least yield relative to flat deep land, fraction [E]: terraced plots still yield."""


def crop_yield_factor(slope_deg: np.ndarray, soil_depth_cm: np.ndarray) -> np.ndarray:
    """Yield relative to flat, deep-soiled land (fraction): (1 − slope / 60°) ×
    min(1, soil / 30 cm), at least 0.1 (:data:`YIELD_ZERO_SLOPE_DEG`,
    :data:`YIELD_FULL_SOIL_CM`, :data:`YIELD_FLOOR`)."""
    slope_term = 1.0 - slope_deg / YIELD_ZERO_SLOPE_DEG
    soil_term = np.minimum(1.0, soil_depth_cm / YIELD_FULL_SOIL_CM)
    return np.clip(slope_term * soil_term, YIELD_FLOOR, 1.0)


@dataclass
class LandUseProposals:
    """What households propose this year; the model resolves and applies them."""

    grazed: np.ndarray
    illegal_grazing: np.ndarray  # flat cell indices attempted on closed land
    clearing: np.ndarray  # flat cell indices attempted
    abandon: np.ndarray  # flat cell indices of cropland left
    gfg_offers: np.ndarray  # flat cell indices offered for Grain-for-Green
    gfg_utility: np.ndarray  # their utility (for the quota's ranking)


def beyond_capacity(
    owners: np.ndarray,
    value: np.ndarray,
    capacity_ha: np.ndarray,
    cell_ha: float,
    cells: np.ndarray,
) -> np.ndarray:
    """Cells an owner gives up this year: its worst cell if it holds more than its capacity
    (rounded to whole cells) allows; abandonment is gradual, one plot a year."""
    held = np.bincount(owners, minlength=capacity_ha.size)
    over = held > np.floor(capacity_ha / cell_ha + 0.5)
    mine = over[owners]
    owners, value, cells = owners[mine], value[mine], cells[mine]
    order = np.lexsort((-value, owners))
    last = (
        np.r_[owners[order][1:] != owners[order][:-1], True] if order.size else order.astype(bool)
    )
    return np.sort(cells[order][last])


def one_cell_per_owner(cells: np.ndarray, owner: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """One of ``cells`` at random for each owner that has any: the one with the smallest
    ``keys`` (uniform draws, one per cell)."""
    shuffled = cells[np.argsort(keys[cells], kind="stable")]
    _, first = np.unique(owner[shuffled], return_index=True)
    return np.sort(shuffled[first])
