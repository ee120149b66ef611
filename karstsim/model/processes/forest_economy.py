"""Forest economy (issue 13, item 6): national reserve forest, buy-back of commercial forest,
public-welfare forest, and the featured crops oil-tea, walnut and rosa roxburghii.

The plan (优化林业产业建设格局, 完善天然林保护修复, 持续推进商品林赎买改革试点): "到2025年，国家
储备林建设面积达到1098万亩", "完成赎买改革试点任务8.2万亩", "地方公益林补偿标准与国家标准保持一致",
"新增林下经济利用面积1000万亩", "油茶种植面积达到330万亩", "完成核桃低产林改造200万亩", "刺梨种植
面积达到230万亩". Areas are province-equivalent (× the map's area scale). Each year, after the
zoning and wetlands (:class:`ForestEconomy.run_one_year`):

* **National reserve forest** (国家储备林). The designated area grows linearly from none in
  2020 to ``reserve_forest_target_ha`` in 2025 (:data:`RAMP`; whole cells, rounded up) and is held
  after. It is laid on planted
  forest (the treatment mode of planted stands) outside the red line, in this order: the
  Chishui basin first (its counties on a real map, the Chishui–Qijiang river corridor on a
  synthetic one, :func:`in_chishui_basin`), then the most productive and accessible stands
  (:func:`reserve_score`), ties broken by a fixed-size draw. Reserve stands are tended every
  year (``tended_yr`` is this year, so they grow ``tending_growth_gain`` faster) and the timber
  harvest cuts mature reserve stands first (:class:`~karstsim.model.processes.forestry.TimberHarvest`).
  One-off cost ``reserve_forest_cost_yuan_ha``.
* **Buy-back** (商品林赎买). Bought-back area grows linearly to ``forest_buyback_target_ha`` in 2025:
  households' planted commercial forest (not public-welfare forest) in protected areas first,
  then elsewhere in the red line. A
  bought-back cell passes to the state (``owner`` −1) as public-welfare forest and is never cut;
  the price ``forest_buyback_cost_yuan_ha`` is a one-off public cost (an asset sale for the
  household, not income).
* **Public-welfare forest** (公益林): the ``public_welfare_forest_share`` of the start year's
  wooded land with the highest habitat value (:func:`~karstsim.model.processes.zoning.habitat_value`)
  and the bought-back forest; it is not cut. Each wooded hectare of it earns
  ``public_welfare_comp_yuan_ha`` a year: paid to its household (income source
  ``public_welfare``) or to the collective or state (public cost only).
* **Featured crops** (:class:`~karstsim.model.layers.EcoCrop`): ``oil_tea_ha_per_year`` and
  ``rosa_ha_per_year`` are planted on households' open land and sloping cropland (at least
  :data:`SLOPING_CROPLAND_DEG`) outside the red line and wetland, not under treatment, as
  eco-economic stands (the treatment mode: cropland stays cropped until the stand counts as
  forest; a failed planting drops its crop); oil-tea on the lowest land first, rosa roxburghii
  nearest :data:`ROSA_BEST_ELEVATION_M`, spread by a draw of ± :data:`CROP_RANK_JITTER_M`.
  ``walnut_improvement_ha_per_year`` of households' planted forest, the highest first, becomes
  improved walnut (the land stays as it is; improved groves are not clear-cut). Each crop pays
  its owner from its ``*_bearing_years`` on, rising linearly to its full yield at
  ``*_full_years`` (:func:`bearing_fraction`): yield × price − cost per ha
  (:func:`crop_net_yuan_ha`). One-off public costs ``*_planting_cost_yuan_ha`` and
  ``walnut_improvement_cost_yuan_ha``.

With every lever at zero the layers stay empty and nothing changes. Each programme has its own
stream, spawned from the process's stream of the year, and draws one number per cell from it
in a year it acts (common random numbers: one programme's lever does not move another's draws).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model import geography
from karstsim.model.allocation import CellBudget
from karstsim.model.layers import WOODED, EcoCrop, LandCover, Landscape, Treatment, is_any
from karstsim.model.processes.treatment import START_WRITES, start_treatment
from karstsim.model.processes.zoning import habitat_value
from karstsim.model.streams import lexsort_head

RAMP = (2020, 2025)
"""The plan period over which the reserve forest and the buy-back reach their 2025 areas [F]."""
CHISHUI_CORRIDOR = (
    1 + len(geography.MOUNTAIN_BELTS) + [f.key for f in geography.RIVERS].index("chishui")
)
"""``corridor`` code of the Chishui–Qijiang river corridor."""
CHISHUI_COUNTIES = (520502, 520521, 520523, 520382, 520330, 520381, 520322, 520304)
"""Adcodes of the Chishui basin's counties [M] (the plan area ``chishui`` of
``karstsim/data/guizhou/prefecture_figures.toml``)."""
RESERVE_ACCESS_KM = 5.0
"""Distance to a village over which a stand's reserve score falls by 1/e, km [E]: timber
needs roads."""
DEEP_SOIL_CM = 30.0
"""Soil depth from which a stand counts as fully productive for the reserve score, cm [E]."""
SLOPING_CROPLAND_DEG = 15.0
"""Slope from which cropland is restructured into featured crops, degrees [E] (the plan's
坡耕地 restructuring; Grain-for-Green takes land from 25°)."""
ROSA_BEST_ELEVATION_M = 1300.0
"""Elevation rosa roxburghii is planted nearest first, m [E] (its belts in Qiannan,
Liupanshui and Bijie lie at about 1 000–1 600 m)."""
CROP_RANK_JITTER_M = 300.0
"""Spread of the featured crops' ranking by elevation, m [E]: land within a few hundred
metres of the best is taken at random."""
PLANTED_CROPS = (EcoCrop.OIL_TEA, EcoCrop.ROSA)
"""Crops planted as new eco-economic stands (walnut improves existing groves)."""
CROP_PREFIX = {EcoCrop.OIL_TEA: "oil_tea", EcoCrop.WALNUT: "walnut", EcoCrop.ROSA: "rosa"}
"""Parameter prefix of each featured crop."""


def zone(land: Landscape, name: str) -> np.ndarray:
    """A zone layer of another sub-model (``red_line``, ``protected_area``, ``wetland``), or
    no cell where that sub-model laid none."""
    return land[name] if name in land else np.zeros(land.shape, dtype=bool)


def ramp_share(year: int) -> float:
    """Share of a 2025 area reached in ``year`` (0 in 2020, 1 from 2025)."""
    first, last = RAMP
    return float(np.clip((year - first) / (last - first), 0.0, 1.0))


def in_chishui_basin(land: Landscape) -> np.ndarray:
    """The Chishui basin: its counties (real maps) or the Chishui–Qijiang corridor."""
    return is_any(land["county"], CHISHUI_COUNTIES) | (land["corridor"] == CHISHUI_CORRIDOR)


def reserve_score(land: Landscape, cells: np.ndarray) -> np.ndarray:
    """Productivity × accessibility of flat-indexed ``cells``, 0–1: (1 − bedrock exposure) ×
    min(1, soil depth / 30 cm) × exp(−distance to village / 5 km)."""
    rock = 1.0 - land["bedrock_exposure"].ravel()[cells]
    soil = np.minimum(land["soil_depth_cm"].ravel()[cells] / DEEP_SOIL_CM, 1.0)
    access = np.exp(-land["distance_to_village_km"].ravel()[cells] / RESERVE_ACCESS_KM)
    return rock * soil * access


def bearing_fraction(age_yr: np.ndarray, bearing_years: int, full_years: int) -> np.ndarray:
    """Share of full yield a stand ``age_yr`` years after planting gives: 0 before
    ``bearing_years``, rising linearly to 1 at ``full_years``."""
    steps = max(full_years - bearing_years, 0) + 1
    return np.clip((age_yr - bearing_years + 1) / steps, 0.0, 1.0)


def crop_net_yuan_ha(
    crop: EcoCrop, age_yr: np.ndarray, params: Mapping[str, Any], growth: float = 1.0
) -> np.ndarray:
    """Net income of a hectare of ``crop`` ``age_yr`` years after planting or improvement,
    yuan/ha/yr: bearing fraction × (yield × price − cost), × ``growth`` (the market growth
    of 2020 yuan)."""
    name = CROP_PREFIX[crop]
    full = params[f"{name}_yield_kg_ha"] * params[f"{name}_price_yuan_kg"]
    net = (full - params[f"{name}_cost_yuan_ha"]) * growth
    share = bearing_fraction(age_yr, params[f"{name}_bearing_years"], params[f"{name}_full_years"])
    return share * net


def crop_establishment_cost(crop: EcoCrop, params: Mapping[str, Any]) -> float:
    """One-off public cost of a hectare of ``crop``, yuan/ha."""
    if crop == EcoCrop.WALNUT:
        return params["walnut_improvement_cost_yuan_ha"]
    return params[f"{CROP_PREFIX[crop]}_planting_cost_yuan_ha"]


def crop_lever(crop: EcoCrop) -> str:
    """The lever of ``crop``'s yearly area."""
    if crop == EcoCrop.WALNUT:
        return "walnut_improvement_ha_per_year"
    return f"{CROP_PREFIX[crop]}_ha_per_year"


