"""The charts: forest cover against the 64 % goal, desertified area by class, carbon stock
and revenue, household income and poverty, and budget spent by use. In compare mode each
chart overlays both lever sets (A solid, B dashed; B's bars hatched beside A's).

Building axes and their ticks is most of what a small matplotlib chart costs, so a
:class:`ChartRenderer` keeps its figures and only replaces what it drew last time.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pandas as pd
import solara
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

import karstsim.viz.style as style
from karstsim.experiments.figures import FOREST_TARGET_PCT, SEVERITY_SERIES, SEVERITY_STYLE
from karstsim.model.outputs import FOREST_COVER_TARGET
from karstsim.viz.i18n import Lang, tr
from karstsim.viz.session import Session

CHARTS = ("forest", "desert", "carbon", "income", "budget")
"""Chart names, in page order."""
DIFFERENCE_CHART = "difference"
"""The chart of B − A over the years, after the others in compare mode."""
TWIN_AXES = ("carbon", "income")
"""Charts with a second y axis on the right."""
FIGURE_SIZE = (5.0, 3.1)
X_SPAN_YEARS = 15
"""Years the x axis spans at least, so it stays put while a run goes on."""
HEADROOM = 0.5
"""Space left above the data for the legend, as a share of the data's range (a fixed
legend place is much cheaper to draw than matplotlib's "best" one)."""
SPENDING_STYLE = {
    "treatment_cost_Myuan": ("#b35806", "use_treatment"),
    "afforestation_cost_Myuan": ("#1b7837", "use_afforestation"),
    "spend_gfg_Myuan": ("#a6d96a", "use_gfg"),
    "spend_rangers_Myuan": ("#2166ac", "use_rangers"),
    "spend_mines_Myuan": ("#8c510a", "use_mines"),
    "spend_carbon_Myuan": ("#35978f", "use_carbon"),
    "spend_zoning_Myuan": ("#762a83", "use_zoning"),
    "spend_grassland_Myuan": ("#dfc27d", "use_grassland"),
    "spend_wetland_Myuan": ("#4393c3", "use_wetland"),
    "spend_relocation_Myuan": ("#b2182b", "use_relocation"),
}
_FOREST, _STOCK, _REVENUE, _INCOME, _POVERTY = "#1b7837", "#35978f", "#e08214", "#5e3c99", "#d6604d"

Runs = dict[str, pd.DataFrame]
TARGET_TEXT = {
    "threshold": FOREST_COVER_TARGET.threshold,
    "deadline": FOREST_COVER_TARGET.deadline,
}
"""The forest-cover target's numbers for the interface texts."""


