"""The web app's components rendered with ``solara.render`` (no browser): controls, levers,
cards, charts, map, language, compare and classroom modes, bad input."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

from karstsim.viz.app import Page
from karstsim.viz.charts import CHARTS


class PageDriver:
    """The rendered page and ways to find its widgets by CSS class and read its texts."""

    def __init__(self) -> None:
        _, self.rc = solara.render(Page(), handle_error=False)

    def all(self, cls: type, css: str) -> list:
        def classes(widget) -> str:
            if hasattr(widget, "class_"):
                return widget.class_ or ""
            return " ".join(getattr(widget, "_dom_classes", ()))

        roots = self.rc.find(widgets.Widget).widgets
        found = [w for root in roots for w in _descendants(root)]
        return [w for w in found if isinstance(w, cls) and css in classes(w).split()]

    def one(self, cls: type, css: str):
        found = self.all(cls, css)
        assert len(found) == 1, f"{len(found)} widgets .{css}"
        return found[0]

    def click(self, css: str) -> None:
        self.one(v.Btn, css).click()

    def text(self, css: str) -> str:
        return " ".join(str(c) for w in self.all(v.Html, css) for c in w.children)

    def image(self, css: str) -> bytes:
        return bytes(self.one(widgets.Image, css).value)

    def card(self, key: str) -> str:
        (card,) = self.all(v.Card, f"karst-{key}")
        values = [
            w for w in _descendants(card) if "karst-card-value" in (getattr(w, "class_", "") or "")
        ]
        return " ".join(str(c) for w in values for c in w.children)

    def slide(self, name: str, value: float) -> None:
        self.one(v.Slider, f"karst-slider-{name}").fire_event("change", value)

    def errors(self) -> list[str]:
        return [" ".join(map(str, a.children)) for a in self.all(v.Alert, "karst-error")]

    def wait(self, condition, timeout: float = 30.0) -> None:
        start = time.monotonic()
        while not condition():
            assert time.monotonic() - start < timeout, "timed out"
            time.sleep(0.05)


def _descendants(root: widgets.Widget) -> list[widgets.Widget]:
    """Every widget under ``root`` (itself included), through any widget-valued trait."""
    found, seen, queue = [], {id(root)}, [root]
    while queue:
        current = queue.pop(0)
        found.append(current)
        for name in current.keys:
            values = getattr(current, name)
            items = values if isinstance(values, list | tuple) else [values]
            for item in items:
                for child in item.values() if isinstance(item, dict) else [item]:
                    if isinstance(child, widgets.Widget) and id(child) not in seen:
                        seen.add(id(child))
                        queue.append(child)
    return found


@pytest.fixture
def page() -> PageDriver:
    return PageDriver()


def test_page_shows_controls_levers_cards_map_and_every_chart(page):
    for button in ("karst-step", "karst-run-button", "karst-pause", "karst-reset"):
        assert page.one(v.Btn, button)
    assert page.one(v.Slider, "karst-slider-treatment_ha_per_year").v_model == 71_000
    assert "71,000 ha/yr" in page.text("karst-lever-value")
    assert page.card("card_year") == "2020"
    assert page.card("card_forest").endswith("%")
    assert page.image("karst-map").startswith(b"\x89PNG")
    for name in CHARTS:
        assert page.image(f"karst-chart-{name}").startswith(b"\x89PNG")
    assert "Year 2020" in page.text("karst-year")


def test_step_redraws_charts_map_and_cards(page):
    forest, desert, map_png = (
        page.image("karst-chart-forest"),
        page.image("karst-chart-desert"),
        page.image("karst-map"),
    )
    page.click("karst-step")
    assert page.card("card_year") == "2021"
    assert page.image("karst-chart-forest") != forest
    assert page.image("karst-chart-desert") != desert
    assert page.image("karst-map") != map_png


def test_a_lever_reruns_the_model_and_its_value_label_follows(page):
    page.click("karst-step")
    page.click("karst-step")
    # treatment shows at once in the money spent and the land treated (plantings take
    # years to show as forest)
    before, chart = page.card("card_budget"), page.image("karst-chart-desert")
    page.slide("treatment_ha_per_year", 500_000)
    assert "500,000 ha/yr" in page.text("karst-lever-value")
    assert page.card("card_year") == "2022"
    assert page.card("card_budget") != before
    assert page.image("karst-chart-desert") != chart


def test_a_typed_value_sets_the_lever_and_a_bad_one_says_why_and_keeps_the_value(page):
    typed = page.one(v.TextField, "karst-typed-treatment_ha_per_year")
    assert "changed" not in page.text("karst-lever-treatment_ha_per_year")
    typed.v_model = "120,000"
    typed.fire_event("focusout", None)
    page.wait(lambda: "120,000 ha/yr" in page.text("karst-lever-value"))
    assert "● changed" in page.text("karst-lever-changed")
    assert "preset 71,000 ha/yr" in page.text("karst-lever-range")
    typed = page.one(v.TextField, "karst-typed-treatment_ha_per_year")
    typed.v_model = "900000"
    typed.fire_event("focusout", None)
    page.wait(lambda: page.one(v.TextField, "karst-typed-treatment_ha_per_year").messages)
    assert "out of range" in str(
        page.one(v.TextField, "karst-typed-treatment_ha_per_year").messages
    )
    assert "120,000 ha/yr" in page.text("karst-lever-value")


def test_a_lever_that_changes_nothing_says_so(page):
    page.click("karst-step")
    page.click("karst-step")
    # on the classroom map under the plan, the grazing ban on severe land changes nothing
    # by 2022 (found by trying every lever)
    page.one(v.Switch, "karst-switch-grazing_ban_severe").v_model = False
    page.wait(lambda: page.text("karst-lever-note"))
    assert "no difference to any result up to 2022" in page.text("karst-lever-note")
    assert "● changed" in page.text("karst-lever-changed")
    page.slide("treatment_ha_per_year", 500_000)
    assert page.text("karst-lever-note") == ""


def test_groups_open_and_close_and_advanced_shows_uncertainties(page):
    assert page.all(v.Slider, "karst-slider-afforestation_ha_per_year") == []
    page.click("karst-group-toggle-forestry")
    assert page.one(v.Slider, "karst-slider-afforestation_ha_per_year")
    page.click("karst-advanced-toggle")
    page.click("karst-group-toggle-advanced-vegetation")
    assert page.one(v.Slider, "karst-slider-grass_years")


def test_invalid_combination_shows_a_message_and_recovers(page):
    page.click("karst-advanced-toggle")
    page.click("karst-group-toggle-advanced-vegetation")
    page.slide("grass_years", 15)
    page.slide("shrub_years", 6)
    assert any("grass_years < shrub_years" in e for e in page.errors())
    page.click("karst-step")  # nothing to run: no crash, the message stays
    assert page.errors()
    page.slide("shrub_years", 20)
    assert page.errors() == []
    page.click("karst-step")
    assert page.card("card_year") == "2021"


def test_language_switch_translates_labels_cards_and_charts(page):
    chart = page.image("karst-chart-forest")
    page.one(v.BtnToggle, "karst-language").v_model = 1
    assert "前进一年" in page.one(v.Btn, "karst-step").children
    assert "森林覆盖率" in page.text("karst-card-title")
    assert "71,000 公顷/年" in page.text("karst-lever-value")
    assert "2020 年" in page.text("karst-year")
    assert page.image("karst-chart-forest") != chart


def test_compare_mode_overlays_b_and_draws_a_difference_map(page):
    page.one(v.Switch, "karst-compare").v_model = True
    assert page.image("karst-diff").startswith(b"\x89PNG")
    assert page.card("card_forest").startswith("A: ") and " B: " in page.card("card_forest")
    page.one(v.BtnToggle, "karst-editing").v_model = 1
    page.slide("treatment_ha_per_year", 0)
    page.click("karst-step")
    # B treats nothing: it spends less at once (plantings take years to show as forest)
    a_value, b_value = page.card("card_budget").removeprefix("A: ").split(" B: ")
    assert a_value != b_value
    page.one(v.Switch, "karst-compare").v_model = False
    assert page.all(widgets.Image, "karst-diff") == []


def test_run_pause_reset_and_preset_switch_while_running_do_not_crash(page):
    page.click("karst-run-button")
    page.wait(lambda: page.card("card_year") >= "2022")
    presets = page.one(v.Select, "karst-preset")
    presets.v_model = "no_new_policy"  # while running
    page.click("karst-reset")  # mid-run
    # the page may redraw after the run button comes back: wait for both (or time out)
    page.wait(
        lambda: (
            not page.one(v.Btn, "karst-run-button").disabled and page.card("card_year") == "2020"
        )
    )
    assert page.card("card_year") == "2020"
    assert page.errors() == []
    page.click("karst-run-button")
    page.wait(lambda: page.card("card_year") >= "2022")
    page.click("karst-pause")
    page.wait(lambda: not page.one(v.Btn, "karst-run-button").disabled)
    time.sleep(0.6)  # the step under way when "Pause" was clicked ends
    paused = page.card("card_year")
    time.sleep(0.6)
    assert page.card("card_year") == paused < "2035"


def test_classroom_mode_shows_the_presets_explanation_and_question(page):
    def shown() -> str:
        return " ".join(
            w.template
            for card in page.all(v.Card, "karst-preset-card-A")
            for w in _descendants(card)
            if isinstance(w, v.VuetifyTemplate)
        )

    assert "Question:" in shown() and "64 % forest cover by 2025" in shown()
    page.one(v.BtnToggle, "karst-language").v_model = 1
    assert "问题" in shown() and "64%" in shown()
    page.one(v.Select, "karst-preset").v_model = "no_new_policy"
    assert "政策" in shown() and "64%" in shown() and "自然恢复" in shown()
    page.one(v.Switch, "karst-classroom-switch").v_model = False
    assert page.all(v.Card, "karst-preset-card-A") == []


def test_seed_and_custom_grid_inputs(page):
    page.one(v.Autocomplete, "karst-grid").v_model = "custom"
    field = page.one(v.TextField, "karst-grid-custom")
    field.v_model = "40x30"
    field.fire_event("keyup.enter", None)
    assert page.errors() == []
    assert "1,200 km² of land" in page.text("karst-explain")
    field.v_model = "300x300"
    field.fire_event("keyup.enter", None)
    assert any("40,000 cells" in e for e in page.errors())
    seed = page.one(v.TextField, "karst-seed")
    seed.v_model = "-4"
    seed.fire_event("keyup.enter", None)
    assert any("seed -4" in e for e in page.errors())


def _table_text(page: PageDriver) -> str:
    (table,) = page.all(v.Html, "karst-region-table")
    return " ".join(
        c
        for w in _descendants(table)
        if isinstance(w, v.Html)
        for c in w.children
        if isinstance(c, str)
    )


def test_a_prefecture_map_shows_its_counties_table_and_a_chosen_countys_cards(page):
    assert page.text("karst-region-shown").startswith("Cards and charts: Guanling")
    page.one(v.Autocomplete, "karst-grid").v_model = "520400"  # Anshun
    assert page.errors() == []
    assert page.text("karst-region-shown") == "Cards and charts: Anshun (the whole map)"
    assert len(page.all(v.Html, "karst-region-table-row")) == 6
    assert "Key figures by county, 2020" in page.text("karst-region-table-title")
    page.click("karst-step")
    assert "2021" in page.text("karst-region-table-title")
    forest, chart = page.card("card_forest"), page.image("karst-chart-forest")
    page.one(v.Select, "karst-region").v_model = "520424"
    assert page.text("karst-region-shown") == "Cards and charts: Guanling"
    assert page.card("card_forest") != forest and page.card("card_budget") == "—"
    assert page.image("karst-chart-forest") != chart
    page.one(v.Html, "karst-region-row-520425").fire_event("click", {})  # a row of the table
    assert page.text("karst-region-shown") == "Cards and charts: Ziyun"
    assert "karst-region-selected" in page.one(v.Html, "karst-region-row-520425").class_
    page.one(v.Switch, "karst-compare").v_model = True  # compare mode keeps the region
    assert page.card("card_forest").startswith("A: ") and page.image("karst-diff")
    assert len(page.all(v.Html, "karst-region-table-row")) == 12
    page.one(v.BtnToggle, "karst-language").v_model = 1
    assert page.text("karst-region-shown") == "指标卡与图表：紫云苗族布依族自治县"
    assert "森林覆盖率，%" in _table_text(page) and "杠杆组" in _table_text(page)
    page.one(v.Select, "karst-region").v_model = "all"
    assert page.card("card_budget") != "—"


def test_the_province_is_allowed_and_lists_its_nine_prefectures(page):
    page.one(v.Autocomplete, "karst-grid").v_model = "province"
    assert page.errors() == []
    assert page.text("karst-region-shown") == "Cards and charts: Guizhou (the whole map)"
    assert len(page.all(v.Html, "karst-region-table-row")) == 9
    assert "Bijie" in _table_text(page)
    assert page.text("karst-region-table-title") == "Key figures by prefecture, 2020"
    page.one(v.Select, "karst-region").v_model = "520500"
    assert page.text("karst-region-shown") == "Cards and charts: Bijie"
    page.click("karst-step")
    assert page.card("card_year") == "2021"


def test_input_problems_read_in_chinese_on_the_chinese_page(page):
    page.one(v.BtnToggle, "karst-language").v_model = 1
    seed = page.one(v.TextField, "karst-seed")
    seed.v_model = "-4"
    seed.fire_event("keyup.enter", None)
    (message,) = page.errors()
    assert message.startswith("输入无效")
    assert "allowed" not in message and "种子" in message


def test_the_lesson_takes_a_prediction_runs_to_the_target_year_and_answers_with_numbers(page):
    assert "Spent on the programmes so far (2020–2020): 0 M yuan" in page.text("karst-lesson-cost")
    run = page.one(v.Btn, "karst-lesson-run")
    assert run.disabled, "the run comes after the prediction"
    prediction = page.one(v.TextField, "karst-lesson-prediction")
    prediction.v_model = "62.5"
    prediction.fire_event("focusout", None)
    page.wait(lambda: not page.one(v.Btn, "karst-lesson-run").disabled)
    page.click("karst-lesson-run")
    page.wait(lambda: _answer(page), timeout=90)
    answer = _answer(page)
    assert "forest cover in 2025 is" in answer and "the class said 62.50 %" in answer
    assert "M yuan</strong> from 2020 to 2025" in answer
    assert "2020–2025" in page.text("karst-lesson-cost")


def _answer(page: PageDriver) -> str:
    """The lesson's answer as shown (its Markdown's source), "" while there is none."""
    texts = []
    for column in page.all(widgets.Widget, "karst-lesson-answer"):
        for widget in _descendants(column):
            texts += [str(getattr(widget, name, "")) for name in ("value", "template")]
    return " ".join(t for t in texts if "answer" in t)
