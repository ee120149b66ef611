"""The one declaration of every model parameter.

Each :class:`Parameter` carries its default, unit, valid range, description and source.
The command line (``--set``), ``karstsim params``, scenario files, sweep designs and the
web app's sliders are all generated from :data:`PARAMETERS`; nothing else declares one.

Source tags follow ``shared/PARAMETERS.md``: **[F]** found in the named source, **[D]**
derived from [F] figures, **[M]** commonly cited but not verified, **[E]** an estimate.

Policy amounts (hectares per year, number of rangers, budgets) are *province-equivalent*:
the model scales them to the simulated grid by its land area over Guizhou's 176 167 km²,
so a scenario means the same thing on the classroom map as on the province.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

PROVINCE_LAND_KM2 = 176_167.0
"""Guizhou's land area, km² [F] provincial statistics."""

BUDGET_USES = ("treatment", "afforestation", "gfg", "rangers", "mines", "carbon")
"""The programmes a total budget is shared between (parameters ``share_<use>``)."""

GROUPS = {
    "landscape": "Landscape and initial state",
    "vegetation": "Vegetation succession and carbon",
    "soil": "Soil erosion and rocky desertification",
    "restoration": "Rocky-desertification treatment",
    "forestry": "Forestry and carbon",
    "forest_economy": "Forest economy",
    "people": "Households and livelihoods",
    "rangers": "Forest rangers",
    "mines": "Mines",
    "corridors": "Ecological corridors",
    "zoning": "Ecological red line and protected areas",
    "grassland": "Grassland and livestock",
    "wetland": "Wetlands",
    "compensation": "Ecological compensation",
    "carbon": "Soil, grassland and wetland carbon; carbon trading",
    "budget": "Government budget",
}
"""Parameter groups, in the order the app and the tables show them."""


class InputError(ValueError):
    """Bad input from a user: the message names what is wrong and what is allowed.

    The message is in English (``str(error)``, what the command line prints); ``zh`` is the
    same message in Chinese, shown by the web app's Chinese page (:meth:`text`).
    """

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"zh"``; English if no Chinese text)."""
        return self.zh if lang == "zh" and self.zh else str(self)


class ParameterError(InputError):
    """A parameter name or value that the declaration does not allow."""


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    ``kind`` is ``"float"``, ``"int"`` or ``"bool"``. ``role`` separates *levers*
    (what a policymaker sets) from *uncertainties* (what nature or behaviour sets and a
    researcher varies in a sensitivity analysis), as in EMA Workbench.
    """

    name: str
    default: float | int | bool
    unit: str
    low: float
    high: float
    description: str
    source: str
    group: str
    role: str = "uncertainty"
    kind: str = "float"

    def coerce(self, value: Any) -> float | int | bool:
        """Convert ``value`` (a number or a string from the command line) and check its range."""
        try:
            converted = _convert(self.kind, value)
        except (TypeError, ValueError):
            raise ParameterError(
                f"parameter {self.name}: {value!r} is not a valid {self.kind}; "
                f"allowed: {self.allowed()}",
                zh=f"参数 {self.name}：{value!r} 不是有效的{_KIND_ZH[self.kind]}；"
                f"允许：{self.allowed('zh')}",
            ) from None
        if self.kind != "bool" and not (self.low <= converted <= self.high):
            raise ParameterError(
                f"parameter {self.name}: {value!r} is out of range; allowed: {self.allowed()}",
                zh=f"参数 {self.name}：{value!r} 超出范围；允许：{self.allowed('zh')}",
            )
        return converted

    def allowed(self, lang: str = "en") -> str:
        """Human-readable description of the allowed values, in ``lang`` (en or zh)."""
        if self.kind == "bool":
            return "true 或 false" if lang == "zh" else "true or false"
        unit = f" {self.unit}" if self.unit not in ("", "-") else ""
        if lang == "zh":
            return f"{_fmt(self.low)} 至 {_fmt(self.high)}{unit}（{_KIND_ZH[self.kind]}）"
        return f"{_fmt(self.low)} to {_fmt(self.high)}{unit} ({self.kind})"


_KIND_ZH = {"float": "数值", "int": "整数", "bool": "布尔值"}


def _convert(kind: str, value: Any) -> float | int | bool:
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        raise ValueError(value)
    if isinstance(value, bool):
        raise ValueError(value)
    if kind == "int":
        number = float(value)
        if not number.is_integer():
            raise ValueError(value)
        return int(number)
    number = float(value)
    if number != number:  # NaN
        raise ValueError(value)
    return number


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


