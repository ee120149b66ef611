"""Fire: wooded cells ignite by chance; a fire that patrols detect is put out.

A land process of its own, run right after the year's land-use changes are applied (so a
stand cleared this year cannot burn) and before the other land processes. Each wooded
land cell ignites with probability ``fire_ignition_prob``; an ignited cell is suppressed
with its ``detection_prob`` (the rangers' patrol). Burned stands become grass, leave any
treatment and Grain-for-Green (:func:`karstsim.model.land_use.burn`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model import land_use
from karstsim.model.layers import WOODED, Landscape, is_any


class Fire:
    """Ignition, suppression and burning of wooded cells, one year."""

    reads: ClassVar[tuple[str, ...]] = ("land", "land_cover", "detection_prob", "county")
    writes: ClassVar[tuple[str, ...]] = land_use.BURN_WRITES

    def __init__(self, params: Mapping[str, Any]):
        self.params = params
        self.ignited = np.zeros(0, dtype=np.intp)
        """Flat indices of the cells that caught fire this year."""
        self.suppressed = np.zeros(0, dtype=bool)
        """For each ignited cell, whether the fire was put out."""

    @property
    def burned(self) -> np.ndarray:
        """Flat indices of the cells that burned this year."""
        return self.ignited[~self.suppressed]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        wooded = np.flatnonzero((is_any(land["land_cover"], WOODED) & land.land).ravel())
        ignition = land.uniform(rng)  # one per cell, used or not
        suppression = land.uniform(rng)
        self.ignited = wooded[ignition[wooded] < self.params["fire_ignition_prob"]]
        detection = land["detection_prob"].ravel()
        self.suppressed = suppression[self.ignited] < detection[self.ignited]
        land_use.burn(land, self.burned, self.params)
