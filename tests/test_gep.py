"""GEP accounts (issue 28): a tiny grid worked out by hand, the water balance, the rules
against double counting, counties summing to the province, and the policies' direction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from karstsim.model import gep_prices
from karstsim.model.gep import PARTS, SERVICES, GepAccount
from karstsim.model.layers import EcoCrop, LandCover
from karstsim.model.parameters import PROVINCE_LAND_KM2, ParameterError
from karstsim.model.processes.carbon import CO2_PER_C, pool_shares
from karstsim.model.water_yield import actual_evapotranspiration, climate_table
from tests.conftest import blank_landscape

PRICE = gep_prices.resolve()
P, ET0 = 1179.0, 800.0  # the province's climate: a synthetic map has no prefecture


def fu_aet(p: float, et0: float, kc: float, omega: float) -> float:
    """Fu's curve written out again, mm."""
    phi = kc * et0 / p
    return p * (1 + phi - (1 + phi**omega) ** (1 / omega))


class Households:
    """Two household agents of 10 households each, in the village on the cropland cell; one
    works 2 ha of understory per household, the other has moved away."""

    village = np.array([0, 0])
    relocated = np.array([False, True])
    understory_share = np.array([1.0, 0.0])
    understory_ha = np.array([2.0, 0.0])
    per_agent = 10


class Livestock:
    """Sells 10 cattle and 30 sheep a year."""

    @staticmethod
    def offtake(year):
        return 10.0, 30.0


def tiny(**extra):
    """Three 1-km² cells in a row: forest, cropland and water."""
    values = dict(
        land_cover=np.array([[LandCover.FOREST, LandCover.CROPLAND, LandCover.WATER]]),
        slope_deg=25.0,
        soil_depth_cm=30.0,
        vegetation_cover=np.array([[0.8, 0.5, 0.0]]),
        erosion_t_km2=np.array([[46.0, 1150.0, 0.0]]),
        carbon_tC_ha=np.array([[50.0, 0.0, 0.0]]),
        soil_carbon_tC_ha=np.array([[40.0, 30.0, 0.0]]),
        village=np.array([[False, True, False]]),
    )
    values.update(extra)
    return blank_landscape((1, 3), **values)


def test_climate_is_the_packaged_normals():
    table = climate_table()
    assert table["province"]["precipitation_mm"] == P
    assert len(table["prefectures"]) == 9
    for row in table["prefectures"].values():  # within the sourced ET0 range, 634–936 mm
        assert 634 <= row["et0_mm"] <= 936 and 900 <= row["precipitation_mm"] <= 1500


def test_fu_budyko_by_hand_and_open_water():
    cover = np.array([LandCover.FOREST, LandCover.CROPLAND, LandCover.WATER])
    aet = actual_evapotranspiration(np.full(3, P), np.full(3, ET0), cover)
    assert aet[0] == pytest.approx(fu_aet(P, ET0, 1.0, 2.8))
    assert aet[1] == pytest.approx(fu_aet(P, ET0, 0.8, 2.2))
    assert aet[2] == pytest.approx(1.05 * ET0)  # open water evaporates at its potential
    assert aet[0] > aet[1]  # forest uses more water than cropland: Budyko's ω and Kc
    # open water cannot evaporate more than falls
    assert actual_evapotranspiration(np.array([500.0]), np.array([800.0]), cover[2:])[0] == 500


