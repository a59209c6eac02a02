"""Collaboration ties between professionals, in their own networkx graph (seed 000, seed 004, source §6.5;
issue 16).

Nodes are professionals' slots (node attribute ``role``); an edge's ``strength`` grows with shared
clients (both serve the same resident this week) and joint meetings (each professional attends one
with ``meetings_per_week``, meeting a colleague based in their district, one of their own
organisation ``same_organisation_meeting`` times likelier); a tie not used in a week weakens, too
weak a tie goes, a leaving professional's ties go with them. A referral to another team travels over
the strongest tie the referrer has into that team: over a strong tie it is quick and safe, over a
weak or no tie it waits longer and is dropped more often (``professionals.handover``).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from abm.config import Config
from abm.config.professionals import ROLES
from abm.core.levels import INTENSIVE, LONGTERM
from abm.core.staff import ROLE_OF_LEVEL, Staff

REFERRED_LEVELS = (INTENSIVE, LONGTERM)  # levels reached by a referral to another team


class Collaboration:
    """The professionals' collaboration graph and the handovers it carries."""

    def __init__(self, config: Config, staff: Staff):
        self.params = config.professionals.collaboration
        self.handover = config.professionals.handover
        self.staff = staff
        self.graph = nx.Graph()
        self._used: set[tuple[int, int]] = set()
        self.formed = self.lost = 0

    def add(self, slot: int) -> None:
        self.graph.add_node(slot, role=ROLES[self.staff.role[slot]])

    def remove(self, slot: int) -> None:
        """A professional left: their ties are gone."""
        if slot in self.graph:
            self.lost += self.graph.degree(slot)
            self.graph.remove_node(slot)

    def reset_counts(self) -> None:
        self.formed = self.lost = 0

    def _work_together(self, a: int, b: int, gain: float, times: int = 1) -> None:
        if a == b:
            return
        g = self.graph
        if g.has_edge(a, b):
            data = g.edges[a, b]
            data["strength"] = 1.0 - (1.0 - data["strength"]) * (1.0 - gain) ** times
        else:
            g.add_edge(a, b, strength=self.params.initial_strength)
            self.formed += 1
        self._used.add((min(a, b), max(a, b)))

    def meeting(self, slot: int, rng: np.random.Generator) -> None:
        """``slot`` may attend a joint meeting this week and work with a colleague from their district."""
        p, st = self.params, self.staff
        if rng.random() >= p.meetings_per_week:
            return
        near = np.flatnonzero(st.present & (st.district == st.district[slot]))
        near = near[near != slot]
        if len(near) == 0:
            return
        weight = np.where(st.org[near] == st.org[slot], p.same_organisation_meeting, 1.0)
        other = near[min(int(np.searchsorted(np.cumsum(weight), rng.random() * weight.sum(), side="right")), len(near) - 1)]
        self._work_together(slot, int(other), p.meeting_gain)

    def shared_clients(self, gp_seen: np.ndarray) -> None:
        """Professionals who serve the same resident this week work together: the client's care
        professional, their dementia case manager and (if seen this week, ``gp_seen`` (n,) bool) their GP."""
        st = self.staff
        pairs = []
        for a, b, when in ((st.case, st.case_manager, None), (st.case, st.gp, gp_seen), (st.case_manager, st.gp, gp_seen)):
            ok = (a >= 0) & (b >= 0) & (a != b)
            if when is not None:
                ok &= when
            pairs.append(np.stack([np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])]))
        both = np.concatenate(pairs, axis=1).astype(np.int64)
        if both.shape[1] == 0:
            return
        unique, counts = np.unique(both, axis=1, return_counts=True)
        for (a, b), k in zip(unique.T.tolist(), counts.tolist()):
            self._work_together(a, b, self.params.shared_client_gain, k)

    def week_end(self) -> None:
        """Ties not used this week weaken; too-weak ties go."""
        p = self.params
        gone = []
        for a, b, data in self.graph.edges(data=True):
            if (min(a, b), max(a, b)) in self._used:
                continue
            data["strength"] *= 1.0 - p.decay_per_week
            if data["strength"] < p.removal_threshold:
                gone.append((a, b))
        self.graph.remove_edges_from(gone)
        self.lost += len(gone)
        self._used = set()

    # ------------------------------------------------------------------ handovers
    def referral_ties(self, n_levels: int) -> np.ndarray:
        """(levels, n) strength of the tie over which each resident would be referred to each level's
        team: from their care professional, or else their GP, to the closest colleague of that team
        (0: no tie; rows of levels without referral are 0)."""
        st = self.staff
        best = np.zeros((n_levels, len(st.role)))
        for a, b, s in self.graph.edges(data="strength"):
            for x, y in ((a, b), (b, a)):
                for level in REFERRED_LEVELS:
                    if st.role[y] == ROLE_OF_LEVEL[level] and s > best[level, x]:
                        best[level, x] = s
        referrer = np.where(st.case >= 0, st.case, st.gp)
        return np.where(referrer >= 0, best[:, np.maximum(referrer, 0)], 0.0)

    def handovers(self, n_levels: int) -> tuple[np.ndarray, np.ndarray]:
        """(weeks, drop) arrays of shape (levels, n): the weeks a referral of each resident to each
        level waits before it can start and the chance it is dropped, by the referral tie's strength
        (``cold_*`` over no tie, ``warm_*`` over a tie of strength 1; 0 for levels not referred)."""
        h = self.handover
        tie = self.referral_ties(n_levels)
        referred = np.isin(np.arange(n_levels), REFERRED_LEVELS)[:, None]
        weeks = np.where(referred, np.rint(h.cold_weeks + (h.warm_weeks - h.cold_weeks) * tie), 0.0)
        drop = np.where(referred, h.cold_drop + (h.warm_drop - h.cold_drop) * tie, 0.0)
        return weeks, drop

    def ties_per_district(self, n_districts: int) -> np.ndarray:
        """(districts,) collaboration ties, by the home district of the lower-numbered end."""
        ends = [min(a, b) for a, b in self.graph.edges()]
        return np.bincount(self.staff.district[np.array(ends, dtype=np.int64)], minlength=n_districts) if ends else np.zeros(n_districts, dtype=np.int64)
