"""Observed land composition of the start years the generator reproduces.

Shares are fractions of land area. ``forest`` + ``shrub`` is the plan's forest cover
(forest land plus specially designated shrubland). Each figure names its source; the
tags follow ``shared/PARAMETERS.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from karstsim.model.layers import LandCover
from karstsim.model.parameters import PROVINCE_LAND_KM2, ParameterError


@dataclass(frozen=True)
class StartState:
    """Targets for one start year: land-cover shares, desertified share of land, the
    share of cropland on slopes of 25° or more (the Grain-for-Green threshold) and the
    province's forest growing stock (10⁶ m³)."""

    year: int
    cover_shares: dict[LandCover, float]
    desertified_share: float
    steep_cropland_share: float
    growing_stock_Mm3: float
    sources: tuple[str, ...]
    single_tree_trees: float = 0.0
    """Trees enrolled in the single-tree carbon scheme (province)."""
    understory_forest_ha: float = 0.0
    """Forest used by the understory economy (林下经济, province), ha."""

    @property
    def stock_m3_ha(self) -> float:
        """Mean growing stock per hectare of forest (the forest class), m³/ha."""
        forest_ha = self.cover_shares[LandCover.FOREST] * PROVINCE_LAND_KM2 * 100.0
        return self.growing_stock_Mm3 * 1e6 / forest_ha

    @property
    def forest_cover(self) -> float:
        return self.cover_shares[LandCover.FOREST] + self.cover_shares[LandCover.SHRUB]


def _with_grass_remainder(shares: dict[LandCover, float]) -> dict[LandCover, float]:
    rest = 1.0 - sum(shares.values())
    return {**shares, LandCover.GRASS: rest}


START_STATES: dict[int, StartState] = {
    2020: StartState(
        year=2020,
        cover_shares=_with_grass_remainder(
            {
                LandCover.FOREST: 0.4700,
                LandCover.SHRUB: 0.1451,
                LandCover.CROPLAND: 0.1970,
                LandCover.BARE_ROCK: 0.0200,
                LandCover.MINE: 0.0040,
                LandCover.BUILT: 0.0450,
                LandCover.WATER: 0.0130,
            }
        ),
        # 18 600 km²: the 2016 (24 700) and 2022 (15 500) monitoring figures interpolated
        # linearly to 2020; 5 234 km² were treated in 2016–20, and treated land takes
        # years to leave the desertified classes.
        desertified_share=18_600.0 / PROVINCE_LAND_KM2,
        steep_cropland_share=0.15,
        growing_stock_Mm3=609.0,
        single_tree_trees=4_462_000.0,
        understory_forest_ha=2203e4 / 15.0,
        sources=(
            "forest cover 61.51 % [F] plan Table 1; forest/shrub split [E]",
            "cropland 19.7 % [M] third national land survey (3.47 Mha)",
            "bare rock, mine, built, water [E] plausible for Guizhou",
            "grass: remainder (grassland, open and unused land, gardens) [D]",
            "desertified 18 600 km² [D] interpolated between 2016 and 2022",
            "cropland on slopes ≥ 25°: ~15 % [M] third survey (~0.5 of 3.47 Mha)",
            "growing stock 6.09×10⁸ m³ [F] plan Table 1 (Xinhua, Jan 2021: 5.7, an older "
            "basis; the model follows the plan's)",
            "single-tree scheme 4.462 M trees in 682 villages [F] plan (from 2018)",
            "understory economy on 2 203 万亩 of forest in 2020 [F] People's Daily Guizhou, "
            "2021-03-04",
        ),
    ),
    2016: StartState(
        year=2016,
        cover_shares=_with_grass_remainder(
            {
                LandCover.FOREST: 0.3900,
                LandCover.SHRUB: 0.1300,
                LandCover.CROPLAND: 0.2580,
                LandCover.BARE_ROCK: 0.0250,
                LandCover.MINE: 0.0040,
                LandCover.BUILT: 0.0400,
                LandCover.WATER: 0.0130,
            }
        ),
        desertified_share=24_700.0 / PROVINCE_LAND_KM2,
        steep_cropland_share=0.25,
        growing_stock_Mm3=427.0,
        sources=(
            "forest cover ≈ 52 % [M] provincial news",
            "cropland 25.8 % [M] second national land survey (4.54 Mha)",
            "desertified 24 700 km² [F] plan and 2016 monitoring bulletin",
            "cropland on slopes ≥ 25°: ~25 % [M] second survey (~1.1 of 4.54 Mha)",
            "growing stock ≈ 4.27×10⁸ m³ [E] the 12th plan's 2015 goal of 4.0×10⁸ (reported "
            "met) on the plan's basis (× 6.09 / 5.7, the two 2020 figures)",
            "no single-tree scheme yet (it began in 2018) [F]; understory economy of 2016 not "
            "found: starts at none [E]",
        ),
    ),
}


def start_state(year: int) -> StartState:
    """The targets for ``year``; a clear error for a year without observations."""
    try:
        return START_STATES[year]
    except KeyError:
        years = ", ".join(str(y) for y in START_STATES)
        raise ParameterError(
            f"start year {year} has no observed land composition; allowed: {years}",
            zh=f"起始年份 {year} 没有观测的土地构成；允许：{years}",
        ) from None
