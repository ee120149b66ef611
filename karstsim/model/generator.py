"""Generates a realistic karst landscape and its calibrated start state.

Terrain and geology come first and do not depend on the start year; the start year's
observed composition (:mod:`karstsim.model.initial_states`) is then laid on them, so a
2016 and a 2020 landscape from the same seed share their mountains, rivers and villages.

Steps, each documented in its function:

1. outline (province preset: ~176 000 land cells with an irregular border);
2. elevation with the four mountain belts and eight river valleys, and slope;
3. carbonate lithology patches (``carbonate_share`` of land);
4. soil depth (thin on karst and steep slopes);
5. villages and distance to them;
6. land cover by ranked suitability, hitting the start year's class shares exactly;
7. bedrock exposure, by the cells' propensity rank, with the counts in each severity
   class's exposure band adjusted over a few multiplicative rounds so that the
   desertified area and its split by class match the start year's figures; vegetation cover, severity, stand age and
   carbon follow from the model's own rules, so the start state is what the land
   processes would keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import ndimage, stats

from karstsim.model import geography, severity
from karstsim.model.grid import PROVINCE_LAND_CELLS, GridSpec
from karstsim.model.initial_states import StartState
from karstsim.model.layers import LandCover, Landscape, Severity, Treatment
from karstsim.model.processes.carbon import CarbonModel
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.grazing import grazeable
from karstsim.model.processes.vegetation import target_cover

OUTLINE_SEED = 20_211_231
"""Fixed seed of the province outline: the border is the same for every run seed."""
MEAN_SLOPE_DEG = 17.0
"""Mean hillslope of land cells [E]: 92.5 % of Guizhou is mountain and hill."""
STEEP_CROPLAND_DEG = 25.0
"""Slope from which cropland may enter Grain-for-Green [F]; its share is a start-state target."""
SLOPE_SHAPE = 3.0
"""Shape of the gamma distribution of cell slopes [E]."""


def generate(
    grid: GridSpec,
    start: StartState,
    params: Mapping[str, Any],
    rng: np.random.Generator,
) -> Landscape:
    """A new landscape in the state of ``start.year``."""
    shape = grid.shape
    land = province_outline(shape) if grid.province_outline else np.ones(shape, dtype=bool)
    landscape = Landscape(land=land, cell_size_km=params["cell_size_km"], year=start.year)
    terrain_rng, state_rng = rng.spawn(2)
    add_terrain(landscape, params, terrain_rng)
    add_start_state(landscape, start, params, state_rng)
    return landscape


# --- 1. outline ---------------------------------------------------------------------------
def province_outline(shape: tuple[int, int], cells: int = PROVINCE_LAND_CELLS) -> np.ndarray:
    """An irregular province-shaped mask with exactly ``cells`` land cells (if they fit)."""
    height, width = shape
    cells = min(cells, height * width)
    outline_rng = np.random.default_rng(OUTLINE_SEED)
    ys, xs = np.mgrid[0:height, 0:width]
    u = (xs + 0.5) / width * 2 - 1
    v = (ys + 0.5) / height * 2 - 1
    theta = np.arctan2(v, u)
    radius = np.hypot(u, v)
    wobble = sum(
        outline_rng.uniform(0.03, 0.09) / k * np.cos(k * theta + outline_rng.uniform(0, 2 * np.pi))
        for k in range(2, 9)
    )
    roughness = ndimage.gaussian_filter(outline_rng.standard_normal(shape), max(shape) / 60)
    roughness /= np.abs(roughness).max() + 1e-12
    distance = radius / (1 + wobble) + 0.04 * roughness
    mask = np.zeros(height * width, dtype=bool)
    mask[np.argpartition(distance.ravel(), cells - 1)[:cells]] = True
    return mask.reshape(shape)


# --- 2–5. terrain, geology, soil, villages --------------------------------------------------
def smooth_noise(
    shape: tuple[int, int], scale_cells: float, rng: np.random.Generator
) -> np.ndarray:
    """Gaussian-filtered white noise, standardised to mean 0 and sd 1."""
    field = ndimage.gaussian_filter(
        rng.standard_normal(shape), max(scale_cells, 0.5), mode="reflect"
    )
    return (field - field.mean()) / (field.std() + 1e-12)


def rank_quantile(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each masked cell's rank among masked cells, mapped to (0, 1); 0 outside the mask."""
    out = np.zeros(values.shape)
    inside = values[mask]
    out[mask] = (stats.rankdata(inside, method="ordinal") - 0.5) / max(inside.size, 1)
    return out


