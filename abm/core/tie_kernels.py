"""Compiled loops of the tie store (numba): adding, renewing and removing ties one by one.

The tie store (``abm.core.ties``) keeps each resident's neighbours in a padded row of ``nbr``
(shape (n, width)), in the order the ties were made, with the tie ids alongside in ``nbr_eid``.
Removing a tie shifts the rest of the row left, so a row lists its ties oldest first, exactly as
networkx's adjacency dict would. Ties are processed strictly in the order given (a later pair sees
the ties and degrees made by an earlier one), so batches give the same result as one-by-one calls.

The ``state`` array holds the store's counters: [ties used, free ids, formed, lost].
A kernel stops early when a row or the tie arrays are full and returns how far it got; the caller
grows the arrays and calls again from there.
"""

from __future__ import annotations

import numpy as np
from numba import njit

COUNTERS = ("used", "free", "formed", "lost")  # the tie store's ``state`` array
USED, N_FREE, FORMED, LOST = range(len(COUNTERS))
ENDS = 2  # a tie's two ends: per-node sums kept side by side, one column per end (``sum_ends``)


@njit(cache=True)
def find(nbr, degree, a, b):
    """Position of ``b`` in ``a``'s row, or -1."""
    row = nbr[a]
    for j in range(degree[a]):
        if row[j] == b:
            return j
    return -1


@njit(cache=True)
def lookup(nbr, nbr_eid, degree, a, b):
    """Tie ids of the pairs (a[k], b[k]); -1 where there is no tie."""
    out = np.full(len(a), -1, dtype=np.int64)
    for k in range(len(a)):
        j = find(nbr, degree, a[k], b[k])
        if j >= 0:
            out[k] = nbr_eid[a[k], j]
    return out


@njit(cache=True)
def _unlink(nbr, nbr_eid, degree, a, b):
    j = find(nbr, degree, a, b)
    d = degree[a]
    for k in range(j, d - 1):
        nbr[a, k] = nbr[a, k + 1]
        nbr_eid[a, k] = nbr_eid[a, k + 1]
    degree[a] = d - 1


@njit(cache=True)
def remove(eids, u, v, alive, facilitated, nbr, nbr_eid, degree, free, state):
    """Remove the ties ``eids`` (live, distinct) in the given order; their ids go on the free stack."""
    for k in range(len(eids)):
        e = eids[k]
        a, b = u[e], v[e]
        _unlink(nbr, nbr_eid, degree, a, b)
        _unlink(nbr, nbr_eid, degree, b, a)
        alive[e] = False
        facilitated[e] = False
        free[state[N_FREE]] = e
        state[N_FREE] += 1
        state[LOST] += 1


@njit(cache=True)
def remove_all_of(nodes, u, v, alive, facilitated, nbr, nbr_eid, degree, free, state):
    """Remove every tie of each of ``nodes`` in turn, each node's oldest tie first."""
    one = np.empty(1, dtype=np.int64)
    for x in nodes:
        while degree[x] > 0:
            one[0] = nbr_eid[x, 0]
            remove(one, u, v, alive, facilitated, nbr, nbr_eid, degree, free, state)


@njit(cache=True)
def connect(start, a, b, kind, strength, brokered, u, v, s, kinds, brok, alive, facilitated, base_contact,
            nbr, nbr_eid, degree, free, state, out):
    """Pairs from ``start`` on: add a tie where there is none, else record the existing tie's id.

    ``out[k]`` gets the new tie's id (>= 0), ``-2 - eid`` for an existing tie, ``-1`` for a = b.
    Returns the index of the first pair not processed (len(a) when all are done).
    """
    width = nbr.shape[1]
    for k in range(start, len(a)):
        x, y = a[k], b[k]
        if x == y:
            out[k] = -1
            continue
        j = find(nbr, degree, x, y)
        if j >= 0:
            out[k] = -2 - nbr_eid[x, j]
            continue
        if degree[x] == width or degree[y] == width:
            return k
        if state[N_FREE] > 0:
            state[N_FREE] -= 1
            e = free[state[N_FREE]]
        elif state[USED] < len(u):
            e = state[USED]
            state[USED] += 1
        else:
            return k
        u[e], v[e] = x, y
        s[e] = strength[k]
        kinds[e] = kind[k]
        brok[e] = brokered
        facilitated[e] = False
        base_contact[e] = np.nan
        alive[e] = True
        nbr[x, degree[x]] = y
        nbr_eid[x, degree[x]] = e
        degree[x] += 1
        nbr[y, degree[y]] = x
        nbr_eid[y, degree[y]] = e
        degree[y] += 1
        state[FORMED] += 1
        out[k] = e
    return len(a)


@njit(cache=True)
def live_view(used, alive, u, v, strength, kind):
    """Ids, ends, strength and kind of the live ties (ascending id), in one pass."""
    count = 0
    for e in range(used):
        count += alive[e]
    ids = np.empty(count, dtype=np.int64)
    out_u = np.empty(count, dtype=u.dtype)
    out_v = np.empty(count, dtype=v.dtype)
    out_s = np.empty(count, dtype=strength.dtype)
    out_k = np.empty(count, dtype=kind.dtype)
    k = 0
    for e in range(used):
        if alive[e]:
            ids[k], out_u[k], out_v[k], out_s[k], out_k[k] = e, u[e], v[e], strength[e], kind[e]
            k += 1
    return ids, out_u, out_v, out_s, out_k