def first_year_reached(results: pd.DataFrame) -> int | None:
    """The first year forest cover reaches the plan's goal, or ``None``."""
    reached = results.loc[results["forest_cover_pct"] >= FOREST_TARGET_PCT, "year"]
    return int(reached.iloc[0]) if len(reached) else None


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ that is at least ``value`` (1 for
    ``value`` ≤ 0): axis limits that change only now and then as a run goes on."""
    if not value > 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    steps = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
    return next(m * power for m in steps if m * power >= value * (1 - 1e-12))


def _prefix(runs: Runs, arm: str) -> str:
    return f"{arm}: " if len(runs) > 1 else ""


def _line(ax: Axes, table: pd.DataFrame, arm: str, column: str, colour: str, scale: float) -> None:
    ax.plot(
        table["year"].to_numpy(),
        table[column].to_numpy() * scale,
        color=colour,
        ls=style.ARM_LINESTYLE[arm],
        lw=2,
        marker="o",
        ms=2.5,
        animated=True,
    )


def _forest(axes: list[Axes], runs: Runs, lang: Lang) -> list:
    ax = axes[0]
    handles = []
    for index, (arm, table) in enumerate(runs.items()):
        _line(ax, table, arm, "forest_cover_pct", _FOREST, 1.0)
        label = _prefix(runs, arm) + tr("forest_line", lang)
        handles.append(Line2D([], [], color=_FOREST, ls=style.ARM_LINESTYLE[arm], label=label))
        year = first_year_reached(table)
        if year is not None:
            ax.axvline(year, color="grey", lw=0.8, ls=style.ARM_LINESTYLE[arm])
            ax.annotate(
                tr("reached", lang, arm=_prefix(runs, arm), year=year),
                (year, FOREST_TARGET_PCT),
                textcoords="offset points",
                xytext=(4, -12 - 10 * index),
                fontsize=8,
            )
    ax.axhline(FOREST_TARGET_PCT, color="k", ls=":", lw=1.2)
    handles.append(
        Line2D([], [], color="k", ls=":", lw=1.2, label=tr("target_line", lang, **TARGET_TEXT))
    )
    values = np.concatenate([t["forest_cover_pct"].to_numpy() for t in runs.values()])
    low = 2 * math.floor((min(values.min(), FOREST_TARGET_PCT) - 1) / 2)
    high = max(values.max(), FOREST_TARGET_PCT)
    ax.set_ylim(low, 2 * math.ceil((high + HEADROOM * (high - low)) / 2))
    ax.set_ylabel(tr("pct_land", lang))
    return handles


def _stacked_bars(ax: Axes, runs: Runs, layers: dict[str, tuple[str, str]], lang: Lang) -> list:
    """Bars per year stacked by ``layers`` (column → (colour, label key)); B's beside A's,
    hatched. One collection per layer (far cheaper than a patch per bar)."""
    width = 0.8 / len(runs)
    top = 0.0
    for index, (arm, table) in enumerate(runs.items()):
        x = table["year"].to_numpy(dtype=float) + (index - (len(runs) - 1) / 2) * width
        left, right = x - width / 2, x + width / 2
        bottom = np.zeros_like(x)
        for column, (colour, _) in layers.items():
            height = bottom + table[column].to_numpy(dtype=float)
            corners = [(left, bottom), (right, bottom), (right, height), (left, height)]
            vertices = np.stack([np.column_stack(c) for c in corners], axis=1)
            ax.add_collection(
                PolyCollection(
                    vertices,
                    facecolors=colour,
                    edgecolors="white",
                    linewidths=0.3,
                    hatch="//" if arm == "B" else None,
                    animated=True,
                )
            )
            bottom = height
        top = max(top, float(bottom.max(initial=0.0)))
    ax.set_ylim(0, nice_ceiling(top * (1 + HEADROOM)))
    return [Line2D([], [], color=c, lw=6, label=tr(key, lang)) for c, key in layers.values()]


def _desert(axes: list[Axes], runs: Runs, lang: Lang) -> list:
    axes[0].set_ylabel(tr("km2", lang))
    layers = {column: SEVERITY_STYLE[s] for column, s in SEVERITY_SERIES.items()}
    return _stacked_bars(axes[0], runs, layers, lang)


def _two_scales(
    axes: list[Axes], runs: Runs, lang: Lang, *series: tuple[str, str, str, str, float]
) -> list:
    """One series on the left axis and one on the right:
    (column, colour, label key, unit key, scale)."""
    for ax, (column, colour, _, unit_key, scale) in zip(axes, series, strict=True):
        shown = all(column in t for t in runs.values())
        ax.yaxis.set_visible(shown)
        if not shown:
            ax.set_ylim(0, 1)
            continue
        for arm, table in runs.items():
            _line(ax, table, arm, column, colour, scale)
        ax.set_ylabel(tr(unit_key, lang), color=colour)
        top = max(float(t[column].max()) * scale for t in runs.values())
        ax.set_ylim(0, nice_ceiling(top * (1 + HEADROOM)))
    first = next(iter(runs.values()))
    return [
        Line2D([], [], color=c, lw=2, label=tr(key, lang))
        for column, c, key, _, _ in series
        if column in first
    ]


def _carbon(axes: list[Axes], runs: Runs, lang: Lang) -> list:
    return _two_scales(
        axes,
        runs,
        lang,
        ("carbon_stock_MtC", _STOCK, "carbon_stock", "unit_MtC", 1.0),
        ("carbon_revenue_Myuan", _REVENUE, "carbon_revenue", "unit_Myuan_yr", 1.0),
    )


def _income(axes: list[Axes], runs: Runs, lang: Lang) -> list:
    return _two_scales(
        axes,
        runs,
        lang,
        ("household_income_mean_yuan", _INCOME, "mean_income", "unit_yuan_hh", 1.0),
        ("poverty_share", _POVERTY, "poverty_share", "unit_poverty_axis", 100.0),
    )


def _budget(axes: list[Axes], runs: Runs, lang: Lang) -> list:
    axes[0].set_ylabel(tr("budget_axis", lang))
    if any(column not in t for t in runs.values() for column in SPENDING_STYLE):
        axes[0].set_ylim(0, 1)
        axes[0].text(
            0.5, 0.5, tr("whole_map_only", lang), transform=axes[0].transAxes,
            ha="center", va="center", fontsize=9, color="#555",
        )  # fmt: skip
        return []
    return _stacked_bars(axes[0], runs, SPENDING_STYLE, lang)


DIFFERENCE_SERIES = {
    "forest_cover_pct": (_FOREST, "card_forest"),
    "desertified_km2": ("#b35806", "card_desert"),
    "carbon_stock_MtC": (_STOCK, "card_carbon"),
    "household_income_mean_yuan": (_INCOME, "card_income"),
    "budget_spent_Myuan": ("#555555", "card_budget"),
}
"""The figures the compare chart follows (B − A as a share of A), with colour and label."""


def _difference(axes: list[Axes], runs: Runs, lang: Lang) -> list:
    """B − A of the key figures year by year, as % of A's value: one line each."""
    ax = axes[0]
    a, b = runs["A"], runs["B"].set_index("year").reindex(runs["A"]["year"]).reset_index()
    handles, largest = [], 0.0
    for column, (colour, key) in DIFFERENCE_SERIES.items():
        if column not in a or column not in b:
            continue
        base = a[column].abs().where(a[column] != 0)
        share = ((b[column] - a[column]) / base * 100).to_numpy()
        ax.plot(a["year"].to_numpy(), share, color=colour, lw=2, animated=True)
        handles.append(Line2D([], [], color=colour, lw=2, label=tr(key, lang, **TARGET_TEXT)))
        largest = max(largest, float(np.nanmax(np.abs(share), initial=0.0)))
    limit = nice_ceiling(max(largest, 1.0) * (1 + HEADROOM))
    ax.set_ylim(-limit, limit)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_ylabel(tr("difference_axis", lang), fontsize=8)
    return handles


