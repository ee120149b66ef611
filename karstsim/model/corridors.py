"""Habitat patches, the corridor network between them and its connectivity index.

*Habitat* is forest (not eco-economic stands) at least ``habitat_min_age_yr`` old.
*Patches* are its 4-connected clusters. Two patches are linked when a species can cross
between them: through a gap of at most ``dispersal_distance_km`` of any land, or along
the plan's corridor cells (``corridor`` layer) that are wooded (forest, shrub). The patch
graph (networkx, :meth:`HabitatPatches.graph`, built from the current state when asked)
has a node per patch (``area_km2``) and links each patch to the largest patch it can
reach, so its connected components are the sets of mutually reachable patches.

**Connectivity index** (``corridor_connectivity``): the share of habitat area in the
largest connected set of patches, 0–1 (1: all habitat is one reachable network).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy import ndimage

from karstsim.model.layers import LandCover, Landscape, Treatment, is_any

STEPPING_STONES = np.array([LandCover.FOREST, LandCover.SHRUB], dtype=np.int8)
FOUR_NEIGHBOURS = ndimage.generate_binary_structure(2, 1)


def habitat(land: Landscape, min_age_yr: float) -> np.ndarray:
    """Mask of habitat cells."""
    return (
        land.land
        & (land["land_cover"] == int(LandCover.FOREST))
        & (land["stand_age_yr"] >= min_age_yr)
        & (land["treatment_mode"] != int(Treatment.ECO_ECONOMIC))
    )


@dataclass(frozen=True)
class HabitatPatches:
    """The habitat of one year: its cells on the map and the network each one is in.

    ``mask`` is the 2-D habitat mask of the map, ``network`` the network label of each
    habitat cell (row-major order) and ``cell_area_km2`` a cell's area. The connectivity
    index needs only these; the patches themselves (4-connected clusters) are labelled
    when the graph is asked for."""

    mask: np.ndarray
    network: np.ndarray
    cell_area_km2: float

    def patch_areas(self) -> tuple[np.ndarray, np.ndarray]:
        """Each patch's area (km²) and network."""
        patches, n = ndimage.label(self.mask, structure=FOUR_NEIGHBOURS)
        patch_of_cell = patches.ravel()[np.flatnonzero(self.mask)] - 1
        area = np.bincount(patch_of_cell, minlength=n) * self.cell_area_km2
        network_of_patch = np.zeros(n, dtype=np.int64)
        network_of_patch[patch_of_cell] = self.network  # a patch's cells share one
        return area, network_of_patch

    def graph(self) -> nx.Graph:
        """The patch graph: a node per patch, each linked to the largest patch it reaches."""
        area_km2, network = self.patch_areas()
        n = area_km2.size
        graph = nx.Graph()
        graph.add_nodes_from((i, {"area_km2": float(a)}) for i, a in enumerate(area_km2))
        if n == 0:
            return graph
        order = np.lexsort((-area_km2, network))
        first = np.r_[True, network[order][1:] != network[order][:-1]]
        hub = np.empty(n, dtype=np.int64)
        hub[order] = order[np.maximum.accumulate(np.where(first, np.arange(n), 0))]
        graph.add_edges_from((i, int(h)) for i, h in enumerate(hub) if i != h)
        return graph

    def connectivity(self) -> float:
        """Share of habitat area in the largest set of mutually reachable patches (0–1):
        every cell has the same area, so it is a share of habitat cells."""
        if self.network.size == 0:
            return 0.0
        return float(np.bincount(self.network).max() / self.network.size)


def dilate_four(mask: np.ndarray, steps: int) -> np.ndarray:
    """``ndimage.binary_dilation(mask, iterations=steps)`` (4-neighbour steps, nothing
    beyond the edge) by shifted ORs: the same cells, several times faster."""
    out = mask.copy()
    for _ in range(max(steps, 0)):
        grown = out.copy()
        grown[1:] |= out[:-1]
        grown[:-1] |= out[1:]
        grown[:, 1:] |= out[:, :-1]
        grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def find_patches(land: Landscape, params: Mapping[str, Any]) -> HabitatPatches:
    """The habitat of the landscape's current state and the network each cell is in."""
    mask = land.to_grid(habitat(land, params["habitat_min_age_yr"]), False)
    cells = np.flatnonzero(mask)
    if cells.size == 0:
        return HabitatPatches(mask, np.zeros(0, dtype=np.int64), land.cell_area_km2)
    steps = int(np.ceil(params["dispersal_distance_km"] / land.cell_size_km / 2.0 - 1e-9))
    reach = dilate_four(mask, steps)
    reach |= land.to_grid(
        (land["corridor"] > 0) & is_any(land["land_cover"], STEPPING_STONES), False
    )
    networks, _ = ndimage.label(reach, structure=np.ones((3, 3), dtype=bool))
    return HabitatPatches(mask, networks.ravel()[cells], land.cell_area_km2)


def priority_weights(land: Landscape, params: Mapping[str, Any]) -> np.ndarray | None:
    """Selection weights for treatment and planting (None: every cell alike)."""
    if not params["corridor_priority"]:
        return None
    return np.where(land["corridor"] > 0, params["corridor_priority_weight"], 1.0)
