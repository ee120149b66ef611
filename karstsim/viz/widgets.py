"""Small input widgets the panels share: a select with translated item texts (one can
type in to search, if asked) and a slider that reports a value only when the user lets go
of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import reacton.ipyvuetify as rv
import solara
from reacton.ipyvue import use_event


@solara.component
def Choice(
    label: str,
    options: Mapping[str, str] | list[dict[str, str]],
    value: str,
    on_value: Callable[[str], None],
    classes: list[str] | None = None,
    search_hint: str | None = None,
) -> None:
    """A select whose items show ``options[value]`` and report the value. ``options`` may
    also be a list of items ``{"text", "value"}`` and group titles ``{"header"}``. With a
    ``search_hint`` one can type in the select to find an item."""
    if isinstance(options, Mapping):
        options = [{"text": text, "value": key} for key, text in options.items()]

    def picked(choice: str | None) -> None:
        if choice:  # None: the search field was cleared
            on_value(choice)

    search = {"placeholder": search_hint, "auto_select_first": True}
    (rv.Select if search_hint is None else rv.Autocomplete)(
        label=label,
        items=options,
        v_model=value,
        on_v_model=picked,
        dense=True,
        hide_details=True,
        class_=" ".join(["karst-choice", *(classes or [])]),
        **({} if search_hint is None else search),
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
