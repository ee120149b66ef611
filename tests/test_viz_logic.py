"""The web app's logic without a page: texts, sliders, controller, figures, downloads, CLI."""

from __future__ import annotations

import io
import re
import threading
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.legend import Legend
from PIL import Image

from karstsim import __version__
from karstsim.experiments.cli import build_parser
from karstsim.experiments.figures import LAND_COVER_STYLE
from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.layers import LandCover
from karstsim.model.parameters import InputError
from karstsim.viz import i18n, style
from karstsim.viz.cards import key_figures
from karstsim.viz.charts import (
    CHARTS,
    DIFFERENCE_CHART,
    ChartRenderer,
    first_year_reached,
    nice_ceiling,
)
from karstsim.viz.classroom import shown_text
from karstsim.viz.controller import LAST_YEAR, MAX_CUSTOM_CELLS, Controller, preset_values
from karstsim.viz.downloads import figure_sheet, file_stem, provenance, results_csv
from karstsim.viz.lever_specs import APP_FIXED, format_value, groups, slider_specs, switches
from karstsim.viz.map_view import AXES_BOX, LAYERS, MapRenderer, difference_codes


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture
def controller() -> Controller:
    return Controller()


# --- texts ---------------------------------------------------------------------------------
def test_every_lever_group_and_unit_has_both_languages():
    for name, p in parameters.PARAMETERS.items():
        assert i18n.parameter_label(name, "en") and i18n.parameter_label(name, "zh"), name
        assert p.unit in i18n.UNITS_ZH, p.unit
        if p.role == "lever":
            english, chinese = i18n.PARAMETER_LABELS[name]
            assert chinese != english, name
            assert i18n.parameter_help(name, "zh"), f"lever {name} has no Chinese explanation"
    for group in parameters.GROUPS:
        assert i18n.group_title(group, "zh") != i18n.group_title(group, "en")


def test_interface_texts_are_translated_and_fill_their_placeholders():
    for key, (english, chinese) in i18n.UI.items():
        assert (english.strip() and chinese.strip()) or key == "unit_year", key
    assert i18n.tr("year_now", "zh", year=2031) == "2031 年"
    assert i18n.tr("map_scale", "en", area=1.0) == "1 cell = 1 km²"


# --- sliders from the declaration -----------------------------------------------------------
def test_every_lever_but_the_fixed_ones_gets_a_slider_or_switch():
    shown = {s.name for specs in slider_specs("lever").values() for s in specs}
    shown |= {p.name for ps in switches("lever").values() for p in ps}
    levers = {n for n, p in parameters.PARAMETERS.items() if p.role == "lever"}
    assert shown == levers - set(APP_FIXED)
    assert groups("lever")[:3] == ["soil", "restoration", "forestry"]


def test_slider_steps_hit_the_range_the_default_and_every_preset_value():
    presets = [scenario_module.load(n).parameters for n in scenario_module.shipped_names()]
    for role in ("lever", "uncertainty"):
        for specs in slider_specs(role).values():
            for spec in specs:
                p = spec.parameter
                assert (p.high - p.low) / spec.step >= 100 or p.kind == "int", p.name
                values = [p.default, p.high] + [s[p.name] for s in presets if p.name in s]
                for value in values:
                    ratio = (value - p.low) / spec.step
                    assert abs(ratio - round(ratio)) < 1e-6, (p.name, value, spec.step)


def test_values_are_shown_with_separators_and_units_in_each_language():
    spec = next(s for s in slider_specs("lever")["restoration"] if s.name.startswith("treatment"))
    assert format_value(spec, 71_000, "en") == "71,000 ha/yr"
    assert format_value(spec, 71_000, "zh") == "71,000 公顷/年"


# --- controller -----------------------------------------------------------------------------
def test_step_and_reset_move_every_run_together(controller):
    controller.set_compare(True)
    assert controller.step() and controller.step()
    assert controller.year == controller.start_year + 2
    assert {arm: len(t) for arm, t in controller.results().items()} == {"A": 3, "B": 3}
    controller.reset()
    assert controller.year == controller.start_year
    assert all(len(t) == 1 for t in controller.results().values())


def test_a_lever_change_replays_the_run_to_the_year_shown(controller):
    for _ in range(3):
        controller.step()
    before = controller.results()["A"]["desertified_km2"].to_list()
    controller.set_value("A", "treatment_ha_per_year", 500_000)
    after = controller.results()["A"]
    assert controller.year == controller.start_year + 3 and len(after) == 4
    assert after["desertified_km2"].to_list() != before
    assert controller.arms["A"].overrides() == {"treatment_ha_per_year": 500_000.0}


