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


def village_network(
    village_of_agent: np.ndarray, village_xy: np.ndarray, rng: np.random.Generator
) -> nx.Graph:
    """Graph on agents 0..n−1; ``village_xy`` are the villages' (row, col) positions."""
    n = village_of_agent.size
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    if n < 2:
        return graph
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
    graph.add_edges_from(map(tuple, pairs[pairs[:, 0] != pairs[:, 1]].tolist()))
    return graph


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
