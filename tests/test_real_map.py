"""The real Guizhou: boundaries, the georeferenced grid, regions and results by region."""

from __future__ import annotations

import json

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.experiments.cli import main
from karstsim.model import georef, regional_figures, regions
from karstsim.model.grid import parse_grid, region_grid_spec
from karstsim.model.parameters import ParameterError
from karstsim.model.regional import RegionalRecorder

PROVINCE_KM2 = 176_167


@pytest.fixture(scope="module")
def province_grid():
    return georef.region_grid(regions.find_region("520000"), 1.0)


def test_the_region_table_has_every_division():
    assert len(regions.prefectures()) == 9
    assert len(regions.counties()) == 88
    assert all(r.adcode.startswith("52") for r in regions.all_regions().values())
    assert {len(regions.counties(p.adcode)) for p in regions.prefectures()} >= {4, 16}


@pytest.mark.parametrize(
    ("text", "adcode"),
    [
        ("毕节市", "520500"),
        ("毕节", "520500"),
        ("Bijie", "520500"),
        ("bijie", "520500"),
        ("520502", "520502"),
        ("七星关区", "520502"),
        ("三都水族自治县", "522732"),
        ("三都", "522732"),
        ("Weng'an", "522725"),
        ("wengan", "522725"),
        ("黔东南苗族侗族自治州", "522600"),
        ("Guizhou", "520000"),
    ],
)
def test_regions_are_found_by_name_or_code(text, adcode):
    assert regions.find_region(text).adcode == adcode


def test_an_unknown_region_names_close_matches():
    with pytest.raises(ParameterError, match=r"did you mean.*Bijie"):
        regions.find_region("Bijei")
    with pytest.raises(ParameterError, match="not a Guizhou prefecture or county"):
        regions.find_region("Atlantis")


def test_short_chinese_names():
    assert regions.short_chinese_name("威宁彝族回族苗族自治县") == "威宁"
    assert regions.short_chinese_name("六枝特区") == "六枝"
    assert regions.short_chinese_name("黔南布依族苗族自治州") == "黔南"


def test_rasterised_areas_match_the_boundaries(province_grid):
    """Every prefecture's cells at 1 km within 1 % of its boundary's area, and the whole
    within 0.1 % of the official land area."""
    land_km2 = province_grid.land.sum()
    assert land_km2 == pytest.approx(PROVINCE_KM2, rel=0.001)
    for prefecture in regions.prefectures():
        cells = (province_grid.prefecture == int(prefecture.adcode)).sum()
        assert cells == pytest.approx(prefecture.boundary_area_km2, rel=0.01), prefecture.name_en
    counties = sorted(regions.counties(), key=lambda c: int(c.adcode))
    cells = np.bincount(np.searchsorted(
        [int(c.adcode) for c in counties], province_grid.county[province_grid.land]
    ), minlength=88)  # fmt: skip
    areas = np.array([c.boundary_area_km2 for c in counties])
    # every county on the grid; the smallest (Yunyan, 93 km²) within 10 %, others 3 %
    assert np.all(np.abs(cells - areas) <= np.maximum(0.03 * areas, 9)), cells - areas


def test_prefecture_areas_are_within_2_percent_of_the_official_ones(province_grid):
    figures = regional_figures.prefecture_figures()
    for prefecture in regions.prefectures():
        cells = (province_grid.prefecture == int(prefecture.adcode)).sum()
        official = figures[prefecture.adcode].official_area_km2
        assert cells == pytest.approx(official, rel=0.02), prefecture.name_en


def test_the_grid_covers_guizhou_in_its_crs(province_grid):
    west, south, east, north = province_grid.geo.lonlat_bounds(province_grid.shape)
    assert west < 103.62 and east > 109.58 and south < 24.63 and north > 29.21
    assert west > 103.4 and east < 109.8 and south > 24.4 and north < 29.4
    # Guiyang's coordinates fall in Guiyang, Kaili's in Qiandongnan
    cols, rows = province_grid.geo.to_cells(np.array([106.71, 107.98]), np.array([26.58, 26.58]))
    assert province_grid.prefecture[int(rows[0]), int(cols[0])] == 520100
    assert province_grid.prefecture[int(rows[1]), int(cols[1])] == 522600


