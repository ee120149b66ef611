"""Gross ecosystem product (生态产品总值, GEP) accounts, cell by cell and year by year.

The national specification, 《生态产品总值核算规范（试行）》 (National Development and Reform
Commission and National Bureau of Statistics, 发改基础〔2022〕481号, 2022), writes GEP as the
sum of three parts, each service a physical quantity times a price:

- **material products** (物质供给): what people harvest from ecosystems — here crops
  (cropland and garden land × gross output per ha), timber (the stands the model cuts),
  the understory economy (the households' understory land × its gross output per ha),
  livestock (cattle, sheep and goats sold × price × the grazed share of their forage) and
  the featured crops of eco-economic stands (oil-tea, walnut, rosa roxburghii: bearing
  stands × yield × farm-gate price);
- **regulating services** (调节服务) — soil retention (potential minus actual soil loss,
  RUSLE's way; valued as reduced siltation at the dredging cost plus reduced nitrogen and
  phosphorus at their treatment cost), water conservation (the water balance of
  :mod:`karstsim.model.water_yield`, valued at the reservoir construction cost) and carbon
  sequestration (the year's change of every cell's ecosystem carbon, biomass pools and soil,
  valued at the carbon-market price);
- **cultural services** (文化服务) — recreation: the province's nature visits (sourced
  visitor numbers × the share drawn by nature) × spending per visit, moving with the natural
  landscape's quality (vegetation cover of natural land and water) and shared between cells
  by it.

Every service is computed per land cell (:meth:`GepAccount.measure`), so counties sum
exactly to the province (``gep.csv``). Prices are constant (:mod:`karstsim.model.gep_prices`).

**Double counting** (the specification's rules, tested in ``tests/test_gep.py``):
water yield is reported as a physical quantity and not valued (water conservation is, and
no water-supply product is counted); soil retention's value excludes the soil's nutrients
kept on the land (only the pollution avoided downstream, not fertiliser as well); carbon
sequestration is the net change of the standing carbon, so the carbon in harvested timber
leaves the regulating account when the timber enters the material one; featured crops
and understory products are counted on their own stands, which are not counted as crops;
livestock counts only the grazed share of the herd's forage (stall feed from crops and
straw would count the crops twice); recreation counts only the nature share of visits;
oxygen release (释氧, a by-product of
the same photosynthesis as carbon fixation) is not counted. Services the specification
lists that the model cannot support honestly (flood regulation, air and water
purification, climate regulation, wind-break and coastal protection) are left out: the accounts are a lower bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from karstsim.model import gep_prices
from karstsim.model.layers import LandCover, Landscape
from karstsim.model.parameters import PROVINCE_LAND_KM2
from karstsim.model.processes.carbon import CO2_PER_C, pool_shares
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.forest_economy import CROP_PREFIX, bearing_fraction
from karstsim.model.water_yield import WaterBalance

PARTS = ("material", "regulating", "cultural")
"""The specification's three parts of GEP, in its order."""


@dataclass(frozen=True)
class Service:
    """One service of the accounts: its part, physical unit and how it is computed."""

    name: str
    part: str
    unit: str
    label_zh: str
    method: str


SERVICES: tuple[Service, ...] = (
    Service(
        "crops",
        "material",
        "ha",
        "农产品",
        "cropland and garden land in production × gross output per ha (crop_output_yuan_ha)",
    ),
    Service(
        "timber",
        "material",
        "m³",
        "林产品（木材）",
        "growing stock cut this year × timber price",
    ),
    Service(
        "understory",
        "material",
        "ha",
        "林下经济产品",
        "forest the households work in the understory economy × its gross output per ha "
        "(understory_output_yuan_ha)",
    ),
    Service(
        "livestock",
        "material",
        "head",
        "畜牧产品",
        "cattle, sheep and goats sold × farm-gate price × the grazed share of their forage "
        "(the rest, stalls, straw and sown fodder, is not the ecosystem's: not counted twice)",
    ),
    Service(
        "featured_crops",
        "material",
        "t",
        "特色经济林产品",
        "bearing oil-tea, improved walnut and rosa roxburghii: bearing share × yield × "
        "farm-gate price (the forest economy's parameters)",
    ),
    Service(
        "soil_retention",
        "regulating",
        "t",
        "土壤保持",
        "potential minus actual soil loss; value = λ × retained / bulk density × dredging "
        "cost + retained × (N × N treatment cost + P × P treatment cost)",
    ),
    Service(
        "water_conservation",
        "regulating",
        "m³",
        "水源涵养",
        "(P − R − AET) × area on forest, shrub, grass, wetland and water (Fu–Budyko AET) × "
        "reservoir construction cost",
    ),
    Service(
        "carbon_sequestration",
        "regulating",
        "tCO₂",
        "固碳",
        "this year's change of biomass (all pools) and soil organic carbon × 44/12 × carbon price",
    ),
    Service(
        "recreation",
        "cultural",
        "visits",
        "休闲旅游",
        "visits × nature share × (landscape quality / start year's)^elasticity × spending "
        "per visit, shared by landscape quality",
    ),
)
"""The services of the accounts, in ``gep.csv``'s order."""

