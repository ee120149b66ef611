"""The karstsim web app (Solara): ``karstsim viz`` serves :func:`Page`.

Layout, the map first: a header (title, language, classroom mode), the set-up and lever
panels on the left, and on the right the input problems, the run controls, the map with
the key figures and the region shown beside it (below it on a narrow screen), then the
classroom question (its explanation folded), the table by region, the charts and the
downloads.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

import karstsim.viz.url_state as url_state
from karstsim.viz.cards import KeyFigureCards
from karstsim.viz.charts import ChartsPanel
from karstsim.viz.classroom import Lesson, PresetExplanation
from karstsim.viz.controller import Controller
from karstsim.viz.controls import RunControls, SetupPanel
from karstsim.viz.downloads import Downloads
from karstsim.viz.i18n import tr
from karstsim.viz.levers_panel import LeversPanel
from karstsim.viz.map_view import LAYERS, MapPanel
from karstsim.viz.regions_view import RegionChoice, RegionTablePanel
from karstsim.viz.session import Session, use_session
from karstsim.viz.url_state import PageState

CSS = """
.karst-app { padding: 8px 12px; }
.karst-body { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.karst-side { flex: 0 0 340px; max-width: 100%; max-height: calc(100vh - 110px);
              overflow-y: auto; padding-right: 6px; }
.karst-main { flex: 1 1 600px; min-width: 0; }
.karst-panel-title { font-weight: 600; font-size: 1.05em; margin-top: 4px; }
.karst-group-title { font-weight: 600; color: #1b5e20 !important; margin-top: 4px;
                     text-transform: none; justify-content: flex-start; width: 100%; }
.karst-advanced-toggle { text-transform: none; justify-content: flex-start; width: 100%; }
.karst-lever-head { display: flex; justify-content: space-between; gap: 4px; }
.karst-lever-label { font-size: 0.9em; }
.karst-lever-value { font-size: 0.9em; font-weight: 600; white-space: nowrap; }
.karst-lever-range, .karst-explain { font-size: 0.78em; color: #666; }
.karst-lever-inputs { display: flex; gap: 6px; align-items: center; }
.karst-lever-inputs > :first-child { flex: 1 1 auto; min-width: 0; }
.karst-lever-typed { flex: 0 0 96px; max-width: 96px; }
.karst-lever-changed { font-size: 0.78em; color: #e65100; white-space: nowrap; cursor: help; }
.karst-lever-note { font-size: 0.78em; color: #8d6e00; background: #fff8e1; padding: 2px 4px; }
.karst-card { min-width: 120px; padding: 6px 10px !important; }
.karst-card-title { font-size: 0.8em; color: #555; display: block; }
.karst-card-value { font-size: 1.05em; font-weight: 600; display: block; }
.karst-card-diff { font-size: 0.85em; font-weight: 600; color: #4a148c; display: block; }
.karst-map-row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.karst-map-box { flex: 1 1 520px; min-width: 0; max-width: 820px; }
.karst-beside-map { flex: 1 1 260px; min-width: 0; }
.karst-maps > div, .karst-maps img { flex: 1 1 420px; max-width: 820px; }
.karst-chart-box { flex: 1 1 360px; max-width: 460px; }
.karst-year { font-size: 1.2em; font-weight: 600; min-width: 90px; }
.karst-run .v-input__slot { min-width: 220px; }
.karst-region-shown { font-weight: 600; color: #1b5e20; }
.karst-region-table { border-collapse: collapse; font-size: 0.85em; }
.karst-region-table th, .karst-region-table td { padding: 2px 8px; text-align: right;
                                                 border-bottom: 1px solid #ddd; }
.karst-region-table th:first-child, .karst-region-table td:first-child { text-align: left; }
.karst-region-table-row { cursor: pointer; }
.karst-region-table-row:hover { background: #f1f8e9; }
.karst-region-selected { background: #fff3e0; font-weight: 600; }
@media (max-width: 900px) { .karst-side { flex: 1 1 100%; max-height: none; } }
"""


@solara.component
def Header(session: Session) -> None:
    """Title, subtitle, language switch and classroom-mode switch."""
    lang = session.lang.value
    solara.Title(tr("app_title", lang))
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "12px"}):
        with solara.Column(gap="0px", style={"flex": "1 1 400px"}):
            solara.Text(
                tr("app_title", lang),
                classes=["karst-title"],
                style={"font-size": "1.5em", "font-weight": "600"},
            )
            solara.Text(tr("app_subtitle", lang), classes=["karst-explain"])
        with solara.ToggleButtonsSingle(value=session.lang, classes=["karst-language"]):
            solara.Button("English", value="en", classes=["karst-lang-en"])
            solara.Button("中文", value="zh", classes=["karst-lang-zh"])
        solara.Switch(
            label=tr("classroom_mode", lang),
            value=session.classroom,
            classes=["karst-classroom-switch"],
        )


@solara.component
def InputProblems(session: Session) -> None:
    """A clear message for every invalid input, in the page."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe)
    for arm, message in session.controller.errors(lang):
        text = tr("invalid_set", lang, arm=arm, message=message) if arm else message
        solara.Error(f"{tr('invalid_input', lang)}: {text}", classes=["karst-error"])


@solara.component
def AddressBar(session: Session) -> None:
    """Keeps the page's address saying what the page shows (:mod:`.url_state`), so that a
    reload or a copied link restores it; during a run, once the run stops."""
    session.run_version.value  # noqa: B018  (subscribe)
    session.setup_version.value  # noqa: B018
    router = solara.use_router()
    running = session.running.value
    with session.controller.lock:
        query = url_state.encode(
            session.controller, session.lang.value, session.classroom.value, session.layer.value
        )

    def show() -> None:
        # a page outside Solara's server (a notebook, a test) has no address
        if not running and router.set_path is not None and query != (router.search or ""):
            router.push(f"{router.path or '/'}?{query}")

    solara.use_effect(show, [query, running])


@solara.component
def Page() -> None:
    """The whole app for one browser page, in the state its address gives."""
    router = solara.use_router()
    App(lambda: url_state.decode(router.search, tuple(LAYERS)))


@solara.component
def App(start: Callable[[], PageState], controller: Controller | None = None) -> None:
    """The whole app, opened in the state ``start()`` gives, on ``controller``'s runs if
    given (a notebook's :class:`~karstsim.viz.notebook.KarstApp`), else on new ones."""
    session = use_session(start, controller)
    solara.Style(CSS)
    AddressBar(session)
    with solara.Column(classes=["karst-app"], gap="8px"):
        Header(session)
        with solara.Row(classes=["karst-body"]):
            with solara.Column(classes=["karst-side"], gap="8px"):
                SetupPanel(session)
                LeversPanel(session)
            with solara.Column(classes=["karst-main"], gap="8px"):
                InputProblems(session)
                RunControls(session)
                with solara.Row(classes=["karst-map-row"]):
                    with solara.Column(classes=["karst-map-box"], gap="4px"):
                        MapPanel(session)
                    with solara.Column(classes=["karst-beside-map"], gap="8px"):
                        KeyFigureCards(session)
                        RegionChoice(session)
                with solara.Row(classes=["karst-map-row"]):
                    PresetExplanation(session)
                    Lesson(session)
                RegionTablePanel(session)
                ChartsPanel(session)
                Downloads(session)
