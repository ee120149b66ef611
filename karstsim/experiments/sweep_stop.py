"""Stopping a sweep: Ctrl-C (SIGINT), or SIGTERM under ``karstsim sweep``, remembered as
well as raised.

A stop raises ``KeyboardInterrupt`` where the main thread is. Python swallows an exception
raised inside a ``__del__`` (it prints "Exception ignored" and goes on), and the sweep's
main thread runs one whenever it lets a finished Dask future go: a stop arriving then
would be lost and the sweep would run on. So the handler also sets a flag, which the sweep
checks after every finished chunk (:func:`raise_if_requested`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_requested = threading.Event()


def request_stop(signum: int, frame: Any) -> None:
    """Signal handler: stop the sweep now, and at the next finished chunk if now is lost."""
    _requested.set()
    raise KeyboardInterrupt


def raise_if_requested() -> None:
    """Raise ``KeyboardInterrupt`` if a stop arrived since the sweep began."""
    if _requested.is_set():
        raise KeyboardInterrupt


@contextmanager
def stops_remembered() -> Iterator[None]:
    """While a sweep runs: Ctrl-C goes through :func:`request_stop` (when Ctrl-C has
    Python's own handler and this is the main thread, the only one signals reach)."""
    _requested.clear()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if main else None
    if previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, request_stop)
    try:
        yield
    finally:
        if previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous)
        _requested.clear()
