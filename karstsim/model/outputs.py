"""The one declaration of the model's outputs and of the plan's targets.

Like :mod:`karstsim.model.parameters` for the inputs: one :class:`Output` per column of
the yearly results table, with its unit, description, group, which way is better and how
it is computed (a *reporter*: a function of the model, as Mesa's ``DataCollector`` takes
model reporters and EMA Workbench declares outcomes). The model's results table, its
``datacollector``, ``summary.json``, ``compare``, validation, figures, the app's cards
and charts, the sweeps' outputs and the README/ODD output tables are generated from
:data:`OUTPUTS` or checked against it (``tests/test_outputs.py``).

Reporters read the model's measurements of the year (:class:`YearMeasures`: the land
indicators, household and mine indicators and the year's flows, each computed once per
year) so that the table costs what it did before it was declared.

:data:`PLAN_TARGETS` are the plan's targets a run is checked against (``shared/FACTS.md``);
figures, the app and the fast-track search take their thresholds from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Better = Literal["higher", "lower"] | None
Reporter = Callable[[Any], float]


@dataclass(frozen=True)
class Output:
    """One column of the yearly results.

    ``reporter(model)`` gives this year's value; ``better`` says which way is good
    (``None``: neither, e.g. a count of agents); ``per_region`` whether the output means
    something when computed over one prefecture or county (areas, shares and sums of
    cells: yes; province-wide money flows and agent counts that are not mapped: no).
    ``key`` marks a headline output (``compare``, the app's cards).
    """

    name: str
    unit: str
    description: str
    group: str
    better: Better
    reporter: Reporter
    per_region: bool = False
    key: bool = False
    label: str = ""

    @property
    def title(self) -> str:
        """Short label with unit, for figures and tables."""
        label = self.label or self.description.split(";")[0]
        return f"{label}, {self.unit}" if self.unit and self.unit != "1" else label


@dataclass(frozen=True)
class Target:
    """``column`` reaching ``threshold`` (× area scale if ``scaled``) by ``deadline``
    (``held``: a level to keep, met only if the deadline year's value is at the threshold,
    whenever it was first reached)."""

    key: str
    column: str
    threshold: float
    deadline: int
    scaled: bool
    description: str
    cumulative_from: int | None = None
    held: bool = False

    @property
    def line_label(self) -> str:
        """How a figure labels the target's line, e.g. ``64 % target (2025)``."""
        unit = OUTPUT_BY_NAME[self.column].unit
        number = f"{self.threshold:g}"
        return f"{number} {unit} target ({self.deadline})"


def _land(name: str) -> Reporter:
    return lambda model: model.measures.land[name]


def _households(name: str) -> Reporter:
    return lambda model: model.measures.households[name]


def _mines(name: str) -> Reporter:
    return lambda model: model.measures.mines[name]


def _flow(name: str) -> Reporter:
    return lambda model: model.measures.flows[name]


def _livestock(name: str) -> Reporter:
    return lambda model: model.measures.livestock[name]


def _carbon(name: str) -> Reporter:
    return lambda model: model.measures.carbon[name]


def _gep(name: str) -> Reporter:
    return lambda model: model.measures.gep[name]


def _cumulative(name: str) -> Reporter:
    return lambda model: model.cumulative[name]


SPENDING = (
    "treatment_cost_Myuan",
    "afforestation_cost_Myuan",
    "spend_gfg_Myuan",
    "spend_rangers_Myuan",
    "spend_mines_Myuan",
    "spend_carbon_Myuan",
    "spend_zoning_Myuan",
    "spend_grassland_Myuan",
    "spend_wetland_Myuan",
    "spend_relocation_Myuan",
    "spend_compensation_Myuan",
)
"""The programme costs whose sum is ``budget_spent_Myuan`` (in this order). The forest
economy's costs (``spend_reserve_forest_Myuan`` and the others of issue 13, item 6) are, like
forest tending and erosion control, paid from central funds and policy loans outside the
provincial budget: declared in the spending group, not summed here."""

EVENTS = (
    "violations_attempted",
    "violations_detected",
    "fires",
    "fires_suppressed",
    "cropland_abandoned_km2",
    "gfg_new_km2",
    "zone_violations_attempted",
    "zone_violations_detected",
)
"""Outputs counted while the year's land-use proposals are resolved."""

_SEVERITY_TEXT = {
    "potential": "potential (carbonate land at risk, not yet desertified)",
    "light": "light",
    "moderate": "moderate",
    "severe": "severe",
    "extreme": "extreme",
}

OUTPUTS: tuple[Output, ...] = (
    Output(
        "year",
        "yr",
        "calendar year of the row (the start year first)",
        "time",
        None,
        lambda model: model.year,
        per_region=True,
    ),
    # --- land -------------------------------------------------------------------------------
    Output(
        "land_area_km2",
        "km²",
        "land area of the map (its cells of land)",
        "land",
        None,
        _land("land_area_km2"),
        per_region=True,
    ),
    Output(
        "forest_cover_pct",
        "%",
        "forest cover: forest plus shrubland over land area (the plan's definition)",
        "land",
        "higher",
        _land("forest_cover_pct"),
        per_region=True,
        key=True,
        label="Forest cover",
    ),
    Output(
        "forest_land_pct",
        "%",
        "forest land (林地: tree forest, bamboo, shrubland, other forest land) over land area",
        "land",
        "higher",
        _land("forest_land_pct"),
        per_region=True,
    ),
    Output(
        "tree_forest_pct",
        "%",
        "tree forest and bamboo (乔木林地, 竹林地) over land area",
        "land",
        None,
        _land("tree_forest_pct"),
        per_region=True,
    ),
    Output(
        "shrubland_pct",
        "%",
        "shrubland (灌木林地, specially designated: in forest cover) over land area",
        "land",
        None,
        _land("shrubland_pct"),
        per_region=True,
    ),
    Output(
        "other_forest_pct",
        "%",
        "other forest land (其他林地: unclosed plantations, cut-over, burned) over land area",
        "land",
        None,
        _land("other_forest_pct"),
        per_region=True,
    ),
    Output(
        "cropland_pct",
        "%",
        "cropland (耕地) over land area",
        "land",
        None,
        _land("cropland_pct"),
        per_region=True,
    ),
    Output(
        "garden_pct",
        "%",
        "garden land (园地: tea, orchards) over land area",
        "land",
        None,
        _land("garden_pct"),
        per_region=True,
    ),
    Output(
        "grassland_pct",
        "%",
        "grassland (草地) over land area",
        "land",
        None,
        _land("grassland_pct"),
        per_region=True,
    ),
    Output(
        "unused_land_pct",
        "%",
        "unused land (其他土地: bare rock and soil) over land area",
        "land",
        "lower",
        _land("unused_land_pct"),
        per_region=True,
    ),
    Output(
        "built_pct",
        "%",
        "towns, villages and industry (城镇村及工矿用地 without mines) over land area",
        "land",
        None,
        _land("built_pct"),
        per_region=True,
    ),
    Output(
        "mine_land_pct",
        "%",
        "mining land (采矿用地) over land area",
        "land",
        None,
        _land("mine_land_pct"),
        per_region=True,
    ),
    Output(
        "transport_pct",
        "%",
        "transport land (交通运输用地) over land area",
        "land",
        None,
        _land("transport_pct"),
        per_region=True,
    ),
    Output(
        "water_pct",
        "%",
        "water, water works and wetland over land area",
        "land",
        None,
        _land("water_pct"),
        per_region=True,
    ),
    Output(
        "desertified_km2",
        "km²",
        "rocky-desertified area: light and worse",
        "land",
        "lower",
        _land("desertified_km2"),
        per_region=True,
        key=True,
        label="Rocky-desertified area",
    ),
    *(
        Output(
            f"desert_{cls}_km2",
            "km²",
            f"area of {text} rocky desertification",
            "land",
            "lower",
            _land(f"desert_{cls}_km2"),
            per_region=True,
        )
        for cls, text in _SEVERITY_TEXT.items()
    ),
    # --- carbon and soil --------------------------------------------------------------------
    Output(
        "carbon_stock_MtC",
        "MtC",
        "carbon in the modelled pools of all land: above- and below-ground biomass and dead "
        "organic matter (InVEST's pools; soil carbon is soil_carbon_MtC)",
        "carbon",
        "higher",
        _land("carbon_stock_MtC"),
        per_region=True,
        key=True,
        label="Biomass and litter carbon stock",
    ),
    *(
        Output(
            f"carbon_{pool}_MtC",
            "MtC",
            f"carbon in {text} of all land",
            "carbon",
            "higher",
            _land(f"carbon_{pool}_MtC"),
            per_region=True,
        )
        for pool, text in (
            ("above", "above-ground biomass"),
            ("below", "below-ground biomass (roots)"),
            ("dead", "dead wood and litter"),
        )
    ),
    Output(
        "growing_stock_Mm3",
        "Mm³",
        "forest growing stock: the stands' yield-curve volume (live forest carbon / "
        "wood density × BEF × carbon fraction × (1 + root-to-shoot ratio))",
        "carbon",
        "higher",
        _land("growing_stock_Mm3"),
        per_region=True,
        label="Growing stock",
    ),
    Output(
        "timber_harvest_Mm3",
        "Mm³/yr",
        "growing stock cut this year (planted stands past rotation, replanted)",
        "carbon",
        None,
        _flow("timber_harvest_Mm3"),
    ),
    Output(
        "mean_stand_age_yr",
        "yr",
        "mean stand age of forest (growth years: tended stands count their faster growth)",
        "carbon",
        None,
        _land("mean_stand_age_yr"),
        per_region=True,
    ),
    Output(
        "soil_conservation_pct",
        "%",
        "share of land whose soil loss is within the tolerable rate",
        "soil",
        "higher",
        _land("soil_conservation_pct"),
        per_region=True,
        label="Soil-conservation rate",
    ),
    Output(
        "soil_loss_Mt",
        "Mt/yr",
        "soil lost this year",
        "soil",
        "lower",
        _land("soil_loss_Mt"),
        per_region=True,
    ),
    Output(
        "mean_bedrock_exposure_karst",
        "1",
        "mean bedrock exposure of carbonate land",
        "soil",
        "lower",
        _land("mean_bedrock_exposure_karst"),
        per_region=True,
    ),
    Output(
        "co2_sequestered_MtCO2",
        "MtCO₂/yr",
        "net CO₂ taken up by the modelled carbon pools this year (negative: a source)",
        "carbon",
        "higher",
        _flow("co2_sequestered_MtCO2"),
        per_region=True,
        label="CO₂ uptake",
    ),
    # --- the year's programmes --------------------------------------------------------------
    Output(
        "treated_km2",
        "km²/yr",
        "desertification treatment started this year",
        "programmes",
        None,
        _flow("treated_km2"),
        per_region=True,
    ),
    Output(
        "afforested_km2",
        "km²/yr",
        "general afforestation started this year",
        "programmes",
        None,
        _flow("afforested_km2"),
        per_region=True,
    ),
    Output(
        "tended_km2",
        "km²/yr",
        "young and middle-aged forest tended this year",
        "programmes",
        None,
        _flow("tended_km2"),
    ),
    Output(
        "erosion_controlled_km2",
        "km²/yr",
        "land newly put under soil-erosion control this year (most eroding first)",
        "programmes",
        None,
        _flow("erosion_controlled_km2"),
    ),
    Output(
        "erosion_controlled_km2_cum",
        "km²",
        "soil-erosion control started since the start",
        "programmes",
        "higher",
        _cumulative("erosion_controlled_km2_cum"),
    ),
    Output(
        "erosion_control_cost_Myuan",
        "M yuan/yr",
        "cost of this year's soil-erosion control (water-conservancy funds, outside the "
        "provincial budget)",
        "spending",
        "lower",
        _flow("erosion_control_cost_Myuan"),
    ),
    Output(
        "tending_cost_Myuan",
        "M yuan/yr",
        "cost of this year's forest tending (central subsidy, outside the provincial budget)",
        "spending",
        "lower",
        _flow("tending_cost_Myuan"),
    ),
    Output(
        "treatment_cost_Myuan",
        "M yuan/yr",
        "cost of this year's desertification treatment",
        "spending",
        "lower",
        _flow("treatment_cost_Myuan"),
    ),
    Output(
        "afforestation_cost_Myuan",
        "M yuan/yr",
        "cost of this year's afforestation",
        "spending",
        "lower",
        _flow("afforestation_cost_Myuan"),
    ),
    Output(
        "spend_gfg_Myuan",
        "M yuan/yr",
        "Grain-for-Green instalments and seedlings paid",
        "spending",
        "lower",
        _flow("spend_gfg_Myuan"),
    ),
    Output(
        "spend_rangers_Myuan",
        "M yuan/yr",
        "ranger wages paid",
        "spending",
        "lower",
        _flow("spend_rangers_Myuan"),
    ),
    Output(
        "spend_mines_Myuan",
        "M yuan/yr",
        "public spending on legacy-mine restoration",
        "spending",
        "lower",
        _flow("spend_mines_Myuan"),
    ),
    Output(
        "spend_carbon_Myuan",
        "M yuan/yr",
        "single-tree carbon payments",
        "spending",
        "lower",
        _flow("spend_carbon_Myuan"),
    ),
    Output(
        "treated_km2_cum",
        "km²",
        "desertification treatment started since the start",
        "programmes",
        "higher",
        _cumulative("treated_km2_cum"),
        per_region=True,
    ),
    *(
        Output(
            name,
            "km²",
            f"desertification treatment started since the start on {label} (the programme's "
            "land types: severe land apart, then the land's cover before treatment)",
            "programmes",
            "higher",
            _cumulative(name),
        )
        for name, label in (
            ("treated_forest_land_km2_cum", "forest land (forest, shrub, bare rock)"),
            ("treated_cropland_km2_cum", "cropland"),
            ("treated_grassland_km2_cum", "grassland"),
            ("treated_severe_km2_cum", "severe and extreme desertification"),
        )
    ),
    Output(
        "afforested_km2_cum",
        "km²",
        "afforestation started since the start",
        "programmes",
        "higher",
        _cumulative("afforested_km2_cum"),
        per_region=True,
    ),
    Output(
        "burned_km2_cum",
        "km²",
        "area burned since the start",
        "events",
        "lower",
        _cumulative("burned_km2_cum"),
        per_region=True,
    ),
    # --- households -------------------------------------------------------------------------
    Output(
        "households",
        "households",
        "rural households on the map (agents × households per agent)",
        "households",
        None,
        _households("households"),
        per_region=True,
    ),
    Output(
        "household_agents",
        "agents",
        "household agents on the grid",
        "households",
        None,
        _households("household_agents"),
    ),
    Output(
        "household_income_mean_yuan",
        "yuan/yr",
        "mean income of an agent's household",
        "households",
        "higher",
        _households("household_income_mean_yuan"),
        per_region=True,
        key=True,
        label="Household income",
    ),
    Output(
        "income_per_person_yuan",
        "yuan/yr",
        "mean income per rural person",
        "households",
        "higher",
        _households("income_per_person_yuan"),
        per_region=True,
    ),
    Output(
        "poverty_share",
        "1",
        "share of rural people below the poverty line",
        "households",
        "lower",
        _households("poverty_share"),
        per_region=True,
        key=True,
        label="Poverty share",
    ),
    Output(
        "income_gini",
        "1",
        "Gini coefficient of income per person",
        "households",
        "lower",
        _households("income_gini"),
    ),
    Output(
        "gfg_enrolled_km2",
        "km²",
        "land enrolled in Grain-for-Green",
        "households",
        None,
        _households("gfg_enrolled_km2"),
        per_region=True,
    ),
    Output(
        "carbon_sink_households",
        "households",
        "households in a carbon scheme (single-tree or project)",
        "households",
        "higher",
        _households("carbon_sink_households"),
    ),
    Output(
        "single_tree_households",
        "households",
        "households in the single-tree scheme",
        "households",
        "higher",
        _households("single_tree_households"),
    ),
    Output(
        "single_tree_income_per_household_yuan",
        "yuan/household/yr",
        "single-tree scheme income of a participating household (the plan: over 1 000 yuan)",
        "households",
        "higher",
        _households("single_tree_income_per_household_yuan"),
    ),
    Output(
        "eco_economic_income_Myuan",
        "M yuan/yr",
        "households' net income from established eco-economic stands (fruit, tea, nut trees)",
        "households",
        "higher",
        _households("eco_economic_income_Myuan"),
    ),
    Output(
        "carbon_revenue_Myuan",
        "M yuan/yr",
        "carbon-sink revenue to households",
        "households",
        "higher",
        _households("carbon_revenue_Myuan"),
        per_region=False,
        key=True,
        label="Carbon-sink revenue to households",
    ),
    Output(
        "understory_households",
        "households",
        "households in the understory economy",
        "households",
        "higher",
        _households("understory_households"),
    ),
    Output(
        "offfarm_share",
        "1",
        "share of household labour working off-farm",
        "households",
        None,
        _households("offfarm_share"),
    ),
    # --- rangers and events -----------------------------------------------------------------
    Output(
        "rangers",
        "rangers",
        "forest rangers employed",
        "rangers",
        None,
        lambda model: float(model.rangers.total),
        per_region=True,
    ),
    Output(
        "violations_attempted",
        "cells/yr",
        "illegal grazing and clearing attempted",
        "events",
        "lower",
        _flow("violations_attempted"),
        per_region=True,
    ),
    Output(
        "violations_detected",
        "cells/yr",
        "illegal acts detected and fined",
        "events",
        None,
        _flow("violations_detected"),
        per_region=True,
    ),
    Output(
        "fires",
        "cells/yr",
        "fires ignited on wooded land",
        "events",
        "lower",
        _flow("fires"),
        per_region=True,
    ),
    Output(
        "fires_suppressed",
        "cells/yr",
        "fires detected and put out",
        "events",
        None,
        _flow("fires_suppressed"),
        per_region=True,
    ),
    Output(
        "cropland_abandoned_km2",
        "km²/yr",
        "cropland given up this year",
        "events",
        None,
        _flow("cropland_abandoned_km2"),
        per_region=True,
    ),
    Output(
        "gfg_new_km2",
        "km²/yr",
        "cropland newly enrolled in Grain-for-Green",
        "events",
        None,
        _flow("gfg_new_km2"),
        per_region=True,
    ),
    # --- mines ------------------------------------------------------------------------------
    Output(
        "mines_active",
        "mines",
        "operating mines (green or not)",
        "mines",
        None,
        _mines("mines_active"),
        per_region=True,
    ),
    Output(
        "green_mine_share",
        "1",
        "green share of operating mines",
        "mines",
        "higher",
        _mines("green_mine_share"),
    ),
    Output(
        "mine_area_ha",
        "ha",
        "footprint of unrestored mines",
        "mines",
        "lower",
        _mines("mine_area_ha"),
        per_region=True,
    ),
    Output(
        "mine_restored_ha_cum",
        "ha",
        "mine land restored since the start",
        "mines",
        "higher",
        _mines("mine_restored_ha_cum"),
        per_region=True,
    ),
    Output(
        "mine_revenue_Myuan",
        "M yuan/yr",
        "revenue of operating mines",
        "mines",
        None,
        _mines("mine_revenue_Myuan"),
    ),
    Output("mine_jobs", "jobs", "jobs at operating mines", "mines", None, _mines("mine_jobs")),
    # --- corridors and money ----------------------------------------------------------------
    Output(
        "corridor_connectivity",
        "1",
        "share of habitat in the largest reachable network of patches",
        "corridors",
        "higher",
        lambda model: model.patches.connectivity(),
        per_region=True,
        key=True,
        label="Corridor connectivity",
    ),
    Output(
        "budget_spent_Myuan",
        "M yuan/yr",
        "all programme spending of the year (the sum of the spending outputs)",
        "spending",
        "lower",
        lambda model: sum(model.measures.flows[k] for k in SPENDING),
        per_region=False,
        key=True,
        label="Budget spent",
    ),
    # --- issue 13 (a), item 9: mines as the plan counts them --------------------------------
    Output(
        "legacy_mine_restored_ha_cum",
        "ha",
        "historical legacy mine land restored by the government since the start "
        "(历史遗留矿山恢复治理)",
        "mines",
        "higher",
        _mines("legacy_mine_restored_ha_cum"),
        per_region=True,
    ),
    Output(
        "closed_mine_restored_ha_cum",
        "ha",
        "land of closed mines restored by their owners since the start",
        "mines",
        "higher",
        _mines("closed_mine_restored_ha_cum"),
        per_region=True,
    ),
    Output(
        "mines_renewed",
        "mines/yr",
        "mining licences renewed this year",
        "mines",
        None,
        _mines("mines_renewed"),
    ),
    Output(
        "mine_renewal_exits",
        "mines/yr",
        "mines closed this year at renewal because they could not become green",
        "mines",
        None,
        _mines("mine_renewal_exits"),
    ),
    Output(
        "green_upgrade_spend_Myuan",
        "M yuan/yr",
        "mine owners' cost of this year's upgrades to green mines (private, not in the budget)",
        "mines",
        "lower",
        _mines("green_upgrade_spend_Myuan"),
    ),
    # --- issue 13 (b), item 3: ecological red line and protected areas ----------------------
    Output(
        "red_line_pct",
        "%",
        "ecological protection red line over land area (生态保护红线比例)",
        "zoning",
        "higher",
        _land("red_line_pct"),
        per_region=True,
    ),
    Output(
        "protected_area_pct",
        "%",
        "protected areas over land area (自然保护地面积占比)",
        "zoning",
        "higher",
        _land("protected_area_pct"),
        per_region=True,
    ),
    Output(
        "red_line_habitat_pct",
        "%",
        "share of habitat (forest of habitat age) inside the red line",
        "zoning",
        "higher",
        _land("red_line_habitat_pct"),
        per_region=True,
    ),
    Output(
        "protected_area_habitat_pct",
        "%",
        "share of habitat inside protected areas",
        "zoning",
        "higher",
        _land("protected_area_habitat_pct"),
        per_region=True,
    ),
    Output(
        "zone_violations_attempted",
        "cells/yr",
        "illegal grazing and clearing attempted inside the red line",
        "zoning",
        "lower",
        _flow("zone_violations_attempted"),
        per_region=True,
    ),
    Output(
        "zone_violations_detected",
        "cells/yr",
        "illegal acts inside the red line detected and fined (rangers or monitoring)",
        "zoning",
        None,
        _flow("zone_violations_detected"),
        per_region=True,
    ),
    Output(
        "spend_zoning_Myuan",
        "M yuan/yr",
        "management of protected areas",
        "spending",
        "lower",
        _flow("spend_zoning_Myuan"),
    ),
    # --- issue 13 (c), item 4: grassland and livestock --------------------------------------
    Output(
        "cattle_offtake_head",
        "head/yr",
        "beef cattle sold this year (出栏肉牛)",
        "grassland",
        "higher",
        _livestock("cattle_offtake_head"),
        per_region=True,
    ),
    Output(
        "sheep_offtake_head",
        "head/yr",
        "sheep and goats sold this year (出栏肉羊)",
        "grassland",
        "higher",
        _livestock("sheep_offtake_head"),
        per_region=True,
    ),
    Output(
        "livestock_sheep_units",
        "sheep units",
        "standing herd of cattle, sheep and goats in sheep units (羊单位)",
        "grassland",
        None,
        _livestock("livestock_sheep_units"),
        per_region=True,
    ),
    Output(
        "stocking_ratio",
        "1",
        "forage the herd takes by grazing over the carrying capacity of the open land it can "
        "reach (1: at capacity; at most 100)",
        "grassland",
        "lower",
        _livestock("stocking_ratio"),
        per_region=True,
    ),
    Output(
        "grass_livestock_balance_pct",
        "%",
        "grass–livestock balance rate: grazing land (grassland, shrub-grass slopes, unused land) in villages stocked within capacity (草畜平衡率)",
        "grassland",
        "higher",
        _livestock("grass_livestock_balance_pct"),
        per_region=True,
    ),
    Output(
        "grassland_cover_pct",
        "%",
        "mean vegetation cover of grassland (草原综合植被盖度)",
        "grassland",
        "higher",
        _livestock("grassland_cover_pct"),
        per_region=True,
    ),
    Output(
        "degraded_grassland_restored_ha_cum",
        "ha",
        "degraded grassland restored since the start (治理退化草原)",
        "grassland",
        "higher",
        _livestock("degraded_grassland_restored_ha_cum"),
        per_region=True,
    ),
    Output(
        "fodder_bought_Myuan",
        "M yuan/yr",
        "forage households buy beyond the start year's because the grass cannot feed the herd",
        "grassland",
        "lower",
        _livestock("fodder_bought_Myuan"),
    ),
    Output(
        "spend_grassland_Myuan",
        "M yuan/yr",
        "restoration of degraded grassland",
        "spending",
        "lower",
        _flow("spend_grassland_Myuan"),
    ),
    # --- issue 13 (d), item 5: wetlands -----------------------------------------------------
    Output(
        "wetland_km2",
        "km²",
        "natural wetland (wetland sites not reclaimed for crops)",
        "wetland",
        "higher",
        _land("wetland_km2"),
        per_region=True,
    ),
    Output(
        "wetland_protection_pct",
        "%",
        "wetland protection rate: protected natural wetland over natural wetland (湿地保护率)",
        "wetland",
        "higher",
        _land("wetland_protection_pct"),
        per_region=True,
    ),
    Output(
        "wetland_reclaimed_ha_cum",
        "ha",
        "wetland drained and farmed since the start",
        "wetland",
        "lower",
        _land("wetland_reclaimed_ha_cum"),
        per_region=True,
    ),
    Output(
        "wetland_restored_ha_cum",
        "ha",
        "reclaimed wetland restored since the start",
        "wetland",
        "higher",
        _land("wetland_restored_ha_cum"),
        per_region=True,
    ),
    Output(
        "spend_wetland_Myuan",
        "M yuan/yr",
        "restoration of reclaimed wetland",
        "spending",
        "lower",
        _flow("spend_wetland_Myuan"),
    ),
    # --- issue 13 (e), item 7: relocation ---------------------------------------------------
    Output(
        "relocated_people_cum",
        "people",
        "people moved out of fragile villages since the start (易地搬迁)",
        "households",
        None,
        _households("relocated_people_cum"),
        per_region=True,
    ),
    Output(
        "relocation_land_released_km2_cum",
        "km²",
        "land left by relocated households since the start (now collective)",
        "households",
        None,
        _households("relocation_land_released_km2_cum"),
        per_region=True,
    ),
    Output(
        "spend_relocation_Myuan",
        "M yuan/yr",
        "relocation of people and planting of the plots they leave",
        "spending",
        "lower",
        _flow("spend_relocation_Myuan"),
    ),
    # --- issue 13, item 8: ecological compensation --------------------------------------------
    Output(
        "spend_compensation_Myuan",
        "M yuan/yr",
        "Guizhou's contribution to the Chishui River's cross-province compensation fund",
        "spending",
        "lower",
        _flow("spend_compensation_Myuan"),
    ),
    *(
        Output(
            name,
            unit,
            description,
            "compensation",
            better,
            _flow(name),
            per_region=name in ("eco_comp_received_Myuan", "eco_comp_paid_by_counties_Myuan"),
        )
        for name, unit, description, better in (
            (
                "eco_comp_chishui_paid_Myuan",
                "M yuan/yr",
                "Guizhou's payment into the Chishui fund (its 5 of 1 : 5 : 4)",
                None,
            ),
            (
                "eco_comp_chishui_received_Myuan",
                "M yuan/yr",
                "what Guizhou's Chishui units receive from the fund (its 4 of 3 : 4 : 3 when its "
                "part of the basin meets the conditions on sediment and forest)",
                "higher",
            ),
            (
                "eco_comp_chishui_met",
                "0/1",
                "Guizhou's part of the Chishui basin met the conditions this year",
                "higher",
            ),
            (
                "eco_comp_horizontal_Myuan",
                "M yuan/yr",
                "paid by downstream units to the upstream units of their basin that met the "
                "conditions",
                "higher",
            ),
            (
                "eco_comp_penalty_Myuan",
                "M yuan/yr",
                "paid by upstream units that failed the conditions to their basin's downstream "
                "units",
                "lower",
            ),
            (
                "eco_comp_received_Myuan",
                "M yuan/yr",
                "compensation received this year: the Chishui fund's allocation, horizontal "
                "compensation and penalties (by region: what its units received)",
                None,
            ),
            (
                "eco_comp_to_households_Myuan",
                "M yuan/yr",
                "compensation received by households owning forest in the receiving units",
                None,
            ),
            (
                "eco_comp_to_counties_Myuan",
                "M yuan/yr",
                "compensation received by county and village collective funds",
                None,
            ),
            (
                "eco_comp_paid_by_counties_Myuan",
                "M yuan/yr",
                "horizontal compensation and penalties paid by county funds (by region: what its "
                "units paid)",
                None,
            ),
            (
                "eco_comp_upstream_met_pct",
                "%",
                "upstream units (counties on a real map) that met the conditions on sediment and "
                "forest this year",
                "higher",
            ),
        )
    ),
    # --- issue 13 (f), item 10: carbon beyond the trees; traded forest carbon ---------------
    Output(
        "soil_carbon_MtC",
        "MtC",
        "soil organic carbon, 0–30 cm, wetland sediment included (IPCC stock-change rule)",
        "carbon",
        "higher",
        _carbon("soil_carbon_MtC"),
        label="Soil organic carbon",
    ),
    Output(
        "wetland_carbon_MtC",
        "MtC",
        "soil and sediment carbon of the wetland sites (part of soil_carbon_MtC)",
        "carbon",
        "higher",
        _carbon("wetland_carbon_MtC"),
    ),
    Output(
        "grassland_biomass_MtC",
        "MtC",
        "live biomass carbon of grassland at its vegetation cover",
        "carbon",
        "higher",
        _carbon("grassland_biomass_MtC"),
    ),
    Output(
        "ecosystem_carbon_MtC",
        "MtC",
        "ecosystem carbon: the biomass pools of carbon_stock_MtC, with grass at its cover, "
        "plus soil organic carbon",
        "carbon",
        "higher",
        _carbon("ecosystem_carbon_MtC"),
    ),
    Output(
        "soil_carbon_sink_MtCO2",
        "MtCO₂/yr",
        "net CO₂ taken up by soil organic carbon off the wetland sites this year (negative: "
        "a source, e.g. eroded or cropped soil)",
        "carbon",
        "higher",
        _carbon("soil_carbon_sink_MtCO2"),
    ),
    Output(
        "grassland_carbon_sink_MtCO2",
        "MtCO₂/yr",
        "net CO₂ taken up by grassland remaining grassland this year, biomass and soil (its "
        "soil part is also in soil_carbon_sink_MtCO2)",
        "carbon",
        "higher",
        _carbon("grassland_carbon_sink_MtCO2"),
    ),
    Output(
        "wetland_carbon_sink_MtCO2",
        "MtCO₂/yr",
        "net CO₂ buried by the wetland sites this year (negative: reclaimed wetland losing carbon)",
        "carbon",
        "higher",
        _carbon("wetland_carbon_sink_MtCO2"),
    ),
    Output(
        "ecosystem_sink_MtCO2",
        "MtCO₂/yr",
        "net CO₂ taken up by the ecosystem this year: the change of ecosystem_carbon_MtC "
        "(forest and other biomass, grassland, soil and wetland, each tonne once)",
        "carbon",
        "higher",
        _carbon("ecosystem_sink_MtCO2"),
        label="Ecosystem CO₂ uptake",
    ),
    Output(
        "carbon_credits_MtCO2",
        "MtCO₂/yr",
        "forest carbon sold this year: households' own projects and the programme's credits "
        "on the plan's plantings",
        "carbon",
        "higher",
        _carbon("carbon_credits_MtCO2"),
    ),
    Output(
        "carbon_credit_revenue_Myuan",
        "M yuan/yr",
        "gross revenue of the forest carbon sold this year (volume × price)",
        "carbon",
        "higher",
        _carbon("carbon_credit_revenue_Myuan"),
    ),
    Output(
        "carbon_credit_households_Myuan",
        "M yuan/yr",
        "forest carbon money reaching households: their own projects and the programme's payments",
        "carbon",
        "higher",
        _carbon("carbon_credit_households_Myuan"),
    ),
    Output(
        "carbon_credit_collective_Myuan",
        "M yuan/yr",
        "programme credit money reaching village collectives (collective and state forest)",
        "carbon",
        "higher",
        _carbon("carbon_credit_collective_Myuan"),
    ),
    # --- issue 13 (f), item 6: forest economy -----------------------------------------------
    Output(
        "reserve_forest_ha",
        "ha",
        "national reserve forest (国家储备林): planted forest managed for timber, kept tended",
        "forest_economy",
        "higher",
        _land("reserve_forest_ha"),
        per_region=True,
    ),
    Output(
        "reserve_timber_harvest_Mm3",
        "Mm³/yr",
        "growing stock cut this year in the national reserve forest (part of the harvest)",
        "forest_economy",
        None,
        _flow("reserve_timber_harvest_Mm3"),
    ),
    Output(
        "spend_reserve_forest_Myuan",
        "M yuan/yr",
        "bringing forest into the national reserve forest (policy-bank loans and central funds, "
        "outside the provincial budget)",
        "spending",
        "lower",
        _flow("spend_reserve_forest_Myuan"),
    ),
    Output(
        "forest_bought_back_ha_cum",
        "ha",
        "commercial forest in the red line bought back since the start (商品林赎买), now state "
        "public-welfare forest",
        "forest_economy",
        "higher",
        _land("forest_bought_back_ha_cum"),
        per_region=True,
    ),
    Output(
        "spend_forest_buyback_Myuan",
        "M yuan/yr",
        "buy-back of commercial forest (one-off price; outside the provincial budget)",
        "spending",
        "lower",
        _flow("spend_forest_buyback_Myuan"),
    ),
    Output(
        "public_welfare_forest_km2",
        "km²",
        "wooded public-welfare forest (公益林): not cut, compensated",
        "forest_economy",
        None,
        _land("public_welfare_forest_km2"),
        per_region=True,
    ),
    Output(
        "public_welfare_income_Myuan",
        "M yuan/yr",
        "public-welfare forest compensation paid to households (森林生态效益补偿)",
        "households",
        "higher",
        _households("public_welfare_income_Myuan"),
    ),
    Output(
        "spend_public_welfare_Myuan",
        "M yuan/yr",
        "public-welfare forest compensation, to households, collectives and the state (central "
        "and provincial ecological-compensation funds, outside the provincial budget)",
        "spending",
        "lower",
        _flow("spend_public_welfare_Myuan"),
    ),
    Output(
        "understory_area_ha",
        "ha",
        "forest used by the understory economy (林下经济利用面积)",
        "forest_economy",
        "higher",
        _households("understory_area_ha"),
    ),
    Output(
        "understory_output_value_Myuan",
        "M yuan/yr",
        "gross output value of the understory economy (林下经济产值; the plan: over 32 000 in 2020)",
        "forest_economy",
        "higher",
        _households("understory_output_value_Myuan"),
    ),
    Output(
        "spend_understory_Myuan",
        "M yuan/yr",
        "the understory programme's support for new understory land (outside the provincial "
        "budget)",
        "spending",
        "lower",
        _flow("spend_understory_Myuan"),
    ),
    Output(
        "oil_tea_ha",
        "ha",
        "oil-tea (油茶) planted since the start, establishing or bearing",
        "forest_economy",
        "higher",
        _land("oil_tea_ha"),
        per_region=True,
    ),
    Output(
        "walnut_improved_ha",
        "ha",
        "low-yield walnut groves improved since the start (核桃低产林改造)",
        "forest_economy",
        "higher",
        _land("walnut_improved_ha"),
        per_region=True,
    ),
    Output(
        "rosa_ha",
        "ha",
        "rosa roxburghii (刺梨) planted since the start, establishing or bearing",
        "forest_economy",
        "higher",
        _land("rosa_ha"),
        per_region=True,
    ),
    Output(
        "oil_tea_income_Myuan",
        "M yuan/yr",
        "households' net income from oil-tea",
        "households",
        "higher",
        _households("oil_tea_income_Myuan"),
    ),
    Output(
        "walnut_income_Myuan",
        "M yuan/yr",
        "households' extra net income from improved walnut groves",
        "households",
        "higher",
        _households("walnut_income_Myuan"),
    ),
    Output(
        "rosa_income_Myuan",
        "M yuan/yr",
        "households' net income from rosa roxburghii",
        "households",
        "higher",
        _households("rosa_income_Myuan"),
    ),
    Output(
        "spend_featured_crops_Myuan",
        "M yuan/yr",
        "establishing oil-tea and rosa roxburghii and improving walnut groves (outside the "
        "provincial budget)",
        "spending",
        "lower",
        _flow("spend_featured_crops_Myuan"),
    ),
    # --- GEP accounts (issue 28; karstsim/model/gep.py) ---------------------------------------
    Output(
        "gep_Myuan",
        "M yuan/yr",
        "gross ecosystem product (生态产品总值): material products, regulating and cultural "
        "services at constant prices (the national specification of 2022; gep.csv by county)",
        "gep",
        "higher",
        _gep("gep_Myuan"),
        key=True,
        label="GEP",
    ),
    Output(
        "gep_material_Myuan",
        "M yuan/yr",
        "GEP's material products: crops, timber, understory, livestock and featured crops",
        "gep",
        "higher",
        _gep("gep_material_Myuan"),
    ),
    Output(
        "gep_regulating_Myuan",
        "M yuan/yr",
        "GEP's regulating services: soil retention, water conservation, carbon sequestration",
        "gep",
        "higher",
        _gep("gep_regulating_Myuan"),
        key=True,
        label="GEP regulating services",
    ),
    Output(
        "gep_cultural_Myuan",
        "M yuan/yr",
        "GEP's cultural services: nature recreation",
        "gep",
        "higher",
        _gep("gep_cultural_Myuan"),
    ),
    Output(
        "soil_retained_Mt",
        "Mt/yr",
        "soil retained: potential minus actual soil loss (GEP soil retention's quantity)",
        "gep",
        "higher",
        _gep("soil_retained_Mt"),
    ),
    Output(
        "water_conservation_km3",
        "km³/yr",
        "water conservation: precipitation minus surface runoff minus evapotranspiration on "
        "forest, shrub, grass, wetland and water (GEP's quantity)",
        "gep",
        "higher",
        _gep("water_conservation_km3"),
    ),
    Output(
        "water_yield_km3",
        "km³/yr",
        "water yield of the whole map: precipitation minus actual evapotranspiration "
        "(Fu–Budyko by land class; reported, not valued)",
        "gep",
        None,
        _gep("water_yield_km3"),
    ),
    Output(
        "gep_carbon_MtCO2",
        "MtCO₂/yr",
        "carbon sequestered in GEP: the year's change of biomass (all pools) and soil carbon, "
        "cell by cell",
        "gep",
        "higher",
        _gep("gep_carbon_MtCO2"),
    ),
)
"""Every column of the yearly results, in the table's order."""

OUTPUT_BY_NAME: Mapping[str, Output] = {o.name: o for o in OUTPUTS}
NAMES: tuple[str, ...] = tuple(OUTPUT_BY_NAME)
KEY_OUTPUTS: tuple[Output, ...] = tuple(o for o in OUTPUTS if o.key)


def model_reporters() -> dict[str, Reporter]:
    """The declaration as Mesa ``DataCollector(model_reporters=...)`` takes it."""
    return {o.name: o.reporter for o in OUTPUTS}


PLAN_TARGETS: tuple[Target, ...] = (
    Target(
        "forest_cover_64",
        "forest_cover_pct",
        64.0,
        2025,
        False,
        "forest cover ≥ 64 % by 2025 (binding)",
    ),
    Target(
        "growing_stock_700",
        "growing_stock_Mm3",
        700.0,
        2025,
        True,
        "forest growing stock ≥ 7.0×10⁸ m³ by 2025",
    ),
    Target(
        "soil_conservation_75",
        "soil_conservation_pct",
        75.05,
        2025,
        False,
        "soil and water conservation rate ≥ 75.05 % by 2025",
    ),
    Target(
        "soil_conservation_78",
        "soil_conservation_pct",
        78.4,
        2035,
        False,
        "soil and water conservation rate ≥ 78.4 % by 2035 (the province's implementation "
        "opinions on soil and water conservation)",
    ),
    Target(
        "desert_treatment_3550",
        "treated_km2_cum",
        3550.0,
        2025,
        True,
        "35.5×10⁴ ha of rocky desertification treated in 2021–25",
        cumulative_from=2020,
    ),
    *(
        Target(
            f"desert_treatment_{kind}_{km2:g}",
            f"treated_{kind}_km2_cum",
            km2,
            2025,
            True,
            f"{km2 / 100:g}×10⁴ ha of the 2021–25 desertification treatment on {label} (plan, "
            "石漠化综合治理工程)",
            cumulative_from=2020,
        )
        for kind, km2, label in (
            ("forest_land", 1680.0, "forest land"),
            ("cropland", 1330.0, "cropland"),
            ("grassland", 90.0, "grassland"),
            ("severe", 450.0, "severe desertification"),
        )
    ),
    Target(
        "soil_erosion_control_14900",
        "erosion_controlled_km2_cum",
        14_900.0,
        2025,
        True,
        "14 900 km² of new soil-erosion control in 2021–25 (binding)",
        cumulative_from=2020,
    ),
    # --- issue 13 (a), item 9 ---------------------------------------------------------------
    Target(
        "legacy_mines_1000",
        "legacy_mine_restored_ha_cum",
        1000.0,
        2025,
        True,
        "1 000 ha of historical legacy mines restored by 2025 (到 2025 年，历史遗留矿山恢复治理 "
        "1000 公顷)",
        cumulative_from=2020,
    ),
    Target(
        "green_mines_28",
        "green_mine_share",
        0.28,
        2025,
        False,
        "green mines ≥ 28 % of mines by 2025 (到 2025 年全省绿色矿山比例力争达到 28%)",
    ),
    # --- issue 13 (b), item 3 ---------------------------------------------------------------
    Target(
        "red_line_2606",
        "red_line_pct",
        26.06,
        2025,
        False,
        "ecological red line ≥ 26.06 % of the province (Table 1, 生态保护红线比例 26.06)",
    ),
    Target(
        "protected_areas_684",
        "protected_area_pct",
        6.84,
        2025,
        False,
        "protected areas ≥ 6.84 % of the province by 2025 (到2025年，自然保护地面积占全省国土面积"
        "达到6.84%以上)",
    ),
    # --- issue 13 (c), item 4 ---------------------------------------------------------------
    Target(
        "grass_livestock_balance_70",
        "grass_livestock_balance_pct",
        70.0,
        2025,
        False,
        "grass–livestock balance rate ≥ 70 % by 2025 (到 2025 年 … 草畜平衡率 70%)",
    ),
    Target(
        "degraded_grassland_1m_mu",
        "degraded_grassland_restored_ha_cum",
        66_667.0,
        2025,
        True,
        "1 M mu (66 667 ha) of degraded grassland restored in 2021–25 (治理退化草原 100 万亩)",
        cumulative_from=2020,
    ),
    Target(
        "cattle_offtake_230",
        "cattle_offtake_head",
        2_300_000.0,
        2025,
        True,
        "2.3 M beef cattle sold in 2025 (出栏肉牛达230万头)",
    ),
    Target(
        "sheep_offtake_350",
        "sheep_offtake_head",
        3_500_000.0,
        2025,
        True,
        "3.5 M sheep and goats sold in 2025 (肉羊达350万只)",
    ),
    # --- issue 13 (d), item 5 ---------------------------------------------------------------
    Target(
        "wetland_protection_55",
        "wetland_protection_pct",
        55.0,
        2025,
        False,
        "wetland protection rate ≥ 55 % by 2025 (到 2025 年，湿地保护率达到 55%以上; binding)",
    ),
    # --- issue 13 (f), item 10 --------------------------------------------------------------
    Target(
        "single_tree_income_1000",
        "single_tree_income_per_household_yuan",
        1000.0,
        2025,
        False,
        "single-tree carbon income over 1 000 yuan per participating household (单株碳汇 … "
        "贫困户户均增收千余元; the 13th plan's result, which the 14th extends; held: the "
        "2025 value counts)",
        held=True,
    ),
    # --- issue 13 (f), item 6 ---------------------------------------------------------------
    Target(
        "reserve_forest_1098",
        "reserve_forest_ha",
        732_000.0,
        2025,
        True,
        "national reserve forest 1 098 万亩 (732 000 ha) by 2025 (到2025年，国家储备林建设面积达到"
        "1098万亩)",
    ),
    Target(
        "forest_buyback_82",
        "forest_bought_back_ha_cum",
        5467.0,
        2025,
        True,
        "8.2 万亩 (5 467 ha) of commercial forest in key ecological sites bought back by 2025 "
        "(到2025年，完成赎买改革试点任务8.2万亩)",
        cumulative_from=2020,
    ),
    Target(
        "understory_plus_1000",
        "understory_area_ha",
        666_667.0,
        2025,
        True,
        "+1 000 万亩 (666 667 ha) of understory economy in 2021–25 (到2025年，新增林下经济利用面积"
        "1000万亩)",
        cumulative_from=2020,
    ),
    Target(
        "oil_tea_330",
        "oil_tea_ha",
        76_667.0,
        2025,
        True,
        "oil-tea 330 万亩 by 2025 (油茶种植面积达到330万亩): 115 万亩 (76 667 ha) planted in "
        "2021–25 over an estimated 215 万亩 of 2020 [E]",
        cumulative_from=2020,
    ),
    Target(
        "walnut_200",
        "walnut_improved_ha",
        133_333.0,
        2025,
        True,
        "200 万亩 (133 333 ha) of low-yield walnut improved in 2021–25 (完成核桃低产林改造200万亩)",
        cumulative_from=2020,
    ),
    Target(
        "rosa_230",
        "rosa_ha",
        20_000.0,
        2025,
        True,
        "rosa roxburghii 230 万亩 by 2025 (刺梨种植面积达到230万亩): 30 万亩 (20 000 ha) planted "
        "in 2021–25 over about 200 万亩 of 2020 [M]",
        cumulative_from=2020,
    ),
)
TARGET_BY_KEY: Mapping[str, Target] = {t.key: t for t in PLAN_TARGETS}
FOREST_COVER_TARGET = TARGET_BY_KEY["forest_cover_64"]
"""The plan's binding goal: forest cover ≥ 64 % by 2025."""


def markdown_table() -> str:
    """The outputs as Markdown tables, one per group (the README's and ODD's tables)."""
    lines = [
        "| output | unit | better | per region | description |",
        "|---|---|---|---|---|",
    ]
    for o in OUTPUTS:
        better = o.better or "–"
        region = "yes" if o.per_region else "no"
        lines.append(f"| `{o.name}` | {o.unit} | {better} | {region} | {o.description} |")
    lines += ["", "Plan targets (first year met is in `summary.json`):", ""]
    lines += ["| target | output | threshold | by | scaled by area |", "|---|---|---|---|---|"]
    for t in PLAN_TARGETS:
        scaled = "yes" if t.scaled else "no"
        lines.append(
            f"| {t.description} | `{t.column}` | {t.threshold:g} | {t.deadline} | {scaled} |"
        )
    return "\n".join(lines) + "\n"


def check_row(row: Mapping[str, Any]) -> None:
    """Raise ``KeyError`` unless ``row`` has exactly the declared outputs."""
    if tuple(row) != NAMES:
        missing = [n for n in NAMES if n not in row]
        extra = [n for n in row if n not in OUTPUT_BY_NAME]
        raise KeyError(
            f"results row differs from the declaration: missing {missing}, extra {extra}"
        )
