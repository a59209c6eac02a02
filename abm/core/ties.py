"""Social ties: a networkx ``Graph`` (topology) kept in step with per-tie numpy arrays (state).

The graph is what other code walks (hot loops read its adjacency dict ``graph._adj``, networkx's
own storage, to skip view objects; every change goes through its API). Each edge carries only
``eid``, the index of its row in the tie arrays. Strength, kind and bookkeeping live in those
arrays so that weekly contact, decay and support flows are vectorised over all ties at once
(docs/spec/MODEL.md §2: ties have a strength and a kind). ``snapshot()`` gives a copy of the graph with
every attribute filled in, for analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from abm.config import TIE_KINDS

TIE_KIND = {name: code for code, name in enumerate(TIE_KINDS)}


@dataclass
class TieView:
    """The live ties at one moment, as aligned arrays (computed once per step, read by many)."""

    ids: np.ndarray
    u: np.ndarray
    v: np.ndarray
    strength: np.ndarray
    kind: np.ndarray
    n: int

    def node_sum(self, weights, of: np.ndarray | None = None) -> np.ndarray:
        """Per resident: sum over their ties of ``weights`` (times ``of`` at the other end, if given)."""
        weights = np.asarray(weights, dtype=float)
        if of is None:
            wu = wv = weights
        else:
            wu, wv = weights * of[self.v], weights * of[self.u]
        return np.bincount(self.u, weights=wu, minlength=self.n) + np.bincount(self.v, weights=wv, minlength=self.n)


class Ties:
    """All ties between residents of the municipality."""

    def __init__(self, n_nodes: int, capacity: int | None = None):
        self.graph = nx.Graph()
        self.graph.add_nodes_from(range(n_nodes))
        cap = max(16, capacity or n_nodes * 8)
        self.u = np.zeros(cap, dtype=np.int64)
        self.v = np.zeros(cap, dtype=np.int64)
        self.strength = np.zeros(cap, dtype=np.float64)
        self.kind = np.zeros(cap, dtype=np.int8)
        self.brokered = np.zeros(cap, dtype=bool)
        self.alive = np.zeros(cap, dtype=bool)
        self.facilitated = np.zeros(cap, dtype=bool)
        # weekly contact probability of the tie apart from its strength and the ends' loneliness;
        # fixed for the tie's life (its ends, kind and district do not change), NaN until computed
        self.base_contact = np.full(cap, np.nan)
        self.degree = np.zeros(n_nodes, dtype=np.int64)
        self._free: list[int] = []
        self._used = 0

    # ------------------------------------------------------------------ bookkeeping
    def _grow(self) -> None:
        new = len(self.u) * 2
        for name in ("u", "v", "strength", "kind", "brokered", "alive", "facilitated", "base_contact"):
            old = getattr(self, name)
            arr = np.zeros(new, dtype=old.dtype)
            arr[: len(old)] = old
            setattr(self, name, arr)

    def add(self, a: int, b: int, kind: int, strength: float, brokered: bool = False) -> int:
        """Add a tie; return its id, or -1 if a == b or the tie exists."""
        if a == b or b in self.graph._adj[a]:
            return -1
        if self._free:
            eid = self._free.pop()
        else:
            if self._used == len(self.u):
                self._grow()
            eid = self._used
            self._used += 1
        self.u[eid], self.v[eid] = a, b
        self.strength[eid] = strength
        self.kind[eid] = kind
        self.brokered[eid] = brokered
        self.facilitated[eid] = False
        self.base_contact[eid] = np.nan
        self.alive[eid] = True
        self.graph.add_edge(a, b, eid=eid)
        self.degree[a] += 1
        self.degree[b] += 1
        return eid

    def remove(self, eid: int) -> None:
        a, b = int(self.u[eid]), int(self.v[eid])
        self.graph.remove_edge(a, b)
        self.alive[eid] = False
        self.facilitated[eid] = False
        self.degree[a] -= 1
        self.degree[b] -= 1
        self._free.append(eid)

    def remove_all_of(self, node: int) -> None:
        """Drop every tie of ``node`` (a resident who moves out or dies)."""
        for data in list(self.graph._adj[node].values()):
            self.remove(data["eid"])

    def eid(self, a: int, b: int) -> int:
        data = self.graph._adj[a].get(b)
        return -1 if data is None else data["eid"]

    def live(self) -> np.ndarray:
        """Ids of all live ties (ascending)."""
        return np.flatnonzero(self.alive[: self._used])

    def view(self) -> TieView:
        ids = self.live()
        return TieView(ids, self.u[ids], self.v[ids], self.strength[ids], self.kind[ids], len(self.degree))

    @property
    def count(self) -> int:
        return self._used - len(self._free)

    # ------------------------------------------------------------------ dynamics
    def contact_and_decay(
        self,
        ids: np.ndarray,
        s: np.ndarray,
        contact_prob: np.ndarray,
        draws: np.ndarray,
        reinforcement: float,
        decay: np.ndarray,
        removal_threshold: float,
    ) -> int:
        """One week of contact: contacted ties strengthen, the rest weaken; too-weak ties go.

        Rarely renewed ties decay and disappear (Jin, Girvan & Newman 2001). Returns how many
        ties were removed.
        """
        met = draws < contact_prob
        s = np.where(met, s + reinforcement * (1.0 - s), s * (1.0 - decay))
        self.strength[ids] = s
        gone = ids[s < removal_threshold]
        for eid in gone.tolist():
            self.remove(eid)
        return len(gone)

    def reinforce(self, eids: np.ndarray, reinforcement: float) -> None:
        s = self.strength[eids]
        self.strength[eids] = s + reinforcement * (1.0 - s)

    # ------------------------------------------------------------------ views
    def snapshot(self, nodes=None) -> nx.Graph:
        """A copy of the graph (or of the subgraph on ``nodes``) with strength and kind on each edge."""
        g = self.graph if nodes is None else self.graph.subgraph(nodes)
        out = nx.Graph()
        out.add_nodes_from(g.nodes)
        for a, b, eid in g.edges(data="eid"):
            out.add_edge(
                a, b,
                strength=float(self.strength[eid]),
                kind=TIE_KINDS[self.kind[eid]],
                brokered=bool(self.brokered[eid]),
            )
        return out
