"""A page's state in its address, so that a reload or a shared link shows the same thing.

``?map=520400&scenario=plan14&seed=3&year=2030&lang=zh&mode=policy&layer=carbon
&treatment_ha_per_year=120000``: the map, lever set A's preset and the levers it changed
from it (each by its parameter's name), the seed, the year shown, the language, classroom
or policy mode and the map layer. Values that are not valid are left out with a message on
the page; the rest is kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import parse_grid
from karstsim.model.parameters import InputError
from karstsim.viz.controller import DEFAULT_PRESET, LAST_YEAR, MAX_SEED, Controller

LANGUAGES = ("en", "zh")
MODES = {"classroom": True, "policy": False}
"""The ``mode`` values and whether they mean classroom mode."""
DEFAULT_LAYER = "land_cover"
OVERLAYS = ("geography", "places", "actors")
"""What can be drawn over the map: boundaries, names, belts, rivers and scale bar; the
corridors and villages; ranger posts and mines."""
_OWN_KEYS = ("map", "scenario", "seed", "year", "lang", "mode", "layer")


@dataclass
class PageState:
    """What the address says about a page (the app's defaults where it says nothing)."""

    grid: str = "classroom"
    scenario: str = DEFAULT_PRESET
    levers: dict[str, object] = field(default_factory=dict)
    """Lever set A's values that differ from its preset, by parameter name."""
    seed: int = 0
    year: int | None = None
    """The year shown (``None``: the start year)."""
    lang: str = "en"
    classroom: bool = True
    layer: str = DEFAULT_LAYER
    overlays: tuple[str, ...] = OVERLAYS
    """What is drawn over the map (all three kinds unless the address says otherwise)."""
    problems: list[str] = field(default_factory=list)
    """What was left out of the address, one English line each."""

    def controller(self, **options: object) -> Controller:
        """A controller of this state's map, preset, seed and levers, run to its year."""
        controller = Controller(preset=self.scenario, seed=self.seed, grid=self.grid, **options)
        if self.levers:
            controller.set_values("A", self.levers)
        if self.year is not None and self.year > controller.year:
            controller.advance_to(self.year, threading.Event())
        if self.problems and controller.setup_error is None:
            controller.setup_error = InputError(
                "the address: " + "; ".join(self.problems),
                zh="页面地址中无效的部分：" + "；".join(self.problems),
            )
        return controller


def encode(controller: Controller, lang: str, classroom: bool, layer: str = DEFAULT_LAYER) -> str:
    """The query string (without ``?``) of a page showing ``controller``'s runs."""
    arm = controller.arms["A"]
    query: dict[str, object] = {
        "map": controller.grid,
        "scenario": arm.preset,
        "seed": controller.seed,
        "year": controller.year,
        "lang": lang,
        "mode": "classroom" if classroom else "policy",
    }
    if layer != DEFAULT_LAYER:
        query["layer"] = layer
    for name, value in sorted(arm.overrides().items()):
        query[name] = str(value).lower() if isinstance(value, bool) else f"{value:g}"
    return urlencode(query)


def decode(search: str | None, layers: tuple[str, ...] = (DEFAULT_LAYER,)) -> PageState:
    """The page state in query string ``search`` (``None`` or ``""``: the defaults); each
    value that is not valid is left out and named in :attr:`PageState.problems`."""
    state = PageState()
    given = dict(parse_qsl((search or "").lstrip("?")))
    checks = {
        "map": _check_map,
        "scenario": _check_scenario,
        "seed": _check_seed,
        "year": _check_year,
        "lang": lambda v: _check_among(v, LANGUAGES),
        "mode": lambda v: MODES[_check_among(v, tuple(MODES))],
        "layer": lambda v: _check_among(v, layers),
    }
    fields = {"map": "grid", "mode": "classroom"}
    for key, check in checks.items():
        if key in given:
            try:
                setattr(state, fields.get(key, key), check(given[key]))
            except (InputError, ValueError) as error:
                state.problems.append(f"{key}={given[key]}: {error}")
    for name, value in given.items():
        if name in _OWN_KEYS:
            continue
        try:
            if parameters.get(name).role != "lever":
                raise InputError("not a lever", zh="不是政策杠杆")
            state.levers[name] = parameters.get(name).coerce(value)
        except InputError as error:
            state.problems.append(f"{name}={value}: {error}")
    return state


def _check_map(value: str) -> str:
    parse_grid(value)
    return value


def _check_scenario(value: str) -> str:
    if value not in scenario_module.shipped_names():
        raise ValueError("not a shipped scenario")
    return value


def _check_seed(value: str) -> int:
    seed = int(value)
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"allowed 0 to {MAX_SEED}")
    return seed


def _check_year(value: str) -> int:
    year = int(value)
    if not 2000 <= year <= LAST_YEAR:
        raise ValueError(f"allowed up to {LAST_YEAR}")
    return year


def _check_among(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"allowed {', '.join(allowed)}")
    return value
