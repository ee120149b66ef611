"""The web app's sessions on one server: shared start landscapes, the limit on province
sessions, closing a session, the page's state in its address."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from karstsim.model.layers import STATIC_LAYERS
from karstsim.model.parameters import InputError
from karstsim.viz import server_state, url_state
from karstsim.viz.controller import Controller
from karstsim.viz.server_state import HeavyMapGate


def test_two_sessions_on_the_same_map_share_its_static_layers_and_own_the_rest():
    first, second = Controller(), Controller()
    a, b = first.arms["A"].model.landscape, second.arms["A"].model.landscape
    shared = STATIC_LAYERS.keys() & a.layers.keys()
    assert shared, "no static layer to share"
    for name in shared:
        assert np.shares_memory(a[name], b[name]), name
    assert not np.shares_memory(a["land_cover"], b["land_cover"])
    first.step()
    assert first.year == second.year + 1


def test_the_gate_counts_each_holder_once_and_refuses_past_its_limit():
    gate = HeavyMapGate(limit=2)
    holders = [object(), object(), object()]
    gate.claim(holders[0])
    gate.claim(holders[0])
    gate.claim(holders[1])
    assert len(gate) == 2
    with pytest.raises(InputError, match="already open in 2 pages"):
        gate.claim(holders[2])
    gate.release(holders[0])
    gate.claim(holders[2])
    assert len(gate) == 2


def test_a_full_server_keeps_the_session_on_its_map_with_a_message_in_both_languages():
    controller = Controller(gate=HeavyMapGate(limit=0))
    controller.set_grid("province")
    assert controller.grid == "classroom"
    assert "this server's limit" in controller.errors("en")[0][1]
    assert "上限" in controller.errors("zh")[0][1]
    opened_on_it = Controller(grid="province", gate=HeavyMapGate(limit=0))
    assert opened_on_it.grid == "classroom" and opened_on_it.setup_error is not None


def test_a_closed_session_gives_back_its_place():
    gate = HeavyMapGate(limit=1)
    controller = Controller(gate=gate)
    gate.claim(controller)  # as if it ran the province
    controller.set_grid("120x80")
    assert len(gate) == 0
    gate.claim(controller)
    controller.close()
    assert len(gate) == 0
    server_state.collect_now()


# --- the page's state in its address ---------------------------------------------------------
def test_the_address_gives_back_the_map_preset_levers_seed_year_language_and_mode():
    controller = Controller(preset="no_new_policy", seed=5, grid="120x80")
    controller.set_values("A", {"treatment_ha_per_year": 120_000.0, "grazing_ban_severe": True})
    controller.advance_to(2023, threading.Event())
    query = url_state.encode(controller, "zh", classroom=False, layer="carbon")
    state = url_state.decode(query, layers=("land_cover", "carbon"))
    assert state.problems == []
    assert (state.grid, state.scenario, state.seed, state.year) == (
        "120x80",
        "no_new_policy",
        5,
        2023,
    )
    assert (state.lang, state.classroom, state.layer) == ("zh", False, "carbon")
    assert state.levers == controller.arms["A"].overrides()
    restored = state.controller()
    assert restored.year == 2023 and restored.arms["A"].values == controller.arms["A"].values
    pd.testing.assert_frame_equal(restored.results()["A"], controller.results()["A"])


def test_an_empty_address_gives_the_defaults_and_bad_values_are_named_and_left_out():
    assert url_state.decode(None) == url_state.PageState()
    state = url_state.decode("?map=99x&seed=-1&year=2020&lang=fr&rangers=oops&no_such=1")
    assert state.year == 2020 and state.grid == "classroom" and state.seed == 0
    named = " ".join(state.problems)
    for part in ("map=99x", "seed=-1", "lang=fr", "rangers=oops", "no_such=1"):
        assert part in named, part
    controller = state.controller()
    assert "the address" in controller.errors("en")[0][1]
