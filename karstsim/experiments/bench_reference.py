"""An idiomatic Mesa model with one agent per cell: the speed reference for ``karstsim bench``.

Each cell is a ``FixedAgent`` on an ``OrthogonalMooreGrid`` that runs a much simpler
version of karstsim's succession in its own ``step``: it ages, counts its forest
neighbours and advances grass → shrub → forest. This is how such models are usually
written in Mesa (cf. the GrassPatch agents of Mesa's wolf_sheep example); karstsim's
numpy layers are measured against it.
"""

from __future__ import annotations

import mesa
from mesa.discrete_space import FixedAgent, OrthogonalMooreGrid

GRASS, SHRUB, FOREST = 0, 1, 2


class CellPatch(FixedAgent):
    """One landscape cell as an agent."""

    def __init__(self, model: mesa.Model, cell, cover: int):
        super().__init__(model)
        self.cell = cell
        self.cover = cover
        self.years = 0.0

    def step(self) -> None:
        forest_neighbours = sum(
            1 for c in self.cell.neighborhood for a in c.agents if a.cover == FOREST
        )
        self.years += 1.0 + 0.5 * forest_neighbours / 8
        if self.cover == GRASS and self.years > 5:
            self.cover = SHRUB
        elif self.cover == SHRUB and self.years > 15:
            self.cover = FOREST


class CellAgentModel(mesa.Model):
    """A width × height grid with one :class:`CellPatch` per cell."""

    def __init__(self, width: int, height: int, rng: int = 0):
        super().__init__(rng=rng)
        self.grid = OrthogonalMooreGrid((width, height), torus=False, random=self.random)
        for cell in self.grid.all_cells:
            CellPatch(self, cell, int(self.rng.integers(0, 3)))

    def step(self) -> None:
        self.agents.shuffle_do("step")
