"""Social ties: per-tie numpy arrays (state) and a per-resident neighbour table (topology).

Strength, kind and bookkeeping of every tie live in arrays indexed by a tie id, so that weekly
contact, decay and support flows are vectorised over all ties at once (docs/spec/MODEL.md §2: ties have a
strength and a kind). Who is tied to whom is a padded table, one row per resident listing their
neighbours oldest tie first (compiled loops in ``abm.core.tie_kernels`` add and remove ties). This
store is the network of record; ``graph`` and ``snapshot()`` give exact networkx views of it
(``graph``: topology with each edge's tie id; ``snapshot``: a copy with strength, kind and
brokered filled in), equal to what a networkx graph updated tie by tie would hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from abm.config import TIE_KINDS
from abm.core import tie_kernels as kernels
from abm.core.tie_kernels import COUNTERS, FORMED, LOST, N_FREE, USED

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
    # what several sub-models read, computed once per view (a view is a snapshot: its ties do not
    # change): per threshold the mask, the count and the strength sums; handed out read-only
    _masks: dict = field(default_factory=dict, repr=False, compare=False)
    _counts: dict = field(default_factory=dict, repr=False, compare=False)
    _sums: dict = field(default_factory=dict, repr=False, compare=False)

    def node_sum(self, weights, of: np.ndarray | None = None) -> np.ndarray:
        """Per resident: sum over their ties of ``weights`` (times ``of`` at the other end, if given)."""
        if of is None and isinstance(weights, np.ndarray) and weights.dtype == bool:
            for threshold, mask in self._masks.items():
                if weights is mask:  # a mask of this view's (``at_least``): its count, once
                    return self.count_at_least(threshold)
        if not (isinstance(weights, np.ndarray) and weights.dtype == np.float64 and weights.shape == self.u.shape):
            weights = np.broadcast_to(np.asarray(weights, dtype=np.float64), self.u.shape)
        if of is None:
            return kernels.node_sum(self.u, self.v, weights, self.n)
        return kernels.node_sum_of(self.u, self.v, weights, np.asarray(of, dtype=np.float64), self.n)

    def strength_of(self, of: np.ndarray, at_least: float = 0.0) -> np.ndarray:
        """Per resident: sum over their ties of strength >= ``at_least`` of the strength times ``of`` (n,)
        (finite) at the other end (as ``node_sum`` of the strength, 0 below ``at_least``, ``of=of``)."""
        return kernels.strength_of(self.u, self.v, self.strength, at_least, np.asarray(of, dtype=np.float64), self.n)

    def linked(self, mask: np.ndarray, of: np.ndarray) -> np.ndarray:
        """Bool (n,): residents with a tie in ``mask`` (ties,) bool to someone with ``of`` (n,) bool (as
        ``node_sum(mask, of=of) > 0``)."""
        return kernels.linked(self.u, self.v, np.asarray(mask, dtype=bool), np.asarray(of, dtype=bool), self.n)

    def at_least(self, threshold: float) -> np.ndarray:
        """Bool (ties,): ties with strength at or above ``threshold`` (once per view, read-only)."""
        if threshold not in self._masks:
            self._masks[threshold] = _read_only(self.strength >= threshold)
        return self._masks[threshold]

    def count_at_least(self, threshold: float) -> np.ndarray:
        """Per resident: number of ties with strength at or above ``threshold`` (float, as ``node_sum``
        of ``at_least``; once per view, read-only)."""
        if threshold not in self._counts:
            self.strength_sums(threshold)
        return self._counts[threshold]

    def strength_sums(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Per resident, in one pass: strength of their ties at or above ``threshold``, and of all their
        ties (once per view, read-only)."""
        if threshold not in self._sums:
            close, local, count = kernels.strength_sums(self.u, self.v, self.strength, threshold, self.n)
            self._sums[threshold] = (_read_only(close), _read_only(local))
            self._counts[threshold] = _read_only(count)
        return self._sums[threshold]

    def total_strength(self) -> np.ndarray:
        """Per resident: the strength of all their ties (as ``node_sum(strength)``: the same additions
        in the same order; read-only)."""
        sums = next(iter(self._sums.values()), None)
        return self.strength_sums(1.0)[1] if sums is None else sums[1]


