"""The charts: forest cover against the 64 % goal, desertified area by class, carbon stock
and revenue, household income and poverty, and budget spent by use. In compare mode each
chart overlays both lever sets (A solid, B dashed)."""

from __future__ import annotations

import pandas as pd
import solara
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from karstsim.experiments.figures import FOREST_TARGET_PCT, SEVERITY_SERIES, SEVERITY_STYLE
from karstsim.viz import style
from karstsim.viz.i18n import Lang, tr
from karstsim.viz.session import Session

CHARTS = ("forest", "desert", "carbon", "income", "budget")
"""Chart names, in page order."""
FIGURE_SIZE = (5.0, 3.1)
SPENDING_STYLE = {
    "treatment_cost_Myuan": ("#b35806", "use_treatment"),
    "afforestation_cost_Myuan": ("#1b7837", "use_afforestation"),
    "spend_gfg_Myuan": ("#a6d96a", "use_gfg"),
    "spend_rangers_Myuan": ("#2166ac", "use_rangers"),
    "spend_mines_Myuan": ("#8c510a", "use_mines"),
    "spend_carbon_Myuan": ("#35978f", "use_carbon"),
}
_FOREST, _STOCK, _REVENUE, _INCOME, _POVERTY = "#1b7837", "#35978f", "#e08214", "#5e3c99", "#d6604d"

Runs = dict[str, pd.DataFrame]


def first_year_reached(results: pd.DataFrame) -> int | None:
    """The first year forest cover is at least the 64 % goal, or ``None``."""
    reached = results.loc[results["forest_cover_pct"] >= FOREST_TARGET_PCT, "year"]
    return int(reached.iloc[0]) if len(reached) else None


def _prefix(runs: Runs, arm: str) -> str:
    return f"{arm}: " if len(runs) > 1 else ""


def _line(ax: Axes, runs: Runs, arm: str, column: str, colour: str, scale: float = 1.0) -> None:
    table = runs[arm]
    ax.plot(
        table["year"],
        table[column] * scale,
        color=colour,
        ls=style.ARM_LINESTYLE[arm],
        lw=2,
        marker="o",
        ms=2.5,
    )


def _forest(ax: Axes, runs: Runs, lang: Lang) -> list:
    handles = []
    for arm, table in runs.items():
        _line(ax, runs, arm, "forest_cover_pct", _FOREST)
        handles.append(
            Line2D(
                [],
                [],
                color=_FOREST,
                ls=style.ARM_LINESTYLE[arm],
                lw=2,
                label=_prefix(runs, arm) + tr("forest_line", lang),
            )
        )
        year = first_year_reached(table)
        if year is not None:
            ax.axvline(year, color="grey", lw=0.8, ls=style.ARM_LINESTYLE[arm])
            ax.annotate(
                tr("reached", lang, arm=_prefix(runs, arm), year=year),
                (year, FOREST_TARGET_PCT),
                textcoords="offset points",
                xytext=(4, -12 - 10 * list(runs).index(arm)),
                fontsize=8,
            )
    ax.axhline(FOREST_TARGET_PCT, color="k", ls=":", lw=1.2)
    handles.append(Line2D([], [], color="k", ls=":", lw=1.2, label=tr("target_line", lang)))
    values = pd.concat([t["forest_cover_pct"] for t in runs.values()])
    ax.set_ylim(min(values.min(), FOREST_TARGET_PCT) - 1, max(values.max(), FOREST_TARGET_PCT) + 1)
    ax.set_ylabel(tr("pct_land", lang))
    return handles


def _stacked_bars(ax: Axes, runs: Runs, layers: dict[str, tuple[str, str]], lang: Lang) -> list:
    """Bars per year stacked by ``layers`` (column → (colour, label key)); B's beside A's,
    hatched."""
    width = 0.8 / len(runs)
    for index, (arm, table) in enumerate(runs.items()):
        offset = (index - (len(runs) - 1) / 2) * width
        bottom = 0.0
        for column, (colour, _) in layers.items():
            ax.bar(
                table["year"] + offset,
                table[column],
                width,
                bottom=bottom,
                color=colour,
                hatch="//" if arm == "B" else None,
                edgecolor="white",
                linewidth=0.3,
            )
            bottom = bottom + table[column]
    ax.set_ylim(bottom=0)
    return [Line2D([], [], color=c, lw=6, label=tr(key, lang)) for c, key in layers.values()]


