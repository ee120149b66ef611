"""Common random numbers: one independent random stream per process, agent kind and year.

With one shared generator, a lever that changes how many numbers one process draws
shifts every later draw of every process, so comparing two lever settings (``compare``,
Morris, Sobol) mixes the lever's effect with seed noise. Here each use of randomness
gets its own stream, keyed by name and calendar year and spawned from the model's seed
(``np.random.SeedSequence`` with a spawn key), so that

- adding or changing one process does not shift the numbers of another (keys are names,
  not positions);
- a year's draws do not depend on what was drawn in earlier years;
- draws are of fixed size — one number per cell of the layers (land cells on a real map)
  or per agent, used or not — so a lever changes only the decisions it touches: a cell
  that ignites under one lever value ignites under another unless the lever acts on it.

Agents that are added during a run (new mines) take the next indices; numpy's
``Generator.random(n)`` is prefix-stable (the first k of n numbers are those of
``random(k)``), so each index keeps its number whatever the count.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key(name: str) -> int:
    """A stable 32-bit key of ``name`` (not Python's salted ``hash``)."""
    return zlib.crc32(name.encode("utf-8"))


class RandomStreams:
    """Independent generators keyed by (name, year), all derived from one seed sequence."""

    def __init__(self, rng: np.random.Generator):
        seed_seq = getattr(rng.bit_generator, "seed_seq", None)
        if not isinstance(seed_seq, np.random.SeedSequence):  # pragma: no cover - exotic rng
            seed_seq = np.random.SeedSequence(rng.integers(0, 2**63, size=4))
        self.entropy = seed_seq.entropy
        self.spawn_key = tuple(seed_seq.spawn_key)
        self._year: int | None = None
        self._names: list[str] = []
        """The names asked for in :attr:`_year`, in order."""
        self._made: dict[str, np.random.Generator] = {}
        """Streams of :attr:`_year` made ahead and not yet handed out."""

    def generator(self, name: str, year: int) -> np.random.Generator:
        """The stream ``name`` of calendar year ``year`` (a fresh generator each call).

        The first call of a new year also makes that year's streams of every name the
        previous year asked for, in one go, and hands them out as they are asked for (each
        once; a name asked for again gets a new one). A stream depends on the seed, the name
        and the year only, so these are the generators a call would make; made one by one
        between a year's array work, each took ~85 µs at the province (its code and data no
        longer in the caches), made together ~15 µs.
        """
        year = int(year)
        if year != self._year:
            self._made = {n: self._make(n, year) for n in self._names}
            self._year, self._names = year, []
        self._names.append(name)
        made = self._made.pop(name, None)
        return made if made is not None else self._make(name, year)

    def _make(self, name: str, year: int) -> np.random.Generator:
        sequence = np.random.SeedSequence(
            self.entropy, spawn_key=(*self.spawn_key, _key(name), year)
        )
        return np.random.default_rng(sequence)

    def uniform(self, name: str, year: int, size: int) -> np.ndarray:
        """``size`` uniform numbers in [0, 1) of stream ``name`` in ``year``, one per agent
        (one per cell: :meth:`karstsim.model.layers.Landscape.uniform` of the stream)."""
        return self.generator(name, year).random(size)


def smallest(candidates: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """The ``n`` candidates with the smallest ``keys[candidates]`` (a random choice without
    replacement when ``keys`` are uniform draws per index)."""
    if n >= candidates.size:
        return candidates
    if n <= 0:
        return candidates[:0]
    return candidates[np.argpartition(keys[candidates], n - 1)[:n]]


def stable_order_head(keys: np.ndarray, n: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")[:n]``, the same positions in the same order,
    without sorting all of ``keys`` when ``n`` is small beside them: the ``n`` smallest are
    found by partition (ties at the boundary taken in index order, as the stable sort does)
    and only they are sorted."""
    keys = np.asarray(keys)
    size = keys.shape[0]
    if n <= 0:
        return np.zeros(0, dtype=np.intp)
    if 10 * n >= 9 * size:  # a head that long: sorting all is as quick
        return np.argsort(keys, kind="stable")[:n]
    threshold = keys[np.argpartition(keys, n - 1)[n - 1]]
    if threshold != threshold:  # NaN among the n smallest: the plain sort's NaN order
        return np.argsort(keys, kind="stable")[:n]
    below = np.flatnonzero(keys < threshold)
    ties = np.flatnonzero(keys == threshold)[: n - below.size]
    head = np.concatenate([below, ties])
    return head[np.argsort(keys[head], kind="stable")]


def lexsort_head(keys: tuple[np.ndarray, ...], n: int) -> np.ndarray:
    """``np.lexsort(keys)[:n]`` (the last key first, ties in index order), without sorting
    everything when ``n`` is small: the cells whose primary key is below the ``n``-th
    smallest are sorted whole, and the ones at it are ordered by the other keys, again
    only as far as needed."""
    primary = np.asarray(keys[-1])
    size = primary.shape[0]
    if n <= 0:
        return np.zeros(0, dtype=np.intp)
    if len(keys) == 1:
        return stable_order_head(primary, n)
    if 10 * n >= 9 * size:
        return np.lexsort(keys)[:n]
    threshold = primary[np.argpartition(primary, n - 1)[n - 1]]
    if threshold != threshold:  # NaN among the n smallest
        return np.lexsort(keys)[:n]
    below = np.flatnonzero(primary < threshold)
    below = below[np.lexsort(tuple(np.asarray(k)[below] for k in keys))]
    ties = np.flatnonzero(primary == threshold)
    rest = lexsort_head(tuple(np.asarray(k)[ties] for k in keys[:-1]), n - below.size)
    return np.concatenate([below, ties[rest]])