@njit(cache=True)
def clustering(nodes, nbr, degree, n):
    """Local clustering coefficient of each of ``nodes`` (as networkx's ``clustering``, unweighted)."""
    out = np.zeros(len(nodes))
    mark = np.zeros(n, dtype=np.bool_)
    for k in range(len(nodes)):
        x = nodes[k]
        d = degree[x]
        for j in range(d):
            mark[nbr[x, j]] = True
        t = 0
        for j in range(d):
            w = nbr[x, j]
            for i in range(degree[w]):
                if mark[nbr[w, i]]:
                    t += 1
        for j in range(d):
            mark[nbr[x, j]] = False
        out[k] = 0.0 if t == 0 else t / (d * (d - 1))
    return out


@njit(cache=True)
def sum_ends(acc):
    """Per node: ``acc[:, 0] + acc[:, 1]`` (the sums at the tie's u end and at its v end), as a new array.

    The per-tie kernels below keep a node's two sums side by side in one row of ``acc`` (n, 2):
    each tie touches two rows (cache lines) instead of one line in each of two arrays; every sum
    gets the same additions in the same order as ``bincount(u, w) + bincount(v, w)``."""
    out = np.empty(acc.shape[0])
    for x in range(acc.shape[0]):
        out[x] = acc[x, 0] + acc[x, 1]
    return out


@njit(cache=True)
def node_sum(u, v, weights, n):
    """Per node: sum of ``weights`` over its ties, in the order of ``bincount(u, w) + bincount(v, w)``."""
    acc = np.zeros((n, ENDS))
    for i in range(len(u)):
        acc[u[i], 0] += weights[i]
        acc[v[i], 1] += weights[i]
    return sum_ends(acc)


@njit(cache=True)
def strength_sums(u, v, strength, threshold, n):
    """Per node, in one pass: the sum of its ties' ``strength`` at or above ``threshold``, the sum of
    all, and the number at or above ``threshold`` (each as ``node_sum``: the same additions in the
    same order; a tie below ``threshold`` adds nothing to the first and third, as adding 0.0 to a
    sum of non-negative terms would)."""
    close, every, count = np.zeros((n, ENDS)), np.zeros((n, ENDS)), np.zeros((n, ENDS))
    for i in range(len(u)):
        s, a, b = strength[i], u[i], v[i]
        every[a, 0] += s
        every[b, 1] += s
        if s >= threshold:
            close[a, 0] += s
            close[b, 1] += s
            count[a, 0] += 1.0
            count[b, 1] += 1.0
    return sum_ends(close), sum_ends(every), sum_ends(count)


@njit(cache=True)
def linked(u, v, mask, of, n):
    """Per node: whether one of its ties with ``mask`` leads to a node with ``of`` (bool (n,))."""
    out = np.zeros(n, dtype=np.uint8)
    for i in range(len(u)):
        m = mask[i]
        a, b = u[i], v[i]
        out[a] |= m & of[b]
        out[b] |= m & of[a]
    return out.view(np.bool_)


@njit(cache=True)
def node_sum_of(u, v, weights, of, n):
    """As ``node_sum``, each tie's weight times ``of`` at its other end."""
    acc = np.zeros((n, ENDS))
    for i in range(len(u)):
        acc[u[i], 0] += weights[i] * of[v[i]]
        acc[v[i], 1] += weights[i] * of[u[i]]
    return sum_ends(acc)


@njit(cache=True)
def strength_of(u, v, strength, threshold, of, n):
    """As ``node_sum_of`` of ``strength`` where at least ``threshold`` (0.0 elsewhere): a tie below it
    adds nothing, as adding 0.0 times a finite ``of`` would not change a sum."""
    acc = np.zeros((n, ENDS))
    for i in range(len(u)):
        s = strength[i]
        if s >= threshold:
            acc[u[i], 0] += s * of[v[i]]
            acc[v[i], 1] += s * of[u[i]]
    return sum_ends(acc)


@njit(cache=True)
def contact_week(used, alive, base_contact, strength, u, v, kind, facilitated, keep, draws, floor, bonus,
                 reinforcement, decay, threshold):
    """One week of contact over every live tie (ascending id; ``draws`` one per live tie).

    A tie is in contact with probability base * (floor + (1 - floor) * strength) * keep[u] * keep[v]
    (+ ``bonus`` if facilitated); contact renews it, else it decays by its kind's rate. Returns the
    ids of ties now below ``threshold`` (ascending), for removal.
    """
    gone = np.empty(len(draws), dtype=np.int64)
    m = 0
    k = 0
    for e in range(used):
        if not alive[e]:
            continue
        s = strength[e]
        p = base_contact[e] * (floor + (1.0 - floor) * s) * keep[u[e]] * keep[v[e]]
        if bonus != 0.0:
            p = p + bonus * (1.0 if facilitated[e] else 0.0)
        if draws[k] < p:
            s = s + reinforcement * (1.0 - s)
        else:
            s = s * (1.0 - decay[kind[e]])
        strength[e] = s
        if s < threshold:
            gone[m] = e
            m += 1
        k += 1
    return gone[:m]
