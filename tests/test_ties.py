"""The tie store: graph and arrays stay in step; contact, decay and removal."""

from __future__ import annotations

import numpy as np

from abm.core.ties import TIE_KIND, Ties


def test_add_remove_keep_graph_arrays_and_degree_in_step():
    ties = Ties(5, capacity=2)  # forces the arrays to grow
    e1 = ties.add(0, 1, TIE_KIND["friend"], 0.5)
    e2 = ties.add(1, 2, TIE_KIND["family"], 0.9)
    ties.add(3, 4, TIE_KIND["neighbour"], 0.2)
    assert ties.add(1, 0, TIE_KIND["friend"], 0.5) == -1  # exists (undirected)
    assert ties.add(2, 2, TIE_KIND["friend"], 0.5) == -1  # no self-loops
    assert ties.graph.number_of_edges() == ties.count == 3
    assert list(ties.degree) == [1, 2, 1, 1, 1]
    ties.remove(e1)
    assert not ties.graph.has_edge(0, 1)
    e4 = ties.add(0, 4, TIE_KIND["activity"], 0.3)
    assert e4 == e1  # the freed row is reused
    ties.remove_all_of(4)
    assert ties.degree[4] == 0 and ties.graph.degree(4) == 0
    assert ties.count == 1 and ties.eid(1, 2) == e2
    snap = ties.snapshot()
    assert snap.edges[1, 2] == {"strength": 0.9, "kind": "family", "brokered": False}


def test_contact_strengthens_no_contact_weakens_and_weak_ties_go():
    ties = Ties(4)
    ids = np.array([ties.add(0, 1, TIE_KIND["friend"], 0.5), ties.add(2, 3, TIE_KIND["friend"], 0.06)])
    decay = np.array([0.1, 0.1])
    removed = ties.contact_and_decay(ids, ties.strength[ids], np.array([1.0, 0.0]), np.array([0.5, 0.5]),
                                     reinforcement=0.2, decay=decay, removal_threshold=0.055)
    assert removed == 1
    assert ties.strength[ids[0]] == 0.5 + 0.2 * 0.5
    assert not ties.graph.has_edge(2, 3)
    assert ties.degree[2] == 0


def test_node_sum_counts_both_ends_and_weights_by_the_other_end():
    ties = Ties(3)
    ties.add(0, 1, TIE_KIND["friend"], 0.5)
    ties.add(1, 2, TIE_KIND["friend"], 0.25)
    view = ties.view()
    assert list(view.node_sum(view.strength)) == [0.5, 0.75, 0.25]
    other = np.array([10.0, 0.0, 2.0])
    assert list(view.node_sum(view.strength, of=other)) == [0.0, 0.5 * 10 + 0.25 * 2, 0.0]
