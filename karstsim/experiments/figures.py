"""Figures of a run: land-cover and severity maps, and the dashboard of main series.

Matplotlib only (it renders offline and in any language with the right font).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from karstsim.agents.mines import MineStatus
from karstsim.model import geography, regions
from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import LandCover, Landscape, Severity
from karstsim.model.outputs import FOREST_COVER_TARGET

LAND_COVER_STYLE = {
    LandCover.FOREST: ("#1b7837", "forest"),
    LandCover.SHRUB: ("#7fbf7b", "special shrubland"),
    LandCover.OTHER_FOREST: ("#c2a5cf", "other forest land"),
    LandCover.GRASS: ("#d9f0a3", "grassland"),
    LandCover.GARDEN: ("#b8e186", "garden land"),
    LandCover.CROPLAND: ("#fdb863", "cropland"),
    LandCover.BARE_ROCK: ("#bababa", "unused land"),
    LandCover.MINE: ("#8c510a", "mine"),
    LandCover.BUILT: ("#d6604d", "built"),
    LandCover.TRANSPORT: ("#636363", "transport"),
    LandCover.WATER: ("#4393c3", "water"),
}
SEVERITY_STYLE = {
    Severity.NONE: ("#f7f7f7", "none"),
    Severity.POTENTIAL: ("#fee8c8", "potential"),
    Severity.LIGHT: ("#fdbb84", "light"),
    Severity.MODERATE: ("#fc8d59", "moderate"),
    Severity.SEVERE: ("#d7301f", "severe"),
    Severity.EXTREME: ("#7f0000", "extreme"),
}
SEVERITY_SERIES = {
    "desert_light_km2": Severity.LIGHT,
    "desert_moderate_km2": Severity.MODERATE,
    "desert_severe_km2": Severity.SEVERE,
    "desert_extreme_km2": Severity.EXTREME,
}
FOREST_TARGET_PCT = FOREST_COVER_TARGET.threshold
"""The plan's binding forest-cover goal, % (declared in :mod:`karstsim.model.outputs`)."""


def categorical_map(
    ax: plt.Axes, codes: np.ndarray, land: np.ndarray, style: dict, title: str
) -> None:
    """Draw integer ``codes`` with the colours and legend of ``style``; sea is white."""
    colours = [style[k][0] for k in sorted(style)]
    shown = np.ma.masked_where(~land, codes)
    ax.imshow(
        shown,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        interpolation="nearest",
    )
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    handles = [Patch(color=c, label=label) for c, label in (style[k] for k in sorted(style))]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False
    )


MINE_STYLE = {
    MineStatus.ACTIVE: ("#5a3200", "x", "active mine"),
    MineStatus.GREEN: ("#00a651", "^", "green mine"),
    MineStatus.CLOSED: ("#7f7f7f", "v", "closed mine"),
    MineStatus.LEGACY: ("#000000", "s", "legacy mine"),
    MineStatus.RESTORING: ("#e6a100", "D", "mine under restoration"),
    MineStatus.RESTORED: ("#1f78b4", "o", "restored mine"),
}


def draw_actors(ax: plt.Axes, model: KarstModel) -> list:
    """Corridors (outline), villages, ranger posts and mines over a map; returns legend handles."""
    return draw_places(ax, model.landscape.on_grid()) + draw_moving_actors(ax, model)


def draw_places(ax: plt.Axes, land: Landscape) -> list:
    """What stays put over a map: corridors (outline) and villages; returns legend handles."""
    handles = []
    corridor = (land["corridor"] > 0).astype(float)
    if corridor.any():
        ax.contour(corridor, levels=[0.5], colors="#6a3d9a", linewidths=0.6)
        handles.append(Line2D([], [], color="#6a3d9a", lw=1, label="ecological corridor"))
    rows, cols = np.nonzero(land["village"])
    ax.scatter(cols, rows, s=1.5, c="k", marker=".", linewidths=0)
    handles.append(Line2D([], [], color="k", marker=".", ls="", label="village"))
    return handles


