"""Guizhou's observed record, read from ``karstsim/data/observations.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Observation:
    """One observed value of an output column in a year, with its source.

    ``basis_error`` is the observation's own error (1σ, a fraction of the value) where the
    figure comes from a changed monitoring method or basis: a jump of the record that is
    not ecology. Validation widens the tolerance by it instead of fitting it.
    """

    column: str
    year: int
    value: float
    tag: str
    source: str
    basis_error: float = 0.0


def load_observations() -> list[Observation]:
    """Every observation shipped with the package."""
    text = (resources.files("karstsim") / "data" / "observations.toml").read_text("utf-8")
    return [Observation(**entry) for entry in tomllib.loads(text)["observation"]]


PROVINCE_SCALED = {"desertified_km2", "treated_km2_cum"}
"""Columns that are areas: simulated values are divided by the grid's area scale before
comparison with province figures."""
