"""Which grassland is grazed this year.

Open land (grass and bare rock: goats browse the rocky hills) within ``grazing_distance_km`` of a village and not protected (enclosure, a young
plantation, a grazing ban) is grazed with probability ``grazing_pressure``. The
households of the agents' layer decide this for their own plots; this rule stands for
them when the model runs without agents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import LandCover, Landscape

OPEN_LAND = np.array([LandCover.GRASS, LandCover.BARE_ROCK], dtype=np.int8)


def grazeable(land: Landscape, grazing_distance_km: float) -> np.ndarray:
    """Open cells (grass, bare rock) that livestock can reach and that are not protected."""
    return (
        np.isin(land["land_cover"], OPEN_LAND)
        & (land["distance_to_village_km"] <= grazing_distance_km)
        & ~land["protected"]
        & land.land
    )


class Grazing:
    """Draws this year's ``grazed`` layer."""

    reads: ClassVar[tuple[str, ...]] = ("land_cover", "distance_to_village_km", "protected")
    writes: ClassVar[tuple[str, ...]] = ("grazed",)

    def __init__(self, params: Mapping[str, Any]):
        self.distance = params["grazing_distance_km"]
        self.pressure = params["grazing_pressure"]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        land["grazed"] = grazeable(land, self.distance) & (rng.random(land.shape) < self.pressure)
