"""Compiled pass of the week's informal care flow (numba), called by ``informal_care.flow``.

One pass over the live ties does what the vectorised description in ``abm.core.informal_care``
says: each tie touching a needy resident becomes one entry per needy end (helper -> client; first
every tie towards its ``v`` end, then every tie towards its ``u`` end, each in tie order: the
*entry order*). Clients rank their candidate carers by priority (highest first, equal priorities
in entry order), keep the ``max_carers`` best, and fill their need in that order. Every sum runs in
entry order and every product in the order the vectorised formulas write it, so the result is the
same to the last bit as the numpy version this replaced (``bincount`` and ``cumsum`` both add
sequentially).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def _rank_by_client(client, prio, n):
    """Candidates (indices into ``client``) grouped by client (ascending), each client's the highest
    ``prio`` first, equal priorities in index order (``np.lexsort((-prio, client))``), and each
    group's start. Counting sort, then a stable insertion sort per client (a handful each) on a
    copy of the priorities in group order."""
    count = np.zeros(n + 1, dtype=np.int64)
    for i in range(len(client)):
        count[client[i] + 1] += 1
    start = np.cumsum(count)
    fill = start[:-1].copy()
    order = np.empty(len(client), dtype=np.int64)
    key = np.empty(len(client))
    for i in range(len(client)):
        order[fill[client[i]]] = i
        key[fill[client[i]]] = prio[i]
        fill[client[i]] += 1
    for c in range(n):
        lo, hi = start[c], start[c + 1]
        for a in range(lo + 1, hi):
            x, y = order[a], key[a]
            b = a - 1
            while b >= lo and key[b] < y:
                order[b + 1], key[b + 1] = order[b], key[b]
                b -= 1
            order[b + 1], key[b + 1] = x, y
    return order, start


@njit(cache=True, error_model="numpy")
def flow(u, v, s, kind, household, need, available, obligation_able, willingness, supply_shyness, demand_shyness,
         volunteer_hours, rel_of_kind, family, in_household, weight, max_hours, obligation_hours, max_carers,
         last_helper, last_client, last_hours, on_respite, tiny):
    """One week of informal care and volunteer help (``informal_care.flow`` documents the rules).

    Ties ``u``, ``v``, ``s``, ``kind`` (live, in view order); per resident (n,): ``household``,
    ``need`` hours, ``available`` hours, ``obligation_able``, ``willingness``, ``supply_shyness``,
    ``demand_shyness``, ``volunteer_hours``, ``on_respite``; ``rel_of_kind`` relationship code per tie
    kind (-1: volunteer tie), ``family`` code promoted to ``in_household`` within one household;
    ``weight``, ``max_hours`` per relationship; last week's (``last_helper``, ``last_client``,
    ``last_hours``) caring pairs. Returns (care received, given, care given, respite hours, carrying
    tie positions, hours per carrying tie, this week's helper, client, hours of the pairs who gave).
    """
    n = len(need)
    needy = need > 0
    # ties carrying help (a needy end), then one entry per needy end in entry order: towards v, then u
    carry = np.empty(len(u), dtype=np.int64)
    m = 0
    n_entries = 0
    for t in range(len(u)):
        ends = needy[u[t]] + needy[v[t]]
        if ends:
            carry[m] = t
            m += 1
            n_entries += ends
    carry = carry[:m]
    helper = np.empty(n_entries, dtype=np.int64)
    client = np.empty(n_entries, dtype=np.int64)
    tie = np.empty(n_entries, dtype=np.int64)
    strength = np.empty(n_entries)
    rel = np.empty(n_entries, dtype=np.int64)
    e = 0
    for towards_v in (True, False):
        for j in range(m):
            t = carry[j]
            a, b = (u[t], v[t]) if towards_v else (v[t], u[t])
            if needy[b]:
                r = rel_of_kind[kind[t]]
                if r == family and household[a] == household[b]:
                    r = in_household
                helper[e], client[e], tie[e], strength[e], rel[e] = a, b, j, s[t], r
                e += 1

    # mantelzorg candidates: not a volunteer tie, a helper with hours (family obligation included)
    cand = np.empty(n_entries, dtype=np.int64)
    prio = np.empty(n_entries)
    hours_for = np.empty(n_entries)  # hours the helper can give this client (with the obligation for kin)
    k = 0
    for e in range(n_entries):
        r, h = rel[e], helper[e]
        kin = r == in_household or r == family
        hours = available[h] + obligation_hours * obligation_able[h] * kin
        if r >= 0 and hours > 0:
            other = 1.0 if kin else willingness[h] * (1.0 - supply_shyness[h])
            cand[k], prio[k], hours_for[k] = e, weight[r] * strength[e] * other, hours
            k += 1
    cand, prio = cand[:k], prio[:k]
    cclient = np.empty(k, dtype=np.int64)
    for i in range(k):
        cclient[i] = client[cand[i]]
    order, start = _rank_by_client(cclient, prio, n)
    # each client keeps the best max_carers; the first carer (highest priority) takes on what they
    # can, the next the rest: a running sum over the kept candidates in rank order, less the sum
    # before the client's first
    keep = np.zeros(k, dtype=np.bool_)
    request = np.zeros(k)
    cum = 0.0
    first = True
    for c in range(n):
        base = 0.0
        seen = False
        for a in range(start[c], min(start[c + 1], start[c] + max_carers)):
            i = order[a]
            if not prio[i] > 0:
                continue
            keep[i] = True
            e = cand[i]
            pot = min(max_hours[rel[e]], hours_for[i])
            if not seen:
                base = 0.0 if first else cum
                seen = True
            cum = pot if first else cum + pot
            first = False
            before = cum - pot - base
            accept = 1.0 - demand_shyness[c] * (1.0 - strength[e])
            request[i] = min(max(need[c] - before, 0.0), pot) * accept
    asked = np.zeros(n)
    has_kin = np.zeros(n, dtype=np.bool_)
    for i in range(k):
        if keep[i]:
            e = cand[i]
            asked[helper[e]] += request[i]
            if rel[e] == in_household or rel[e] == family:
                has_kin[helper[e]] = True
    scale = np.ones(n)
    for x in range(n):
        if asked[x] > 0:
            allowed = available[x] + obligation_hours * obligation_able[x] * has_kin[x]
            scale[x] = min(1.0, allowed / asked[x])
    pair = np.zeros(k)
    care_recv = np.zeros(n)
    care_given = np.zeros(n)
    edge_care = np.zeros(m)
    n_gave = 0
    for i in range(k):
        if keep[i]:
            e = cand[i]
            p = request[i] * scale[helper[e]]
            pair[i] = p
            care_recv[client[e]] += p
            care_given[helper[e]] += p
            edge_care[tie[e]] += p
            n_gave += p > 0
    # carers on respite: formal respite care covers the hours they gave before the respite began
    respite = np.zeros(n)
    n_resp = 0
    for i in range(len(last_helper)):
        if on_respite[last_helper[i]]:
            respite[last_client[i]] += last_hours[i]
            n_resp += 1

    # volunteers: their hours over volunteer-client ties, by strength
    vol_strength = np.zeros(n)
    for e in range(n_entries):
        if rel[e] < 0 and volunteer_hours[helper[e]] > 0:
            vol_strength[helper[e]] += strength[e]
    vpair = np.zeros(n_entries)
    vol_recv = np.zeros(n)
    for e in range(n_entries):
        if rel[e] < 0 and volunteer_hours[helper[e]] > 0:
            sv = strength[e]
            share = sv / max(vol_strength[helper[e]], tiny)
            vpair[e] = volunteer_hours[helper[e]] * share * (1.0 - demand_shyness[client[e]] * (1.0 - sv))
            vol_recv[client[e]] += vpair[e]
    use = np.zeros(n)
    for x in range(n):
        if vol_recv[x] > 0:
            use[x] = min(1.0, max(need[x] - care_recv[x] - respite[x], 0.0) / vol_recv[x])
    vol_in = np.zeros(n)
    vol_out = np.zeros(n)
    edge_vol = np.zeros(m)
    for e in range(n_entries):
        if rel[e] < 0 and volunteer_hours[helper[e]] > 0:
            vpair[e] = vpair[e] * use[client[e]]
            vol_in[client[e]] += vpair[e]
            vol_out[helper[e]] += vpair[e]
            edge_vol[tie[e]] += vpair[e]

    received = np.empty(n)
    given = np.empty(n)
    for x in range(n):
        received[x] = min(care_recv[x] + respite[x] + vol_in[x], need[x])
        given[x] = care_given[x] + vol_out[x]
    edge = edge_care + edge_vol
    # this week's caring pairs (and those on respite, who keep theirs)
    out_h = np.empty(n_gave + n_resp, dtype=np.int64)
    out_c = np.empty(n_gave + n_resp, dtype=np.int64)
    out_w = np.empty(n_gave + n_resp)
    g = 0
    for i in range(k):
        if keep[i] and pair[i] > 0:
            e = cand[i]
            out_h[g], out_c[g], out_w[g] = helper[e], client[e], pair[i]
            g += 1
    for i in range(len(last_helper)):
        if on_respite[last_helper[i]]:
            out_h[g], out_c[g], out_w[g] = last_helper[i], last_client[i], last_hours[i]
            g += 1
    return received, given, care_given, respite, carry, edge, out_h, out_c, out_w