_DRAW = {
    "forest": _forest,
    "desert": _desert,
    "carbon": _carbon,
    "income": _income,
    "budget": _budget,
    DIFFERENCE_CHART: _difference,
}


def _new_chart(name: str) -> tuple[style.LayeredFigure, list[Axes]]:
    fig = style.new_figure(*FIGURE_SIZE)
    ax = fig.add_axes((0.15, 0.14, 0.68, 0.74))
    ax.grid(alpha=0.3)
    axes = [ax, ax.twinx()] if name in TWIN_AXES else [ax]
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    for axis in axes:  # few tick labels: each text costs about as much as a whole line
        axis.yaxis.set_major_locator(MaxNLocator(nbins=4))
        axis.tick_params(labelsize=8)
    return style.LayeredFigure(fig), axes


def _clear(fig: Figure, axes: list[Axes]) -> None:
    for text in list(fig.texts):
        text.remove()
    for ax in axes:
        for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()


class ChartRenderer:
    """Draws the charts as PNGs into figures it keeps from one call to the next."""

    def __init__(self) -> None:
        self._charts = {name: _new_chart(name) for name in (*CHARTS, DIFFERENCE_CHART)}
        self._lock = threading.Lock()

    def render(self, runs: Runs, lang: Lang) -> dict[str, bytes]:
        """Every chart of ``runs`` (results by lever set) as PNG bytes, by name; with lever
        sets A and B, also :data:`DIFFERENCE_CHART`."""
        names = (*CHARTS, DIFFERENCE_CHART) if set(runs) == {"A", "B"} else CHARTS
        with self._lock:
            return {name: self._render_one(name, runs, lang) for name in names}

    def _render_one(self, name: str, runs: Runs, lang: Lang) -> bytes:
        layered, axes = self._charts[name]
        fig = layered.fig
        _clear(fig, axes)
        ax = axes[0]
        ax.set_title(tr(f"chart_{name}", lang), fontsize=10)
        ax.set_xlabel(tr("year", lang), fontsize=8)
        handles = []
        if runs:
            handles = _DRAW[name](axes, runs, lang)
            start = min(int(t["year"].iloc[0]) for t in runs.values())
            end = max(int(t["year"].iloc[-1]) for t in runs.values())
            ax.set_xlim(start - 0.6, max(end, start + X_SPAN_YEARS) + 0.6)
        if len(runs) > 1 and name != DIFFERENCE_CHART:
            fig.text(0.99, 0.01, tr("solid_dashed", lang), ha="right", va="bottom", fontsize=7)
        background = (
            lang,
            tuple(runs),
            ax.get_xlim(),
            tuple((a.get_ylim(), a.yaxis.get_visible()) for a in axes),
            tuple(t.get_text() for t in ax.texts),
        )
        if handles and layered.redraws(background):  # a kept background has its legend
            ax.legend(handles=handles, fontsize=7, loc="upper left", ncol=2, framealpha=0.8)
        return layered.png(background)


@solara.component
def ChartsPanel(session: Session) -> None:
    """The five charts, each with a short explanation in classroom mode."""
    lang = session.lang.value
    version = (session.run_version.value, session.setup_version.value)
    controller = session.controller
    renderer = solara.use_memo(ChartRenderer, [])

    region = session.region.value

    def render() -> dict[str, bytes]:
        with controller.lock:
            runs = controller.shown_results()
        return renderer.render(runs, lang)

    images = solara.use_memo(render, [version, lang, region])
    session.figures["charts"] = images
    session.drawn.drawn(version[0])
    explain = session.classroom.value
    with solara.Row(classes=["karst-charts"], style={"flex-wrap": "wrap", "gap": "8px"}):
        for name, png in images.items():
            with solara.Column(classes=["karst-chart-box"], gap="0px"):
                solara.Image(png, width="100%", classes=[f"karst-chart-{name}"])
                if explain:
                    solara.Text(tr(f"explain_{name}", lang), classes=["karst-explain"])