def test_tiny_grid_by_hand(params):
    land = tiny(
        eco_crop=np.array([[EcoCrop.OIL_TEA, 0, 0]]),
        eco_crop_yr=np.array([[2020 - 9, 0, 0]]),  # at full yield: 9 years after planting
    )
    account = GepAccount(params, land)
    cells = account.measure(land, Households(), livestock=Livestock())
    value, quantity = cells.value, cells.quantity
    # understory: 10 households × 2 ha on the village's cell × 21 800 yuan/ha
    assert quantity["understory"].tolist() == [0.0, 20.0, 0.0]
    assert value["understory"].sum() == pytest.approx(20 * 21_800.0)
    # livestock: 40 head sold, all from the staying agent's village; only the grazed 30 %
    # of the forage is the ecosystem's: (10 × 12 000 + 30 × 1 500) × 0.3
    assert quantity["livestock"].tolist() == [0.0, 40.0, 0.0]
    assert value["livestock"].sum() == pytest.approx((10 * 12_000 + 30 * 1_500) * 0.3)
    # crops: the cropland cell, 100 ha × 64 000 yuan/ha
    assert quantity["crops"].tolist() == [0.0, 100.0, 0.0]
    assert value["crops"].sum() == pytest.approx(6.4e6)
    # featured crops: oil-tea at full bearing, 300 kg/ha × 100 ha = 30 t × 80 yuan/kg
    assert quantity["featured_crops"][0] == pytest.approx(30.0)
    assert value["featured_crops"][0] == pytest.approx(2.4e6)
    # soil retention: potential 2 300 t/km² on both erodible cells (C = P = 1, 25°, soil
    # enough), minus actual 46 and 1 150 t; water erodes nothing
    assert quantity["soil_retention"].tolist() == pytest.approx([2254.0, 1150.0, 0.0])
    retained = 3404.0
    siltation = 0.24 * retained / 1.3 * 12.6
    nutrients = retained * (1.5 * 1.5 + 0.6 * 2.5)  # t × g/kg = kg; × yuan/kg
    assert value["soil_retention"].sum() == pytest.approx(siltation + nutrients)
    # water: forest conserves P − 2.7 % runoff − AET; cropland nothing; water P − 1.05 ET0;
    # 1 mm on 1 km² = 1 000 m³
    forest = P - 0.027 * P - fu_aet(P, ET0, 1.0, 2.8)
    assert quantity["water_conservation"].tolist() == pytest.approx(
        [forest * 1000, 0.0, (P - 840.0) * 1000]
    )
    assert quantity["water_yield"][1] == pytest.approx((P - fu_aet(P, ET0, 0.8, 2.2)) * 1000)
    assert value["water_conservation"].sum() == pytest.approx((forest + P - 840.0) * 1000 * 8.44)
    # carbon: nothing has changed since the account began
    assert not quantity["carbon_sequestration"].any()
    # recreation: quality 0.8 (forest's cover) and 1 (water); 3 km² of the province's visits
    visits = 1.135e9 * 0.3 * 3 / PROVINCE_LAND_KM2
    assert quantity["recreation"].tolist() == pytest.approx([visits * 0.8 / 1.8, 0, visits / 1.8])
    assert value["recreation"].sum() == pytest.approx(visits * 1085.0)
    totals = cells.totals()
    parts = [totals[f"gep_{part}_Myuan"] for part in PARTS]
    assert totals["gep_Myuan"] == pytest.approx(sum(parts))
    assert totals["gep_Myuan"] == pytest.approx(sum(v.sum() for v in value.values()) / 1e6)


def test_carbon_is_the_year_s_change_and_landscape_moves_visits(params):
    land = tiny()
    account = GepAccount(params, land)
    account.measure(land)
    land["carbon_tC_ha"][0, 0] = 52.0  # +2 tC/ha of live biomass, every pool with it
    land["soil_carbon_tC_ha"][0, 1] = 31.0  # +1 tC/ha of soil carbon
    land["vegetation_cover"][0, 0] = 0.5  # the forest thins: quality 1.5 of 1.8
    cells = account.measure(land)
    pools = sum(pool_shares(params).values())
    expected = np.array([2.0 * pools, 1.0, 0.0]) * 100 * CO2_PER_C
    assert cells.quantity["carbon_sequestration"] == pytest.approx(expected)
    assert cells.value["carbon_sequestration"].sum() == pytest.approx(expected.sum() * 54.0)
    visits = 1.135e9 * 0.3 * 3 / PROVINCE_LAND_KM2 * 1.5 / 1.8  # elasticity 1
    assert cells.quantity["recreation"].sum() == pytest.approx(visits)
    # measured again with nothing changed: no sequestration
    assert not account.measure(land).quantity["carbon_sequestration"].any()