def test_finer_cells_keep_the_area():
    county = regions.find_region("Guanling")
    coarse = georef.region_grid(county, 1.0)
    fine = georef.region_grid(county, 0.25)
    assert fine.land.sum() * 0.0625 == pytest.approx(county.boundary_area_km2, rel=0.005)
    assert coarse.land.sum() == pytest.approx(county.boundary_area_km2, rel=0.03)
    # the county's grid is a window of the province's grid at the same resolution
    province = georef.region_grid(regions.find_region("520000"), 0.25)
    c = fine.geo.transform
    p = province.geo.transform
    assert (c[2] - p[2]) % 250 == 0 and (p[5] - c[5]) % 250 == 0


def test_parse_grid_takes_regions_and_presets():
    assert parse_grid("province").region == "520000"
    assert parse_grid("classroom").region == "520424"  # Guanling, on the Huajiang gorge
    assert parse_grid("Zunyi").region == "520300"
    assert region_grid_spec("Guizhou") == parse_grid("province")
    assert parse_grid("county").region is None
    with pytest.raises(ParameterError, match="not a preset, WxH or a Guizhou region"):
        parse_grid("Narnia")


def test_a_prefecture_run_starts_with_its_own_forest_cover():
    model = KarstModel("plan14", rng=3, grid="Qiannan")
    land = model.landscape
    assert set(np.unique(land["prefecture"][land.land])) == {522700}
    assert model.results().iloc[0].forest_cover_pct == pytest.approx(66.0, abs=0.05)  # published
    assert model.area_scale == pytest.approx(land.land_area_km2 / 176_167)


def test_non_karst_counties_have_no_carbonate():
    model = KarstModel("plan14", rng=3, grid="Chishui")
    land = model.landscape
    assert not land["carbonate"][land.land].any()
    assert model.results().iloc[0].desertified_km2 == 0


def test_province_prefecture_forest_cover_follows_the_figures(province_2020):
    land = province_2020.landscape
    figures = regional_figures.prefecture_figures()
    for code, entry in figures.items():
        inside = land["prefecture"] == int(code)
        share = np.isin(land["land_cover"][inside], (0, 1)).mean()
        assert share == pytest.approx(entry.forest_cover_2020, abs=0.002), code
    # villages follow rural population density (e.g. Qiandongnan's is under Bijie's)
    ratio = regional_figures.rural_density_ratio()
    density = {code: land["village"][land["prefecture"] == int(code)].mean() for code in ratio}
    for code in ratio:
        assert density[code] / density["520500"] == pytest.approx(
            ratio[code] / ratio["520500"], rel=0.1
        ), code


def test_regional_rows_add_up_to_the_province_row():
    model = KarstModel("plan14", rng=5, grid="Anshun")
    recorder = RegionalRecorder(model, "county")
    recorder.record()
    for _ in range(2):
        model.step()
        recorder.record()
    table = recorder.table_frame()
    assert table["adcode"].nunique() == len(regions.counties("520400"))
    last = table[table["year"] == model.year]
    row = model.results().iloc[-1]
    for column in (
        "desertified_km2", "desert_severe_km2", "carbon_stock_MtC", "growing_stock_Mm3",
        "soil_loss_Mt", "treated_km2_cum", "afforested_km2_cum", "rangers", "mines_active",
    ):  # fmt: skip
        assert last[column].sum() == pytest.approx(row[column], rel=1e-9, abs=1e-9), column
    assert last["land_area_km2"].sum() == model.landscape.land_area_km2
    weighted = (last["forest_cover_pct"] * last["land_area_km2"]).sum() / last[
        "land_area_km2"
    ].sum()
    assert weighted == pytest.approx(row.forest_cover_pct)
    assert last["households"].sum() == pytest.approx(
        model.households.n * model.households.per_agent
    )


