"""Drawing a district's social network for the workshop app.

Residents are drawn as houses in their street's block (blocks on a grid): a slot is a dwelling,
so positions never move and a newcomer appears where the leaver lived. Large districts show the
first streets up to ``max_nodes`` residents ("a focus on a few streets") so the page never freezes.
Ties are drawn with opacity by strength; brokered ties in orange, ties formed since the previous
frame in green, ties lost since then in red.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from abm.core.agents import NetworkDeveloper  # noqa: E402


@dataclass
class Layout:
    nodes: np.ndarray  # slot ids shown
    pos: np.ndarray  # (len(nodes), 2)
    streets_shown: int
    streets_total: int

    def index(self) -> dict[int, int]:
        return {int(n): k for k, n in enumerate(self.nodes)}


def street_layout(model, district: int = 0, max_nodes: int = 1000) -> Layout:
    """Houses along streets; the first streets of the district up to ``max_nodes`` residents."""
    pop = model.pop
    lo, size = pop.district_start[district], pop.district_sizes[district]
    slots = np.arange(lo, lo + size)
    streets = pop.street[slots]
    unique = np.unique(streets)
    counts = np.array([(streets == s).sum() for s in unique])
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


def visible_ties(model, layout: Layout) -> dict[tuple[int, int], tuple[float, bool]]:
    """Ties among shown residents: (a, b) -> (strength, brokered)."""
    ties = model.ties
    shown = set(layout.nodes.tolist())
    out = {}
    for a in layout.nodes.tolist():
        row = ties.neighbours(a).tolist()
        for b, eid in zip(row, ties.nbr_eid[a, : len(row)].tolist()):
            if a < b and b in shown:
                out[(a, b)] = (float(ties.strength[eid]), bool(ties.brokered[eid]))
    return out


def draw_network(model, layout: Layout, colour_by: str = "loneliness", previous: set | None = None,
                 labels: dict[str, str] | None = None, figsize=(7.5, 6.0)) -> tuple[Figure, set]:
    """The network figure and the set of drawn ties (pass it back as ``previous`` next frame)."""
    labels = labels or {}
    idx = layout.index()
    current = visible_ties(model, layout)
    fig, ax = plt.subplots(figsize=figsize)
    pos = layout.pos

    def segments(pairs):
        return [(pos[idx[a]], pos[idx[b]]) for a, b in pairs]

    plain = [(p, s) for p, (s, brokered) in current.items() if not brokered]
    if plain:
        lc = LineCollection(segments([p for p, _ in plain]), colors=[(0.3, 0.3, 0.5, 0.15 + 0.6 * s) for _, s in plain],
                            linewidths=0.6, zorder=1)
        ax.add_collection(lc)
    brokered = [p for p, (_, b) in current.items() if b]
    if brokered:
        ax.add_collection(LineCollection(segments(brokered), colors="darkorange", linewidths=1.4, zorder=2,
                                         label=labels.get("brokered", "brokered tie")))
    if previous is not None:
        new = [p for p in current if p not in previous]
        lost = [p for p in previous if p not in current and p[0] in idx and p[1] in idx]
        if new:
            ax.add_collection(LineCollection(segments(new), colors="green", linewidths=1.8, zorder=3,
                                             label=labels.get("new", "new tie")))
        if lost:
            ax.add_collection(LineCollection(segments(lost), colors="red", linewidths=1.2, linestyles="dashed",
                                             zorder=3, label=labels.get("lost", "lost tie")))
    pop, needs = model.pop, model.needs
    nodes = layout.nodes
    if colour_by == "need":
        value = np.where(needs.crisis[nodes], 4, needs.sev[:, nodes].max(axis=0))
        sc = ax.scatter(pos[:, 0], pos[:, 1], c=value, cmap="OrRd", vmin=0, vmax=4, s=22, zorder=4,
                        edgecolors="none")
        fig.colorbar(sc, ax=ax, shrink=0.6, label=labels.get("need", "need severity (4 = crisis)"))
    else:
        sc = ax.scatter(pos[:, 0], pos[:, 1], c=pop.loneliness[nodes], cmap="RdYlGn_r", vmin=0, vmax=11, s=22,
                        zorder=4, edgecolors="none")
        fig.colorbar(sc, ax=ax, shrink=0.6, label=labels.get("loneliness", "loneliness (0-11)"))
    vol = model.volunteers.active[nodes]
    if vol.any():
        ax.scatter(pos[vol, 0], pos[vol, 1], s=60, facecolors="none", edgecolors="black", linewidths=1.0, zorder=5,
                   label=labels.get("volunteer", "volunteer"))
    followed = set()
    for dev in model.agents_by_type.get(NetworkDeveloper, []):
        for eid in dev.follow_up:
            followed.update((int(model.ties.u[eid]), int(model.ties.v[eid])))
    shown_followed = [idx[n] for n in followed if n in idx]
    if shown_followed:
        centre = pos[shown_followed].mean(axis=0)
        ax.scatter([centre[0]], [centre[1]], marker="*", s=320, c="royalblue", edgecolors="white", zorder=6,
                   label=labels.get("developer", "network developer"))
    ax.set_axis_off()
    ax.autoscale()
    title = labels.get("title", "")
    if layout.streets_shown < layout.streets_total:
        title += f" ({layout.streets_shown}/{layout.streets_total} " + labels.get("streets", "streets") + ")"
    ax.set_title(title, fontsize=10)
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc="lower left", fontsize=7, framealpha=0.8)
    fig.tight_layout()
    return fig, set(current)


def close(fig: Figure) -> None:
    plt.close(fig)
