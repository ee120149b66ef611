"""The map: one layer of the landscape with villages, ranger posts, mines and corridors
over it and a legend with units; in compare mode, a map of where run B differs from A.

On a real map the prefecture (and county) boundaries with their names, the mountain belts,
the rivers and a scale bar are drawn over it, and the region whose figures are shown is
outlined. Those, the corridors and the villages do not change from year to year: they are
drawn once per figure and kept as pixels (:attr:`karstsim.viz.style.LayeredFigure.overlay`).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

import numpy as np
import solara
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import MaxNLocator

import karstsim.viz.style as style
from karstsim.experiments.figures import (
    LAND_COVER_STYLE,
    SEVERITY_STYLE,
    categorical_map,
    draw_geography,
    draw_moving_actors,
    draw_places,
)
from karstsim.model import regions
from karstsim.model.geography import MOUNTAIN_BELTS, RIVERS
from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import FOREST_COVER_CLASSES, Landscape, Treatment, is_any
from karstsim.model.processes.carbon import live_carbon_per_m3
from karstsim.viz.charts import nice_ceiling
from karstsim.viz.i18n import UI, Lang, tr
from karstsim.viz.session import Session
from karstsim.viz.url_state import OVERLAYS
from karstsim.viz.widgets import Choice

LAYERS = {
    "land_cover": "layer_land_cover",
    "severity": "layer_severity",
    "carbon": "layer_carbon",
    "treatment": "layer_treatment",
    "corridors": "layer_corridors",
    "zones": "layer_zones",
    "basins": "layer_basins",
    "gep": "layer_gep",
}
"""Map layers the page offers, with their label keys."""

TREATMENT_STYLE = {
    Treatment.NONE: ("#f0f0f0", "treat_none"),
    Treatment.ENCLOSURE: ("#a6dba0", "treat_enclosure"),
    Treatment.AFFORESTATION: ("#1b7837", "treat_afforestation"),
    Treatment.GRASS_PLANTING: ("#dfc27d", "treat_grass"),
    Treatment.ECO_ECONOMIC: ("#c51b7d", "treat_eco"),
}
_BELT_COLOURS = ("#8c510a", "#bf812d", "#762a83", "#9970ab")
_RIVER_COLOURS = (
    "#08519c",
    "#3182bd",
    "#6baed6",
    "#2171b5",
    "#4292c6",
    "#9ecae1",
    "#084594",
    "#c6dbef",
)
CARBON_CMAP = "YlGn"
HIGHLIGHT_COLOUR = "#ff7f00"
"""Outline of the region whose figures are shown."""
FIGURE_SIZE = (8.0, 6.0)
"""Inches at 80 dpi: 640 × 480 px."""
AXES_BOX = (0.01, 0.14, 0.64, 0.80)
"""The map's place in the figure; the legend column is right of it, the strip below it
holds the legend of what is drawn over the map (figure fractions)."""
_LEGEND_COLUMN = (0.67, 0.93)
"""Upper left corner of the classes' legend (figure fractions)."""
_COLOUR_BAR_BOX = (0.70, 0.2, 0.035, 0.7)
"""The colour bar of a numeric layer, in the legend column (figure fractions)."""
_ACTORS_LEGEND_TOP = 0.1
"""Top of the legend of what is drawn over the map, below it (figure fraction)."""


def carbon_ceiling(params) -> float:
    """Top of the carbon map's colour scale: live carbon of a stand at the yield curve's
    asymptote on a rock-free site, tC/ha."""
    return float(params["stand_volume_max_m3_ha"]) * live_carbon_per_m3(params)


GEP_CMAP = "YlOrBr"


def gep_density(model: KarstModel) -> np.ndarray:
    """GEP per km² of every cell's county this year (a county map; every cell its own on a
    map without counties), M yuan/km²/yr, on the grid (0 off the land)."""
    land = model.landscape
    cells = model.gep_cells
    value = sum(cells.value[s] for s in cells.value) / 1e6 / land.cell_area_km2
    if "county" in land and land.geo is not None:
        _, region = np.unique(land.on_land(land["county"]), return_inverse=True)
        totals = np.bincount(region, weights=value)
        value = (totals / np.bincount(region))[region]
    if land.grid_land is not None:  # layers hold the land cells only
        return land.to_grid(value)
    grid = np.zeros(land.grid_shape)
    grid[land.land] = value
    return grid


def _label(text: str, lang: Lang) -> str:
    """Translation of an English label used as a key in :data:`UI` (itself if unknown)."""
    return tr(text, lang) if text in UI else text


def _styled(source: dict, lang: Lang) -> dict:
    return {code: (colour, _label(label, lang)) for code, (colour, label) in source.items()}


