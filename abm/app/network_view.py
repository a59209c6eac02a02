"""The district's social network as the room sees it: residents as houses in street blocks.

A slot is a dwelling, so positions never move and a newcomer appears where the leaver lived. Large
districts show the first streets up to ``max_nodes`` residents ("a focus on a few streets"). Ties
are drawn with opacity by strength; brokered ties in orange; ties formed since the previous frame in
green, ties lost since then in red (dashed).

``capture`` takes a frame from a model (in the process that runs it) and compares its ties with
the previous frame's; ``figure`` draws a frame (plotly). Drawing never changes state, so a page that renders
a frame twice shows the same new and lost ties twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from abm.config.units import WEEKS_PER_YEAR

Pair = tuple[int, int]


@dataclass
class Layout:
    nodes: np.ndarray  # slot ids shown
    pos: np.ndarray  # (len(nodes), 2)
    streets_shown: int
    streets_total: int


@dataclass
class Frame:
    """What the network view shows at one moment (picklable: it travels from the worker process)."""

    layout: Layout
    year: float
    loneliness: np.ndarray  # (nodes,) 0-11
    need: np.ndarray  # (nodes,) 0-4, 4 = crisis
    volunteer: np.ndarray  # (nodes,) bool
    developer: tuple[float, float] | None  # centre of the residents a developer follows up
    ties: dict[Pair, tuple[float, bool]] = field(default_factory=dict)  # (a, b) -> (strength, brokered)
    new: list[Pair] = field(default_factory=list)
    lost: list[Pair] = field(default_factory=list)


def street_layout(model, district: int = 0, max_nodes: int = 1000) -> Layout:
    """Houses along streets; the first streets of the district up to ``max_nodes`` residents."""
    pop = model.pop
    lo, size = pop.district_start[district], pop.district_sizes[district]
    slots = np.arange(lo, lo + size)
    streets = pop.street[slots]
    unique, counts = np.unique(streets, return_counts=True)
    keep = unique[np.cumsum(counts) <= max(max_nodes, counts[0])]
    nodes = slots[np.isin(streets, keep)]
    per_row = max(1, int(np.ceil(np.sqrt(len(keep)))))
    side = int(np.ceil(np.sqrt(counts.max())))
    pos = np.zeros((len(nodes), 2))
    for k, s in enumerate(keep):  # each street a block of houses, blocks on a grid
        members = np.flatnonzero(pop.street[nodes] == s)
        row, col = divmod(k, per_row)
        j = np.arange(len(members))
        pos[members] = np.column_stack([col * (side + 2) + j % side, -(row * (side + 2) + j // side)])
    return Layout(nodes, pos, len(keep), len(unique))


def capture(model, layout: Layout, district: str, previous: Frame | None = None) -> Frame:
    """The frame of ``model`` now; new and lost ties are those since ``previous``."""
    shown = set(layout.nodes.tolist())
    graph = model.network(district)
    ties = {(min(a, b), max(a, b)): (d["strength"], d["brokered"]) for a, b, d in graph.edges(data=True)
            if a in shown and b in shown}
    pop, needs, nodes = model.pop, model.needs, layout.nodes
    idx = {int(n): k for k, n in enumerate(nodes)}
    followed = {n for dev in model.developers() for eid in dev.follow_up
                for n in (int(model.ties.u[eid]), int(model.ties.v[eid])) if n in idx}
    centre = tuple(layout.pos[[idx[n] for n in followed]].mean(axis=0)) if followed else None
    frame = Frame(layout, (model.steps - model.config.warmup_steps) / WEEKS_PER_YEAR, pop.loneliness[nodes].copy(),
                  np.where(needs.crisis[nodes], 4, needs.sev[:, nodes].max(axis=0)).astype(float),
                  model.volunteers.active[nodes].copy(), centre, ties)
    if previous is not None:
        frame.new = [p for p in ties if p not in previous.ties]
        frame.lost = [p for p in previous.ties if p not in ties]
    return frame


def _segments(pos: np.ndarray, idx: dict[int, int], pairs) -> tuple[list, list]:
    """Line segments as one trace: x and y with a gap (None) between ties."""
    if not pairs:
        return [], []
    ends = np.array([(idx[a], idx[b]) for a, b in pairs])
    xs = np.column_stack([pos[ends[:, 0], 0], pos[ends[:, 1], 0], np.zeros(len(ends))]).round(2).tolist()
    ys = np.column_stack([pos[ends[:, 0], 1], pos[ends[:, 1], 1], np.zeros(len(ends))]).round(2).tolist()
    gap = lambda rows: [v for a, b, _ in rows for v in (a, b, None)]  # JSON has no NaN: None breaks the line
    return gap(xs), gap(ys)


def figure(frame: Frame, colour_by: str = "loneliness", labels: dict[str, str] | None = None,
           height: int = 460, font: int = 14, legend: bool = True) -> dict:
    """The frame as a plotly figure (a dict); trace names carry the tie counts ("nieuwe band (12)")."""
    labels = labels or {}
    pos = frame.layout.pos
    idx = {int(n): k for k, n in enumerate(frame.layout.nodes)}
    data = []
    plain = [(p, s) for p, (s, brokered) in frame.ties.items() if not brokered]
    for lo, hi, alpha in ((0.0, 0.3, 0.15), (0.3, 0.6, 0.35), (0.6, 10.0, 0.6)):  # opacity by strength
        xs, ys = _segments(pos, idx, [p for p, s in plain if lo <= s < hi])
        data.append(dict(type="scatter", mode="lines", x=xs, y=ys, hoverinfo="skip", showlegend=False,
                         line=dict(color=f"rgba(70,70,110,{alpha})", width=1)))
    styles = [  # Okabe-Ito colours: distinguishable with colour-blindness
        ([p for p, (_, b) in frame.ties.items() if b], "brokered", dict(color="#E69F00", width=2)),
        (frame.new, "new", dict(color="#009E73", width=3)),
        (frame.lost, "lost", dict(color="#D55E00", width=2, dash="dot")),
    ]
    for pairs, key, line in styles:
        xs, ys = _segments(pos, idx, pairs)
        data.append(dict(type="scatter", mode="lines", x=xs, y=ys, hoverinfo="skip", line=line,
                         name=f"{labels.get(key, key)} ({len(pairs)})", meta=key))
    value, scale, top = ((frame.need, "OrRd", 4) if colour_by == "need" else (frame.loneliness, "Viridis", 11))
    data.append(dict(type="scatter", mode="markers", x=pos[:, 0], y=pos[:, 1], hoverinfo="skip",
                     showlegend=False, marker=dict(size=7, color=np.asarray(value, dtype=float).round(2).tolist(), colorscale=scale,
                                                   reversescale=colour_by != "need", cmin=0, cmax=top,
                                                   colorbar=dict(title=dict(text=labels.get(colour_by, colour_by), side="right"),
                                                                 thickness=14, len=0.8))))
    vol = np.asarray(frame.volunteer, dtype=bool)
    data.append(dict(type="scatter", mode="markers", x=pos[vol, 0], y=pos[vol, 1], hoverinfo="skip",
                     name=labels.get("volunteer", "volunteer"),
                     marker=dict(size=12, color="rgba(0,0,0,0)", line=dict(color="black", width=1.5))))
    if frame.developer is not None:
        data.append(dict(type="scatter", mode="markers", x=[frame.developer[0]], y=[frame.developer[1]], hoverinfo="skip",
                         name=labels.get("developer", "network developer"),
                         marker=dict(size=22, symbol="star", color="#0072B2", line=dict(color="white", width=1))))
    layout = dict(height=height, margin=dict(l=0, r=0, t=0, b=0), font=dict(size=font), plot_bgcolor="white",
                  paper_bgcolor="white", xaxis=dict(visible=False, scaleanchor="y"), yaxis=dict(visible=False),
                  legend=dict(orientation="h", x=0, y=-0.02, yanchor="top"), hovermode=False, showlegend=legend)
    return {"data": data, "layout": layout}
