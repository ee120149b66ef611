"""Which land livestock can reach: open land (grassland, unused land — goats browse the rocky
hills — other forest land without a planting, and shrubland: the grass and shrub slopes,
草山草坡, that the land survey counts mostly as shrubland) within ``grazing_distance_km`` of a
village and not protected (enclosure, a young plantation, a grazing ban, a corridor closed
by its lever). Households decide what of it they graze
(:mod:`karstsim.agents.households`).
"""

from __future__ import annotations

import numpy as np

from karstsim.model.layers import LandCover, Landscape, is_any

OPEN_LAND = np.array(
    [LandCover.GRASS, LandCover.BARE_ROCK, LandCover.OTHER_FOREST, LandCover.SHRUB], dtype=np.int8
)


def grazeable(land: Landscape, grazing_distance_km: float) -> np.ndarray:
    """Open cells (:data:`OPEN_LAND`) that livestock can reach and that are not protected."""
    return (
        is_any(land["land_cover"], OPEN_LAND)
        & (land["distance_to_village_km"] <= grazing_distance_km)
        & ~land["protected"]
        & land.land
    )