SERVICE_BY_NAME: Mapping[str, Service] = {s.name: s for s in SERVICES}

NATURAL = np.zeros(len(LandCover), dtype=bool)
NATURAL[
    [
        LandCover.FOREST,
        LandCover.SHRUB,
        LandCover.OTHER_FOREST,
        LandCover.GRASS,
        LandCover.WATER,
    ]
] = True
"""Land classes whose landscape draws visitors (natural vegetation and water)."""
CROPPED = np.zeros(len(LandCover), dtype=bool)
CROPPED[[LandCover.CROPLAND, LandCover.GARDEN]] = True


@dataclass
class CellAccounts:
    """One year's accounts of every land cell (land-cell order): ``quantity[service]`` in
    the service's unit and ``unit_value[service]``, yuan per unit (one price, or one per
    cell where it differs, as for the featured crops); :attr:`value` is their product."""

    quantity: dict[str, np.ndarray]
    unit_value: dict[str, float | np.ndarray]

    @cached_property
    def value(self) -> dict[str, np.ndarray]:
        """Each service's value on every land cell, yuan (worked out when asked for: the
        map's sums need only the quantities' sums)."""
        return {s.name: self.quantity[s.name] * self.unit_value[s.name] for s in SERVICES}

    @cached_property
    def quantity_sums(self) -> dict[str, float]:
        """Each quantity summed over the map (in its unit)."""
        return {name: float(v.sum()) for name, v in self.quantity.items()}

    @cached_property
    def value_sums(self) -> dict[str, float]:
        """Each service's value summed over the map, yuan."""
        sums = {}
        for s in SERVICES:
            price = self.unit_value[s.name]
            if np.ndim(price) == 0:
                sums[s.name] = self.quantity_sums[s.name] * float(price)
            else:
                sums[s.name] = float((self.quantity[s.name] * price).sum())  # not BLAS: it spins
        return sums

    def totals(self) -> dict[str, float]:
        """The map's GEP and its parts (M yuan) and the physical totals the outputs report."""
        by_part = dict.fromkeys(PARTS, 0.0)
        for service in SERVICES:
            by_part[service.part] += self.value_sums[service.name] / 1e6
        q = self.quantity_sums
        return {
            "gep_Myuan": sum(by_part.values()),
            **{f"gep_{part}_Myuan": v for part, v in by_part.items()},
            "soil_retained_Mt": q["soil_retention"] / 1e6,
            "water_conservation_km3": q["water_conservation"] / 1e9,
            "water_yield_km3": q["water_yield"] / 1e9,
            "gep_carbon_MtCO2": q["carbon_sequestration"] / 1e6,
        }

    def by_region(
        self, region: np.ndarray, n_regions: int
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Each service's quantity and value (yuan) summed by region (``region``: index per
        land cell): quantities summed, values their sums × the price where it is one."""
        quantities, values = {}, {}
        for s in SERVICES:
            amount, price = self.quantity[s.name], self.unit_value[s.name]
            quantities[s.name] = np.bincount(region, weights=amount, minlength=n_regions)
            if np.ndim(price) == 0:
                values[s.name] = quantities[s.name] * float(price)
            else:
                values[s.name] = np.bincount(region, weights=amount * price, minlength=n_regions)
        return quantities, values


class StateServices:
    """Soil retention and water conservation of every land cell: the regulating services
    that the year's state alone gives (no change since last year, unlike carbon), so the
    ecological-compensation lever can take their change as a condition
    (:mod:`karstsim.model.compensation`)."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "slope_deg",
        "soil_depth_cm",
        "erosion_t_km2",
        "prefecture",
    )
    writes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self, params: Mapping[str, Any], land: Landscape, prices: Mapping[str, float] | None = None
    ):
        self.params = params
        self.prices = gep_prices.resolve(prices)
        self.erosion = SoilErosion(params)
        self.water = WaterBalance(land)
        price = self.prices
        self.soil_yuan_t = (
            price["sediment_deposit_share"]
            / params["soil_bulk_density_t_m3"]
            * price["dredging_cost_yuan_m3"]
            + price["soil_nitrogen_g_kg"] * price["nitrogen_treatment_yuan_kg"]
            + price["soil_phosphorus_g_kg"] * price["phosphorus_treatment_yuan_kg"]
        )
        """Value of a tonne of soil retained, yuan/t: less siltation (λ / ρ × dredging
        cost) and less non-point pollution (the N and P it holds, g/kg = kg/t, × their
        treatment costs)."""

    def measure(self, land: Landscape) -> dict[str, np.ndarray]:
        """``soil_retention`` (t), ``water_conservation`` and ``water_yield`` (m³) of every
        land cell."""
        potential = land.on_land(self.erosion.potential_loss(land))
        retained = np.maximum(potential - land.on_land(land["erosion_t_km2"]), 0.0)
        retained *= land.cell_area_km2
        return {"soil_retention": retained, **self.water.measure(land)}

    @property
    def unit_value(self) -> dict[str, float]:
        """Yuan per tonne of soil retained and per m³ of water conserved."""
        return {
            "soil_retention": self.soil_yuan_t,
            "water_conservation": self.prices["reservoir_cost_yuan_m3"],
        }

    def value_yuan(self, land: Landscape) -> np.ndarray:
        """Their value together for every land cell, yuan."""
        amount, price = self.measure(land), self.unit_value
        return (
            amount["soil_retention"] * price["soil_retention"]
            + amount["water_conservation"] * price["water_conservation"]
        )


