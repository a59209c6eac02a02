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
def _rank_by_client(client, prio, is_cand, n, top):
    """Candidate entries (``is_cand``) grouped by client (ascending), each client's the highest
    ``prio`` first, equal priorities in entry order (``np.lexsort((-prio, client))`` over the
    candidates), and each group's start. Counting sort, then per client a stable insertion sort
    that keeps only the first ``top`` places of the group (the rest is left unsorted): an entry that
    would come after them is not inserted. With ``top`` >= every group's size this is a full stable
    insertion sort (the caller's choice when a priority is NaN, which no comparison orders)."""
    count = np.zeros(n + 1, dtype=np.int64)
    for e in range(len(client)):
        if is_cand[e]:
            count[client[e] + 1] += 1
    start = np.cumsum(count)
    fill = start[:-1].copy()
    order = np.empty(start[n], dtype=np.int64)
    key = np.empty(start[n])
    for e in range(len(client)):
        if is_cand[e]:
            c = client[e]
            order[fill[c]] = e
            key[fill[c]] = prio[e]
            fill[c] += 1
    for c in range(n):
        lo, hi = start[c], start[c + 1]
        t = 0  # places sorted so far: order[lo:lo + t]
        for a in range(lo, hi):
            x, y = order[a], key[a]
            if t == top:
                if not key[lo + t - 1] < y:
                    continue  # comes after the first ``top``
                t -= 1  # the last of them drops out
            b = lo + t - 1
            while b >= lo and key[b] < y:
                order[b + 1], key[b + 1] = order[b], key[b]
                b -= 1
            order[b + 1], key[b + 1] = x, y
            t += 1
    return order, start


@njit(cache=True, error_model="numpy")
def _entries(u, v, s, kind, household, needy, rel_of_kind, family, in_household):
    """The ties carrying help (positions in the view) and their entries in entry order: (carry, helper,
    client, position in ``carry``, strength, relationship). One pass counts (towards v: ``needy[v]``;
    towards u: ``needy[u]``), one writes the entries towards v into the first part and those towards u
    into the second."""
    carry = np.empty(len(u), dtype=np.int64)
    m = 0
    n_v = 0
    n_u = 0
    for t in range(len(u)):
        at_u, at_v = needy[u[t]], needy[v[t]]
        carry[m] = t
        m += at_u | at_v
        n_v += at_v
        n_u += at_u
    carry = carry[:m]
    helper = np.empty(n_v + n_u, dtype=np.int64)
    client = np.empty(n_v + n_u, dtype=np.int64)
    tie = np.empty(n_v + n_u, dtype=np.int64)
    strength = np.empty(n_v + n_u)
    rel = np.empty(n_v + n_u, dtype=np.int64)
    e_v, e_u = 0, n_v
    for j in range(m):
        t = carry[j]
        a, b, st = u[t], v[t], s[t]
        r = rel_of_kind[kind[t]]
        if r == family and household[a] == household[b]:
            r = in_household
        if needy[b]:
            helper[e_v], client[e_v], tie[e_v], strength[e_v], rel[e_v] = a, b, j, st, r
            e_v += 1
        if needy[a]:
            helper[e_u], client[e_u], tie[e_u], strength[e_u], rel[e_u] = b, a, j, st, r
            e_u += 1
    return carry, helper, client, tie, strength, rel