def add_terrain(landscape: Landscape, params: Mapping[str, Any], rng: np.random.Generator) -> None:
    """Elevation, slope, carbonate, soil depth, rivers, villages and distance to them."""
    shape, land = landscape.shape, landscape.land
    size = max(shape)
    _, belt_distance = geography.nearest_feature(geography.MOUNTAIN_BELTS, shape)
    _, river_distance = geography.nearest_feature(geography.RIVERS, shape)
    xs = (np.arange(shape[1]) + 0.5) / shape[1]
    west_east = np.broadcast_to(xs, shape)

    # Elevation: the plateau falls from ~2 200 m in the west to ~500 m in the east; belts
    # rise up to ~700 m above it and rivers cut ~400 m deep valleys.
    elevation = (
        2200.0
        - 1700.0 * west_east**0.8
        + 700.0 * np.exp(-((belt_distance / 0.07) ** 2))
        - 400.0 * np.exp(-((river_distance / 0.03) ** 2))
        + 220.0 * smooth_noise(shape, size / 40, rng)
        + 80.0 * smooth_noise(shape, size / 150, rng)
    )
    landscape["elevation_m"] = np.maximum(elevation, 150.0)

    # Slope: the gradient's rank mapped onto a gamma distribution with the province's mean
    # hillslope, since a 1 km gradient averages away the hillslopes inside the cell.
    gy, gx = np.gradient(elevation, params["cell_size_km"] * 1000.0)
    steepness = np.hypot(gx, gy) + 0.3 * np.abs(smooth_noise(shape, 1.0, rng)) * 1e-3
    quantile = rank_quantile(steepness, land)
    slope = stats.gamma.ppf(quantile, SLOPE_SHAPE, scale=MEAN_SLOPE_DEG / SLOPE_SHAPE)
    landscape["slope_deg"] = np.clip(np.where(land, slope, 0.0), 0.0, 75.0)

    # Carbonate: patches at ~10 km (province) scale, rarer in the metamorphic south-east.
    southeast = np.maximum(
        0.0,
        west_east + np.broadcast_to(((np.arange(shape[0]) + 0.5) / shape[0])[:, None], shape) - 1.1,
    )
    karst_score = smooth_noise(shape, size / 50, rng) - 3.0 * southeast
    landscape["carbonate"] = land & (
        rank_quantile(karst_score, land) > 1.0 - params["carbonate_share"]
    )

    # Soil depth (cm) [E]: 60–110 cm on clastic rock, 10–45 cm on karst, thinner on steep slopes.
    steep = landscape["slope_deg"] / 45.0
    variation = np.exp(0.25 * smooth_noise(shape, size / 100, rng))
    base = np.where(landscape["carbonate"], 35.0, 85.0)
    landscape["soil_depth_cm"] = np.clip(base * (1.0 - 0.5 * steep) * variation, 2.0, 150.0) * land

    landscape["river"] = land & (river_distance * size <= 0.75)
    add_corridors(landscape, params)
    add_villages(landscape, params, rng)


def add_villages(landscape: Landscape, params: Mapping[str, Any], rng: np.random.Generator) -> None:
    """Villages, favouring gentle slopes and valleys, and the distance (km) to the nearest."""
    land = landscape.land
    n_villages = max(1, round(params["villages_per_100km2"] * landscape.land_area_km2 / 100.0))
    cells = np.flatnonzero(land.ravel() & ~landscape["river"].ravel())
    weight = np.exp(-landscape["slope_deg"].ravel()[cells] / 8.0)
    chosen = rng.choice(
        cells, size=min(n_villages, cells.size), replace=False, p=weight / weight.sum()
    )
    village = np.zeros(land.size, dtype=bool)
    village[chosen] = True
    landscape["village"] = village.reshape(land.shape)
    cell_km = params["cell_size_km"]
    add_village_territories(landscape, cell_km)


