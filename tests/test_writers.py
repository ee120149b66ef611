"""Every writer of a landscape layer declares it (``writes``, like a landlab component's
``_info``), and no layer has two writers in one phase of the schedule.

A year is run with write tracking: every sub-model call of ``KarstModel.step`` is wrapped,
the layers are compared before and after, and a change is charged to the call that made
it; a change made between two tracked calls is charged to the model itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pytest

from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import Landscape


def snapshot(land: Landscape) -> dict[str, np.ndarray]:
    return {name: land[name].copy() for name in land.layers}


def changed(before: dict[str, np.ndarray], land: Landscape) -> set[str]:
    names = set(before) | set(land.layers)
    return {
        n
        for n in names
        if n not in before
        or n not in land.layers
        or not np.array_equal(before[n], land[n], equal_nan=True)
    }


@dataclass
class WriteTracker:
    """Wraps sub-model methods; records (phase, writer, layers it changed)."""

    model: KarstModel
    writes: list[tuple[str, str, set[str]]] = field(default_factory=list)
    last: dict[str, np.ndarray] = field(default_factory=dict)

    def wrap(self, owner: object, method: str, writer: str, phase: str, declared) -> None:
        original = getattr(owner, method)

        def tracked(*args, **kwargs):
            self._charge("model", "between calls")
            result = original(*args, **kwargs)
            self.writes.append((phase, writer, changed(self.last, self.model.landscape)))
            self.declared[writer] = set(declared)
            self.last = snapshot(self.model.landscape)
            return result

        setattr(owner, method, tracked)

    def _charge(self, writer: str, phase: str) -> None:
        if self.last:
            self.writes.append((phase, writer, changed(self.last, self.model.landscape)))
            self.last = snapshot(self.model.landscape)

    def __post_init__(self):
        self.declared: dict[str, set[str]] = {"model": set(KarstModel.writes)}


ACTORS = "agents act"


def tracked_model(**overrides) -> tuple[KarstModel, WriteTracker]:
    model = KarstModel("plan14", rng=3, grid="40x40", **overrides)
    tracker = WriteTracker(model)
    gov, res = model.government, model.resolution
    tracker.wrap(gov, "allocate_treatment", "Government", "government", gov.writes)
    tracker.wrap(gov, "budget", "Government", "government", gov.writes)
    tracker.wrap(gov, "tend_forest", "Government", "government", gov.writes)
    tracker.wrap(gov, "control_erosion", "Government", "government", gov.writes)
    tracker.wrap(model.mines, "step", "MinePopulation", ACTORS, model.mines.writes)
    tracker.wrap(model.rangers, "staff", "RangerForce", ACTORS, model.rangers.writes)
    tracker.wrap(model.rangers, "patrol", "RangerForce", ACTORS, model.rangers.writes)
    tracker.wrap(model.households, "decide", "HouseholdPopulation", ACTORS, ())
    tracker.wrap(res, "apply_mines", "LandUseResolution", "mine land use", res.writes)
    tracker.wrap(res, "resolve", "LandUseResolution", "proposals", res.writes)
    tracker.wrap(model.fire, "run_one_year", "Fire", "fire", model.fire.writes)
    for process in model.processes:
        name = type(process).__name__
        tracker.wrap(process, "run_one_year", name, name, process.writes)
    households = model.households
    tracker.wrap(households, "choose_schemes", "HouseholdPopulation", "accounting", ())
    tracker.wrap(households, "account", "HouseholdPopulation", "accounting", ())
    credits = model.carbon_credits
    tracker.wrap(credits, "trade", "CarbonCredits", "accounting", credits.writes)
    tracker.wrap(model, "_collect", "outputs", "outputs", ())
    return model, tracker


def undeclared(tracker: WriteTracker) -> list[str]:
    return [
        f"{writer} wrote {sorted(layers - tracker.declared[writer])} in phase {phase!r}"
        for phase, writer, layers in tracker.writes
        if layers - tracker.declared[writer]
    ]


def test_a_year_writes_only_declared_layers_and_one_writer_per_layer_and_phase():
    model, tracker = tracked_model()
    tracker.last = snapshot(model.landscape)
    model.step()
    model.step()
    tracker._charge("model", "after the step")
    assert not undeclared(tracker)
    writers = defaultdict(set)
    for phase, writer, layers in tracker.writes:
        for layer in layers:
            writers[(phase, layer)].add(writer)
    doubled = {key: w for key, w in writers.items() if len(w) > 1}
    assert not doubled
    # the tracking saw the writes that matter, so the test is not vacuous
    written = {(writer, layer) for _, writer, ls in tracker.writes for layer in ls}
    assert ("Government", "treatment_mode") in written
    assert ("LandUseResolution", "grazed") in written
    assert ("Succession", "land_cover") in written
    assert ("CarbonGrowth", "carbon_tC_ha") in written
    assert ("SoilCarbon", "soil_carbon_tC_ha") in written


def test_every_writer_that_steps_is_tracked():
    """Each sub-model the model holds with a ``writes`` declaration is wrapped above."""
    model, tracker = tracked_model()
    holders = [model.government, model.resolution, model.fire, model.mines, model.rangers]
    holders += [model.households, *model.processes]
    for holder in holders:
        assert hasattr(type(holder), "writes"), type(holder).__name__
    tracker.last = snapshot(model.landscape)
    model.step()
    seen = {writer for _, writer, _ in tracker.writes}
    assert {type(h).__name__ for h in holders} <= seen


def test_an_undeclared_write_is_caught(monkeypatch):
    model, tracker = tracked_model()
    patrol = model.rangers.patrol

    def patrol_and_graze(land):
        patrol(land)
        land["grazed"] = np.ones(land.shape, dtype=bool)

    # the wrapper calls the instance attribute it wrapped: replace what it wraps
    monkeypatch.setattr(model.rangers, "patrol", patrol_and_graze)
    tracker.wrap(model.rangers, "patrol", "RangerForce", ACTORS, model.rangers.writes)
    tracker.last = snapshot(model.landscape)
    model.step()
    assert any("RangerForce wrote ['grazed']" in line for line in undeclared(tracker))


@pytest.mark.parametrize("name", ["total_budget_mode"])
def test_total_budget_mode_writes_only_declared_layers(name):
    model, tracker = tracked_model(**{name: True})
    tracker.last = snapshot(model.landscape)
    model.step()
    tracker._charge("model", "after the step")
    assert not undeclared(tracker)


def test_building_the_model_writes_only_declared_layers(monkeypatch):
    """The writers that act while the model is built (households' placement, young
    plantings, the first patrol, the mines' dirty layer) declare what they write too."""
    from karstsim.agents.households import HouseholdPopulation
    from karstsim.agents.mines import MinePopulation
    from karstsim.agents.rangers import RangerForce
    from karstsim.model import generator
    from karstsim.model.government import Government

    built: list[Landscape] = []
    generate = generator.generate
    monkeypatch.setattr(generator, "generate", lambda *a: built.append(generate(*a)) or built[0])
    problems: list[str] = []

    def track(cls, method, declared):
        original = getattr(cls, method)

        def tracked(self, *args, **kwargs):
            before = snapshot(built[0])
            result = original(self, *args, **kwargs)
            extra = changed(before, built[0]) - set(declared)
            if extra:
                problems.append(f"{cls.__name__}.{method} wrote {sorted(extra)}")
            return result

        monkeypatch.setattr(cls, method, tracked)

    track(HouseholdPopulation, "__init__", HouseholdPopulation.writes)
    track(MinePopulation, "__init__", MinePopulation.writes)
    track(Government, "seed_young_plantations", Government.writes)
    track(RangerForce, "patrol", RangerForce.writes)
    model = KarstModel("plan14", rng=3, grid="40x40")
    assert built and model.landscape is built[0]
    assert not problems
