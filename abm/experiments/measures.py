"""Measurements on the model's state that are calibration targets (MODEL.md §10), not behaviour.

``contagion_gradient`` measures loneliness clustering in the network the way Cacioppo, Fowler &
Christakis (2009) report it: over lonely adults j, the share lonely among adults at exact network
distance d from j (ego-alter pairs pooled), divided by the share lonely among all adults. Under a
random permutation of loneliness over the same graph the ratio is 1.0.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def adjacency(u: np.ndarray, v: np.ndarray, n: int) -> sparse.csr_matrix:
    """Symmetric 0/1 adjacency (n, n) of the ties (u[i], v[i])."""
    rows, cols = np.r_[u, v], np.r_[v, u]
    a = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    a.data[:] = 1
    return a


def contagion_gradient(u: np.ndarray, v: np.ndarray, lonely: np.ndarray, adult: np.ndarray,
                       distances: int = 3, sample: int | None = 2000,
                       rng: np.random.Generator | None = None, egos: np.ndarray | None = None) -> np.ndarray:
    """Risk ratio of loneliness at exact distance 1..``distances`` from a lonely adult.

    ``u, v``: tie ends (live ties); ``lonely``, ``adult``: (n,) bool. ``sample``: lonely adults used
    as egos (all if None or fewer); ``rng`` draws the sample (a measurement generator, never the
    model's). ``egos``: (n,) bool, the residents to start from instead of the lonely adults (e.g. all
    adults, for the ratio anyone's contacts show). Returns an array of ``distances`` ratios (NaN where
    no adult lies at that distance).
    """
    n = len(lonely)
    base = lonely[adult].mean() if adult.any() else np.nan
    egos = np.flatnonzero(lonely & adult if egos is None else egos)
    if sample is not None and len(egos) > sample:
        rng = rng if rng is not None else np.random.default_rng(0)
        egos = np.sort(rng.choice(egos, sample, replace=False))
    out = np.full(distances, np.nan)
    if len(egos) == 0 or not base > 0:
        return out
    a = adjacency(u, v, n)
    # reached[:, k]: nodes within the current distance of ego k (boolean sparse, n x k)
    seen = sparse.csr_matrix((np.ones(len(egos), dtype=bool), (egos, np.arange(len(egos)))), shape=(n, len(egos)))
    frontier = seen
    lonely_adult = (lonely & adult).astype(np.int64)
    adult_i = adult.astype(np.int64)
    for d in range(distances):
        step = (a @ frontier.astype(np.int32)) > 0
        frontier = (step.astype(np.int8) - step.multiply(seen).astype(np.int8)) > 0
        seen = seen + frontier
        at_d = frontier.tocoo()
        adults_at = adult_i[at_d.row].sum()
        if adults_at:
            out[d] = lonely_adult[at_d.row].sum() / adults_at / base
    return out
