"""The households' decision rules as pure functions, with numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim.agents import decisions as d


def test_logistic_and_adjustment():
    assert d.logistic(np.array([0.0]))[0] == pytest.approx(0.5)
    assert d.logistic(np.array([np.log(3.0)]))[0] == pytest.approx(0.75)
    assert d.adjust_towards(np.array([0.2]), np.array([0.6]), 0.25)[0] == pytest.approx(0.3)


def test_gfg_cash_comes_in_three_instalments():
    # 1 500 yuan/mu × 15 mu/ha × 80 % cash = 18 000 yuan/ha as 5/12, 3/12, 4/12
    got = d.gfg_cash_yuan_ha(1500.0, np.array([0, 1, 2, 3, 4, 5]))
    assert got.tolist() == pytest.approx([7500, 0, 4500, 0, 6000, 0])
    assert got.sum() == pytest.approx(18_000)


def test_gfg_net_benefit_by_hand():
    # gain: 0.9 × (7 500 + 4 500/1.1² + 6 000/1.1⁴) = 0.9 × 15 316.9 = 13 785.2
    # loss: 2 000 × (1 + 1/1.1 + 1/1.1² + 1/1.1³ + 1/1.1⁴) = 2 000 × 4.16987 = 8 339.7
    got = d.gfg_net_benefit(np.array([2000.0]), 1500.0, 0.1, 0.1, np.array([0.5]), 2.0, 1000.0)
    assert got[0] == pytest.approx((13_785.2 - 8_339.7) / 1000 + 1.0, abs=1e-3)


def test_gfg_is_less_attractive_on_better_land_and_with_riskier_payments():
    crops = np.array([1000.0, 5000.0])
    base = d.gfg_net_benefit(crops, 1500.0, 0.08, 0.1, np.zeros(2), 0.5, 3000.0)
    assert base[0] > base[1]
    risky = d.gfg_net_benefit(crops, 1500.0, 0.08, 0.6, np.zeros(2), 0.5, 3000.0)
    assert (risky < base).all()


def test_offfarm_share_rises_with_the_wage_gap():
    low = d.desired_offfarm_share(18_000, 15_000, np.array([3000.0]), 6000)[0]
    assert low == pytest.approx(0.5)  # gap 0
    high = d.desired_offfarm_share(30_000, 15_000, np.array([3000.0]), 6000)[0]
    assert high == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_illegal_attempts_are_deterred_by_expected_fines():
    # temptation × (1 − detection × fine / gain)
    got = d.illegal_attempt_probability(
        0.3,
        np.array([1000.0, 1000.0, 1000.0]),
        np.array([500.0, 500.0, 4000.0]),
        np.array([0.0, 0.5, 0.5]),
    )
    assert got.tolist() == pytest.approx([0.3, 0.225, 0.0])


def test_detection_probability():
    assert d.detection_probability(np.array([0.0, 1.0]), 0.7).tolist() == pytest.approx(
        [0.0, 1 - np.exp(-0.7)]
    )


def test_scheme_margins():
    # 600 eligible trees capped at 450 × 3 yuan − 300 = 1 050; no trees → 0
    got = d.single_tree_margin_yuan(np.array([600.0, 0.0, 100.0]), 450, 3.0, 300.0)
    assert got.tolist() == pytest.approx([1050.0, 0.0, 0.0])
    # 10 tCO₂/ha × 60 yuan × 0.6 − 150 = 210 yuan/ha
    assert d.carbon_project_margin_yuan_ha(np.array([10.0]), 60.0, 0.6, 150.0)[0] == pytest.approx(
        210.0
    )


def test_join_probability_with_status_quo_bias_and_neighbours():
    # margin 0, no neighbours, bias 2: 1 / (1 + e²) = 0.1192; all neighbours joined (+0.5)
    got = d.join_probability(np.array([0.0, 0.0]), np.array([0.0, 1.0]), 0.5, 1000.0, 2.0)
    assert got.tolist() == pytest.approx([1 / (1 + np.exp(2.0)), 1 / (1 + np.exp(1.5))])


def test_gini_by_hand():
    assert d.gini(np.array([5.0, 5.0, 5.0])) == pytest.approx(0.0)
    assert d.gini(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(0.25, abs=1e-3)
    assert d.gini(np.array([1.0, 3.0]), np.array([3.0, 1.0])) == pytest.approx(
        d.gini(np.array([1.0, 1.0, 1.0, 3.0])), abs=1e-3
    )


def test_poverty_share_of_lognormal_groups():
    # a group whose median is the line has half its people below it
    sigma = 0.6
    mean = 4000.0 * np.exp(0.5 * sigma**2)
    assert d.poverty_share(np.array([mean]), sigma, 4000.0, np.array([1.0])) == pytest.approx(0.5)
    assert d.poverty_share(np.array([3000.0, 9000.0]), 0.0, 4000.0, np.array([1.0, 3.0])) == 0.25