_P = Parameter
# fmt: off
_DECLARATIONS: tuple[Parameter, ...] = (
    # --- landscape and initial state -------------------------------------------------
    _P("cell_size_km", 1.0, "km", 0.1, 5.0,
       "Side length of one square grid cell.",
       "[E] design choice; 1 km matches the province's ~176 000 cells of 1 km²", "landscape",
       kind="float"),
    _P("carbonate_share", 0.6192, "fraction of land", 0.0, 1.0,
       "Share of land underlain by carbonate (karst) rock.",
       "[F] 109 084 km² = 61.92 % (State Forestry and Grassland Administration)", "landscape"),
    _P("villages_per_100km2", 8.0, "villages / 100 km²", 0.5, 30.0,
       "Density of villages placed on the generated map.",
       "[M] ~14 000 administrative villages over 176 167 km² ≈ 8 per 100 km²", "landscape"),
    _P("built_expansion_ha_per_year", 11_000.0, "ha/yr", 0.0, 50_000.0,
       "Land taken a year by towns, villages, industry and roads (建设占用), nearest the "
        "villages first, province-equivalent; the cropland it takes is replaced from unused "
        "land and grassland (占补平衡).",
       "[D] China's construction-land supply averaged 59 万 ha a year in the 13th plan "
        "(Ministry of Natural Resources information centre, 2019) × Guizhou's 1.8 % of "
        "China's land", "landscape"),
    _P("young_plantation_share", 0.8, "fraction", 0.0, 1.0,
       "Share of the start's other forest land (其他林地) that is young planting not yet "
        "closed (未成林造林地), planted in the years just before the start in equal cohorts; "
        "the rest is cut-over, burned or nursery land free to be planted.",
       "[E] other forest land is mostly unclosed plantations, cut-over and nurseries "
        "(third land survey's definition); 39.43 万 ha at end-2019 [F]", "landscape"),
    _P("young_gfg_ha_per_year", 195_300.0, "ha/yr", 0.0, 600_000.0,
       "Grain-for-Green enrolment in the five years before the start year, whose "
        "instalments are still owed, province-equivalent.",
       "[F] 13th plan: 1 465 万亩 in 2016–20", "landscape"),
    # --- vegetation succession and carbon ----------------------------------------------
    _P("grass_years", 5.0, "yr", 2.0, 15.0,
       "Undisturbed years for bare karst to reach the grass stage.",
       "[F] karst succession under enclosure: grass ~5 yr (fx361 2019)", "vegetation"),
    _P("shrub_years", 15.0, "yr", 6.0, 30.0,
       "Undisturbed years from bare karst to the shrub stage (cumulative).",
       "[F] shrub ~15 yr (fx361 2019)", "vegetation"),
    _P("forest_years", 30.0, "yr", 15.0, 60.0,
       "Undisturbed years from bare karst to the shrub-tree (forest) stage (cumulative).",
       "[F] shrub-tree ~25 yr, sub-climax ~35 yr (fx361 2019)", "vegetation"),
    _P("thin_soil_slowdown", 1.0, "-", 0.0, 3.0,
       "Extra succession time on soil thinner than 30 cm: durations are multiplied by "
        "1 + value × (1 − depth/30 cm).",
       "[E] thin karst soils hold little water and slow regrowth", "vegetation"),
    _P("steep_slope_slowdown", 0.5, "-", 0.0, 2.0,
       "Extra succession time on steep slopes: durations × (1 + value × slope/45°).", "[E]",
       "vegetation"),
    _P("forest_neighbour_speedup", 0.5, "-", 0.0, 3.0,
       "Faster succession next to forest (seed rain): durations ÷ (1 + value × share of "
        "the 8 neighbours that are forest).",
       "[E]", "vegetation"),
    _P("cover_relaxation_rate", 0.3, "1/yr", 0.05, 1.0,
       "Share of the gap between vegetation cover and its land-cover target closed per year.",
       "[E]", "vegetation"),
    _P("rock_cover_penalty", 0.3, "-", 0.0, 1.0,
       "How much exposed bedrock lowers attainable vegetation cover: target × (1 − value × "
        "exposure).",
       "[E] vegetation grows only from fissures on bare rock", "vegetation"),
    _P("stand_volume_max_m3_ha", 180.0, "m³/ha", 120.0, 300.0,
       "Asymptotic growing stock of karst forest on an average site with no bare rock "
        "(Chapman–Richards yield curve in volume, shape 1.5).",
       "[E] a site average below the good-site karst chronosequence (24 / 57 / 121 tC/ha of "
        "biomass at 10 / 25 / 60 yr: an asymptote near 400 m³/ha through the IPCC factors, "
        "above any site average, so the range stops at 300); with stand ages fitted to the "
        "2020 stock (6.09×10⁸ m³) the default gives a mean stand age near 32 yr and a growth close to the plan's expected "
        "6.09 → 7.0×10⁸ m³ (a projection, used as a guide, not an observation); no stock "
        "series before 2020 constrains it, so `forecast` draws it from a triangular prior",
       "vegetation"),
    _P("stand_volume_k_per_yr", 0.028, "1/yr", 0.005, 0.1,
       "Growth-rate constant of the stand yield curve.",
       "[D] fit of the curve's shape to the karst chronosequence 24 / 57 / 121 tC/ha at "
        "10 / 25 / 60 yr", "vegetation"),
    _P("rock_carbon_penalty", 0.5, "-", 0.0, 0.9,
       "Lower carbon ceiling on rocky sites: ceiling × (1 − value × bedrock exposure).",
       "[E] 137 vs 94 tC/ha in protected grove vs bare karst hill (ecosystem totals)", "vegetation"),
    _P("shrub_carbon_tC_ha", 12.0, "tC/ha", 3.0, 30.0,
       "Biomass carbon of karst shrubland.", "[E] karst shrub biomass ~20–30 t/ha", "vegetation"),
    _P("grass_carbon_tC_ha", 3.0, "tC/ha", 0.5, 8.0,
       "Biomass carbon of grass and cropland.", "[E]", "vegetation"),
    _P("wood_density_t_m3", 0.46, "t dry matter/m³", 0.3, 0.65,
       "Basic wood density of the growing stock.",
       "[E] IPCC 2006 V4 Table 4.14 and Chinese species values: Masson pine ≈ 0.38, Chinese "
        "fir ≈ 0.31, cypress and broadleaves 0.45–0.60; Guizhou's mix", "vegetation"),
    _P("biomass_expansion_factor", 1.4, "-", 1.1, 2.0,
       "Above-ground biomass per unit of stem biomass (BEF).",
       "[F] IPCC 2006 V4 Table 4.5, humid subtropical forest; [E] for karst stands",
       "vegetation"),
    _P("root_shoot_ratio", 0.24, "-", 0.15, 0.45,
       "Below-ground over above-ground biomass.",
       "[F] IPCC 2006 V4 Table 4.4, subtropical humid forest (0.20–0.24); karst roots in "
        "fissures may be deeper [E]", "vegetation"),
    _P("carbon_fraction", 0.47, "tC/t dry matter", 0.43, 0.55,
       "Carbon fraction of dry biomass.", "[F] IPCC 2006 V4 Table 4.3 default", "vegetation"),
    _P("dead_organic_matter_fraction", 0.12, "-", 0.0, 0.4,
       "Dead wood and litter carbon per unit of live above-ground carbon (InVEST's "
        "'dead' pool).",
       "[E] litter and dead wood of subtropical secondary forest ~5–20 % of live carbon",
       "vegetation"),
    # --- soil erosion and desertification ----------------------------------------------
    _P("erosion_base_t_km2_yr", 2300.0, "t/km²/yr", 300.0, 7000.0,
       "Soil loss from bare, cultivated karst at 25° slope.",
       "[F] ~2 300 t/km²/yr after deforestation at Puding (up to ~7 000)", "soil"),
    _P("grazing_erosion_factor", 0.5, "-", 0.0, 1.0,
       "Soil loss on grazed land relative to cultivated land (same cover and slope).", "[E]", "soil"),
    _P("natural_erosion_factor", 0.1, "-", 0.0, 1.0,
       "Soil loss on unused land relative to cultivated land.", "[E]", "soil"),
    _P("soil_loss_tolerance_t_km2_yr", 500.0, "t/km²/yr", 20.0, 1000.0,
       "Tolerable soil loss on non-carbonate soils; land losing more counts as eroding in "
       "the soil-conservation rate.",
       "[M] 500 t/km²/yr for the south-west earth-rock mountains in the national standard "
        "SL 190", "soil"),
    _P("karst_soil_loss_tolerance_t_km2_yr", 87.0, "t/km²/yr", 20.0, 100.0,
       "Tolerable soil loss on the thin soils over carbonate rock (the rate's tolerance "
       "of that soil type).",
       "[F] range 20–100 by lithology (CAS Institute of Subtropical Agriculture); 87 chosen "
       "in it so the 2020 start state gives the plan's 73.32 % (73.29; fitted to 2020: "
        "in-sample)",
       "soil"),
    _P("erosion_control_ha_per_year", 298_000.0, "ha/yr", 0.0, 800_000.0,
       "New soil-erosion control a year (水土流失综合治理: slope-cropland terraces, "
        "small-watershed works, forest and grass on eroding land), on the most eroding land "
        "first, province-equivalent.",
       "[F] plan Table 1: 新增水土流失治理面积 [14 900] km² in 2021–25 (13 361 km² in "
        "2016–20)", "soil", role="lever"),
    _P("erosion_control_effect", 0.5, "fraction", 0.0, 0.9,
       "Share of soil loss that erosion-control works stop on their land (1 − RUSLE's "
        "support-practice factor).",
       "[E] terraces, hedgerows and check dams on slope farmland: P factor ≈ 0.3–0.7",
       "soil"),
    _P("erosion_control_cost_yuan_ha", 4500.0, "yuan/ha", 0.0, 20_000.0,
       "Cost of a hectare of soil-erosion control.",
       "[E] comprehensive small-watershed treatment ≈ 30–60 万 yuan per km²", "soil"),
    _P("soil_bulk_density_t_m3", 1.3, "t/m³", 0.9, 1.7,
       "Bulk density of karst soil, converts soil loss to depth.", "[E]", "soil"),
    _P("exposure_gain_per_cm", 0.03, "1/cm", 0.0, 0.2,
       "Rise in bedrock-exposure fraction per cm of soil lost on carbonate rock.",
       "[E] karst soils are 10–40 cm deep, so each cm lost bares a few % of the rock", "soil"),
    _P("soil_formation_t_km2_yr", 30.0, "t/km²/yr", 5.0, 100.0,
       "Soil formed a year on land that is not sealed (carbonate dissolution residue and "
        "weathering); it is the only way bedrock exposure falls.",
       "[M] soil formation on carbonate rock of the order of 10–100 t/km²/yr, the basis of "
        "the karst soil-loss tolerance of 20–100 (CAS Institute of Subtropical Agriculture)",
       "soil"),
    _P("grazing_distance_km", 3.0, "km", 0.5, 10.0,
       "Distance from a village within which open land (grass, bare rock) is grazed.", "[E]", "soil"),
    _P("grazing_pressure", 0.8, "fraction", 0.0, 1.0,
       "Share of open land within grazing distance grazed in a year.", "[E]", "soil"),
    _P("grazing_cover_loss", 0.2, "fraction", 0.0, 0.5,
       "Vegetation cover removed by grazing (target cover falls by this much).", "[E]", "soil"),
    # --- rocky-desertification treatment -------------------------------------------------
    _P("treatment_ha_per_year", 71_000.0, "ha/yr", 0.0, 500_000.0,
       "Rocky-desertification treatment programme, province-equivalent.",
       "[F] plan: 35.5×10⁴ ha in 2021–25 = 71 000 ha/yr; 13th plan 104 680 ha/yr", "restoration",
       role="lever"),
    _P("treatment_ease_bias", 2.0, "-", 0.0, 8.0,
       "How strongly the programme treats the easiest desertified land first: weight × "
        "exp(−value × difficulty), difficulty 0–1 from slope, rock and thin soil.",
       "[E] the plan: treatment grows harder as it proceeds (治理的难度逐渐加大); access, "
        "soil and slope decide where projects start", "restoration"),
    _P("difficulty_outcome_penalty", 0.5, "-", 0.0, 1.0,
       "How much likelier a planting fails on the hardest land: failure chance × (1 + "
        "value × difficulty), difficulty 0–1 from slope, rock and thin soil.",
       "[E] survival and cover of plantings fall on steep, rocky, thin-soiled sites",
       "restoration"),
    _P("difficulty_cost_gradient", 1.0, "-", 0.0, 3.0,
       "Extra cost per hectare on the hardest land: cost × (1 + value × difficulty).",
       "[E] terracing, soil and water haulage on steep rocky sites; the plan's unit costs "
        "are averages", "restoration"),
    _P("grazing_ban_severe", True, "-", 0, 1,
       "Ban grazing on severely and extremely desertified land (禁牧); banned land stays "
        "closed until it has recovered below the light class.",
       "[F] plan: strictly ban or rest grazing on severely degraded and desertified grassland",
       "restoration", role="lever", kind="bool"),
    _P("grazing_ban_fragile_grassland", True, "-", 0, 1,
       "Extend the grazing ban to rocky-desertified grassland (grass and bare rock of any "
        "desertified class) and to the fragile grassland of steep slopes "
        "(≥ fragile_grassland_slope_deg), as the 14th plan writes it.",
       "[F] plan: 对严重退化、石漠化和生态脆弱区的草地，严格实行禁牧休牧; off in the 13th "
        "plan's hindcast and no_new_policy (the ban was then on severe land)",
       "restoration", role="lever", kind="bool"),
    _P("fragile_grassland_slope_deg", 25.0, "°", 15.0, 45.0,
       "Slope from which grassland counts as ecologically fragile for the grazing ban.",
       "[E] 25° is the national limit for cultivating slopes (水土保持法) and of "
        "Grain-for-Green's steep cropland", "restoration"),
    _P("light_forage_share", 0.3, "fraction", 0.0, 1.0,
       "Share of light-desertified open land (grass, bare rock) the programme sows to forage "
        "grass for herbivores instead of eco-economic stands.",
       "[E] plan: 轻度石漠化区域…发展林业经济和草食畜牧业 (no split given)", "restoration",
       role="lever"),
    _P("moderate_afforestation_share", 0.7, "fraction", 0.0, 1.0,
       "Share of moderate desertification treated by afforestation (the rest: grass planting).",
       "[E] plan programme: 16.8 forest land vs 0.9×10⁴ ha grassland", "restoration", role="lever"),
    _P("enclosure_cost_yuan_ha", 1500.0, "yuan/ha", 300.0, 10_000.0,
       "Cost of enclosure for natural regrowth (fencing, signs, guarding).",
       "[E] 封山育林 subsidies ~70–100 yuan/mu plus local funds", "restoration", role="lever"),
    _P("afforestation_cost_yuan_ha", 12_000.0, "yuan/ha", 3000.0, 40_000.0,
       "Cost of afforestation on desertified land.",
       "[D] 4 760 yuan/ha central funds only; 7 500–15 000 all-in [E]", "restoration", role="lever"),
    _P("grass_planting_cost_yuan_ha", 4500.0, "yuan/ha", 1000.0, 20_000.0,
       "Cost of artificial grass and grassland improvement.", "[E]", "restoration", role="lever"),
    _P("eco_economic_cost_yuan_ha", 15_000.0, "yuan/ha", 3000.0, 50_000.0,
       "Cost of eco-economic treatment (fruit, tea, walnut, prickly-pear stands).", "[E]",
       "restoration", role="lever"),
    _P("enclosure_years", 5, "yr", 1, 30,
       "Years an enclosed cell stays closed to grazing and cutting.",
       "[E] enclosure periods of 3–5 years are usual", "restoration", role="lever", kind="int"),
    _P("afforestation_establish_years", 4, "yr", 3, 8,
       "Years a planting stays other forest land (未成林造林地) before it closes and counts "
        "as forest.",
       "[M] national forest inventory rules: an unclosed plantation is one planted less than "
        "3–5 years ago (5–7 for aerial seeding); 4, the middle, taken (karst sites may be "
        "slower: 5 lowers forest cover 2024 by about 0.4 points)", "restoration", kind="int"),
    _P("grass_establish_years", 1, "yr", 1, 5,
       "Years before sown grass reaches its cover.", "[E]", "restoration", kind="int"),
    _P("eco_economic_establish_years", 3, "yr", 1, 10,
       "Years before an eco-economic stand counts as forest.", "[E]", "restoration", kind="int"),
    _P("afforestation_failure_prob", 0.2, "probability", 0.0, 1.0,
       "Chance that a planting on desertified karst fails and must be redone.",
       "[E] survival on karst sites 70–85 %", "restoration"),
    _P("grass_failure_prob", 0.15, "probability", 0.0, 1.0,
       "Chance that sown grass fails.", "[E]", "restoration"),
    _P("eco_economic_failure_prob", 0.15, "probability", 0.0, 1.0,
       "Chance that an eco-economic stand fails.", "[E]", "restoration"),
    _P("sown_grass_cover_bonus", 0.15, "fraction", 0.0, 0.4,
       "Extra vegetation cover of sown or improved grassland over natural grass.", "[E]",
       "restoration"),
    _P("eco_economic_net_yuan_ha", 4500.0, "yuan/ha/yr", 0.0, 30_000.0,
       "Net income a household earns from a hectare of established eco-economic stand "
        "(rosa roxburghii, tea, walnut, oil-tea), 2020 yuan.",
       "[E] about 300 yuan/mu net of labour and inputs for young karst orchards; mature "
        "stands earn more", "restoration"),
    _P("eco_economic_carbon_factor", 0.5, "-", 0.1, 1.0,
       "Carbon ceiling of eco-economic stands relative to natural forest.", "[E]", "restoration"),
    # --- forestry --------------------------------------------------------------------------
    _P("desert_planting_priority", 28.2, "-", 1.0, 50.0,
       "How much likelier desertified open land is to be chosen for afforestation than "
       "other open land.",
       "[D] karstsim calibrate: posterior median; weakly constrained (90 % 4.5–45.3)",
       "forestry"),
    _P("forest_tending_ha_per_year", 240_000.0, "ha/yr", 0.0, 600_000.0,
       "Young and middle-aged stands tended a year (中幼林抚育, 森林质量精准提升), "
        "province-equivalent.",
       "[F] 2024 forestry yearbook: quality improvement of 24万 ha in 2024; the 13th plan "
        "tended 3 000万亩 of young and middle-aged forest in five years (≈ 400 000 ha/yr, "
        "People's Daily Guizhou, 2021-03-04)", "forestry", role="lever"),
    _P("tending_growth_gain", 0.2, "-", 0.0, 0.5,
       "Extra growth of a tended stand while the tending lasts: it ages 1 + value growth "
        "years a year.",
       "[E] thinning and release raise the volume increment of young Chinese fir and Masson "
        "pine stands by roughly 10–30 %", "forestry"),
    _P("tending_effect_years", 5, "yr", 1, 15,
       "Years a tending keeps raising growth; a stand is tended again only after them.",
       "[E]", "forestry", kind="int"),
    _P("tending_max_age_yr", 30.0, "yr", 10.0, 60.0,
       "Oldest stand the tending programme treats (young and middle-aged forest).",
       "[E] age classes of the national inventory for Guizhou's main species", "forestry"),
    _P("tending_cost_yuan_ha", 1500.0, "yuan/ha", 0.0, 6000.0,
       "Cost of tending a hectare, paid by the central forest-tending subsidy (outside the "
        "provincial budget).",
       "[M] central subsidy for forest tending about 100 yuan/mu", "forestry"),
    _P("timber_harvest_m3_ha_yr", 0.5, "m³/ha of forest/yr", 0.0, 1.5,
       "Timber harvested a year per hectare of forest, from planted stands past rotation "
        "age (natural forest is protected).",
       "[E] Guizhou's commercial timber output of the order of 4–5 M m³ a year over about "
        "8 M ha of forest land, well below the harvest quota; the range's top (≈ 12 M m³ a "
        "year) is of the quota's order", "forestry"),
    _P("harvest_rotation_yr", 26.0, "yr", 15.0, 60.0,
       "Youngest planted stand that may be clear-cut.",
       "[E] rotation of Chinese fir and Masson pine timber stands in south China 20–30 yr",
       "forestry"),
    _P("afforestation_ha_per_year", 79_000.0, "ha/yr", 0.0, 500_000.0,
       "General afforestation (人工造林, new planting) on plantable land (other forest land, "
        "grassland, unused land with soil) outside the desertification programme and "
        "Grain-for-Green, province-equivalent; when plantable land runs out a year plants less.",
       "[D] the rate the third land survey implies for the years before 2020: "
        "young_plantation_share × other forest land (39.43 万 ha, end-2019) / "
        "afforestation_establish_years = 0.8 × 394 300 / 4 ≈ 79 000 ha/yr (pre-2020 data)",
       "forestry", role="lever"),
    _P("planting_delivery_share", 1.0, "fraction of the lever", 0.3, 1.2,
       "Share of the afforestation lever's yearly new planting that is delivered (planted "
        "and reported): 1 carries out the lever as set. A forecast uncertainty: the "
        "programmes are not always delivered as planned.",
       "[D] the record's new planting over plan14's 79 000 ha a year: 0.60 in 2021–23 and "
        "0.48 in 2024 (scenario record: the reported 营造林 × the 2016–20 new-planting "
        "share); above 1 when a plan is overfulfilled [E]", "forestry"),
    _P("plantable_min_soil_cm", 20.0, "cm", 0.0, 60.0,
       "Soil depth unused land (bare rock and soil) needs to be planted with trees.",
       "[E] trees on karst are planted in soil pockets; land with a thinner soil layer is "
        "left to enclosure and grass", "forestry"),
)

