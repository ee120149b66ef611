"""The web app (Solara) for policymakers and classrooms: ``karstsim viz``.

A thin consumer of the model: :mod:`.controller` holds a page's runs (built through
``karstsim.experiments.run``), :mod:`.app` lays out the page from small components
(:mod:`.levers_panel`, :mod:`.controls`, :mod:`.cards`, :mod:`.map_view`, :mod:`.charts`,
:mod:`.classroom`, :mod:`.downloads`), :mod:`.i18n` has every text in English and Chinese,
:mod:`.style` sets up matplotlib (Chinese font, layered drawing) and :mod:`.cli` registers
the command; :class:`~karstsim.viz.notebook.KarstApp` shows the app in a notebook
(loaded on first use: every ``karstsim`` command imports this package for :mod:`.cli`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["KarstApp"]


def __getattr__(name: str) -> Any:
    if name == "KarstApp":
        from karstsim.viz.notebook import KarstApp

        return KarstApp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