def test_no_double_counting(params):
    names = [s.name for s in SERVICES]
    assert len(names) == len(set(names))
    assert {s.part for s in SERVICES} == set(PARTS)
    # water yield is reported, not valued (water conservation is); no oxygen release
    assert "water_yield" not in names and not any("oxygen" in n for n in names)
    # harvest: the timber is a material product, and its carbon leaves the regulating
    # account: the cut stand's sequestration is negative by what the stand held
    land = tiny()
    account = GepAccount(params, land)
    account.measure(land)
    land["carbon_tC_ha"][0, 0] = 0.0

    class Harvest:  # the timber harvest's record of the stands it cut (flat indices, m³)
        harvested_cells = np.array([0])
        harvested_cell_m3 = np.array([5000.0])

    cells = account.measure(land, harvest=Harvest())
    assert cells.value["timber"][0] == pytest.approx(5000.0 * 1000.0)
    pools = sum(pool_shares(params).values())
    assert cells.quantity["carbon_sequestration"][0] == pytest.approx(
        -50.0 * pools * 100 * CO2_PER_C
    )


def test_prices_are_declared_and_checked():
    for price in gep_prices.PRICES.values():
        assert price.low <= price.value <= price.high and price.unit and price.source
        assert price.source.startswith(("[F]", "[D]", "[M]", "[E]"))
    with pytest.raises(ParameterError, match="out of range"):
        gep_prices.resolve({"carbon_price_yuan_tCO2": 1e6})
    with pytest.raises(ParameterError, match="unknown"):
        gep_prices.resolve({"gold_price": 1.0})
    # every price moves the accounts (a price with no effect would be a bug)
    land = tiny(eco_crop=np.array([[EcoCrop.OIL_TEA, 0, 0]]), eco_crop_yr=2011)
    params = __import__("karstsim.model.parameters", fromlist=["resolve"]).resolve()

    class Harvest:
        harvested_cells = np.array([0])
        harvested_cell_m3 = np.array([10.0])

    def gep(**prices):
        account = GepAccount(params, land.copy(), prices)
        moved = land.copy()
        moved["carbon_tC_ha"][0, 0] = 55.0
        moved["vegetation_cover"][0, 0] = 0.7
        cells = account.measure(moved, Households(), Harvest(), Livestock())
        return cells.totals()["gep_Myuan"]

    base = gep()
    for name, price in gep_prices.PRICES.items():
        other = price.high if price.value != price.high else price.low
        assert gep(**{name: other}) != pytest.approx(base, rel=1e-12), name


@pytest.fixture(scope="module")
def province_runs():
    from karstsim.experiments.run import RunSpec, simulate

    runs = {}
    for scenario in ("plan14", "no_new_policy"):
        spec = RunSpec(scenario=scenario, grid="province", end_year=2030, seed=1, by="county")
        runs[scenario] = simulate(spec, by_region=True)
    return runs


def test_counties_sum_to_the_province_every_year_and_service(province_runs):
    table = province_runs["plan14"].gep_table.frame()
    province = table[table["level"] == "province"].set_index(["year", "service"])
    counties = table[table["level"] == "county"].groupby(["year", "service"]).sum(numeric_only=True)
    assert len(table[table["level"] == "county"]["adcode"].unique()) == 88
    for column in ("value_Myuan", "quantity"):
        assert counties[column].to_numpy() == pytest.approx(
            province.loc[counties.index, column].to_numpy(), rel=1e-9
        )
    results = province_runs["plan14"].results().set_index("year")
    by_year = province.groupby(level="year")["value_Myuan"].sum()
    assert by_year.to_numpy() == pytest.approx(results.loc[by_year.index, "gep_Myuan"], rel=1e-9)