def draw_moving_actors(ax: plt.Axes, model: KarstModel) -> list:
    """Ranger posts and mines (by status) over a map; returns legend handles."""
    land = model.landscape.on_grid()
    handles = []
    rows, cols = np.nonzero(land["village"])
    force = model.rangers
    if force.agents():
        counts = np.bincount(force._villages, force._counts, minlength=rows.size)
        posts = np.flatnonzero(counts)
        ax.scatter(
            cols[posts],
            rows[posts],
            s=4 + 30 * counts[posts] / counts.max(),
            c="#2166ac",
            marker="P",
            linewidths=0,
            alpha=0.7,
        )
        handles.append(Line2D([], [], color="#2166ac", marker="P", ls="", label="ranger post"))
    mines = model.mines
    width = land.shape[1]
    for status, (colour, marker, label) in MINE_STYLE.items():
        cells = model.landscape.cells[mines.cell[mines.status == status]]
        if cells.size:
            ax.scatter(cells % width, cells // width, s=10, c=colour, marker=marker, linewidths=0.8)
            handles.append(Line2D([], [], color=colour, marker=marker, ls="", label=label))
    return handles


BOUNDARY_COLOUR = "#222222"
BELT_COLOUR = "#8c510a"
RIVER_COLOUR = "#2166ac"


def region_outlines(ax: plt.Axes, landscape: Landscape, level: str, width: float) -> None:
    """Boundaries of the map's regions of ``level`` (one contour per region)."""
    codes = landscape[level]
    for code in np.unique(codes[landscape.land]):
        ax.contour(codes == code, levels=[0.5], colors=BOUNDARY_COLOUR, linewidths=width)


def draw_geography(ax: plt.Axes, landscape: Landscape, lang: str = "en") -> list:
    """On a real map: prefecture (and, on a small map, county) boundaries with their names,
    the mountain belts and rivers at their coordinates, and a scale bar. Returns legend
    handles (none on a synthetic map)."""
    if landscape.geo is None:
        return []
    shape = landscape.shape
    land = landscape.land
    prefectures = np.unique(landscape["prefecture"][land])
    small = prefectures.size == 1
    if small:
        region_outlines(ax, landscape, "county", 0.6)
    region_outlines(ax, landscape, "prefecture", 1.2 if not small else 1.6)
    label_level = "county" if small else "prefecture"
    codes = landscape[label_level]
    table = regions.all_regions()
    for code in np.unique(codes[land]):
        rows, cols = np.nonzero(codes == code)
        if rows.size < 0.002 * land.sum():
            continue
        region = table[str(code)]
        name = region.short_zh if lang == "zh" else region.name_en
        ax.text(
            np.median(cols), np.median(rows), name, ha="center", va="center", fontsize=7,
            color="black", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.6, "lw": 0},
        )  # fmt: skip
    for features, colour, style in (
        (geography.MOUNTAIN_BELTS, BELT_COLOUR, "--"),
        (geography.RIVERS, RIVER_COLOUR, "-"),
    ):
        for feature in features:
            for part in geography.projected_parts(feature, shape, landscape.geo):
                ax.plot(part[:, 0] - 0.5, part[:, 1] - 0.5, color=colour, ls=style, lw=0.9)
    ax.set_xlim(-0.5, shape[1] - 0.5)
    ax.set_ylim(shape[0] - 0.5, -0.5)
    scale_bar(ax, landscape)
    names = {"en": ("mountain belt", "river"), "zh": ("山脉生态带", "河流")}[lang]
    return [
        Line2D([], [], color=BELT_COLOUR, ls="--", lw=1, label=names[0]),
        Line2D([], [], color=RIVER_COLOUR, lw=1, label=names[1]),
    ]


def scale_bar(ax: plt.Axes, landscape: Landscape) -> None:
    """A bar of a round length (km) in the lower left corner."""
    width_km = landscape.shape[1] * landscape.cell_size_km
    length = next(k for k in (500, 200, 100, 50, 20, 10, 5, 2, 1) if k <= width_km / 4)
    cells = length / landscape.cell_size_km
    x0, y0 = 0.04 * landscape.shape[1], 0.95 * landscape.shape[0]
    ax.plot([x0, x0 + cells], [y0, y0], color="black", lw=3, solid_capstyle="butt")
    ax.text(
        x0 + cells / 2,
        y0 - 0.015 * landscape.shape[0],
        f"{length} km",
        ha="center",
        va="bottom",
        fontsize=8,
    )


