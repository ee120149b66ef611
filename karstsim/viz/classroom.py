"""Classroom mode: each lever set's preset with the question it answers, and its
explanation folded under it (the map stays above the fold); a guided lesson: the class's
prediction, a run to the target's year, the answer with its numbers, the cost so far."""

from __future__ import annotations

import re
from typing import cast

import pandas as pd
import solara

from karstsim.model import scenario as scenario_module
from karstsim.viz.charts import TARGET_TEXT, first_year_reached
from karstsim.viz.i18n import Lang, tr
from karstsim.viz.session import Session

_CODE_NAME = re.compile(r"[_0-9]")
"""What tells a scenario's code name (``plan14``, ``no_new_policy``) from a word."""


def shown_text(plan: scenario_module.Scenario, key: str, lang: Lang) -> str:
    """A preset's ``key`` text (title, description, question) in ``lang`` as the page shows
    it: the shipped scenarios it names by their code names (``plan14's``) named by their
    titles instead."""
    text = plan.text(key, lang) or ""
    for name in sorted(scenario_module.shipped_names(), key=len, reverse=True):
        if name in text and _CODE_NAME.search(name):  # not a plain word such as "record"
            title = scenario_module.load(name).text("title", lang) or name
            text = re.sub(rf"\b{re.escape(name)}\b", f"“{title}”", text)
    return text


@solara.component
def PresetExplanation(session: Session) -> None:
    """Title, explanation and question of the preset of each lever set (classroom mode)."""
    lang = session.lang.value
    session.setup_version.value  # noqa: B018  (subscribe)
    if not session.classroom.value:
        return
    controller = session.controller
    with solara.Row(classes=["karst-classroom"], style={"flex-wrap": "wrap", "gap": "8px"}):
        for arm_name, arm in controller.arms.items():
            plan = scenario_module.load(arm.preset)
            prefix = f"{arm_name} · " if controller.compare else ""
            with solara.Card(
                title=prefix + (shown_text(plan, "title", lang) or arm.preset),
                subtitle=tr("about_preset", lang),
                classes=["karst-preset-card", f"karst-preset-card-{arm_name}"],
                margin=0,
            ):
                solara.Markdown(
                    f"**{tr('question', lang)}:** {shown_text(plan, 'question', lang)}",
                    style={"color": "#1b5e20"},
                )
                solara.Details(
                    summary=tr("about_more", lang),
                    children=[solara.Markdown(shown_text(plan, "description", lang))],
                    expand=False,
                )


def lesson_answer(table: pd.DataFrame, deadline: int, prediction: float, lang: Lang) -> str:
    """The answer to a lesson, with the numbers that decide it: forest cover in the
    target's ``deadline`` year against the class's ``prediction`` (%), the year the target
    was reached (or not), the desertified area then against the start, and the programmes'
    cumulative cost to then."""
    rows = table[table["year"] <= deadline]
    last, first = rows.iloc[-1], rows.iloc[0]
    reached = first_year_reached(table)
    return tr(
        "lesson_answer",
        lang,
        year=deadline,
        forest=float(last["forest_cover_pct"]),
        prediction=prediction,
        off=float(last["forest_cover_pct"]) - prediction,
        reached=tr("lesson_reached", lang, year=reached, **TARGET_TEXT)
        if reached is not None and reached <= deadline
        else tr("lesson_not_reached", lang, **TARGET_TEXT),
        desert=float(last["desertified_km2"]),
        desert_start=float(first["desertified_km2"]),
        cost=cumulative_cost(rows),
        start=int(first["year"]),
    )


def cumulative_cost(table: pd.DataFrame) -> float:
    """The programmes' spending summed over the years of ``table`` after its first (the
    start state spends nothing), million yuan."""
    return float(table["budget_spent_Myuan"].iloc[1:].sum())


@solara.component
def Lesson(session: Session) -> None:
    """The guided lesson of classroom mode: the class predicts forest cover in the target's
    year, runs the model to it, and reads the answer with the numbers that decide it; the
    cost spent so far is shown throughout."""
    lang = session.lang.value
    session.run_version.value  # noqa: B018  (subscribe: the answer follows the year)
    session.setup_version.value  # noqa: B018
    prediction, set_prediction = solara.use_state(cast(float | None, None))
    if not session.classroom.value or session.controller.compare:
        return
    controller = session.controller
    deadline = int(TARGET_TEXT["deadline"])
    with controller.lock:
        table = controller.results().get("A")
        year = controller.year
    if table is None:
        return

    def run_to_deadline() -> None:
        session.target_year.set(deadline)
        session.running.set(True)

    with solara.Card(title=tr("lesson_title", lang), classes=["karst-lesson"], margin=0):
        solara.Text(
            tr(
                "lesson_cost",
                lang,
                cost=cumulative_cost(table),
                start=controller.start_year,
                year=year,
            ),
            classes=["karst-lesson-cost"],
        )
        solara.InputFloat(
            tr("lesson_predict", lang, year=deadline),
            value=prediction,
            on_value=set_prediction,
            optional=True,
            classes=["karst-lesson-prediction"],
        )
        solara.Button(
            tr("lesson_run", lang, year=deadline),
            on_click=run_to_deadline,
            disabled=prediction is None or year >= deadline or session.running.value,
            color="primary",
            classes=["karst-lesson-run"],
        )
        if prediction is not None and year >= deadline:
            with solara.Column(classes=["karst-lesson-answer"]):
                solara.Markdown(lesson_answer(table, deadline, prediction, lang))