def _desert(ax: Axes, runs: Runs, lang: Lang) -> list:
    layers = {column: SEVERITY_STYLE[s] for column, s in SEVERITY_SERIES.items()}
    ax.set_ylabel(tr("km2", lang))
    return _stacked_bars(ax, runs, layers, lang)


def _twin(
    ax: Axes,
    runs: Runs,
    lang: Lang,
    left: tuple[str, str, str, float],
    right: tuple[str, str, str, float],
) -> list:
    twin = ax.twinx()
    for axis, (column, colour, key, scale) in ((ax, left), (twin, right)):
        for arm in runs:
            _line(axis, runs, arm, column, colour, scale)
        axis.set_ylabel(tr(key, lang), color=colour)
        axis.set_ylim(bottom=0)
    return [
        Line2D([], [], color=colour, lw=2, label=tr(key, lang))
        for _, colour, key, _ in (left, right)
    ]


def _carbon(ax: Axes, runs: Runs, lang: Lang) -> list:
    return _twin(
        ax,
        runs,
        lang,
        ("carbon_stock_MtC", _STOCK, "MtC", 1.0),
        ("carbon_revenue_Myuan", _REVENUE, "carbon_revenue", 1.0),
    )


def _income(ax: Axes, runs: Runs, lang: Lang) -> list:
    return _twin(
        ax,
        runs,
        lang,
        ("household_income_mean_yuan", _INCOME, "income_axis", 1.0),
        ("poverty_share", _POVERTY, "poverty_axis", 100.0),
    )


def _budget(ax: Axes, runs: Runs, lang: Lang) -> list:
    ax.set_ylabel(tr("budget_axis", lang))
    return _stacked_bars(ax, runs, SPENDING_STYLE, lang)


_DRAW = {
    "forest": _forest,
    "desert": _desert,
    "carbon": _carbon,
    "income": _income,
    "budget": _budget,
}


def draw_chart(name: str, runs: Runs, lang: Lang) -> Figure:
    """Chart ``name`` (one of :data:`CHARTS`) of the runs' yearly results."""
    fig = style.new_figure(*FIGURE_SIZE)
    ax = fig.add_axes((0.13, 0.14, 0.72, 0.74))
    ax.set_title(tr(f"chart_{name}", lang), fontsize=10)
    if runs:
        handles = _DRAW[name](ax, runs, lang)
        ax.legend(handles=handles, fontsize=7, loc="best", framealpha=0.7)
        start = min(int(t["year"].iloc[0]) for t in runs.values())
        end = max(int(t["year"].iloc[-1]) for t in runs.values())
        ax.set_xlim(start - 0.6, max(end, start + 5) + 0.6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(tr("year", lang), fontsize=8)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    if len(runs) > 1:
        fig.text(0.99, 0.01, tr("solid_dashed", lang), ha="right", va="bottom", fontsize=7)
    return fig


def chart_images(runs: Runs, lang: Lang) -> dict[str, bytes]:
    """Every chart as PNG bytes, by name."""
    return {name: style.png_bytes(draw_chart(name, runs, lang)) for name in CHARTS}


@solara.component
def ChartsPanel(session: Session) -> None:
    """The five charts, each with a short explanation in classroom mode."""
    lang = session.lang.value
    version = (session.run_version.value, session.setup_version.value)
    controller = session.controller

    def render() -> dict[str, bytes]:
        with controller.lock:
            runs = controller.results()
        return chart_images(runs, lang)

    images = solara.use_memo(render, [version, lang])
    session.figures["charts"] = images
    explain = session.classroom.value
    with solara.Row(classes=["karst-charts"], style={"flex-wrap": "wrap", "gap": "8px"}):
        for name, png in images.items():
            with solara.Column(classes=["karst-chart-box"], gap="0px"):
                solara.Image(png, width="100%", classes=[f"karst-chart-{name}"])
                if explain:
                    solara.Text(tr(f"explain_{name}", lang), classes=["karst-explain"])