class ForestEconomy:
    """Reserve forest, buy-back, public-welfare forest and featured crops (the module's text)."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "treatment_mode",
        "owner",
        "red_line",
        "protected_area",
        "wetland",
        "corridor",
        "county",
        "bedrock_exposure",
        "soil_depth_cm",
        "distance_to_village_km",
        "slope_deg",
        "elevation_m",
        "reserve_forest",
        "bought_back",
        "public_welfare_forest",
        "eco_crop",
        "eco_crop_yr",
    )
    writes: ClassVar[tuple[str, ...]] = (
        *START_WRITES,
        "owner",
        "tended_yr",
        "reserve_forest",
        "bought_back",
        "public_welfare_forest",
        "eco_crop",
        "eco_crop_yr",
    )

    def __init__(self, params: Mapping[str, Any], area_scale: float):
        self.params = params
        self.area_scale = area_scale
        self.crop_budgets = {crop: CellBudget() for crop in EcoCrop if crop != EcoCrop.NONE}
        self.cost_yuan = {"reserve": 0.0, "buyback": 0.0, "crops": 0.0}
        """This year's one-off public costs, yuan."""
        self.bought_back_ha_cum = 0.0

    def designate(self, land: Landscape, keys: np.ndarray) -> None:
        """Lay the start year's public-welfare forest: the ``public_welfare_forest_share`` of
        wooded land of highest habitat value (``keys``, one uniform number per cell, break
        ties); the other layers start empty."""
        for name in ("reserve_forest", "bought_back", "public_welfare_forest"):
            land[name] = np.zeros(land.shape, dtype=bool)
        for name in ("eco_crop", "eco_crop_yr"):
            land[name] = np.zeros(land.shape)
        share = self.params["public_welfare_forest_share"]
        if share <= 0:
            return
        cells = np.flatnonzero((land.land & is_any(land["land_cover"], WOODED)).ravel())
        value = habitat_value(land, self.params).ravel()[cells]
        n = round(share * cells.size)
        chosen = np.zeros(land.land.size, dtype=bool)
        chosen[cells[lexsort_head((keys[cells], -value), n)]] = True
        land["public_welfare_forest"] = chosen.reshape(land.shape)

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        streams = rng.spawn(2 + len(self.crop_budgets))  # one per programme
        self.cost_yuan = dict.fromkeys(self.cost_yuan, 0.0)
        self._drop_failed_crops(land)
        self._reserve(land, streams[0])
        self._buy_back(land, streams[1])
        planting: dict[str, np.ndarray] = {}  # the year's candidate masks, made when needed
        for row, crop in enumerate(self.crop_budgets, start=2):
            self._crop(land, crop, streams[row], planting)

    # --- programmes ---------------------------------------------------------------------------
    def _cells_short(self, land: Landscape, name: str, layer: str) -> int:
        """Whole cells the 2025-area lever ``name`` still asks of ``layer`` this year: its
        ramp's area, rounded up (the programme holds at least its area), less the cells held."""
        exact = self.params[name] * self.area_scale * ramp_share(land.year) / land.cell_area_ha
        held = int(np.count_nonzero(land[layer] & land.land))
        return max(math.ceil(exact - 1e-9) - held, 0)

    def _drop_failed_crops(self, land: Landscape) -> None:
        crop = land["eco_crop"]
        failed = is_any(crop, PLANTED_CROPS) & (land["treatment_mode"] == int(Treatment.NONE))
        if failed.any():
            crop[failed] = EcoCrop.NONE
            land["eco_crop_yr"][failed] = 0

    def _planted_forest(self, land: Landscape) -> np.ndarray:
        """Planted forest (flat mask) that no forest-economy programme holds yet."""
        free = ~(land["reserve_forest"] | land["bought_back"]) & (land["eco_crop"] == 0)
        return (
            land.land
            & (land["land_cover"] == int(LandCover.FOREST))
            & (land["treatment_mode"] == int(Treatment.AFFORESTATION))
            & free
        ).ravel()

    def _reserve(self, land: Landscape, rng: np.random.Generator) -> None:
        n = self._cells_short(land, "reserve_forest_target_ha", "reserve_forest")
        reserve = land["reserve_forest"]
        if n > 0:
            open_forest = (
                self._planted_forest(land)
                & ~(zone(land, "red_line") | land["public_welfare_forest"]).ravel()
            )
            cells = np.flatnonzero(open_forest)
            draw = land.uniform(rng, dtype=np.float32)  # one per cell, used or not
            first = ~in_chishui_basin(land).ravel()[cells]
            chosen = cells[lexsort_head((draw[cells], -reserve_score(land, cells), first), n)]
            reserve.flat[chosen] = True
            self.cost_yuan["reserve"] = (
                chosen.size * land.cell_area_ha * self.params["reserve_forest_cost_yuan_ha"]
            )
        managed = reserve & (land["land_cover"] == int(LandCover.FOREST))
        if managed.any():  # kept tended: intensive management for timber
            land["tended_yr"][managed] = land.year

    def _buy_back(self, land: Landscape, rng: np.random.Generator) -> None:
        n = self._cells_short(land, "forest_buyback_target_ha", "bought_back")
        if n <= 0:
            return
        commercial = (land["owner"] >= 0) & zone(land, "red_line") & ~land["public_welfare_forest"]
        cells = np.flatnonzero(self._planted_forest(land) & commercial.ravel())
        outside_protected = ~zone(land, "protected_area").ravel()[cells]
        draw = land.uniform(rng, dtype=np.float32)  # one per cell, used or not
        chosen = cells[lexsort_head((draw[cells], outside_protected), n)]
        land["bought_back"].flat[chosen] = True
        land["public_welfare_forest"].flat[chosen] = True
        land["owner"].flat[chosen] = -1
        ha = chosen.size * land.cell_area_ha
        self.bought_back_ha_cum += ha
        self.cost_yuan["buyback"] = ha * self.params["forest_buyback_cost_yuan_ha"]

    def _crop(
        self,
        land: Landscape,
        crop: EcoCrop,
        rng: np.random.Generator,
        planting: dict[str, np.ndarray],
    ) -> None:
        """Plant (or, for walnut, improve) this year's cells of ``crop``. ``planting`` keeps
        the year's candidate masks between the crops: a crop's cells leave them once taken."""
        p = self.params
        n = self.crop_budgets[crop].cells(p[crop_lever(crop)] * self.area_scale, land.cell_area_ha)
        if n <= 0:
            return
        draw = land.uniform(rng, dtype=np.float32)  # one per cell, used or not
        kind = "forest" if crop == EcoCrop.WALNUT else "open"
        if kind not in planting:
            planting[kind] = self._crop_candidates(land, kind)
        mask = planting[kind]
        cells = np.flatnonzero(mask)
        elevation = land["elevation_m"].ravel()[cells]
        if crop == EcoCrop.WALNUT:
            distance = -elevation  # the highest first
        else:  # oil-tea: the lowest first; rosa roxburghii: nearest its best elevation
            distance = np.abs(
                elevation - (0.0 if crop == EcoCrop.OIL_TEA else ROSA_BEST_ELEVATION_M)
            )
        key = distance + CROP_RANK_JITTER_M * draw[cells]
        if n < cells.size:
            cells = cells[np.argpartition(key, n - 1)[:n]]
        if crop != EcoCrop.WALNUT:
            start_treatment(land, cells, Treatment.ECO_ECONOMIC)
        mask[cells] = False  # taken: no longer a candidate for the next crop
        land["eco_crop"].flat[cells] = crop
        land["eco_crop_yr"].flat[cells] = land.year
        self.cost_yuan["crops"] += cells.size * land.cell_area_ha * crop_establishment_cost(crop, p)

    def _crop_candidates(self, land: Landscape, kind: str) -> np.ndarray:
        """Flat mask of the cells a featured crop may take: households' planted forest
        (``forest``: walnut improvement) or their sloping cropland and open land not under
        treatment (``open``: oil-tea, rosa roxburghii), outside the red line."""
        owned = (land["owner"] >= 0) & ~zone(land, "red_line")
        if kind == "forest":
            return self._planted_forest(land) & (owned & ~land["public_welfare_forest"]).ravel()
        cover = land["land_cover"]
        sloping = (cover == int(LandCover.CROPLAND)) & (land["slope_deg"] >= SLOPING_CROPLAND_DEG)
        usable = is_any(cover, (LandCover.GRASS, LandCover.BARE_ROCK)) | sloping
        return (
            land.land
            & usable
            & owned
            & (land["treatment_mode"] == int(Treatment.NONE))
            & (land["eco_crop"] == 0)
            & ~zone(land, "wetland")
        ).ravel()

    # --- outputs ------------------------------------------------------------------------------
    def public_welfare_forest_ha(self, land: Landscape) -> float:
        """Wooded public-welfare forest (what is compensated), ha."""
        wooded = land["public_welfare_forest"] & is_any(land["land_cover"], WOODED) & land.land
        return float(np.count_nonzero(wooded)) * land.cell_area_ha

    def indicators(self, land: Landscape) -> dict[str, float]:
        """The programmes' areas on the map, ha."""
        crop = land.on_land(land["eco_crop"])
        out = {
            "reserve_forest_ha": float(np.count_nonzero(land["reserve_forest"] & land.land))
            * land.cell_area_ha,
            "forest_bought_back_ha_cum": self.bought_back_ha_cum,
            "public_welfare_forest_km2": self.public_welfare_forest_ha(land) / 100.0,
        }
        for code, name in CROP_PREFIX.items():
            key = "walnut_improved_ha" if code == EcoCrop.WALNUT else f"{name}_ha"
            out[key] = float(np.count_nonzero(crop == code)) * land.cell_area_ha
        return out
