"""Downloads: the runs' yearly table as CSV and the figures on the page as one PNG, each
saying what was run (:func:`provenance`: karstsim's version, the map, seed and year, each
lever set's preset and the levers changed from it, the page's address) and named after it,
so that the files of different runs differ in name."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import solara
from PIL import Image

import karstsim.viz.style as style
import karstsim.viz.url_state as url_state
from karstsim import __version__
from karstsim.viz.controller import Controller
from karstsim.viz.i18n import tr
from karstsim.viz.session import Session


def provenance(controller: Controller) -> list[str]:
    """What was run, one line each: karstsim's version, the map, seed and year shown, each
    lever set's preset and the levers changed from it, and the query of the page's address
    that shows it again."""
    with controller.lock:
        lines = [
            f"karstsim {__version__}; map {controller.grid}; seed {controller.seed}; "
            f"year {controller.year}"
        ]
        for arm, run in controller.arms.items():
            changed = ", ".join(f"{k}={v}" for k, v in sorted(run.overrides().items()))
            lines.append(f"lever set {arm}: preset {run.preset}; changed: {changed or 'none'}")
        lines.append(f"address: ?{url_state.encode(controller, 'en', classroom=False)}")
    return lines


def file_stem(controller: Controller) -> str:
    """The downloads' name: preset, map, seed, year and a digest of the whole set-up (two
    runs that differ in anything have different names)."""
    digest = hashlib.sha1("\n".join(provenance(controller)).encode()).hexdigest()[:8]
    preset = controller.arms["A"].preset
    return f"karstsim_{preset}_{controller.grid}_seed{controller.seed}_{controller.year}_{digest}"


def results_csv(controller: Controller) -> bytes:
    """The yearly results of the whole map as CSV, after ``#`` lines of :func:`provenance`
    (``pandas.read_csv(path, comment="#")``); in compare mode one block per lever set
    (``lever_set``)."""
    with controller.lock:
        runs = controller.results()
    return _csv(runs, provenance(controller))


def regions_csv(controller: Controller) -> bytes:
    """Every year's row of every region of the map (the table by region, all years and
    all columns) as CSV after ``#`` lines of :func:`provenance`; in compare mode one block
    per lever set (``lever_set``)."""
    with controller.lock:
        runs = controller.regional_results()
    return _csv(runs, provenance(controller))


def _csv(runs: dict[str, pd.DataFrame], about: list[str]) -> bytes:
    header = "".join(f"# {line}\n" for line in about)
    if len(runs) == 1:
        table = next(iter(runs.values()))
    elif runs:
        table = pd.concat([t.assign(lever_set=arm) for arm, t in runs.items()], ignore_index=True)
        table = table[["lever_set", *(c for c in table.columns if c != "lever_set")]]
    else:
        table = pd.DataFrame()
    return (header + table.to_csv(index=False)).encode("utf-8")


def figure_sheet(figures: dict[str, dict[str, bytes]], title: list[str] | None = None) -> bytes:
    """The maps on a first row and the charts below, three a row, as one PNG, under the
    lines of ``title`` (what was run: :func:`provenance`)."""
    maps = list(figures.get("map", {}).values())
    charts = list(figures.get("charts", {}).values())
    rows = [row for row in [maps, charts[:3], charts[3:]] if row]
    images = [[Image.open(io.BytesIO(png)).convert("RGB") for png in row] for row in rows]
    width = max((sum(im.width for im in row) for row in images), default=1)
    if title:
        images.insert(0, [_title_image(title, width)])
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


def _title_image(lines: list[str], width_px: int) -> Image.Image:
    """``lines`` as a title band ``width_px`` wide (matplotlib: the Chinese font too)."""
    fig = style.new_figure(width_px / style.DPI, (0.3 + 0.2 * len(lines)))
    fig.text(0.005, 0.95, "\n".join(lines), va="top", ha="left", fontsize=10, linespacing=1.3)
    return Image.open(io.BytesIO(style.png_bytes(fig))).convert("RGB")


@solara.component
def Downloads(session: Session) -> None:
    """Buttons that download the yearly table and the current figures."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe: file names follow the set-up)
    controller = session.controller
    session.run_version.value  # noqa: B018  (the year is in the names)
    stem = file_stem(controller)
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
            lambda: figure_sheet(session.figures, provenance(controller)),
            filename=f"{stem}_figures.png",
            label=tr("download_png", lang),
            mime_type="image/png",
        )
