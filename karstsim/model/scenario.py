"""Scenarios: a named set of lever and parameter values with a start year, read from TOML.

A scenario file looks like::

    [scenario]
    name = "my_scenario"
    start_year = 2020            # a year with an observed start state (2016 or 2020)
    end_year = 2035
    title_en = "..."             # optional texts, shown by `karstsim scenarios` and the app
    title_zh = "..."
    description_en = "..."
    description_zh = "..."
    question_en = "..."
    question_zh = "..."

    [parameters]
    treatment_ha_per_year = 71000

    [schedule]                   # optional: a programme amount year by year (observed
    treatment_ha_per_year = { 2021 = 64000, 2024 = 88783 }   # amounts are inputs); years
                                 # not listed keep [parameters]' value. Only the amounts
                                 # of SCHEDULABLE may have a schedule.

    [regions]                    # optional: how the yearly treatment and afforestation are
    "毕节市" = 2.0                # shared between prefectures (relative weights, by name or
    Qiannan = 1.0                # adcode; quote Chinese names); a prefecture not named gets 0. Without this
                                 # table each prefecture gets its share of the eligible land.

The shipped scenarios live in ``karstsim/scenarios/``; copy one to start your own.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from karstsim.model import parameters
from karstsim.model.initial_states import start_state
from karstsim.model.parameters import ParameterError
from karstsim.model.regions import find_region

_TEXT_FIELDS = ("title", "description", "question")
SCHEDULABLE = (
    "treatment_ha_per_year",
    "afforestation_ha_per_year",
    "gfg_quota_ha_per_year",
    "rangers",
    "legacy_restoration_ha_per_year",
    "single_tree_scheme_trees",
    "forest_tending_ha_per_year",
    "erosion_control_ha_per_year",
    "total_budget_Myuan",
)
"""Programme amounts the government reads afresh each year (:func:`year_budget`), so they
may follow a ``[schedule]``."""


@dataclass(frozen=True)
class Scenario:
    """Parameter overrides with a start and end year and bilingual texts."""

    name: str
    start_year: int = 2020
    end_year: int = 2035
    parameters: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    region_weights: dict[str, float] = field(default_factory=dict)
    """Weights of the prefectures (adcode → weight ≥ 0) in the yearly programmes."""
    schedule: dict[str, dict[int, float]] = field(default_factory=dict)
    """Programme amount → {year: value}: the year's value instead of the parameter's."""

    def parameters_in(self, params: Mapping[str, Any], year: int) -> Mapping[str, Any]:
        """``params`` with this year's scheduled amounts (``params`` itself if none is due)."""
        due = {name: by_year[year] for name, by_year in self.schedule.items() if year in by_year}
        return {**params, **due} if due else params

    def text(self, key: str, language: str = "en") -> str:
        """``title``, ``description`` or ``question`` in ``language`` (en or zh)."""
        return self.texts.get(f"{key}_{language}", self.texts.get(f"{key}_en", ""))


def shipped_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    folder = resources.files("karstsim") / "scenarios"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def load(name_or_path: str | Path | Scenario | None) -> Scenario:
    """A shipped scenario by name, a scenario file by path, or the defaults (``None``)."""
    if name_or_path is None:
        return Scenario(name="defaults")
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = str(name_or_path)
    if text in shipped_names():
        source = (resources.files("karstsim") / "scenarios" / f"{text}.toml").read_text("utf-8")
        return parse(source, origin=f"scenario {text}")
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        try:
            source = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ParameterError(
                f"scenario file {path}: cannot be read ({error.strerror})",
                zh=f"情景文件 {path}：无法读取（{error.strerror}）",
            ) from None
        return parse(source, origin=f"scenario file {path}")
    raise ParameterError(
        f"scenario {text!r} is neither a shipped scenario nor a file; "
        f"shipped: {', '.join(shipped_names())}",
        zh=f"情景 {text!r} 既不是自带情景也不是文件；自带情景：{', '.join(shipped_names())}",
    )


def _origin_zh(origin: str) -> str:
    """``origin`` ("scenario file PATH", "scenario NAME") in Chinese."""
    for english, chinese in (("scenario file", "情景文件"), ("scenario", "情景")):
        if origin.startswith(english):
            return chinese + origin[len(english) :]
    return origin


