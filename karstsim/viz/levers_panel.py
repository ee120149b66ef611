"""The lever panel: a slider or switch per parameter, grouped, generated from the
declaration; levers first, the uncertainties behind an "advanced" toggle."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import solara

from karstsim.viz.i18n import Lang, group_title, parameter_help, parameter_label, tr
from karstsim.viz.lever_specs import (
    SliderSpec,
    format_range,
    format_value,
    groups,
    slider_specs,
    switches,
)
from karstsim.viz.session import Session
from karstsim.viz.widgets import ReleaseSlider

SetValue = Callable[[str, Any], None]


@solara.component
def LeverSlider(spec: SliderSpec, value: float, lang: Lang, set_value: SetValue) -> None:
    """Label with explanation, current value with unit, slider and range of one parameter."""
    name = spec.name
    help_text = parameter_help(name, lang)
    with solara.Column(gap="0px", classes=["karst-lever", f"karst-lever-{name}"]):
        with solara.Row(justify="space-between", gap="4px"):
            label = parameter_label(name, lang)
            if help_text:
                with solara.Tooltip(help_text):
                    solara.Text(label, classes=["karst-lever-label"])
            else:
                solara.Text(label, classes=["karst-lever-label"])
            solara.Text(format_value(spec, value, lang), classes=["karst-lever-value"])
        ReleaseSlider(
            value,
            spec.parameter.low,
            spec.parameter.high,
            spec.step,
            lambda new: set_value(name, new),
            classes=[f"karst-slider-{name}"],
        )
        solara.Text(format_range(spec, lang), classes=["karst-lever-range"])


@solara.component
def ParameterGroup(
    group: str, role: str, values: Mapping[str, Any], lang: Lang, set_value: SetValue
) -> None:
    """The switches and sliders of one parameter group."""
    with solara.Column(gap="4px", classes=["karst-group", f"karst-group-{group}"]):
        solara.Text(group_title(group, lang), classes=["karst-group-title"])
        for parameter in switches(role).get(group, []):
            name = parameter.name
            solara.Switch(
                label=parameter_label(name, lang),
                value=bool(values[name]),
                on_value=lambda on, name=name: set_value(name, on),
                classes=[f"karst-switch-{name}"],
            )
        for spec in slider_specs(role).get(group, []):
            LeverSlider(spec, values[spec.name], lang, set_value)


@solara.component
def LeversPanel(session: Session) -> None:
    """Every lever of the lever set being edited (A, or B in compare mode)."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe: redraw after a set-up change)
    arm = session.editing.value
    controller = session.controller
    show_advanced, set_show_advanced = solara.use_state(False)
    with controller.lock:
        values = dict(controller.arms[arm].values) if arm in controller.arms else {}
    if not values:
        return

    def set_value(name: str, value: Any) -> None:
        controller.set_value(arm, name, value)
        session.changed()

    with solara.Column(gap="6px", classes=["karst-levers"]):
        solara.Text(f"{tr('levers', lang)} — {arm}", classes=["karst-panel-title"])
        for group in groups("lever"):
            ParameterGroup(group, "lever", values, lang, set_value)
        solara.Button(
            tr("advanced", lang),
            icon_name="mdi-chevron-up" if show_advanced else "mdi-chevron-down",
            on_click=lambda: set_show_advanced(not show_advanced),
            text=True,
            classes=["karst-advanced-toggle"],
        )
        if show_advanced:
            solara.Text(tr("advanced_note", lang), classes=["karst-explain"])
            for group in groups("uncertainty"):
                ParameterGroup(group, "uncertainty", values, lang, set_value)
