"""Classroom mode: each lever set's preset with the question it answers, and its
explanation folded under it (the map stays above the fold)."""

from __future__ import annotations

import solara

from karstsim.model import scenario as scenario_module
from karstsim.viz.i18n import tr
from karstsim.viz.session import Session


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
                title=prefix + (plan.text("title", lang) or arm.preset),
                subtitle=tr("about_preset", lang),
                classes=["karst-preset-card", f"karst-preset-card-{arm_name}"],
                margin=0,
            ):
                solara.Markdown(
                    f"**{tr('question', lang)}:** {plan.text('question', lang)}",
                    style={"color": "#1b5e20"},
                )
                solara.Details(
                    summary=tr("about_more", lang),
                    children=[solara.Markdown(plan.text("description", lang))],
                    expand=False,
                )
