"""What a household earns: carbon schemes and the understory economy it joins, its income
by source and the year's household outputs. :class:`HouseholdMoney` is the money half of
:class:`~karstsim.agents.households.HouseholdPopulation` (it uses the population's arrays
and its per-owner sums)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from karstsim.agents import decisions, network
from karstsim.model.layers import WOODED, LandCover, Treatment, is_any
from karstsim.model.processes.carbon import CO2_PER_C
from karstsim.model.processes.forest_economy import CROP_PREFIX, crop_net_yuan_ha

SINGLE_TREE_MIN_AGE_YR = 5.0
"""Planted trees reach the scheme's 5–8 cm diameter after about five years [F]."""
CHOICE_ADJUST_RATE = 0.3
"""Share of the gap to the join probability closed per year for scheme participation,
1/yr (partial adjustment, inertia of ODD 4.5) [E]."""
PRICE_BASE_YEAR = 2020
"""Year of the money parameters' yuan."""
INCOME_SOURCES = (
    "fines",
    "crops",
    "livestock",
    "understory",
    "eco_economic",
    "featured_crops",
    "public_welfare",
    "gfg",
    "single_tree",
    "carbon_project",
    "eco_compensation",
    "ranger",
    "offfarm",
    "other",
)


class HouseholdMoney:
    """Scheme choices, income accounting and indicators of the household agents."""

    def _planted(self, min_age_yr: float = 0.0, planted: np.ndarray | None = None) -> np.ndarray:
        """Owned flat cells of planted forest at least ``min_age_yr`` old (of the cells
        ``planted``, if given: owned planted forest of any age)."""
        land = self.landscape
        if planted is None:
            planted = self._owned(
                (land["land_cover"] == int(LandCover.FOREST))
                & (land["treatment_mode"] == int(Treatment.AFFORESTATION))
            )
        return planted[land["stand_age_yr"].ravel()[planted] >= min_age_yr]

    def _scheme_trees(self, planted: np.ndarray | None = None) -> np.ndarray:
        """Trees per household on its planted stands old enough for the single-tree scheme
        (uncapped; ``planted``: owned planted forest, if already selected)."""
        cell_trees = self.landscape.cell_area_ha * self.params["trees_per_ha"]
        old_enough = self._planted(SINGLE_TREE_MIN_AGE_YR, planted)
        return self._sum_by_owner(old_enough, cell_trees) / self.per_agent

    def _understory_room(self) -> np.ndarray:
        """Forest per household the understory economy can use, ha (capped by
        ``understory_ha_per_household`` plus what the understory programme has opened since
        the start, :meth:`understory_programme_ha`)."""
        land = self.landscape
        forest = self._owned(land["land_cover"] == int(LandCover.FOREST))
        forest_ha = self._sum_by_owner(forest, land.cell_area_ha) / self.per_agent
        cap = self.params["understory_ha_per_household"] + self.understory_programme_ha()
        return np.minimum(cap, forest_ha)

    def understory_programme_ha(self) -> float:
        """Understory land per household the programme has opened since the start year, ha:
        ``understory_programme_ha_per_year`` × years × area scale over the grid's households
        (issue 13, item 6)."""
        years = max(self.landscape.year - self.start_year, 0)
        opened = self.params["understory_programme_ha_per_year"] * self.area_scale * years
        return opened / (self.n * self.per_agent)

    def understory_area_ha(self) -> float:
        """Forest the households use for the understory economy, ha (real households)."""
        return float((self.understory_share * self.understory_ha).sum() * self.per_agent)

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
        planted = self._planted()
        trees = self._scheme_trees(planted)
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

        self.understory_ha = self._understory_room()
        workers = self.understory_ha / p["crop_labour_ha_per_worker"]
        opportunity = self.market("offfarm_remittance_yuan") - self.market("migration_cost_yuan")
        margin = self.market("understory_net_yuan_ha") * self.understory_ha - workers * opportunity
        self.understory_share = self._adopt(self.understory_share, margin, self.understory_ha > 0)
        # the programme's one-off support for understory land beyond the most reached before
        area = self.understory_area_ha()
        self.understory_support_yuan = 0.0
        if p["understory_programme_ha_per_year"] > 0:
            new = max(area - self.understory_area_max_ha, 0.0)
            self.understory_support_yuan = new * p["understory_support_yuan_ha"]
        self.understory_area_max_ha = max(self.understory_area_max_ha, area)

    # --- money --------------------------------------------------------------------------------
    def market(self, name: str) -> float:
        """A money parameter (2020 yuan) in the landscape's year: × (1 +
        ``market_income_growth_per_yr``) per year from :data:`PRICE_BASE_YEAR`."""
        growth = self.params["market_income_growth_per_yr"]
        return self.params[name] * (1.0 + growth) ** (self.landscape.year - PRICE_BASE_YEAR)

    def account(self, transfers: Mapping[str, np.ndarray], grazed: np.ndarray) -> None:
        """Income per household by source this year (yuan), from land, schemes and transfers.

        ``transfers`` holds per-agent totals (yuan, all households of the agent) of
        ``gfg`` cash, ``fines`` (booked as a negative source), ``eco_compensation``
        (:mod:`karstsim.model.compensation`) and, if given, the programme's forest carbon
        credit payments ``carbon_credits`` (booked with the households' own carbon
        projects); ``grazed`` is the applied grazing layer.
        """
        p, land = self.params, self.landscape
        cell_ha = land.cell_area_ha
        # established eco-economic stands (restructured cropland included) earn as stands
        established = (land["treatment_mode"] == int(Treatment.ECO_ECONOMIC)) & (
            land["treatment_yr"] >= p["eco_economic_establish_years"]
        )
        crops = self._owned((land["land_cover"] == int(LandCover.CROPLAND)) & ~established)
        per = self.per_agent
        income = self.income
        income["crops"] = self._sum_by_owner(crops, self._crop_income_ha(crops) * cell_ha) / per
        income["livestock"] = self._grazing_income(grazed) / per
        income["fines"] = -transfers["fines"] / per
        income["understory"] = (
            self.understory_share * self.understory_ha * self.market("understory_net_yuan_ha")
        )
        forest = land["land_cover"] == int(LandCover.FOREST)
        eco_crop = land["eco_crop"]
        eco = self._owned(established & (eco_crop == 0))
        income["eco_economic"] = (
            self._sum_by_owner(eco, cell_ha * self.market("eco_economic_net_yuan_ha")) / per
        )
        self._forest_economy_income(forest | established, eco_crop)
        income["gfg"] = transfers["gfg"] / per
        income["eco_compensation"] = transfers["eco_compensation"] / per
        income["single_tree"] = (
            self.single_tree_share * self.eligible_trees * p["single_tree_price_yuan"]
        )
        income["carbon_project"] = (
            self.carbon_project_share * np.maximum(self.carbon_margin_yuan, 0.0)
            + transfers.get("carbon_credits", 0.0) / per
        )
        income["ranger"] = self.ranger_jobs * p["ranger_wage_yuan"] / per
        income["offfarm"] = (
            self.labour * self.offfarm_share * self.market("offfarm_remittance_yuan")
        )
        income["other"] = self.members * self.market("other_income_yuan_pc")

    def _forest_economy_income(self, forest: np.ndarray, eco_crop: np.ndarray) -> None:
        """Featured-crop income and public-welfare forest compensation (issue 13, item 6)
        per household; ``forest``: forest and established eco-economic stands (improved walnut
        is forest; oil-tea and rosa are stands on restructured land), ``eco_crop``: the crop
        layer."""
        p, land, per = self.params, self.landscape, self.per_agent
        cell_ha = land.cell_area_ha
        growth = (1.0 + p["market_income_growth_per_yr"]) ** (land.year - PRICE_BASE_YEAR)
        stands = self._owned(forest & (eco_crop > 0))  # one pass for the three crops
        crop_of = eco_crop.ravel()[stands]
        self.crop_income = {}
        for crop in CROP_PREFIX:
            cells = stands[crop_of == crop]
            age = land.year - land["eco_crop_yr"].ravel()[cells]
            net_ha = crop_net_yuan_ha(crop, age, p, growth)
            self.crop_income[crop] = self._sum_by_owner(cells, net_ha * cell_ha) / per
        self.income["featured_crops"] = sum(self.crop_income.values())
        rate = p["public_welfare_comp_yuan_ha"]
        if rate > 0:
            wooded = is_any(land["land_cover"], WOODED)
            welfare = self._owned(land["public_welfare_forest"] & wooded)
            self.income["public_welfare"] = self._sum_by_owner(welfare, cell_ha * rate) / per
        else:
            self.income["public_welfare"] = np.zeros(self.n)

    def _grazing_income(self, grazed: np.ndarray) -> np.ndarray:
        """Livestock income per agent (all its households): from its own grazed plots and an
        equal share of the grazed collective land of its village."""
        land = self.landscape
        per_ha = self.market("livestock_income_yuan_ha") * land.cell_area_ha
        own = self._sum_by_owner(self._owned(grazed), per_ha)
        commons = np.flatnonzero((grazed & (land["owner"] < 0)).ravel())
        n_villages = max(int(land["village"].sum()), 1)
        village_total = (
            np.bincount(land["village_id"].ravel()[commons], minlength=n_villages) * per_ha
        )
        staying = ~self.relocated  # relocated agents no longer share the village commons
        agents_in_village = np.bincount(self.village[staying], minlength=n_villages)
        share = (village_total / np.maximum(agents_in_village, 1))[self.village] * staying
        income = own + share
        return income * self.herd_index - self.fodder_cost_yuan

    @property
    def total_income(self) -> np.ndarray:
        """Income per household (yuan/yr) of each agent."""
        return sum(self.income.values())

    @property
    def income_per_person(self) -> np.ndarray:
        return self.per_person(self.total_income)

    def per_person(self, income: np.ndarray) -> np.ndarray:
        """``income`` of each agent's households (yuan/yr) per person."""
        return income / self.members

    def indicators(self) -> dict[str, float]:
        """Household outputs of the year (real households on the grid)."""
        p = self.params
        total = self.total_income  # a sum over every income source: once
        per_person = self.per_person(total)
        people = self.members * self.per_agent
        sigma = p["income_dispersion"]
        spread = decisions.lognormal_points(per_person, sigma)
        land = self.landscape
        trees_share = self.single_tree_share
        return {
            "household_agents": float(self.n),
            "households": float(self.n * self.per_agent),
            "household_income_mean_yuan": float(total.mean()),
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
            "single_tree_income_per_household_yuan": float(
                self.income["single_tree"].sum() / max(float(trees_share.sum()), 1e-12)
            )
            if trees_share.any()
            else 0.0,
            "eco_economic_income_Myuan": float(
                self.income["eco_economic"].sum() * self.per_agent / 1e6
            ),
            **{
                f"{name}_income_Myuan": float(self.crop_income[crop].sum() * self.per_agent / 1e6)
                for crop, name in CROP_PREFIX.items()
            },
            "public_welfare_income_Myuan": float(
                self.income["public_welfare"].sum() * self.per_agent / 1e6
            ),
            "understory_area_ha": self.understory_area_ha(),
            "understory_output_value_Myuan": self.understory_area_ha()
            * self.market("understory_output_yuan_ha")
            / 1e6,
            "carbon_revenue_Myuan": float(
                (self.income["single_tree"] + self.income["carbon_project"]).sum()
                * self.per_agent
                / 1e6
            ),
            "understory_households": float(self.understory_share.sum() * self.per_agent),
            "offfarm_share": float((self.labour * self.offfarm_share).sum() / self.labour.sum()),
        }
