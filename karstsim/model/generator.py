"""Generates a realistic karst landscape and its calibrated start state.

Terrain and geology come first and do not depend on the start year; the start year's
observed composition (:mod:`karstsim.model.initial_states`) is then laid on them, so a
2016 and a 2020 landscape from the same seed share their mountains, rivers and villages.

Steps, each documented in its function:

1. the map: the real region's boundaries on the georeferenced grid, or a synthetic ``WxH``;
2. elevation (the real DEM with generated detail, or a synthetic plateau with the four
   mountain belts and eight river valleys), and slope;
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
from scipy import ndimage, special

from karstsim.model import geography, georef, regional_figures, regions, severity
from karstsim.model.grid import GridSpec
from karstsim.model.initial_states import StartState
from karstsim.model.layers import LandCover, Landscape, Severity, Treatment
from karstsim.model.processes.carbon import CarbonModel, stand_volume
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.grazing import grazeable
from karstsim.model.processes.vegetation import target_cover

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
    """A new landscape in the state of ``start.year``: the real region of ``grid`` on the
    georeferenced grid, or a synthetic ``WxH`` map."""
    if grid.is_real:
        real = georef.region_grid(regions.all_regions()[grid.region], params["cell_size_km"])
        landscape = Landscape(
            land=real.land.copy(), cell_size_km=params["cell_size_km"], year=start.year,
            geo=real.geo,
        )  # fmt: skip
        landscape["county"] = real.county
        landscape["prefecture"] = real.prefecture
    else:
        landscape = Landscape(
            land=np.ones(grid.shape, dtype=bool), cell_size_km=params["cell_size_km"],
            year=start.year,
        )  # fmt: skip
        landscape["county"] = np.zeros(grid.shape)
        landscape["prefecture"] = np.zeros(grid.shape)
    terrain_rng, state_rng = rng.spawn(2)
    add_terrain(landscape, params, terrain_rng)
    landscape = landscape.compact()  # the start state is worked out on the land cells only
    add_start_state(landscape, start, params, state_rng)
    return landscape


def span_cells(landscape: Landscape) -> float:
    """The province's west–east extent in cells: the length unit of the terrain's patterns
    (on a synthetic map, its longer side stands for the province)."""
    if landscape.geo is None:
        return float(max(landscape.shape))
    return geography.PROVINCE_SPAN_KM / landscape.cell_size_km


def province_frame(landscape: Landscape) -> tuple[np.ndarray, np.ndarray]:
    """Every cell's position in the province's frame: (west→east, north→south), 0–1."""
    shape = landscape.shape
    rows = (np.arange(shape[0]) + 0.5)[:, None]
    cols = (np.arange(shape[1]) + 0.5)[None, :]
    if landscape.geo is None:
        return np.broadcast_to(cols / shape[1], shape), np.broadcast_to(rows / shape[0], shape)
    left, bottom, right, top = georef.province_bounds()
    a, _, c, _, e, f = landscape.geo.transform
    x = (c + a * cols - left) / (right - left)
    y = (top - (f + e * rows)) / (top - bottom)
    return np.broadcast_to(x, shape), np.broadcast_to(y, shape)


# --- 2–5. terrain, geology, soil, villages --------------------------------------------------
def smooth_noise(
    shape: tuple[int, int], scale_cells: float, rng: np.random.Generator
) -> np.ndarray:
    """Gaussian-filtered white noise, standardised to mean 0 and sd 1.

    Fields smoother than :data:`COARSE_NOISE_CELLS` are made on a grid coarser by
    ``scale / 4`` and interpolated (bilinear): the same spectrum at a cost that does
    not grow with the scale (the 250 m province's widest patterns are 60 cells)."""
    scale = max(scale_cells, 0.5)
    factor = int(scale // 4) if scale > COARSE_NOISE_CELLS else 1
    if factor > 1:
        coarse = tuple(-(-n // factor) + 3 for n in shape)
        small = ndimage.gaussian_filter(rng.standard_normal(coarse), scale / factor, mode="reflect")
        field = ndimage.zoom(small, factor, order=1, mode="nearest")[: shape[0], : shape[1]]
    else:
        field = ndimage.gaussian_filter(rng.standard_normal(shape), scale, mode="reflect")
    # (field - field.mean()) / (field.std() + 1e-12) to the last bit, in two passes fewer:
    # numpy's std is the root of the mean of the squared deviations from the same mean
    centred = field - field.mean()
    centred /= np.sqrt(np.mean(np.square(centred))) + 1e-12
    return centred


COARSE_NOISE_CELLS = 8.0
"""Noise scale (cells) above which :func:`smooth_noise` works on a coarser grid."""


_QUANTILES = np.linspace(0.0, 1.0, 4097)
_SLOPE_TABLE = special.gammaincinv(SLOPE_SHAPE, np.clip(_QUANTILES, 1e-6, 1 - 1e-6)) * (
    MEAN_SLOPE_DEG / SLOPE_SHAPE
)
"""The gamma distribution's quantiles (``scipy.stats.gamma.ppf``, whose module costs 0.3 s
to import, computes the same numbers this way)."""


def _gamma_quantile(quantile: np.ndarray) -> np.ndarray:
    """The slope distribution's quantile function (a 4 096-step table, linear between)."""
    return np.interp(quantile, _QUANTILES, _SLOPE_TABLE)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def rank_quantile(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each masked cell's rank among masked cells, mapped to (0, 1); 0 outside the mask."""
    out = np.zeros(values.shape)
    inside = values[mask]
    ranks = np.empty(inside.size)  # scipy.stats.rankdata(inside, method="ordinal")
    ranks[np.argsort(inside, kind="stable")] = np.arange(1, inside.size + 1)
    out[mask] = (ranks - 0.5) / max(inside.size, 1)
    return out


BELT_RIDGE_KM = 42.0
"""Half-width scale (km) of the ridge raised along a mountain belt on synthetic maps [E]."""
RIVER_VALLEY_KM = 18.0
"""Width scale (km) of a river valley on synthetic maps [E]."""
GORGE_KM = 3.0
"""Width scale (km) of the gorge a river cuts below the coarse DEM on real maps [E]."""
GORGE_DEPTH_M = 250.0
"""Depth of that gorge [E]: Guizhou's rivers run 200–500 m below the plateau surface."""


def elevation(landscape: Landscape, rng: np.random.Generator) -> np.ndarray:
    """Elevation (m). Real maps: the 0.2° DEM resampled, rivers cut into it, and generated
    relief below the DEM's ~20 km resolution. Synthetic maps: the plateau falls from
    ~2 200 m in the west to ~500 m in the east, belts rise up to ~700 m above it and
    rivers cut ~400 m deep valleys."""
    shape, geo = landscape.shape, landscape.geo
    size = span_cells(landscape)
    _, belt_km = geography.nearest_feature(geography.MOUNTAIN_BELTS, shape, geo)
    _, river_km = geography.nearest_feature(geography.RIVERS, shape, geo)
    detail = 220.0 * smooth_noise(shape, size / 40, rng) + 80.0 * smooth_noise(
        shape, size / 150, rng
    )
    if geo is not None:
        relief = georef.resampled_dem(geo, shape) - GORGE_DEPTH_M * np.exp(
            -((river_km / GORGE_KM) ** 2)
        )
        return np.clip(relief + 0.6 * detail, georef.MIN_ELEVATION_M, georef.MAX_ELEVATION_M)
    west_east, _ = province_frame(landscape)
    relief = (
        2200.0
        - 1700.0 * west_east**0.8
        + 700.0 * np.exp(-((belt_km / BELT_RIDGE_KM) ** 2))
        - 400.0 * np.exp(-((river_km / RIVER_VALLEY_KM) ** 2))
    )
    return np.maximum(relief + detail, 150.0)


def add_terrain(landscape: Landscape, params: Mapping[str, Any], rng: np.random.Generator) -> None:
    """Elevation, slope, carbonate, soil depth, rivers, villages and distance to them."""
    shape, land = landscape.shape, landscape.land
    size = span_cells(landscape)
    landscape["elevation_m"] = elevation(landscape, rng)

    # Slope: the gradient's rank mapped onto a gamma distribution with the province's mean
    # hillslope, since a 1 km gradient averages away the hillslopes inside the cell.
    gy, gx = np.gradient(landscape["elevation_m"], params["cell_size_km"] * 1000.0)
    steepness = np.hypot(gx, gy) + 0.3 * np.abs(smooth_noise(shape, 1.0, rng)) * 1e-3
    quantile = rank_quantile(steepness, land)
    slope = _gamma_quantile(quantile)
    landscape["slope_deg"] = np.clip(np.where(land, slope, 0.0), 0.0, 75.0)

    # Carbonate: patches at ~10 km (province) scale, rare on the metamorphic rocks of the
    # south-east (the Jiangnan orogen's slates under most of Qiandongnan) [E].
    west_east, north_south = province_frame(landscape)  # by column and by row: one of each
    metamorphic = _logistic((west_east[:1] - 0.72) / 0.03) * _logistic(
        (north_south[:, :1] - 0.5) / 0.05
    )
    karst_score = smooth_noise(shape, size / 50, rng) - 3.0 * metamorphic
    if landscape.geo is not None:
        no_karst = np.isin(landscape["county"], regional_figures.non_karst_counties())
        karst_score = np.where(no_karst, -np.inf, karst_score)
    landscape["carbonate"] = (
        land
        & np.isfinite(karst_score)
        & (rank_quantile(karst_score, land) > 1.0 - params["carbonate_share"])
    )

    # Soil depth (cm) [E]: 60–110 cm on clastic rock, 10–45 cm on karst, thinner on steep slopes.
    steep = landscape["slope_deg"] / 45.0
    variation = np.exp(0.25 * smooth_noise(shape, size / 100, rng))
    base = np.where(landscape["carbonate"], 35.0, 85.0)
    landscape["soil_depth_cm"] = np.clip(base * (1.0 - 0.5 * steep) * variation, 2.0, 150.0) * land

    _, river_km = geography.nearest_feature(geography.RIVERS, shape, landscape.geo)
    landscape["river"] = land & (river_km <= 0.75 * geography.km_per_cell(shape, landscape.geo))
    add_corridors(landscape, params)
    add_villages(landscape, params, rng)


def add_villages(landscape: Landscape, params: Mapping[str, Any], rng: np.random.Generator) -> None:
    """Villages, favouring gentle slopes and valleys, and the distance (km) to the nearest.

    On the real map each prefecture gets villages in proportion to its rural population
    (``villages_per_100km2`` is the province's mean density) and ``rural_density`` records
    how dense that population is, so that households follow it.
    """
    land = landscape.land
    cells = np.flatnonzero(land.ravel() & ~landscape["river"].ravel())
    weight = np.exp(-landscape["slope_deg"].ravel()[cells] / 8.0)
    density = np.ones(land.shape)
    if landscape.geo is not None:
        for code, ratio in regional_figures.rural_density_ratio().items():
            density[landscape["prefecture"] == int(code)] = ratio
    landscape["rural_density"] = density * land
    prefecture = landscape["prefecture"].ravel()[cells]
    chosen = []
    for code in np.unique(prefecture):
        inside = prefecture == code
        n_villages = max(
            1,
            round(
                params["villages_per_100km2"]
                * density.ravel()[cells[inside]].sum()
                * landscape.cell_area_km2
                / 100
            ),
        )
        w = weight[inside]
        chosen.append(
            rng.choice(
                cells[inside], size=min(n_villages, int(inside.sum())), replace=False, p=w / w.sum()
            )
        )
    chosen = np.concatenate(chosen)
    village = np.zeros(land.size, dtype=bool)
    village[chosen] = True
    landscape["village"] = village.reshape(land.shape)
    add_village_territories(landscape, params["cell_size_km"])


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
    shape, geo = landscape.shape, landscape.geo
    belt, belt_km = geography.nearest_feature(geography.MOUNTAIN_BELTS, shape, geo)
    river, river_km = geography.nearest_feature(geography.RIVERS, shape, geo)
    corridor = np.where(belt_km <= params["belt_corridor_width_km"], belt + 1, 0)
    in_river = river_km <= params["river_corridor_width_km"]
    corridor = np.where(in_river, river + 1 + len(geography.MOUNTAIN_BELTS), corridor)
    landscape["corridor"] = corridor * landscape.land


def init_management_layers(landscape: Landscape) -> None:
    """Layers of management that start empty: no treatment, owner, Grain-for-Green, patrols."""
    shape = landscape.shape
    for name in (
        "treatment_mode",
        "treatment_yr",
        "erosion_t_km2",
        "gfg_year",
        "tended_yr",
        "erosion_control_yr",
        "detection_prob",
        "eco_crop",
        "eco_crop_yr",
    ):
        landscape[name] = np.zeros(shape)
    for name in (
        "protected",
        "mine_dirty",
        "reserve_forest",
        "bought_back",
        "public_welfare_forest",
    ):
        landscape[name] = np.zeros(shape, dtype=bool)
    landscape["owner"] = np.full(shape, -1)


# --- 6. land cover ---------------------------------------------------------------------------
SHARED_BY_NON_FOREST_LAND = (
    LandCover.TRANSPORT,
    LandCover.GARDEN,
    LandCover.BARE_ROCK,
    LandCover.OTHER_FOREST,
)
"""Classes each prefecture holds in proportion to its non-forest land (as cropland), so that
the forest cover of each prefecture is its published figure."""


def assign_land_cover(
    landscape: Landscape, start: StartState, rng: np.random.Generator
) -> np.ndarray:
    """Land cover with the start year's exact class shares, placed by ranked suitability.

    Classes are filled in turn, each taking the free land cells it suits best: water on
    the river channels, built land at villages, mines on noisy patches near the belts,
    transport near villages, cropland on gentle, deep-soiled land near villages (with the
    start year's share of it on slopes of 25° or more), garden land on gentle land near
    villages, unused land (bare rock) on steep thin karst, forest and shrub far from
    villages and up the belts (shrub on karst), other forest land (young plantations) on
    steep thin karst, grassland the cells left (its share up to rounding).
    """
    land = landscape.land
    grid_shape = landscape.grid_shape
    size = max(grid_shape)
    n_land = landscape.land_cells
    slope = landscape["slope_deg"]
    soil = landscape["soil_depth_cm"]
    distance = landscape["distance_to_village_km"] / max(landscape.cell_size_km, 1e-9)
    karst = landscape["carbonate"]
    elevation = landscape["elevation_m"] / 1000.0
    noise = [
        landscape.from_grid(smooth_noise(grid_shape, s, rng)) for s in (size / 120, size / 60, 1.0)
    ]

    scores = {
        LandCover.WATER: 10.0 * landscape["river"] - elevation + 0.1 * noise[2],
        LandCover.BUILT: 5.0 * landscape["village"] - distance - slope / 10 + 0.3 * noise[0],
        LandCover.TRANSPORT: -distance / 2 - slope / 15 + 0.5 * noise[2],
        LandCover.MINE: noise[1] + 0.5 * noise[2],
        LandCover.CROPLAND: -slope / 12 + soil / 40 - distance / 2 + 0.6 * noise[0],
        LandCover.GARDEN: -slope / 15 - distance / 3 + 0.6 * noise[1],
        LandCover.BARE_ROCK: np.where(karst, slope / 12 - soil / 15 + 0.5 * noise[0], -np.inf),
        LandCover.FOREST: distance / 2 + elevation / 2 + slope / 25 + noise[1],
        LandCover.OTHER_FOREST: 1.0 * karst + slope / 30 - soil / 40 + 0.5 * noise[2],
    }
    cover = np.full(land.shape, LandCover.GRASS, dtype=np.int8)  # grassland: the cells left
    free = land.copy()
    steep = slope >= STEEP_CROPLAND_DEG
    prefecture = landscape["prefecture"]
    forest = forest_quotas(prefecture, land, start)
    codes, counts = np.unique(prefecture[land], return_counts=True)
    cells = dict(zip(codes.tolist(), counts.tolist(), strict=True))

    def by_non_forest_land(n: int) -> dict[int, int]:
        """``n`` cells shared by the prefectures in proportion to their non-forest land [E]."""
        return {
            code: round(n * count * (1 - forest[code] / count) / (n_land - sum(forest.values())))
            for code, count in cells.items()
        }

    # a map whose prefectures are more (or less) forested than the province holds
    # proportionally less (more) of the other classes
    non_forest = (n_land - sum(forest.values())) / (n_land * (1.0 - start.forest_cover))
    for cls, score in scores.items():
        n = round(start.cover_shares[cls] * n_land * non_forest) if cls != LandCover.FOREST else 0
        if cls == LandCover.FOREST:
            taken = _take_best_by_region(score, free, prefecture, forest)
        elif cls in SHARED_BY_NON_FOREST_LAND:
            # each prefecture's non-forest land holds the province's share of the class
            taken = _take_best_by_region(score, free, prefecture, by_non_forest_land(n))
        elif cls == LandCover.CROPLAND:
            crops = by_non_forest_land(n)
            steep_crops = {k: round(start.steep_cropland_share * v) for k, v in crops.items()}
            taken = _take_best_by_region(score, free & steep, prefecture, steep_crops)
            gentle = {k: v - int((taken & (prefecture == k)).sum()) for k, v in crops.items()}
            taken |= _take_best_by_region(score, free & ~taken & ~steep, prefecture, gentle)
        else:
            taken = _take_best(score, free, n)
        cover[taken] = cls
        free &= ~taken
    woods = cover == int(LandCover.FOREST)
    shrub_score = np.where(woods, 1.5 * karst - soil / 30 + noise[0], -np.inf)
    shrub_cells = round(start.cover_shares[LandCover.SHRUB] / start.forest_cover * woods.sum())
    cover[_take_best(shrub_score, woods, shrub_cells)] = LandCover.SHRUB
    return cover


def forest_quotas(prefecture: np.ndarray, land: np.ndarray, start: StartState) -> dict[int, int]:
    """Cells of forest cover (forest + special shrubland) per prefecture code: its
    published (or derived) share of the start year, scaled with the province's forest
    cover from 2020 to the start year; the province share where the code is 0."""
    codes, counts = np.unique(prefecture[land], return_counts=True)
    figures = regional_figures.prefecture_figures()
    province_2020 = regional_figures.province_figures()["forest_cover_2020_pct"] / 100
    scale = start.forest_cover / province_2020
    return {
        int(code): round(
            count * (figures[str(code)].forest_cover_2020 * scale if code else start.forest_cover)
        )
        for code, count in zip(codes, counts, strict=True)
    }


def _take_best_by_region(
    score: np.ndarray, free: np.ndarray, region: np.ndarray, quotas: Mapping[int, int]
) -> np.ndarray:
    """The best free cells of each region up to its quota; a region's shortfall (too few
    free cells) goes to the best free cells anywhere."""
    taken = np.zeros(free.shape, dtype=bool)
    shortfall = 0
    for code, n in quotas.items():
        inside = _take_best(score, free & (region == code), n)
        taken |= inside
        shortfall += n - int(inside.sum())
    if shortfall > 0:
        taken |= _take_best(score, free & ~taken, shortfall)
    return taken


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


def _severity_targets(start: StartState, karst_cells: int, carbonate_share: float) -> np.ndarray:
    """Target counts of cells at severity ≥ light, ≥ moderate, ≥ severe, ≥ extreme: the
    province's desertified share of karst land, applied to this map's karst land (so a
    region with little carbonate rock has little desertified land)."""
    desertified = start.desertified_share / max(carbonate_share, 1e-9) * karst_cells
    per_class = desertified * NATIONAL_CLASS_SHARES / NATIONAL_CLASS_SHARES.sum()
    return per_class[::-1].cumsum()[::-1]


def _exposure_by_rank(counts_at_least: np.ndarray, n_karst: int) -> np.ndarray:
    """Exposure of the karst cells by propensity rank (position 0: the most prone cell),
    with ``counts_at_least`` cells in the exposure bands of light and worse."""
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
    return exposure_sorted


def _cover_and_severity(
    landscape: Landscape, exposure: np.ndarray, cells: np.ndarray | None, params: Mapping[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Vegetation cover and severity that follow from ``exposure``: on the whole grid
    (``cells`` None) or on the flat ``cells`` alone (``exposure`` then holds theirs)."""

    def layer(name: str) -> np.ndarray:
        return landscape[name] if cells is None else landscape[name].ravel()[cells]

    cover = layer("land_cover")
    veg = target_cover(
        cover, exposure, layer("grazed"), params["rock_cover_penalty"], params["grazing_cover_loss"]
    )
    land = landscape.land if cells is None else landscape.land.ravel()[cells]
    return veg, severity.classify(exposure, veg, layer("carbonate"), cover) * land


def _exposure_state(
    landscape: Landscape,
    order: np.ndarray,
    counts_at_least: np.ndarray,
    n_karst: int,
    params: Mapping[str, Any],
) -> dict[str, np.ndarray]:
    """Exposure by propensity order, with ``counts_at_least`` cells in the exposure bands of
    light and worse; and the vegetation cover and severity that follow from it."""
    exposure = np.zeros(landscape.land.size)
    exposure[order[:n_karst]] = _exposure_by_rank(counts_at_least, n_karst)
    exposure = exposure.reshape(landscape.shape)
    veg, sev = _cover_and_severity(landscape, exposure, None, params)
    return {"bedrock_exposure": exposure, "vegetation_cover": veg, "severity": sev}


_PROPENSITY_BY_COVER = np.array([0.0, 0.6, 1.2, 1.0, 3.0, 0.0, 0.0, 0.0, 1.5, 0.5, 0.0])
"""Desertification propensity by land-class code (unused land ≫ other forest land > grass >
cropland > shrub, garden > forest)."""


def add_start_state(
    landscape: Landscape, start: StartState, params: Mapping[str, Any], rng: np.random.Generator
) -> None:
    """Land cover, exposure (calibrated), cover, severity, succession, stand age and carbon
    (the random fields are drawn on the whole grid and kept for the land cells)."""
    grid_shape = landscape.grid_shape
    cover_rng, exposure_rng, graze_rng, age_rng = rng.spawn(4)
    landscape["land_cover"] = assign_land_cover(landscape, start, cover_rng)
    cover = landscape["land_cover"]
    init_management_layers(landscape)
    landscape["grazed"] = grazeable(landscape, params["grazing_distance_km"]) & (
        landscape.from_grid(graze_rng.random(grid_shape)) < params["grazing_pressure"]
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
        + 0.6 * landscape.from_grid(smooth_noise(grid_shape, 1.5, exposure_rng))
    )
    # the karst cells, most prone first (what a stable sort of the whole grid with -inf
    # off karst put first, without sorting the rest)
    karst_flat = np.flatnonzero(karst.ravel())
    order = karst_flat[np.argsort(-propensity.ravel()[karst_flat], kind="stable")]
    n_karst = int(karst.sum())
    targets = _severity_targets(start, n_karst, params["carbonate_share"])
    counts = targets.copy()
    karst_cells = order[:n_karst]  # every other cell has no exposure and no severity
    for _ in range(CALIBRATION_ROUNDS):
        exposure = _exposure_by_rank(counts, n_karst)
        _, grade = _cover_and_severity(landscape, exposure, karst_cells, params)
        achieved = np.array([(grade >= k).sum() for k in _CALIBRATED])
        counts = np.clip(counts * targets / np.maximum(achieved, 1), 0, n_karst)
        counts = np.minimum.accumulate(counts)
    for name, array in _exposure_state(landscape, order, counts, n_karst, params).items():
        landscape[name] = array
    landscape["erosion_t_km2"] = SoilErosion(params).soil_loss(landscape)
    add_succession_and_carbon(landscape, params, age_rng, start.stock_m3_ha)


def fit_stand_ages(
    relative_ages: np.ndarray,
    bedrock_exposure: np.ndarray,
    stock_m3_ha: float,
    params: Mapping[str, Any],
) -> float:
    """The mean stand age (yr) at which forest cells aged ``relative_ages`` × mean hold
    ``stock_m3_ha`` of growing stock on average (bisection on the monotone yield curve;
    the oldest mean tried, 200 yr, if the sites cannot hold that much)."""
    if relative_ages.size == 0:
        return 1.0
    site = CarbonModel(params).site_volume(bedrock_exposure, np.zeros(bedrock_exposure.shape))
    k = params["stand_volume_k_per_yr"]
    low, high = 1.0, 200.0
    for _ in range(40):
        mean_age = 0.5 * (low + high)
        held = stand_volume(np.maximum(relative_ages * mean_age, 1.0), site, k).mean()
        low, high = (mean_age, high) if held < stock_m3_ha else (low, mean_age)
    return 0.5 * (low + high)


def add_succession_and_carbon(
    landscape: Landscape,
    params: Mapping[str, Any],
    rng: np.random.Generator,
    stock_m3_ha: float,
    stand_age_yr: np.ndarray | None = None,
) -> None:
    """Succession progress consistent with each cell's stage, stand ages and carbon.

    Bare rock starts at zero progress (it has not begun to regrow); grass and shrub cells
    are spread evenly over their stage; forest cells have completed the path. Forest stand
    ages are ``stand_age_yr`` if given, else gamma-distributed (shape 3) with the mean
    that gives the forest a growing stock of ``stock_m3_ha`` on the yield curve
    (:func:`fit_stand_ages`); ``plantation_share`` of the forest is marked as planted (a
    finished afforestation).
    """
    shape, grid_shape = landscape.shape, landscape.grid_shape
    cover = landscape["land_cover"]
    g, s, f = params["grass_years"], params["shrub_years"], params["forest_years"]
    u = landscape.from_grid(rng.random(grid_shape))
    progress = np.zeros(shape)
    progress = np.where(cover == int(LandCover.GRASS), g + u * (s - g), progress)
    progress = np.where(cover == int(LandCover.SHRUB), s + u * (f - s), progress)
    progress = np.where(cover == int(LandCover.FOREST), f, progress)
    landscape["succession_yr"] = progress * landscape.land
    relative_ages = landscape.from_grid(rng.gamma(3.0, 1.0 / 3.0, grid_shape))
    forest = (cover == int(LandCover.FOREST)) & landscape.land
    if stand_age_yr is None:
        stand_age_yr = relative_ages * fit_stand_ages(
            relative_ages[forest], landscape["bedrock_exposure"][forest], stock_m3_ha, params
        )
    landscape["stand_age_yr"] = np.where(forest, np.maximum(stand_age_yr, 1.0), 0.0)
    plantation = forest & (landscape.from_grid(rng.random(grid_shape)) < params["plantation_share"])
    landscape["treatment_mode"] = np.where(plantation, Treatment.AFFORESTATION, Treatment.NONE)
    landscape["treatment_yr"] = np.where(plantation, np.minimum(landscape["stand_age_yr"], 999), 0)
    landscape["carbon_tC_ha"] = CarbonModel(params).density(landscape) * landscape.land
