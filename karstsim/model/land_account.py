"""The land account: the one writer of land-class changes and its ledger.

Every change of a cell's land class (the ``land_cover`` layer after the start state) goes
through :func:`change_class` with a *cause* from :data:`CAUSES`; it writes the new class
and records the change in the landscape's :class:`LandLedger` (year, from, to, cause,
cells, by county), as land-change models (CLUE-S, FLUS) report transition matrices. The
ledger's sums reconcile with the class totals every year (``tests/test_land_account.py``).

This module imports nothing of the model's: the landscape holds a ledger, so
:mod:`karstsim.model.layers` imports it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

CAUSES: dict[str, str] = {
    "afforestation": "planting on plantable land: it becomes other forest land (未成林造林地)",
    "grain_for_green": "cropland returned to forest under an approved quota (退耕还林)",
    "plantation_closure": "a planting that survived its closure years becomes forest (成林)",
    "succession": "undisturbed regrowth: unused land → grassland → shrubland → forest",
    "grass_planting": "sown grass on unused land (人工种草)",
    "fire": "a burned stand becomes land without trees (无立木林地, other forest land)",
    "illegal_clearing": "forest or shrubland cleared and sown without permission",
    "abandonment": "cropland given up (before cropland protection)",
    "mine_opening": "a new open pit",
    "mine_restoration": "a restored mine footprint, planted (other forest land)",
    "relocation": "cropland of relocated villages left to grass",
    "wetland_reclamation": "wetland drained and farmed",
    "wetland_restoration": "farmed wetland returned to water and marsh",
    "built_expansion": "towns, villages and roads take land (建设占用)",
    "cropland_balance": "unused land made cropland for cropland taken by building (占补平衡)",
}
"""Every cause a land-class change may have, with what it means."""

READS = ("land_cover", "county")
"""Layers :func:`change_class` reads (a writer of land classes declares them)."""


class LandLedger:
    """Land-class changes recorded year by year: cells per (year, from, to, cause, county).

    ``county`` is the cell's county adcode (0 on synthetic maps).
    """

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int, int, str, int], int] = defaultdict(int)

    def record(
        self, year: int, from_codes: np.ndarray, to_code: int, cause: str, county: np.ndarray
    ) -> None:
        """Record cells of classes ``from_codes`` (one per cell, with its ``county``) that
        become ``to_code`` for ``cause`` in ``year``; cells already of ``to_code`` are no
        change and are not recorded."""
        if cause not in CAUSES:
            raise ValueError(
                f"unknown cause of land change {cause!r}; allowed: {', '.join(CAUSES)}"
            )
        moved = from_codes != to_code
        if not moved.any():
            return
        pairs = np.stack([from_codes[moved].astype(np.int64), county[moved].astype(np.int64)])
        keys, counts = np.unique(pairs, axis=1, return_counts=True)
        for (code, region), n in zip(keys.T.tolist(), counts.tolist(), strict=True):
            self._cells[(year, code, int(to_code), cause, region)] += n

    def net_change(self, year: int, n_classes: int) -> np.ndarray:
        """Cells gained (positive) or lost by each class code in ``year``."""
        net = np.zeros(n_classes, dtype=np.int64)
        for (y, source, target, _, _), n in self._cells.items():
            if y == year:
                net[source] -= n
                net[target] += n
        return net

    def table(
        self,
        class_names: Mapping[int, str],
        cell_area_km2: float,
        regions: Mapping[int, int] | None = None,
    ) -> pd.DataFrame:
        """The ledger as rows ``year, region, from_class, to_class, cause, km2``; counties
        grouped by ``regions`` (county adcode → region code; all in one region 0 if None)."""
        import pandas as pd  # not at import: the command line starts without pandas

        rows: dict[tuple[int, int, str, str, str], float] = defaultdict(float)
        for (year, source, target, cause, county), n in self._cells.items():
            region = 0 if regions is None else regions.get(county, 0)
            key = (year, region, class_names[source], class_names[target], cause)
            rows[key] += n * cell_area_km2
        columns = ["year", "region", "from_class", "to_class", "cause", "km2"]
        table = pd.DataFrame([(*k, v) for k, v in rows.items()], columns=columns)
        return table.sort_values(columns[:5], kind="stable").reset_index(drop=True)


def change_class(land, cells: np.ndarray, to_code: int, cause: str) -> None:
    """Flat-indexed ``cells`` of ``land`` (a :class:`~karstsim.model.layers.Landscape`)
    become land class ``to_code`` this year (``land.year``) for ``cause``: the one writer
    of land-class changes, recorded in ``land.ledger``."""
    cells = np.asarray(cells, dtype=np.intp)
    if cells.size == 0:
        return
    cover = land["land_cover"].ravel()
    county = land["county"].ravel()[cells] if "county" in land else np.zeros(cells.size, np.int32)
    land.ledger.record(land.year, cover[cells], int(to_code), cause, county)
    cover[cells] = to_code
