"""The lever panel: a slider or switch per parameter, grouped, generated from the
declaration; levers first, the uncertainties behind an "advanced" toggle."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import reacton.ipyvuetify as rv
import solara

from karstsim.model.parameters import InputError
from karstsim.viz.controller import Controller, preset_values
from karstsim.viz.i18n import Lang, group_title, parameter_help, parameter_label, tr
from karstsim.viz.lever_specs import (
    SliderSpec,
    format_range,
    format_value,
    groups,
    parse_typed,
    slider_specs,
    switches,
)
from karstsim.viz.session import Session
from karstsim.viz.widgets import ReleaseSlider

SetValue = Callable[[str, Any], None]


FIRST_OPEN = "restoration"
"""The lever group open when the page loads: the rocky-desertification programme."""


def first_open_groups() -> frozenset[str]:
    """The group open at first (:data:`FIRST_OPEN`, else the first lever group)."""
    levers = groups("lever")
    return frozenset([FIRST_OPEN] if FIRST_OPEN in levers else levers[:1])


@solara.component
def LeverSlider(
    spec: SliderSpec,
    value: float,
    preset_value: float,
    lang: Lang,
    set_value: SetValue,
    note: str = "",
) -> None:
    """Label (its explanation on hover), current value with unit and a mark if it differs
    from the preset's, slider, a field to type the value (checked against the range, a
    message under it if not valid), range and preset value, and ``note`` (a lever that
    made no difference). Plain elements mostly: a hundred of these are on the page, and
    every element costs time at every redraw of the page."""
    name = spec.name
    parameter = spec.parameter
    typed_error, set_typed_error = solara.use_state("")
    changed = value != preset_value
    head = [
        rv.Html(
            tag="span",
            class_="karst-lever-label",
            attributes={"title": parameter_help(name, lang)},
            children=[parameter_label(name, lang)],
        ),
        rv.Html(
            tag="span",
            class_="karst-lever-value",
            children=[format_value(spec, value, lang)],
        ),
    ]
    if changed:
        head.insert(1, changed_mark(format_value(spec, preset_value, lang), lang))

    def typed(text: str) -> None:
        try:
            new = parse_typed(spec, text)
        except InputError as error:
            set_typed_error(error.text(lang))
            return
        set_typed_error("")
        set_value(name, new)

    with rv.Html(tag="div", class_=f"karst-lever karst-lever-{name}"):
        rv.Html(tag="div", class_="karst-lever-head", children=head)
        with rv.Html(tag="div", class_="karst-lever-inputs"):
            ReleaseSlider(
                value,
                parameter.low,
                parameter.high,
                spec.step,
                lambda new: set_value(name, new),
                classes=[f"karst-slider-{name}"],
            )
            solara.InputText(
                tr("type_value", lang),
                value=f"{float(value):.{spec.decimals}f}",
                on_value=typed,
                continuous_update=False,
                error=typed_error or False,
                classes=["karst-lever-typed", f"karst-typed-{name}"],
            )
        rv.Html(
            tag="div",
            class_="karst-lever-range",
            children=[
                format_range(spec, lang)
                + (f" · {tr('preset_value', lang)} {format_value(spec, preset_value, lang)}")
            ],
        )
        if note:
            rv.Html(tag="div", class_="karst-lever-note", children=[note])


def changed_mark(preset_text: str, lang: Lang) -> rv.Html:
    """The mark of a lever moved from its preset's value (the preset's value on hover)."""
    return rv.Html(
        tag="span",
        class_="karst-lever-changed",
        attributes={"title": tr("changed_from_preset", lang, preset=preset_text)},
        children=[tr("changed_mark", lang)],
    )


@solara.component
def ParameterGroup(
    key: str,
    group: str,
    role: str,
    values: Mapping[str, Any],
    preset: Mapping[str, Any],
    notes: Mapping[str, str],
    lang: Lang,
    set_value: SetValue,
    is_open: bool,
    toggle: Callable[[str], None],
) -> None:
    """A group's title, which opens and closes it (``toggle(key)``), and its switches and
    sliders (``preset``: the preset's values, to mark those moved from them; ``notes``: a
    note by parameter). Groups start closed (all but :data:`FIRST_OPEN`): the page redraws faster with fewer
    widgets on it."""
    with solara.Column(gap="2px", classes=["karst-group", f"karst-group-{group}"]):
        solara.Button(
            group_title(group, lang),
            icon_name="mdi-chevron-up" if is_open else "mdi-chevron-down",
            on_click=lambda: toggle(key),
            text=True,
            classes=["karst-group-title", f"karst-group-toggle-{key}"],
        )
        if not is_open:
            return
        for parameter in switches(role).get(group, []):
            name = parameter.name
            with rv.Html(tag="div", class_=f"karst-lever karst-lever-{name}"):
                with rv.Html(tag="div", class_="karst-lever-head"):
                    solara.Switch(
                        label=parameter_label(name, lang),
                        value=bool(values[name]),
                        on_value=lambda on, name=name: set_value(name, on),
                        classes=[f"karst-switch-{name}"],
                    )
                    if bool(values[name]) != bool(preset[name]):
                        changed_mark(tr("on" if preset[name] else "off", lang), lang)
                if name in notes:
                    rv.Html(tag="div", class_="karst-lever-note", children=[notes[name]])
        for spec in slider_specs(role).get(group, []):
            name = spec.name
            LeverSlider(spec, values[name], preset[name], lang, set_value, notes.get(name, ""))


def lever_notes(controller: Controller, arm: str, lang: Lang) -> dict[str, str]:
    """A note for each parameter of lever set ``arm`` whose last change made no difference
    to the results up to the year shown (none if it did, or at the start year)."""
    if controller.no_effect is None:
        return {}
    changed_arm, names, year = controller.no_effect
    if changed_arm != arm or year != controller.year:
        return {}
    return {name: tr("no_effect", lang, year=year) for name in names}


@solara.component
def LeversPanel(session: Session) -> None:
    """Every lever of the lever set being edited (A, or B in compare mode)."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe: redraw after a set-up change)
    arm = session.editing.value
    controller = session.controller
    show_advanced, set_show_advanced = solara.use_state(False)
    open_groups, set_open_groups = solara.use_state(first_open_groups())
    with controller.lock:
        values = dict(controller.arms[arm].values) if arm in controller.arms else {}
        preset = preset_values(controller.arms[arm].preset) if values else {}
        notes = lever_notes(controller, arm, lang)
    if not values:
        return

    def set_value(name: str, value: Any) -> None:
        controller.set_value(arm, name, value)
        session.changed()

    def toggle(key: str) -> None:
        set_open_groups(open_groups ^ {key})

    with solara.Column(gap="4px", classes=["karst-levers"]):
        solara.Text(
            f"{tr('levers', lang)} — {arm}", classes=["karst-panel-title", "karst-levers-title"]
        )
        for group in groups("lever"):
            ParameterGroup(
                group,
                group,
                "lever",
                values,
                preset,
                notes,
                lang,
                set_value,
                group in open_groups,
                toggle,
            )
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
                key = f"advanced-{group}"
                ParameterGroup(
                    key,
                    group,
                    "uncertainty",
                    values,
                    preset,
                    notes,
                    lang,
                    set_value,
                    key in open_groups,
                    toggle,
                )
