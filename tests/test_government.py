"""The policy arithmetic by hand: the government's year budget, Grain-for-Green payments,
fire, and the resolution of households' proposals (the one writer)."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim.agents.household_land import LandUseProposals
from karstsim.model import parameters
from karstsim.model.government import Government, gfg_first_year_cost_yuan_ha, year_budget
from karstsim.model.layers import LandCover, Treatment
from karstsim.model.parameters import BUDGET_USES
from karstsim.model.processes.fire import Fire
from karstsim.model.resolution import LandUseResolution, grain_for_green_payments
from tests.conftest import blank_landscape


def lever_values(**values):
    return parameters.resolve(values)


def test_programme_mode_scales_each_lever_by_area():
    # lever → (value, the budget field it sets); the grid is half the province
    levers = {
        "treatment_ha_per_year": 1000.0,
        "afforestation_ha_per_year": 2000.0,
        "gfg_quota_ha_per_year": 300.0,
        "rangers": 1001,
        "legacy_restoration_ha_per_year": 50.0,
        "single_tree_scheme_trees": 4000.0,
    }
    b = year_budget(lever_values(**levers), 0.5, 12_345.0, 9e9)  # cost, commitments unused
    assert (b.treatment_ha, b.afforestation_ha, b.gfg_quota_ha) == (500.0, 1000.0, 150.0)
    assert b.rangers == 500  # round(500.5) → 500 (banker's rounding of Python's round)
    assert (b.legacy_restoration_ha, b.scheme_trees) == (25.0, 2000.0)


def test_gfg_first_year_cost_by_hand():
    # 1 200 yuan/mu × 15 mu/ha = 18 000 yuan/ha; seedlings 20 % = 3 600, first cash
    # instalment 80 % × 5/12 = 6 000 → 9 600 yuan/ha
    assert gfg_first_year_cost_yuan_ha(lever_values(gfg_payment_yuan_mu=1200.0)) == (
        pytest.approx(9600.0)
    )


def test_total_budget_mode_shares_money_by_hand():
    shares = {f"share_{use}": 0.0 if use == "mines" else 1.0 for use in BUDGET_USES}
    p = lever_values(
        total_budget_mode=True,
        total_budget_Myuan=100.0,
        **shares,
        afforestation_cost_yuan_ha=4000.0,
        gfg_payment_yuan_mu=1200.0,
        ranger_wage_yuan=10_000.0,
        mine_restoration_cost_yuan_ha=50_000.0,
        single_tree_price_yuan=20.0,
    )
    # area scale 0.1: 10 M yuan, of which 0.5 M are owed to earlier Grain-for-Green
    # enrolments and paid first; 9.5 M shared by five uses of weight 1 → 1.9 M yuan each
    b = year_budget(p, 0.1, 8000.0, 500_000.0)
    assert b.treatment_ha == pytest.approx(1.9e6 / 8000.0)  # 237.5 ha at last year's mix
    assert b.afforestation_ha == pytest.approx(1.9e6 / 4000.0)
    assert b.gfg_quota_ha == pytest.approx(1.9e6 / 9600.0)  # new cohorts at 9 600 yuan/ha
    assert b.rangers == 190
    assert b.legacy_restoration_ha == 0.0
    assert b.scheme_trees == pytest.approx(1.9e6 / 20.0)
    # debts larger than the budget leave nothing for the programmes
    broke = year_budget(p, 0.1, 8000.0, 20e6)
    assert broke.treatment_ha == broke.gfg_quota_ha == broke.rangers == 0


def test_government_budget_counts_instalments_owed():
    p = lever_values(total_budget_mode=True, gfg_payment_yuan_mu=1200.0)
    land = blank_landscape((1, 3), gfg_year=np.array([[2018, 2020, 2019]]))
    # in 2022: enrolled 2018 → year 4 (4/12), 2020 → year 2 (3/12), 2019 → year 3 (none)
    owed_ha = 1200 * 15 * 0.8 * (4 / 12 + 3 / 12)  # 8 400 yuan per ha of cell
    expected = year_budget(p, 1.0, Government(p, 1.0).treatment_cost_ha, owed_ha * 100.0)
    assert Government(p, 1.0).budget(land, 2022) == expected


def test_grain_for_green_payments_by_hand():
    p = lever_values(gfg_payment_yuan_mu=1200.0)
    land = blank_landscape(
        (1, 4), gfg_year=np.array([[2022, 2020, 2022, 0]]), owner=np.array([[0, 0, 1, 1]])
    )
    enrolled, cash, total = grain_for_green_payments(land, p, 2022, 2, new_cells=2)
    assert list(enrolled) == [2, 1]
    first, third = 1200 * 15 * 0.8 * 5 / 12, 1200 * 15 * 0.8 * 3 / 12  # yuan/ha: 6 000, 3 600
    assert cash == pytest.approx([(first + third) * 100.0, first * 100.0])
    seedlings = 2 * 100.0 * 1200 * 15 * 0.2  # two new 100-ha cells
    assert total == pytest.approx(cash.sum() + seedlings)


class FixedDraws:
    """A stand-in generator whose ``random`` returns given numbers in order."""

    def __init__(self, *draws):
        self.draws = [np.asarray(d, dtype=float) for d in draws]

    def random(self, size, dtype=np.float64):
        draw = self.draws.pop(0).astype(dtype)
        assert draw.size == size
        return draw


def proposals(**cells) -> LandUseProposals:
    empty = np.zeros(0, dtype=np.intp)
    return LandUseProposals(
        grazed=cells.get("grazed", np.zeros((1, 6), dtype=bool)),
        illegal_grazing=np.asarray(cells.get("illegal_grazing", empty), dtype=np.intp),
        clearing=np.asarray(cells.get("clearing", empty), dtype=np.intp),
        abandon=np.asarray(cells.get("abandon", empty), dtype=np.intp),
        gfg_offers=np.asarray(cells.get("gfg_offers", empty), dtype=np.intp),
        gfg_utility=np.asarray(cells.get("gfg_utility", []), dtype=float),
    )


def test_resolution_detects_fines_and_applies_by_hand():
    p = lever_values(fine_yuan_ha=10.0, grass_years=2.0)
    cover = np.array([[LandCover.GRASS, LandCover.FOREST, LandCover.FOREST, LandCover.CROPLAND,
                       LandCover.CROPLAND, LandCover.CROPLAND]])  # fmt: skip
    land = blank_landscape(
        (1, 6),
        land_cover=cover,
        detection_prob=np.array([[0.5, 0.5, 0.2, 0.0, 0.0, 0.0]]),
        owner=np.array([[0, 1, -1, 0, 1, 1]]),
        stand_age_yr=7.0,
    )
    offer = proposals(
        illegal_grazing=[0],
        clearing=[1, 2],
        abandon=[3],
        gfg_offers=[4, 5],
        gfg_utility=[1.0, 2.0],
    )
    # one draw per cell for grazing and one for clearing (common random numbers), used
    # where an act is attempted: grazing on 0 (0.4 < 0.5: caught), clearing 1 (0.6: not),
    # clearing 2 (0.1 < 0.2: caught, but state land: no fine)
    rng = FixedDraws([0.4, 0.0, 0.0, 0.0, 0.0, 0.0], [0.9, 0.6, 0.1, 0.0, 0.0, 0.0])
    done = LandUseResolution(p).resolve(land, offer, 1, 2, 2022, rng)
    assert list(done.caught) == [True, False, True]
    assert list(done.fines_yuan) == [10.0 * 100.0, 0.0]  # owner 0 fined for 100 ha
    assert not land["grazed"].any()  # the one illegal attempt was caught
    assert land["land_cover"][0, 1] == LandCover.CROPLAND  # cleared
    assert land["land_cover"][0, 2] == LandCover.FOREST  # caught: still forest
    # abandoned in 2022, under cropland protection (from 2021): fallow, still cropland
    assert land["land_cover"][0, 3] == LandCover.CROPLAND
    # quota of one cell: the best offer (cell 5, utility 2) is enrolled and planted
    assert list(done.gfg_accepted) == [5]
    assert land["gfg_year"][0, 5] == 2022 and land["gfg_year"][0, 4] == 0
    assert land["treatment_mode"][0, 5] == Treatment.AFFORESTATION
    assert land["land_cover"][0, 5] == LandCover.OTHER_FOREST  # planted: not yet forest
    transitions = land.ledger.table({int(c): c.name for c in LandCover}, 1.0)
    assert transitions[["from_class", "to_class", "cause"]].values.tolist() == [
        ["CROPLAND", "OTHER_FOREST", "grain_for_green"],
        ["FOREST", "CROPLAND", "illegal_clearing"],
    ]
    assert done.events(1.0) == {
        "violations_attempted": 3.0,
        "violations_detected": 2.0,
        "cropland_abandoned_km2": 1.0,
        "gfg_new_km2": 1.0,
        "zone_violations_attempted": 0.0,
        "zone_violations_detected": 0.0,
    }


def test_fire_burns_unsuppressed_wooded_cells_by_hand():
    p = lever_values(fire_ignition_prob=0.01, grass_years=2.0)
    cover = np.array([[LandCover.FOREST, LandCover.SHRUB, LandCover.FOREST, LandCover.GRASS]])
    land = blank_landscape(
        (1, 4),
        land_cover=cover,
        detection_prob=np.array([[0.9, 0.9, 0.0, 0.0]]),
        gfg_year=2019,
        stand_age_yr=10.0,
    )
    fire = Fire(p)
    # one ignition and one suppression draw per cell (used for wooded / ignited cells);
    # the grass cell's 0.0 would ignite if it were wooded
    fire.run_one_year(land, FixedDraws([0.001, 0.7, 0.002, 0.0], [0.95, 0.0, 0.3, 0.0]))
    assert list(fire.ignited) == [0, 2]
    assert list(fire.suppressed) == [False, False]  # 0.95 ≥ 0.9; 0.3 ≥ 0.0
    assert list(fire.burned) == [0, 2]
    # burned stands are forest land without trees (other forest land), not grass
    assert list(land["land_cover"][0]) == [LandCover.OTHER_FOREST, LandCover.SHRUB,
                                           LandCover.OTHER_FOREST, LandCover.GRASS]  # fmt: skip
    assert list(land["gfg_year"][0]) == [0, 2019, 0, 2019]
    assert land["stand_age_yr"][0, 0] == 0.0 and land["stand_age_yr"][0, 1] == 10.0


def test_the_2020_state_carries_the_13th_plans_grain_for_green():
    """1 465 万亩 in 2016–20 (≈ 9 770 km²): enrolled on household land at the start, their
    2017–20 cohorts owed instalments in 2021–24 and nothing after."""
    from karstsim import KarstModel
    from karstsim.model.government import GFG_NEW_ROUND_START

    model = KarstModel("plan14", rng=2, grid="province", gfg_quota_ha_per_year=0.0)
    land = model.landscape
    enrolled = land["gfg_year"][land.land]
    assert (enrolled > 0).sum() == pytest.approx(9_767, rel=0.01)
    assert set(np.unique(enrolled[enrolled > 0])) == {2016, 2017, 2018, 2019, 2020}
    assert (land["owner"][land["gfg_year"] > 0] >= 0).all()
    model.run_to_year(2026)
    spent = model.results().set_index("year")["spend_gfg_Myuan"]
    assert spent.loc[2021] > 0 and spent.loc[2024] > 0
    assert spent.loc[2025] == 0 and spent.loc[2026] == 0  # the 2020 cohort's last was 2024
    assert GFG_NEW_ROUND_START == 2014


def test_a_2016_start_carries_the_cohorts_of_the_new_round_only():
    from karstsim import KarstModel

    model = KarstModel("hindcast13", rng=2, grid="county")
    cohorts = set(np.unique(model.landscape["gfg_year"][model.landscape["gfg_year"] > 0]))
    assert cohorts == {2014, 2015, 2016}
