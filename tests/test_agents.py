"""Agent invariants and the levers' direction of effect, over several seeds."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.agents.households import Household
from karstsim.agents.mines import Mine, MineStatus
from karstsim.agents.rangers import Ranger
from karstsim.model.layers import LandCover

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def county_run():
    model = KarstModel("plan14", rng=4, grid="county")
    model.run_to_year(2026)
    return model


def test_agents_are_mesa_agents_and_scale_with_the_grid(county_run):
    model = county_run
    households = model.agents_by_type[Household]
    assert len(households) == model.households.n
    expected = 6_000_000 * model.area_scale / 250
    assert model.households.n == pytest.approx(expected, abs=1)
    assert len(model.agents_by_type[Ranger]) == -(-model.rangers.total // 20)
    assert model.rangers.total == round(182_800 * model.area_scale)
    assert len(model.agents_by_type[Mine]) == model.mines.cell.size


def test_every_owned_cell_exists_and_is_held_once(county_run):
    land = county_run.landscape
    owner = land["owner"]
    held = owner >= 0
    assert (owner < county_run.households.n).all()
    assert land.land[held].all()
    assert not np.isin(
        land["land_cover"][held], [LandCover.BUILT, LandCover.WATER, LandCover.MINE]
    ).any()
    plots = np.concatenate([h.plots for h in county_run.agents_by_type[Household]])
    assert plots.size == held.sum() == np.unique(plots).size


def test_households_live_in_their_village(county_run):
    land = county_run.landscape
    owner = land["owner"].ravel()
    held = np.flatnonzero(owner >= 0)
    assert (county_run.households.village[owner[held]] == land["village_id"].ravel()[held]).all()


def test_money_balances(county_run):
    model = county_run
    hh = model.households
    row = model.results().iloc[-1]
    income = hh.income
    assert hh.total_income == pytest.approx(sum(income.values()))
    assert row.spend_rangers_Myuan == pytest.approx(income["ranger"].sum() * hh.per_agent / 1e6)
    assert row.spend_carbon_Myuan == pytest.approx(income["single_tree"].sum() * hh.per_agent / 1e6)
    # government pays cash and seedlings; households receive the cash
    assert row.spend_gfg_Myuan >= income["gfg"].sum() * hh.per_agent / 1e6 - 1e-9
    assert row.household_income_mean_yuan == pytest.approx(hh.total_income.mean())
    assert (income["offfarm"] >= 0).all() and (income["crops"] >= 0).all()


def test_rangers_come_from_the_poorest_households():
    model = KarstModel("plan14", rng=3, grid="classroom", rangers=20_000)
    hh = model.households
    holders = np.flatnonzero(hh.ranger_jobs > 0)
    others = np.flatnonzero(hh.ranger_jobs == 0)
    before_wage = hh.income_per_person - hh.income["ranger"] / hh.members
    assert before_wage[holders].max() <= np.sort(before_wage[others])[-1]
    assert np.median(before_wage[holders]) < np.median(before_wage[others])


def test_mine_statuses_follow_the_rules():
    model = KarstModel("plan14", rng=2, grid="county", legacy_restoration_ha_per_year=5000)
    model.run_to_year(2027)
    mines = model.mines
    row = model.results().set_index("year")
    assert row.loc[2025, "green_mine_share"] >= 0.28 - 1e-9
    assert row.loc[2027, "mine_restored_ha_cum"] > 0
    restored = np.unique(mines.cell[mines.status == MineStatus.RESTORED])
    still_open = np.unique(mines.cell[mines.status != MineStatus.RESTORED])
    fully = np.setdiff1d(restored, still_open)
    assert (model.landscape["land_cover"].ravel()[fully] != LandCover.MINE).all()


def _final(scenario="plan14", seed=0, grid="county", year=2027, **levers):
    model = KarstModel(scenario, rng=seed, grid=grid, **levers)
    model.run_to_year(year)
    return model.results()


@pytest.mark.parametrize("seed", SEEDS)
def test_more_rangers_fewer_undetected_violations(seed):
    few = _final(seed=seed, rangers=20_000)
    many = _final(seed=seed, rangers=400_000)
    undetected = lambda r: (r.violations_attempted - r.violations_detected).sum()  # noqa: E731
    assert undetected(many) < undetected(few)
    assert many.violations_detected.sum() / max(many.violations_attempted.sum(), 1) > (
        few.violations_detected.sum() / max(few.violations_attempted.sum(), 1)
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_higher_carbon_price_more_carbon_sink_households(seed):
    low = _final(seed=seed, forest_carbon_price_yuan_tCO2=20)
    high = _final(seed=seed, forest_carbon_price_yuan_tCO2=300)
    assert high.carbon_sink_households.iloc[-1] > low.carbon_sink_households.iloc[-1]
    assert high.carbon_revenue_Myuan.iloc[-1] > low.carbon_revenue_Myuan.iloc[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_higher_gfg_payment_more_enrolment(seed):
    low = _final(seed=seed, gfg_payment_yuan_mu=300, gfg_quota_ha_per_year=200_000)
    high = _final(seed=seed, gfg_payment_yuan_mu=3000, gfg_quota_ha_per_year=200_000)
    assert high.gfg_enrolled_km2.iloc[-1] > low.gfg_enrolled_km2.iloc[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_green_mine_rules_raise_the_green_share(seed):
    loose = _final(seed=seed, green_mine_share_target=0.1, new_mines_green=False)
    strict = _final(seed=seed, green_mine_share_target=0.6)
    assert strict.green_mine_share.iloc[-1] > loose.green_mine_share.iloc[-1]


def test_plan_versus_no_new_policy():
    plan = _final("plan14", grid="county", year=2030)
    none = _final("no_new_policy", grid="county", year=2030)
    assert plan.desertified_km2.iloc[-1] < none.desertified_km2.iloc[-1]
    assert plan.forest_cover_pct.iloc[-1] > none.forest_cover_pct.iloc[-1]
    assert plan.rangers.iloc[-1] > 0 == none.rangers.iloc[-1]
    assert none.carbon_sink_households.iloc[-1] < plan.carbon_sink_households.iloc[-1]


def test_total_budget_mode_trades_rangers_for_treatment():
    shares = {"total_budget_mode": True, "share_treatment": 0.1, "share_rangers": 0.6}
    rangers_heavy = _final(grid="classroom", **shares)
    treatment_heavy = _final(
        grid="classroom", **{**shares, "share_treatment": 0.6, "share_rangers": 0.1}
    )
    assert rangers_heavy.rangers.iloc[-1] > treatment_heavy.rangers.iloc[-1]
    assert treatment_heavy.treated_km2_cum.iloc[-1] > rangers_heavy.treated_km2_cum.iloc[-1]
    budget = 3500 * KarstModel(grid="classroom", rng=0).area_scale
    assert rangers_heavy.budget_spent_Myuan.iloc[1:].mean() <= budget * 1.1


def test_corridor_priority_treats_corridors_first():
    from karstsim.model.layers import Treatment

    on = KarstModel("plan14", rng=1, grid="county", corridor_priority=True)
    off = KarstModel("plan14", rng=1, grid="county", corridor_priority=False)
    shares = []
    for model in (on, off):
        model.run_to_year(2023)
        treated = model.landscape["treatment_mode"] != Treatment.NONE
        shares.append((model.landscape["corridor"][treated] > 0).mean())
    assert shares[0] > shares[1]


def test_habitat_graph_matches_the_connectivity_output(county_run):
    import networkx as nx

    graph = county_run.habitat_graph
    areas = nx.get_node_attributes(graph, "area_km2")
    largest = max(sum(areas[n] for n in c) for c in nx.connected_components(graph))
    assert largest / sum(areas.values()) == pytest.approx(
        county_run.results().corridor_connectivity.iloc[-1]
    )


def test_network_adjacency_without_the_graph_is_networkx_s_to_the_bit(county_run):
    """The households' adjacency is built from their ties directly; it is the very array
    networkx would give (same entries in the same order), so sums over neighbours agree
    to the last bit."""
    from karstsim.agents import network

    households = county_run.households
    expected = network.adjacency(households.graph)
    built = households.neighbours
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(expected, part), getattr(built, part)), part
    adopted = np.random.default_rng(0).random(households.n)
    assert np.array_equal(expected @ adopted, built @ adopted)
    assert households.graph.number_of_nodes() == households.n