_AGENT_DECLARATIONS: tuple[Parameter, ...] = (
    # --- households ------------------------------------------------------------------------
    _P("rural_households", 6_000_000, "households", 100_000, 20_000_000,
       "Rural households in the province.",
       "[D] 2020 census: 38.56 M people, 53.15 % urban → 18.1 M rural ÷ 3 per household", "people",
       kind="int"),
    _P("households_per_agent", 250, "households / agent", 1, 5000,
       "Real households one household agent stands for.",
       "[E] design: tens of thousands of agents at province scale", "people", kind="int"),
    _P("household_size", 3.0, "persons", 1.5, 6.0,
       "Mean persons per rural household.", "[M] 2020 census, Guizhou", "people"),
    _P("labour_share", 0.6, "workers / person", 0.2, 0.9,
       "Working-age share of household members.", "[E]", "people"),
    _P("crop_net_income_yuan_ha", 7500.0, "yuan/ha/yr", 1000.0, 30_000.0,
       "Net income of cropland on a flat deep-soiled cell (maize, rice, rapeseed); steep and "
        "thin-soiled cells yield less.",
       "[E] gross ~15 000 yuan/ha less inputs", "people"),
    _P("crop_labour_ha_per_worker", 1.5, "ha / worker", 0.2, 5.0,
       "Cropland one worker at home can farm.", "[E] ~100–150 workdays/ha on karst slopes", "people"),
    _P("livestock_income_yuan_ha", 2000.0, "yuan/ha/yr", 0.0, 10_000.0,
       "Net livestock income per hectare of grazed open land.", "[E]", "people"),
    _P("understory_net_yuan_ha", 6000.0, "yuan/ha/yr", 0.0, 30_000.0,
       "Net income of understory economy (mushrooms, herbs, poultry under trees).",
       "[E] province output > 32 bn yuan (plan) on ~1.7 Mha", "people", role="lever"),
    _P("understory_ha_per_household", 0.3, "ha / household", 0.05, 3.0,
       "Forest area one adopting household works in the understory economy.", "[E]", "people"),
    _P("offfarm_remittance_yuan", 18_000.0, "yuan/worker/yr", 5000.0, 60_000.0,
       "What one worker away from the farm adds to household income.",
       "[M] migrant wages ~3 500–4 500 yuan/month less living costs", "people"),
    _P("migration_cost_yuan", 15_000.0, "yuan/worker/yr", 0.0, 40_000.0,
       "Felt cost of working away (separation, care of elders and children, risk), set "
        "against the remittance.",
       "[D] set so the desired off-farm share in 2020 is near the observed ~45 % "
        "(≈ 8 M migrant workers of ≈ 18 M rural workers [M])",
       "people"),
    _P("migration_scale_yuan", 6000.0, "yuan", 500.0, 30_000.0,
       "Spread of the logistic migration choice: a gain of this much moves the odds e-fold.",
       "[E]", "people"),
    _P("migration_adjust_rate", 0.2, "1/yr", 0.0, 1.0,
       "Share of the gap to the desired off-farm share closed per year (inertia).", "[E]", "people"),
    _P("market_income_growth_per_yr", 0.056, "1/yr", 0.0, 0.15,
       "Yearly nominal growth of off-farm wages, crop and livestock prices and other "
       "income; money parameters are in 2020 yuan and are indexed from 2020 with it (the "
       "levers' payments — Grain-for-Green, single-tree price, ranger wage — are not).",
       "[M] NBS migrant-worker monitoring reports: mean monthly income 3 275 yuan (2016) → "
       "4 072 (2020), +5.6 %/yr; Guizhou's rural income per person rose 9.5 %/yr in 2017–20 "
       "[F], partly from structural change", "people"),
    _P("other_income_yuan_pc", 4750.0, "yuan/person/yr", 0.0, 20_000.0,
       "Transfers, pensions and local non-farm business income per person.",
       "[D] set so 2020 income per person is near the observed 11 642 yuan [M] (transfers "
        "≈ 3 000 plus household business)",
       "people"),
    _P("poverty_line_yuan", 4000.0, "yuan/person/yr", 1000.0, 20_000.0,
       "Poverty line on income per person.", "[M] national line 2020", "people"),
    _P("discount_rate", 0.08, "1/yr", 0.0, 0.3,
       "Households' discount rate for future income.", "[E]", "people"),
    _P("payment_risk", 0.1, "probability", 0.0, 0.9,
       "Chance a household expects a promised payment not to arrive.", "[E]", "people"),
    _P("social_weight", 0.5, "-", 0.0, 3.0,
       "Weight of neighbours' adoption in a household's choice (social influence).",
       "[E] Chen et al. 2012/2014: social norms drive Grain-for-Green re-enrolment", "people"),
    _P("income_dispersion", 0.6, "-", 0.0, 1.5,
       "Spread (log-sd) of income per person among the households one agent stands for.",
       "[E] gives a Gini near 0.33, typical of rural Guizhou", "people"),
    _P("status_quo_bias", 2.0, "logit units", 0.0, 6.0,
       "Households' preference for keeping their practice over joining a scheme.", "[E]", "people"),
    _P("scheme_noise_yuan", 1000.0, "yuan/household/yr", 50.0, 20_000.0,
       "Spread of unobserved preferences in joining carbon schemes and the understory "
       "economy (logit scale of a household's yearly margin).", "[E]", "people"),
    _P("decision_noise_yuan", 3000.0, "yuan/ha", 100.0, 30_000.0,
       "Spread of unobserved preferences in land-use choices such as Grain-for-Green (logit "
       "scale of a plot's net value per ha).", "[E]", "people"),
    _P("cropland_protection_year", 2021, "year", 2000, 2100,
       "First year of strict cropland protection: no planting on cropland outside the "
        "approved Grain-for-Green quota, and fallow cropland stays cropland (it is not "
        "left to grass).",
       "[F] 国办发明电〔2020〕24号 (Nov 2020: 严禁违规占用耕地绿化造林), 国办发〔2020〕44号, "
        "自然资发〔2021〕166号", "people", role="lever", kind="int"),
    _P("gfg_quota_ha_per_year", 20_000.0, "ha/yr", 0.0, 500_000.0,
       "New Grain-for-Green enrolment offered per year, province-equivalent.",
       "[E] 14th plan consolidates the programme; 13th plan 1 465 万亩 = 195 300 ha/yr [F]",
       "people", role="lever"),
    _P("gfg_payment_yuan_mu", 1500.0, "yuan/mu", 0.0, 5000.0,
       "Grain-for-Green payment for forest: 80 % cash in years 1 / 3 / 5 (5:3:4), 20 % seedlings.",
       "[F] county notices: 1 500 yuan/mu, 1 200 cash as 500 / 300 / 400", "people", role="lever"),
    _P("gfg_min_slope_deg", 25.0, "degrees", 5.0, 45.0,
       "Cropland at least this steep may enrol in Grain-for-Green.",
       "[F] national rule: ≥ 25° slope cropland", "people", role="lever"),
    _P("single_tree_price_yuan", 3.0, "yuan/tree/yr", 0.0, 30.0,
       "Price paid per enrolled tree in the single-tree carbon-sink scheme.",
       "[F] Guizhou single-tree carbon platform 2018–20", "forestry", role="lever"),
    _P("single_tree_scheme_trees", 4_462_000, "trees", 0, 100_000_000,
       "Size of the single-tree scheme (trees bought), province-equivalent.",
       "[F] plan: 682 villages, 4.462 M trees", "forestry", role="lever", kind="int"),
    _P("single_tree_cap_trees", 450, "trees / household", 50, 5000,
       "Most trees one household may enrol.", "[F] ≤ 2 mu × 225 trees/mu", "forestry",
       role="lever", kind="int"),
    _P("plantation_share", 0.3, "fraction of forest", 0.0, 1.0,
       "Share of 2020 forest that is planted (eligible for carbon schemes).",
       "[M] plantations are about a third of Guizhou's forest", "forestry"),
    _P("trees_per_ha", 1500.0, "trees/ha", 500.0, 5000.0,
       "Planted stems per hectare eligible for the scheme.",
       "[F] 225 trees/mu ≈ 3 375/ha planted; [E] ~1 500 reach 5–8 cm", "forestry"),
    _P("single_tree_join_cost_yuan", 300.0, "yuan/household/yr", 0.0, 3000.0,
       "Felt cost of joining the single-tree scheme (registration, forgone cutting).", "[E]",
       "forestry"),
    _P("forest_carbon_price_yuan_tCO2", 60.0, "yuan/tCO₂", 0.0, 500.0,
       "Price of forest carbon credits (CEA/CCER) for household forest projects.",
       "[F] CCER ≈ 60–80, CEA 54–97 yuan/t in 2021–25; the CCER market reopened on "
       "22 Jan 2024 at about 61 yuan/t (Fudan University's CCER price index, reported by "
       "policycn.com, 'CCER scheme officially restarts')", "forestry", role="lever"),
    _P("carbon_project_household_share", 0.6, "fraction", 0.0, 1.0,
       "Share of credit revenue that reaches the forest's holder: the households, or the "
       "village collective on collective land (rest: developer, verification).",
       "[E]", "forestry"),
    _P("carbon_project_cost_yuan_ha", 150.0, "yuan/ha/yr", 0.0, 2000.0,
       "Households' share of monitoring and transaction costs of a carbon project on planted "
        "forest (CCER afforestation methodology).",
       "[E]", "forestry"),
    # --- rangers ---------------------------------------------------------------------------
    _P("rangers", 182_800, "rangers", 0, 1_000_000,
       "Ecological forest rangers employed, province-equivalent.",
       "[F] plan: 182 800 hired from poor households (13th plan), kept stable", "rangers",
       role="lever", kind="int"),
    _P("rangers_per_agent", 20, "rangers / agent", 1, 1000,
       "Real rangers one ranger agent stands for.", "[E] design", "rangers", kind="int"),
    _P("ranger_wage_yuan", 10_000.0, "yuan/ranger/yr", 0.0, 60_000.0,
       "Ranger wage, paid to the ranger's household.", "[F] provincial news", "rangers",
       role="lever"),
    _P("patrol_effectiveness", 0.7, "km²/ranger", 0.05, 5.0,
       "Detection: probability 1 − exp(−value × rangers per km² of the village's land).", "[E]",
       "rangers"),
    _P("patrol_radius_km", 5.0, "km", 0.5, 30.0,
       "Rangers patrol the square of this half-width around their village.", "[E]", "rangers"),
    _P("fine_yuan_ha", 3000.0, "yuan/ha", 0.0, 50_000.0,
       "Fine and loss for a detected illegal act, per hectare.", "[E]", "rangers", role="lever"),
    _P("illegal_grazing_temptation", 0.3, "probability", 0.0, 1.0,
       "Chance a household grazes closed land it owns when no one is watching.", "[E]", "rangers"),
    _P("clearing_temptation", 0.02, "probability", 0.0, 0.5,
       "Chance per year that a household with spare labour clears a wooded plot for crops "
        "when no one is watching.",
       "[E]", "rangers"),
    _P("fire_ignition_prob", 0.0003, "1/cell/yr", 0.0, 0.01,
       "Yearly chance a wooded cell catches fire; rangers detect and suppress with their "
        "detection probability.",
       "[E]", "rangers"),
    # --- mines -----------------------------------------------------------------------------
    _P("mines", 2475, "mines", 0, 20_000,
       "Open-pit mines in 2020, province-equivalent.",
       "[F] Ministry of Natural Resources: 2 475 open-pit mines (2019–20)", "mines", kind="int"),
    _P("initial_green_share", 0.10, "fraction of active mines", 0.0, 1.0,
       "Green mines among active mines in 2020.", "[E]", "mines"),
    _P("legacy_mine_share", 0.25, "fraction", 0.0, 0.9,
       "Share of 2020 mines that are abandoned legacy mines.", "[E]", "mines"),
    _P("green_mine_share_target", 0.28, "fraction of active mines", 0.0, 1.0,
       "Green-mine share required by 2025 (reached by upgrades, ramped from 2020).",
       "[F] plan: 28 % by 2025", "mines", role="lever"),
    _P("new_mines_green", True, "-", 0, 1,
       "New mines must be green mines.", "[F] plan: new and renewed mines all green", "mines",
       role="lever", kind="bool"),
    _P("new_mines_per_year", 20.0, "mines/yr", 0.0, 500.0,
       "New mines opened per year, province-equivalent.", "[E]", "mines", role="lever"),
    _P("mine_closure_rate", 0.03, "1/yr", 0.0, 0.5,
       "Share of active non-green mines closed each year; their owners restore them.", "[E]",
       "mines", role="lever"),
    _P("legacy_restoration_ha_per_year", 200.0, "ha/yr", 0.0, 20_000.0,
       "Legacy (abandoned) mine land restored by the government, province-equivalent.",
       "[F] plan: 1 000 ha by 2025", "mines", role="lever"),
    _P("mine_restoration_cost_yuan_ha", 203_000.0, "yuan/ha", 20_000.0, 1_000_000.0,
       "Cost of restoring mine land.", "[D] 117.75 M yuan for 581.1 ha (MNR 2020)", "mines",
       role="lever"),
    _P("mine_restoration_years", 2, "yr", 1, 10,
       "Years from the start of restoration until the land is handed back to regrow.", "[E]",
       "mines", kind="int"),
    _P("mine_revenue_Myuan", 30.0, "M yuan/mine/yr", 0.0, 1000.0,
       "Revenue of an active mine.", "[E] 95.6 % of mines are small", "mines"),
    _P("mine_jobs", 40.0, "jobs/mine", 0.0, 2000.0,
       "Jobs at an active mine.", "[E]", "mines"),
    _P("mine_dust_cover_loss", 0.15, "fraction", 0.0, 0.5,
       "Vegetation cover lost next to an active non-green mine (dust, spoil, water).", "[E]",
       "mines"),
    # --- corridors -------------------------------------------------------------------------
    _P("corridor_priority", True, "-", 0, 1,
       "Corridor cells get priority for treatment and planting.",
       "[F] plan: four screens and eight rivers as the ecological framework", "corridors",
       role="lever", kind="bool"),
    _P("corridor_grazing_closure", False, "-", 0, 1,
       "Close every corridor cell to grazing (a choice beyond the plan: the plan closes "
        "grassland by its state, not by corridor).",
       "[E] the plan sets no corridor-wide grazing ban; off in plan14", "corridors",
       role="lever", kind="bool"),
    _P("corridor_priority_weight", 5.0, "-", 1.0, 50.0,
       "How much likelier a corridor cell is to be chosen for treatment or planting.", "[E]",
       "corridors"),
    _P("belt_corridor_width_km", 18.0, "km", 3.0, 90.0,
       "Half-width of a mountain-belt corridor (province-equivalent km on a synthetic map).",
       "[E] the belts are ranges some 30–50 km wide", "corridors"),
    _P("river_corridor_width_km", 6.0, "km", 1.0, 30.0,
       "Half-width of a river corridor (province-equivalent km on a synthetic map).",
       "[E] valley slopes and riparian forest either side of the channel", "corridors"),
    _P("habitat_min_age_yr", 15.0, "yr", 0.0, 60.0,
       "Forest counts as habitat from this stand age on (eco-economic stands never).", "[E]",
       "corridors"),
    _P("dispersal_distance_km", 1.0, "km", 0.5, 20.0,
       "Gap between habitat patches that forest species cross.", "[E]", "corridors"),
    # --- budget ----------------------------------------------------------------------------
    _P("total_budget_mode", False, "-", 0, 1,
       "Spend one total budget by shares instead of the programme levers' amounts.", "[E]",
       "budget", role="lever", kind="bool"),
    _P("total_budget_Myuan", 3500.0, "M yuan/yr", 0.0, 50_000.0,
       "Total yearly budget in total-budget mode, province-equivalent.",
       "[E] about what the plan14 levers cost", "budget", role="lever"),
    _P("share_treatment", 0.11, "share", 0.0, 1.0,
       "Budget share for desertification treatment.", "[E]", "budget", role="lever"),
    _P("share_afforestation", 0.21, "share", 0.0, 1.0,
       "Budget share for afforestation.", "[E]", "budget", role="lever"),
    _P("share_gfg", 0.13, "share", 0.0, 1.0,
       "Budget share for Grain-for-Green payments.", "[E]", "budget", role="lever"),
    _P("share_rangers", 0.52, "share", 0.0, 1.0,
       "Budget share for ranger wages.", "[E]", "budget", role="lever"),
    _P("share_mines", 0.016, "share", 0.0, 1.0,
       "Budget share for legacy-mine restoration.", "[E]", "budget", role="lever"),
    _P("share_carbon", 0.004, "share", 0.0, 1.0,
       "Budget share for buying single-tree carbon sinks.", "[E]", "budget", role="lever"),
)