def _corridor_style(lang: Lang) -> dict:
    features = [(c, f) for c, f in zip(_BELT_COLOURS, MOUNTAIN_BELTS, strict=True)]
    features += [(c, f) for c, f in zip(_RIVER_COLOURS, RIVERS, strict=True)]
    style_ = {0: ("#f0f0f0", tr("corridor_none", lang))}
    for code, (colour, feature) in enumerate(features, start=1):
        style_[code] = (colour, feature.name_zh if lang == "zh" else feature.name_en)
    return style_


ZONE_STYLE = {
    0: ("#f0f0f0", "zone_none"),
    1: ("#fdae61", "zone_red_line"),
    2: ("#d7191c", "zone_protected_area"),
    3: ("#abd9e9", "zone_wetland"),
    4: ("#2c7bb6", "zone_wetland_protected"),
}
"""Codes of the zoning map: red line, protected area (inside it), wetland, protected wetland."""


def zone_codes(land: Landscape) -> np.ndarray:
    """Per cell, its :data:`ZONE_STYLE` code (a wetland shows over the red line)."""
    codes = np.zeros(land.shape, dtype=np.int8)
    for code, name in enumerate(("red_line", "protected_area", "wetland", "wetland_protected"), 1):
        codes[land[name]] = code
    return codes


def basin_codes(model: KarstModel) -> np.ndarray:
    """Per cell, 1 + its compensation basin (the nearest of the eight rivers), + 8 in an
    upstream unit; 0 off land."""
    land, scheme = model.landscape.on_grid(), model.compensation
    codes = np.zeros(land.shape, dtype=np.int8)
    upstream = scheme.upstream[scheme.unit]
    codes[land.land] = 1 + scheme.basin + len(RIVERS) * upstream
    return codes


def _basin_layer(model: KarstModel, lang: Lang) -> tuple[np.ndarray, dict]:
    """The basins on this map, numbered 0… in :func:`basin_codes`' order, and their style
    (downstream halves lighter)."""
    codes = basin_codes(model)
    land = model.landscape.grid_mask
    present = np.unique(codes[land])
    style_ = {}
    for number, code in enumerate(present.tolist()):
        index, upstream = (code - 1) % len(RIVERS), code > len(RIVERS)
        river = RIVERS[index]
        name = river.name_zh if lang == "zh" else river.name_en
        colour = _RIVER_COLOURS[index] if upstream else _blend(_RIVER_COLOURS[index], 0.55)
        key = "basin_upstream" if upstream else "basin_downstream"
        style_[number] = (colour, tr(key, lang, basin=name))
    compact = np.zeros_like(codes)
    compact[land] = np.searchsorted(present, codes[land])
    return compact, style_


def _blend(colour: str, white: float) -> str:
    """``colour`` mixed with ``white`` (0–1) of white."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    mixed = rgb + (255.0 - rgb) * white
    return "#" + "".join(f"{round(v):02x}" for v in mixed)


def _layer_style(model: KarstModel, layer: str, lang: Lang) -> tuple[np.ndarray, dict]:
    land = model.landscape.on_grid()
    if layer == "zones":
        return zone_codes(land), {k: (c, tr(key, lang)) for k, (c, key) in ZONE_STYLE.items()}
    if layer == "basins":
        return _basin_layer(model, lang)
    return {
        "land_cover": (land["land_cover"], _styled(LAND_COVER_STYLE, lang)),
        "severity": (land["severity"], _styled(SEVERITY_STYLE, lang)),
        "treatment": (
            land["treatment_mode"],
            {k: (c, tr(key, lang)) for k, (c, key) in TREATMENT_STYLE.items()},
        ),
        "corridors": (land["corridor"], _corridor_style(lang)),
    }[layer]


def _colorbar(fig: Figure, cmap: str, limits: tuple[float, float], label: str) -> None:
    """A colour bar with five round ticks and the unit, in the legend column (once per
    figure)."""
    if len(fig.axes) > 1:
        return
    bar = fig.colorbar(ScalarMappable(Normalize(*limits), cmap), cax=fig.add_axes(_COLOUR_BAR_BOX))
    bar.locator = MaxNLocator(5)
    bar.update_ticks()
    bar.ax.tick_params(labelsize=9)
    bar.set_label(label, fontsize=9)


def _to_legend_column(ax: Axes) -> None:
    """Put the axes' legend (the classes of a categorical map) at the top of the legend
    column, whatever the map's shape."""
    legend = ax.get_legend()
    legend.set_bbox_to_anchor(_LEGEND_COLUMN, transform=ax.figure.transFigure)
    legend.set_loc("upper left")