def test_same_levers_same_seed_give_the_same_run_in_compare_mode(controller):
    controller.set_compare(True)
    for _ in range(2):
        controller.step()
    runs = controller.results()
    pd.testing.assert_frame_equal(runs["A"], runs["B"])


def test_invalid_combination_is_reported_and_leaves_the_other_run_going(controller):
    controller.set_compare(True)
    controller.set_value("B", "grass_years", 15)
    controller.set_value("B", "shrub_years", 6)
    assert [arm for arm, _ in controller.errors()] == ["B"]
    assert "grass_years < shrub_years" in controller.errors()[0][1]
    assert list(controller.models()) == ["A"] and controller.step()
    controller.set_value("B", "shrub_years", 20)
    assert controller.errors() == [] and len(controller.results()["B"]) == 2


def test_bad_seed_grid_and_value_are_messages_not_exceptions(controller):
    controller.set_seed(-1)
    assert not controller.step(), "the runs went on with the seed before the bad one"
    assert "the runs wait for a valid seed" in controller.errors()[0][1]
    controller.set_grid("3x3")
    assert "at least 5 cells" in controller.errors()[1][1]
    controller.set_grid("300x300")
    assert f"{MAX_CUSTOM_CELLS:,} cells" in controller.errors()[1][1]
    controller.set_value("A", "rangers", -5)
    assert any("out of range" in message for _, message in controller.errors())
    controller.set_grid("40x30")
    controller.set_value("A", "rangers", 0)
    controller.set_seed(3)
    assert controller.errors() == [] and controller.step()
    assert controller.models()["A"].landscape.grid_shape == (30, 40)


def _all_sliders():
    return [
        s
        for role in ("lever", "uncertainty")
        for specs in slider_specs(role).values()
        for s in specs
    ]


def test_each_slider_alone_at_either_end_runs_or_says_why():
    controller = Controller(grid="20x20")
    for spec in _all_sliders():
        default = controller.arms["A"].values[spec.name]
        for value in (spec.parameter.low, spec.parameter.high):
            controller.set_value("A", spec.name, value)
            assert controller.step() or controller.errors(), (spec.name, value)
            assert controller.models() or controller.errors()
            controller.reset()
        controller.set_value("A", spec.name, default)
    assert controller.errors() == []


@pytest.mark.parametrize("end", ["low", "high"])
def test_every_slider_at_the_same_end_at_once_runs_or_says_why(end):
    controller = Controller()
    arm = controller.arms["A"]
    arm.values.update(
        {s.name: s.parameter.low if end == "low" else s.parameter.high for s in _all_sliders()}
    )
    controller.reset()
    assert controller.step() or controller.errors()
    if not controller.errors():
        numbers = controller.results()["A"].select_dtypes("number")
        assert np.isfinite(numbers.to_numpy()).all()


def test_advance_to_stops_at_the_target_or_when_cancelled(controller):
    cancel = threading.Event()
    seen = []
    controller.advance_to(controller.start_year + 3, cancel, lambda: seen.append(controller.year))
    assert seen == [controller.start_year + 1, controller.start_year + 2, controller.start_year + 3]
    cancel.set()
    controller.advance_to(LAST_YEAR, cancel)
    assert controller.year == controller.start_year + 3


def test_switching_presets_keeps_the_year_and_fills_the_levers(controller):
    controller.step()
    controller.set_preset("A", "no_new_policy")
    assert controller.year == controller.start_year + 1
    assert controller.arms["A"].values["rangers"] == 0
    with pytest.raises(InputError):
        parameters.get("no_such_parameter")


# --- figures --------------------------------------------------------------------------------
@pytest.mark.cjk_font
def test_a_chinese_font_is_found_and_chinese_text_renders_without_missing_glyphs():
    assert style.configure_fonts() is not None, "install fonts-wqy-zenhei or fonts-noto-cjk"
    fig = style.new_figure(2, 1)
    fig.text(0.1, 0.5, "森林覆盖率 石漠化")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = style.png_bytes(fig)
    assert png.startswith(b"\x89PNG")