# --- issue 13: the plan's missing levers, one block per programme ------------------------
# Every new lever defaults to "off" (today's behaviour, on which the calibration rests);
# the plan14 scenario sets each at the plan's figure and no_new_policy switches it off.
_PLAN_LEVER_DECLARATIONS: tuple[Parameter, ...] = (
    # --- issue 13 (a), item 9: mines as the plan counts them ----------------------------------
    _P("renewed_mines_green", False, "-", 0, 1,
       "Mines whose licence is renewed must be green mines, not only new ones: a renewing "
       "mine that is not green is upgraded or, failing the standard, closes.",
       "[F] plan: 新设和延续矿山全部建成绿色矿山 … 不符合绿色矿山建设标准的主体逐步退出市场",
       "mines", role="lever", kind="bool"),
    _P("mine_licence_years", 10.0, "yr", 3.0, 30.0,
       "Mean term of a mining licence: each year 1 / value of the operating mines come up "
       "for renewal.",
       "[M] 矿产资源开采登记管理办法: terms up to 30 / 20 / 10 yr for large / medium / small "
       "mines; 95.6 % of Guizhou's open-pit mines are small [F]", "mines"),
    _P("renewal_exit_share", 0.3, "fraction", 0.0, 1.0,
       "Share of renewing mines that are not green and cannot meet the green standard, so "
       "close (their owners restore them) instead of upgrading.", "[E]", "mines"),
    _P("green_upgrade_cost_Myuan", 5.0, "M yuan/mine", 0.0, 100.0,
       "One-off cost to a mine's owner of upgrading it to a green mine.",
       "[E] reclamation, dust and water works of a small open-pit mine", "mines"),
    # --- issue 13 (b), item 3: ecological red line and protected areas ----------------------
    _P("red_line_share", 0.0, "fraction of land", 0.0, 0.6,
       "Ecological protection red line in the start year, laid on the land of highest "
       "habitat value (corridors, forest, steep karst, water sources); 0: none.",
       "[F] plan Table 1: 生态保护红线比例 26.06 % (划定生态保护红线面积 4.59 万平方公里)",
       "zoning", role="lever"),
    _P("protected_area_share", 0.0, "fraction of land", 0.0, 0.4,
       "Protected areas (nature reserves, parks) in the start year, on the most valuable part "
       "of the red line; closed to grazing.",
       "[F] plan: 到2025年，自然保护地面积占全省国土面积达到6.84%以上; [M] the 2024 forestry "
       "yearbook gives 177.05 万 ha (≈ 10 %), on another basis", "zoning", role="lever"),
    _P("red_line_expansion_pp_per_year", 0.0, "pp of land/yr", 0.0, 5.0,
       "Yearly extension of the red line onto the next most valuable land, percentage points "
       "of the land area.", "[E] a lever; the plan holds the red line", "zoning", role="lever"),
    _P("protected_area_expansion_pp_per_year", 0.0, "pp of land/yr", 0.0, 5.0,
       "Yearly extension of the protected areas, percentage points of the land area.",
       "[E] a lever; the plan's 6.84 % is a floor", "zoning", role="lever"),
    _P("red_line_grazing_ban", False, "-", 0, 1,
       "Close all of the red line to grazing, not only the protected areas.",
       "[F] plan: 生态保护红线内核心保护区和一般控制区实施差别化管控 (the general zone is not "
       "closed by default)", "zoning", role="lever", kind="bool"),
    _P("zone_monitoring_detection", 0.3, "probability", 0.0, 1.0,
       "Chance that remote-sensing monitoring catches an illegal act (grazing, clearing) in "
       "the red line, on top of the rangers' detection.",
       "[E] plan: 构建自然保护地遥感监测网络体系，实施对自然保护地人为活动动态监管", "zoning",
       role="lever"),
    _P("zone_management_cost_yuan_ha", 150.0, "yuan/ha/yr", 0.0, 3000.0,
       "Yearly public cost of managing and compensating a hectare of protected area.",
       "[D] public-welfare forest compensation 14 925–22 388 yuan/km²/yr (China Daily 2014) "
       "= 149–224 yuan/ha/yr", "zoning", role="lever"),
    # --- issue 13 (c), item 4: grassland and livestock --------------------------------------
    _P("livestock_herds", False, "-", 0, 1,
       "Herds grow to the plan's offtake by 2025 and are set against the grass: stocking "
       "over capacity raises grazing and illegal grazing, and missing forage is bought.",
       "[F] plan: 到2025年，出栏肉牛达230万头、肉羊达350万只; 草畜平衡率 70%", "grassland",
       role="lever", kind="bool"),
    _P("cattle_offtake_target", 2_300_000.0, "head/yr", 0.0, 6_000_000.0,
       "Beef cattle sold (出栏) in 2025 and after, province; reached linearly from 2020.",
       "[F] plan: 到2025年，出栏肉牛达230万头", "grassland", role="lever"),
    _P("sheep_offtake_target", 3_500_000.0, "head/yr", 0.0, 10_000_000.0,
       "Sheep and goats sold (出栏) in 2025 and after, province; reached linearly from 2020.",
       "[F] plan: 肉羊达350万只", "grassland", role="lever"),
    _P("grassland_restoration_ha_per_year", 0.0, "ha/yr", 0.0, 200_000.0,
       "Degraded grassland restored a year (sown and improved grass, fenced while it "
       "establishes), the lowest-cover grass first, province-equivalent.",
       "[F] plan: 到 2025 年，治理退化草原 100 万亩 = 66 667 ha in 2021–25 = 13 333 ha/yr",
       "grassland", role="lever"),
    _P("cattle_offtake_2020", 1_700_000.0, "head/yr", 500_000.0, 4_000_000.0,
       "Beef cattle sold in 2020, province.",
       "[E] not verified: check the Guizhou Statistical Yearbook 2021", "grassland"),
    _P("sheep_offtake_2020", 2_800_000.0, "head/yr", 500_000.0, 8_000_000.0,
       "Sheep and goats sold in 2020, province.",
       "[E] not verified: check the Guizhou Statistical Yearbook 2021", "grassland"),
    _P("cattle_offtake_rate", 0.35, "1/yr", 0.15, 0.8,
       "Cattle sold a year over the standing herd (turns offtake into a herd).", "[E]",
       "grassland"),
    _P("sheep_offtake_rate", 0.9, "1/yr", 0.4, 1.5,
       "Sheep and goats sold a year over the standing flock.", "[E]", "grassland"),
    _P("grazed_forage_share", 0.3, "fraction", 0.1, 1.0,
       "Share of the herd's forage taken by grazing (the rest: stalls, straw, sown fodder).",
       "[E] cattle in Guizhou are largely stall-fed", "grassland"),
    _P("grass_yield_t_dm_ha", 5.0, "t DM/ha/yr", 0.5, 10.0,
       "Forage yield of fully covered grass (scaled by vegetation cover; half may be grazed).",
       "[D] set so the 2020 start state's grass–livestock balance rate is near 65 % (65.3) "
       "(People's Daily, Guizhou edition, 2021-03-04; fitted to 2020: in-sample)",
       "grassland"),
    _P("fodder_price_yuan_t", 800.0, "yuan/t DM", 100.0, 3000.0,
       "Price of bought forage (hay, silage, straw).", "[E]", "grassland"),
    # --- issue 13 (d), item 5: wetlands ------------------------------------------------------
    _P("wetland_share", 0.0, "fraction of land", 0.0, 0.1,
       "Wetland sites (water, then river valley floors, the flattest first); 0: no wetland "
       "sub-model.",
       "[M] second national wetland inventory: 20.97 万 ha in Guizhou = 1.19 % of the land",
       "wetland"),
    _P("wetland_protection_2020", 0.515, "fraction", 0.0, 1.0,
       "Share of natural wetland protected in the start year (protected areas first).",
       "[F] plan Table 1: 湿地保护率 51.5 (2020)", "wetland"),
    _P("wetland_protection_gain_pp_per_year", 0.0, "pp/yr", 0.0, 10.0,
       "Wetland brought under protection a year (wetland parks, small protection sites), "
       "percentage points of the wetland sites.",
       "[D] plan: 湿地保护率 51.5 → 55 以上 by 2025 (到 2025 年，湿地保护率达到 55%以上) = "
       "0.7 points a year", "wetland", role="lever"),
    _P("wetland_reclamation_rate", 0.005, "1/yr", 0.0, 0.1,
       "Yearly chance that an unprotected open wetland site is drained and farmed.", "[E]",
       "wetland"),
    _P("wetland_restoration_ha_per_year", 0.0, "ha/yr", 0.0, 20_000.0,
       "Reclaimed wetland restored to water a year, province-equivalent.",
       "[E] the plan asks to restore degraded wetland (加强退化湿地修复) without a figure",
       "wetland", role="lever"),
    _P("wetland_restoration_cost_yuan_ha", 30_000.0, "yuan/ha", 1000.0, 200_000.0,
       "Cost of restoring a hectare of reclaimed wetland (water connection, replanting).",
       "[E]", "wetland", role="lever"),
    # --- issue 13 (f), item 10: carbon beyond the trees, and traded forest carbon -------------
    _P("soc_reference_tC_ha", 84.0, "tC/ha", 30.0, 150.0,
       "Soil organic carbon (0–30 cm) of soil-covered land under native vegetation (the IPCC "
       "reference stock SOC_ref); a cell holds it × its stock-change factor × (1 − bedrock "
       "exposure).",
       "[D] set so the 2020 start state holds about 63 tC/ha on average: Zhang et al. 2019 "
       "(IJERPH 16:4199, 2 854 profiles in Guizhou) give 1.11 Pg in 0–30 cm [F] over "
       "176 167 km²; IPCC 2006 V4 Table 2.3, warm temperate moist: 88 (high-activity clay) "
       "[M]", "carbon"),
    _P("soc_transition_yr", 20.0, "yr", 5.0, 100.0,
       "Time constant of soil organic carbon's approach to the equilibrium of a new land use "
       "(first order).",
       "[F] IPCC 2006 V4 ch. 2 (eq. 2.25): default time dependence D = 20 yr of the "
       "stock-change factors; [E] its use as a first-order time constant", "carbon"),
    _P("soc_factor_cropland", 0.69, "-", 0.5, 1.1,
       "Soil organic carbon of cropland relative to the reference (long-term cultivated).",
       "[F] IPCC 2006 V4 Table 5.5: F_LU long-term cultivated, temperate moist 0.69; "
       "Guizhou's croplands hold more per m² than its forest land (Zhang et al. 2019: "
       "9.58 vs 7.35 kg/m² in 0–1 m) because they lie on the deeper soils, which the "
       "model's rock factor carries", "carbon"),
    _P("soc_factor_grazed", 0.95, "-", 0.7, 1.0,
       "Soil organic carbon of grazed grass relative to the reference (moderately degraded "
       "grassland).",
       "[F] IPCC 2006 V4 Table 6.2: F_MG moderately degraded grassland, temperate 0.95",
       "carbon"),
    _P("soc_factor_improved_grass", 1.14, "-", 1.0, 1.3,
       "Soil organic carbon of sown and improved grassland relative to the reference.",
       "[F] IPCC 2006 V4 Table 6.2: F_MG improved grassland, warm temperate moist 1.14",
       "carbon"),
    _P("soc_factor_degraded", 0.7, "-", 0.3, 1.0,
       "Soil organic carbon of bare rock and of severely or extremely desertified land "
       "relative to the reference (severely degraded).",
       "[F] IPCC 2006 V4 Table 6.2: F_MG severely degraded grassland 0.7", "carbon"),
    _P("soc_enrichment_ratio", 1.3, "-", 1.0, 3.0,
       "Organic carbon concentration of eroded soil over that of the soil it leaves.",
       "[E] fine, light particles go first; ratios of 1–3 are usual in erosion studies",
       "carbon"),
    _P("wetland_carbon_accumulation_tC_ha_yr", 1.0, "tC/ha/yr", 0.1, 3.0,
       "Carbon a protected natural wetland site buries in its soil and sediment a year.",
       "[M] Mitsch et al. 2013 (Landscape Ecology 28:583): about 1.2 tC/ha/yr over 21 "
       "wetlands (not checked here); Chen et al. 2023 (Land 12:1695) put Caohai's stock at "
       "2.54×10⁸ tC and its 2020 sequestration at 3.18×10⁵ tC [F]", "carbon"),
    _P("wetland_unprotected_factor", 0.5, "-", 0.0, 1.0,
       "Carbon burial of an unprotected natural wetland site relative to a protected one "
       "(drawdown, disturbance, pollution).", "[E]", "carbon"),
    _P("carbon_credit_issuance_share", 0.0, "fraction", 0.0, 1.0,
       "Share of the year's biomass growth on forest planted under the plan (afforestation, "
       "Grain-for-Green, desertification afforestation, since the start year; not already "
       "sold by a household project or the single-tree scheme) registered, verified, issued "
       "and sold as forest carbon credits (CCER).",
       "[F] plan: 开展林业碳汇交易试点 … 积极参与全国碳汇金融市场 (no figure); [E] the share",
       "carbon", role="lever"),
    _P("carbon_credit_cost_yuan_tCO2", 15.0, "yuan/tCO₂", 0.0, 60.0,
       "Cost of bringing a tonne of forest carbon to market: project design, validation, "
       "monitoring, verification and registry.",
       "[E] a quarter of a CCER price near 60 yuan/t; small forest projects pay more per "
       "tonne", "carbon"),
    # --- issue 13 (e), item 7: relocation out of fragile land --------------------------------
    _P("relocation_people_per_year", 0.0, "people/yr", 0.0, 500_000.0,
       "People moved out of the most fragile villages a year (whole household agents), "
       "province-equivalent.",
       "[F] 13th plan: 全面完成 192 万人易地扶贫搬迁任务 = 384 000 a year in 2016–20; the 14th "
       "plan asks for 地质灾害避险移民搬迁 without a figure", "people", role="lever"),
    _P("relocation_hazard_weight", 0.5, "-", 0.0, 1.0,
       "Where relocation starts: 0 the villages with most moderate-or-worse desertification, "
       "1 the steepest villages (geohazards), in between a mix.", "[E]", "people",
       role="lever"),
    _P("relocation_plots_afforested", False, "-", 0, 1,
       "Relocated households' cropland is planted with trees (else it goes idle to grass).",
       "[E]", "people", role="lever", kind="bool"),
    _P("relocation_cost_yuan_pc", 60_000.0, "yuan/person", 5000.0, 200_000.0,
       "Public cost of relocating one person (housing, services, jobs in the new place).",
       "[M] national relocation of ~9.6 M people for ~600 bn yuan", "people"),
    # --- issue 13, item 8: ecological compensation ----------------------------------------
    _P("chishui_fund_Myuan", 200.0, "M yuan/yr", 0.0, 1000.0,
       "Yearly cross-province compensation fund of the Chishui River (Yunnan, Guizhou, "
        "Sichuan), province-equivalent.",
       "[F] plan: 按 1:5:4 比例出资 2 亿元设立补偿资金 (Xinhua, 2018-03-25: for 2018–20, "
        "continued by the plan)", "compensation", role="lever"),
    _P("chishui_guizhou_contribution_share", 0.5, "fraction", 0.0, 1.0,
       "Guizhou's share of the Chishui fund it pays in (provincial spending).",
       "[F] plan: 1 : 5 : 4 (Yunnan : Guizhou : Sichuan)", "compensation"),
    _P("chishui_guizhou_allocation_share", 0.4, "fraction", 0.0, 1.0,
       "Guizhou's share of the Chishui fund it receives when its sections meet the water "
        "goal.",
       "[F] Xinhua, 2018-03-25: 补偿资金分配比例为 3:4:3; the goal: 水质稳定、不恶化",
       "compensation"),
    _P("horizontal_compensation_yuan_ha", 75.0, "yuan/ha of forest/yr", 0.0, 1000.0,
       "What a basin's downstream units pay an upstream unit per ha of its forest when it "
        "meets the conditions on sediment and forest (and it pays them when it fails).",
       "[E] of the Chishui fund's order: Guizhou's 80 M yuan a year over its ≈ 1.2 M ha of "
        "the basin (60 % of 2.04万 km²); the plan (谁受益、谁补偿，谁保护、谁受偿) gives no rate",
       "compensation", role="lever"),
    _P("compensation_gep_condition", False, "-", 0, 1,
       "Condition the compensation on GEP instead of sediment and forest: a unit (and the "
        "Chishui fund's sections) meets its conditions if the value of its soil retention and "
        "water conservation (the GEP's regulating services of the year's state, constant "
        "prices) is no less than in the start year.",
       "[F] plan: 推动生态产品价值核算结果在生态保护补偿…方面的应用 (issue 28); the "
        "condition's form [E]", "compensation", role="lever", kind="bool"),
    _P("compensation_household_share", 0.5, "fraction", 0.0, 1.0,
       "Share of a compensation payment on household-owned forest that goes to the owner "
        "(the rest to the county and village collective).",
       "[E] county schemes pass part of the funds to forest owners and rangers", "compensation",
       role="lever"),
    # --- issue 13 (f), item 6: forest economy ------------------------------------------------
    _P("reserve_forest_target_ha", 0.0, "ha", 0.0, 3_000_000.0,
       "National reserve forest (国家储备林) designated by 2025 and held after, reached "
       "linearly from none in 2020: productive, accessible planted forest outside the red "
       "line, the Chishui basin first, kept tended and cut first when the harvest takes "
       "mature stands; province-equivalent; 0: none.",
       "[F] plan: 大力实施赤水河流域国家储备林建设系统性工程 … 到2025年，国家储备林建设面积达到"
       "1098万亩 = 732 000 ha; [E] none counted in 2020", "forest_economy", role="lever"),
    _P("reserve_forest_cost_yuan_ha", 15_000.0, "yuan/ha", 0.0, 60_000.0,
       "One-off public cost of bringing a hectare into the national reserve forest "
       "(improvement of the stand, roads, intensive tending; mostly policy-bank loans).",
       "[E] improvement of existing stands ≈ 500–1 500 yuan/mu, new intensive planting "
       "≈ 2 000–3 000 yuan/mu", "forest_economy"),
    _P("forest_buyback_target_ha", 0.0, "ha", 0.0, 100_000.0,
       "Households' planted commercial forest in protected areas (first) and the red line "
       "bought back by 2025 (商品林赎买) and held after, reached linearly from 2020: it "
       "becomes state public-welfare forest and is no longer cut; province-equivalent.",
       "[F] plan: 持续推进重点生态区位人工商品林赎买改革试点 … 到2025年，完成赎买改革试点任务"
       "8.2万亩 = 5 467 ha", "forest_economy", role="lever"),
    _P("forest_buyback_cost_yuan_ha", 30_000.0, "yuan/ha", 0.0, 150_000.0,
       "One-off price paid to the owner of a hectare of commercial forest bought back "
       "(standing timber and the forest-land use right).",
       "[E] pilot buy-back prices ≈ 1 500–3 000 yuan/mu", "forest_economy"),
    _P("public_welfare_forest_share", 0.0, "fraction of wooded land", 0.0, 1.0,
       "Share of the start year's wooded land that is public-welfare forest (公益林: not "
       "cut, its owners compensated), the land of highest habitat value first; 0: none.",
       "[E] about half of China's forest land is public-welfare forest (national and local); "
       "not checked for Guizhou", "forest_economy"),
    _P("public_welfare_comp_yuan_ha", 0.0, "yuan/ha/yr", 0.0, 1500.0,
       "Yearly compensation paid per hectare of public-welfare forest (森林生态效益补偿): to "
       "the household that owns it, or to the collective or state; 0: none.",
       "[F] national standard for collective and individual national-level public-welfare "
       "forest 15 yuan/mu/yr from 2013 (China Financial and Economic News, 2014-11-20: "
       "中央财政 … 补偿标准提高到每年每亩15元); [M] 16 yuan/mu/yr since 2019 = 240 yuan/ha; "
       "the plan: 地方公益林补偿标准与国家标准保持一致", "forest_economy", role="lever"),
    _P("understory_programme_ha_per_year", 0.0, "ha/yr", 0.0, 500_000.0,
       "New understory-economy land the programme opens a year (demonstration bases, "
       "extension: 林下菌业、林下中药材、林下养殖), province-equivalent: each household can "
       "work that much more of its forest; whether it does is its choice.",
       "[F] plan: 到2025年，新增林下经济利用面积1000万亩 = 666 667 ha in 2021–25 = "
       "133 333 ha/yr", "forest_economy", role="lever"),
    _P("understory_support_yuan_ha", 1500.0, "yuan/ha", 0.0, 20_000.0,
       "One-off public support per hectare of understory economy above the area reached "
       "before (paid while the programme runs).", "[E] ≈ 100 yuan/mu of base-building "
       "subsidy", "forest_economy", role="lever"),
    _P("understory_output_yuan_ha", 21_800.0, "yuan/ha/yr", 0.0, 100_000.0,
       "Gross output value of a hectare of understory economy, 2020 yuan (the net income is "
       "understory_net_yuan_ha).",
       "[D] plan: 全省林下经济产值超 320 亿元 (2020) over 2 203 万亩 (People's Daily Guizhou) "
       "= 1 453 yuan/mu", "forest_economy"),
    _P("oil_tea_ha_per_year", 0.0, "ha/yr", 0.0, 200_000.0,
       "Oil-tea (油茶) newly planted a year on households' sloping cropland and open land "
       "outside the red line, the lowest (warmest) land first: an eco-economic stand of its "
       "own; province-equivalent.",
       "[D] plan: 到2025年，油茶种植面积达到330万亩; [E] ≈ 215 万亩 in 2020, so (330 − 215) "
       "万亩 / 5 yr = 15 333 ha/yr", "forest_economy", role="lever"),
    _P("walnut_improvement_ha_per_year", 0.0, "ha/yr", 0.0, 200_000.0,
       "Low-yield walnut (核桃) groves improved a year (top-grafting with improved varieties, "
       "management), on households' planted forest, the highest land first (the Bijie and "
       "Liupanshui walnut belts); province-equivalent.",
       "[D] plan: 到2025年，完成核桃低产林改造200万亩 = 133 333 ha in 2021–25 = 26 667 ha/yr",
       "forest_economy", role="lever"),
    _P("rosa_ha_per_year", 0.0, "ha/yr", 0.0, 200_000.0,
       "Rosa roxburghii (刺梨) newly planted a year on households' sloping cropland and open "
       "land outside the red line, land near 1 300 m first; province-equivalent.",
       "[D] plan: 到2025年，刺梨种植面积达到230万亩; [M] ≈ 200 万亩 in 2020, so 30 万亩 / 5 yr "
       "= 4 000 ha/yr", "forest_economy", role="lever"),
    _P("oil_tea_bearing_years", 4, "yr", 2, 10,
       "Years from planting to oil-tea's first harvest.", "[E] grafted seedlings bear in "
       "3–5 yr", "forest_economy", kind="int"),
    _P("oil_tea_full_years", 9, "yr", 4, 20,
       "Years from planting to oil-tea's full yield (reached linearly from the first harvest).",
       "[E] full bearing at 8–10 yr", "forest_economy", kind="int"),
    _P("oil_tea_yield_kg_ha", 300.0, "kg/ha/yr", 50.0, 1200.0,
       "Camellia oil a hectare of oil-tea yields at full bearing.",
       "[E] 10 kg/mu in old low-yield stands, 40–60 kg/mu in improved ones; 20 kg/mu taken "
       "for young karst stands", "forest_economy"),
    _P("oil_tea_price_yuan_kg", 80.0, "yuan/kg", 20.0, 200.0,
       "Farm-gate price of camellia oil, 2020 yuan.", "[E] 60–120 yuan/kg", "forest_economy"),
    _P("oil_tea_cost_yuan_ha", 12_000.0, "yuan/ha/yr", 0.0, 50_000.0,
       "Yearly cost of a bearing hectare of oil-tea (picking, fertiliser, pressing), at full "
       "yield (scaled like the yield before).", "[E]", "forest_economy"),
    _P("oil_tea_planting_cost_yuan_ha", 22_500.0, "yuan/ha", 0.0, 80_000.0,
       "One-off public cost of establishing a hectare of oil-tea (seedlings, site "
       "preparation, tending until it bears).", "[E] ≈ 1 500 yuan/mu", "forest_economy"),
    _P("walnut_bearing_years", 3, "yr", 1, 10,
       "Years from top-grafting to the improved walnut grove's first harvest.",
       "[E] grafted walnut bears in 2–4 yr", "forest_economy", kind="int"),
    _P("walnut_full_years", 8, "yr", 3, 20,
       "Years from top-grafting to the improved grove's full yield.", "[E]",
       "forest_economy", kind="int"),
    _P("walnut_yield_kg_ha", 600.0, "kg/ha/yr", 50.0, 3000.0,
       "Extra dry walnuts a hectare yields at full bearing after improvement (over the "
       "low-yield grove, whose income the model does not count).",
       "[E] low-yield groves ≈ 10–20 kg/mu, improved ≈ 50–80 kg/mu", "forest_economy"),
    _P("walnut_price_yuan_kg", 20.0, "yuan/kg", 5.0, 80.0,
       "Farm-gate price of dry walnuts, 2020 yuan.", "[E] 15–30 yuan/kg", "forest_economy"),
    _P("walnut_cost_yuan_ha", 4000.0, "yuan/ha/yr", 0.0, 30_000.0,
       "Extra yearly cost of an improved walnut hectare at full yield (picking, hulling, "
       "fertiliser).", "[E]", "forest_economy"),
    _P("walnut_improvement_cost_yuan_ha", 6000.0, "yuan/ha", 0.0, 40_000.0,
       "One-off public cost of improving a hectare of low-yield walnut.",
       "[E] ≈ 400 yuan/mu for top-grafting and management", "forest_economy"),
    _P("rosa_bearing_years", 2, "yr", 1, 6,
       "Years from planting to rosa roxburghii's first harvest.", "[E] bears in the 2nd–3rd "
       "year", "forest_economy", kind="int"),
    _P("rosa_full_years", 5, "yr", 2, 12,
       "Years from planting to rosa roxburghii's full yield.", "[E] full bearing at 4–6 yr",
       "forest_economy", kind="int"),
    _P("rosa_yield_kg_ha", 7500.0, "kg/ha/yr", 1000.0, 30_000.0,
       "Fresh rosa roxburghii fruit a hectare yields at full bearing.",
       "[E] ≈ 300–800 kg/mu", "forest_economy"),
    _P("rosa_price_yuan_kg", 3.0, "yuan/kg", 0.5, 15.0,
       "Farm-gate price of fresh rosa roxburghii fruit, 2020 yuan.",
       "[E] ≈ 2–4 yuan/kg under the processors' purchase agreements", "forest_economy"),
    _P("rosa_cost_yuan_ha", 10_000.0, "yuan/ha/yr", 0.0, 50_000.0,
       "Yearly cost of a bearing hectare of rosa roxburghii at full yield (picking, "
       "fertiliser, pruning).", "[E]", "forest_economy"),
    _P("rosa_planting_cost_yuan_ha", 12_000.0, "yuan/ha", 0.0, 60_000.0,
       "One-off public cost of establishing a hectare of rosa roxburghii.",
       "[E] ≈ 800 yuan/mu", "forest_economy"),
)

