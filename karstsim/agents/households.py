"""Farmer households: Mesa agents whose state lives in arrays, decided for all at once.

Each :class:`Household` agent stands for ``households_per_agent`` real households of one
village and holds plots (cells of cropland, forest, shrub, grass and bare rock) in the
village's territory. The :class:`HouseholdPopulation` keeps every agent's state in numpy
arrays (one entry per agent) and runs the yearly decisions of
:mod:`karstsim.agents.decisions` for all agents together; the agents are the handles Mesa
and users see. Households *propose* land-use changes; the model applies them (one writer).

ODD+D, per year (money in yuan per real household unless noted):

1. **Work**: each household wants a share of its workers off the farm that rises with
   the remittance less the migration cost and the farm's return per worker
   (:func:`desired_offfarm_share`); the actual share moves toward it at
   ``migration_adjust_rate``. Workers at home farm ``crop_labour_ha_per_worker`` each;
   cropland beyond that is abandoned, the worst-yielding plot first and one plot a year
   (it turns to grass).
2. **Grazing**: open plots (grass, bare rock) that are not closed are grazed with
   probability ``grazing_pressure``; closed plots are grazed illegally with the
   probability of :func:`illegal_attempt_probability` given last year's detection risk.
3. **Clearing**: a household agent with spare labour may clear one of its gentle wooded
   plots for crops (worth its mean crop income per ha), likewise deterred by the expected
   fine.
4. **Grain-for-Green**: steep cropland plots are offered for enrolment with the logit
   probability of :func:`gfg_net_benefit` (payments in instalments vs. crops lost, risk,
   neighbours enrolled); the government accepts up to its quota.
5. **Carbon and understory**: the shares of an agent's households in the single-tree
   scheme, in a forest carbon project and in the understory economy move toward their
   logit join probabilities (margins vs. costs, neighbours' adoption).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import mesa
import numpy as np

from karstsim.agents import decisions, network
from karstsim.model.layers import WOODED, LandCover, Landscape, Treatment, is_any
from karstsim.model.processes.carbon import CO2_PER_C
from karstsim.model.processes.grazing import OPEN_LAND, grazeable
from karstsim.model.processes.treatment import available_for_new_use, mode_durations

OWNABLE = np.array(
    [LandCover.FOREST, LandCover.SHRUB, LandCover.GRASS, LandCover.CROPLAND, LandCover.BARE_ROCK],
    dtype=np.int8,
)
SINGLE_TREE_MIN_AGE_YR = 5.0
"""Planted trees reach the scheme's 5–8 cm diameter after about five years [F]."""
INITIAL_SHARE_ITERATIONS = 30
CHOICE_ADJUST_RATE = 0.3
"""Share of the gap to the join probability closed per year for scheme participation [E]."""
INCOME_SOURCES = (
    "fines",
    "crops",
    "livestock",
    "understory",
    "gfg",
    "single_tree",
    "carbon_project",
    "ranger",
    "offfarm",
    "other",
)


def crop_yield_factor(slope_deg: np.ndarray, soil_depth_cm: np.ndarray) -> np.ndarray:
    """Yield relative to flat, deep-soiled land: (1 − slope/60°) × min(1, soil/30 cm), ≥ 0.1."""
    return np.clip((1.0 - slope_deg / 60.0) * np.minimum(1.0, soil_depth_cm / 30.0), 0.1, 1.0)


@dataclass
class LandUseProposals:
    """What households propose this year; the model resolves and applies them."""

    grazed: np.ndarray
    illegal_grazing: np.ndarray  # flat cell indices attempted on closed land
    clearing: np.ndarray  # flat cell indices attempted
    abandon: np.ndarray  # flat cell indices of cropland left
    gfg_offers: np.ndarray  # flat cell indices offered for Grain-for-Green
    gfg_utility: np.ndarray  # their utility (for the quota's ranking)


class Household(mesa.Agent):
    """A group of ``households_per_agent`` farmer households of one village."""

    def __init__(self, model: mesa.Model, population: HouseholdPopulation, index: int):
        super().__init__(model)
        self.population = population
        self.index = index

    @property
    def village(self) -> int:
        return int(self.population.village[self.index])

    @property
    def members(self) -> float:
        """Persons per household."""
        return float(self.population.members[self.index])

    @property
    def income_yuan(self) -> dict[str, float]:
        """Last year's income per household by source, yuan."""
        return {k: float(v[self.index]) for k, v in self.population.income.items()}

    @property
    def plots(self) -> np.ndarray:
        """Flat indices of the cells this agent holds."""
        return np.flatnonzero(self.population.landscape["owner"].ravel() == self.index)