def _actors_legend(ax: Axes, handles: list[Artist]) -> None:
    """The legend of what is drawn over the map, in rows across the figure below it."""
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, _ACTORS_LEGEND_TOP),
        bbox_transform=ax.figure.transFigure,
        ncol=4,
        fontsize=8,
        frameon=False,
        columnspacing=1.0,
        handletextpad=0.3,
    )


def _clear(ax: Axes, keep: list[Artist]) -> None:
    kept = {id(a) for a in keep}
    for artist in [*ax.images, *ax.collections, *ax.texts, *ax.artists]:
        if id(artist) not in kept:
            artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()


def _year_label(ax: Axes, year: int) -> None:
    ax.text(
        0.02,
        0.98,
        str(year),
        transform=ax.transAxes,
        va="top",
        fontsize=11,
        fontweight="bold",
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
        animated=True,
    )


def _legend_texts(ax: Axes) -> tuple:
    legends = [a for a in ax.artists if isinstance(a, Legend)] + [ax.get_legend()]
    return tuple(t.get_text() for legend in legends if legend for t in legend.get_texts())


def _draw_layer(
    fig: Figure,
    ax: Axes,
    model: KarstModel,
    layer: str,
    lang: Lang,
    seen: dict[str, Artist],
    actors: bool = True,
) -> None:
    """Draw ``layer`` and, with ``actors``, the ranger posts and mines; the legend below the
    map lists every kind in ``seen`` (kinds shown since the figure was made, updated here)
    so it changes only now and then."""
    land = model.landscape.on_grid()
    if layer == "carbon":
        shown = np.ma.masked_where(~land.land, land["carbon_tC_ha"])
        vmax = max(carbon_ceiling(model.params), 1.0)
        ax.imshow(shown, cmap=CARBON_CMAP, vmin=0, vmax=vmax, interpolation="nearest")
        _colorbar(fig, CARBON_CMAP, (0, vmax), tr("carbon_unit", lang))
    elif layer == "gep":
        density = gep_density(model)
        vmax = nice_ceiling(float(density[land.land].max()) if land.land.any() else 1.0)
        shown = np.ma.masked_where(~land.land, density)
        ax.imshow(shown, cmap=GEP_CMAP, vmin=0, vmax=vmax, interpolation="nearest")
        _colorbar(fig, GEP_CMAP, (0, vmax), tr("gep_unit", lang))
    else:
        codes, source = _layer_style(model, layer, lang)
        categorical_map(ax, codes, land.land, source, ax.get_title())
        ax.get_legend().set_title(tr("legend_classes", lang), prop={"size": 8})
        _to_legend_column(ax)
        ax.add_artist(ax.get_legend())
    if actors:
        scale = _marker_scale(land.shape)
        before = len(ax.collections)
        for handle in draw_moving_actors(ax, model):
            handle.set_label(_label(handle.get_label(), lang))
            seen.setdefault(handle.get_label(), handle)
        for collection in ax.collections[before:]:
            collection.set_sizes(collection.get_sizes() * scale)
    if seen:
        _actors_legend(ax, list(seen.values()))


def _marker_scale(shape: tuple[int, int]) -> float:
    """Factor on the actors' marker areas: 1 on a map up to 250 cells wide, less on larger
    ones, so that posts and mines do not cover the province."""
    return float(np.clip(250 / max(shape), 0.3, 1.0))


def difference_codes(model_a: KarstModel, model_b: KarstModel, layer: str) -> np.ndarray:
    """Per cell, how run B differs from run A on ``layer``.

    Land cover: 0 same, 1 wooded (forest or shrub) only in B, 2 wooded only in A, 3 another
    difference. Severity: class of B minus class of A. Carbon: B − A in tC/ha. GEP: B − A of
    the county's GEP per km², M yuan/km². Treatment,
    corridors, zones and basins: 1 where they differ, else 0.
    """
    a, b = model_a.landscape.on_grid(), model_b.landscape.on_grid()
    if layer == "land_cover":
        wooded_a = is_any(a["land_cover"], FOREST_COVER_CLASSES)
        wooded_b = is_any(b["land_cover"], FOREST_COVER_CLASSES)
        codes = np.where(a["land_cover"] != b["land_cover"], 3, 0)
        codes[wooded_b & ~wooded_a] = 1
        codes[wooded_a & ~wooded_b] = 2
        return codes
    if layer == "severity":
        return b["severity"].astype(int) - a["severity"].astype(int)
    if layer == "carbon":
        return b["carbon_tC_ha"] - a["carbon_tC_ha"]
    if layer == "gep":
        return gep_density(model_b) - gep_density(model_a)
    if layer == "zones":
        return (zone_codes(a) != zone_codes(b)).astype(int)
    if layer == "basins":
        return (basin_codes(model_a) != basin_codes(model_b)).astype(int)
    name = "treatment_mode" if layer == "treatment" else "corridor"
    return (a[name] != b[name]).astype(int)


