"""Set-up (preset, seed, map size, compare mode) and run controls (step, run to a year,
pause, reset), with the background thread that runs the model."""

from __future__ import annotations

import threading

import solara

from karstsim.model import regions
from karstsim.model import scenario as scenario_module
from karstsim.viz.controller import LAST_YEAR
from karstsim.viz.i18n import Lang, tr
from karstsim.viz.session import Session
from karstsim.viz.widgets import Choice

CUSTOM = "custom"
DEFAULT_CUSTOM_GRID = "80x50"


def preset_titles(lang: str) -> dict[str, str]:
    """Shipped scenario names with their titles in ``lang``."""
    return {
        name: scenario_module.load(name).text("title", lang) or name
        for name in scenario_module.shipped_names()
    }


def map_choices(lang: Lang) -> list[dict[str, str]]:
    """The map select's items, grouped: the province and the classroom map, the 9
    prefectures, the counties of each prefecture (adcodes as values), the synthetic maps."""
    items = [
        {"header": tr("grid_group_quick", lang)},
        {"text": tr("grid_province", lang), "value": "province"},
        {"text": tr("grid_classroom", lang), "value": "classroom"},
        {"header": tr("grid_group_prefectures", lang)},
    ]
    prefectures = regions.prefectures()
    items += [{"text": p.label(lang), "value": p.adcode} for p in prefectures]
    for prefecture in prefectures:
        name = prefecture.label(lang)
        items.append({"header": tr("grid_group_counties", lang, prefecture=name)})
        items += [
            {
                "text": tr("grid_county_of", lang, county=c.label(lang), prefecture=name),
                "value": c.adcode,
            }
            for c in regions.counties(prefecture.adcode)
        ]
    items += [
        {"header": tr("grid_group_synthetic", lang)},
        {"text": tr("grid_county", lang), "value": "county"},
        {"text": tr("grid_custom", lang), "value": CUSTOM},
    ]
    return items


@solara.component
def SetupPanel(session: Session) -> None:
    """Preset of the lever set being edited, seed, map size and compare mode."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe)
    controller = session.controller
    arm = session.editing.value
    custom_text, set_custom_text = solara.use_state(DEFAULT_CUSTOM_GRID)
    items = map_choices(lang)
    values = {item["value"] for item in items if "value" in item}
    grid_choice = controller.grid if controller.grid in values else CUSTOM

    def apply(change) -> None:
        change()
        session.changed()

    def choose_grid(choice: str) -> None:
        apply(lambda: controller.set_grid(custom_text if choice == CUSTOM else choice))

    def type_grid(text: str) -> None:
        set_custom_text(text)
        apply(lambda: controller.set_grid(text.strip()))

    with solara.Column(gap="6px", classes=["karst-setup"]):
        solara.Text(tr("setup", lang), classes=["karst-panel-title"])
        if controller.compare:
            with solara.Row(gap="6px", style={"align-items": "center"}):
                solara.Text(tr("editing", lang))
                solara.ToggleButtonsSingle(
                    value=arm,
                    values=["A", "B"],
                    on_value=session.editing.set,
                    classes=["karst-editing"],
                )
                solara.Button(
                    tr("copy_a_to_b", lang),
                    on_click=lambda: apply(controller.copy_a_to_b),
                    text=True,
                    classes=["karst-copy"],
                )
        Choice(
            tr("preset", lang),
            preset_titles(lang),
            controller.arms[arm].preset if arm in controller.arms else controller.preset,
            lambda name: apply(lambda: controller.set_preset(arm, name)),
            classes=["karst-preset"],
        )
        solara.InputInt(
            tr("seed", lang),
            value=controller.seed,
            on_value=lambda seed: apply(lambda: controller.set_seed(seed)),
            dense=True,
            classes=["karst-seed"],
        )
        Choice(
            tr("grid", lang),
            items,
            grid_choice,
            choose_grid,
            classes=["karst-grid"],
            search_hint=tr("grid_search", lang),
        )
        if grid_choice == CUSTOM:
            solara.InputText(
                tr("grid_custom_size", lang),
                value=custom_text,
                on_value=type_grid,
                classes=["karst-grid-custom"],
            )
        solara.Switch(
            label=tr("compare", lang),
            value=controller.compare,
            on_value=lambda on: apply(lambda: controller.set_compare(on)),
            classes=["karst-compare"],
        )
        if controller.compare:
            solara.Text(tr("compare_note", lang), classes=["karst-explain"])
        solara.Text(
            tr("restart_note", lang, start=controller.start_year), classes=["karst-explain"]
        )


@solara.component
def RunControls(session: Session) -> None:
    """Step, run to a year, pause and reset; runs the model in a background thread."""
    lang = session.lang.value
    session.run_version.value  # noqa: B018  (subscribe: show the new year)
    session.setup_version.value  # noqa: B018
    controller = session.controller
    running = session.running.value

    def run_loop(cancel: threading.Event) -> None:
        if not running:
            return
        controller.advance_to(session.target_year.value, cancel, session.stepped_and_drawn)
        if not cancel.is_set():
            session.running.set(False)

    solara.use_thread(run_loop, dependencies=[running], intrusive_cancel=False)

    def step() -> None:
        if controller.step():
            session.stepped()

    def reset() -> None:
        controller.reset()
        session.running.set(False)
        session.changed()

    def pause() -> None:
        controller.stop()
        session.running.set(False)

    with solara.Row(
        gap="8px", classes=["karst-run"], style={"align-items": "center", "flex-wrap": "wrap"}
    ):
        solara.Text(tr("year_now", lang, year=controller.year), classes=["karst-year"])
        blocked = controller.seed_error is not None
        solara.Button(
            tr("step", lang),
            on_click=step,
            disabled=running or blocked,
            color="primary",
            classes=["karst-step"],
        )
        solara.SliderInt(
            tr("target_year", lang),
            value=session.target_year,
            min=controller.start_year + 1,
            max=LAST_YEAR,
            thumb_label="always",
        )
        solara.Button(
            tr("run", lang),
            on_click=lambda: session.running.set(True),
            disabled=running or blocked,
            color="primary",
            classes=["karst-run-button"],
        )
        solara.Button(
            tr("pause", lang),
            on_click=pause,
            disabled=not running,
            classes=["karst-pause"],
        )
        solara.Button(tr("reset", lang), on_click=reset, classes=["karst-reset"])
        if running:
            solara.Text(tr("running", lang), classes=["karst-running"])