def write_maps(model: KarstModel, folder: Path) -> list[Path]:
    """Land cover and severity at the start and end year, one PNG each; the end-year land
    cover map shows villages, ranger posts, mines and corridors over it."""
    folder.mkdir(parents=True, exist_ok=True)
    landscape = model.landscape.on_grid()
    land = landscape.land
    start_year = int(model.results()["year"].iloc[0])
    layers = {
        "land_cover": (LAND_COVER_STYLE, "Land cover"),
        "severity": (SEVERITY_STYLE, "Rocky desertification"),
    }
    written = []
    for name, (style, label) in layers.items():
        for when, codes, year in (
            ("start", model.landscape.to_grid(model.start_layers[name]), start_year),
            ("end", landscape[name], model.year),
        ):
            fig, ax = plt.subplots(figsize=(8, 6))
            categorical_map(ax, codes, land, style, f"{label}, {year}")
            place = draw_geography(ax, landscape)
            if name == "land_cover" and when == "end":
                handles = draw_actors(ax, model) + place
                legend = ax.get_legend()
                ax.add_artist(legend)
                ax.legend(
                    handles=handles,
                    loc="lower left",
                    bbox_to_anchor=(1.01, 0),
                    fontsize=8,
                    frameon=False,
                )
            path = folder / f"{name}_{when}.png"
            fig.savefig(path, dpi=110, bbox_inches="tight")
            plt.close(fig)
            written.append(path)
    return written


def dashboard(results: pd.DataFrame, path: Path, title: str = "") -> Path:
    """The main series: forest cover with the plan's target, desertified area by class,
    carbon stock and uptake, and treated area with its cost."""
    years = results["year"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    ax = axes[0, 0]
    ax.plot(years, results["forest_cover_pct"], color="#1b7837", lw=2, label="forest cover")
    ax.axhline(FOREST_TARGET_PCT, color="k", ls="--", lw=1, label=FOREST_COVER_TARGET.line_label)
    reached = results.loc[results["forest_cover_pct"] >= FOREST_TARGET_PCT, "year"]
    if len(reached):
        ax.axvline(reached.iloc[0], color="grey", lw=0.8)
        ax.annotate(
            f"reached {int(reached.iloc[0])}",
            (reached.iloc[0], FOREST_TARGET_PCT),
            textcoords="offset points",
            xytext=(4, -14),
            fontsize=8,
        )
    ax.set_ylabel("% of land")
    ax.set_title("Forest cover")
    ax.legend(fontsize=8)

    ax = axes[0, 1]
    stacks = [results[col] for col in SEVERITY_SERIES]
    ax.stackplot(
        years,
        stacks,
        colors=[SEVERITY_STYLE[s][0] for s in SEVERITY_SERIES.values()],
        labels=[SEVERITY_STYLE[s][1] for s in SEVERITY_SERIES.values()],
    )
    ax.set_ylabel("km²")
    ax.set_title("Rocky-desertified area by class")
    ax.legend(fontsize=8, loc="upper right")

    ax = axes[1, 0]
    ax.plot(years, results["carbon_stock_MtC"], color="#35978f", lw=2)
    ax.set_ylabel("MtC", color="#35978f")
    ax.set_title("Carbon stock (biomass and dead matter) and CO₂ uptake")
    twin = ax.twinx()
    twin.bar(years, results["co2_sequestered_MtCO2"], color="#c7eae5", alpha=0.7, zorder=0)
    if "ecosystem_sink_MtCO2" in results:  # with soil, grassland and wetland carbon
        sink = results["ecosystem_sink_MtCO2"].iloc[1:]  # no flux in the start year
        twin.plot(years.iloc[1:], sink, color="#01665e", lw=1, ls="--")
        twin.set_ylim(bottom=min(0.0, float(sink.min())))
    twin.set_ylabel("MtCO₂ / yr (bars biomass, dashed ecosystem)")

    ax = axes[1, 1]
    ax.plot(years, results["treated_km2_cum"], color="#b35806", lw=2, label="treated (cumulative)")
    ax.set_ylabel("km²")
    ax.set_title("Desertification treatment")
    twin = ax.twinx()
    twin.bar(years, results["treatment_cost_Myuan"], color="#fee0b6", alpha=0.7)
    twin.set_ylabel("cost, million yuan / yr")
    for ax in axes[1]:  # lines in front of the bars of their twin axes
        ax.set_zorder(2)
        ax.patch.set_visible(False)
    for ax in axes.ravel():
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    fig.suptitle(f"karstsim — {title}" if title else "karstsim")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
