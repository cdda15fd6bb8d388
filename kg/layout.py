"""Node positions for the graph page, computed before the page opens so the browser runs no physics.

vis-network's physics takes tens of seconds to settle at a few hundred nodes, and
networkx's spring layout is quadratic; this layout stays near-linear in nodes plus edges:

- each connected component is laid out alone, then the components are packed in rows,
  largest first;
- a small component gets a classic force-directed layout (Fruchterman-Reingold, exact
  forces, numpy);
- a large one is laid out by its core: leaves (nodes with one neighbour) are set aside,
  the core is placed by pivot MDS (Brandes and Pich: breadth-first distances from a few
  dozen pivots, then the two main axes of the double-centred distance matrix), spread by a
  few rounds of edge springs plus repulsion from a density grid (each round linear), and
  the leaves are put on rings around their neighbour.

Everything is deterministic: the same graph gives the same picture.
"""
from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable

import networkx as nx
import numpy as np

EDGE_LENGTH = 150.0  # page units (pixels at zoom 1) between linked nodes
SMALL_COMPONENT = 300  # up to this many nodes, exact forces are cheap enough
PIVOTS = 40
_LEAF_RING = 0.5  # first leaf ring radius, in edge lengths
_LEAF_SPACING = 0.22  # distance between leaves on a ring, in edge lengths

Position = tuple[float, float]


def layout(graph: nx.Graph) -> dict[Hashable, Position]:
    """A position for every node of `graph` (directions and parallel edges are ignored).

    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2]
    True
    """
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    neighbours: list[set[int]] = [set() for _ in nodes]
    for u, v in graph.edges():
        i, j = index[u], index[v]
        if i != j:
            neighbours[i].add(j)
            neighbours[j].add(i)
    adjacency = [sorted(s) for s in neighbours]
    pieces = [_component(members, adjacency) for members in _components(adjacency)]
    positions = _pack(pieces, len(nodes))
    return {nodes[i]: (round(float(positions[i, 0]), 1), round(float(positions[i, 1]), 1))
            for i in range(len(nodes))}


def _components(adjacency: list[list[int]]) -> list[list[int]]:
    seen = [False] * len(adjacency)
    found = []
    for start in range(len(adjacency)):
        if seen[start]:
            continue
        seen[start] = True
        members, queue = [start], deque([start])
        while queue:
            for j in adjacency[queue.popleft()]:
                if not seen[j]:
                    seen[j] = True
                    members.append(j)
                    queue.append(j)
        found.append(members)
    return found


def _component(members: list[int], adjacency: list[list[int]]) -> tuple[list[int], np.ndarray]:
    """Positions of one component (in edge lengths, centred on 0)."""
    n = len(members)
    if n == 1:
        return members, np.zeros((1, 2))
    local = {g: i for i, g in enumerate(members)}
    edges = np.array([(local[g], local[h]) for g in members for h in adjacency[g] if local[h] > local[g]],
                     dtype=np.int64).reshape(-1, 2)
    if n <= SMALL_COMPONENT:
        pos = _force_exact(n, edges)
    else:
        local_adjacency = [[local[h] for h in adjacency[g]] for g in members]
        pos = _large(local_adjacency, edges)
    return members, pos - pos.mean(axis=0)


def _circle(n: int) -> np.ndarray:
    angles = np.arange(n) * (2 * math.pi / n)
    return np.column_stack([np.cos(angles), np.sin(angles)]) * max(0.5, n / (2 * math.pi))


