"""Which cells the yearly treatment and afforestation programmes take.

The desertification programme follows the plan's rule by severity: severe and extreme
land → enclosure; moderate → afforestation (share ``moderate_afforestation_share``) or
grass planting; light → the eco-economic mode "with forestry economy and herbivore
husbandry" (生态经济型…发展林业经济和草食畜牧业): eco-economic stands on cropland, shrub and
open land, except that a share ``light_forage_share`` of its open land (grass, bare rock) is
sown to forage grass for the herds. Moderate wooded cells (forest, shrub) and light forest get
enclosure, since one does not plant or till under an existing canopy (严格保护石山植被). The
year's cells are split between the severity groups in proportion to their eligible area,
and drawn within a group at random, weighted by a priority layer (1 everywhere unless a
caller, e.g. corridor priority, raises it) × exp(−``treatment_ease_bias`` × difficulty):
programmes start where the land is easiest (gentler, deeper soil, less rock), so what is
left grows harder to treat (the plan: 治理的难度逐渐加大). :func:`treatment_difficulty`
also raises the cost of a treatment (see
:meth:`karstsim.model.government.Government.allocate_treatment`) and the chance that its
planting fails (:class:`~karstsim.model.processes.treatment.TreatmentEffects`). Desertified
cropland, moderate or light, is restructured (eco-economic mode: terraces and eco-industry
crops) and stays cropland: it leaves cropland only through Grain-for-Green.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from karstsim.model.layers import (
    PLANTABLE,
    WOODED,
    LandCover,
    Landscape,
    Severity,
    Treatment,
    is_any,
)
from karstsim.model.processes.treatment import (
    available_for_new_use,
    finished,
    mode_durations,
    treatment_difficulty,
)

CULTIVATED = (LandCover.CROPLAND, LandCover.GARDEN)
"""Cropland and garden land: the programme restructures them (eco-economic mode) and they
keep their class."""

SEVERITY_GROUPS = (
    (Severity.SEVERE, Severity.EXTREME),
    (Severity.MODERATE,),
    (Severity.LIGHT,),
)


@dataclass
class CellBudget:
    """Turns a yearly area into whole cells (rounded), carrying the difference to the next year."""

    carry: float = 0.0

    def cells(self, area_ha: float, cell_area_ha: float) -> int:
        exact = area_ha / cell_area_ha + self.carry
        whole = int(np.floor(exact + 0.5))
        self.carry = exact - whole
        return whole


def weighted_sample(
    candidates: np.ndarray, n: int, weights: np.ndarray, uniforms: np.ndarray
) -> np.ndarray:
    """``n`` of ``candidates`` without replacement, chosen with probability ∝ ``weights``.

    Efraimidis–Spirakis keys (u^(1/w)) from ``uniforms`` (one per candidate, in [0, 1)),
    so the cost is one pass over the candidates; with the same uniforms a larger ``n``
    takes the same cells and more (common random numbers).
    """
    if n >= candidates.size:
        return candidates
    keys = np.log(uniforms) / np.maximum(weights, 1e-12)
    return candidates[np.argpartition(-keys, n - 1)[:n]]


def split_by_share(n: int, sizes: np.ndarray) -> np.ndarray:
    """Split ``n`` in proportion to ``sizes`` (largest remainder), never above a size."""
    n = min(n, int(sizes.sum()))
    if n == 0:
        return np.zeros(sizes.size, dtype=int)
    exact = n * sizes / sizes.sum()
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return np.minimum(counts, sizes)


def split_by_region(n_cells: int, land: Landscape, weights: Mapping[str, float]) -> dict[int, int]:
    """The year's ``n_cells`` shared between the map's prefectures by ``weights`` (adcode →
    weight; a prefecture not named gets none); {} when there are no weights or no
    weighted prefecture on the map (then the whole map shares by eligible land)."""
    if not weights:
        return {}
    codes = np.unique(land.on_land(land["prefecture"]))
    share = np.array([weights.get(str(code), 0.0) for code in codes])
    if share.sum() <= 0:
        return {}
    exact = n_cells * share / share.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(-(exact - counts), kind="stable")[: n_cells - counts.sum()]] += 1
    return {int(code): int(k) for code, k in zip(codes, counts, strict=True)}


def within(land: Landscape, code: int) -> np.ndarray:
    """Mask of one prefecture's land."""
    return land.land & (land["prefecture"] == code)


def eligible_for_treatment(land: Landscape, params: Mapping[str, Any]) -> np.ndarray:
    """Desertified land cells not under a running treatment."""
    desertified = land.land & (land["severity"] >= int(Severity.LIGHT))
    return desertified & finished(land, mode_durations(params))


