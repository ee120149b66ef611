"""Rocky-desertification severity from bedrock exposure and vegetation cover.

Criteria (after Xiong et al. 2002, the academic scheme in ``shared/PARAMETERS.md``; the
national monitoring's LY/T 1840 score uses the same two signals):

============  ========================  =====================
class         bedrock exposure          vegetation cover
============  ========================  =====================
potential     20–30 %                   or any exposure ≥ 30 % under cover ≥ 70 %
light         30–50 %                   50–70 %
moderate      50–70 %                   30–50 %
severe        70–90 %                   10–30 %
extreme       ≥ 90 %                    < 10 %
============  ========================  =====================

A cell's class is the *milder* of its exposure class and its cover class: rock that is
exposed but overgrown is not desertified, and thin cover on deep soil is erosion, not
rocky desertification. Only carbonate land that is not built, water or mine is classed;
exposure below 20 % is ``NONE``. So severity never exceeds the exposure class.
"""

from __future__ import annotations

import numpy as np

from karstsim.model.layers import LandCover, Severity, is_any

EXPOSURE_BOUNDS = np.array([0.2, 0.3, 0.5, 0.7, 0.9])
"""Lower bounds of the exposure classes potential … extreme (fraction of the surface)."""
COVER_BOUNDS = np.array([0.1, 0.3, 0.5, 0.7])
"""Cover thresholds separating extreme | severe | moderate | light | potential."""

_NOT_CLASSED = np.array([LandCover.MINE, LandCover.BUILT, LandCover.WATER], dtype=np.int8)


def bounds_at_or_below(bounds: np.ndarray, values: np.ndarray) -> np.ndarray:
    """How many of the ascending ``bounds`` are ≤ each value, int8: what
    ``np.searchsorted(bounds, values, side="right")`` gives (NaN counts every bound), by a
    comparison per bound, several times faster for a handful of bounds."""
    values = np.asarray(values)
    count = np.zeros(values.shape, dtype=np.int8)
    for bound in bounds:
        count += values >= bound
    count[np.isnan(values)] = len(bounds)
    return count


def exposure_class(bedrock_exposure: np.ndarray) -> np.ndarray:
    """Severity implied by exposure alone (NONE … EXTREME), int8."""
    return bounds_at_or_below(EXPOSURE_BOUNDS, bedrock_exposure)


def cover_class(vegetation_cover: np.ndarray) -> np.ndarray:
    """Severity implied by vegetation cover alone (POTENTIAL … EXTREME), int8."""
    return (Severity.EXTREME - bounds_at_or_below(COVER_BOUNDS, vegetation_cover)).astype(np.int8)


def classify(
    bedrock_exposure: np.ndarray,
    vegetation_cover: np.ndarray,
    carbonate: np.ndarray,
    land_cover: np.ndarray,
) -> np.ndarray:
    """Severity class per cell (int8 :class:`Severity` codes)."""
    classed = carbonate & ~is_any(land_cover, _NOT_CLASSED)
    severity = np.zeros(bedrock_exposure.shape, dtype=np.int8)
    severity[classed] = np.minimum(
        exposure_class(bedrock_exposure[classed]), cover_class(vegetation_cover[classed])
    )
    return severity