@njit(cache=True, error_model="numpy")
def flow(u, v, s, kind, household, need, available, obligation_able, willingness, supply_shyness, demand_shyness,
         volunteer_hours, rel_of_kind, family, in_household, weight, max_hours, obligation_hours, max_carers,
         last_helper, last_client, last_hours, on_respite, tiny, coresident, use_coresident):
    """One week of informal care and volunteer help (``informal_care.flow`` documents the rules).

    Ties ``u``, ``v``, ``s``, ``kind`` (live, in view order); per resident (n,): ``household``,
    ``need`` hours, ``available`` hours, ``obligation_able``, ``willingness``, ``supply_shyness``,
    ``demand_shyness``, ``volunteer_hours``, ``on_respite``; ``rel_of_kind`` relationship code per tie
    kind (-1: volunteer tie), ``family`` code promoted to ``in_household`` within one household;
    ``weight``, ``max_hours`` per relationship; last week's (``last_helper``, ``last_client``,
    ``last_hours``) caring pairs; ``coresident`` (n,) hours each resident can give within their
    household, used for ``in_household`` entries instead of available + obligation hours when
    ``use_coresident``. Returns (care received, given, care given, respite hours, carrying
    tie positions, hours per carrying tie, this week's helper, client, hours of the pairs who gave).
    """
    n = len(need)
    needy = np.empty(n, dtype=np.uint8)
    for x in range(n):
        needy[x] = need[x] > 0
    # ties carrying help (a needy end), then one entry per needy end in entry order: towards v, then u
    carry, helper, client, tie, strength, rel = _entries(u, v, s, kind, household, needy, rel_of_kind, family,
                                                         in_household)
    m, n_entries = len(carry), len(helper)

    # mantelzorg candidates: not a volunteer tie, a helper with hours (family obligation included);
    # volunteer entries (a volunteer tie, a volunteer with hours) listed in entry order
    is_cand = np.zeros(n_entries, dtype=np.bool_)
    prio = np.empty(n_entries)
    hours_for = np.empty(n_entries)  # hours the helper can give this client (with the obligation for kin)
    vol = np.empty(n_entries, dtype=np.int64)
    n_vol = 0
    top = max_carers  # only each client's first max_carers places are read (a full sort with a NaN priority)
    for e in range(n_entries):
        r, h = rel[e], helper[e]
        if r < 0:
            if volunteer_hours[h] > 0:
                vol[n_vol] = e
                n_vol += 1
            continue
        kin = r == in_household or r == family
        if use_coresident and r == in_household:
            hours = coresident[h]
        else:
            hours = available[h] + obligation_hours * obligation_able[h] * kin
        if hours > 0:
            other = 1.0 if kin else willingness[h] * (1.0 - supply_shyness[h])
            is_cand[e], prio[e], hours_for[e] = True, weight[r] * strength[e] * other, hours
            if prio[e] != prio[e]:
                top = n_entries + 1
    order, start = _rank_by_client(client, prio, is_cand, n, top)
    # each client keeps the best max_carers; the first carer (highest priority) takes on what they
    # can, the next the rest: a running sum over the kept candidates in rank order, less the sum
    # before the client's first
    keep = np.zeros(n_entries, dtype=np.bool_)
    request = np.zeros(n_entries)
    cum = 0.0
    first = True
    for c in range(n):
        base = 0.0
        seen = False
        for a in range(start[c], min(start[c + 1], start[c] + max_carers)):
            e = order[a]
            if not prio[e] > 0:
                continue
            keep[e] = True
            pot = min(max_hours[rel[e]], hours_for[e])
            if not seen:
                base = 0.0 if first else cum
                seen = True
            cum = pot if first else cum + pot
            first = False
            before = cum - pot - base
            accept = 1.0 - demand_shyness[c] * (1.0 - strength[e])
            request[e] = min(max(need[c] - before, 0.0), pot) * accept
    # the kept candidates in entry order (every sum below runs in that order)
    kept = np.flatnonzero(keep)
    asked = np.zeros(n)
    has_kin = np.zeros(n, dtype=np.bool_)
    has_home = np.zeros(n, dtype=np.bool_)
    for e in kept:
        asked[helper[e]] += request[e]
        if rel[e] == in_household or rel[e] == family:
            has_kin[helper[e]] = True
        if use_coresident and rel[e] == in_household:
            has_home[helper[e]] = True
    scale = np.ones(n)
    for x in range(n):
        if asked[x] > 0:
            allowed = available[x] + obligation_hours * obligation_able[x] * has_kin[x]
            if has_home[x]:
                allowed = max(allowed, coresident[x])
            scale[x] = min(1.0, allowed / asked[x])
    pair = np.zeros(len(kept))
    care_recv = np.zeros(n)
    care_given = np.zeros(n)
    edge_care = np.zeros(m)
    n_gave = 0
    for i in range(len(kept)):
        e = kept[i]
        p = request[e] * scale[helper[e]]
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
    vol = vol[:n_vol]
    vol_strength = np.zeros(n)
    for e in vol:
        vol_strength[helper[e]] += strength[e]
    vpair = np.zeros(n_vol)
    vol_recv = np.zeros(n)
    for i in range(n_vol):
        e = vol[i]
        sv = strength[e]
        share = sv / max(vol_strength[helper[e]], tiny)
        vpair[i] = volunteer_hours[helper[e]] * share * (1.0 - demand_shyness[client[e]] * (1.0 - sv))
        vol_recv[client[e]] += vpair[i]
    use = np.zeros(n)
    for x in range(n):
        if vol_recv[x] > 0:
            use[x] = min(1.0, max(need[x] - care_recv[x] - respite[x], 0.0) / vol_recv[x])
    vol_in = np.zeros(n)
    vol_out = np.zeros(n)
    edge_vol = np.zeros(m)
    for i in range(n_vol):
        e = vol[i]
        vpair[i] = vpair[i] * use[client[e]]
        vol_in[client[e]] += vpair[i]
        vol_out[helper[e]] += vpair[i]
        edge_vol[tie[e]] += vpair[i]

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
    for i in range(len(kept)):
        if pair[i] > 0:
            e = kept[i]
            out_h[g], out_c[g], out_w[g] = helper[e], client[e], pair[i]
            g += 1
    for i in range(len(last_helper)):
        if on_respite[last_helper[i]]:
            out_h[g], out_c[g], out_w[g] = last_helper[i], last_client[i], last_hours[i]
            g += 1
    return received, given, care_given, respite, carry, edge, out_h, out_c, out_w