def add_village_territories(landscape: Landscape, cell_size_km: float) -> None:
    """Distance to the nearest village (km) and which village that is (``village_id``)."""
    village = landscape["village"]
    if not village.any():
        landscape["distance_to_village_km"] = np.full(village.shape, 1e3)
        landscape["village_id"] = np.zeros(village.shape)
        return
    distance, (rows, cols) = ndimage.distance_transform_edt(~village, return_indices=True)
    landscape["distance_to_village_km"] = distance * cell_size_km
    number = np.full(village.shape, -1, dtype=np.int64)
    number[village] = np.arange(int(village.sum()))
    landscape["village_id"] = number[rows, cols]


def add_corridors(landscape: Landscape, params: Mapping[str, Any]) -> None:
    """Corridor layer: cells within the belt or river half-width of the plan's features
    (1–4 the mountain belts, 5–12 the rivers; rivers win where both apply)."""
    shape = landscape.shape
    belt, belt_distance = geography.nearest_feature(geography.MOUNTAIN_BELTS, shape)
    river, river_distance = geography.nearest_feature(geography.RIVERS, shape)
    corridor = np.where(belt_distance <= params["belt_corridor_width"], belt + 1, 0)
    in_river = river_distance <= params["river_corridor_width"]
    corridor = np.where(in_river, river + 1 + len(geography.MOUNTAIN_BELTS), corridor)
    landscape["corridor"] = corridor * landscape.land


def init_management_layers(landscape: Landscape) -> None:
    """Layers of management that start empty: no treatment, owner, Grain-for-Green, patrols."""
    shape = landscape.shape
    for name in ("treatment_mode", "treatment_yr", "erosion_t_km2", "gfg_year", "detection_prob"):
        landscape[name] = np.zeros(shape)
    for name in ("protected", "mine_dirty"):
        landscape[name] = np.zeros(shape, dtype=bool)
    landscape["owner"] = np.full(shape, -1)


# --- 6. land cover ---------------------------------------------------------------------------
def assign_land_cover(
    landscape: Landscape, start: StartState, rng: np.random.Generator
) -> np.ndarray:
    """Land cover with the start year's exact class shares, placed by ranked suitability.

    Classes are filled in turn, each taking the free land cells it suits best: water on
    the river channels, built land at villages, mines on noisy patches near the belts,
    cropland on gentle, deep-soiled land near villages (with the start year's share of it
    on slopes of 25° or more), bare rock on steep thin karst,
    forest and shrub far from villages and up the belts (shrub on karst), grass the rest.
    """
    land = landscape.land
    shape = land.shape
    size = max(shape)
    n_land = landscape.land_cells
    slope = landscape["slope_deg"]
    soil = landscape["soil_depth_cm"]
    distance = landscape["distance_to_village_km"] / max(landscape.cell_size_km, 1e-9)
    karst = landscape["carbonate"]
    elevation = landscape["elevation_m"] / 1000.0
    noise = [smooth_noise(shape, s, rng) for s in (size / 120, size / 60, 1.0)]

    scores = {
        LandCover.WATER: 10.0 * landscape["river"] - elevation + 0.1 * noise[2],
        LandCover.BUILT: 5.0 * landscape["village"] - distance - slope / 10 + 0.3 * noise[0],
        LandCover.MINE: noise[1] + 0.5 * noise[2],
        LandCover.CROPLAND: -slope / 12 + soil / 40 - distance / 2 + 0.6 * noise[0],
        LandCover.BARE_ROCK: np.where(karst, slope / 12 - soil / 15 + 0.5 * noise[0], -np.inf),
        LandCover.FOREST: distance / 2 + elevation / 2 + slope / 25 + noise[1],
    }
    cover = np.full(shape, LandCover.GRASS, dtype=np.int8)
    free = land.copy()
    steep = slope >= STEEP_CROPLAND_DEG
    for cls, score in scores.items():
        share = start.forest_cover if cls == LandCover.FOREST else start.cover_shares[cls]
        n = round(share * n_land)
        if cls == LandCover.CROPLAND:
            taken = _take_best(score, free & steep, round(start.steep_cropland_share * n))
            taken |= _take_best(score, free & ~taken & ~steep, n - int(taken.sum()))
        else:
            taken = _take_best(score, free, n)
        cover[taken] = cls
        free &= ~taken
    woods = cover == LandCover.FOREST
    shrub_score = np.where(woods, 1.5 * karst - soil / 30 + noise[0], -np.inf)
    shrub = _take_best(shrub_score, woods, round(start.cover_shares[LandCover.SHRUB] * n_land))
    cover[shrub] = LandCover.SHRUB
    return cover


