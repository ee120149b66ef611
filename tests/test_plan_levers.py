"""Issue 13, the plan's missing levers: each moves the outputs it should, in the right
direction, on a small grid; with the lever off nothing else changes; plan14 sets it at the
plan's figure and no_new_policy switches it off."""

from __future__ import annotations

import pandas as pd
import pytest

from karstsim import KarstModel
from karstsim.agents.mines import MinePopulation
from karstsim.experiments.targets import evaluate
from karstsim.model import scenario as scenario_module

GRID = "60x60"


def _run(scenario="plan14", year=2027, grid=GRID, seed=3, **levers) -> pd.DataFrame:
    model = KarstModel(scenario, rng=seed, grid=grid, **levers)
    model.run_to_year(year)
    return model.results().set_index("year")


def _same_except(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> None:
    """``a`` and ``b`` are equal in every column but ``columns``."""
    keep = [c for c in a.columns if c not in columns]
    pd.testing.assert_frame_equal(a[keep], b[keep])


# --- (a) item 9: mines as the plan counts them ------------------------------------------------
def test_legacy_restoration_is_reported_apart_from_owners_restoration():
    busy = _run(legacy_restoration_ha_per_year=20_000, mine_closure_rate=0.2)
    idle = _run(legacy_restoration_ha_per_year=0, mine_closure_rate=0.2)
    total = busy.legacy_mine_restored_ha_cum + busy.closed_mine_restored_ha_cum
    assert (total - busy.mine_restored_ha_cum).abs().max() < 1e-9
    assert busy.legacy_mine_restored_ha_cum.iloc[-1] > 0
    assert busy.closed_mine_restored_ha_cum.iloc[-1] > 0
    assert (idle.legacy_mine_restored_ha_cum == 0).all()
    assert (idle.closed_mine_restored_ha_cum == idle.mine_restored_ha_cum).all()
    assert busy.spend_mines_Myuan.sum() > 0 == idle.spend_mines_Myuan.sum()


def test_green_renewals_raise_the_green_share_and_close_the_mines_that_fail():
    rule = _run(renewed_mines_green=True, mine_licence_years=5)
    loose = _run(renewed_mines_green=False, mine_licence_years=5)
    assert rule.green_mine_share.iloc[-1] > loose.green_mine_share.iloc[-1]
    assert rule.mine_renewal_exits.sum() > 0 == loose.mine_renewal_exits.sum()
    assert rule.mines_active.iloc[-1] < loose.mines_active.iloc[-1]
    assert rule.green_upgrade_spend_Myuan.sum() > loose.green_upgrade_spend_Myuan.sum()
    assert rule.closed_mine_restored_ha_cum.iloc[-1] > loose.closed_mine_restored_ha_cum.iloc[-1]
    # every renewing brown mine that does not exit is upgraded: all exit, none is upgraded
    everyone_exits = _run(renewed_mines_green=True, mine_licence_years=5, renewal_exit_share=1.0)
    assert everyone_exits.mine_renewal_exits.sum() > rule.mine_renewal_exits.sum()


def test_without_the_renewal_rule_nothing_but_the_renewal_count_changes(monkeypatch):
    off = _run(renewed_mines_green=False)

    def no_renewals(self, year, streams, changed):
        self.renewed, self.renewal_exits = 0, 0
        return 0

    monkeypatch.setattr(MinePopulation, "_renew_licences", no_renewals)
    absent = _run(renewed_mines_green=False)
    _same_except(off, absent, ["mines_renewed"])


def test_mine_targets_are_in_the_summary_rows():
    model = KarstModel("plan14", rng=3, grid=GRID)
    model.run_to_year(2026)
    report = evaluate(model.results(), model.area_scale)
    assert report["legacy_mines_1000"]["threshold"] == pytest.approx(1000 * model.area_scale)
    assert report["green_mines_28"]["met_by_deadline"]


def test_plan14_sets_the_mine_rules_and_no_new_policy_switches_them_off():
    plan = scenario_module.load("plan14").parameters
    none = scenario_module.load("no_new_policy").parameters
    assert plan["renewed_mines_green"] is True and none["renewed_mines_green"] is False
    assert plan["legacy_restoration_ha_per_year"] * 5 == 1000  # 到 2025 年 … 1000 公顷
    assert plan["green_mine_share_target"] == 0.28
