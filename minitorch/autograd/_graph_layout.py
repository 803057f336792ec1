"""A layered (Sugiyama-style) layout for drawing a DAG without graphviz: longest-path
layering, dummy nodes on edges that skip layers, barycenter ordering to reduce crossings,
then x positions pulled toward neighbours while keeping each layer's order and spacing."""

from __future__ import annotations


def layers_by_longest_path(n: int, edges: list) -> list:
    """Layer of each node: sinks in layer 0, every other node one above its highest
    successor (edges point from a layer to a lower one)."""
    succ = [[] for _ in range(n)]
    indeg = [0] * n  # counted on the reversed graph: number of successors not yet placed
    for u, v in edges:
        succ[u].append(v)
        indeg[u] += 1
    pred = [[] for _ in range(n)]
    for u, v in edges:
        pred[v].append(u)
    layer = [0] * n
    ready = [v for v in range(n) if indeg[v] == 0]
    while ready:
        v = ready.pop()
        for u in pred[v]:
            layer[u] = max(layer[u], layer[v] + 1)
            indeg[u] -= 1
            if indeg[u] == 0:
                ready.append(u)
    return layer


def layout(widths: list, edges: list, sweeps: int = 8, gap: float = 0.3) -> tuple:
    """Positions for nodes of the given ``widths``: returns (x, layer) per real node and, per
    edge, the x of the dummy nodes it passes through (one per skipped layer, top down)."""
    n = len(widths)
    layer = layers_by_longest_path(n, edges)
    # split long edges with dummy nodes (width 0) so that every edge spans one layer
    widths = list(widths)
    layer = list(layer)
    chains = []
    short = []
    for u, v in edges:
        chain = [u]
        for lay in range(layer[u] - 1, layer[v], -1):
            widths.append(0.0)
            layer.append(lay)
            chain.append(len(widths) - 1)
        chain.append(v)
        chains.append(chain)
        short += list(zip(chain, chain[1:]))
    total = len(widths)
    up = [[] for _ in range(total)]  # neighbours in the layer above
    down = [[] for _ in range(total)]
    for a, b in short:
        down[a].append(b)
        up[b].append(a)
    rows = [[] for _ in range(max(layer) + 1)] if total else []
    for v in range(total):
        rows[layer[v]].append(v)
    rows = rows[::-1]  # top layer first
    order = _order(rows, up, down, sweeps)
    x = _place(order, widths, up, down, gap)
    routes = [[x[d] for d in chain[1:-1]] for chain in chains]
    return [(x[v], layer[v]) for v in range(n)], routes


def _order(rows: list, up: list, down: list, sweeps: int) -> list:
    """Barycenter heuristic: alternately sort each layer by the mean position of its
    neighbours in the layer above (downward sweep) or below (upward sweep); keeps the best."""
    pos = {}
    for row in rows:
        for i, v in enumerate(row):
            pos[v] = i
    best, best_cross = [list(r) for r in rows], _crossings(rows, down, pos)
    for s in range(sweeps):
        downward = s % 2 == 0
        seq = range(1, len(rows)) if downward else range(len(rows) - 2, -1, -1)
        for i in seq:
            nbrs = up if downward else down
            row = rows[i]
            keys = {}
            for v in row:
                ps = [pos[w] for w in nbrs[v]]
                keys[v] = sum(ps) / len(ps) if ps else pos[v]
            row.sort(key=lambda v: keys[v])
            for j, v in enumerate(row):
                pos[v] = j
        cross = _crossings(rows, down, pos)
        if cross < best_cross:
            best, best_cross = [list(r) for r in rows], cross
    return best


def _crossings(rows: list, down: list, pos: dict) -> int:
    count = 0
    for row in rows[:-1]:
        pairs = sorted((pos[a], pos[b]) for a in row for b in down[a])
        for i, (_, b1) in enumerate(pairs):
            for _, b2 in pairs[i + 1 :]:
                if b2 < b1:
                    count += 1
    return count


def _place(order: list, widths: list, up: list, down: list, gap: float) -> dict:
    """x centres: packed left to right, then pulled toward the neighbours' mean x a few
    times, each layer keeping its order and at least ``gap`` between boxes."""
    x = {}
    for row in order:
        cur = 0.0
        for v in row:
            x[v] = cur + widths[v] / 2
            cur += widths[v] + gap
        shift = cur / 2
        for v in row:
            x[v] -= shift
    for it in range(6):
        rows = order if it % 2 == 0 else order[::-1]
        for row in rows:
            want = []
            for v in row:
                nb = up[v] + down[v]
                want.append(sum(x[w] for w in nb) / len(nb) if nb else x[v])
            # keep order and spacing: push right from the left, then left from the right
            for j, v in enumerate(row):
                lo = -float("inf") if j == 0 else x[row[j - 1]] + _sep(widths, row[j - 1], v, gap)
                x[v] = max(want[j], lo)
            for j in range(len(row) - 2, -1, -1):
                v, w = row[j], row[j + 1]
                x[v] = min(x[v], x[w] - _sep(widths, v, w, gap))
    return x


def _sep(widths: list, a: int, b: int, gap: float) -> float:
    return (widths[a] + widths[b]) / 2 + (gap if widths[a] and widths[b] else gap * 0.6)
