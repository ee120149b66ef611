"""Prices and coefficients of the GEP accounts (:mod:`karstsim.model.gep`), each with its
unit, range, price year and source.

A declared table like :mod:`karstsim.model.parameters` (and tagged the same way: **[F]**
found in the named source, **[D]** derived, **[M]** commonly cited but not checked against
the original, **[E]** an estimate), kept apart because prices value the model's state after
the fact: they change no simulated quantity, so they are not model parameters (sweeps and
the app do not vary them); from Python the accounts can be valued at other prices
(``GepAccount(params, land, prices={...})``, checked by :func:`resolve`). Prices are in yuan
of the year given; the accounts are at constant prices (no inflation), as the national
specification asks for comparisons between years.

The specification: 《生态产品总值核算规范（试行）》, National Development and Reform
Commission and National Bureau of Statistics, 发改基础〔2022〕481号 (March 2022); its
methods follow the Ministry of Ecology and Environment's 《陆地生态系统生产总值（GEP）核算技术
指南》 (2020) and Ouyang Zhiyun et al. 2013, "生态系统生产总值核算：概念、核算方法与案例研究",
生态学报 33(21): 6747–6761 (a Guizhou case study).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from karstsim.model.parameters import ParameterError


@dataclass(frozen=True)
class Price:
    """One price or coefficient of the accounts."""

    name: str
    value: float
    unit: str
    low: float
    high: float
    year: int
    description: str
    source: str


_PRICES = (
    Price(
        "crop_output_yuan_ha",
        64_000.0,
        "yuan/ha/yr",
        20_000.0,
        120_000.0,
        2020,
        "Gross output value of a hectare of cropland or garden land (crops, vegetables, tea, "
        "fruit): the material product of farmland.",
        "[D] gross output of farming (农业, 种植业) in Guizhou 2020 ≈ 2 800 ×10⁸ yuan [M] "
        "(Guizhou statistical communiqué 2020) over cropland 347.26 万 ha [F] (三调 bulletin) "
        "and garden land ≈ 90 万 ha [M]",
    ),
    Price(
        "timber_price_yuan_m3",
        1000.0,
        "yuan/m³",
        600.0,
        1500.0,
        2020,
        "Stumpage-to-roadside price of a cubic metre of harvested timber (Chinese fir, "
        "Masson pine).",
        "[E] log prices of south-China plantation species ≈ 800–1 300 yuan/m³ (2019–21)",
    ),
    Price(
        "cattle_price_yuan_head",
        12_000.0,
        "yuan/head",
        6_000.0,
        20_000.0,
        2020,
        "Farm-gate price of a beef cow or steer sold (the livestock product of grazing).",
        "[E] ≈ 400 kg live weight × ≈ 30 yuan/kg, south-west China 2020",
    ),
    Price(
        "sheep_price_yuan_head",
        1500.0,
        "yuan/head",
        600.0,
        3000.0,
        2020,
        "Farm-gate price of a sheep or goat sold.",
        "[E] ≈ 40 kg live weight × ≈ 38 yuan/kg, south-west China 2020",
    ),
    Price(
        "carbon_price_yuan_tCO2",
        54.0,
        "yuan/tCO₂",
        20.0,
        120.0,
        2021,
        "Price of a tonne of CO₂ sequestered: the national carbon market's (the "
        "specification values carbon fixation at the carbon-trading price).",
        "[F] national ETS (CEA) ≈ 54 yuan/t in 2021, its first year (shared/PARAMETERS.md; "
        "2020 had no national market)",
    ),
    Price(
        "sediment_deposit_share",
        0.24,
        "fraction",
        0.1,
        0.4,
        2020,
        "Share of soil retained that would otherwise have settled in rivers, lakes and "
        "reservoirs (the specification's sediment-deposition coefficient λ).",
        "[M] 24 % of eroded soil deposits in China's rivers and reservoirs, the value used "
        "by the MEE GEP guide (2020) and Ouyang et al. 2013",
    ),
    Price(
        "dredging_cost_yuan_m3",
        12.6,
        "yuan/m³",
        5.0,
        30.0,
        2008,
        "Cost of dredging a cubic metre of sediment (reduced siltation, the replacement cost "
        "of soil retention).",
        "[M] LY/T 1721-2008 《森林生态系统服务功能评估规范》: 挖取和运输单位体积土方费用 "
        "12.6 yuan/m³",
    ),
    Price(
        "soil_nitrogen_g_kg",
        1.5,
        "g/kg",
        0.5,
        3.0,
        2020,
        "Total nitrogen in eroded soil.",
        "[E] Guizhou yellow and limestone soils 1–2.5 g/kg (second soil survey ranges)",
    ),
    Price(
        "soil_phosphorus_g_kg",
        0.6,
        "g/kg",
        0.2,
        1.5,
        2020,
        "Total phosphorus in eroded soil.",
        "[E] Guizhou soils 0.4–1.0 g/kg (second soil survey ranges)",
    ),
    Price(
        "nitrogen_treatment_yuan_kg",
        1.5,
        "yuan/kg",
        0.5,
        5.0,
        2020,
        "Cost of removing a kilogram of nitrogen from water (reduced non-point pollution, "
        "the second part of soil retention's value).",
        "[E] municipal wastewater treatment costs ≈ 1–3 yuan/kg N (the MEE guide values "
        "reduced N and P at their treatment cost)",
    ),
    Price(
        "phosphorus_treatment_yuan_kg",
        2.5,
        "yuan/kg",
        0.5,
        10.0,
        2020,
        "Cost of removing a kilogram of phosphorus from water.",
        "[E] ≈ 2–5 yuan/kg P (as nitrogen)",
    ),
    Price(
        "reservoir_cost_yuan_m3",
        8.44,
        "yuan/m³",
        6.0,
        12.0,
        2015,
        "Construction cost of a cubic metre of reservoir capacity (the replacement cost of "
        "water conservation).",
        "[M] 8.44 yuan/m³, the unit reservoir cost used in Chinese GEP studies after the MEE "
        "guide (6.11 yuan/m³ of LY/T 1721-2008 at later prices)",
    ),
    Price(
        "visits_per_year",
        1.135e9,
        "visits/yr",
        0.5e9,
        2.0e9,
        2019,
        "Tourist visits to Guizhou a year (person-trips), the last year before the pandemic "
        "(2020: 0.618 ×10⁹) held constant.",
        "[M] Guizhou statistical communiqué 2019: 接待游客 11.35 亿人次, 旅游总收入 "
        "12 318.86 亿元 (2020: 6.18 亿人次, 5 785.09 亿元)",
    ),
    Price(
        "spend_per_visit_yuan",
        1085.0,
        "yuan/visit",
        300.0,
        2000.0,
        2019,
        "Spending of a visit (the travel-cost value of recreation).",
        "[D] 12 318.86 ×10⁸ yuan / 11.35 ×10⁸ visits (2019)",
    ),
    Price(
        "nature_visit_share",
        0.3,
        "fraction",
        0.1,
        0.6,
        2019,
        "Share of visits whose draw is the natural landscape (mountains, karst caves and "
        "waterfalls, forest parks, rivers): only they count as the ecosystem's cultural "
        "service (the rest are cities, culture and business).",
        "[E] the plan's 山地旅游 brand; national-park and scenic-area visits are a third to a "
        "half of provincial totals in published GEP case studies",
    ),
    Price(
        "landscape_visit_elasticity",
        1.0,
        "-",
        0.0,
        2.0,
        2020,
        "Elasticity of nature visits to the landscape's natural quality (the area-weighted "
        "vegetation cover of natural land and water, over the start year's).",
        "[E] 1: visits in proportion to the natural landscape",
    ),
)

PRICES: Mapping[str, Price] = MappingProxyType({p.name: p for p in _PRICES})
"""Every price and coefficient of the accounts by name."""


def resolve(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The prices' values, with ``overrides`` checked against their ranges."""
    values = {name: price.value for name, price in PRICES.items()}
    for name, value in (overrides or {}).items():
        if name not in PRICES:
            raise ParameterError(
                f"GEP price {name!r} is unknown; allowed: {', '.join(PRICES)}",
                zh=f"GEP 价格 {name!r} 未知；允许：{'、'.join(PRICES)}",
            )
        price = PRICES[name]
        if not price.low <= float(value) <= price.high:
            raise ParameterError(
                f"GEP price {name}: {value!r} is out of range; allowed: "
                f"{price.low:g} to {price.high:g} {price.unit}",
                zh=f"GEP 价格 {name}：{value!r} 超出范围；允许：{price.low:g} 至 "
                f"{price.high:g} {price.unit}",
            )
        values[name] = float(value)
    return values


def markdown_table() -> str:
    """The prices as a Markdown table (README and ODD)."""
    lines = [
        "| price | value | unit | range | price year | source |",
        "|---|---|---|---|---|---|",
    ]
    for p in _PRICES:
        lines.append(
            f"| `{p.name}` | {p.value:g} | {p.unit} | {p.low:g}–{p.high:g} | {p.year} | "
            f"{p.source} |"
        )
    return "\n".join(lines)
