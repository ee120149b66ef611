"""What the browser sessions of one server share, and what frees a session's memory.

- One :class:`SharedLandscapes` cache of start landscapes for every session: a class of 30
  opening the classroom map with the same seed generates its landscape once and each page
  gets a copy whose static layers (relief, lithology, regions…) are the same read-only
  arrays, not copies.
- :class:`HeavyMapGate`: at most ``karstsim viz --province-sessions`` sessions run the
  whole province at once (each holds about 0.4 GB); the next one is told so in a clear
  message and keeps its map.
- :func:`release_memory`, called when a session is closed (Solara culls a disconnected
  session after ``karstsim viz --session-timeout``): Python's cycles collected and the
  freed heap given back to the system, so the server's resident memory falls back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from karstsim.model.grid import GridSpec
from karstsim.model.initial_states import StartState
from karstsim.model.landscape_cache import LandscapeCache
from karstsim.model.layers import Landscape
from karstsim.model.parameters import InputError
from karstsim.model.regions import PROVINCE_CODE
from karstsim.viz.server_defaults import DEFAULT_PROVINCE_SESSIONS

SHARED_LANDSCAPES_MB = 512.0
"""Memory the server's shared start landscapes may take, MB (the province at 1 km: 23 MB;
its static layers are shared with every run made from it)."""
RELEASE_DELAY_S = 1.0
"""Wait after a session closes before collecting its memory (Solara closes its widgets
after the session's own clean-up has run)."""


class SharedLandscapes(LandscapeCache):
    """A :class:`LandscapeCache` that the server's sessions use from their own threads."""

    def __init__(self, max_mb: float = SHARED_LANDSCAPES_MB) -> None:
        super().__init__(max_mb)
        self._lock = threading.Lock()

    def generate(
        self,
        grid: GridSpec,
        start: StartState,
        params: Mapping[str, Any],
        rng: np.random.Generator,
    ) -> Landscape:
        """As :meth:`LandscapeCache.generate`, one session at a time (a second session
        asking for the same landscape waits for the first and gets a copy)."""
        with self._lock:
            return super().generate(grid, start, params, rng)


def is_heavy(spec: GridSpec) -> bool:
    """Whether a map is one :class:`HeavyMapGate` counts: the whole province."""
    return spec.is_real and spec.region == PROVINCE_CODE


class HeavyMapGate:
    """Which sessions run the whole province, at most ``limit`` at a time."""

    def __init__(self, limit: int = DEFAULT_PROVINCE_SESSIONS) -> None:
        self.limit = limit
        self._holders: set[int] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._holders)

    def claim(self, holder: object) -> None:
        """Count ``holder`` (a session's controller) as running the province, or raise
        :class:`InputError` saying the server is full."""
        with self._lock:
            if id(holder) in self._holders:
                return
            if len(self._holders) >= self.limit:
                raise InputError(
                    f"the whole province is already open in {self.limit} pages, this "
                    "server's limit: choose a prefecture or a county, or try again when one "
                    "of those pages is closed",
                    zh=f"全省地图已在 {self.limit} 个页面中打开，达到本服务器的上限："
                    "请选择一个市州或区县，或在其中一个页面关闭后再试",
                )
            self._holders.add(id(holder))

    def release(self, holder: object) -> None:
        """``holder`` no longer runs the province (it may never have)."""
        with self._lock:
            self._holders.discard(id(holder))


LANDSCAPES = SharedLandscapes()
"""The start landscapes every session of this server draws from."""
PROVINCE_GATE = HeavyMapGate()
"""The limit on sessions running the whole province (``karstsim viz --province-sessions``)."""


def _malloc_trim() -> None:
    """Give the C heap's free pages back to the system (glibc only; elsewhere nothing)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is not None:
        trim(0)


def collect_now() -> None:
    """Collect Python's cycles and return the freed memory to the system."""
    gc.collect()
    _malloc_trim()


class _Debounced:
    """Runs a function once, ``delay_s`` after the last of calls that came closer together
    than that (a class leaving together: one collection after the last session closed)."""

    def __init__(self, function: Callable[[], None]) -> None:
        self._function = function
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def __call__(self, delay_s: float) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(delay_s, self._function)
            self._timer.daemon = True
            self._timer.start()


_collect_later = _Debounced(collect_now)


def release_memory(delay_s: float = RELEASE_DELAY_S) -> None:
    """Collect the memory of a session that just closed, ``delay_s`` after the last of the
    sessions closing together, in the background."""
    _collect_later(delay_s)
