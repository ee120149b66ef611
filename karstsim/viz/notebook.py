"""The web app in a Jupyter notebook: :class:`KarstApp`.

::

    from karstsim.viz import KarstApp

    app = KarstApp(map="classroom", scenario="plan14", levers={"rangers": 0}, lang="zh")
    app               # the last line of a cell shows the whole app, live
    app.run_to(2030)  # or press its buttons; the cell shows the new year
    app.model         # lever set A's KarstModel, as the page shows it
    app.results()     # its yearly results (pandas), one row per year

The app in the cell and the object share one :class:`~karstsim.viz.controller.Controller`:
what is done in the cell (a lever moved, a year stepped) is what ``app.model`` and
``app.results()`` return, and the reverse once the cell redraws.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pandas as pd
import solara

from karstsim.model.karst_model import KarstModel
from karstsim.model.parameters import InputError
from karstsim.viz.app import App
from karstsim.viz.controller import DEFAULT_PRESET, Controller
from karstsim.viz.url_state import LANGUAGES, PageState


class KarstApp:
    """The web app on a map, preset, levers and language, for a notebook cell.

    ``map``: ``classroom``, ``province``, ``county``, ``WxH`` or a prefecture or county (name
    or adcode); ``scenario``: a shipped preset; ``levers``: parameter values that differ
    from it; ``lang``: ``en`` or ``zh``; ``classroom``: the classroom explanations shown.
    Raises :class:`~karstsim.model.parameters.InputError` (one line) for a bad value.
    """

    def __init__(
        self,
        map: str = "classroom",
        scenario: str = DEFAULT_PRESET,
        levers: Mapping[str, Any] | None = None,
        lang: str = "en",
        seed: int = 0,
        classroom: bool = False,
    ) -> None:
        if lang not in LANGUAGES:
            allowed = ", ".join(LANGUAGES)
            raise InputError(
                f"lang {lang!r}: allowed {allowed}", zh=f"语言 {lang!r}：允许 {allowed}"
            )
        self.state = PageState(
            grid=map, scenario=scenario, seed=seed, lang=lang, classroom=classroom
        )
        self.controller = Controller(preset=scenario, seed=seed, grid=map)
        if levers:
            self.controller.set_values("A", dict(levers))
        problems = self.controller.problems()
        if problems:
            raise problems[0]

    @property
    def model(self) -> KarstModel:
        """Lever set A's model, at the year the app shows."""
        return self.controller.arms["A"].model

    def results(self) -> pd.DataFrame:
        """Lever set A's yearly results so far, one row per year."""
        return self.controller.results()["A"]

    def run_to(self, year: int) -> KarstApp:
        """Advance the runs to ``year`` (the cell shows it at its next redraw)."""
        self.controller.advance_to(year, threading.Event())
        return self

    def element(self) -> solara.Element:
        """The app as a Solara element (``solara.display`` it, or ``solara.render`` it)."""
        return App(lambda: self.state, self.controller)

    def _ipython_display_(self) -> None:
        solara.display(self.element())

    def __repr__(self) -> str:
        c = self.controller
        return f"KarstApp(map={c.grid!r}, scenario={c.arms['A'].preset!r}, year={c.year})"