def plan_treatment(
    land: Landscape,
    n_cells: int,
    params: Mapping[str, Any],
    rng: np.random.Generator,
    priority: np.ndarray | None = None,
    where: np.ndarray | None = None,
) -> dict[Treatment, np.ndarray]:
    """Choose up to ``n_cells`` cells (inside the mask ``where``, if given) and their
    modes by the plan's severity rule.

    Returns flat cell indices per :class:`Treatment` mode. Draws two numbers per cell
    from ``rng`` whatever ``n_cells`` is (common random numbers).
    """
    pick = land.uniform(rng)
    mode_draw = land.uniform(rng)
    eligible_mask = eligible_for_treatment(land, params)
    if where is not None:
        eligible_mask &= where
    eligible = np.flatnonzero(eligible_mask)
    severity = land["severity"].ravel()[eligible]
    ease = np.exp(-params["treatment_ease_bias"] * treatment_difficulty(land, eligible))
    members = [np.flatnonzero(is_any(severity, g)) for g in SEVERITY_GROUPS]
    groups = [eligible[m] for m in members]
    counts = split_by_share(n_cells, np.array([g.size for g in groups]))
    severe, moderate, light = (
        weighted_sample(g, k, ease[m] if priority is None else ease[m] * priority.flat[g], pick[g])
        for g, m, k in zip(groups, members, counts, strict=True)
    )
    cover = land["land_cover"].ravel()
    cropland_moderate = is_any(cover[moderate], CULTIVATED)
    wooded_moderate = is_any(cover[moderate], WOODED)
    plant_moderate = moderate[~wooded_moderate & ~cropland_moderate]
    afforest = mode_draw[plant_moderate] < params["moderate_afforestation_share"]
    light_forest = cover[light] == int(LandCover.FOREST)
    light_open = is_any(cover[light], (LandCover.GRASS, LandCover.BARE_ROCK))
    forage = light_open & (mode_draw[light] < params["light_forage_share"])
    return {
        Treatment.ENCLOSURE: np.concatenate(
            [severe, moderate[wooded_moderate], light[light_forest]]
        ),
        Treatment.AFFORESTATION: plant_moderate[afforest],
        Treatment.GRASS_PLANTING: np.concatenate([plant_moderate[~afforest], light[forage]]),
        Treatment.ECO_ECONOMIC: np.concatenate(
            [moderate[cropland_moderate], light[~light_forest & ~forage]]
        ),
    }


LAND_TYPES = ("forest_land", "cropland", "grassland", "severe")
"""The treatment programme's land types, as the plan counts them (石漠化综合治理工程): forest
land (林地: forest, shrub and the bare rock that is land for forest), cropland, grassland, and
severe desertification apart (黔石保护性开发、发展生态旅游)."""


def land_types(land: Landscape, cells: np.ndarray) -> np.ndarray:
    """Index into :data:`LAND_TYPES` of each flat-indexed cell, before its treatment starts."""
    cover = land["land_cover"].ravel()[cells]
    kind = np.zeros(cells.size, dtype=np.int64)
    kind[cover == int(LandCover.CROPLAND)] = 1
    kind[cover == int(LandCover.GRASS)] = 2
    kind[land["severity"].ravel()[cells] >= int(Severity.SEVERE)] = 3
    return kind


def plantable(land: Landscape, min_soil_cm: float) -> np.ndarray:
    """Land that afforestation may plant: other forest land and grassland, and unused land
    (bare rock and soil) with at least ``min_soil_cm`` of soil to plant in (PLANTABLE)."""
    cover = land["land_cover"]
    unused = cover == int(LandCover.BARE_ROCK)
    return is_any(cover, PLANTABLE) & (~unused | (land["soil_depth_cm"] >= min_soil_cm))


def plan_afforestation(
    land: Landscape,
    n_cells: int,
    durations: np.ndarray,
    rng: np.random.Generator,
    priority: np.ndarray | None = None,
    desert_priority: float = 1.0,
    where: np.ndarray | None = None,
    min_soil_cm: float = 0.0,
) -> np.ndarray:
    """Up to ``n_cells`` cells of plantable land free for planting (flat indices): other
    forest land without a planting, grassland and unused land with ``min_soil_cm`` of soil
    (:func:`plantable`; cropland only through Grain-for-Green), inside ``where`` if given;
    ``durations`` of the treatment
    modes tell when an enclosure has ended. Desertified cells are ``desert_priority`` times
    likelier to be planted (karst programmes aim at them). When plantable land runs out the
    year plants less. Draws one number per cell from ``rng`` (common random numbers)."""
    pick = land.uniform(rng)
    free = available_for_new_use(land, durations)
    mask = land.land & plantable(land, min_soil_cm) & free
    if where is not None:
        mask &= where
    candidates = np.flatnonzero(mask.ravel())
    weight = np.ones(candidates.size) if priority is None else priority.ravel()[candidates]
    desertified = land["severity"].ravel()[candidates] >= int(Severity.LIGHT)
    weight = weight * np.where(desertified, desert_priority, 1.0)
    return weighted_sample(candidates, n_cells, weight, pick[candidates])