def test_regional_recorder_refuses_a_synthetic_map():
    with pytest.raises(ParameterError, match="real map"):
        RegionalRecorder(KarstModel("plan14", rng=1, grid="10x10"))


def test_run_by_region_writes_regions_and_layers_that_load_back(tmp_path, capsys):
    import rasterio

    out = tmp_path / "run"
    code = main(["run", "--region", "关岭", "--years", "2020:2022", "--save-layers",
                 "--by", "county", "--out", str(out)])  # fmt: skip
    assert code == 0
    regions_csv = (out / "regions.csv").read_text("utf-8").splitlines()
    assert regions_csv[0].startswith("year,level,adcode,name_zh,name_en")
    assert len(regions_csv) == 1 + 3  # one county, three years
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert list(summary["regions"]) == ["520424"]
    west, south, east, north = summary["bounds_lonlat"]
    assert 105.2 < west < 105.7 < east < 106.0 and 25.5 < south < 26.0 < north < 26.4
    with rasterio.open(out / "layers" / "yearly" / "land_cover.tif") as source:
        assert source.count == 3 and source.descriptions == ("2020", "2021", "2022")
        assert "aea" in source.crs.to_proj4()
        land_cover_2022 = source.read(3)
    with rasterio.open(out / "layers" / "land_cover.tif") as source:
        assert np.array_equal(source.read(1), land_cover_2022)
    capsys.readouterr()
    again = tmp_path / "again"
    assert main(["run", "--landscape", str(out / "layers"), "--years", "2022:2023",
                 "--out", str(again)]) == 0  # fmt: skip
    reloaded = json.loads((again / "summary.json").read_text("utf-8"))
    assert reloaded["bounds_lonlat"] == summary["bounds_lonlat"]
    assert reloaded["land_area_km2"] == summary["land_area_km2"]