def _force_exact(n: int, edges: np.ndarray, iterations: int = 150) -> np.ndarray:
    """Fruchterman-Reingold with exact pairwise repulsion; ideal edge length 1."""
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    rng = np.random.default_rng(7)
    pos = _circle(n) + rng.normal(scale=0.05, size=(n, 2))
    temperature = max(1.0, math.sqrt(n) / 2)
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist2 = np.maximum((delta ** 2).sum(axis=-1), 1e-4)
        move = (delta / dist2[:, :, None]).sum(axis=1)  # repulsion k^2/d along the unit vector
        if len(edges):
            d = pos[edges[:, 1]] - pos[edges[:, 0]]
            length = np.sqrt((d ** 2).sum(axis=1))[:, None]
            pull = d * length  # attraction d^2/k along the unit vector
            np.add.at(move, edges[:, 0], pull)
            np.add.at(move, edges[:, 1], -pull)
        move -= pos * 0.02  # a little gravity keeps loose parts near
        step = np.sqrt((move ** 2).sum(axis=1))[:, None]
        pos += move / np.maximum(step, 1e-9) * np.minimum(step, temperature)
        temperature -= cooling
    return pos


def _bfs(start: int, adjacency: list[list[int]], allowed: np.ndarray) -> np.ndarray:
    dist = np.full(len(adjacency), -1, dtype=np.int64)
    dist[start] = 0
    frontier = [start]
    d = 0
    while frontier:
        d += 1
        nxt = []
        for i in frontier:
            for j in adjacency[i]:
                if allowed[j] and dist[j] < 0:
                    dist[j] = d
                    nxt.append(j)
        frontier = nxt
    return dist


def _large(adjacency: list[list[int]], edges: np.ndarray) -> np.ndarray:
    n = len(adjacency)
    degree = np.array([len(a) for a in adjacency])
    # Leaves hang off the core and are placed last; a leaf pair (two degree-1 nodes) cannot
    # occur in a component this large.
    leaf = degree == 1
    core = ~leaf
    core_ids = np.flatnonzero(core)
    pos = np.zeros((n, 2))
    pos[core_ids] = _pivot_mds(adjacency, core, core_ids)
    core_edges = edges[core[edges[:, 0]] & core[edges[:, 1]]]
    pos[core_ids] = _spread(pos[core_ids], _reindex(core_edges, core_ids, n))
    _place_leaves(pos, adjacency, leaf)
    return pos