class GepAccount:
    """Measures the accounts once a year from the model's state; writes no layer.

    Holds the previous year's carbon of every cell (for the year's sequestration) and the
    start year's landscape quality (for recreation)."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "vegetation_cover",
        "slope_deg",
        "soil_depth_cm",
        "erosion_t_km2",
        "carbon_tC_ha",
        "soil_carbon_tC_ha",
        "eco_crop",
        "eco_crop_yr",
        "prefecture",
        "village",
    )
    writes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        params: Mapping[str, Any],
        land: Landscape,
        prices: Mapping[str, float] | None = None,
    ):
        self.params = params
        self.prices = gep_prices.resolve(prices)
        self.stock_services = StateServices(params, land, self.prices)
        """Soil retention and water conservation: services of the year's state."""
        self.pools = sum(pool_shares(params).values())
        self._carbon = self.cell_carbon_tC(land)
        self.start_quality = max(float(self.landscape_quality(land).sum()), 1e-9)
        """The start year's landscape quality summed over the map (cell-equivalents)."""
        self.land_index = np.cumsum(land.land.ravel()) - 1
        """Land-cell index of every position of a layer's flat values (valid on land)."""
        self.village_land_cell = self.land_index[np.flatnonzero(land["village"].ravel())]
        """Land-cell index of every village (villages do not move)."""

    # --- physical quantities ------------------------------------------------------------------
    def cell_carbon_tC(self, land: Landscape) -> np.ndarray:
        """Ecosystem carbon of every land cell, tC: biomass in every modelled pool plus soil
        organic carbon."""
        per_ha = land.on_land(land["carbon_tC_ha"]) * self.pools
        if "soil_carbon_tC_ha" in land:
            per_ha = per_ha + land.on_land(land["soil_carbon_tC_ha"])
        return per_ha * land.cell_area_ha

    def landscape_quality(self, land: Landscape) -> np.ndarray:
        """Natural-landscape quality of every land cell, 0–1: vegetation cover on natural
        land, 1 on water, 0 on farmland, bare rock and sealed land."""
        cover = land.on_land(land["land_cover"])
        vegetation = land.on_land(land["vegetation_cover"])
        quality = np.where(cover == int(LandCover.WATER), 1.0, vegetation)
        return np.where(NATURAL[cover], quality, 0.0)

    def _featured_crops(self, land: Landscape) -> tuple[np.ndarray, np.ndarray]:
        """Featured crops harvested on every land cell this year, t, and their farm-gate
        price, yuan/t."""
        tonnes = np.zeros(land.land_cells)
        yuan_t = np.zeros(land.land_cells)
        stands = np.flatnonzero(land.on_land(land["eco_crop"]))
        if not stands.size:
            return tonnes, yuan_t
        crop = land.on_land(land["eco_crop"])[stands]
        age = land.year - land.on_land(land["eco_crop_yr"])[stands].astype(float)
        p = self.params
        for code, name in CROP_PREFIX.items():
            mine = crop == int(code)
            share = bearing_fraction(age[mine], p[f"{name}_bearing_years"], p[f"{name}_full_years"])
            tonnes[stands[mine]] = share * p[f"{name}_yield_kg_ha"] * land.cell_area_ha / 1000.0
            yuan_t[stands[mine]] = p[f"{name}_price_yuan_kg"] * 1000.0
        return tonnes, yuan_t

    def _understory_ha(self, land: Landscape, households: Any) -> np.ndarray:
        """Forest worked in the understory economy, ha, placed on each household agent's
        village cell."""
        if households is None:
            return np.zeros(land.land_cells)
        cell = self.village_land_cell[households.village]
        area = households.understory_share * households.understory_ha * households.per_agent
        return np.bincount(cell, weights=area, minlength=land.land_cells)

    def _livestock(
        self, land: Landscape, households: Any, livestock: Any
    ) -> tuple[np.ndarray, float]:
        """Cattle, sheep and goats sold this year, head, shared among the villages by their
        staying household agents (as the grazing is: :mod:`~karstsim.model.processes.
        grassland`), and the value of a head sold from grazing, yuan/head: price × the grazed
        share of the forage."""
        heads = np.zeros(land.land_cells)
        if livestock is None or households is None:
            return heads, 0.0
        cattle, sheep = livestock.offtake(land.year)
        staying = ~households.relocated
        if cattle + sheep <= 0 or not staying.any():
            return heads, 0.0
        price = self.prices
        cell = self.village_land_cell[households.village[staying]]
        heads = np.bincount(cell, minlength=land.land_cells) * ((cattle + sheep) / cell.size)
        yuan = cattle * price["cattle_price_yuan_head"] + sheep * price["sheep_price_yuan_head"]
        return heads, yuan / (cattle + sheep) * self.params["grazed_forage_share"]

    def _timber_m3(self, land: Landscape, harvest: Any) -> np.ndarray:
        if harvest is None or harvest.harvested_cells.size == 0:
            return np.zeros(land.land_cells)
        cell = self.land_index[harvest.harvested_cells]
        return np.bincount(cell, weights=harvest.harvested_cell_m3, minlength=land.land_cells)

    # --- the accounts -------------------------------------------------------------------------
    def measure(
        self,
        land: Landscape,
        households: Any = None,
        harvest: Any = None,
        livestock: Any = None,
    ) -> CellAccounts:
        """This year's accounts of every land cell (call once a year, after the land
        processes: carbon sequestration is the change since the previous call)."""
        price = self.prices
        cover = land.on_land(land["land_cover"])
        quantity: dict[str, np.ndarray] = {}
        # material products
        quantity["crops"] = CROPPED[cover] * land.cell_area_ha
        quantity["timber"] = self._timber_m3(land, harvest)
        quantity["understory"] = self._understory_ha(land, households)
        quantity["livestock"], livestock_yuan_head = self._livestock(land, households, livestock)
        quantity["featured_crops"], featured_yuan_t = self._featured_crops(land)
        # regulating services
        quantity.update(self.stock_services.measure(land))
        carbon = self.cell_carbon_tC(land)
        quantity["carbon_sequestration"] = (carbon - self._carbon) * CO2_PER_C
        self._carbon = carbon
        # cultural services: the map's share of the province's nature visits, moving with
        # the landscape's quality and shared between cells by it
        quality = self.landscape_quality(land)
        total_quality = max(float(quality.sum()), 1e-9)
        area_scale = land.land_area_km2 / PROVINCE_LAND_KM2
        visits = price["visits_per_year"] * price["nature_visit_share"] * area_scale
        visits *= (total_quality / self.start_quality) ** price["landscape_visit_elasticity"]
        quantity["recreation"] = quality * (visits / total_quality)
        unit_value = {
            "crops": price["crop_output_yuan_ha"],
            "timber": price["timber_price_yuan_m3"],
            "understory": self.params["understory_output_yuan_ha"],
            "livestock": livestock_yuan_head,
            "featured_crops": featured_yuan_t,
            **self.stock_services.unit_value,
            "carbon_sequestration": price["carbon_price_yuan_tCO2"],
            "recreation": price["spend_per_visit_yuan"],
        }
        return CellAccounts(quantity, unit_value)


