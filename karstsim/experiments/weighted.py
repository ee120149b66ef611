"""Statistics of a weighted sample (a pyabc population: particles and their weights)."""

from __future__ import annotations

import numpy as np


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``values`` weighted by ``weights`` (inverse of the weighted
    empirical distribution function)."""
    order = np.argsort(values)
    cumulative = np.cumsum(np.asarray(weights, float)[order])
    index = np.searchsorted(cumulative, q * cumulative[-1], side="left")
    return float(np.asarray(values, float)[order][min(index, len(order) - 1)])
