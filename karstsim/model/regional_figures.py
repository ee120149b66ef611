"""Published figures by prefecture, and what the generator derives from them.

The figures and their sources are in ``karstsim/data/guizhou/prefecture_figures.toml``.
Where a prefecture's figure is not published (or not found), it is derived so that the
province total still holds:

* **forest cover 2020**: the prefectures without a figure share the remainder of the
  province's 61.51 % equally (by land area), so the area-weighted mean is 61.51 %;
* **urban share 2020**: likewise, the prefectures without a figure share the remainder
  of the province's urban population; rural population = residents × (1 − urban share).

The generator uses the forest cover as each prefecture's target and places villages in
proportion to rural population (:func:`rural_density_ratio`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from karstsim.model import regions


@dataclass(frozen=True)
class PrefectureFigures:
    """One prefecture's 2020 figures; ``*_derived`` says the figure is not published."""

    adcode: str
    official_area_km2: float
    forest_cover_2020: float
    forest_cover_derived: bool
    rural_population_2020: float
    urban_share_derived: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PlanArea:
    """An area of the plan with its own targets (e.g. the Wuling Mountains): its
    counties' adcodes and the source of that list (names: ``names``, en and zh)."""

    key: str
    counties: tuple[str, ...]
    source: str
    names: Mapping[str, str]


@cache
def _raw() -> dict:
    return tomllib.loads(regions.data_file("prefecture_figures.toml").read_text("utf-8"))


def province_figures() -> dict:
    return dict(_raw()["province"])


@cache
def prefecture_figures() -> dict[str, PrefectureFigures]:
    """Every prefecture's figures by adcode, with the derived ones filled in."""
    raw, province = _raw()["prefectures"], _raw()["province"]
    area = {r.adcode: r.boundary_area_km2 for r in regions.prefectures()}
    total_area = sum(area.values())

    known_forest = {
        c: v["forest_cover_2020_pct"] / 100 for c, v in raw.items() if "forest_cover_2020_pct" in v
    }
    rest_area = sum(a for c, a in area.items() if c not in known_forest)
    forest_rest = (
        province["forest_cover_2020_pct"] / 100 * total_area
        - sum(known_forest[c] * area[c] for c in known_forest)
    ) / rest_area

    people = {c: float(v["resident_population_2020"]) for c, v in raw.items()}
    known_urban = {c: v["urban_share_2020"] for c, v in raw.items() if "urban_share_2020" in v}
    urban_total = province["urban_share_2020"] * sum(people.values())
    rest_people = sum(p for c, p in people.items() if c not in known_urban)
    urban_rest = (urban_total - sum(known_urban[c] * people[c] for c in known_urban)) / rest_people

    table = {}
    for code, entry in raw.items():
        urban = known_urban.get(code, urban_rest)
        table[code] = PrefectureFigures(
            adcode=code,
            official_area_km2=float(entry["official_area_km2"]),
            forest_cover_2020=known_forest.get(code, forest_rest),
            forest_cover_derived=code not in known_forest,
            rural_population_2020=people[code] * (1.0 - urban),
            urban_share_derived=code not in known_urban,
            sources=tuple(str(v) for k, v in entry.items() if k.endswith("_source")),
        )  # fmt: skip
    return table


def rural_density_ratio() -> dict[str, float]:
    """Each prefecture's rural population per km² over the province's."""
    figures = prefecture_figures()
    area = {r.adcode: r.boundary_area_km2 for r in regions.prefectures()}
    province = sum(f.rural_population_2020 for f in figures.values()) / sum(area.values())
    return {c: f.rural_population_2020 / area[c] / province for c, f in figures.items()}


def non_karst_counties() -> tuple[int, ...]:
    """Adcodes of the counties with essentially no carbonate outcrop."""
    return tuple(int(c) for c in _raw()["karst"]["non_karst_counties"])


@cache
def plan_areas() -> dict[str, PlanArea]:
    return {
        key: PlanArea(
            key, tuple(v["counties"]), v["source"], {"en": v["name_en"], "zh": v["name_zh"]}
        )
        for key, v in _raw()["areas"].items()
    }