GEP_COLUMNS = (
    "year",
    "level",
    "adcode",
    "name",
    "name_zh",
    "part",
    "service",
    "quantity",
    "unit",
    "value_Myuan",
)
"""Columns of ``gep.csv``."""


class GepTable:
    """The accounts' rows year by year: the whole map's and, on a real map run by region,
    each region's (``gep.csv``). Region rows are sums of the same cells' values, so they add
    up to the map's row for every year and service."""

    def __init__(self, land: Landscape):
        self.rows: list[tuple] = []
        prefectures = np.unique(land["prefecture"][land.land]) if "prefecture" in land else []
        whole = land.geo is not None and len(prefectures) == 9
        self.map_level, self.map_code = ("province", 520000) if whole else ("map", 0)
        self.map_names = ("Guizhou", "贵州省") if whole else ("map", "地图")

    def record(
        self,
        year: int,
        cells: CellAccounts,
        level: str | None = None,
        region: np.ndarray | None = None,
        table: list[Any] | None = None,
    ) -> None:
        """Append ``year``'s rows: the map's (``level`` None) or, for ``level``, one per region
        (``region``: index per land cell into ``table``, each with ``adcode``, ``name_en``
        and ``name_zh``)."""
        if level is None:
            groups = [(self.map_level, self.map_code, *self.map_names)]
            values = {s.name: [cells.value_sums[s.name]] for s in SERVICES}
            quantities = {s.name: [cells.quantity_sums[s.name]] for s in SERVICES}
        else:
            assert region is not None and table is not None
            n = len(table)
            groups = [(level, int(r.adcode), r.name_en, r.name_zh) for r in table]
            quantities, values = cells.by_region(region, n)
        for i, (lvl, code, name, name_zh) in enumerate(groups):
            for s in SERVICES:
                self.rows.append(
                    (
                        year,
                        lvl,
                        code,
                        name,
                        name_zh,
                        s.part,
                        s.name,
                        float(quantities[s.name][i]),
                        s.unit,
                        float(values[s.name][i]) / 1e6,
                    )
                )

    def frame(self):
        """The rows as a table, the map's first in every year."""
        import pandas as pd  # not at import: the command line starts without pandas

        table = pd.DataFrame(self.rows, columns=list(GEP_COLUMNS))
        first = (table["level"] != self.map_level).astype(int)
        order = table.assign(_first=first).sort_values(["year", "_first", "adcode"], kind="stable")
        return order.drop(columns="_first").reset_index(drop=True)

    def summary(self) -> dict[str, Any]:
        """The map's GEP in the first and last recorded years and its change, M yuan: in
        total, by part and by service (``summary.json``)."""
        first: dict[str, float] = {}
        last: dict[str, float] = {}
        years = [row[0] for row in self.rows if row[1] == self.map_level]
        if not years:
            return {}
        start, end = min(years), max(years)
        for year, level, _, _, _, part, service, _, _, value in self.rows:
            if level != self.map_level or year not in (start, end):
                continue
            for key in ("total", f"part:{part}", service):
                for target, when in ((first, start), (last, end)):  # one year: both
                    if year == when:
                        target[key] = target.get(key, 0.0) + value
        return {
            "years": [start, end],
            "unit": "M yuan/yr (constant prices)",
            **{
                key.removeprefix("part:"): {
                    "start": first[key],
                    "end": last[key],
                    "change": last[key] - first[key],
                }
                for key in first
            },
        }