def test_nice_ceiling_and_target_year():
    assert [nice_ceiling(v) for v in (0, 0.7, 1.0, 380 * 1.5, 51_000)] == [1, 0.8, 1, 600, 60_000]
    table = pd.DataFrame({"year": [2020, 2021, 2022], "forest_cover_pct": [61.5, 64.0, 65.0]})
    assert first_year_reached(table) == 2021
    assert first_year_reached(table.iloc[:1]) is None


def test_charts_drawn_over_a_kept_background_equal_charts_drawn_afresh(controller):
    kept = ChartRenderer()
    for _ in range(4):
        kept.render(controller.results(), "zh")
        controller.step()
    controller.set_compare(True)
    controller.set_value("B", "rangers", 0)
    drawn = kept.render(controller.results(), "zh")
    fresh = ChartRenderer().render(controller.results(), "zh")
    assert list(drawn) == [*CHARTS, DIFFERENCE_CHART]
    for name in drawn:
        assert np.array_equal(_pixels(drawn[name]), _pixels(fresh[name])), name


def test_compare_mode_adds_a_chart_of_b_minus_a_that_moves_with_b(controller):
    renderer = ChartRenderer()
    assert DIFFERENCE_CHART not in renderer.render(controller.results(), "en")
    controller.set_compare(True)
    for _ in range(3):
        controller.step()
    same = renderer.render(controller.results(), "zh")[DIFFERENCE_CHART]
    controller.set_value("B", "treatment_ha_per_year", 500_000.0)
    apart = renderer.render(controller.results(), "zh")[DIFFERENCE_CHART]
    assert not np.array_equal(_pixels(same), _pixels(apart))


def test_maps_change_with_the_year_and_layer_and_compare_shows_a_difference(controller):
    renderer = MapRenderer()
    first = renderer.render(controller.models(), "land_cover", "en")
    controller.step()
    second = renderer.render(controller.models(), "land_cover", "en")
    assert list(first) == ["map"] and first["map"] != second["map"]
    for layer in LAYERS:
        assert renderer.render(controller.models(), layer, "zh")["map"].startswith(b"\x89PNG")
    controller.set_compare(True)
    models = controller.models()
    assert not difference_codes(models["A"], models["B"], "carbon").any()
    controller.set_value("B", "treatment_ha_per_year", 0)
    controller.set_value("B", "afforestation_ha_per_year", 0)
    models = controller.models()
    assert difference_codes(models["A"], models["B"], "land_cover").any()
    assert set(renderer.render(models, "severity", "en")) == {"map", "diff"}


def test_key_figures_show_each_lever_set(controller):
    controller.set_compare(True)
    controller.step()
    figures = {f.key: f for f in key_figures(controller.results(), "en")}
    assert figures["card_year"].values == {"A": "2021", "B": "2021"}
    assert figures["card_forest"].unit == "%"
    forest = controller.results()["A"]["forest_cover_pct"].iloc[-1]
    assert figures["card_forest"].values["A"] == f"{forest:,.2f}"
    assert figures["card_forest"].difference == "+0.00" and figures["card_year"].difference is None
    controller.set_value("B", "treatment_ha_per_year", 500_000.0)
    controller.step()
    results = controller.results()
    figures = {f.key: f for f in key_figures(results, "en")}
    delta = results["B"]["desertified_km2"].iloc[-1] - results["A"]["desertified_km2"].iloc[-1]
    assert delta < 0 and figures["card_desert"].difference == f"−{-delta:,.0f}"
    assert all(f.difference is None for f in key_figures({"A": results["A"]}, "en"))


# --- downloads --------------------------------------------------------------------------------
def test_csv_has_one_row_per_year_and_lever_set(controller):
    controller.step()
    single = pd.read_csv(io.BytesIO(results_csv(controller)), comment="#")
    assert single["year"].to_list() == [2020, 2021]
    controller.set_compare(True)
    both = pd.read_csv(io.BytesIO(results_csv(controller)), comment="#")
    assert both.columns[0] == "lever_set" and both["lever_set"].to_list() == ["A"] * 2 + ["B"] * 2


def test_downloads_say_what_was_run_and_differ_in_name_when_the_run_does(controller):
    controller.step()
    name = file_stem(controller)
    controller.set_value("A", "rangers", 0)
    header = [line for line in results_csv(controller).decode().splitlines() if line[0] == "#"]
    assert header[0] == f"# karstsim {__version__}; map classroom; seed 0; year 2021"
    assert header[1] == "# lever set A: preset plan14; changed: rangers=0"
    assert header[2].startswith("# address: ?map=classroom&scenario=plan14&seed=0&year=2021")
    assert file_stem(controller) != name and file_stem(controller).startswith(
        "karstsim_plan14_classroom_seed0_2021_"
    )
    controller.set_value("A", "rangers", preset_values("plan14")["rangers"])
    assert file_stem(controller) == name