# fmt: on
_DECLARATIONS = _DECLARATIONS + _AGENT_DECLARATIONS + _PLAN_LEVER_DECLARATIONS
PARAMETERS: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in _DECLARATIONS})
"""All parameters by name, in declaration order."""


def defaults() -> dict[str, float | int | bool]:
    """Every parameter's default value."""
    return {p.name: p.default for p in _DECLARATIONS}


def resolve(overrides: Mapping[str, Any] | None = None) -> dict[str, float | int | bool]:
    """Defaults updated with checked ``overrides``.

    Raises :class:`ParameterError` naming an unknown parameter (with close matches) or a
    value outside its range.
    """
    values = defaults()
    for name, value in (overrides or {}).items():
        values[name] = get(name).coerce(value)
    _check_consistency(values)
    return values


def get(name: str) -> Parameter:
    """The declaration of ``name``; a clear error for an unknown name."""
    try:
        return PARAMETERS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, PARAMETERS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        hint_zh = f"；是否想用 {', '.join(close)}？" if close else ""
        raise ParameterError(
            f"unknown parameter {name!r}{hint} (run 'karstsim params' for the list)",
            zh=f"未知参数 {name!r}{hint_zh}（运行 'karstsim params' 查看全部参数）",
        ) from None


def _check_consistency(values: Mapping[str, Any]) -> None:
    if values["total_budget_mode"] and sum(values[f"share_{k}"] for k in BUDGET_USES) <= 0:
        raise ParameterError(
            "total_budget_mode needs at least one share_* above 0; all are 0",
            zh="总预算模式（total_budget_mode）至少需要一个 share_* 大于 0；现在全部为 0",
        )
    if not values["grass_years"] < values["shrub_years"] < values["forest_years"]:
        got = f"{values['grass_years']}, {values['shrub_years']}, {values['forest_years']}"
        raise ParameterError(
            f"parameters grass_years < shrub_years < forest_years must hold; got {got}",
            zh=f"参数须满足 grass_years < shrub_years < forest_years；现在为 {got}",
        )


def by_group(parameters: Iterable[Parameter] | None = None) -> dict[str, list[Parameter]]:
    """Parameters grouped as in :data:`GROUPS`."""
    grouped: dict[str, list[Parameter]] = {g: [] for g in GROUPS}
    for p in parameters if parameters is not None else _DECLARATIONS:
        grouped[p.group].append(p)
    return {g: ps for g, ps in grouped.items() if ps}


def markdown_table() -> str:
    """All parameters as Markdown tables, one per group."""
    lines: list[str] = []
    for group, params in by_group().items():
        lines += [f"### {GROUPS[group]}", ""]
        lines += ["| name | default | unit | range | role | description | source |"]
        lines += ["|---|---|---|---|---|---|---|"]
        for p in params:
            rng = "true/false" if p.kind == "bool" else f"{_fmt(p.low)} – {_fmt(p.high)}"
            default = str(p.default).lower() if p.kind == "bool" else _fmt(p.default)
            lines.append(
                f"| `{p.name}` | {default} | {p.unit} | {rng} | {p.role} | "
                f"{p.description} | {p.source} |"
            )
        lines.append("")
    return "\n".join(lines)
