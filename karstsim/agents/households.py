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
from typing import Any, ClassVar

import mesa
import networkx as nx
import numpy as np

from karstsim.agents import decisions, network
from karstsim.agents.household_land import (
    OWNABLE,
    LandUseProposals,
    beyond_capacity,
    crop_yield_factor,
    one_cell_per_owner,
)
from karstsim.agents.household_money import INCOME_SOURCES, HouseholdMoney
from karstsim.model.initial_states import START_STATES
from karstsim.model.layers import WOODED, LandCover, Landscape, is_any
from karstsim.model.processes.grazing import OPEN_LAND
from karstsim.model.processes.treatment import available_for_new_use, mode_durations

INITIAL_SHARE_ITERATIONS = 30
"""Fixed-point iterations that settle the start year's scheme shares (a count) [E]."""


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
    def plots(self) -> np.ndarray:
        """Flat indices of the cells this agent holds."""
        return np.flatnonzero(self.population.landscape["owner"].ravel() == self.index)


class HouseholdPopulation(HouseholdMoney):
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
        self._village_land: tuple[np.ndarray, int, np.ndarray] | None = None
        self._reach: np.ndarray | None = None
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
        # forest economy (issue 13, item 6)
        self.area_scale = area_scale
        self.start_year = landscape.year
        self.understory_area_max_ha = 0.0
        """The most understory land reached so far (real households), ha."""
        self.understory_support_yuan = 0.0
        """The understory programme's support paid this year, yuan."""
        self.crop_income: dict[int, np.ndarray] = {}
        """Featured-crop income per household by EcoCrop, yuan/yr."""
        # herds against the grass (issue 13, item 4; set by the livestock sub-model, else none)
        self.village_grazing_pressure: np.ndarray | None = None
        """Share of reachable open land grazed, per village (None: ``grazing_pressure``)."""
        self.village_temptation: np.ndarray | None = None
        """Temptation to graze closed land, per village (None: ``illegal_grazing_temptation``)."""
        self.herd_index = 1.0
        """Herd over the start year's herd: livestock income scales with it."""
        self.fodder_cost_yuan = np.zeros(self.n)
        """Forage bought per agent (all its households) beyond the start year's, yuan/yr."""
        self.relocated = np.zeros(self.n, dtype=bool)
        """Agents that have moved out of their village (issue 13, item 7): no land, all
        labour off-farm."""
        self.offfarm_share = self._initial_offfarm_share()
        start = START_STATES.get(landscape.year)
        if start is not None:
            self.seed_past_participation(
                start.single_tree_trees * area_scale, start.understory_forest_ha * area_scale
            )
        village_cells = landscape.cells[np.flatnonzero(landscape["village"])]
        rows, cols = np.unravel_index(village_cells, landscape.grid_shape)
        self.ties = network.village_ties(self.village, np.stack([rows, cols], axis=1), rng)
        """The social network's ties, (k, 2) agent pairs (:attr:`graph` as networkx)."""
        self.neighbours = network.ties_adjacency(self.n, self.ties)
        for i in range(self.n):  # Mesa keeps them: model.agents_by_type[Household]
            Household(model, self, i)
        nothing = np.zeros(self.n)
        self.account(
            {"gfg": nothing, "fines": nothing, "eco_compensation": nothing}, landscape["grazed"]
        )

    @property
    def graph(self) -> nx.Graph:
        """The households' social network as a networkx graph (built when asked)."""
        return network.ties_graph(self.n, self.ties)

    # --- setup ------------------------------------------------------------------------------
    def seed_past_participation(self, trees: float, understory_ha: float) -> None:
        """The schemes as the start year found them: ``trees`` enrolled in the single-tree
        scheme and ``understory_ha`` of forest in the understory economy (this grid's
        amounts), spread evenly over the households that can take part."""
        per = self.per_agent
        eligible = np.minimum(self._scheme_trees(), self.params["single_tree_cap_trees"])
        share = min(1.0, trees / max(float((eligible * per).sum()), 1e-9))
        self.single_tree_share = np.where(eligible > 0, share, 0.0)
        self.eligible_trees = eligible
        room = self._understory_room()
        share = min(1.0, understory_ha / max(float((room * per).sum()), 1e-9))
        self.understory_ha = room
        self.understory_share = np.where(room > 0, share, 0.0)
        self.understory_area_max_ha = self.understory_area_ha()

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
        farm_income = self._farm_income()  # the land does not change while shares settle
        for _ in range(INITIAL_SHARE_ITERATIONS):
            share = decisions.adjust_towards(share, self._desired_offfarm(share, farm_income), 0.5)
        crops = self._owned(land["land_cover"] == int(LandCover.CROPLAND))
        cropland_ha = self._sum_by_owner(crops, land.cell_area_ha)
        workers = self.labour * self.per_agent
        needed = cropland_ha / p["crop_labour_ha_per_worker"] / np.maximum(workers, 1e-9)
        return np.clip(np.minimum(share, 1.0 - needed), 0.0, 1.0)

    def _desired_offfarm(self, offfarm_share: np.ndarray, farm_income: np.ndarray) -> np.ndarray:
        """Desired off-farm share given the farm's return per worker now at home
        (``farm_income``: :meth:`_farm_income`)."""
        p = self.params
        at_home = self.labour * (1.0 - offfarm_share)
        return decisions.desired_offfarm_share(
            self.market("offfarm_remittance_yuan"),
            self.market("migration_cost_yuan"),
            farm_income / self.per_agent / np.maximum(at_home, 0.05),
            p["migration_scale_yuan"],
        )

    # --- helpers ----------------------------------------------------------------------------
    def _sum_by_owner(self, cells: np.ndarray, weights: np.ndarray | float = 1.0) -> np.ndarray:
        """Sum of ``weights`` over flat ``cells``, per owning agent."""
        owner = self.landscape["owner"].ravel()[cells]
        w = np.broadcast_to(np.asarray(weights, dtype=float), cells.shape)
        keep = owner >= 0
        if not keep.all():
            owner, w = owner[keep], w[keep]
        return np.bincount(owner, weights=w, minlength=self.n)

    def _owned(self, mask: np.ndarray) -> np.ndarray:
        """Flat indices (ascending) of the owned cells where ``mask`` holds (the owner
        layer is read each time: plots can change hands, e.g. when households relocate)."""
        return np.flatnonzero((mask & (self.landscape["owner"] >= 0)).ravel())

    def _crop_income_ha(self, cells: np.ndarray) -> np.ndarray:
        land = self.landscape
        factor = crop_yield_factor(
            land["slope_deg"].ravel()[cells], land["soil_depth_cm"].ravel()[cells]
        )
        return self.market("crop_net_income_yuan_ha") * factor

    def _farm_income(
        self, crops: np.ndarray | None = None, crop_income_ha: np.ndarray | None = None
    ) -> np.ndarray:
        """Crop and livestock income of each agent's land (all its households), yuan;
        ``crops`` and ``crop_income_ha`` (owned cropland and its income per ha) if known."""
        land = self.landscape
        if crops is None:
            crops = self._owned(land["land_cover"] == int(LandCover.CROPLAND))
            crop_income_ha = self._crop_income_ha(crops)
        income = self._sum_by_owner(crops, crop_income_ha * land.cell_area_ha)
        open_cells = self._owned(is_any(land["land_cover"], OPEN_LAND))
        yearly_grazing = self.market("livestock_income_yuan_ha") * self.params["grazing_pressure"]
        grazing = self._sum_by_owner(open_cells, yearly_grazing * land.cell_area_ha)
        return income + grazing * self.herd_index - self.fodder_cost_yuan

    def relocate(self, agents: np.ndarray) -> None:
        """``agents`` move out (their plots were taken from them): all labour off-farm."""
        self.relocated[agents] = True
        self.offfarm_share[agents] = 1.0
        self.fodder_cost_yuan = np.where(self.relocated, 0.0, self.fodder_cost_yuan)

    def set_livestock(
        self,
        grazing_pressure: np.ndarray,
        temptation: np.ndarray,
        herd_index: float,
        fodder_cost_yuan: np.ndarray,
    ) -> None:
        """Next year's grazing pressure and temptation per village, herd index and fodder
        cost per agent (from :class:`karstsim.model.processes.grassland.Livestock`)."""
        self.village_grazing_pressure = grazing_pressure
        self.village_temptation = temptation
        self.herd_index = herd_index
        self.fodder_cost_yuan = fodder_cost_yuan

    def perceived_detection(self) -> np.ndarray:
        """Each village's sense of the detection risk: last year's mean over its land."""
        land = self.landscape
        if self._village_land is None:  # villages and their land do not change
            village_id = land.on_land(land["village_id"])
            n_villages = max(int(land["village"].sum()), 1)
            cells = np.bincount(village_id, minlength=n_villages)
            self._village_land = (village_id, n_villages, np.maximum(cells, 1))
        village_id, n_villages, cells = self._village_land
        total = np.bincount(
            village_id, weights=land.on_land(land["detection_prob"]), minlength=n_villages
        )
        return total / cells

    def _within_grazing_reach(self) -> np.ndarray:
        """Land cells within ``grazing_distance_km`` of a village (static, kept)."""
        if self._reach is None:
            land = self.landscape
            self._reach = land.land & (
                land["distance_to_village_km"] <= self.params["grazing_distance_km"]
            )
        return self._reach

    # --- yearly decisions -------------------------------------------------------------------
    def decide(self, year: int, rng: np.random.Generator) -> LandUseProposals:
        """This year's work, grazing, clearing and Grain-for-Green proposals.

        ``rng`` is the households' stream of the year; every draw is of fixed size (one
        per cell or per agent, used or not), so a lever changes only what it touches.
        """
        p, land = self.params, self.landscape
        cell_ha = land.cell_area_ha
        owner = land["owner"].ravel()
        village_risk = self.perceived_detection()
        detection = village_risk[self.village]
        crops = self._owned(land["land_cover"] == int(LandCover.CROPLAND))
        crop_income_ha = self._crop_income_ha(crops)  # the land stays as it is while deciding
        free = available_for_new_use(land, self.durations)

        # 1. work: off-farm share and cropland abandonment
        target = self._desired_offfarm(self.offfarm_share, self._farm_income(crops, crop_income_ha))
        self.offfarm_share = decisions.adjust_towards(
            self.offfarm_share, target, p["migration_adjust_rate"]
        )
        self.offfarm_share[self.relocated] = 1.0
        capacity_ha = (
            self.labour * (1 - self.offfarm_share) * self.per_agent * p["crop_labour_ha_per_worker"]
        )
        abandon = beyond_capacity(owner[crops], crop_income_ha, capacity_ha, cell_ha, crops)

        # 2. grazing (legal on open land, illegal on closed land)
        # what grazeable() gives, from the static land within reach of a village
        near_open = self._within_grazing_reach() & is_any(land["land_cover"], OPEN_LAND)
        reachable = (near_open & ~land["protected"]).ravel()
        cell_village = land["village_id"].ravel()
        pressure = (
            p["grazing_pressure"]
            if self.village_grazing_pressure is None
            else self.village_grazing_pressure[cell_village]
        )
        grazed = reachable & (land.uniform(rng) < pressure)
        closed_open = np.flatnonzero((near_open & land["protected"]).ravel())
        gain = self.market("livestock_income_yuan_ha") * cell_ha
        temptation = (
            p["illegal_grazing_temptation"]
            if self.village_temptation is None
            else self.village_temptation[cell_village[closed_open]]
        )
        chance = decisions.illegal_attempt_probability(
            temptation,
            gain,
            p["fine_yuan_ha"] * cell_ha,
            village_risk[land["village_id"].ravel()[closed_open]],
        )
        illegal_grazing = closed_open[land.uniform(rng)[closed_open] < chance]

        # 3. clearing a wooded plot for crops when labour is spare
        cropped_ha = self._sum_by_owner(crops, cell_ha)
        spare = capacity_ha - cropped_ha >= cell_ha
        mean_crop_ha = self._sum_by_owner(crops, crop_income_ha) / np.maximum(
            self._sum_by_owner(crops), 1
        )
        attempt_chance = decisions.illegal_attempt_probability(
            p["clearing_temptation"], mean_crop_ha * cell_ha, p["fine_yuan_ha"] * cell_ha, detection
        )
        attempting = spare & (rng.random(self.n) < attempt_chance)
        wooded = self._owned(
            is_any(land["land_cover"], WOODED) & (land["slope_deg"] < p["gfg_min_slope_deg"]) & free
        )
        clearing = one_cell_per_owner(wooded[attempting[owner[wooded]]], owner, land.uniform(rng))

        # 4. Grain-for-Green offers
        steep = self._owned(
            (land["land_cover"] == int(LandCover.CROPLAND))
            & (land["slope_deg"] >= p["gfg_min_slope_deg"])
            & free
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
        offers = land.uniform(rng)[steep] < decisions.logistic(utility)
        return LandUseProposals(
            grazed=grazed.reshape(land.shape),
            illegal_grazing=illegal_grazing,
            clearing=clearing,
            abandon=abandon,
            gfg_offers=steep[offers],
            gfg_utility=utility[offers],
        )
