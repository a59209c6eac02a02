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
from abm.core.strength import fade, reinforce

REFERRED_LEVELS = (INTENSIVE, LONGTERM)  # levels reached by a referral to another team


class Collaboration:
    """The professionals' collaboration graph and the handovers it carries.

    ``graph`` is a networkx graph over slots; the weekly arithmetic runs on ``strength``, a dense
    (rows, rows) matrix over the present professionals that is the edges' strength (0: no tie), so the
    graph's edges are exactly the matrix's non-zero pairs and the graph's ``strength`` attributes are
    filled in when it is read. ``row[slot]`` is a present professional's row (-1: gone), ``slot_of[row]``
    the reverse (-1: free); a leaver's row is reused by the next newcomer, so the matrix stays the size
    of the staff however many have come and gone.
    """

    def __init__(self, config: Config, staff: Staff):
        self.params = config.professionals.collaboration
        self.handover_params = config.professionals.handover
        self.staff = staff
        self._graph = nx.Graph()
        self.strength = np.zeros((0, 0))
        self._used = np.zeros((0, 0), dtype=bool)
        self.row = np.zeros(0, dtype=np.int64)
        self.slot_of = np.zeros(0, dtype=np.int64)
        self._free_rows: list[int] = []
        self.attends = np.zeros(0, dtype=bool)
        self._based: dict[int, np.ndarray] = {}  # district -> present slots based there (this week)
        self.formed = self.lost = 0

    @property
    def graph(self) -> nx.Graph:
        """The collaboration graph (nodes: present professionals' slots with ``role``; edges with ``strength``)."""
        for a, b, data in self._graph.edges(data=True):
            data["strength"] = float(self.strength[self.row[a], self.row[b]])
        return self._graph

    def add(self, slot: int) -> None:
        if self._free_rows:
            r = self._free_rows.pop()
        else:
            r = int(np.count_nonzero(self.row >= 0))  # rows in use: 0 .. r - 1
            if r >= len(self.strength):
                grow = r + 1 + self.staff.GROWTH
                for name in ("strength", "_used"):
                    old = getattr(self, name)
                    new = np.zeros((grow, grow), dtype=old.dtype)
                    new[: len(old), : len(old)] = old
                    setattr(self, name, new)
                self.slot_of = np.concatenate([self.slot_of, np.full(grow - len(self.slot_of), -1)])
        if slot >= len(self.row):
            self.row = np.concatenate([self.row, np.full(slot + 1 - len(self.row), -1)])
        self.row[slot], self.slot_of[r] = r, slot
        self._graph.add_node(slot, role=ROLES[self.staff.role[slot]])

    def remove(self, slot: int) -> None:
        """A professional left: their ties are gone, their row is free."""
        if slot in self._graph:
            self.lost += self._graph.degree(slot)
            self._graph.remove_node(slot)
        r = int(self.row[slot])
        self.strength[r, :] = self.strength[:, r] = 0.0
        self._used[r, :] = self._used[:, r] = False
        self.row[slot], self.slot_of[r] = -1, -1
        self._free_rows.append(r)

    def reset_counts(self) -> None:
        self.formed = self.lost = 0

    def _work_together(self, a: np.ndarray, b: np.ndarray, gain: float, times: np.ndarray | int = 1) -> None:
        """Pairs (``a``, ``b``) of different slots worked together ``times`` this week."""
        ra, rb = self.row[a], self.row[b]
        s = self.strength[ra, rb]
        new = s == 0
        s = np.where(new, self.params.initial_strength, reinforce(s, gain, times))
        self.strength[ra, rb] = s
        self.strength[rb, ra] = s
        self._used[ra, rb] = self._used[rb, ra] = True
        if new.any():
            self._graph.add_edges_from(zip(a[new].tolist(), b[new].tolist()))
            self.formed += int(np.count_nonzero(new))

    def draw_meetings(self, rng: np.random.Generator) -> None:
        """Who attends a joint meeting this week (``meetings_per_week`` each), and who is based in each
        district (ascending slots; nobody joins or leaves while the professionals act)."""
        st = self.staff
        self.attends = rng.random(len(st.role)) < self.params.meetings_per_week
        present = np.flatnonzero(st.present)
        by_district = present[np.argsort(st.district[present], kind="stable")]
        bases, first = np.unique(st.district[by_district], return_index=True)
        self._based = dict(zip(bases.tolist(), np.split(by_district, first[1:])))

    def meeting(self, slot: int, rng: np.random.Generator) -> None:
        """``slot``, if attending a joint meeting this week, works with a colleague from their district."""
        p, st = self.params, self.staff
        if slot >= len(self.attends) or not self.attends[slot]:
            return
        near = self._based[int(st.district[slot])]
        near = near[near != slot]
        if len(near) == 0:
            return
        weight = np.where(st.org[near] == st.org[slot], p.same_organisation_meeting, 1.0)
        other = int(near[min(int(np.searchsorted(np.cumsum(weight), rng.random() * weight.sum(), side="right")), len(near) - 1)])
        # as ``_work_together`` for one pair, in scalars
        ra, rb = int(self.row[slot]), int(self.row[other])
        s = float(self.strength[ra, rb])
        new = s == 0
        s = self.params.initial_strength if new else float(reinforce(s, p.meeting_gain))
        self.strength[ra, rb] = self.strength[rb, ra] = s
        self._used[ra, rb] = self._used[rb, ra] = True
        if new:
            self._graph.add_edge(slot, other)
            self.formed += 1

    def shared_clients(self, gp_seen: np.ndarray, *others: np.ndarray) -> None:
        """Professionals who serve the same resident this week work together: the client's care
        professional, their dementia case manager, their youth and family worker, ``others`` ((n,) slot arrays, -1: none; the flex
        specialist, the coordinator) and (if seen this week, ``gp_seen`` (n,) bool) their GP."""
        st = self.staff
        serving = np.stack([st.case, st.case_manager, st.youth_worker, np.where(gp_seen, st.gp, -1), *others])
        shared = serving[:, (serving >= 0).sum(axis=0) >= 2]
        codes = []
        for i in range(len(serving)):
            for j in range(i + 1, len(serving)):
                a, b = shared[i], shared[j]
                ok = (a >= 0) & (b >= 0) & (a != b)
                codes.append(np.minimum(a[ok], b[ok]).astype(np.int64) * len(self.row) + np.maximum(a[ok], b[ok]))
        code, times = np.unique(np.concatenate(codes), return_counts=True)
        if len(code):
            self._work_together(code // len(self.row), code % len(self.row), self.params.shared_client_gain, times)

    def week_end(self) -> None:
        """Ties not used this week weaken; too-weak ties go."""
        p = self.params
        ra, rb = np.nonzero(self.strength)  # every tie twice, (ra, rb) and (rb, ra)
        s = self.strength[ra, rb]
        gone = fade(s, np.ones(len(s), dtype=bool), self._used[ra, rb], p.decay_per_week, p.removal_threshold)
        self.strength[ra, rb] = s
        gone &= ra < rb
        a, b = self.slot_of[ra[gone]], self.slot_of[rb[gone]]
        self._graph.remove_edges_from(zip(a.tolist(), b.tolist()))
        self.lost += len(a)
        self._used[:] = False

    def strength_to(self, group: np.ndarray, of: np.ndarray | None = None) -> np.ndarray:
        """Strength of each professional's strongest tie to a professional in ``group`` ((slots,) bool):
        shape (slots,), or only for slots ``of``."""
        rows = self.row[: len(group)] if of is None else self.row[of]
        out = np.zeros(len(rows))
        here = rows >= 0
        cols = self.row[np.flatnonzero(group)]
        out[here] = self.strength[np.ix_(rows[here], cols[cols >= 0])].max(axis=1, initial=0.0)
        return out

    # ------------------------------------------------------------------ handovers
    def referral_tie(self, idx: np.ndarray, level: np.ndarray) -> np.ndarray:
        """Strength of the tie over which residents ``idx`` are referred to ``level``'s team (aligned
        arrays): from their care professional, or else their GP, to the closest colleague of that team
        (0: no tie, or a level reached without referral)."""
        st = self.staff
        referrer = np.where(st.case[idx] >= 0, st.case[idx], st.gp[idx])
        tie = np.zeros(len(idx))
        for lvl in REFERRED_LEVELS:
            to = (level == lvl) & (referrer >= 0)
            if to.any():
                tie[to] = self.strength_to(st.present & (st.role == ROLE_OF_LEVEL[lvl]), referrer[to])
        return tie

    def handover(self, idx: np.ndarray, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(weeks, drop) for referrals of residents ``idx`` to ``level`` (aligned arrays): the weeks
        before it can start and the chance it is lost, by the referral tie's strength (``cold_*`` over
        no tie, ``warm_*`` over a tie of strength 1; 0 for levels reached without referral)."""
        h = self.handover_params
        tie = self.referral_tie(idx, level)
        referred = np.isin(level, REFERRED_LEVELS)
        weeks = np.where(referred, np.rint(h.cold_weeks + (h.warm_weeks - h.cold_weeks) * tie), 0.0)
        drop = np.where(referred, h.cold_drop + (h.warm_drop - h.cold_drop) * tie, 0.0)
        return weeks, drop

    def ties_per_district(self, n_districts: int) -> np.ndarray:
        """(districts,) collaboration ties, by the home district of the lower-numbered end."""
        ra, rb = np.nonzero(self.strength)
        upper = ra < rb  # each tie once
        lower = np.minimum(self.slot_of[ra[upper]], self.slot_of[rb[upper]])
        return np.bincount(self.staff.district[lower], minlength=n_districts)