def test_landscape_with_mismatched_geotiffs_is_refused(tmp_path, capsys):
    import rasterio

    out = tmp_path / "run"
    assert main(["run", "--region", "Guanling", "--years", "2020:2020", "--save-layers",
                 "--out", str(out)]) == 0  # fmt: skip
    path = out / "layers" / "slope_deg.tif"
    with rasterio.open(path) as source:
        profile, data = source.profile, source.read(1)
    profile["transform"] = rasterio.Affine(1000.0, 0, profile["transform"].c + 3000, 0, -1000.0,
                                           profile["transform"].f)  # fmt: skip
    with rasterio.open(path, "w", **profile) as target:
        target.write(data, 1)
    capsys.readouterr()
    code = main(["run", "--landscape", str(out / "layers"), "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "slope_deg.tif" in err and "CRS or transform differs" in err


def test_bad_region_is_one_line_with_exit_2(capsys):
    assert main(["run", "--region", "Bijei", "--out", "/tmp/never"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Bijie" in err


def test_scenario_region_weights_steer_the_programmes(tmp_path):
    from karstsim.experiments.run import RunSpec, simulate

    scenario = tmp_path / "bijie_first.toml"
    scenario.write_text(
        '[scenario]\nname = "bijie_first"\n[parameters]\n[regions]\n"毕节市" = 3\nZunyi = 1\n',
        "utf-8",
    )
    spec = RunSpec(scenario=str(scenario), grid="province", end_year=2022, seed=2)
    model = simulate(spec, by_region=True)
    table = model.regional.table_frame()
    final = table[table["year"] == 2022].set_index("adcode")
    treated = final["treated_km2_cum"]
    assert treated.drop(["520500", "520300"]).sum() == 0
    assert treated["520500"] == pytest.approx(3 * treated["520300"], rel=0.05)
    assert final["afforested_km2_cum"].drop(["520500", "520300"]).sum() == 0
    # the province total is the lever's, as without weights
    default = simulate(RunSpec(scenario="plan14", grid="province", end_year=2022, seed=2))
    assert model.results()["treated_km2_cum"].iloc[-1] == pytest.approx(
        default.results()["treated_km2_cum"].iloc[-1], rel=0.01
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("Narnia = 1", "not a Guizhou prefecture or county"),
        ('"七星关区" = 1', "is a county; weights are per prefecture"),
        ("Bijie = -1", "a weight is a number ≥ 0"),
        ('Bijie = "a lot"', "a weight is a number ≥ 0"),
        ("Bijie = 0", "every weight is 0"),
    ],
)
def test_bad_region_weights_are_refused(table, message):
    from karstsim.model.scenario import parse

    with pytest.raises(ParameterError, match=message):
        parse(f"[scenario]\nname = 'x'\n[regions]\n{table}\n")


def test_every_prefecture_and_county_runs_by_name_and_code():
    """Each of the 97 regions is found by its Chinese name, English name and adcode and
    runs a year on its own map, whose land is its boundary."""
    for region in regions.all_regions().values():
        if region.level == "province":
            continue
        for key in (region.name_zh, region.adcode):
            assert regions.find_region(key) == region, key
        if region.level == "county":
            names = [r for r in regions.counties() if r.name_en == region.name_en]
            assert len(names) == 1, region.name_en  # English names are unique
            model = KarstModel("plan14", rng=1, grid=region.name_en)
            model.step()
            land = model.landscape
            assert set(np.unique(land["county"][land.land])) == {int(region.adcode)}
            assert land.land_area_km2 == pytest.approx(region.boundary_area_km2, rel=0.1, abs=9)
        else:
            assert regions.find_region(region.name_en) == region
            assert region_grid_spec(region.name_en).region == region.adcode


def test_province_geotiffs_cover_guizhou(tmp_path):
    import rasterio
    from rasterio.warp import transform_bounds

    out = tmp_path / "gz"
    assert main(["run", "--grid", "province", "--years", "2020:2020", "--save-layers",
                 "--out", str(out)]) == 0  # fmt: skip
    with rasterio.open(out / "layers" / "yearly" / "severity.tif") as source:
        west, south, east, north = transform_bounds(source.crs, "EPSG:4326", *source.bounds)
        assert source.res == (1000.0, 1000.0)
    assert west <= 103.6 and east >= 109.6 and south <= 24.62 and north >= 29.2
    regions_csv = (out / "regions.csv").read_text("utf-8").splitlines()
    assert len(regions_csv) == 1 + 9


def test_area_rows_equal_the_indicators_of_their_counties():
    """The Wuling area's row is the forest cover and soil conservation of its 16 counties."""
    from karstsim.model import metrics

    model = KarstModel("plan14", rng=4, grid="province")
    recorder = RegionalRecorder(model)
    recorder.record()
    row = recorder.area_frame().set_index("area").loc["wuling"]
    land = model.landscape
    counties = [int(c) for c in regional_figures.plan_areas()["wuling"].counties]
    inside = np.where(np.isin(land["county"][land.land], counties), 0, 1)
    expected = metrics.land_indicators_by_region(land, model.params, inside, 2)
    assert row.forest_cover_pct == pytest.approx(expected["forest_cover_pct"][0])
    assert row.soil_conservation_pct == pytest.approx(expected["soil_conservation_pct"][0])


def test_regional_columns_are_declared_per_region_outputs():
    """regions.csv holds only declared outputs that mean something per region."""
    from karstsim.model.outputs import OUTPUTS

    declared = {o.name: o for o in OUTPUTS}
    model = KarstModel("plan14", rng=1, grid="Guanling")
    recorder = RegionalRecorder(model, "county")
    recorder.record()
    columns = set(recorder.table_frame().columns) - {
        "year",
        "level",
        "adcode",
        "name_zh",
        "name_en",
    }
    assert columns <= set(declared), sorted(columns - set(declared))
    assert all(declared[c].per_region for c in columns), [
        c for c in columns if not declared[c].per_region
    ]