def _reindex(edges: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    where = np.full(n, -1, dtype=np.int64)
    where[ids] = np.arange(len(ids))
    return where[edges]


def _pivot_mds(adjacency: list[list[int]], allowed: np.ndarray, ids: np.ndarray) -> np.ndarray:
    k = min(PIVOTS, len(ids))
    pivots = [int(ids[np.argmax([len(adjacency[i]) for i in ids])])]
    columns = []
    nearest = None
    for _ in range(k):
        dist = _bfs(pivots[-1], adjacency, allowed)[ids].astype(float)
        columns.append(dist)
        nearest = dist if nearest is None else np.minimum(nearest, dist)
        if len(pivots) < k:
            pivots.append(int(ids[int(np.argmax(nearest))]))  # farthest from every pivot so far
    d2 = np.column_stack(columns) ** 2
    c = -0.5 * (d2 - d2.mean(axis=0) - d2.mean(axis=1)[:, None] + d2.mean())
    # the two main axes of C, from the small k x k matrix C^T C
    values, vectors = np.linalg.eigh(c.T @ c)
    order = np.argsort(values)[::-1][:2]
    pos = c @ vectors[:, order]
    if pos.shape[1] < 2:
        pos = np.column_stack([pos, np.zeros(len(ids))])
    # scale so linked nodes sit about one edge length apart; nudge twins apart deterministically
    pos /= max(np.sqrt((pos ** 2).sum(axis=1)).max(), 1e-9)
    pos *= math.sqrt(len(ids))
    golden = np.arange(len(ids)) * 2.399963
    pos += 0.05 * np.column_stack([np.cos(golden), np.sin(golden)])
    return pos


def _spread(pos: np.ndarray, edges: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Edge springs (rest length 1) plus repulsion down the gradient of a node-density grid."""
    n = len(pos)
    pos = pos.copy()
    temperature = 1.0
    for it in range(iterations):
        move = np.zeros_like(pos)
        if len(edges):
            d = pos[edges[:, 1]] - pos[edges[:, 0]]
            length = np.maximum(np.sqrt((d ** 2).sum(axis=1)), 1e-9)
            pull = d * ((length - 1.0) / length * 0.5)[:, None]
            np.add.at(move, edges[:, 0], pull)
            np.add.at(move, edges[:, 1], -pull)
        # density grid with cells of one edge length; push nodes toward emptier cells
        low = pos.min(axis=0) - 2
        cell = np.floor(pos - low).astype(np.int64)
        shape = cell.max(axis=0) + 3
        density = np.zeros(shape)
        np.add.at(density, (cell[:, 0], cell[:, 1]), 1.0)
        smooth = density.copy()
        smooth[1:, :] += density[:-1, :]
        smooth[:-1, :] += density[1:, :]
        smooth[:, 1:] += density[:, :-1]
        smooth[:, :-1] += density[:, 1:]
        x, y = cell[:, 0], cell[:, 1]
        gradient = np.column_stack([smooth[x + 1, y] - smooth[x - 1, y], smooth[x, y + 1] - smooth[x, y - 1]])
        move -= 0.25 * gradient
        # nodes sharing a cell push away from the cell's centre of mass
        key = x * shape[1] + y
        count = np.bincount(key, minlength=int(shape[0] * shape[1]))
        sums = np.zeros((len(count), 2))
        np.add.at(sums, key, pos)
        centre = sums[key] / count[key][:, None]
        offset = pos - centre
        move += offset * (0.5 * (count[key] - 1))[:, None] / np.maximum((offset ** 2).sum(axis=1), 0.01)[:, None] * 0.1
        step = np.sqrt((move ** 2).sum(axis=1))[:, None]
        pos += move / np.maximum(step, 1e-9) * np.minimum(step, temperature)
        temperature = max(0.05, temperature * 0.95)
    return pos


def _place_leaves(pos: np.ndarray, adjacency: list[list[int]], leaf: np.ndarray) -> None:
    by_parent: dict[int, list[int]] = {}
    for i in np.flatnonzero(leaf):
        by_parent.setdefault(adjacency[i][0], []).append(int(i))
    for parent, leaves in by_parent.items():
        ring, radius, placed = 0, _LEAF_RING, 0
        while placed < len(leaves):
            capacity = max(6, int(2 * math.pi * radius / _LEAF_SPACING))
            batch = leaves[placed:placed + capacity]
            angles = (np.arange(len(batch)) + 0.5 * (ring % 2)) * (2 * math.pi / len(batch))
            pos[batch] = pos[parent] + radius * np.column_stack([np.cos(angles), np.sin(angles)])
            placed += len(batch)
            ring += 1
            radius += _LEAF_SPACING * 1.5


def _pack(pieces: list[tuple[list[int], np.ndarray]], n: int) -> np.ndarray:
    """Place components in rows of about equal width, largest first, each row centred; page units."""
    out = np.zeros((n, 2))
    boxes = []
    for members, pos in pieces:
        low, high = pos.min(axis=0) - 0.6, pos.max(axis=0) + 0.6
        boxes.append((members, pos - low, high - low))
    boxes.sort(key=lambda b: (-len(b[0]), -float(b[2][0] * b[2][1])))
    width = max(float(boxes[0][2][0]), 1.15 * math.sqrt(sum(float(size[0] * size[1]) for *_, size in boxes)))
    rows: list[list] = [[]]
    used = 0.0
    for box in boxes:
        if rows[-1] and used + box[2][0] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(box)
        used += float(box[2][0])
    y = 0.0
    for row in rows:
        row_width = sum(float(size[0]) for *_, size in row)
        row_height = max(float(size[1]) for *_, size in row)
        x = (width - row_width) / 2
        for members, pos, size in row:
            out[members] = pos + (x, y + (row_height - float(size[1])) / 2)  # centred in its row
            x += float(size[0])
        y += row_height
    out -= (out.min(axis=0) + out.max(axis=0)) / 2
    return out * EDGE_LENGTH