def _draw_difference(
    fig: Figure, ax: Axes, diff: np.ndarray, land: np.ndarray, layer: str, lang: Lang
) -> None:
    if layer in NUMERIC_DIFFERENCES:
        limit = difference_limit(diff, land, 0.1 if layer == "gep" else 1.0)
        cmap = "RdBu_r" if layer == "severity" else "BrBG"
        ax.imshow(
            np.ma.masked_where(~land, diff),
            cmap=cmap,
            vmin=-limit,
            vmax=limit,
            interpolation="nearest",
        )
        key = {"severity": "diff_severity", "carbon": "diff_carbon", "gep": "diff_gep"}[layer]
        _colorbar(fig, cmap, (-limit, limit), tr(key, lang))
    else:
        if layer == "land_cover":
            keys = ("diff_same", "diff_wooded_b", "diff_wooded_a", "diff_other")
            colours = ("#f0f0f0", "#1b7837", "#d6604d", "#fdb863")
        else:
            keys, colours = ("diff_same", "diff_differs"), ("#f0f0f0", "#d6604d")
        style = {
            code: (colour, tr(key, lang))
            for code, (colour, key) in enumerate(zip(colours, keys, strict=True))
        }
        categorical_map(ax, diff, land, style, ax.get_title())
        _to_legend_column(ax)
    if not np.any(diff[land]):
        ax.text(
            0.5,
            0.5,
            tr("diff_none", lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=10,
            bbox={"facecolor": "white", "alpha": 0.8},
        )


NUMERIC_DIFFERENCES = ("severity", "carbon", "gep")
"""Layers whose difference map is a number (a diverging colour scale)."""


def difference_limit(diff: np.ndarray, land: np.ndarray, least: float = 1.0) -> float:
    """Colour-scale limit (±) of a numeric difference map: a round number above the largest
    difference on land, at least ``least``."""
    largest = float(np.abs(diff[land]).max()) if land.any() else 0.0
    return nice_ceiling(max(largest, least))


def draw_overlay(
    ax: Axes,
    land: Landscape,
    lang: Lang,
    region: str | None,
    places: bool,
    geography: bool = True,
) -> tuple[list[Artist], list[Artist]]:
    """What stays put over a map: with ``geography``, that of a real map (boundaries,
    names, belts, rivers, scale bar); the outline of ``region`` (adcode); with ``places``,
    the corridors and villages. Everything is clipped to the map's frame. Returns (the
    artists drawn, their legend handles)."""
    before = set(map(id, ax.get_children()))
    handles = [*draw_places(ax, land)] if places else []
    if geography:
        handles += draw_geography(ax, land, lang)
    if region is not None and land.geo is not None:
        level = regions.all_regions()[region].level
        ax.contour(
            land[level] == int(region), levels=[0.5], colors=HIGHLIGHT_COLOUR, linewidths=2.2
        )
    ax.set_xlim(-0.5, land.shape[1] - 0.5)
    ax.set_ylim(land.shape[0] - 0.5, -0.5)
    for handle in handles:
        handle.set_label(_label(handle.get_label(), lang))
    drawn = [a for a in ax.get_children() if id(a) not in before]
    for artist in drawn:
        artist.set_zorder(artist.get_zorder() + 10)
        artist.set_clip_on(True)
        artist.set_clip_box(ax.bbox)
    return drawn, handles


class MapRenderer:
    """Draws the maps as PNGs. A figure is kept while its map, layer, language, region and
    colour scale stay the same; the map's legends, title and frame are kept as pixels, so
    are the features that stay put (:func:`draw_overlay`), and only the raster, the moving
    actors and the year are drawn again at each step."""

    def __init__(self) -> None:
        self._figures: dict[str, tuple[Hashable, style.LayeredFigure]] = {}
        self._actors: dict[str, Artist] = {}
        self._lock = threading.Lock()

    def _figure(
        self,
        kind: str,
        key: Hashable,
        title: str,
        land: Landscape,
        lang: Lang,
        region: str | None,
        overlays: frozenset[str] = frozenset(OVERLAYS),
    ) -> Axes:
        kept = self._figures.get(kind)
        if kept is not None and kept[0] == key:
            ax = kept[1].fig.axes[0]
            _clear(ax, kept[1].overlay)
            return ax
        fig = style.new_figure(*FIGURE_SIZE)
        ax = fig.add_axes(AXES_BOX)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(tr("map_scale", lang, area=land.cell_area_km2), fontsize=8)
        layered = style.LayeredFigure(fig)
        layered.overlay, handles = draw_overlay(
            ax,
            land,
            lang,
            region,
            places=kind == "map" and "places" in overlays,
            geography="geography" in overlays,
        )
        self._figures[kind] = (key, layered)
        if kind == "map":
            self._actors = {h.get_label(): h for h in handles}
        return ax

    def figure(self, kind: str = "map") -> Figure:
        """The figure last drawn of ``kind`` (``map`` or ``diff``)."""
        return self._figures[kind][1].fig

    def _png(self, kind: str, ax: Axes) -> bytes:
        key, layered = self._figures[kind]
        overlay = {id(a) for a in layered.overlay}
        for artist in [*ax.images, *ax.collections]:
            if id(artist) not in overlay:
                artist.set_animated(True)
        texts = tuple(t.get_text() for t in ax.texts if not t.get_animated())
        return layered.png((key, _legend_texts(ax), texts))

    def render(
        self,
        models: dict[str, KarstModel],
        layer: str,
        lang: Lang,
        region: str | None = None,
        overlays: frozenset[str] = frozenset(OVERLAYS),
    ) -> dict[str, bytes]:
        """PNG maps: ``"map"`` (``layer`` of run A, or of B if A is invalid) and, with two
        runs, ``"diff"`` (where B differs from A); ``region`` (adcode) is outlined; what is
        drawn over them is chosen among :data:`OVERLAYS`."""
        images: dict[str, bytes] = {}
        if not models:
            return images
        arm, model = next(iter(models.items()))
        land = model.landscape.on_grid()
        with self._lock:
            name = tr(LAYERS[layer], lang)
            title = tr("map_title", lang, layer=name, arm=arm) if len(models) > 1 else name
            vmax = carbon_ceiling(model.params) if layer == "carbon" else 0.0
            if layer == "gep":  # the colour bar is the figure's: a new one when its top moves
                vmax = nice_ceiling(float(gep_density(model)[land.land].max()))
            place = (land.shape, land.geo, region, overlays)
            key = (layer, lang, title, vmax, place)
            ax = self._figure("map", key, title, land, lang, region, overlays)
            actors = "actors" in overlays
            _draw_layer(ax.figure, ax, model, layer, lang, self._actors, actors)
            _year_label(ax, model.year)
            images["map"] = self._png("map", ax)
            if len(models) > 1:
                diff = difference_codes(models["A"], models["B"], layer)
                least = 0.1 if layer == "gep" else 1.0
                numeric = layer in NUMERIC_DIFFERENCES
                limit = difference_limit(diff, land.land, least) if numeric else 0
                title = tr("diff_title", lang)
                key = (layer, lang, limit, place)
                ax = self._figure("diff", key, title, land, lang, region, overlays)
                _draw_difference(ax.figure, ax, diff, land.land, layer, lang)
                _year_label(ax, models["B"].year)
                images["diff"] = self._png("diff", ax)
        return images


@solara.component
def MapPanel(session: Session) -> None:
    """Layer selector and the map (and the difference map in compare mode)."""
    lang = session.lang.value
    version = (session.run_version.value, session.setup_version.value)
    layer = session.layer.value
    controller = session.controller

    renderer = solara.use_memo(MapRenderer, [])

    overlays = frozenset(session.overlays.value)

    def render() -> dict[str, bytes]:
        with controller.lock:
            return renderer.render(controller.models(), layer, lang, controller.region, overlays)

    images = solara.use_memo(render, [version, layer, lang, session.region.value, overlays])
    session.figures["map"] = images
    with solara.Column(classes=["karst-map-panel"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
            Choice(
                tr("layer", lang),
                {key: tr(label, lang) for key, label in LAYERS.items()},
                layer,
                session.layer.set,
                classes=["karst-layer-select"],
            )
            with solara.ToggleButtonsMultiple(
                value=list(session.overlays.value),
                on_value=lambda chosen: session.overlays.set(tuple(chosen)),
                dense=True,
                classes=["karst-overlays"],
            ):
                for name in OVERLAYS:
                    solara.Button(
                        tr(f"overlay_{name}", lang), value=name, classes=[f"karst-overlay-{name}"]
                    )
        if not images:
            solara.Text(tr("no_run", lang))
        with solara.Row(classes=["karst-maps"], style={"flex-wrap": "wrap"}):
            for key, png in images.items():
                solara.Image(png, width="100%", classes=[f"karst-{key}"])
