"""Small input widgets the panels share: a select with translated item texts and a slider
that reports a value only when the user lets go of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import reacton.ipyvuetify as rv
import solara
from reacton.ipyvue import use_event


@solara.component
def Choice(
    label: str,
    options: Mapping[str, str],
    value: str,
    on_value: Callable[[str], None],
    classes: list[str] | None = None,
) -> None:
    """A select whose items show ``options[value]`` and report the value."""
    items = [{"text": text, "value": key} for key, text in options.items()]
    rv.Select(
        label=label,
        items=items,
        v_model=value,
        on_v_model=on_value,
        dense=True,
        hide_details=True,
        class_=" ".join(["karst-choice", *(classes or [])]),
    )


@solara.component
def SearchChoice(
    label: str,
    items: list[dict[str, str]],
    value: str,
    on_value: Callable[[str], None],
    hint: str = "",
    classes: list[str] | None = None,
) -> None:
    """A select one can type in to find an item; ``items`` are ``{"text", "value"}`` or
    group titles ``{"header"}``. Reports the value of the item picked."""

    def picked(choice: str | None) -> None:
        if choice:
            on_value(choice)

    rv.Autocomplete(
        label=label,
        items=items,
        v_model=value,
        on_v_model=picked,
        placeholder=hint,
        dense=True,
        hide_details=True,
        auto_select_first=True,
        class_=" ".join(["karst-choice", *(classes or [])]),
    )


@solara.component
def ReleaseSlider(
    value: float,
    low: float,
    high: float,
    step: float,
    on_change: Callable[[float], None],
    classes: list[str] | None = None,
) -> None:
    """A slider from ``low`` to ``high`` that calls ``on_change`` once the thumb is
    released (or a key moved it), not while it is dragged."""
    slider = rv.Slider(
        v_model=value,
        min=low,
        max=high,
        step=step,
        dense=True,
        hide_details=True,
        class_=" ".join(["karst-slider", *(classes or [])]),
    )

    def changed(_widget: Any, _event: str, data: Any) -> None:
        on_change(data)

    use_event(slider, "change", changed)
