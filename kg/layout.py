"""Node positions for the graph page, computed before the page opens so the browser runs no physics.

vis-network's physics takes tens of seconds to settle at a few hundred nodes, and
networkx's spring layout is quadratic; this layout stays near-linear in nodes plus edges:

- each connected component is laid out alone, then the components are packed in rows,
  largest first;
- a small component gets a classic force-directed layout (Fruchterman-Reingold, exact
  forces, numpy);
- a large one is laid out by its core: leaves (nodes with one neighbour) are set aside,
  the core is placed by pivot MDS (Brandes and Pich: breadth-first distances from a few
  dozen pivots, then the two main axes of the double-centred distance matrix) and spread
  evenly over a disc keeping each node's direction and rank by distance from the centre;
  the leaves go on rings around their neighbour; then a few rounds of Fruchterman-Reingold
  with repulsion cut off at two edge lengths (found through a grid, so each round is
  linear) untangle what is near.

Everything is deterministic: the same graph gives the same picture.
"""
from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Hashable

import networkx as nx
import numpy as np

EDGE_LENGTH = 150.0  # page units (pixels at zoom 1) between linked nodes
SMALL_COMPONENT = 300  # up to this many nodes, exact forces are cheap enough
PIVOTS = 40
_LEAF_RING = 0.6  # first leaf ring radius, in edge lengths
_LEAF_SPACING = 0.35  # distance between leaves on a ring, in edge lengths
_AREA_PER_NODE = 1.2  # room each node of a large component gets, in square edge lengths

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
    pieces = []
    small: dict[int, list[tuple[list[int], np.ndarray]]] = defaultdict(list)
    for members in _components(adjacency):
        if 2 < len(members) <= SMALL_COMPONENT:
            small[len(members)].append((members, _local_edges(members, adjacency)))
        else:
            pieces.append(_component(members, adjacency))
    # small components of one size are laid out together, as one batch of arrays
    for n, batch in small.items():
        for start in range(0, len(batch), max(1, 200_000 // (n * n))):
            chunk = batch[start:start + max(1, 200_000 // (n * n))]
            laid = _force_exact(n, [edges for _, edges in chunk])
            pieces.extend((members, pos - pos.mean(axis=0)) for (members, _), pos in zip(chunk, laid))
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


def _local_edges(members: list[int], adjacency: list[list[int]]) -> np.ndarray:
    local = {g: i for i, g in enumerate(members)}
    return np.array([(local[g], local[h]) for g in members for h in adjacency[g] if local[h] > local[g]],
                    dtype=np.int64).reshape(-1, 2)


def _component(members: list[int], adjacency: list[list[int]]) -> tuple[list[int], np.ndarray]:
    """Positions of one single node, linked pair or large component (in edge lengths, centred on 0)."""
    n = len(members)
    if n == 1:
        return members, np.zeros((1, 2))
    if n == 2:
        return members, np.array([[-0.5, 0.0], [0.5, 0.0]])
    local = {g: i for i, g in enumerate(members)}
    local_adjacency = [[local[h] for h in adjacency[g]] for g in members]
    pos = _large(local_adjacency, _local_edges(members, adjacency))
    return members, pos - pos.mean(axis=0)


def _circle(n: int) -> np.ndarray:
    angles = np.arange(n) * (2 * math.pi / n)
    return np.column_stack([np.cos(angles), np.sin(angles)]) * max(0.5, n / (2 * math.pi))


def _force_exact(n: int, batch: list[np.ndarray], iterations: int = 150) -> np.ndarray:
    """Fruchterman-Reingold with exact pairwise repulsion (ideal edge length 1) for a batch of
    components of `n` nodes each, given their edge lists; returns positions shaped (batch, n, 2)."""
    b = len(batch)
    rng = np.random.default_rng(7)
    pos = _circle(n)[None, :, :] + rng.normal(scale=0.05, size=(b, n, 2))
    edges = np.concatenate([e + k * n for k, e in enumerate(batch)]) if b else np.zeros((0, 2), np.int64)
    temperature = max(1.0, math.sqrt(n) / 2)
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, :, None, :] - pos[:, None, :, :]
        dist2 = np.maximum((delta ** 2).sum(axis=-1), 1e-4)
        move = (delta / dist2[..., None]).sum(axis=2)  # repulsion k^2/d along the unit vector
        if len(edges):
            flat = pos.reshape(-1, 2)
            d = flat[edges[:, 1]] - flat[edges[:, 0]]
            pull = d * np.sqrt((d ** 2).sum(axis=1))[:, None]  # attraction d^2/k along the unit vector
            flat_move = move.reshape(-1, 2)
            for axis in (0, 1):
                flat_move[:, axis] += np.bincount(edges[:, 0], weights=pull[:, axis], minlength=b * n)
                flat_move[:, axis] -= np.bincount(edges[:, 1], weights=pull[:, axis], minlength=b * n)
        move -= pos * 0.02  # a little gravity keeps loose parts near
        step = np.sqrt((move ** 2).sum(axis=-1))[..., None]
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
    # Leaves hang off the core: the core is placed first, then each leaf near its neighbour.
    # (A leaf pair, two degree-1 nodes, cannot occur in a component this large.)
    leaf = degree == 1
    core_ids = np.flatnonzero(~leaf)
    pos = np.zeros((n, 2))
    pos[core_ids] = _equal_area(_pivot_mds(adjacency, ~leaf, core_ids), area=n * _AREA_PER_NODE)
    _place_leaves(pos, adjacency, leaf)
    return _local_forces(pos, edges)


def _equal_area(pos: np.ndarray, *, area: float) -> np.ndarray:
    """Keep each point's direction from the centre and its rank by distance, but spread the
    points evenly over a disc of the given area (MDS piles small-world graphs up in the middle)."""
    centre = np.median(pos, axis=0)
    offset = pos - centre
    r = np.sqrt((offset ** 2).sum(axis=1))
    rank = np.empty(len(r))
    rank[np.argsort(r, kind="stable")] = np.arange(len(r))
    radius = math.sqrt(area / math.pi) * np.sqrt((rank + 0.5) / len(r))
    unit = offset / np.maximum(r, 1e-9)[:, None]
    return unit * radius[:, None]


def _local_forces(pos: np.ndarray, edges: np.ndarray, iterations: int = 40) -> np.ndarray:
    """Fruchterman-Reingold where repulsion acts only within two edge lengths (the grid
    variant of the original paper): each round is linear in nodes plus edges."""
    n = len(pos)
    pos = pos.copy()
    temperature = 0.5
    for _ in range(iterations):
        move = np.zeros_like(pos)
        cell = np.floor(pos / 2.0).astype(np.int64)
        cell -= cell.min(axis=0) - 1
        height = int(cell[:, 1].max()) + 2
        key = cell[:, 0] * height + cell[:, 1]
        counts = np.bincount(key, minlength=int(key.max()) + height + 2)
        starts = np.cumsum(counts) - counts
        order = np.argsort(key, kind="stable")
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                near = key + dx * height + dy
                c = counts[near]
                if not c.any():
                    continue
                i = np.repeat(np.arange(n), c)
                first = np.repeat(starts[near], c)
                within = np.arange(len(i)) - np.repeat(np.cumsum(c) - c, c)
                j = order[first + within]
                keep = i != j
                i, j = i[keep], j[keep]
                delta = pos[i] - pos[j]
                d2 = np.maximum((delta ** 2).sum(axis=1), 1e-4)
                push = np.where(d2 < 4.0, 1.0 / d2, 0.0)  # k^2/d along the unit vector, k = 1
                move[:, 0] += np.bincount(i, weights=delta[:, 0] * push, minlength=n)
                move[:, 1] += np.bincount(i, weights=delta[:, 1] * push, minlength=n)
        if len(edges):
            d = pos[edges[:, 1]] - pos[edges[:, 0]]
            length = np.sqrt((d ** 2).sum(axis=1))
            pull = d * length[:, None]  # d^2/k along the unit vector
            for axis in (0, 1):
                move[:, axis] += np.bincount(edges[:, 0], weights=pull[:, axis], minlength=n)
                move[:, axis] -= np.bincount(edges[:, 1], weights=pull[:, axis], minlength=n)
        step = np.sqrt((move ** 2).sum(axis=1))[:, None]
        pos += move / np.maximum(step, 1e-9) * np.minimum(step, temperature)
        temperature = max(0.02, temperature * 0.93)
    return pos


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
    """Place components in rows of about equal width, largest first and alone in the first row,
    each row centred; in page units."""
    out = np.zeros((n, 2))
    boxes = []
    for members, pos in pieces:
        low, high = pos.min(axis=0) - 0.6, pos.max(axis=0) + 0.6
        boxes.append((members, pos - low, high - low))
    boxes.sort(key=lambda b: (-len(b[0]), -float(b[2][0] * b[2][1])))
    width = max(float(boxes[0][2][0]), 1.15 * math.sqrt(sum(float(size[0] * size[1]) for *_, size in boxes)))
    rows: list[list] = [[]]
    used = 0.0
    for index, box in enumerate(boxes):
        if rows[-1] and (index == 1 or used + box[2][0] > width):  # the largest has a row of its own
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
