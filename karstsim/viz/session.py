"""One browser page's state: its :class:`Controller` and the reactive values the
components read (language, map layer, lever set being edited, run status, versions).

Components subscribe to what they read: the lever panel to ``setup_version`` and the
charts to ``run_version`` as well, so a model step redraws the figures but not the
hundred sliders.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reacton.core
import solara

import karstsim.viz.server_state as server_state
from karstsim.model import scenario as scenario_module
from karstsim.viz.controller import Controller
from karstsim.viz.url_state import PageState

ALL_REGIONS = "all"
"""Region choice meaning the whole map."""
CLICK_WINDOW_S = 0.05
"""Pause of the running model between years, so the page's clicks get their turn."""


class DrawnSignal:
    """Which run version the figures were last drawn for, to wait on from another thread."""

    def __init__(self) -> None:
        self._version = -1
        self._condition = threading.Condition()

    def drawn(self, version: int) -> None:
        """The figures of ``version`` are drawn."""
        with self._condition:
            self._version = max(self._version, version)
            self._condition.notify_all()

    def wait_for(self, version: int, timeout: float) -> bool:
        """Wait until the figures of ``version`` are drawn (``False`` after ``timeout`` s)."""
        with self._condition:
            return self._condition.wait_for(lambda: self._version >= version, timeout)


@dataclass(frozen=True)
class Session:
    """The page's controller and reactive state."""

    controller: Controller
    lang: solara.Reactive[str]
    classroom: solara.Reactive[bool]
    layer: solara.Reactive[str]
    overlays: solara.Reactive[tuple[str, ...]]
    """What is drawn over the map (:data:`karstsim.viz.url_state.OVERLAYS`)."""
    editing: solara.Reactive[str]
    running: solara.Reactive[bool]
    target_year: solara.Reactive[int]
    run_version: solara.Reactive[int]
    setup_version: solara.Reactive[int]
    region: solara.Reactive[str]
    """The region whose cards and charts are shown (adcode, or :data:`ALL_REGIONS`);
    the controller's :attr:`~Controller.region` mirrored for the components."""
    figures: dict[str, dict[str, bytes]] = field(default_factory=dict)
    """The PNGs last shown, by panel ("map", "charts"), for the download."""
    drawn: DrawnSignal = field(default_factory=DrawnSignal)
    render_context: Any = None
    """The page's reacton render context: changes made inside it (:meth:`batch`) redraw
    the page once, not once for each component that reads them."""

    def batch(self) -> contextlib.AbstractContextManager:
        """A block whose changes of reactive values cause a single redraw of the page."""
        return self.render_context if self.render_context is not None else contextlib.nullcontext()

    def stepped(self) -> None:
        """Tell the components that the runs advanced."""
        with self.batch():
            self.run_version.value += 1

    def stepped_and_drawn(self, timeout: float = 10.0) -> None:
        """Tell the components that the runs advanced and wait until the charts show it.

        For the thread that runs the model: without the wait it would step faster than the
        page can draw, and the thread that handles the browser's clicks would keep redrawing
        for it instead of handling "Pause"."""
        self.stepped()
        self.drawn.wait_for(self.run_version.value, timeout)
        time.sleep(CLICK_WINDOW_S)

    def changed(self) -> None:
        """Tell the components that the set-up (levers, presets, seed, map) changed."""
        with self.batch():
            self.setup_version.value += 1
            if not self.controller.compare and self.editing.value != "A":
                self.editing.value = "A"
            self.region.value = self.controller.region or ALL_REGIONS

    def choose_region(self, choice: str) -> None:
        """Show the cards and charts of region ``choice`` (adcode or :data:`ALL_REGIONS`)."""
        self.controller.set_region(None if choice == ALL_REGIONS else choice)
        with self.batch():
            self.region.value = self.controller.region or ALL_REGIONS


def use_session(
    initial: Callable[[], PageState] = PageState, given: Controller | None = None
) -> Session:
    """The session of the page being rendered, created on its first render in the state
    ``initial()`` gives (the page's address, :mod:`.url_state`), on controller ``given``
    if any (else on a new one, closed with the page)."""
    start = solara.use_memo(initial, [])
    lang = solara.use_reactive(start.lang)
    classroom = solara.use_reactive(start.classroom)
    layer = solara.use_reactive(start.layer)
    overlays = solara.use_reactive(start.overlays)
    editing = solara.use_reactive("A")
    running = solara.use_reactive(False)
    run_version = solara.use_reactive(0)
    setup_version = solara.use_reactive(0)
    region = solara.use_reactive(ALL_REGIONS)
    owned = given is None
    controller = solara.use_memo(
        lambda: start.controller(gate=server_state.PROVINCE_GATE) if given is None else given, []
    )

    def closed_with_the_page() -> Callable[[], None]:
        def close() -> None:
            if owned:
                controller.close()
                server_state.release_memory()

        return close

    solara.use_effect(closed_with_the_page, [])
    end_year = scenario_module.load(controller.preset).end_year
    target_year = solara.use_reactive(end_year)
    return solara.use_memo(
        lambda: Session(
            controller,
            lang,
            classroom,
            layer,
            overlays,
            editing,
            running,
            target_year,
            run_version,
            setup_version,
            region,
            render_context=reacton.core.get_render_context(required=False),
        ),
        [],
    )