class HouseholdPopulation:
    """Array state and vectorised yearly decisions of all household agents."""

    writes: ClassVar[tuple[str, ...]] = ("owner",)
    """Layers written: ``owner``, once, when the agents are placed; afterwards households
    only propose (:class:`LandUseProposals`) and the model applies."""

    def __init__(
        self,
        model: mesa.Model,
        landscape: Landscape,
        params: Mapping[str, Any],
        area_scale: float,
        rng: np.random.Generator,
    ):
        self.landscape = landscape
        self.params = params
        self.rng = rng
        self.per_agent = params["households_per_agent"]
        self.durations = mode_durations(params)
        real = params["rural_households"] * area_scale
        self.n = max(1, round(real / self.per_agent))
        self._place(rng)
        self.members = params["household_size"] * np.exp(rng.normal(0.0, 0.15, self.n))
        self.labour = self.members * params["labour_share"]
        self.income = {k: np.zeros(self.n) for k in INCOME_SOURCES}
        self.single_tree_share = np.zeros(self.n)
        self.carbon_project_share = np.zeros(self.n)
        self.understory_share = np.zeros(self.n)
        self.enrolled_gfg = np.zeros(self.n)
        self.ranger_jobs = np.zeros(self.n)
        self.carbon_margin_yuan = np.zeros(self.n)  # per household, last year's project margin
        self.understory_ha = np.zeros(self.n)  # per adopting household
        self.eligible_trees = np.zeros(self.n)  # per household, for the single-tree scheme
        self.offfarm_share = self._initial_offfarm_share()
        rows, cols = np.nonzero(landscape["village"])
        graph = network.village_network(self.village, np.stack([rows, cols], axis=1), rng)
        self.graph = graph
        self.neighbours = network.adjacency(graph)
        for i in range(self.n):  # Mesa keeps them: model.agents_by_type[Household]
            Household(model, self, i)
        self.account({"gfg": np.zeros(self.n), "fines": np.zeros(self.n)}, landscape["grazed"])

    # --- setup ------------------------------------------------------------------------------
    def _place(self, rng: np.random.Generator) -> None:
        """Agents to villages in proportion to village land; plots to the village's agents."""
        land = self.landscape
        ownable = land.land & is_any(land["land_cover"], OWNABLE)
        village_id = land["village_id"]
        n_villages = max(int(land["village"].sum()), 1)
        area = np.bincount(village_id[ownable], minlength=n_villages).astype(float)
        exact = self.n * area / max(area.sum(), 1.0)
        counts = np.floor(exact).astype(np.int64)
        counts[np.argsort(-(exact - counts))[: self.n - counts.sum()]] += 1
        self.village = np.repeat(np.arange(n_villages), counts)
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        cells = np.flatnonzero(ownable.ravel())
        v = village_id.ravel()[cells]
        has_agents = counts[v] > 0
        cells, v = cells[has_agents], v[has_agents]
        owner = np.full(land.land.size, -1, dtype=np.int64)
        owner[cells] = first[v] + (rng.random(cells.size) * counts[v]).astype(np.int64)
        land["owner"] = owner.reshape(land.shape)

    def _initial_offfarm_share(self) -> np.ndarray:
        """The desired share (its fixed point), but never so high that the start year's
        cropland lies idle."""
        p, land = self.params, self.landscape
        share = np.full(self.n, 0.5)
        for _ in range(INITIAL_SHARE_ITERATIONS):
            share = decisions.adjust_towards(share, self._desired_offfarm(share), 0.5)
        crops = self._owned(land["land_cover"] == LandCover.CROPLAND)
        cropland_ha = self._sum_by_owner(crops, land.cell_area_ha)
        workers = self.labour * self.per_agent
        needed = cropland_ha / p["crop_labour_ha_per_worker"] / np.maximum(workers, 1e-9)
        return np.clip(np.minimum(share, 1.0 - needed), 0.0, 1.0)

    def _desired_offfarm(self, offfarm_share: np.ndarray) -> np.ndarray:
        """Desired off-farm share given the farm's return per worker now at home."""
        p = self.params
        at_home = self.labour * (1.0 - offfarm_share)
        return decisions.desired_offfarm_share(
            p["offfarm_remittance_yuan"],
            p["migration_cost_yuan"],
            self._farm_income() / self.per_agent / np.maximum(at_home, 0.05),
            p["migration_scale_yuan"],
        )

    # --- helpers ----------------------------------------------------------------------------
    def _sum_by_owner(self, cells: np.ndarray, weights: np.ndarray | float = 1.0) -> np.ndarray:
        """Sum of ``weights`` over flat ``cells``, per owning agent."""
        owner = self.landscape["owner"].ravel()[cells]
        w = np.broadcast_to(np.asarray(weights, dtype=float), cells.shape)
        keep = owner >= 0
        return np.bincount(owner[keep], weights=w[keep], minlength=self.n)

    def _owned(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero((mask & (self.landscape["owner"] >= 0)).ravel())

    def _crop_income_ha(self, cells: np.ndarray) -> np.ndarray:
        land = self.landscape
        factor = crop_yield_factor(
            land["slope_deg"].ravel()[cells], land["soil_depth_cm"].ravel()[cells]
        )
        return self.params["crop_net_income_yuan_ha"] * factor

    def _farm_income(self) -> np.ndarray:
        """Crop and livestock income of each agent's land (all its households), yuan."""
        land = self.landscape
        crops = self._owned(land["land_cover"] == LandCover.CROPLAND)
        income = self._sum_by_owner(crops, self._crop_income_ha(crops) * land.cell_area_ha)
        open_cells = self._owned(is_any(land["land_cover"], OPEN_LAND))
        yearly_grazing = self.params["livestock_income_yuan_ha"] * self.params["grazing_pressure"]
        return income + self._sum_by_owner(open_cells, yearly_grazing * land.cell_area_ha)

    def perceived_detection(self) -> np.ndarray:
        """Each village's sense of the detection risk: last year's mean over its land."""
        land = self.landscape
        village_id = land["village_id"][land.land]
        n_villages = max(int(land["village"].sum()), 1)
        total = np.bincount(
            village_id, weights=land["detection_prob"][land.land], minlength=n_villages
        )
        cells = np.bincount(village_id, minlength=n_villages)
        return total / np.maximum(cells, 1)

    # --- yearly decisions -------------------------------------------------------------------
    def decide(self, year: int) -> LandUseProposals:
        """This year's work, grazing, clearing and Grain-for-Green proposals."""
        p, land, rng = self.params, self.landscape, self.rng
        cell_ha = land.cell_area_ha
        owner = land["owner"].ravel()
        village_risk = self.perceived_detection()
        detection = village_risk[self.village]

        # 1. work: off-farm share and cropland abandonment
        target = self._desired_offfarm(self.offfarm_share)
        self.offfarm_share = decisions.adjust_towards(
            self.offfarm_share, target, p["migration_adjust_rate"]
        )
        capacity_ha = (
            self.labour * (1 - self.offfarm_share) * self.per_agent * p["crop_labour_ha_per_worker"]
        )
        crops = self._owned(land["land_cover"] == LandCover.CROPLAND)
        abandon = _beyond_capacity(
            owner[crops], self._crop_income_ha(crops), capacity_ha, cell_ha, crops
        )

        # 2. grazing (legal on open land, illegal on closed land)
        reachable = grazeable(land, p["grazing_distance_km"]).ravel()
        grazed = reachable & (rng.random(reachable.size) < p["grazing_pressure"])
        closed_open = np.flatnonzero(
            (
                is_any(land["land_cover"], OPEN_LAND)
                & land["protected"]
                & land.land
                & (land["distance_to_village_km"] <= p["grazing_distance_km"])
            ).ravel()
        )
        gain = p["livestock_income_yuan_ha"] * cell_ha
        chance = decisions.illegal_attempt_probability(
            p["illegal_grazing_temptation"],
            gain,
            p["fine_yuan_ha"] * cell_ha,
            village_risk[land["village_id"].ravel()[closed_open]],
        )
        illegal_grazing = closed_open[rng.random(closed_open.size) < chance]

        # 3. clearing a wooded plot for crops when labour is spare
        cropped_ha = self._sum_by_owner(crops, cell_ha)
        spare = capacity_ha - cropped_ha >= cell_ha
        mean_crop_ha = self._sum_by_owner(crops, self._crop_income_ha(crops)) / np.maximum(
            self._sum_by_owner(crops), 1
        )
        attempt_chance = decisions.illegal_attempt_probability(
            p["clearing_temptation"], mean_crop_ha * cell_ha, p["fine_yuan_ha"] * cell_ha, detection
        )
        attempting = spare & (rng.random(self.n) < attempt_chance)
        wooded = self._owned(
            is_any(land["land_cover"], WOODED)
            & (land["slope_deg"] < p["gfg_min_slope_deg"])
            & available_for_new_use(land, self.durations)
        )
        clearing = _one_cell_per_owner(wooded[attempting[owner[wooded]]], owner, rng)

        # 4. Grain-for-Green offers
        steep = self._owned(
            (land["land_cover"] == LandCover.CROPLAND)
            & (land["slope_deg"] >= p["gfg_min_slope_deg"])
            & available_for_new_use(land, self.durations)
        )
        steep = np.setdiff1d(steep, abandon, assume_unique=True)
        neighbours_enrolled = network.neighbour_share(self.neighbours, self.enrolled_gfg > 0)
        utility = decisions.gfg_net_benefit(
            self._crop_income_ha(steep),
            p["gfg_payment_yuan_mu"],
            p["discount_rate"],
            p["payment_risk"],
            neighbours_enrolled[owner[steep]],
            p["social_weight"],
            p["decision_noise_yuan"],
        )
        offers = rng.random(steep.size) < decisions.logistic(utility)
        return LandUseProposals(
            grazed=grazed.reshape(land.shape),
            illegal_grazing=illegal_grazing,
            clearing=clearing,
            abandon=abandon,
            gfg_offers=steep[offers],
            gfg_utility=utility[offers],
        )

    def _planted(self, min_age_yr: float = 0.0) -> np.ndarray:
        """Owned flat cells of planted forest at least ``min_age_yr`` old."""
        land = self.landscape
        return self._owned(
            (land["land_cover"] == LandCover.FOREST)
            & (land["treatment_mode"] == Treatment.AFFORESTATION)
            & (land["stand_age_yr"] >= min_age_yr)
        )

    def _adopt(self, share: np.ndarray, margin: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """Move a practice's adoption share toward its join probability (0 if not eligible)."""
        p = self.params
        neighbours = network.neighbour_share(self.neighbours, share)
        join = decisions.join_probability(
            margin, neighbours, p["social_weight"], p["scheme_noise_yuan"], p["status_quo_bias"]
        )
        return decisions.adjust_towards(share, np.where(eligible, join, 0.0), CHOICE_ADJUST_RATE)

    def choose_schemes(self, scheme_trees: float, sequestration_tC_ha: np.ndarray) -> None:
        """Update the shares of households in the carbon schemes and the understory economy.

        ``scheme_trees`` caps the single-tree scheme (trees on this grid);
        ``sequestration_tC_ha`` is this year's carbon gain per cell.
        """
        p, land = self.params, self.landscape
        cell_ha = land.cell_area_ha
        per = self.per_agent
        trees = (
            self._sum_by_owner(self._planted(SINGLE_TREE_MIN_AGE_YR), cell_ha * p["trees_per_ha"])
            / per
        )
        self.eligible_trees = np.minimum(trees, p["single_tree_cap_trees"])
        margin = decisions.single_tree_margin_yuan(
            trees,
            p["single_tree_cap_trees"],
            p["single_tree_price_yuan"],
            p["single_tree_join_cost_yuan"],
        )
        wanted = self._adopt(self.single_tree_share, margin, trees > 0)
        demand = (wanted * per * self.eligible_trees).sum()
        self.single_tree_share = wanted * min(1.0, scheme_trees / max(demand, 1e-9))

        planted = self._planted()
        planted_ha = self._sum_by_owner(planted, cell_ha)
        co2 = self._sum_by_owner(
            planted, sequestration_tC_ha.ravel()[planted] * cell_ha * CO2_PER_C
        )
        margin_ha = decisions.carbon_project_margin_yuan_ha(
            co2 / np.maximum(planted_ha, 1e-9),
            p["forest_carbon_price_yuan_tCO2"],
            p["carbon_project_household_share"],
            p["carbon_project_cost_yuan_ha"],
        )
        self.carbon_margin_yuan = margin_ha * planted_ha / per
        self.carbon_project_share = self._adopt(
            self.carbon_project_share, self.carbon_margin_yuan, planted_ha > 0
        )

        forest_ha = self._sum_by_owner(self._owned(land["land_cover"] == LandCover.FOREST), cell_ha)
        self.understory_ha = np.minimum(p["understory_ha_per_household"], forest_ha / per)
        workers = self.understory_ha / p["crop_labour_ha_per_worker"]
        opportunity = p["offfarm_remittance_yuan"] - p["migration_cost_yuan"]
        margin = p["understory_net_yuan_ha"] * self.understory_ha - workers * opportunity
        self.understory_share = self._adopt(self.understory_share, margin, self.understory_ha > 0)

    # --- money --------------------------------------------------------------------------------
    def account(self, transfers: Mapping[str, np.ndarray], grazed: np.ndarray) -> None:
        """Income per household by source this year (yuan), from land, schemes and transfers.

        ``transfers`` holds per-agent totals (yuan, all households of the agent) of
        ``gfg`` cash and ``fines`` (booked as a negative source); ``grazed`` is the applied
        grazing layer.
        """
        p, land = self.params, self.landscape
        cell_ha = land.cell_area_ha
        crops = self._owned(land["land_cover"] == LandCover.CROPLAND)
        per = self.per_agent
        income = self.income
        income["crops"] = self._sum_by_owner(crops, self._crop_income_ha(crops) * cell_ha) / per
        income["livestock"] = self._grazing_income(grazed) / per
        income["fines"] = -transfers["fines"] / per
        income["understory"] = (
            self.understory_share * self.understory_ha * p["understory_net_yuan_ha"]
        )
        income["gfg"] = transfers["gfg"] / per
        income["single_tree"] = (
            self.single_tree_share * self.eligible_trees * p["single_tree_price_yuan"]
        )
        income["carbon_project"] = self.carbon_project_share * np.maximum(
            self.carbon_margin_yuan, 0.0
        )
        income["ranger"] = self.ranger_jobs * p["ranger_wage_yuan"] / per
        income["offfarm"] = self.labour * self.offfarm_share * p["offfarm_remittance_yuan"]
        income["other"] = self.members * p["other_income_yuan_pc"]

    def _grazing_income(self, grazed: np.ndarray) -> np.ndarray:
        """Livestock income per agent (all its households): from its own grazed plots and an
        equal share of the grazed collective land of its village."""
        land = self.landscape
        per_ha = self.params["livestock_income_yuan_ha"] * land.cell_area_ha
        own = self._sum_by_owner(self._owned(grazed), per_ha)
        commons = np.flatnonzero((grazed & (land["owner"] < 0)).ravel())
        n_villages = max(int(land["village"].sum()), 1)
        village_total = (
            np.bincount(land["village_id"].ravel()[commons], minlength=n_villages) * per_ha
        )
        agents_in_village = np.bincount(self.village, minlength=n_villages)
        return own + (village_total / np.maximum(agents_in_village, 1))[self.village]

    @property
    def total_income(self) -> np.ndarray:
        """Income per household (yuan/yr) of each agent."""
        return sum(self.income.values())

    @property
    def income_per_person(self) -> np.ndarray:
        return self.total_income / self.members

    def indicators(self) -> dict[str, float]:
        """Household outputs of the year (real households on the grid)."""
        p = self.params
        per_person = self.income_per_person
        people = self.members * self.per_agent
        sigma = p["income_dispersion"]
        spread = decisions.lognormal_points(per_person, sigma)
        land = self.landscape
        trees_share = self.single_tree_share
        return {
            "household_agents": float(self.n),
            "household_income_mean_yuan": float(self.total_income.mean()),
            "income_per_person_yuan": float(per_person.mean()),
            "poverty_share": decisions.poverty_share(
                per_person, sigma, p["poverty_line_yuan"], people
            ),
            "income_gini": decisions.gini(spread.ravel(), np.repeat(people, spread.shape[1])),
            "gfg_enrolled_km2": float((land["gfg_year"] > 0).sum() * land.cell_area_km2),
            "carbon_sink_households": float(
                (1 - (1 - trees_share) * (1 - self.carbon_project_share)).sum() * self.per_agent
            ),
            "single_tree_households": float(trees_share.sum() * self.per_agent),
            "carbon_revenue_Myuan": float(
                (self.income["single_tree"] + self.income["carbon_project"]).sum()
                * self.per_agent
                / 1e6
            ),
            "understory_households": float(self.understory_share.sum() * self.per_agent),
            "offfarm_share": float((self.labour * self.offfarm_share).sum() / self.labour.sum()),
        }


def _beyond_capacity(
    owners: np.ndarray,
    value: np.ndarray,
    capacity_ha: np.ndarray,
    cell_ha: float,
    cells: np.ndarray,
) -> np.ndarray:
    """Cells an owner gives up this year: its worst cell if it holds more than its capacity
    (rounded to whole cells) allows; abandonment is gradual, one plot a year."""
    held = np.bincount(owners, minlength=capacity_ha.size)
    over = held > np.floor(capacity_ha / cell_ha + 0.5)
    mine = over[owners]
    owners, value, cells = owners[mine], value[mine], cells[mine]
    order = np.lexsort((-value, owners))
    last = (
        np.r_[owners[order][1:] != owners[order][:-1], True] if order.size else order.astype(bool)
    )
    return np.sort(cells[order][last])


def _one_cell_per_owner(
    cells: np.ndarray, owner: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """One of ``cells`` at random for each owner that has any."""
    shuffled = rng.permutation(cells)
    _, first = np.unique(owner[shuffled], return_index=True)
    return np.sort(shuffled[first])
