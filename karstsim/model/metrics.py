"""The yearly outputs: one tidy row of landscape indicators per year.

All areas are km², shares are % of land area, carbon is MtC (10⁶ tC) and CO₂ MtCO₂.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from karstsim.model.layers import (
    FOREST_COVER_CLASSES,
    FOREST_LAND,
    LandCover,
    Landscape,
    Severity,
)
from karstsim.model.processes.carbon import CO2_PER_C, live_carbon_per_m3, pool_shares

CLASS_SHARES = {
    "tree_forest_pct": LandCover.FOREST,
    "shrubland_pct": LandCover.SHRUB,
    "other_forest_pct": LandCover.OTHER_FOREST,
    "cropland_pct": LandCover.CROPLAND,
    "garden_pct": LandCover.GARDEN,
    "grassland_pct": LandCover.GRASS,
    "unused_land_pct": LandCover.BARE_ROCK,
    "built_pct": LandCover.BUILT,
    "mine_land_pct": LandCover.MINE,
    "transport_pct": LandCover.TRANSPORT,
    "water_pct": LandCover.WATER,
}
"""Outputs that are one land class's share of land, %, and their class."""

SEVERITY_COLUMNS = {
    Severity.POTENTIAL: "desert_potential_km2",
    Severity.LIGHT: "desert_light_km2",
    Severity.MODERATE: "desert_moderate_km2",
    Severity.SEVERE: "desert_severe_km2",
    Severity.EXTREME: "desert_extreme_km2",
}


def land_indicators(land: Landscape, params: Mapping[str, Any]) -> dict[str, float]:
    """Indicators read off the layers alone (no money or history)."""
    one_region = np.zeros(land.land_cells, dtype=np.int64)
    return {
        k: float(v[0]) for k, v in land_indicators_by_region(land, params, one_region, 1).items()
    }


def conserved(land: Landscape, params: Mapping[str, Any]) -> np.ndarray:
    """For every land cell (row-major order): the share of it whose soil loss is within the
    tolerance of its soil type (the national soil-conservation rate's test; karst soils
    tolerate less), 0–1.

    Soil loss varies within a cell (slopes, gullies, field edges): it is taken as
    exponentially distributed around the cell's mean [E], so the share within tolerance
    is 1 − exp(−tolerance / mean loss). A cell's conserved share then rises smoothly as its
    loss falls, and land far above the tolerance gains little from halving it: the rate
    cannot jump by whole cells."""
    tolerance = np.where(
        land.on_land(land["carbonate"]),
        params["karst_soil_loss_tolerance_t_km2_yr"],
        params["soil_loss_tolerance_t_km2_yr"],
    )
    loss = land.on_land(land["erosion_t_km2"])
    return -np.expm1(-tolerance / np.maximum(loss, 1e-9))


def land_indicators_by_region(
    land: Landscape, params: Mapping[str, Any], region: np.ndarray, n_regions: int
) -> dict[str, np.ndarray]:
    """:func:`land_indicators` for each region at once.

    ``region`` gives, for every land cell in row-major order (``land.land`` true), its
    region's index in ``0 … n_regions − 1``; each output is an array over regions. Areas
    and stocks add up over regions to the whole map's; shares are of each region's land.
    """

    def total(values: np.ndarray) -> np.ndarray:
        if n_regions == 1:
            return np.array([values.sum(dtype=float)])
        return np.bincount(region, weights=values, minlength=n_regions)

    def count(where: np.ndarray) -> np.ndarray:
        if n_regions == 1:
            return np.array([float(np.count_nonzero(where))])
        return np.bincount(region[where], minlength=n_regions).astype(float)

    def by_class(codes: np.ndarray, classes: int) -> np.ndarray:
        """(region, class) cell counts."""
        flat = region * classes + codes if n_regions > 1 else codes
        return np.bincount(flat, minlength=n_regions * classes).reshape(n_regions, classes)

    km2, ha = land.cell_area_km2, land.cell_area_ha
    cover = by_class(land.on_land(land["land_cover"]), len(LandCover)).astype(float)
    grade = by_class(land.on_land(land["severity"]), len(Severity)).astype(float)
    n = np.maximum(cover.sum(axis=1), 1.0)
    forest = land.on_land(land["land_cover"]) == int(LandCover.FOREST)
    carbon = land.on_land(land["carbon_tC_ha"])
    stand_carbon_t = total(np.where(forest, carbon, 0.0)) * ha
    live_MtC = total(carbon) * ha / 1e6
    pools = {name: share * live_MtC for name, share in pool_shares(params).items()}
    forest_cells = count(forest)
    stand_age = total(np.where(forest, land.on_land(land["stand_age_yr"]), 0.0))
    erosion = land.on_land(land["erosion_t_km2"])
    karst = land.on_land(land["carbonate"])
    row = {
        "land_area_km2": cover.sum(axis=1) * km2,
        "forest_cover_pct": 100.0 * cover[:, list(FOREST_COVER_CLASSES)].sum(axis=1) / n,
        "forest_land_pct": 100.0 * cover[:, list(FOREST_LAND)].sum(axis=1) / n,
        **{name: 100.0 * cover[:, code] / n for name, code in CLASS_SHARES.items()},
        "desertified_km2": grade[:, Severity.LIGHT :].sum(axis=1) * km2,
    }
    row.update({col: grade[:, s] * km2 for s, col in SEVERITY_COLUMNS.items()})
    row.update(
        {
            "carbon_stock_MtC": pools["above"] + pools["below"] + pools["dead"],
            "carbon_above_MtC": pools["above"],
            "carbon_below_MtC": pools["below"],
            "carbon_dead_MtC": pools["dead"],
            "growing_stock_Mm3": stand_carbon_t / live_carbon_per_m3(params) / 1e6,
            "mean_stand_age_yr": stand_age / np.maximum(forest_cells, 1.0),
            "soil_conservation_pct": 100.0 * total(conserved(land, params)) / n,
            "soil_loss_Mt": total(erosion) * km2 / 1e6,
            "mean_bedrock_exposure_karst": total(
                np.where(karst, land.on_land(land["bedrock_exposure"]), 0.0)
            )
            / np.maximum(count(karst), 1.0),
        }
    )
    return row


def carbon_flux(previous_stock_MtC: float, stock_MtC: float) -> float:
    """Net CO₂ taken up by biomass over the year, MtCO₂ (negative: a net source)."""
    return (stock_MtC - previous_stock_MtC) * CO2_PER_C
