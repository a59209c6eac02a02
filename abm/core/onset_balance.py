"""Onset of chronic conditions derived from their configured prevalence (docs/ODD.md §7.4).

A chronic condition (dementia, frailty, the psychiatric pool that keeps its members between episodes)
never ends while its member lives here, and a resident holds one individual condition at a time.
Members and non-members of the same age leave alike (death, moving; admissions after crises are
rare, docs/ODD.md), and a newcomer brings the conditions of their age, so the pools are stationary
when the chance of having condition k at age a is its cumulative onset among those still free:

    q_k(a) = integral over s < a of h_k r_k g_k(s) S(s) ds,   S(a) = exp(-sum_j h_j r_j G_j(a))

with g_k the age factor of the onset (2^((a - min_age) / doubling) within the age window, else 0),
G_k its integral, r_k the district factor (x the loneliness factor at the share lonely). The base
onsets h_k are the ones whose q_k, averaged over the residents of eligible age and older (the
condition outlives the window), are the configured prevalences. Exits drop out: they take members
and non-members of the same age at the same rate.
"""

from __future__ import annotations

import numpy as np

from abm.config.units import WEEKS_PER_YEAR


def chronic_kinds(t, kinds: np.ndarray) -> list[int]:
    """Kinds among ``kinds`` (codes) with an onset that never end: a severity floor or relapses."""
    return [int(k) for k in kinds if t.onset[k] > 0 and t.prevalence[k] > 0 and (t.floor[k] > 0 or t.p_relapse[k] > 0)]


def exposure(t, kind: int, age: np.ndarray) -> np.ndarray:
    """G_k: years at risk up to ``age``, weighted by the age factor of the onset; shape of ``age``."""
    a = np.clip(age, t.min_age[kind], t.max_age[kind]) - t.min_age[kind]
    d = t.doubling[kind]
    if not np.isfinite(d):
        return a
    return d / np.log(2) * (np.exp2(a / d) - 1.0)


class SteadyProfiles:
    """q[k, district, week of age]: chance of having chronic kind ``kinds[k]`` at each age (weekly grid)."""

    def __init__(self, t, kinds: list[int], max_age: float):
        self.t, self.kinds = t, kinds
        self.grid = np.arange(int(max_age * WEEKS_PER_YEAR) + 1) / WEEKS_PER_YEAR
        self.G = np.stack([exposure(t, k, self.grid) for k in kinds])  # (K, ages)
        self.g = np.gradient(self.G, self.grid, axis=1)

    def profiles(self, h: np.ndarray, r: np.ndarray) -> np.ndarray:
        """q (K, districts, ages) for base onsets ``h`` (K,) and onset factors ``r`` (K, districts)."""
        # scipy here, not at the top: importing the model's modules (a config check, a bad CLI input) does not load it
        from scipy.integrate import cumulative_trapezoid

        rate = h[:, None, None] * r[:, :, None]  # (K, D, 1)
        survive = np.exp(-(rate * self.G[:, None, :]).sum(axis=0))  # (D, ages)
        return cumulative_trapezoid(rate * self.g[:, None, :] * survive[None], self.grid, axis=2, initial=0)

    def lookup(self, q: np.ndarray, k: int, district: np.ndarray, age: np.ndarray) -> np.ndarray:
        """q of kind ``kinds[k]`` for residents of the given districts and ages."""
        at = np.minimum((age * WEEKS_PER_YEAR).astype(np.int64), len(self.grid) - 1)
        return q[k, district, at]

    def solve(self, r: np.ndarray, district: np.ndarray, age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Base onsets (K,) whose profiles average the configured prevalences over the residents at
        risk (age >= min_age), and the profiles; ``district``, ``age`` describe the residents."""
        from scipy.optimize import root

        t, p = self.t, self.t.prevalence[self.kinds]
        at_risk = [age >= t.min_age[k] for k in self.kinds]

        def gap(log_h):
            q = self.profiles(np.exp(log_h), r)
            return [self.lookup(q, j, district[m], age[m]).mean() / p[j] - 1.0 for j, m in enumerate(at_risk)]

        first = np.log(t.onset[self.kinds])
        sol = root(gap, first)
        if not sol.success:
            raise ValueError(f"needs.kinds: no onset gives the configured prevalences {list(p)} ({sol.message})")
        h = np.exp(sol.x)
        return h, self.profiles(h, r)