def test_figure_sheet_tiles_the_maps_above_the_charts(controller):
    charts = ChartRenderer().render(controller.results(), "en")
    maps = MapRenderer().render(controller.models(), "land_cover", "en")
    sheet = Image.open(io.BytesIO(figure_sheet({"map": maps, "charts": charts})))
    chart = Image.open(io.BytesIO(charts["forest"]))
    map_image = Image.open(io.BytesIO(maps["map"]))
    assert sheet.width == max(3 * chart.width, map_image.width)
    assert sheet.height == map_image.height + 2 * chart.height
    titled = figure_sheet({"map": maps, "charts": charts}, provenance(controller))
    assert Image.open(io.BytesIO(titled)).height > sheet.height  # a title band on top


# --- command line -----------------------------------------------------------------------------
def test_viz_command_is_registered_with_localhost_default():
    parser, handlers = build_parser()
    args = parser.parse_args(["viz"])
    assert "viz" in handlers and (args.host, args.port) == ("localhost", 8765)
    assert (args.session_timeout, args.province_sessions) == (60.0, 4)
    args = parser.parse_args(["viz", "--port", "9000", "--host", "0.0.0.0"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)
    args = parser.parse_args(["viz", "--session-timeout", "30", "--province-sessions", "2"])
    assert (args.session_timeout, args.province_sessions) == (30.0, 2)


def test_viz_rejects_a_bad_or_busy_port_before_starting():
    import socket

    from karstsim.viz.cli import serve

    with pytest.raises(InputError, match="--port 70000"):
        serve(port=70000)
    with pytest.raises(InputError, match="--session-timeout 0"):
        serve(port=8765, session_timeout_s=0)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(InputError, match=f"cannot serve on 127.0.0.1:{port}"):
            serve(host="127.0.0.1", port=port)


# --- the real map: map choice, regions, table by region ----------------------------------------
ANSHUN, GUANLING = "520400", "520424"


@pytest.fixture(scope="module")
def anshun() -> Controller:
    """A controller on the Anshun prefecture map, two years on (not to be changed)."""
    controller = Controller(grid="Anshun")
    controller.step()
    controller.step()
    return controller


def test_map_choices_list_the_province_every_prefecture_and_county_and_synthetic_maps():
    from karstsim.model import regions
    from karstsim.viz.controls import CUSTOM, map_choices

    for lang in ("en", "zh"):
        items = map_choices(lang)
        values = [item["value"] for item in items if "value" in item]
        assert len(values) == len(set(values))
        codes = {r.adcode for r in regions.all_regions().values() if r.level != "province"}
        assert set(values) == {"province", "classroom", "county", CUSTOM} | codes
        assert len(codes) == 9 + 88
    texts = {item["value"]: item["text"] for item in map_choices("zh") if "value" in item}
    assert texts["520500"] == "毕节市" and "关岭" in texts[GUANLING] and "安顺市" in texts[GUANLING]
    english = {item["value"]: item["text"] for item in map_choices("en") if "value" in item}
    assert english[GUANLING] == "Guanling (Anshun)"
    assert [i["header"] for i in map_choices("en") if "header" in i][:2] == [
        "Whole province and classroom",
        "Prefectures",
    ]


def test_a_real_map_of_any_size_is_allowed_and_kept_by_its_adcode(anshun):
    assert anshun.grid == ANSHUN and anshun.errors() == []
    assert anshun.region_level == "county" and anshun.map_region.name_en == "Anshun"
    assert [r.adcode for r in anshun.regions()] == [r.adcode for r in _counties(ANSHUN)]
    controller = Controller(grid="20x20")
    assert controller.regions() == [] and controller.region_level is None
    assert controller._check_grid("province").is_real  # 176 000 cells: allowed


def _counties(prefecture: str):
    from karstsim.model import regions

    return regions.counties(prefecture)


def test_each_step_records_every_regions_row(anshun):
    table = anshun.regional_results()["A"]
    assert sorted(set(table["year"])) == [2020, 2021, 2022]
    assert table.groupby("year").size().to_list() == [6, 6, 6]


def test_choosing_a_region_shows_its_rows_and_all_goes_back_to_the_whole_map(anshun):
    try:
        anshun.set_region(GUANLING)
        shown = anshun.shown_results()["A"]
        recorded = anshun.regional_results()["A"]
        rows = recorded[recorded["adcode"] == GUANLING]
        assert shown["year"].to_list() == [2020, 2021, 2022]
        assert shown["forest_cover_pct"].to_list() == rows["forest_cover_pct"].to_list()
        assert shown["poverty_share"].to_list() == rows["poverty_share"].to_list()
        cards = {f.key: f for f in key_figures(anshun.shown_results(), "en")}
        assert cards["card_forest"].values["A"] == f"{rows['forest_cover_pct'].iloc[-1]:,.2f}"
        assert cards["card_budget"].values["A"] == "—"  # the whole map's only
        anshun.set_region("520100")  # Guiyang: not on this map
        assert "not a region of this map" in anshun.errors()[0][1]
        assert anshun.region == GUANLING
        anshun.set_seed(-1)
        anshun.set_region(GUANLING)  # fixes the region's message, not the seed's
        assert [message[:7] for _, message in anshun.errors()] == ["seed -1"]
        anshun.set_seed(0)  # valid again (the same runs)
    finally:
        anshun.set_region(None)
    assert anshun.errors() == []
    pd.testing.assert_frame_equal(anshun.shown_results()["A"], anshun.results()["A"])


def test_the_table_by_region_holds_the_recorders_rows_for_the_year_shown(anshun):
    from karstsim.viz.regions_view import TABLE_COLUMNS, region_table

    table = region_table(anshun, "en")
    recorded = anshun.regional_results()["A"]
    final = recorded[recorded["year"] == anshun.year]
    assert table.title == "Key figures by county, 2022"
    assert table.headers[:2] == ["Region", "Forest cover, %"]
    assert [row.adcode for row in table.rows] == final["adcode"].to_list()
    for row, (_, record) in zip(table.rows, final.iterrows(), strict=True):
        assert row.cells[0] == record["name_en"]
        for cell, (column, (_, decimals, scale)) in zip(
            row.cells[1:], TABLE_COLUMNS.items(), strict=True
        ):
            assert cell == f"{record[column] * scale:,.{decimals}f}", column
    chinese = region_table(anshun, "zh")
    assert chinese.headers[1] == "森林覆盖率，%" and chinese.title == "各区县关键指标，2022 年"
    assert chinese.rows[-1].cells[0] == "紫云苗族布依族自治县"


def test_compare_mode_shows_both_sets_by_region_and_in_the_regions_csv():
    from karstsim.viz.downloads import regions_csv
    from karstsim.viz.regions_view import region_table

    controller = Controller()  # classroom: Guanling county alone
    assert [r.adcode for r in controller.regions()] == [GUANLING]
    controller.set_compare(True)
    controller.set_value("B", "treatment_ha_per_year", 0)
    controller.step()
    controller.set_region(GUANLING)
    assert set(controller.shown_results()) == {"A", "B"}
    table = region_table(controller, "en")
    assert [(r.adcode, r.arm) for r in table.rows] == [(GUANLING, "A"), (GUANLING, "B")]
    assert table.headers[1] == "Set"
    csv = pd.read_csv(io.BytesIO(regions_csv(controller)), dtype={"adcode": str}, comment="#")
    assert csv["lever_set"].to_list() == ["A", "A", "B", "B"]
    assert set(csv["adcode"]) == {GUANLING} and "treated_km2_cum" in csv
    controller.set_grid("county")  # synthetic: no regions, and the region is forgotten
    assert controller.region is None and region_table(controller, "en") is None


def test_real_map_overlay_kept_as_pixels_equals_a_map_drawn_afresh(anshun):
    controller = Controller(grid=ANSHUN)
    kept = MapRenderer()
    for _ in range(2):
        kept.render(controller.models(), "land_cover", "zh", GUANLING)
        controller.step()
    drawn = kept.render(controller.models(), "land_cover", "zh", GUANLING)["map"]
    fresh = MapRenderer().render(controller.models(), "land_cover", "zh", GUANLING)["map"]
    # the map alone: the legend below it lists the kinds seen since the figure was made
    height, width = _pixels(fresh).shape[:2]
    left, bottom, right = AXES_BOX[0], AXES_BOX[1], AXES_BOX[0] + AXES_BOX[2]
    rows, columns = (
        slice(0, int((1 - bottom) * height)),
        slice(int(left * width), int(right * width)),
    )
    assert np.array_equal(_pixels(drawn)[rows, columns], _pixels(fresh)[rows, columns])
    plain = MapRenderer().render(controller.models(), "land_cover", "zh")["map"]
    outlined = _pixels(fresh) != _pixels(plain)
    assert outlined.any()  # the chosen county's outline
    synthetic = Controller(grid="30x20")
    assert MapRenderer().render(synthetic.models(), "severity", "en")["map"].startswith(b"\x89PNG")


def test_charts_of_a_region_say_the_budget_is_the_whole_maps(anshun):
    try:
        anshun.set_region(GUANLING)
        charts = ChartRenderer().render(anshun.shown_results(), "zh")
    finally:
        anshun.set_region(None)
    assert list(charts) == list(CHARTS)
    whole = ChartRenderer().render(anshun.shown_results(), "zh")
    assert charts["budget"] != whole["budget"]


@pytest.mark.parametrize("grid", ["province", "120x30", "30x120"])
def test_the_maps_legends_and_colour_bar_never_overlap_the_map_or_each_other(grid):
    """On a tall, a wide and the real map: the classes' legend, the colour bar, the legend
    of what is drawn over the map and the map itself are apart."""
    controller = Controller(grid=grid)
    renderer = MapRenderer()
    for layer in ("land_cover", "carbon"):
        renderer.render(controller.models(), layer, "zh")
        fig = renderer.figure()
        renderer_ = fig.canvas.get_renderer()
        ax = fig.axes[0]
        boxes = [ax.get_window_extent(renderer_)]
        legends = {id(legend): legend for legend in fig.findobj(Legend)}.values()
        boxes += [legend.get_window_extent(renderer_) for legend in legends]
        boxes += [bar.get_window_extent(renderer_) for bar in fig.axes[1:]]
        assert len(boxes) == 3, layer  # the map, its legend or colour bar, the actors' legend
        for i, first in enumerate(boxes):
            for second in boxes[i + 1 :]:
                assert not first.overlaps(second), (grid, layer, first, second)
            assert fig.bbox.contains(first.x0, first.y0) and fig.bbox.contains(first.x1, first.y1)


def test_the_land_cover_legend_lists_every_class_of_the_table_in_both_languages(controller):
    renderer = MapRenderer()
    for lang in ("en", "zh"):
        renderer.render(controller.models(), "land_cover", lang)
        ax = renderer.figure().axes[0]
        classes = [legend for legend in ax.findobj(Legend) if legend.get_title().get_text()]
        labels = [t.get_text() for t in classes[0].get_texts()]
        assert len(labels) == len(LAND_COVER_STYLE) == len(LandCover)
        if lang == "zh":
            assert all(not label.isascii() for label in labels), labels


def test_overlays_can_be_switched_off(anshun):
    controller = Controller(grid=ANSHUN)
    renderer = MapRenderer()
    full = renderer.render(controller.models(), "land_cover", "en")["map"]
    bare = renderer.render(controller.models(), "land_cover", "en", overlays=frozenset())["map"]
    assert not np.array_equal(_pixels(full), _pixels(bare))
    legends = {id(legend): legend for legend in renderer.figure().findobj(Legend)}.values()
    assert [legend.get_title().get_text() for legend in legends] == ["class of each cell"]


def test_zone_map_codes_red_line_protected_areas_and_wetlands():
    from karstsim.viz.map_view import zone_codes
    from tests.conftest import blank_landscape

    land = blank_landscape(
        shape=(1, 5),
        red_line=[[0, 1, 1, 1, 0]],
        protected_area=[[0, 0, 1, 0, 0]],
        wetland=[[0, 0, 0, 1, 1]],
        wetland_protected=[[0, 0, 0, 0, 1]],
    )
    assert zone_codes(land).tolist() == [[0, 1, 2, 3, 4]]


def test_the_classroom_texts_show_no_code_names():
    code = re.compile(r"`|\bkarstsim\b|\b[a-z]+_[a-z_0-9]+\b|\b(plan14|hindcast13)\b")
    for name in scenario_module.shipped_names():
        plan = scenario_module.load(name)
        for key in ("title", "description", "question"):
            for lang in ("en", "zh"):
                text = shown_text(plan, key, lang)
                assert not code.search(text), (name, key, lang, code.search(text))
