"""What every land process is: a small unit with declared layer reads and writes.

Like a landlab component, a process names the layers it reads and the layers it writes,
takes its parameters once, and advances the landscape by one year with whole-array numpy
operations. The model calls the processes in a fixed order (see ``KarstModel.step``).
"""

from __future__ import annotations

from typing import ClassVar, Protocol

import numpy as np

from karstsim.model.layers import Landscape


class LandProcess(Protocol):
    """One yearly land process."""

    reads: ClassVar[tuple[str, ...]]
    writes: ClassVar[tuple[str, ...]]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        """Advance the layers in ``writes`` by one year."""
