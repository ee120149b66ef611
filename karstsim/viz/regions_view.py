"""The real map's regions on the page: the choice of the region whose cards and charts are
shown, and the table of every region's key figures for the year shown (prefectures on the
province, counties on a prefecture or county map). Nothing of this shows on a synthetic map.

The map image cannot be clicked (Solara's image widget reports no clicks): the region is
chosen in a select or by clicking its row of the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reacton.ipyvuetify as rv
import solara
from reacton.ipyvue import use_event

from karstsim.model.regions import all_regions
from karstsim.viz.controller import Controller
from karstsim.viz.i18n import Lang, tr
from karstsim.viz.session import ALL_REGIONS, Session
from karstsim.viz.widgets import Choice

TABLE_COLUMNS: dict[str, tuple[str, int, float]] = {
    "forest_cover_pct": ("col_forest", 1, 1.0),
    "desertified_km2": ("col_desert", 0, 1.0),
    "carbon_stock_MtC": ("col_carbon", 2, 1.0),
    "treated_km2_cum": ("col_treated", 0, 1.0),
    "income_per_person_yuan": ("col_income", 0, 1.0),
    "poverty_share": ("col_poverty", 1, 100.0),
}
"""Columns of the table: results-by-region column → (header key, decimals, scale)."""


@dataclass(frozen=True)
class TableRow:
    """One row of the table: its region, lever set and formatted cells."""

    adcode: str
    arm: str
    cells: list[str]


@dataclass(frozen=True)
class RegionTable:
    """The table by region for the year shown, formatted for display."""

    title: str
    headers: list[str]
    rows: list[TableRow]


def region_choices(controller: Controller, lang: Lang) -> dict[str, str]:
    """The region select's options: the whole map, then each region of the map."""
    choices = {ALL_REGIONS: tr("region_all", lang)}
    choices.update({r.adcode: r.label(lang) for r in controller.regions()})
    return choices


def shown_name(controller: Controller, lang: Lang) -> str:
    """Name of what the cards and charts show: the chosen region, or the whole map (named
    after its region on a real map)."""
    if controller.region is not None:
        return all_regions()[controller.region].label(lang)
    whole = controller.map_region
    if whole is not None:
        return f"{whole.label(lang)} ({tr('region_all', lang)})"
    return tr("region_all", lang)


def _number(value: float, decimals: int, scale: float) -> str:
    return f"{value * scale:,.{decimals}f}"


def region_table(controller: Controller, lang: Lang) -> RegionTable | None:
    """Every region's key figures for the year shown (one row per lever set in compare
    mode); ``None`` on a synthetic map."""
    with controller.lock:
        tables = controller.region_table()
        level, year = controller.region_level, controller.year
    if not tables or level is None:
        return None
    headers = [tr("col_region", lang)]
    if len(tables) > 1:
        headers.append(tr("col_set", lang))
    headers += [tr(key, lang) for key, _, _ in TABLE_COLUMNS.values()]
    regions = all_regions()
    rows = []
    first = next(iter(tables.values()))
    for index, adcode in enumerate(first["adcode"]):
        for arm, table in tables.items():
            record = table.iloc[index]
            cells = [regions[adcode].label(lang)] + ([arm] if len(tables) > 1 else [])
            cells += [_number(float(record[c]), d, s) for c, (_, d, s) in TABLE_COLUMNS.items()]
            rows.append(TableRow(adcode, arm, cells))
    title = tr("table_title", lang, level=tr(f"level_{level}", lang), year=year)
    return RegionTable(title, headers, rows)


@solara.component
def RegionChoice(session: Session) -> None:
    """The select of the region whose cards and charts are shown, and its name."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe: the map's regions)
    region = session.region.value
    controller = session.controller
    with controller.lock:
        choices = region_choices(controller, lang)
        name = shown_name(controller, lang)
    if len(choices) <= 1:
        return
    with solara.Row(
        gap="12px",
        classes=["karst-region-row"],
        style={"align-items": "center", "flex-wrap": "wrap"},
    ):
        if len(choices) > 2:
            with solara.Column(gap="0px", style={"flex": "0 0 260px"}):
                Choice(
                    tr("region", lang),
                    choices,
                    region if region in choices else ALL_REGIONS,
                    session.choose_region,
                    classes=["karst-region"],
                )
        solara.Text(tr("region_shown", lang, name=name), classes=["karst-region-shown"])
    if len(choices) > 2:
        solara.Text(tr("region_note", lang), classes=["karst-explain"])


@solara.component
def _Row(row: TableRow, selected: bool, on_click: Callable[[str], None]) -> None:
    classes = ["karst-region-table-row", f"karst-region-row-{row.adcode}"]
    if selected:
        classes.append("karst-region-selected")
    element = rv.Html(
        tag="tr",
        class_=" ".join(classes),
        children=[rv.Html(tag="td", children=[cell]) for cell in row.cells],
    )
    use_event(element, "click", lambda *_: on_click(row.adcode))


@solara.component
def RegionTablePanel(session: Session) -> None:
    """Every region's key figures for the year shown; click a row to show its region."""
    lang = session.lang.value
    session.run_version.value  # noqa: B018  (subscribe: redraw after every step)
    session.setup_version.value  # noqa: B018
    region = session.region.value
    table = region_table(session.controller, lang)
    if table is None:
        return
    with solara.Column(gap="2px", classes=["karst-region-panel"]):
        solara.Text(table.title, classes=["karst-panel-title", "karst-region-table-title"])
        with rv.Html(tag="table", class_="karst-region-table"):
            rv.Html(
                tag="tr",
                children=[rv.Html(tag="th", children=[header]) for header in table.headers],
            )
            for row in table.rows:
                _Row(row, row.adcode == region, session.choose_region)
