"""Downloads: the runs' yearly table as CSV and the figures on the page as one PNG."""

from __future__ import annotations

import io

import pandas as pd
import solara
from PIL import Image

from karstsim.viz.controller import Controller
from karstsim.viz.i18n import tr
from karstsim.viz.session import Session


def results_csv(controller: Controller) -> bytes:
    """The yearly results of the whole map as CSV; in compare mode one block per lever set
    (``lever_set``)."""
    with controller.lock:
        runs = controller.results()
    return _csv(runs)


def regions_csv(controller: Controller) -> bytes:
    """Every year's row of every region of the map (the table by region, all years and
    all columns) as CSV; in compare mode one block per lever set (``lever_set``)."""
    with controller.lock:
        runs = controller.regional_results()
    return _csv(runs)


def _csv(runs: dict[str, pd.DataFrame]) -> bytes:
    if len(runs) == 1:
        table = next(iter(runs.values()))
    elif runs:
        table = pd.concat([t.assign(lever_set=arm) for arm, t in runs.items()], ignore_index=True)
        table = table[["lever_set", *(c for c in table.columns if c != "lever_set")]]
    else:
        table = pd.DataFrame()
    return table.to_csv(index=False).encode("utf-8")


def figure_sheet(figures: dict[str, dict[str, bytes]]) -> bytes:
    """The maps on a first row and the charts below, three a row, as one PNG."""
    maps = list(figures.get("map", {}).values())
    charts = list(figures.get("charts", {}).values())
    rows = [row for row in [maps, charts[:3], charts[3:]] if row]
    images = [[Image.open(io.BytesIO(png)).convert("RGB") for png in row] for row in rows]
    width = max((sum(im.width for im in row) for row in images), default=1)
    height = sum((max(im.height for im in row) for row in images), start=0) or 1
    sheet = Image.new("RGB", (width, height), "white")
    top = 0
    for row in images:
        left = 0
        for im in row:
            sheet.paste(im, (left, top))
            left += im.width
        top += max(im.height for im in row)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()


@solara.component
def Downloads(session: Session) -> None:
    """Buttons that download the yearly table and the current figures."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe: file names follow the set-up)
    controller = session.controller
    stem = f"karstsim_{controller.arms['A'].preset}_seed{controller.seed}"
    with solara.Row(gap="8px", classes=["karst-downloads"], style={"align-items": "center"}):
        solara.Text(tr("downloads", lang))
        solara.FileDownload(
            lambda: results_csv(controller),
            filename=f"{stem}.csv",
            label=tr("download_csv", lang),
            mime_type="text/csv",
        )
        if controller.region_level is not None:
            solara.FileDownload(
                lambda: regions_csv(controller),
                filename=f"{stem}_regions.csv",
                label=tr("download_regions_csv", lang),
                mime_type="text/csv",
            )
        solara.FileDownload(
            lambda: figure_sheet(session.figures),
            filename=f"{stem}_figures.png",
            label=tr("download_png", lang),
            mime_type="image/png",
        )
