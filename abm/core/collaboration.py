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

from functools import lru_cache

import networkx as nx
import numpy as np
from numba import njit

from abm.config import Config
from abm.config.professionals import ROLES
from abm.core.levels import INTENSIVE, LEVELS, LONGTERM
from abm.core.staff import ROLE_OF_LEVEL, Staff
from abm.core.strength import fade, reinforce, reinforce_once

REFERRED_LEVELS = (INTENSIVE, LONGTERM)  # levels reached by a referral to another team
REFERRED = np.isin(np.arange(len(LEVELS)), REFERRED_LEVELS)  # by level code: reached by a referral


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
        # present slots by district (this week), and per slot (first, end) of their district's in that array
        self._based: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros((2, 0), np.int64))
        self.formed = self.lost = 0
        self._live: tuple[np.ndarray, np.ndarray] | None = None  # cache of ``_pairs`` (None: stale)
        # while stale: the last exact pairs and the pairs that may hold a new tie since (``_pairs``)
        self._base: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        self._formed_rows: list[tuple[np.ndarray, np.ndarray]] = []

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
        self._stale()
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
            self._stale(ra[new], rb[new])
            self._graph.add_edges_from(zip(a[new].tolist(), b[new].tolist()))
            self.formed += int(np.count_nonzero(new))

    def draw_meetings(self, rng: np.random.Generator) -> None:
        """Who attends a joint meeting this week (``meetings_per_week`` each), and who is based in each
        district (ascending slots; nobody joins or leaves while the professionals act)."""
        st = self.staff
        self.attends = rng.random(len(st.role)) < self.params.meetings_per_week
        present = np.flatnonzero(st.present)
        by_district = present[np.argsort(st.district[present], kind="stable")]
        based = st.district[by_district]  # ascending: each district's first is where the value changes
        first = np.flatnonzero(np.concatenate(([True], based[1:] != based[:-1])))[: len(based)]
        end = np.append(first[1:], len(based))
        span = np.zeros((2, len(st.role)), dtype=np.int64)  # per present slot: (first, end) of their district
        span[:, by_district] = np.repeat(np.stack([first, end]), end - first, axis=1)
        self._based = (by_district, span)

    def meeting(self, slot: int, rng: np.random.Generator) -> None:
        """``slot``, if attending a joint meeting this week, works with a colleague from their district."""
        slots = np.array([slot], dtype=np.int64)
        self.meetings(slots, rng.random(np.count_nonzero(self.meets(slots))))

    def meets(self, slots: np.ndarray) -> np.ndarray:
        """(len(slots),) bool: attends a joint meeting this week and is not alone in their district."""
        inside = slots < len(self.attends)
        if not inside.any():  # no meetings drawn yet, or only newcomers
            return inside
        lo, hi = self._based[1][:, np.where(inside, slots, 0)]
        return inside & self.attends[np.where(inside, slots, 0)] & (hi - lo >= 2)  # the span holds the slot

    def meetings(self, slots: np.ndarray, draws: np.ndarray) -> None:
        """Each of ``slots`` who ``meets`` works in turn with a colleague based in their district, by
        one uniform draw each (``draws``, in order), as ``meeting`` one by one."""
        p, st = self.params, self.staff
        by_district, span = self._based
        slots = slots[self.meets(slots)]
        if len(slots) == 0:
            return
        other, new = _meet(slots, draws, by_district, span[0, slots], span[1, slots], st.org,
                           p.same_organisation_meeting, self.row, self.strength, self._used, p.initial_strength,
                           p.meeting_gain)
        if new.any():
            self._stale(self.row[slots[new]], self.row[other[new]])
            self._graph.add_edges_from(zip(slots[new].tolist(), other[new].tolist()))
            self.formed += int(np.count_nonzero(new))

    def shared_clients(self, gp_seen: np.ndarray, *others: np.ndarray) -> None:
        """Professionals who serve the same resident this week work together: the client's care
        professional, their dementia case manager, their youth and family worker, ``others`` ((n,) slot arrays, -1: none; the flex
        specialist, the coordinator) and (if seen this week, ``gp_seen`` (n,) bool) their GP."""
        st = self.staff
        serving = np.stack([st.case, st.case_manager, st.youth_worker, np.where(gp_seen, st.gp, -1), *others])
        shared = serving[:, (serving >= 0).sum(axis=0) >= 2]
        i, j = _service_pairs(len(serving))
        a, b = shared[i], shared[j]  # (pairs of services, residents)
        ok = (a >= 0) & (b >= 0) & (a != b)
        code, times = np.unique(np.minimum(a[ok], b[ok]).astype(np.int64) * len(self.row) + np.maximum(a[ok], b[ok]),
                                return_counts=True)
        if len(code):
            self._work_together(code // len(self.row), code % len(self.row), self.params.shared_client_gain, times)

    def week_end(self) -> None:
        """Ties not used this week weaken; too-weak ties go."""
        p = self.params
        ra, rb = self._pairs()  # every tie twice, (ra, rb) and (rb, ra)
        s = self.strength[ra, rb]
        gone = fade(s, np.ones(len(s), dtype=bool), self._used[ra, rb], p.decay_per_week, p.removal_threshold)
        self.strength[ra, rb] = s
        self._used[ra, rb] = False  # only ties can have been used
        tie = s != 0
        self._live = (ra[tie], rb[tie])
        gone &= ra < rb
        a, b = self.slot_of[ra[gone]], self.slot_of[rb[gone]]
        self._graph.remove_edges_from(zip(a.tolist(), b.tolist()))
        self.lost += len(a)

    def _stale(self, ra: np.ndarray | None = None, rb: np.ndarray | None = None) -> None:
        """Ties changed: ties were lost, or pairs of rows (``ra``, ``rb``) may hold a new tie."""
        if self._live is not None:
            self._base, self._live = self._live, None
        if ra is not None:
            self._formed_rows += [(ra, rb), (rb, ra)]

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows (ra, rb) of every tie, both ways, in row-major order (as ``np.nonzero(strength)``): kept
        from the last ``week_end`` while no tie has changed since; else the pairs of the last exact list
        and those that may have formed a tie since, in row-major order, where a tie is (the matrix is
        not scanned: its size grows with the square of the staff)."""
        if self._live is None:
            size = len(self.strength)
            code = self._base[0].astype(np.int64) * size + self._base[1]  # ascending, distinct
            if self._formed_rows:  # merged in (the list is long, the new pairs few: no sort of the whole)
                ra, rb = zip(*self._formed_rows)
                new = np.unique(np.concatenate(ra).astype(np.int64) * size + np.concatenate(rb))
                at = np.searchsorted(code, new)
                fresh = (at == len(code)) | (code[np.minimum(at, len(code) - 1)] != new) if len(code) else at >= 0
                code = np.insert(code, at[fresh], new[fresh])
            ra, rb = np.divmod(code, size)
            tie = self.strength[ra, rb] != 0
            self._live = (ra[tie], rb[tie])
            self._formed_rows = []
        return self._live

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
        referred = REFERRED[level]
        weeks = np.where(referred, np.rint(h.cold_weeks + (h.warm_weeks - h.cold_weeks) * tie), 0.0)
        drop = np.where(referred, h.cold_drop + (h.warm_drop - h.cold_drop) * tie, 0.0)
        return weeks, drop

    def ties_per_district(self, n_districts: int) -> np.ndarray:
        """(districts,) collaboration ties, by the home district of the lower-numbered end."""
        ra, rb = self._pairs()
        upper = ra < rb  # each tie once
        lower = np.minimum(self.slot_of[ra[upper]], self.slot_of[rb[upper]])
        return np.bincount(self.staff.district[lower], minlength=n_districts)


@lru_cache(maxsize=8)
def _service_pairs(services: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of ``services`` rows, once (``np.triu_indices(services, 1)``; made once per size)."""
    return np.triu_indices(services, 1)


@njit(cache=True)
def _meet(slots, draws, by_district, lo, hi, org, same, row, strength, used, initial, gain):
    """The joint meetings of ``slots`` in turn (``Collaboration.meetings``; ``draws`` one uniform each;
    ``by_district[lo[k]:hi[k]]`` the slots based in slot k's district): each meets a colleague
    (``_colleague``) and their tie starts at ``initial`` or closes ``gain`` of its gap to 1 (as
    ``strength.reinforce`` once). Returns the colleagues and whether each tie is new."""
    other = np.empty(len(slots), dtype=np.int64)
    new = np.zeros(len(slots), dtype=np.bool_)
    for k in range(len(slots)):
        slot = slots[k]
        o = _colleague(by_district[lo[k]:hi[k]], org, slot, same, draws[k])
        other[k] = o
        ra, rb = row[slot], row[o]
        s = strength[ra, rb]
        if s == 0:
            s = initial
            new[k] = True
        else:
            s = reinforce_once(s, gain)
        strength[ra, rb] = s
        strength[rb, ra] = s
        used[ra, rb] = True
        used[rb, ra] = True
    return other, new


@njit(cache=True)
def _colleague(near, org, slot, same, u):
    """The colleague ``slot`` meets: one of ``near`` (slots based in their district, ``slot`` among them)
    other than ``slot``, those of their own organisation (``org`` (slots,)) ``same`` times likelier;
    ``u`` a uniform draw. The same pick, to the last bit, as ``others[searchsorted(cumsum(w), u * w.sum(),
    side="right")]`` in numpy (numpy's pairwise summation order for the total)."""
    w = np.empty(len(near) - 1)
    others = np.empty(len(near) - 1, dtype=near.dtype)
    k = 0
    for x in near:
        if x != slot:
            w[k] = same if org[x] == org[slot] else 1.0
            others[k] = x
            k += 1
    target = u * (0.0 + _pairwise_sum(w, k))
    total = 0.0
    for i in range(k):
        total += w[i]  # numpy's cumsum: left to right
        if total > target:
            return others[i]
    return others[k - 1]


@njit(cache=True)
def _pairwise_sum(a, n):
    """Sum of ``a[:n]`` in numpy's order: blocks of up to 128 summed in eight partial sums, larger
    ranges halved (at a multiple of 8) and the halves added; without recursion (numba's cache cannot
    reload recursive functions)."""
    lo = np.zeros(64, dtype=np.int64)
    size = np.zeros(64, dtype=np.int64)
    stage = np.zeros(64, dtype=np.int64)  # 1: left half pending; 2: right half pending (left sum in ``left``)
    left = np.zeros(64)
    top = 0
    size[0] = n
    while True:
        m = size[top]
        if m > 128:
            half = m // 2 - (m // 2) % 8
            stage[top] = 1
            top += 1
            lo[top], size[top] = lo[top - 1], half
            continue
        v = _block_sum(a, lo[top], m)
        top -= 1
        while top >= 0 and stage[top] == 2:
            v = left[top] + v
            top -= 1
        if top < 0:
            return v
        left[top], stage[top] = v, 2
        half = size[top] // 2 - (size[top] // 2) % 8
        top += 1
        lo[top], size[top] = lo[top - 1] + half, size[top - 1] - half


@njit(cache=True)
def _block_sum(a, lo, n):
    """numpy's sum of ``a[lo:lo + n]`` for n <= 128."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r = a[lo:lo + 8].copy()
    i = 8
    while i < n - n % 8:
        for j in range(8):
            r[j] += a[lo + i + j]
        i += 8
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    for j in range(i, n):
        res += a[lo + j]
    return res