def _take_best(score: np.ndarray, free: np.ndarray, n: int) -> np.ndarray:
    """Mask of the ``n`` free cells with the highest finite score."""
    candidates = np.flatnonzero(free.ravel() & np.isfinite(score.ravel()))
    n = min(n, candidates.size)
    taken = np.zeros(free.size, dtype=bool)
    if n > 0:
        values = score.ravel()[candidates]
        taken[candidates[np.argpartition(-values, n - 1)[:n]]] = True
    return taken.reshape(free.shape)


# --- 7. exposure, cover, severity, stand age, carbon --------------------------------------------
CALIBRATION_ROUNDS = 12
NATIONAL_CLASS_SHARES = np.array([0.386, 0.428, 0.164, 0.017])
"""Shares of light, moderate, severe and extreme in China's desertified land, 2016
(3.91, 4.33, 1.66, 0.17 Mha) [M]; used for Guizhou's split, which is not published here."""
POTENTIAL_PER_LIGHT = 0.6
"""Cells in the potential exposure band per cell of light or worse [E]."""
_CALIBRATED = (Severity.LIGHT, Severity.MODERATE, Severity.SEVERE, Severity.EXTREME)
_BANDS = np.array([0.0, 0.2, 0.3, 0.5, 0.7, 0.9, 0.98])
"""Exposure bands of the classes none … extreme (lower bounds, then the maximum)."""


def _severity_targets(start: StartState, land_cells: int) -> np.ndarray:
    """Target counts of cells at severity ≥ light, ≥ moderate, ≥ severe, ≥ extreme."""
    per_class = (
        start.desertified_share * land_cells * NATIONAL_CLASS_SHARES / NATIONAL_CLASS_SHARES.sum()
    )
    return per_class[::-1].cumsum()[::-1]


def _exposure_state(
    landscape: Landscape,
    order: np.ndarray,
    counts_at_least: np.ndarray,
    n_karst: int,
    params: Mapping[str, Any],
) -> dict[str, np.ndarray]:
    """Exposure by propensity order, with ``counts_at_least`` cells in the exposure bands of
    light and worse; and the vegetation cover and severity that follow from it."""
    land, cover = landscape.land, landscape["land_cover"]
    n_desert = counts_at_least[0]
    at_least = np.concatenate(
        [[min(n_karst, n_desert * (1 + POTENTIAL_PER_LIGHT))], counts_at_least]
    )
    # Rank position 0 is the most prone cell; band k holds ranks [at_least[k+1], at_least[k]).
    edges = np.concatenate([[n_karst], at_least, [0.0]])
    position = np.arange(n_karst, dtype=float)
    exposure_sorted = np.empty(n_karst)
    for k in range(len(_BANDS) - 1):  # k = none, potential, …, extreme
        upper_rank, lower_rank = edges[k], edges[k + 1]
        inside = (position < upper_rank) & (position >= lower_rank)
        width = max(upper_rank - lower_rank, 1.0)
        depth = (upper_rank - position[inside]) / width  # 0 at the band's mild end, 1 at its worst
        exposure_sorted[inside] = _BANDS[k] + depth * (_BANDS[k + 1] - _BANDS[k]) * 0.999
    exposure = np.zeros(land.size)
    exposure[order[:n_karst]] = exposure_sorted
    exposure = exposure.reshape(land.shape)
    veg = target_cover(
        cover,
        exposure,
        landscape["grazed"],
        params["rock_cover_penalty"],
        params["grazing_cover_loss"],
    )
    sev = severity.classify(exposure, veg, landscape["carbonate"], cover) * land
    return {"bedrock_exposure": exposure, "vegetation_cover": veg, "severity": sev}


