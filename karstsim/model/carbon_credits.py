"""Traded forest carbon: credits issued on new plantings and sold, and who receives the money
(issue 13, item 10).

The plan (加快发展生态碳汇): "开展林业碳汇技术研发，积极参与全国碳汇金融市场竞争与合作 … 开展林业碳汇
交易试点，推进林业碳汇经济发展", and for the single-tree scheme "探索建立长效碳汇交易机制".

Two kinds of forest carbon are sold at ``forest_carbon_price_yuan_tCO2`` a tonne of CO₂:

1. **Household projects** (already in the households' choices,
   :meth:`~karstsim.agents.household_money.HouseholdMoney.choose_schemes`): the share
   ``carbon_project_share`` of an agent's households sells the year's growth of its planted
   forest while the margin is positive; their income is the ``carbon_project`` source.
2. **Programme credits** (:class:`CarbonCredits`, the lever
   ``carbon_credit_issuance_share``): a project developer (forestry bureau, state or
   collective forest farm) registers the plan's new plantings as carbon projects (CCER
   afforestation). *Eligible* is the year's biomass growth (``carbon_tC_ha``, live above and
   below ground) of forest planted under the plan: afforestation, Grain-for-Green and
   desertification afforestation (``treatment_mode`` AFFORESTATION, not eco-economic stands)
   planted in the model's years (``treatment_yr`` ≤ years since the start): the additionality
   rule, a planting already there is the baseline. On household land the part already sold
   by the owner's households (their shares in a household project or the single-tree scheme,
   1 − (1 − project)(1 − single tree)) is left out, so no tonne is sold twice. Of the rest,
   ``carbon_credit_issuance_share`` is verified, issued and sold. The net revenue, gross less
   ``carbon_credit_cost_yuan_tCO2`` (validation, monitoring, verification, registry), is
   shared: ``carbon_project_household_share`` to the land's holder (the household agent, or
   the village collective on collective and state land, ``owner`` −1), the rest to the
   developer.

Outputs: traded volume (both kinds), gross revenue, and what reaches households (their
``carbon_project`` income: own projects and programme payments) and collectives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import LandCover, Landscape, Treatment
from karstsim.model.processes.carbon import CO2_PER_C


class CarbonCredits:
    """The year's programme credits and what they pay to whom."""

    writes: ClassVar[tuple[str, ...]] = ()
    """No layer: credits are money, read off the forest's growth."""

    def __init__(self, params: Mapping[str, Any], start_year: int):
        self.params = params
        self.start_year = start_year
        self.indicators: dict[str, float] = dict.fromkeys(
            (
                "carbon_credits_MtCO2",
                "carbon_credit_revenue_Myuan",
                "carbon_credit_collective_Myuan",
            ),
            0.0,
        )
        """The year's traded volume, gross revenue and collectives' income (before the
        households' income, which :meth:`households_Myuan` reads after the accounts)."""

    def eligible(self, land: Landscape, year: int) -> np.ndarray:
        """Flat indices of forest planted under the plan since the start year."""
        planted = (
            land.land
            & (land["land_cover"] == int(LandCover.FOREST))
            & (land["treatment_mode"] == int(Treatment.AFFORESTATION))
            & (land["treatment_yr"] <= year - self.start_year)
        )
        return np.flatnonzero(planted.ravel())

    def trade(
        self, land: Landscape, sequestered_tC_ha: np.ndarray, households: Any, year: int
    ) -> np.ndarray:
        """Issue and sell the year's credits; the programme's payment to each household agent
        (yuan, all its households) for :meth:`HouseholdMoney.account`."""
        p = self.params
        payment = np.zeros(households.n)
        price = p["forest_carbon_price_yuan_tCO2"]
        share = p["carbon_credit_issuance_share"]
        own_t = self._household_projects_tCO2(land, sequestered_tC_ha, households)
        credits_t = 0.0
        collective_yuan = 0.0
        if share > 0:
            cells = self.eligible(land, year)
            tco2 = np.maximum(sequestered_tC_ha.ravel()[cells], 0.0) * land.cell_area_ha * CO2_PER_C
            owner = land["owner"].ravel()[cells]
            held = owner >= 0
            sold_before = np.zeros(cells.size)
            sold_before[held] = 1.0 - (1.0 - households.carbon_project_share[owner[held]]) * (
                1.0 - households.single_tree_share[owner[held]]
            )
            issued = share * tco2 * (1.0 - sold_before)
            net_yuan_t = max(price - p["carbon_credit_cost_yuan_tCO2"], 0.0)
            to_holder = issued * net_yuan_t * p["carbon_project_household_share"]
            payment = np.bincount(owner[held], weights=to_holder[held], minlength=households.n)
            collective_yuan = float(to_holder[~held].sum())
            credits_t = float(issued.sum())
        volume_t = credits_t + own_t
        self.indicators = {
            "carbon_credits_MtCO2": volume_t / 1e6,
            "carbon_credit_revenue_Myuan": volume_t * price / 1e6,
            "carbon_credit_collective_Myuan": collective_yuan / 1e6,
        }
        return payment

    @staticmethod
    def _household_projects_tCO2(
        land: Landscape, sequestered_tC_ha: np.ndarray, households: Any
    ) -> float:
        """CO₂ sold this year by the households' own projects on their planted forest (by
        the agents whose margin is positive), t."""
        owner = land["owner"].ravel()
        planted = np.flatnonzero(
            (
                (land["land_cover"] == int(LandCover.FOREST))
                & (land["treatment_mode"] == int(Treatment.AFFORESTATION))
            ).ravel()
            & (owner >= 0)
        )
        tco2 = np.maximum(sequestered_tC_ha.ravel()[planted], 0.0) * land.cell_area_ha * CO2_PER_C
        by_agent = np.bincount(owner[planted], weights=tco2, minlength=households.n)
        selling = households.carbon_project_share * (households.carbon_margin_yuan > 0)
        return float((selling * by_agent).sum())

    @staticmethod
    def households_Myuan(households: Any) -> float:
        """Carbon-project income of all households this year (own projects and programme
        payments), M yuan."""
        return float(households.income["carbon_project"].sum()) * households.per_agent / 1e6
