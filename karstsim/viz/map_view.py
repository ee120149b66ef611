"""The map: one layer of the landscape with villages, ranger posts, mines and corridors
over it and a legend with units; in compare mode, a map of where run B differs from A."""

from __future__ import annotations

import numpy as np
import solara
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from karstsim.experiments.figures import (
    LAND_COVER_STYLE,
    SEVERITY_STYLE,
    categorical_map,
    draw_actors,
)
from karstsim.model.geography import MOUNTAIN_BELTS, RIVERS
from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import FOREST_COVER_CLASSES, Treatment, is_any
from karstsim.viz import style
from karstsim.viz.i18n import UI, Lang, tr
from karstsim.viz.session import Session
from karstsim.viz.widgets import Choice

LAYERS = {
    "land_cover": "layer_land_cover",
    "severity": "layer_severity",
    "carbon": "layer_carbon",
    "treatment": "layer_treatment",
    "corridors": "layer_corridors",
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
FIGURE_SIZE = (6.6, 4.4)
_AXES_BOX = (0.02, 0.08, 0.56, 0.84)


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


def _new_map_figure() -> tuple[Figure, object]:
    fig = style.new_figure(*FIGURE_SIZE)
    return fig, fig.add_axes(_AXES_BOX)


def draw_layer(model: KarstModel, layer: str, lang: Lang, title: str) -> Figure:
    """The map of ``layer`` (a key of :data:`LAYERS`) of ``model`` with the actors over it."""
    fig, ax = _new_map_figure()
    land = model.landscape
    if layer == "carbon":
        shown = np.ma.masked_where(~land.land, land["carbon_tC_ha"])
        vmax = max(float(model.params["forest_carbon_max_tC_ha"]), 1.0)
        image = ax.imshow(shown, cmap=CARBON_CMAP, vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        colorbar = fig.colorbar(image, ax=ax, location="left", fraction=0.04, pad=0.02)
        colorbar.set_label(tr("carbon_unit", lang))
    else:
        codes, source = {
            "land_cover": (land["land_cover"], _styled(LAND_COVER_STYLE, lang)),
            "severity": (land["severity"], _styled(SEVERITY_STYLE, lang)),
            "treatment": (
                land["treatment_mode"],
                {k: (c, tr(key, lang)) for k, (c, key) in TREATMENT_STYLE.items()},
            ),
            "corridors": (land["corridor"], _corridor_style(lang)),
        }[layer]
        categorical_map(ax, codes, land.land, source, title)
        ax.get_legend().set_title(tr("legend_classes", lang), prop={"size": 8})
        ax.add_artist(ax.get_legend())
    handles = draw_actors(ax, model)
    for handle in handles:
        handle.set_label(_label(handle.get_label(), lang))
    ax.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(1.01, 0), fontsize=8, frameon=False
    )
    ax.set_xlabel(tr("map_scale", lang, area=land.cell_area_km2), fontsize=8)
    return fig


def difference_codes(model_a: KarstModel, model_b: KarstModel, layer: str) -> np.ndarray:
    """Per cell, how run B differs from run A on ``layer``.

    Land cover: 0 same, 1 wooded (forest or shrub) only in B, 2 wooded only in A, 3 another
    difference. Severity: class of B minus class of A. Carbon: B − A in tC/ha. Treatment and
    corridors: 1 where they differ, else 0.
    """
    a, b = model_a.landscape, model_b.landscape
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
    name = "treatment_mode" if layer == "treatment" else "corridor"
    return (a[name] != b[name]).astype(int)


def draw_difference(model_a: KarstModel, model_b: KarstModel, layer: str, lang: Lang) -> Figure:
    """Map of where run B differs from run A on ``layer``, with its legend."""
    fig, ax = _new_map_figure()
    land = model_a.landscape.land
    diff = difference_codes(model_a, model_b, layer)
    title = tr("diff_title", lang, year=model_b.year)
    if layer in ("severity", "carbon"):
        limit = max(float(np.abs(diff[land]).max()) if land.any() else 0.0, 1.0)
        cmap = "RdBu_r" if layer == "severity" else "BrBG"
        image = ax.imshow(
            np.ma.masked_where(~land, diff),
            cmap=cmap,
            vmin=-limit,
            vmax=limit,
            interpolation="nearest",
        )
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        colorbar = fig.colorbar(image, ax=ax, location="left", fraction=0.04, pad=0.02)
        colorbar.set_label(tr("diff_severity" if layer == "severity" else "diff_carbon", lang))
    else:
        if layer == "land_cover":
            keys = ("diff_same", "diff_wooded_b", "diff_wooded_a", "diff_other")
            colours = ("#f0f0f0", "#1b7837", "#d6604d", "#fdb863")
        else:
            keys, colours = ("diff_same", "diff_differs"), ("#f0f0f0", "#d6604d")
        ax.imshow(
            np.ma.masked_where(~land, diff),
            cmap=ListedColormap(colours),
            vmin=-0.5,
            vmax=len(colours) - 0.5,
            interpolation="nearest",
        )
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        handles = [Patch(color=c, label=tr(k, lang)) for c, k in zip(colours, keys, strict=True)]
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False
        )
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
    ax.set_xlabel(tr("map_scale", lang, area=model_a.landscape.cell_area_km2), fontsize=8)
    return fig


def map_images(models: dict[str, KarstModel], layer: str, lang: Lang) -> dict[str, bytes]:
    """PNG maps for the page: ``"map"`` (the layer of run A, or of B if A is invalid) and,
    with two runs, ``"diff"`` (where B differs from A)."""
    images: dict[str, bytes] = {}
    if not models:
        return images
    arm, model = next(iter(models.items()))
    layer_name = tr(LAYERS[layer], lang)
    if len(models) > 1:
        title = tr("map_title", lang, layer=layer_name, year=model.year, arm=arm)
    else:
        title = tr("map_title_single", lang, layer=layer_name, year=model.year)
    images["map"] = style.png_bytes(draw_layer(model, layer, lang, title))
    if len(models) > 1:
        images["diff"] = style.png_bytes(draw_difference(models["A"], models["B"], layer, lang))
    return images


@solara.component
def MapPanel(session: Session) -> None:
    """Layer selector and the map (and the difference map in compare mode)."""
    lang = session.lang.value
    version = (session.run_version.value, session.setup_version.value)
    layer = session.layer.value
    controller = session.controller

    def render() -> dict[str, bytes]:
        with controller.lock:
            return map_images(controller.models(), layer, lang)

    images = solara.use_memo(render, [version, layer, lang])
    session.figures["map"] = images
    with solara.Column(classes=["karst-map-panel"]):
        Choice(
            tr("layer", lang),
            {key: tr(label, lang) for key, label in LAYERS.items()},
            layer,
            session.layer.set,
            classes=["karst-layer-select"],
        )
        if not images:
            solara.Text(tr("no_run", lang))
        with solara.Row(classes=["karst-maps"], style={"flex-wrap": "wrap"}):
            for key, png in images.items():
                solara.Image(png, width="100%", classes=[f"karst-{key}"])
