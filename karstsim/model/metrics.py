"""The yearly outputs: one tidy row of landscape indicators per year.

All areas are km², shares are % of land area, carbon is MtC (10⁶ tC) and CO₂ MtCO₂.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from karstsim.model.layers import FOREST_COVER_CLASSES, LandCover, Landscape, Severity
from karstsim.model.processes.carbon import CO2_PER_C

SEVERITY_COLUMNS = {
    Severity.POTENTIAL: "desert_potential_km2",
    Severity.LIGHT: "desert_light_km2",
    Severity.MODERATE: "desert_moderate_km2",
    Severity.SEVERE: "desert_severe_km2",
    Severity.EXTREME: "desert_extreme_km2",
}


def land_indicators(land: Landscape, params: Mapping[str, Any]) -> dict[str, float]:
    """Indicators read off the layers alone (no money or history)."""
    mask = land.land
    n = max(land.land_cells, 1)
    km2 = land.cell_area_km2
    cover_counts = np.bincount(land["land_cover"][mask], minlength=len(LandCover))
    severity_counts = np.bincount(land["severity"][mask], minlength=len(Severity))
    forest_cells = sum(cover_counts[c] for c in FOREST_COVER_CLASSES)
    carbon_t = float((land["carbon_tC_ha"] * mask).sum()) * land.cell_area_ha
    forest = (land["land_cover"] == LandCover.FOREST) & mask
    stand_carbon_t = float(land["carbon_tC_ha"][forest].sum()) * land.cell_area_ha
    eroding = (land["erosion_t_km2"] > params["soil_loss_tolerance_t_km2_yr"]) & mask
    row = {
        "forest_cover_pct": 100.0 * forest_cells / n,
        "cropland_pct": 100.0 * cover_counts[LandCover.CROPLAND] / n,
        "grass_pct": 100.0 * cover_counts[LandCover.GRASS] / n,
        "bare_rock_pct": 100.0 * cover_counts[LandCover.BARE_ROCK] / n,
        "desertified_km2": float(severity_counts[Severity.LIGHT :].sum()) * km2,
    }
    row.update({col: float(severity_counts[s]) * km2 for s, col in SEVERITY_COLUMNS.items()})
    row.update(
        {
            "carbon_stock_MtC": carbon_t / 1e6,
            "growing_stock_Mm3": stand_carbon_t / params["carbon_per_m3_tC"] / 1e6,
            "soil_conservation_pct": 100.0 * (1.0 - eroding.sum() / n),
            "soil_loss_Mt": float(land["erosion_t_km2"][mask].sum()) * km2 / 1e6,
            "mean_bedrock_exposure_karst": float(
                land["bedrock_exposure"][land["carbonate"] & mask].mean()
            )
            if (land["carbonate"] & mask).any()
            else 0.0,
        }
    )
    return row


def carbon_flux(previous_stock_MtC: float, stock_MtC: float) -> float:
    """Net CO₂ taken up by biomass over the year, MtCO₂ (negative: a net source)."""
    return (stock_MtC - previous_stock_MtC) * CO2_PER_C
