"""Incomes that move: market incomes are indexed from 2020; the levers' payments are not."""

from __future__ import annotations

import pytest

from karstsim import KarstModel
from karstsim.agents.household_money import PRICE_BASE_YEAR


def test_the_market_index_by_hand():
    model = KarstModel("plan14", rng=1, grid="12x12", market_income_growth_per_yr=0.05)
    households = model.households
    remittance = model.params["offfarm_remittance_yuan"]
    assert households.market("offfarm_remittance_yuan") == pytest.approx(remittance)  # 2020
    model.run_to_year(2022)
    assert households.market("offfarm_remittance_yuan") == pytest.approx(remittance * 1.05**2)
    assert PRICE_BASE_YEAR == 2020


def test_incomes_rise_with_wages_and_prices_and_payments_do_not():
    flat = KarstModel("plan14", rng=3, grid="30x30", market_income_growth_per_yr=0.0)
    rising = KarstModel("plan14", rng=3, grid="30x30", market_income_growth_per_yr=0.08)
    for model in (flat, rising):
        model.run_to_year(2025)
    flat_income = flat.results()["income_per_person_yuan"]
    rising_income = rising.results()["income_per_person_yuan"]
    assert rising_income.iloc[0] == pytest.approx(flat_income.iloc[0])  # same 2020 start
    growth = (rising_income.iloc[-1] / rising_income.iloc[0]) ** (1 / 5) - 1
    assert 0.05 < growth < 0.09  # market incomes at 8 %, payments fixed
    assert abs(flat_income.iloc[-1] / flat_income.iloc[0] - 1) < 0.1
    # a ranger is paid the lever's wage in any year
    per = rising.households.per_agent
    ranger = rising.households.income["ranger"] * per / rising.params["ranger_wage_yuan"]
    assert ranger.sum() == pytest.approx(rising.households.ranger_jobs.sum())


def test_a_hindcast_starts_at_its_own_years_prices():
    model = KarstModel("hindcast13", rng=1, grid="30x30")
    start = model.results()["income_per_person_yuan"].iloc[0]
    model.run_to_year(2020)
    end = model.results()["income_per_person_yuan"].iloc[-1]
    assert end / start == pytest.approx(1.056**4, rel=0.08)


def test_the_2020_state_carries_the_schemes_of_the_13th_plan():
    """4.462 M trees in the single-tree scheme and 2 203 万亩 of understory economy in 2020
    (as far as the households' forest allows); none of either in the 2016 state."""
    from karstsim import KarstModel

    def enrolled(model):
        h = model.households
        trees = (h.single_tree_share * h.eligible_trees * h.per_agent).sum()
        understory = (h.understory_share * h.understory_ha * h.per_agent).sum()
        return trees / model.area_scale, understory / model.area_scale

    trees, understory_ha = enrolled(KarstModel("plan14", rng=2, grid="county"))
    assert trees == pytest.approx(4_462_000, rel=0.02)
    assert 0.7 * 2203e4 / 15 <= understory_ha <= 2203e4 / 15 * 1.001
    assert enrolled(KarstModel("hindcast13", rng=2, grid="county")) == (0.0, 0.0)


def test_eco_economic_stands_pay_their_owners_and_single_tree_income_is_per_participant():
    """Eco-economic income is owned established stands × the net income; a participating
    household of the single-tree scheme earns its trees × the price (the plan: > 1 000 yuan;
    the cap of 450 trees at 3 yuan gives at most 1 350)."""
    from karstsim import KarstModel

    model = KarstModel("plan14", rng=3, grid="county")
    model.run_to_year(2026)
    row = model.results().iloc[-1]
    h = model.households
    assert row["eco_economic_income_Myuan"] == pytest.approx(
        h.income["eco_economic"].sum() * h.per_agent / 1e6
    )
    assert row["eco_economic_income_Myuan"] > 0
    per = row["single_tree_income_per_household_yuan"]
    assert 0 < per <= 450 * 3 + 1e-9
    none = KarstModel("plan14", rng=3, grid="county", eco_economic_net_yuan_ha=0.0)
    none.run_to_year(2026)
    final = none.results().iloc[-1]
    assert final["eco_economic_income_Myuan"] == 0
    assert final["forest_cover_pct"] == row["forest_cover_pct"]
    assert final["income_per_person_yuan"] < row["income_per_person_yuan"]
