"""The households' social network: village-based, with a few ties to nearby villages.

Each household agent is tied to its ring neighbours within its village (up to
``WITHIN_VILLAGE_TIES``) and to ``BETWEEN_VILLAGE_TIES`` random agents of the nearest
villages (kin, markets, schools). Adoption spreads through it: a household sees the
share of its neighbours that have adopted a practice.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

WITHIN_VILLAGE_TIES = 4
BETWEEN_VILLAGE_TIES = 1
NEAREST_VILLAGES = 3


def village_ties(
    village_of_agent: np.ndarray, village_xy: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The network's ties as (k, 2) agent pairs in the order they are drawn (a pair may
    repeat; no agent is tied to itself); ``village_xy`` are the villages' (row, col)."""
    n = village_of_agent.size
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.argsort(village_of_agent, kind="stable")
    villages, start, size = np.unique(
        village_of_agent[order], return_index=True, return_counts=True
    )
    slot = np.empty(n, dtype=np.int64)
    slot[order] = np.arange(n) - np.repeat(start, size)
    group = np.searchsorted(villages, village_of_agent)
    edges = []
    for offset in range(1, WITHIN_VILLAGE_TIES // 2 + 1):
        big_enough = size[group] > offset
        partner = order[start[group] + (slot + offset) % size[group]]
        edges.append(np.stack([np.arange(n), partner], axis=1)[big_enough])
    if villages.size > 1:
        k = min(NEAREST_VILLAGES + 1, villages.size)
        _, near = cKDTree(village_xy[villages]).query(village_xy[villages], k=k)
        near = np.atleast_2d(near)[:, 1:]
        for _ in range(BETWEEN_VILLAGE_TIES):
            other = near[group, rng.integers(0, near.shape[1], n)]
            partner = order[start[other] + (rng.random(n) * size[other]).astype(np.int64)]
            edges.append(np.stack([np.arange(n), partner], axis=1))
    pairs = np.concatenate(edges)
    return pairs[pairs[:, 0] != pairs[:, 1]]


def ties_graph(n: int, ties: np.ndarray) -> nx.Graph:
    """The networkx graph on agents 0..n−1 with these ties."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, ties.tolist()))
    return graph


def village_network(
    village_of_agent: np.ndarray, village_xy: np.ndarray, rng: np.random.Generator
) -> nx.Graph:
    """Graph on agents 0..n−1; ``village_xy`` are the villages' (row, col) positions."""
    return ties_graph(village_of_agent.size, village_ties(village_of_agent, village_xy, rng))


def ties_adjacency(n: int, ties: np.ndarray) -> sparse.csr_array:
    """``adjacency(ties_graph(n, ties))`` built without the graph: the same array, entry
    for entry and in the same order within each row (column indices from the highest
    down, as the product with the degrees leaves them), so that the sums over neighbours
    are the same to the last bit."""
    low, high = np.minimum(ties[:, 0], ties[:, 1]), np.maximum(ties[:, 0], ties[:, 1])
    keys = np.unique(low * n + high)
    low, high = keys // n, keys % n
    rows, cols = np.concatenate([low, high]), np.concatenate([high, low])
    order = np.lexsort((-cols, rows))
    rows, cols = rows[order], cols[order]
    degree = np.bincount(rows, minlength=n)
    inverse = np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)
    indptr = np.concatenate([[0], np.cumsum(degree)])
    return sparse.csr_array((inverse[rows], cols, indptr), shape=(n, n))


def adjacency(graph: nx.Graph) -> sparse.csr_array:
    """Row-normalised adjacency (each row sums to 1, or 0 for an isolated node)."""
    matrix = nx.to_scipy_sparse_array(graph, nodelist=range(graph.number_of_nodes()), format="csr")
    degree = np.asarray(matrix.sum(axis=1)).ravel()
    return (
        sparse.diags_array(
            np.divide(1.0, degree, out=np.zeros_like(degree, dtype=float), where=degree > 0)
        )
        @ matrix
    )


def neighbour_share(normalised_adjacency: sparse.csr_array, adopted: np.ndarray) -> np.ndarray:
    """For each agent, the mean of ``adopted`` (0–1) over its network neighbours."""
    return normalised_adjacency @ np.asarray(adopted, dtype=float)
