"""Damage around active mines that are not green mines.

A cell loses ``mine_dust_cover_loss`` × (share of its 8 neighbours with such a mine) of
its vegetation cover this year (dust, spoil and drained water); the cover then regrows
through :class:`~karstsim.model.processes.vegetation.VegetationCover`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import Landscape
from karstsim.model.processes.succession import neighbours_on_map


class MineImpact:
    """Vegetation damage next to dirty mines."""

    reads: ClassVar[tuple[str, ...]] = ("mine_dirty", "vegetation_cover")
    writes: ClassVar[tuple[str, ...]] = ("vegetation_cover",)

    def __init__(self, params: Mapping[str, Any]):
        self.loss = params["mine_dust_cover_loss"]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        share = neighbours_on_map(land, land["mine_dirty"]) / 8.0
        land["vegetation_cover"] = np.clip(land["vegetation_cover"] - self.loss * share, 0.0, 1.0)