def test_water_yield_is_near_the_province_s_water_resources(province_runs):
    # the Budyko balance on the packaged normals against ≈ 1 062 ×10⁸ m³ a year [M]
    published = climate_table()["province"]["water_resources_1e8m3"] / 10  # km³
    start = province_runs["plan14"].results()["water_yield_km3"].iloc[0]
    assert start == pytest.approx(published, rel=0.1)


def test_plan14_raises_regulating_services_over_no_new_policy(province_runs):
    """More forest and less soil loss under the plan: more water conserved, more soil
    retained, more carbon taken up, and a larger regulating part of GEP."""
    plan = province_runs["plan14"].results().set_index("year").loc[2030]
    none = province_runs["no_new_policy"].results().set_index("year").loc[2030]
    assert plan["forest_cover_pct"] > none["forest_cover_pct"]
    assert plan["soil_loss_Mt"] < none["soil_loss_Mt"]
    assert plan["water_conservation_km3"] > none["water_conservation_km3"]
    assert plan["soil_retained_Mt"] > none["soil_retained_Mt"]
    assert plan["gep_regulating_Myuan"] > none["gep_regulating_Myuan"]
    assert math.isfinite(plan["gep_Myuan"]) and plan["gep_Myuan"] != none["gep_Myuan"]


def test_the_app_shows_gep_per_km2_by_county_and_a_card(province_runs):
    from karstsim.viz.cards import key_figures
    from karstsim.viz.map_view import difference_codes, gep_density

    plan, none = province_runs["plan14"], province_runs["no_new_policy"]
    density = gep_density(plan)
    land = plan.landscape
    county = land.to_grid(land["county"])
    table = plan.gep_table.frame()
    final = table[(table["year"] == plan.year) & (table["level"] == "county")]
    per_county = final.groupby("adcode")["value_Myuan"].sum()
    for adcode in per_county.index[:5]:
        cells = county == adcode
        area = cells.sum() * land.cell_area_km2
        assert density[cells] == pytest.approx(per_county[adcode] / area)
    assert difference_codes(plan, none, "gep")[land.grid_mask].any()
    figures = {f.key: f for f in key_figures({"A": plan.results()}, "zh")}
    gep = plan.results()["gep_Myuan"].iloc[-1]
    assert figures["card_gep"].values["A"] == f"{gep:,.0f}"
    assert figures["card_gep"].title == "生态产品总值（GEP）"


@pytest.mark.parametrize("document", ["docs/ODD.md", "README.md"])
def test_the_docs_explain_each_service_and_list_the_prices(document):
    from pathlib import Path

    from karstsim.experiments import odd

    text = (Path(__file__).parents[1] / document).read_text("utf-8")
    assert odd.gep_prices_up_to_date(text), (
        f"{document}: the GEP price table differs from karstsim/model/gep_prices.py; "
        "regenerate it with: .venv/bin/python scripts/update_odd.py"
    )
    for service in SERVICES:
        assert service.name.replace("_", " ") in text.lower(), service.name
    assert "生态产品总值核算规范" in text and "Budyko" in text


def test_summary_of_a_run_of_one_year_and_of_several(params):
    from karstsim.experiments.run import RunSpec, simulate

    one = simulate(RunSpec(scenario="plan14", grid="classroom", end_year=2020)).gep_table
    assert one.summary()["total"]["change"] == 0.0
    model = simulate(RunSpec(scenario="plan14", grid="classroom", end_year=2022))
    summary = model.gep_table.summary()
    results = model.results().set_index("year")
    assert summary["years"] == [2020, 2022]
    assert summary["total"]["end"] == pytest.approx(results.loc[2022, "gep_Myuan"])
    assert summary["regulating"]["start"] == pytest.approx(
        results.loc[2020, "gep_regulating_Myuan"]
    )
    assert summary["timber"]["change"] == pytest.approx(summary["timber"]["end"])  # 0 at start
