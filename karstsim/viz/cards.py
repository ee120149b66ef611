"""Key figures on cards: the latest year's forest cover (and when 64 % was reached),
desertified area, carbon stock and revenue, household income, poverty, budget spent and
GEP (the gross ecosystem product of the accounts, issue 28)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import solara

from karstsim.viz.charts import TARGET_TEXT, first_year_reached
from karstsim.viz.i18n import Lang, tr
from karstsim.viz.session import Session

# card key → (results column or "", unit key, decimals, scale)
CARDS: dict[str, tuple[str, str, int, float]] = {
    "card_year": ("year", "unit_year", 0, 1.0),
    "card_forest": ("forest_cover_pct", "unit_pct", 2, 1.0),
    "card_target": ("", "unit_year", 0, 1.0),
    "card_desert": ("desertified_km2", "unit_km2", 0, 1.0),
    "card_carbon": ("carbon_stock_MtC", "unit_MtC", 2, 1.0),
    "card_revenue": ("carbon_revenue_Myuan", "unit_Myuan_yr", 2, 1.0),
    "card_income": ("household_income_mean_yuan", "unit_yuan_hh", 0, 1.0),
    "card_poverty": ("poverty_share", "unit_pct", 1, 100.0),
    "card_budget": ("budget_spent_Myuan", "unit_Myuan_yr", 1, 1.0),
    "card_gep": ("gep_Myuan", "unit_Myuan_yr", 0, 1.0),
}


@dataclass(frozen=True)
class KeyFigure:
    """One card: its title, unit and the shown value of each lever set."""

    key: str
    title: str
    unit: str
    values: dict[str, str]
    difference: str | None = None
    """B − A, signed, in compare mode (``None``: one lever set, the year card, or a figure
    one of them lacks)."""


def _value(table: pd.DataFrame, column: str, decimals: int, scale: float, lang: Lang) -> str:
    if not column:
        year = first_year_reached(table)
        return str(year) if year is not None else tr("card_not_reached", lang)
    if column not in table:
        return "—"  # not kept by region (budget, carbon revenue): the whole map's only
    number = float(table[column].iloc[-1]) * scale
    return str(int(number)) if column == "year" else f"{number:,.{decimals}f}"


def _difference(
    runs: dict[str, pd.DataFrame], column: str, decimals: int, scale: float
) -> str | None:
    """B − A of a card's figure at the latest year, signed (years for the target card)."""
    if set(runs) != {"A", "B"} or column == "year":
        return None
    if not column:
        years = [first_year_reached(runs[arm]) for arm in ("A", "B")]
        return None if None in years else f"{years[1] - years[0]:+d}"
    if column not in runs["A"] or column not in runs["B"]:
        return None
    delta = (float(runs["B"][column].iloc[-1]) - float(runs["A"][column].iloc[-1])) * scale
    return f"{delta:+,.{decimals}f}".replace("-", "−")


def key_figures(runs: dict[str, pd.DataFrame], lang: Lang) -> list[KeyFigure]:
    """The cards for the runs' latest year, values formatted for display, with B − A in
    compare mode."""
    return [
        KeyFigure(
            key,
            tr(key, lang, **TARGET_TEXT),
            tr(unit_key, lang),
            {arm: _value(table, column, decimals, scale, lang) for arm, table in runs.items()},
            _difference(runs, column, decimals, scale),
        )
        for key, (column, unit_key, decimals, scale) in CARDS.items()
    ]


def shown_area_km2(models: dict, runs: dict[str, pd.DataFrame]) -> float:
    """Land area of what the cards show: the chosen region's, or the whole map's."""
    if not runs:
        return 0.0
    table = next(iter(runs.values()))
    if "land_area_km2" in table and len(table):
        return float(table["land_area_km2"].iloc[-1])
    return next(iter(models.values())).landscape.land_area_km2


@solara.component
def KeyFigureCards(session: Session) -> None:
    """A row of cards; in compare mode each shows A and B."""
    lang = session.lang.value
    session.run_version.value  # noqa: B018  (subscribe: redraw after every step)
    session.setup_version.value  # noqa: B018
    session.region.value  # noqa: B018
    controller = session.controller
    with controller.lock:
        runs = controller.shown_results()
        area = shown_area_km2(controller.models(), runs)
    with solara.Column(gap="2px"):
        with solara.Row(classes=["karst-cards"], style={"flex-wrap": "wrap", "gap": "6px"}):
            for figure in key_figures(runs, lang):
                with solara.Card(classes=["karst-card", f"karst-{figure.key}"], margin=0):
                    solara.Text(figure.title, classes=["karst-card-title"])
                    for arm, shown in figure.values.items():
                        label = f"{arm}: " if len(runs) > 1 else ""
                        unit = figure.unit if shown != "—" else ""
                        solara.Text(
                            f"{label}{shown} {unit}".strip(),
                            classes=["karst-card-value", f"karst-card-value-{arm}"],
                        )
                    if figure.difference is not None:
                        solara.Text(
                            f"B − A: {figure.difference} {figure.unit}".strip(),
                            classes=["karst-card-diff"],
                        )
        if runs:
            solara.Text(tr("map_area_note", lang, area=area), classes=["karst-explain"])
