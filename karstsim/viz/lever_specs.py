"""Which parameters the app shows as sliders, and how: generated from the declaration.

Levers (``role == "lever"``) come first, grouped as in ``parameters.GROUPS``; the
uncertainties follow in an "advanced" section. Two parameters only set how many real
households or rangers one agent stands for (the model's resolution, not a question anyone
asks of the model) and stay at their defaults in the app: :data:`APP_FIXED`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.parameters import InputError, Parameter
from karstsim.viz.i18n import Lang, tr, unit

APP_FIXED = ("households_per_agent", "rangers_per_agent")
"""Agent-resolution parameters the app leaves at their defaults."""


@dataclass(frozen=True)
class SliderSpec:
    """A slider for one parameter: its declaration and a step that hits every preset value."""

    parameter: Parameter
    step: float

    @property
    def name(self) -> str:
        return self.parameter.name

    @property
    def decimals(self) -> int:
        """Decimals needed to show a value on this slider."""
        return max(0, -math.floor(math.log10(self.step) + 1e-9))


def slider_step(parameter: Parameter, values: tuple[float, ...]) -> float:
    """The coarsest power-of-ten step (at most 1/100 of the range) on which the range's
    ends and every one of ``values`` lie; ints step by whole numbers."""
    span = parameter.high - parameter.low
    exponent = math.floor(math.log10(span / 100))
    points = (*values, parameter.high)
    for k in range(exponent, exponent - 7, -1):
        step = 10.0**k
        if parameter.kind == "int" and step < 1:
            break
        ratios = [(v - parameter.low) / step for v in points]
        if all(abs(r - round(r)) < 1e-6 for r in ratios):
            return step
    return 1.0 if parameter.kind == "int" else 10.0 ** (exponent - 6)


@cache
def slider_specs(role: str) -> dict[str, list[SliderSpec]]:
    """Sliders for the parameters of ``role`` ("lever" or "uncertainty") by group."""
    presets = [scenario_module.load(n).parameters for n in scenario_module.shipped_names()]
    chosen = [
        p
        for p in parameters.PARAMETERS.values()
        if p.role == role and p.kind != "bool" and p.name not in APP_FIXED
    ]
    grouped = parameters.by_group(chosen)
    return {
        group: [
            SliderSpec(p, slider_step(p, (p.default, *(s[p.name] for s in presets if p.name in s))))
            for p in params
        ]
        for group, params in grouped.items()
    }


@cache
def switches(role: str) -> dict[str, list[Parameter]]:
    """On/off parameters of ``role`` by group."""
    chosen = [p for p in parameters.PARAMETERS.values() if p.role == role and p.kind == "bool"]
    return parameters.by_group(chosen)


def groups(role: str) -> list[str]:
    """Groups that have parameters of ``role``, in the declaration's group order."""
    present = set(slider_specs(role)) | set(switches(role))
    return [g for g in parameters.GROUPS if g in present]


def format_value(spec: SliderSpec, value: Any, lang: Lang) -> str:
    """A slider's value with thousands separators and its unit."""
    shown = f"{float(value):,.{spec.decimals}f}"
    suffix = unit(spec.parameter.unit, lang)
    return shown if suffix in ("", "-") else f"{shown} {suffix}"


def format_range(spec: SliderSpec, lang: Lang) -> str:
    """``range low – high`` of a slider."""
    p = spec.parameter
    return f"{tr('range', lang)} {p.low:,.{spec.decimals}f} – {p.high:,.{spec.decimals}f}"


_TYPED_NUMBER = re.compile(r"\s*([-+]?[\d.,_ ]+(?:[eE][-+]?\d+)?)")
"""A typed number: digits with separators, a point, an exponent; a unit may follow."""


def parse_typed(spec: SliderSpec, text: str) -> float:
    """The value typed for a slider's parameter (``120000``, ``120,000`` or ``120 000``; a
    unit after it is ignored), checked against its range; :class:`InputError` (one line,
    English and Chinese) if it is not a number or out of range."""
    p = spec.parameter
    found = _TYPED_NUMBER.match(text)
    try:
        value = float(re.sub(r"[,_ ]", "", found.group(1)) if found else "")
    except ValueError:
        raise InputError(
            f"{p.name}: {text.strip()!r} is not a number",
            zh=f"{p.name}：{text.strip()!r} 不是数字",
        ) from None
    return p.coerce(value)
