"""A pyabc sampler whose posterior does not depend on the number of workers.

pyabc's parallel samplers (``MulticoreEvalParallelSampler``, ``DaskDistributedSampler``,
``MappingSampler``) seed each worker's random state afresh and keep the particles that
happen to finish first, so the same calibration gives another posterior on another number
of workers. :class:`OrderedSampler` gives every candidate particle of a generation a seed
of its own (from the calibration's seed, the generation and the candidate's index), runs
candidates in batches through any order-keeping ``map`` (the builtin one, a Dask client's),
and keeps the first ``n`` accepted in index order: the same seed gives the same posterior
on one process, two local workers or a cluster. The candidates of a last batch beyond the
``n``-th acceptance are run and counted as evaluations but not kept (at most a batch of
work, the price of the fixed order).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

Map = Callable[[Callable[[int], Any], list[int]], Iterable[Any]]
"""An order-keeping map: ``map(function, items)`` → results in the items' order."""


def _simulate_seeded(payload: bytes, seed: int) -> Any:
    """One candidate particle with numpy's global random state (pyabc's) set to ``seed``."""
    simulate_one = cloudpickle.loads(payload)
    np.random.seed(seed)
    return simulate_one()


class OrderedSampler(Sampler):
    """Candidates seeded by (seed, generation, index), kept in index order."""

    def __init__(self, map_: Map = map, seed: int = 0, batch_size: int = 1) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.map_, self.seed, self.batch_size = map_, int(seed), int(batch_size)

    def candidate_seeds(self, t: int, first: int, count: int) -> list[int]:
        """The seeds of candidates ``first`` … ``first + count − 1`` of generation ``t``
        (t = −1: pyabc's calibration sample from the prior)."""
        return [
            int(np.random.SeedSequence([self.seed, t + 1, i]).generate_state(1)[0])
            for i in range(first, first + count)
        ]

    def _batches(self, payload: bytes, t: int) -> Iterator[Any]:
        first = 0
        run = functools.partial(_simulate_seeded, payload)
        while True:
            seeds = self.candidate_seeds(t, first, self.batch_size)
            yield from self.map_(run, seeds)
            first += self.batch_size

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable[[], Any],
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: Any = None,
    ) -> Any:
        sample = self._create_empty_sample()
        evaluations = accepted = 0
        batches = self._batches(cloudpickle.dumps(simulate_one), t)
        while accepted < n and evaluations < max_eval:
            particle = next(batches)
            evaluations += 1
            sample.append(particle)
            accepted += int(particle.accepted)
        # the rest of the last batch was run (by a batch-wise map): count it
        evaluations += -evaluations % self.batch_size
        self.nr_evaluations_ = evaluations
        if accepted < n:
            sample.ok = False
        return sample