_PROPENSITY_BY_COVER = np.array([0.0, 0.6, 1.2, 1.0, 3.0, 0.0, 0.0, 0.0])
"""Desertification propensity by land cover (bare rock ≫ grass > cropland > shrub > forest)."""


def add_start_state(
    landscape: Landscape, start: StartState, params: Mapping[str, Any], rng: np.random.Generator
) -> None:
    """Land cover, exposure (calibrated), cover, severity, succession, stand age and carbon."""
    shape = landscape.shape
    cover_rng, exposure_rng, graze_rng, age_rng = rng.spawn(4)
    landscape["land_cover"] = assign_land_cover(landscape, start, cover_rng)
    cover = landscape["land_cover"]
    init_management_layers(landscape)
    landscape["grazed"] = grazeable(landscape, params["grazing_distance_km"]) & (
        graze_rng.random(shape) < params["grazing_pressure"]
    )

    # Exposure rises with the cell's propensity rank among karst land: steep, thin-soiled,
    # open land 300–600 m from settlements (where severe desertification concentrates).
    karst = landscape["carbonate"]
    km = landscape["distance_to_village_km"]
    propensity = (
        _PROPENSITY_BY_COVER[cover]
        + landscape["slope_deg"] / 30.0
        - landscape["soil_depth_cm"] / 40.0
        + 0.5 * np.exp(-(((km - 0.45) / 0.6) ** 2))
        + 0.6 * smooth_noise(shape, 1.5, exposure_rng)
    )
    order = np.argsort(-np.where(karst, propensity, -np.inf).ravel(), kind="stable")
    n_karst = int(karst.sum())
    targets = _severity_targets(start, landscape.land_cells)
    counts = targets.copy()
    for _ in range(CALIBRATION_ROUNDS):
        layers = _exposure_state(landscape, order, counts, n_karst, params)
        achieved = np.array([(layers["severity"] >= k).sum() for k in _CALIBRATED])
        counts = np.clip(counts * targets / np.maximum(achieved, 1), 0, n_karst)
        counts = np.minimum.accumulate(counts)
    for name, array in _exposure_state(landscape, order, counts, n_karst, params).items():
        landscape[name] = array
    landscape["erosion_t_km2"] = SoilErosion(params).soil_loss(landscape)
    add_succession_and_carbon(landscape, params, age_rng)


def add_succession_and_carbon(
    landscape: Landscape,
    params: Mapping[str, Any],
    rng: np.random.Generator,
    stand_age_yr: np.ndarray | None = None,
) -> None:
    """Succession progress consistent with each cell's stage, stand ages and carbon.

    Bare rock starts at zero progress (it has not begun to regrow); grass and shrub cells
    are spread evenly over their stage; forest cells have completed the path. Forest stand
    ages are ``stand_age_yr`` if given, else gamma-distributed (shape 3) with mean
    ``initial_forest_age_mean_yr``; ``plantation_share`` of the forest is marked as planted
    (a finished afforestation).
    """
    shape = landscape.shape
    cover = landscape["land_cover"]
    g, s, f = params["grass_years"], params["shrub_years"], params["forest_years"]
    u = rng.random(shape)
    progress = np.zeros(shape)
    progress = np.where(cover == LandCover.GRASS, g + u * (s - g), progress)
    progress = np.where(cover == LandCover.SHRUB, s + u * (f - s), progress)
    progress = np.where(cover == LandCover.FOREST, f, progress)
    landscape["succession_yr"] = progress * landscape.land
    mean_age = params["initial_forest_age_mean_yr"]
    ages = rng.gamma(3.0, mean_age / 3.0, shape) if stand_age_yr is None else stand_age_yr
    landscape["stand_age_yr"] = np.where(cover == LandCover.FOREST, np.maximum(ages, 1.0), 0.0)
    plantation = (cover == LandCover.FOREST) & (rng.random(shape) < params["plantation_share"])
    landscape["treatment_mode"] = np.where(plantation, Treatment.AFFORESTATION, Treatment.NONE)
    landscape["treatment_yr"] = np.where(plantation, np.minimum(landscape["stand_age_yr"], 999), 0)
    landscape["carbon_tC_ha"] = CarbonModel(params).density(landscape) * landscape.land
