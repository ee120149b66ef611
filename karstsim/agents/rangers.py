"""Forest rangers: hired from the poorest households, patrolling their village's land.

Each :class:`Ranger` agent stands for ``rangers_per_agent`` real rangers (the last one for
the remainder) and belongs to a household agent, whose households receive the wage. The
:class:`RangerForce` hires the poorest household agents first (lowest income per person)
when the force grows and lets the most recently hired go when it shrinks. Patrols cover
the land within ``patrol_radius_km`` of the ranger's village: the chance that an illegal
act or a fire there is detected is ``1 − exp(−patrol_effectiveness × rangers per km²)``
(:func:`karstsim.agents.decisions.detection_probability`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import mesa
import numpy as np
from scipy import ndimage

from karstsim.agents.decisions import detection_probability
from karstsim.agents.households import HouseholdPopulation
from karstsim.model.layers import Landscape


class Ranger(mesa.Agent):
    """A patrol group of ``count`` rangers from one household agent."""

    def __init__(self, model: mesa.Model, household: int, village: int, count: int):
        super().__init__(model)
        self.household = household
        self.village = village
        self.count = count


class RangerForce:
    """The ranger agents, their hiring and the detection layer their patrols make."""

    writes: ClassVar[tuple[str, ...]] = ("detection_prob",)
    """Layers written: the chance that an act or fire in a cell is detected."""

    def __init__(self, model: mesa.Model, params: Mapping[str, Any]):
        self.model = model
        self.per_agent = params["rangers_per_agent"]
        self.effectiveness = params["patrol_effectiveness"]
        self.radius_km = params["patrol_radius_km"]
        self._households = np.zeros(0, dtype=np.int64)
        self._villages = np.zeros(0, dtype=np.int64)
        self._counts = np.zeros(0)
        self._land_share: tuple[np.ndarray, int, np.ndarray] | None = None
        """(land mask, window half-width, share of land in each cell's window): static."""
        self._patrolled: tuple[Landscape, bytes, np.ndarray] | None = None
        """(landscape, rangers' villages and counts, layer written): the last patrol."""

    @property
    def total(self) -> int:
        """Real rangers serving."""
        return int(self._counts.sum())

    def agents(self) -> list[Ranger]:
        """The ranger agents in the order they were hired (Mesa's ``agents_by_type``)."""
        return list(self.model.agents_by_type.get(Ranger, ()))

    def staff(self, wanted: int, households: HouseholdPopulation) -> None:
        """Hire or let go so that ``wanted`` real rangers serve; poorest households first."""
        wanted = max(int(wanted), 0)
        rangers = self.agents()
        if wanted == self.total and rangers:
            return
        n_agents = -(-wanted // self.per_agent)
        while len(rangers) > n_agents:
            rangers.pop().remove()
        if len(rangers) < n_agents:
            by_poverty = [int(i) for i in np.argsort(households.income_per_person, kind="stable")]
            holders = {r.household for r in rangers}
            candidates = [i for i in by_poverty if i not in holders] + by_poverty
            for k in range(n_agents - len(rangers)):
                household = candidates[k % len(candidates)]
                village = int(households.village[household])
                rangers.append(Ranger(self.model, household, village, 0))
        for i, ranger in enumerate(rangers):
            ranger.count = min(self.per_agent, wanted - i * self.per_agent)
        self._households = np.array([r.household for r in rangers], dtype=np.int64)
        self._villages = np.array([r.village for r in rangers], dtype=np.int64)
        self._counts = np.array([r.count for r in rangers], dtype=float)
        households.ranger_jobs = np.bincount(self._households, self._counts, minlength=households.n)

    def patrol(self, land: Landscape) -> None:
        """Write this year's detection probability of every land cell.

        A cell's ranger density is the number of rangers based within ``patrol_radius_km``
        of it (a square window) over the land area of that window, so groups near the
        border or the sea of the map spread over less land.
        """
        key = self._villages.tobytes() + self._counts.tobytes()
        last = self._patrolled
        unchanged = last is not None and last[0] is land and last[1] == key
        if unchanged and land.layers.get("detection_prob") is last[2]:
            return  # the same rangers in the same places: the same layer
        village_cells = np.flatnonzero(land["village"].ravel())
        rangers = np.zeros(land.land.size)
        np.add.at(rangers, village_cells[self._villages], self._counts)
        half = max(round(self.radius_km / land.cell_size_km), 0)
        window = land.from_grid(
            ndimage.uniform_filter(land.to_grid(rangers, 0.0), size=2 * half + 1, mode="constant")
        )
        cached = self._land_share
        if cached is None or cached[0] is not land.land or cached[1] != half:
            share = ndimage.uniform_filter(
                land.grid_mask.astype(float), size=2 * half + 1, mode="constant"
            )
            self._land_share = (land.land, half, land.from_grid(share))
        land_share = self._land_share[2]
        density = window / np.maximum(land_share, 1e-9) / land.cell_area_km2
        land["detection_prob"] = detection_probability(density, self.effectiveness) * land.land
        self._patrolled = (land, key, land["detection_prob"])