def parse(source: str, origin: str = "scenario") -> Scenario:
    """A :class:`Scenario` from TOML text; errors name ``origin`` and the bad entry."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(
            f"{origin}: not valid TOML ({error})",
            zh=f"{_origin_zh(origin)}：不是有效的 TOML（{error}）",
        ) from None
    head = data.get("scenario", {})
    unknown_sections = set(data) - {"scenario", "parameters", "regions", "schedule"}
    if unknown_sections:
        raise ParameterError(
            f"{origin}: unknown section(s) {sorted(unknown_sections)}; "
            "allowed: [scenario], [parameters], [schedule], [regions]",
            zh=f"{_origin_zh(origin)}：未知的节 {sorted(unknown_sections)}；"
            "允许：[scenario]、[parameters]、[schedule]、[regions]",
        )
    values = data.get("parameters", {})
    try:
        parameters.resolve(values)
    except ParameterError as error:
        raise ParameterError(
            f"{origin}: {error}", zh=f"{_origin_zh(origin)}：{error.text('zh')}"
        ) from None
    start = head.get("start_year", 2020)
    end = head.get("end_year", 2035)
    if not isinstance(start, int) or not isinstance(end, int) or end < start:
        raise ParameterError(
            f"{origin}: start_year and end_year must be years with start ≤ end",
            zh=f"{_origin_zh(origin)}：start_year 和 end_year 须为年份，且起始 ≤ 结束",
        )
    start_state(start)
    texts = {k: str(v) for k, v in head.items() if k.split("_")[0] in _TEXT_FIELDS}
    return Scenario(
        name=str(head.get("name", origin)),
        start_year=start,
        end_year=end,
        parameters=dict(values),
        texts=texts,
        region_weights=_region_weights(data.get("regions", {}), origin),
        schedule=_schedule(data.get("schedule", {}), origin, start, end),
    )


def _schedule(
    table: dict[str, Any], origin: str, start: int, end: int
) -> dict[str, dict[int, float]]:
    """The ``[schedule]`` table as amount → {year: value}, each value checked."""
    schedule: dict[str, dict[int, float]] = {}
    for name, by_year in table.items():
        if name not in SCHEDULABLE:
            raise ParameterError(
                f"{origin}: [schedule] {name!r} cannot change year by year; allowed: "
                + ", ".join(SCHEDULABLE),
                zh=f"{_origin_zh(origin)}：[schedule] {name!r} 不能逐年变化；允许："
                + "、".join(SCHEDULABLE),
            )
        if not isinstance(by_year, dict):
            raise ParameterError(
                f"{origin}: [schedule] {name} must be a table of year = value, "
                "e.g. { 2021 = 64000 }",
                zh=f"{_origin_zh(origin)}：[schedule] {name} 须为“年份 = 数值”的表，"
                "如 { 2021 = 64000 }",
            )
        years = {}
        for year, value in by_year.items():
            if not (str(year).isdigit() and start < int(year) <= end):
                raise ParameterError(
                    f"{origin}: [schedule] {name}: {year!r} is not a simulated year; "
                    f"allowed: {start + 1}–{end}",
                    zh=f"{_origin_zh(origin)}：[schedule] {name}：{year!r} 不是模拟年份；"
                    f"允许：{start + 1}—{end}",
                )
            try:
                years[int(year)] = parameters.get(name).coerce(value)
            except ParameterError as error:
                raise ParameterError(
                    f"{origin}: [schedule] {year}: {error}",
                    zh=f"{_origin_zh(origin)}：[schedule] {year}：{error.text('zh')}",
                ) from None
        schedule[name] = years
    return schedule


def _region_weights(table: dict[str, Any], origin: str) -> dict[str, float]:
    """The ``[regions]`` table as prefecture adcode → weight, checked."""
    weights = {}
    for name, value in table.items():
        try:
            region = find_region(name)
        except ParameterError as error:
            raise ParameterError(
                f"{origin}: [regions] {error}",
                zh=f"{_origin_zh(origin)}：[regions] {error.text('zh')}",
            ) from None
        if region.level != "prefecture":
            raise ParameterError(
                f"{origin}: [regions] {name!r} is a {region.level}; weights are per prefecture",
                zh=f"{_origin_zh(origin)}：[regions] {name!r} 是县级单位；权重按市州给出",
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e9:
            raise ParameterError(
                f"{origin}: [regions] {name} = {value!r}; a weight is a number ≥ 0",
                zh=f"{_origin_zh(origin)}：[regions] {name} = {value!r}；权重须为 ≥ 0 的数",
            )
        weights[region.adcode] = float(value)
    if weights and sum(weights.values()) <= 0:
        raise ParameterError(
            f"{origin}: [regions] every weight is 0; give at least one > 0",
            zh=f"{_origin_zh(origin)}：[regions] 所有权重都是 0；至少给一个 > 0",
        )
    return weights
