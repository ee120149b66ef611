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
rocky desertification. Only carbonate land that is not sealed (built, transport, water,
mine) is classed; exposure below 20 % is ``NONE``. So severity never exceeds the exposure
class.

The land class decides whether exposed rock is desertified at all, as the national
monitoring rules put it (岩溶地区石漠化监测技术规定, the State Forestry Administration's
rules of the 2011 and 2016 monitoring [M]: the rule as commonly cited, not checked against
the text): land with exposure of 30 % or more is *potential* rocky desertification, not
desertified, when it is forest, shrub or garden land with vegetation cover of
:data:`WOODED_COVER_OK` or more, grassland with cover of :data:`GRASS_COVER_OK` or more, or
cropland restructured by the treatment programme (terraces and eco-industry crops:
``restructured``). Other forest land (unclosed plantations, cut-over), unused land and
unrestructured dry cropland are classed by exposure and cover alone. So treated land leaves
the desertified classes only when its cover (or its restructuring) says so, and the
exposure, which moves only with soil (:mod:`karstsim.model.processes.erosion`), caps how
far it can leave.
"""

from __future__ import annotations

import numpy as np

from karstsim.model.layers import SEALED, LandCover, Severity, is_any

EXPOSURE_BOUNDS = np.array([0.2, 0.3, 0.5, 0.7, 0.9])
"""Lower bounds of the exposure classes potential … extreme (fraction of the surface)."""
COVER_BOUNDS = np.array([0.1, 0.3, 0.5, 0.7])
"""Cover thresholds separating extreme | severe | moderate | light | potential."""

_NOT_CLASSED = np.array(SEALED, dtype=np.int8)
WOODED_COVER_OK = 0.5
"""Vegetation cover from which forest, shrub and garden land on exposed rock is potential,
not desertified, fraction [M] (monitoring rules: 植被综合盖度 ≥ 50 % for 乔灌型)."""
GRASS_COVER_OK = 0.7
"""Vegetation cover from which grassland on exposed rock is potential, fraction [M]
(monitoring rules: ≥ 70 % for 草丛型)."""
_COVER_OK = np.full(len(LandCover), np.inf)
_COVER_OK[[LandCover.FOREST, LandCover.SHRUB, LandCover.GARDEN]] = WOODED_COVER_OK
_COVER_OK[LandCover.GRASS] = GRASS_COVER_OK


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
    restructured: np.ndarray | None = None,
) -> np.ndarray:
    """Severity class per cell (int8 :class:`Severity` codes); ``restructured`` marks
    cropland the treatment programme has terraced or turned to eco-industry crops."""
    classed = carbonate & ~is_any(land_cover, _NOT_CLASSED)
    severity = np.zeros(bedrock_exposure.shape, dtype=np.int8)
    cover = vegetation_cover[classed]
    grade = np.minimum(exposure_class(bedrock_exposure[classed]), cover_class(cover))
    codes = land_cover[classed]
    kept = cover >= _COVER_OK[codes]
    if restructured is not None:
        kept |= restructured[classed] & (codes == int(LandCover.CROPLAND))
    severity[classed] = np.where(kept, np.minimum(grade, Severity.POTENTIAL), grade)
    return severity
