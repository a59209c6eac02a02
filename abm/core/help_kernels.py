"""Compiled loop of informal help over ties (numba); the mechanism is ``support.informal_help``.

Each helper spreads their hours over the ties to needy residents in proportion to the tie's
weight, plus family capacity over family ties to needy residents; the client accepts part
(demand shyness towards weak ties); hours beyond the client's demand are not used. The loop does
the same additions in the same order as the numpy formulation it replaced (``bincount`` per end).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def flows(u, v, s, kind, family_kind, volunteer_kind, volunteer_weight, needy, demand, capacity, family_capacity,
          demand_shyness, tiny):
    """Hours over each tie and per resident.

    A tie's share key is its strength (times ``volunteer_weight`` for volunteer ties); family
    capacity goes over family ties; ties without a needy end carry nothing. ``tiny``: the floor of
    a helper's total weight (no division by zero). Returns (received, given, share_met) per
    resident and the hours used over each tie.
    """
    n, m = len(needy), len(u)
    weight = np.empty(m)
    family = np.empty(m, dtype=np.bool_)
    for i in range(m):
        weight[i] = s[i] * (volunteer_weight if kind[i] == volunteer_kind else 1.0)
        family[i] = kind[i] == family_kind
    total_u, total_v = np.zeros(n), np.zeros(n)  # weight of a helper's ties to needy residents
    fam_u, fam_v = np.zeros(n), np.zeros(n)      # ... and their number of such family ties
    for i in range(m):
        if needy[v[i]]:
            total_u[u[i]] += weight[i]
            fam_u[u[i]] += 1.0 if family[i] else 0.0
        if needy[u[i]]:
            total_v[v[i]] += weight[i]
            fam_v[v[i]] += 1.0 if family[i] else 0.0
    ab, ba = np.zeros(m), np.zeros(m)  # offered and accepted: u -> v and v -> u
    recv_v, recv_u = np.zeros(n), np.zeros(n)
    for i in range(m):
        a, b = u[i], v[i]
        if needy[b]:
            fam = 1.0 if family[i] else 0.0
            offer = capacity[a] * weight[i] / max(total_u[a], tiny)
            offer += family_capacity[a] * fam / max(fam_u[a], tiny)
            ab[i] = offer * (1.0 - demand_shyness[b] * (1.0 - s[i]))
        if needy[a]:
            fam = 1.0 if family[i] else 0.0
            offer = capacity[b] * weight[i] / max(total_v[b], tiny)
            offer += family_capacity[b] * fam / max(fam_v[b], tiny)
            ba[i] = offer * (1.0 - demand_shyness[a] * (1.0 - s[i]))
        recv_v[b] += ab[i]
        recv_u[a] += ba[i]
    received = recv_v + recv_u
    used_share = np.zeros(n)
    share_met = np.zeros(n)
    for k in range(n):
        if received[k] > 0:
            used_share[k] = min(max(demand[k] / received[k], 0.0), 1.0)
        if demand[k] > 0:
            share_met[k] = min(received[k], demand[k]) / demand[k]
    given_u, given_v = np.zeros(n), np.zeros(n)
    used = np.zeros(m)
    for i in range(m):
        ab_used = ab[i] * used_share[v[i]]
        ba_used = ba[i] * used_share[u[i]]
        given_u[u[i]] += ab_used
        given_v[v[i]] += ba_used
        used[i] = ab_used + ba_used
    return np.minimum(received, demand), given_u + given_v, share_met, used
