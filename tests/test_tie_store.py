"""The compiled tie store behaves exactly like a networkx graph updated tie by tie.

The reference below is the store as it was before the neighbour table (a networkx ``Graph`` whose
edges carry the tie id, with a last-freed-first-reused id stack): random sequences of additions,
batch connections, removals and residents leaving must give the same ids, degrees, neighbour
order, networkx views and clustering coefficients.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from abm.core.ties import TIE_KIND, Ties


class Reference:
    """A networkx graph of record with tie ids, one tie at a time."""

    def __init__(self, n: int):
        self.g = nx.Graph()
        self.g.add_nodes_from(range(n))
        self.free: list[int] = []
        self.used = 0

    def add(self, a: int, b: int) -> int:
        if a == b or self.g.has_edge(a, b):
            return -1
        eid = self.free.pop() if self.free else self.used
        self.used += eid == self.used
        self.g.add_edge(a, b, eid=eid)
        return eid

    def connect(self, a, b) -> list[int]:
        """New id per pair, -2 - id for an existing tie, -1 for a self-pair (as ``Ties.connect``)."""
        out = []
        for x, y in zip(a, b):
            if x == y:
                out.append(-1)
            elif self.g.has_edge(x, y):
                out.append(-2 - self.g.edges[x, y]["eid"])
            else:
                out.append(self.add(x, y))
        return out

    def remove(self, eid: int) -> None:
        a, b = next((a, b) for a, b, e in self.g.edges(data="eid") if e == eid)
        self.g.remove_edge(a, b)
        self.free.append(eid)

    def remove_all_of(self, node: int) -> None:
        for data in list(self.g.adj[node].values()):
            self.remove(data["eid"])


def assert_same(ties: Ties, ref: Reference) -> None:
    n = ref.g.number_of_nodes()
    assert ties.count == ref.g.number_of_edges()
    for x in range(n):
        # neighbours in the order networkx lists them (the order random draws index into)
        assert ties.neighbours(x).tolist() == list(ref.g.adj[x])
        assert ties.degree[x] == ref.g.degree(x)
    for a, b, eid in ref.g.edges(data="eid"):
        assert ties.eid(a, b) == ties.eid(b, a) == eid
        assert {int(ties.u[eid]), int(ties.v[eid])} == {a, b} and ties.alive[eid]
    view = ties.graph
    assert nx.utils.graphs_equal(view, ref.g)
    assert np.allclose(ties.clustering(range(n)), list(nx.clustering(ref.g, list(range(n))).values()))


ops = st.lists(
    st.one_of(
        st.tuples(st.just("connect"), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=30)),
        st.tuples(st.just("remove"), st.integers(0, 10_000)),
        st.tuples(st.just("leave"), st.lists(st.integers(0, 11), max_size=3)),
        st.tuples(st.just("look"), st.just(None)),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_store_matches_a_networkx_graph_updated_tie_by_tie(sequence):
    n = 12
    ties = Ties(n, capacity=2, width=2)  # tiny, so the arrays and the neighbour table must grow
    ref = Reference(n)
    for op, arg in sequence:
        if op == "connect":
            a = [p[0] for p in arg]
            b = [p[1] for p in arg]
            assert ties.connect(a, b, TIE_KIND["friend"], 0.5).tolist() == ref.connect(a, b)
        elif op == "remove" and ties.count:
            live = ties.live()
            eid = int(live[arg % len(live)])
            ties.remove(eid)
            ref.remove(eid)
        elif op == "leave":
            ties.remove_all_of(arg)
            for x in arg:
                ref.remove_all_of(x)
        else:
            ties.graph  # noqa: B018 - a view taken mid-way must be kept up to date afterwards
        assert_same(ties, ref) if op == "look" else None
    assert_same(ties, ref)


def test_snapshot_of_a_subgraph_has_the_tie_attributes():
    ties = Ties(6)
    ties.connect([0, 1, 3], [1, 2, 4], TIE_KIND["family"], [0.9, 0.5, 0.2])
    ties.add(2, 3, TIE_KIND["volunteer"], 0.4, brokered=True)
    snap = ties.snapshot(range(0, 3))
    assert sorted(snap.nodes) == [0, 1, 2]
    assert sorted(snap.edges) == [(0, 1), (1, 2)]
    assert snap.edges[1, 2] == {"strength": 0.5, "kind": "family", "brokered": False}
    assert ties.snapshot().edges[2, 3] == {"strength": 0.4, "kind": "volunteer", "brokered": True}
