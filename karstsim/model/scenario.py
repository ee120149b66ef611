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

    [regions]                    # optional: how the yearly treatment and afforestation are
    "毕节市" = 2.0                # shared between prefectures (relative weights, by name or
    Qiannan = 1.0                # adcode; quote Chinese names); a prefecture not named gets 0. Without this
                                 # table each prefecture gets its share of the eligible land.

The shipped scenarios live in ``karstsim/scenarios/``; copy one to start your own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from karstsim.model import parameters
from karstsim.model.initial_states import start_state
from karstsim.model.parameters import ParameterError
from karstsim.model.regions import find_region

_TEXT_FIELDS = ("title", "description", "question")


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
    unknown_sections = set(data) - {"scenario", "parameters", "regions"}
    if unknown_sections:
        raise ParameterError(
            f"{origin}: unknown section(s) {sorted(unknown_sections)}; "
            "allowed: [scenario], [parameters], [regions]",
            zh=f"{_origin_zh(origin)}：未知的节 {sorted(unknown_sections)}；"
            "允许：[scenario]、[parameters]、[regions]",
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
    )


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
