"""Observed land composition of the start years the generator reproduces.

Shares are fractions of land area, in the land survey's classes (:class:`LandCover`):
``forest`` + ``shrub`` is the plan's forest cover (tree forest, bamboo and specially
designated shrubland); with ``other_forest`` it is forest land (林地). Each figure names its source; the
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


def _with_unused_land(shares: dict[LandCover, float]) -> dict[LandCover, float]:
    """``shares`` with unused land (其他土地) as what the other classes leave."""
    rest = 1.0 - sum(shares.values())
    return {**shares, LandCover.BARE_ROCK: rest}


SURVEY_LAND_WAN_HA = PROVINCE_LAND_KM2 / 100.0
"""The province's land in 万 ha (10⁴ ha), the unit of the land survey's bulletin."""
GFG_2016_20_SHARE = 1465e4 / 15.0 / 1e4 / SURVEY_LAND_WAN_HA
"""Share of the land that Grain-for-Green moved from cropland to forest land in 2016–20
(1 465 万亩 [F] the plan), fraction."""

START_STATES: dict[int, StartState] = {
    2020: StartState(
        year=2020,
        cover_shares=_with_unused_land(
            {
                LandCover.FOREST: 754.03 / SURVEY_LAND_WAN_HA,
                LandCover.SHRUB: 0.6151 - 754.03 / SURVEY_LAND_WAN_HA,
                LandCover.OTHER_FOREST: 0.6363 - 0.6151,
                LandCover.CROPLAND: 347.26 / SURVEY_LAND_WAN_HA,
                LandCover.GRASS: 18.83 / SURVEY_LAND_WAN_HA,
                LandCover.GARDEN: 0.0450,
                LandCover.BUILT: 0.0400,
                LandCover.MINE: 0.0040,
                LandCover.TRANSPORT: 0.0160,
                LandCover.WATER: 0.0150,
            }
        ),
        # 18 600 km²: the 2016 (24 700) and 2022 (15 500) monitoring figures interpolated
        # linearly to 2020; 5 234 km² were treated in 2016–20, and treated land takes
        # years to leave the desertified classes.
        desertified_share=18_600.0 / PROVINCE_LAND_KM2,
        steep_cropland_share=58.47 / 347.26,
        growing_stock_Mm3=609.0,
        single_tree_trees=4_462_000.0,
        understory_forest_ha=2203e4 / 15.0,
        sources=(
            "third national land survey of Guizhou (三调, standard date 2019-12-31; 贵州省第三次"
            "全国国土调查主要数据公报, Guizhou Daily 2021-12-30) [F]: cropland 347.26 万 ha "
            "(58.47 on slopes over 25°), forest land 1 121.01 万 ha = 63.63 % (tree forest "
            "736.67, bamboo 17.36, shrubland 327.55, other forest land 39.43), grassland 18.83",
            "forest cover 61.51 % [F] plan Table 1: tree forest and bamboo as surveyed, the "
            "rest of the forest cover shrubland (survey 18.59 %, here 18.71 %); other forest "
            "land is forest land less forest cover (2.12 %; survey 2.24 %)",
            "garden land 4.5 % [E] tea gardens alone 700 万亩 = 2.65 % in 2020 (provincial "
            "news), with orchards; built 4.0 %, mines 0.4 %, transport 1.6 %, water and "
            "wetland 1.5 % [E]: the bulletin's figures for these classes were not found "
            "offline",
            "unused land (其他土地: bare rock and soil, field ridges, idle land) [D] what the "
            "surveyed classes and the estimates leave: 3.6 %",
            "desertified 18 600 km² [D] interpolated between 2016 and 2022",
            "growing stock 6.09×10⁸ m³ [F] plan Table 1 (Xinhua, Jan 2021: 5.7, an older "
            "basis; the model follows the plan's)",
            "single-tree scheme 4.462 M trees in 682 villages [F] plan (from 2018)",
            "understory economy on 2 203 万亩 of forest in 2020 [F] People's Daily Guizhou, "
            "2021-03-04",
        ),
    ),
    2016: StartState(
        year=2016,
        cover_shares=_with_unused_land(
            {
                LandCover.FOREST: 0.3900,
                LandCover.SHRUB: 0.1300,
                LandCover.OTHER_FOREST: 0.6363 - GFG_2016_20_SHARE - 0.5200,
                LandCover.CROPLAND: 347.26 / SURVEY_LAND_WAN_HA + GFG_2016_20_SHARE,
                LandCover.GRASS: 0.0107,
                LandCover.GARDEN: 0.0400,
                LandCover.BUILT: 0.0360,
                LandCover.MINE: 0.0040,
                LandCover.TRANSPORT: 0.0130,
                LandCover.WATER: 0.0150,
            }
        ),
        desertified_share=24_700.0 / PROVINCE_LAND_KM2,
        steep_cropland_share=0.25,
        growing_stock_Mm3=427.0,
        sources=(
            "forest cover ≈ 52 % [M] provincial news (on the second survey's basis)",
            "forest land and cropland [D]: 2020's (third survey) less and plus the 13th plan's "
            "Grain-for-Green of 2016–20 (1 465 万亩 = 5.54 % of the land), which moved steep "
            "cropland into forest land: forest land 58.1 %, so other forest land (unclosed "
            "plantations) 6.1 %, and cropland 25.25 % (the second survey: 25.8 %)",
            "grassland, garden, built, transport, water [E] the 2020 composition with less "
            "building; unused land what they leave [D]",
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
