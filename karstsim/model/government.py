"""The government's yearly budget: how much each programme does this year.

Two modes. In *programme* mode (the default) each lever says its amount directly:
hectares of treatment and afforestation, the Grain-for-Green quota, the number of
rangers, hectares of legacy-mine restoration and trees bought for the single-tree
scheme. In *total-budget* mode (``total_budget_mode``) one budget
(``total_budget_Myuan``) is shared by ``share_<use>`` and each programme does what its
share buys at this year's unit costs, so money spent on rangers is not spent on
treatment. Amounts are scaled to the grid by its land area (``area_scale``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from karstsim.agents.decisions import GFG_CASH_SHARE, GFG_INSTALMENTS
from karstsim.model.parameters import BUDGET_USES
from karstsim.units import MU_PER_HA


@dataclass(frozen=True)
class YearBudget:
    """What each programme does this year on this grid."""

    treatment_ha: float
    afforestation_ha: float
    gfg_quota_ha: float
    rangers: int
    legacy_restoration_ha: float
    scheme_trees: float


def gfg_first_year_cost_yuan_ha(params: Mapping[str, Any]) -> float:
    """Government cost of a new Grain-for-Green hectare in its first year (seedlings + cash)."""
    payment_ha = params["gfg_payment_yuan_mu"] * MU_PER_HA
    return payment_ha * ((1 - GFG_CASH_SHARE) + GFG_CASH_SHARE * GFG_INSTALMENTS[0])


def year_budget(
    params: Mapping[str, Any],
    area_scale: float,
    treatment_cost_yuan_ha: float,
    gfg_commitments_yuan: float,
) -> YearBudget:
    """Programme amounts for the year.

    ``treatment_cost_yuan_ha`` is the mean cost per hectare of last year's treatment mix;
    ``gfg_commitments_yuan`` the instalments already owed to earlier enrolments this year.
    """
    p = params
    if not p["total_budget_mode"]:
        return YearBudget(
            treatment_ha=p["treatment_ha_per_year"] * area_scale,
            afforestation_ha=p["afforestation_ha_per_year"] * area_scale,
            gfg_quota_ha=p["gfg_quota_ha_per_year"] * area_scale,
            rangers=round(p["rangers"] * area_scale),
            legacy_restoration_ha=p["legacy_restoration_ha_per_year"] * area_scale,
            scheme_trees=p["single_tree_scheme_trees"] * area_scale,
        )
    shares = {use: p[f"share_{use}"] for use in BUDGET_USES}
    total = sum(shares.values())
    money = {
        use: p["total_budget_Myuan"] * 1e6 * area_scale * s / total for use, s in shares.items()
    }
    return YearBudget(
        treatment_ha=money["treatment"] / treatment_cost_yuan_ha,
        afforestation_ha=money["afforestation"] / p["afforestation_cost_yuan_ha"],
        gfg_quota_ha=max(0.0, money["gfg"] - gfg_commitments_yuan) / gfg_first_year_cost_yuan_ha(p)
        if p["gfg_payment_yuan_mu"] > 0
        else 0.0,
        rangers=int(money["rangers"] / p["ranger_wage_yuan"]) if p["ranger_wage_yuan"] > 0 else 0,
        legacy_restoration_ha=money["mines"] / p["mine_restoration_cost_yuan_ha"],
        scheme_trees=money["carbon"] / p["single_tree_price_yuan"]
        if p["single_tree_price_yuan"] > 0
        else 0.0,
    )
