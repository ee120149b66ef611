"""The one writer of land-use changes that agents propose and mines make.

Households only *propose* (:class:`~karstsim.agents.households.LandUseProposals`); mines
report the cells they open and the cells restored. :class:`LandUseResolution` applies
them to the layers in one place, so activation order cannot bias results:

- mines: new pits become mine land, restored footprints are planted (other forest land);
- households' proposals: illegal grazing and clearing are detected with the cell's
  ``detection_prob`` and fined, the rest goes ahead; grazing is recorded; idle cropland
  becomes grass before ``cropland_protection_year`` and stays cropland (fallow) from then
  on; Grain-for-Green offers (steep cropland) are accepted in order of utility up to the
  quota and planted.

The functions that change cells are in :mod:`karstsim.model.land_use`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from karstsim.agents.decisions import GFG_CASH_SHARE, MU_PER_HA, gfg_cash_yuan_ha
from karstsim.agents.household_land import LandUseProposals
from karstsim.model import land_use
from karstsim.model.layers import LandCover, Landscape
from karstsim.model.processes.treatment import START_WRITES
from karstsim.model.streams import stable_order_head


@dataclass(frozen=True)
class Resolution:
    """What the resolution of one year's proposals did."""

    attempts: np.ndarray
    """Flat cells of illegal grazing, then illegal clearing, attempted."""
    caught: np.ndarray
    """For each attempt, whether it was detected."""
    fines_yuan: np.ndarray
    """Fines per household agent, yuan."""
    abandoned: np.ndarray
    """Flat cells of cropland given up."""
    gfg_accepted: np.ndarray
    """Flat cells newly enrolled in Grain-for-Green."""
    in_red_line: np.ndarray
    """For each attempt, whether it was inside the ecological red line."""

    def events(self, cell_area_km2: float) -> dict[str, float]:
        """The year's counted events (outputs)."""
        return {
            "violations_attempted": float(self.attempts.size),
            "violations_detected": float(self.caught.sum()),
            "zone_violations_attempted": float(self.in_red_line.sum()),
            "zone_violations_detected": float((self.caught & self.in_red_line).sum()),
            "cropland_abandoned_km2": self.abandoned.size * cell_area_km2,
            "gfg_new_km2": self.gfg_accepted.size * cell_area_km2,
        }


class LandUseResolution:
    """Applies households' proposals and mines' changes to the layers (the one writer)."""

    writes: ClassVar[tuple[str, ...]] = tuple(
        dict.fromkeys(("grazed", *land_use.WRITES, *START_WRITES))
    )
    reads: ClassVar[tuple[str, ...]] = (
        "detection_prob",
        "owner",
        "land_cover",
        "red_line",
        "county",
    )

    def __init__(self, params: Mapping[str, Any]):
        self.params = params

    def apply_mines(
        self, land: Landscape, new_cells: np.ndarray, restored_cells: np.ndarray
    ) -> None:
        """New open pits become mine land; fully restored footprints are planted (other
        forest land)."""
        land_use.open_mines(land, new_cells)
        land_use.regrow(
            land, restored_cells, self.params, LandCover.OTHER_FOREST, "mine_restoration"
        )

    def resolve(
        self,
        land: Landscape,
        proposals: LandUseProposals,
        gfg_quota_cells: int,
        n_households: int,
        year: int,
        rng: np.random.Generator,
    ) -> Resolution:
        """Detect and fine illegal acts, apply grazing, clearing, abandonment and the
        Grain-for-Green offers the quota admits (best utility first)."""
        p = self.params
        detection = land["detection_prob"].ravel()
        owner = land["owner"].ravel()
        fines = np.zeros(n_households)
        attempts = np.concatenate([proposals.illegal_grazing, proposals.clearing])
        grazing_draw = land.uniform(rng)  # one per cell and act, used or not
        clearing_draw = land.uniform(rng)
        draw = np.concatenate(
            [grazing_draw[proposals.illegal_grazing], clearing_draw[proposals.clearing]]
        )
        red_line = land["red_line"].ravel() if "red_line" in land else np.zeros(0, bool)
        in_red_line = red_line[attempts] if red_line.any() else np.zeros(attempts.size, bool)
        chance = detection[attempts]
        # the red line's remote-sensing monitoring catches acts the rangers miss
        chance = np.where(
            in_red_line, 1.0 - (1.0 - chance) * (1.0 - p["zone_monitoring_detection"]), chance
        )
        caught = draw < chance
        fined = attempts[caught]
        fined = fined[owner[fined] >= 0]
        np.add.at(fines, owner[fined], p["fine_yuan_ha"] * land.cell_area_ha)
        n_grazing = proposals.illegal_grazing.size
        grazed = proposals.grazed.ravel().copy()
        grazed[proposals.illegal_grazing[~caught[:n_grazing]]] = True
        land["grazed"] = grazed.reshape(land.shape)
        land_use.clear_for_crops(land, proposals.clearing[~caught[n_grazing:]])
        if year < p["cropland_protection_year"]:  # since then fallow cropland stays cropland
            land_use.regrow(land, proposals.abandon, p, LandCover.GRASS, "abandonment")
        if red_line.any():  # the red line's limit on cropland: its offers are admitted first
            outside = ~red_line[proposals.gfg_offers]
            order = np.lexsort((-proposals.gfg_utility, outside))[:gfg_quota_cells]
        else:
            order = stable_order_head(-proposals.gfg_utility, gfg_quota_cells)
        accepted = proposals.gfg_offers[order]
        land_use.enrol_in_grain_for_green(land, accepted, year)
        return Resolution(attempts, caught, fines, proposals.abandon, accepted, in_red_line)


def grain_for_green_payments(
    land: Landscape,
    params: Mapping[str, Any],
    year: int,
    n_households: int,
    new_cells: int,
) -> tuple[np.ndarray, np.ndarray, float]:
    """This year's Grain-for-Green payments after the year's changes (burned plantings
    have left the programme).

    Returns cells enrolled per household agent, cash per household agent (yuan) and the
    government's total (cash + seedlings of the ``new_cells`` enrolled this year), yuan.
    """
    owner = land["owner"].ravel()
    enrolled = np.flatnonzero((land["gfg_year"] > 0).ravel() & (owner >= 0))
    enrolled_by_owner = np.bincount(owner[enrolled], minlength=n_households)
    cash = gfg_cash_yuan_ha(
        params["gfg_payment_yuan_mu"], year - land["gfg_year"].ravel()[enrolled]
    )
    cash_by_owner = np.bincount(
        owner[enrolled], weights=cash * land.cell_area_ha, minlength=n_households
    )
    seedlings = (
        new_cells
        * land.cell_area_ha
        * params["gfg_payment_yuan_mu"]
        * MU_PER_HA
        * (1 - GFG_CASH_SHARE)
    )
    return enrolled_by_owner, cash_by_owner, float(cash_by_owner.sum() + seedlings)
