"""Classroom mode: each lever set's preset with the question it answers, and its
explanation folded under it (the map stays above the fold)."""

from __future__ import annotations

import re

import solara

from karstsim.model import scenario as scenario_module
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
