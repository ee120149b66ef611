"""Start landscapes kept in memory and reused by runs that would generate the same one.

A sweep, a sensitivity analysis or the app's comparison runs the model many times with
common random numbers: every run of a replicate has the same seed, and most varied
parameters (the levers) act only in the yearly schedule. Such runs generate the same
start landscape again and again — 0.5 s of a 2 s province run at 1 km, 9 s of 27 s at
250 m. A :class:`LandscapeCache` keeps the landscapes it has generated and hands out a
copy instead.

Exact, by construction: :func:`karstsim.model.generator.generate` is a pure function
of the map, the start state, the random stream's state and the parameters it reads (the
shipped data and static caches are fixed in a process). Each entry records the
parameters the generation read, with their values (:class:`ReadRecorder`); a later
request reuses it only for the same map, start state and stream state and the same
values of exactly those parameters, so a parameter read only on some branch is
compared whenever that branch was taken. A parameter the generator reads (the cell
size, the carbonate share, the start year's grazing pressure…) makes a new entry; the
levers of the schedule do not. ``tests/test_landscape_cache.py`` checks that runs from a
reused landscape equal fresh runs.

Only code that opens a cache reuses (:func:`reusing`): sweeps' workers
(:mod:`karstsim.experiments.sweep_worker`), ``compare`` (also over the posterior),
``fast-track`` and the app's sessions. A single run never keeps a copy, so its time and
memory are as without this module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

from karstsim.model import generator
from karstsim.model.grid import GridSpec
from karstsim.model.initial_states import StartState
from karstsim.model.layers import STATIC_LAYERS, Landscape

DEFAULT_MAX_MB = 1024.0
"""Memory a cache may hold by default, MB: two province landscapes at 250 m (about
0.37 GB each: 137 bytes a land cell), or about 40 at 1 km (23 MB each)."""


MISSING = object()
"""The value of a parameter that was asked for and is not there."""


class ReadRecorder(Mapping):
    """``params`` as a read-only mapping that records which names were read.

    Iterating (``dict(params)``, ``.items()``) counts as reading every name.
    """

    def __init__(self, params: Mapping[str, Any]):
        self._params = params
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return self._params[name]

    def __iter__(self) -> Iterator[str]:
        self.read.update(self._params)
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def values_read(self) -> tuple[tuple[str, Any], ...]:
        """The names read, sorted, each with its value (:data:`MISSING` for a name asked
        for and not there: ``params.get(name, default)``, ``name in params``)."""
        return tuple((name, self._params.get(name, MISSING)) for name in sorted(self.read))


@dataclass
class _Entry:
    where: tuple[str, str, tuple]
    """The map, the start state and the random stream's state."""
    params_read: tuple[tuple[str, Any], ...]
    landscape: Landscape
    nbytes: int

    def matches(self, where: tuple[str, str, tuple], params: Mapping[str, Any]) -> bool:
        if where != self.where:
            return False
        return all(_same(params.get(name, MISSING), value) for name, value in self.params_read)


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same type (1, 1.0 and True are three values here)."""
    return type(a) is type(b) and a == b


def stream_state(rng: np.random.Generator) -> tuple:
    """What fixes everything ``rng`` will give, its children included: the bit
    generator's state and its seed sequence (entropy, spawn key, children spawned)."""
    seq = rng.bit_generator.seed_seq
    return (
        repr(rng.bit_generator.state),
        repr(getattr(seq, "entropy", None)),
        tuple(getattr(seq, "spawn_key", ())),
        getattr(seq, "n_children_spawned", None),
        getattr(seq, "pool_size", None),
    )


def _nbytes(landscape: Landscape) -> int:
    return sum(layer.nbytes for layer in landscape.layers.values()) + landscape.land.nbytes


class LandscapeCache:
    """Generated start landscapes, the most recently used first, within ``max_mb``.

    ``hits`` and ``misses`` count the requests answered with a copy and those generated.
    """

    def __init__(self, max_mb: float = DEFAULT_MAX_MB):
        self._entries: list[_Entry] = []
        self.resize(max_mb)
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """Bytes the kept landscapes' layers hold."""
        return sum(entry.nbytes for entry in self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def resize(self, max_mb: float) -> None:
        """Hold at most ``max_mb`` from now on (the least recently used go first)."""
        if not max_mb >= 0:
            raise ValueError(f"max_mb {max_mb!r}: must be a number ≥ 0 (MB)")
        self.max_bytes = int(max_mb * 2**20)
        self._trim()

    def generate(
        self,
        grid: GridSpec,
        start: StartState,
        params: Mapping[str, Any],
        rng: np.random.Generator,
    ) -> Landscape:
        """What ``generator.generate(grid, start, params, rng)`` returns: a copy of a kept
        landscape if one matches, else generated (and a copy kept). The runs and the kept
        landscape share the static layers (:data:`~karstsim.model.layers.STATIC_LAYERS`),
        read-only, since no process writes them (``tests/test_writers.py``); each has its
        own dynamic layers."""
        where = (repr(grid), repr(start), stream_state(rng))
        for position, entry in enumerate(self._entries):
            if entry.matches(where, params):
                self._entries.insert(0, self._entries.pop(position))
                self.hits += 1
                return entry.landscape.copy(share=STATIC_LAYERS)
        self.misses += 1
        recorder = ReadRecorder(params)
        landscape = generator.generate(grid, start, recorder, rng)
        for name in STATIC_LAYERS.keys() & landscape.layers.keys():
            landscape[name].flags.writeable = False
        kept = landscape.copy(share=STATIC_LAYERS)
        self._keep(_Entry(where, recorder.values_read(), kept, _nbytes(kept)))
        return landscape

    def _keep(self, entry: _Entry) -> None:
        if entry.nbytes > self.max_bytes:
            return
        self._entries.insert(0, entry)
        self._trim()

    def _trim(self) -> None:
        while self.nbytes > self.max_bytes:
            self._entries.pop()


_ACTIVE: ContextVar[LandscapeCache | None] = ContextVar("karstsim_landscape_cache", default=None)


@contextlib.contextmanager
def reusing(cache: LandscapeCache) -> Iterator[LandscapeCache]:
    """Models built inside this block (in this thread) take their start landscape from
    ``cache``."""
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)


def generate(
    grid: GridSpec, start: StartState, params: Mapping[str, Any], rng: np.random.Generator
) -> Landscape:
    """A new start landscape: from the cache opened with :func:`reusing`, if any, else
    generated."""
    cache = _ACTIVE.get()
    if cache is None:
        return generator.generate(grid, start, params, rng)
    return cache.generate(grid, start, params, rng)