def _read_only(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _filled(values, dtype, shape) -> np.ndarray:
    """``values`` (a scalar, or an array broadcast to ``shape``) as a new array of ``dtype``."""
    if isinstance(values, int | float | np.number):
        out = np.empty(shape, dtype=dtype)
        out.fill(values)
        return out
    return np.broadcast_to(np.asarray(values, dtype=dtype), shape).copy()


class Ties:
    """All ties between residents of the municipality."""

    TIE_ARRAYS = ("u", "v", "strength", "kind", "brokered", "alive", "facilitated", "base_contact", "free")

    def __init__(self, n_nodes: int, capacity: int | None = None, width: int = 8):
        self.n = n_nodes
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
        self.free = np.zeros(cap, dtype=np.int64)  # stack of freed ids, reused last-freed first
        self.state = np.zeros(len(COUNTERS), dtype=np.int64)  # ties used, free ids, formed, lost
        # neighbour table: row i lists i's neighbours (oldest tie first) and the tie ids
        self.nbr = np.zeros((n_nodes, width), dtype=np.int32)
        self.nbr_eid = np.zeros((n_nodes, width), dtype=np.int32)
        self.degree = np.zeros(n_nodes, dtype=np.int64)
        # the networkx view, once asked for, is brought up to date on the next request from a log
        # of the pairs whose tie came or went since
        self._graph: nx.Graph | None = None
        self._touched: list[np.ndarray] = []
        # argument arrays of ``add`` (one tie at a time)
        self._one = {"a": np.zeros(1, dtype=np.int64), "b": np.zeros(1, dtype=np.int64),
                     "kind": np.zeros(1, dtype=np.int8), "strength": np.zeros(1)}

    # ------------------------------------------------------------------ bookkeeping
    @property
    def formed(self) -> int:
        return int(self.state[FORMED])

    @property
    def lost(self) -> int:
        return int(self.state[LOST])

    @property
    def count(self) -> int:
        return int(self.state[USED] - self.state[N_FREE])

    def _grow(self) -> None:
        """Double the tie arrays."""
        new = len(self.u) * 2
        for name in self.TIE_ARRAYS:
            old = getattr(self, name)
            arr = np.full(new, np.nan) if name == "base_contact" else np.zeros(new, dtype=old.dtype)
            arr[: len(old)] = old
            setattr(self, name, arr)

    def _widen(self) -> None:
        """Double the width of the neighbour table (someone has as many ties as it has columns)."""
        for name in ("nbr", "nbr_eid"):
            old = getattr(self, name)
            arr = np.zeros((old.shape[0], old.shape[1] * 2), dtype=old.dtype)
            arr[:, : old.shape[1]] = old
            setattr(self, name, arr)

    def _removal_args(self):
        return self.u, self.v, self.alive, self.facilitated, self.nbr, self.nbr_eid, self.degree, self.free, self.state

    # ------------------------------------------------------------------ changes
    def connect(self, a, b, kind, strength, brokered: bool = False) -> np.ndarray:
        """Tie each pair (a[k], b[k]) in turn where no tie exists; ``kind`` and ``strength`` are
        per pair or scalars. Returns per pair the new tie's id, ``-2 - id`` of the tie that
        already existed (also one made earlier in this batch), or -1 for a = b."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if not isinstance(kind, np.ndarray) or kind.dtype != np.int8 or kind.shape != a.shape:
            kind = _filled(kind, np.int8, a.shape)
        if not isinstance(strength, np.ndarray) or strength.dtype != np.float64 or strength.shape != a.shape:
            strength = _filled(strength, np.float64, a.shape)
        out = np.empty(len(a), dtype=np.int64)
        done = 0
        while True:
            done = kernels.connect(done, a, b, kind, strength, brokered, self.u, self.v, self.strength,
                                   self.kind, self.brokered, self.alive, self.facilitated, self.base_contact,
                                   self.nbr, self.nbr_eid, self.degree, self.free, self.state, out)
            if done == len(a):
                break
            full = self.nbr.shape[1]
            if self.degree[a[done]] == full or self.degree[b[done]] == full:
                self._widen()
            else:
                self._grow()
        if self._graph is not None:
            self._log(out[out >= 0])
        return out

    def add(self, a: int, b: int, kind: int, strength: float, brokered: bool = False) -> int:
        """Add a tie; return its id, or -1 if a == b or the tie exists."""
        one = self._one
        one["a"][0], one["b"][0], one["kind"][0], one["strength"][0] = a, b, kind, strength
        return max(int(self.connect(one["a"], one["b"], one["kind"], one["strength"], brokered)[0]), -1)

    def remove_many(self, eids) -> None:
        """Remove live ties ``eids`` (distinct) in the given order."""
        eids = np.asarray(eids, dtype=np.int64).reshape(-1)
        if len(eids):
            self._log(eids)
            kernels.remove(eids, *self._removal_args())

    def remove(self, eid: int) -> None:
        self.remove_many([eid])

    def remove_all_of(self, nodes) -> None:
        """Drop every tie of ``nodes`` (residents who move out or die), node by node."""
        nodes = np.asarray(nodes, dtype=np.int64).reshape(-1)
        if self._graph is not None:
            self._log(np.concatenate([self.nbr_eid[x, : self.degree[x]] for x in nodes.tolist()] + [[]]).astype(np.int64))
        kernels.remove_all_of(nodes, *self._removal_args())

    def _log(self, eids: np.ndarray) -> None:
        """Remember the pairs of ties about to change (only while a networkx view exists)."""
        if self._graph is not None and len(eids):
            self._touched.append(np.stack([self.u[eids], self.v[eids]]))

    # ------------------------------------------------------------------ queries
    def eid(self, a: int, b: int) -> int:
        return int(self.eids(np.array([a]), np.array([b]))[0])

    def eids(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Tie ids of pairs (a[k], b[k]); -1 where there is none."""
        return kernels.lookup(self.nbr, self.nbr_eid, self.degree, np.asarray(a, dtype=np.int64),
                              np.asarray(b, dtype=np.int64))

    def neighbours(self, node: int) -> np.ndarray:
        """``node``'s neighbours, oldest tie first."""
        return self.nbr[node, : self.degree[node]].astype(np.int64)

    def random_neighbour(self, nodes: np.ndarray, draws: np.ndarray) -> np.ndarray:
        """For each of ``nodes`` (all with ties), the neighbour at position floor(draw * degree)."""
        return self.nbr[nodes, (draws * self.degree[nodes]).astype(np.int64)].astype(np.int64)

    def clustering(self, nodes) -> np.ndarray:
        """Local clustering coefficient of each of ``nodes`` (as ``networkx.clustering``)."""
        return kernels.clustering(np.asarray(nodes, dtype=np.int64), self.nbr, self.degree, self.n)

    def live(self) -> np.ndarray:
        """Ids of all live ties (ascending)."""
        return np.flatnonzero(self.alive[: self.state[USED]])

    def view(self) -> TieView:
        """The live ties now (ascending id): copies, unaffected by later changes."""
        return TieView(*kernels.live_view(self.state[USED], self.alive, self.u, self.v, self.strength, self.kind), self.n)

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
        self.remove_many(gone)
        return len(gone)

    def contact_week(self, keep: np.ndarray, draws: np.ndarray, floor: float, bonus: float, reinforcement: float,
                     decay: np.ndarray, removal_threshold: float) -> int:
        """One week of contact over all live ties (compiled; as ``contact_and_decay`` with the
        contact probability ``base_contact * (floor + (1 - floor) * strength) * keep[u] * keep[v]``,
        plus ``bonus`` for facilitated ties). ``keep`` (n,): each resident's contact factor;
        ``draws``: one uniform per live tie (ascending id); ``decay`` per tie kind. Returns how many
        ties were removed."""
        gone = kernels.contact_week(self.state[USED], self.alive, self.base_contact, self.strength, self.u, self.v,
                                    self.kind, self.facilitated, np.asarray(keep, dtype=np.float64), draws,
                                    floor, bonus, reinforcement, np.asarray(decay, dtype=np.float64), removal_threshold)
        self.remove_many(gone)
        return len(gone)

    def unpriced(self) -> np.ndarray:
        """Live ties whose ``base_contact`` is not yet set (ascending id)."""
        used = self.state[USED]
        return np.flatnonzero(self.alive[:used] & np.isnan(self.base_contact[:used]))

    def reinforce(self, eids: np.ndarray, reinforcement: float) -> None:
        s = self.strength[eids]
        self.strength[eids] = s + reinforcement * (1.0 - s)

    # ------------------------------------------------------------------ networkx views
    def _edges(self, nodes=None) -> np.ndarray:
        """Live tie ids, in the order networkx would list the edges (by node, then tie age)."""
        nodes = np.arange(self.n) if nodes is None else np.fromiter(nodes, dtype=np.int64)
        inside = np.zeros(self.n, dtype=bool)
        inside[nodes] = True
        cols = np.arange(self.nbr.shape[1])
        rows = nodes[:, None]
        ok = (cols[None, :] < self.degree[rows]) & inside[self.nbr[rows, cols[None, :]]]
        eid = self.nbr_eid[rows, cols[None, :]][ok]
        _, first = np.unique(eid, return_index=True)
        return eid[np.sort(first)].astype(np.int64), nodes

    @property
    def graph(self) -> nx.Graph:
        """The network as a networkx graph (nodes: all residents; edge attribute ``eid``).

        Built from the store when first asked for, then brought up to date at each request: read
        it, do not edit it.
        """
        if self._graph is None:
            eids, nodes = self._edges()
            self._graph = g = nx.Graph()
            g.add_nodes_from(nodes.tolist())
            g.add_edges_from(zip(self.u[eids].tolist(), self.v[eids].tolist(), ({"eid": e} for e in eids.tolist())))
        elif self._touched:
            a, b = np.unique(np.sort(np.concatenate(self._touched, axis=1), axis=0), axis=1)
            eid = self.eids(a, b)
            g = self._graph
            for x, y, e in zip(a.tolist(), b.tolist(), eid.tolist()):
                if e >= 0:
                    g.add_edge(x, y, eid=e)
                elif g.has_edge(x, y):
                    g.remove_edge(x, y)
        self._touched = []
        return self._graph

    def snapshot(self, nodes=None) -> nx.Graph:
        """A copy of the graph (or of the subgraph on ``nodes``) with strength and kind on each edge."""
        eids, nodes = self._edges(nodes)
        out = nx.Graph()
        out.add_nodes_from(nodes.tolist())
        out.add_edges_from(
            (a, b, {"strength": s, "kind": TIE_KINDS[k], "brokered": br})
            for a, b, s, k, br in zip(self.u[eids].tolist(), self.v[eids].tolist(), self.strength[eids].tolist(),
                                      self.kind[eids].tolist(), self.brokered[eids].tolist())
        )
        return out
