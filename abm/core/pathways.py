"""Routes through formal care (issue 16): triage at the door, the way back, the flex team and the
coordinator of a multi-problem household (source §4.3, §5.4, §5.5, §6.5; seed 002).

- Triage: a new client's need is scanned at the door; with chance 1 - ``triage.quality`` a
  multi-problem is handled as an individual problem, or a deep individual condition (one the
  generalists do not handle) as a social one. Until the mismatch is put right (``review_weeks``, or
  the client leaves care) that track's cover works only at ``mismatch_cover`` (it grows / is not cured).
- The way back: a client stepping down from intensive or long-term care to light support or out is
  followed by a local generalist with chance ``way_back.follow_up`` (a trust contact); without
  follow-up their needs escalate ``relapse_factor`` times as readily for ``window_weeks``. An
  escalation in that window counts as a relapse.
- The flex team: a share of the specialists (``flex_team.share``) give their hours to early, short
  intensive help instead of the intensive pool: residents known to care with an emerging individual
  need (severity 1) the specialists handle get ``early_weeks`` of help that cuts the need's escalation
  to ``early_escalation``. Coaching: a generalist with a collaboration tie of strength s to a flex
  specialist closes ``coaching`` x s of the gap in too-light care for needs the specialists handle.
- The coordinator: with ``coordinator.enabled`` a multi-problem client known to care gets one
  generalist as coordinator (their own, or one of their district): the multi-problem escalates
  ``with_coordinator`` times as readily; without one, where ``several`` professionals serve the
  household, ``without_coordinator`` times.
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.core.levels import CRISIS, INTENSIVE, LIGHT, LONGTERM, NONE, RANK
from abm.core.needs import INDIVIDUAL, MULTI, NEED_KIND, TRACKS, Needs
from abm.core.population import Population
from abm.core.staff import ROLE, Staff
from abm.core.trust import Trust

NEVER = np.iinfo(np.int32).min  # "long ago" for step stamps (an int64 step far in the past)


class Pathways:
    """Per-resident state of triage, stepping down, early help and coordination; weekly flags."""

    def __init__(self, config: Config, pop: Population, staff: Staff, trust: Trust):
        self.config, self.pop, self.staff, self.trust = config, pop, staff, trust
        p = config.professionals
        self.p = p
        n = pop.n
        kinds = lambda role: np.isin(np.arange(len(NEED_KIND)), [NEED_KIND[k] for k in p.roles[role].handles])  # noqa: E731
        self.generalist_handles = kinds("generalist")
        self.specialist_handles = kinds("specialist")
        self.mismatch_track = np.full(n, -1, dtype=np.int8)
        self.mismatch_until = np.zeros(n, dtype=np.int64)
        self.stepped_down_at = np.full(n, NEVER, dtype=np.int64)
        self.followed = np.zeros(n, dtype=bool)
        self.early_helper = np.full(n, -1, dtype=np.int32)
        self.early_until = np.zeros(n, dtype=np.int64)
        self.coordinator = np.full(n, -1, dtype=np.int32)
        self.step_downs = np.zeros(n, dtype=bool)   # this week
        self.relapses = np.zeros(n, dtype=bool)
        self.mismatches = np.zeros(n, dtype=bool)
        self.flex_hours = 0.0

    def forget(self, idx: np.ndarray) -> None:
        """Residents who left: a newcomer starts with none of this."""
        self.mismatch_track[idx] = -1
        self.stepped_down_at[idx] = NEVER
        self.followed[idx] = False
        self.early_helper[idx] = -1
        self.coordinator[idx] = -1

    def forget_professionals(self, slots: np.ndarray) -> None:
        """Professionals ``slots`` left: the early help or coordination they gave ends."""
        gone = self.staff.marks(slots)
        self.early_helper[gone[self.early_helper + 1]] = -1
        self.coordinator[gone[self.coordinator + 1]] = -1

    def new_week(self) -> None:
        self.step_downs[:] = False
        self.relapses[:] = False
        self.mismatches[:] = False
        self.flex_hours = 0.0

    def offer_flex(self, hours: float) -> None:
        """A flex-team specialist's hours this week go to early help."""
        self.flex_hours += hours

    # ------------------------------------------------------------------ after formal care's week
    def after_care(self, step: int, prev_level: np.ndarray, level: np.ndarray, waiting: np.ndarray,
                   first_level: np.ndarray, needs: Needs, rng: np.random.Generator) -> None:
        """Triage of this week's new clients, the way back of those who stepped down, early help and
        coordination. ``prev_level``/``level`` (n,): care level before/after the week;
        ``first_level`` (n,): level of a first contact this week."""
        self._triage(step, level, first_level, needs, rng)
        self._way_back(step, prev_level, level, rng)
        known = (level > NONE) | (waiting > NONE)
        self._early_help(step, level, known, needs, rng)
        self._coordinate(needs, known)

    def _triage(self, step, level, first_level, needs, rng) -> None:
        q = self.p.triage
        expired = (self.mismatch_until <= step) | (level == NONE)
        self.mismatch_track[expired] = -1
        new = np.flatnonzero((first_level > NONE) & (first_level < CRISIS))
        if len(new) == 0:
            return
        track = needs.leading_track(new)
        kind = needs.kind[track, new]
        deep = (track == INDIVIDUAL) & (first_level[new] >= INTENSIVE) & ~self.generalist_handles[np.maximum(kind, 0)]
        can_miss = (track == MULTI) | deep
        miss = can_miss & (rng.random(len(new)) >= q.quality)
        missed = new[miss]
        self.mismatch_track[missed] = track[miss]
        self.mismatch_until[missed] = step + int(round(q.review_weeks))
        self.mismatches[missed] = True

    def _way_back(self, step, prev_level, level, rng) -> None:
        wb = self.p.way_back
        heavy = (prev_level == INTENSIVE) | (prev_level == LONGTERM)
        down = np.flatnonzero(heavy & (RANK[level] < RANK[prev_level]))
        if len(down) == 0:
            return
        self.step_downs[down] = True
        self.stepped_down_at[down] = step
        follow = rng.random(len(down)) < wb.follow_up
        self.followed[down] = follow
        # the local organisation follows them: a contact with a generalist of their district
        for d in np.unique(self.pop.district[down[follow]]):
            local = self.staff.slots_in("generalist", int(d))
            who = down[follow][self.pop.district[down[follow]] == d]
            if len(local):
                self.trust.meet(who, local[rng.integers(len(local), size=len(who))])

    def _early_help(self, step, level, known, needs, rng) -> None:
        ft = self.p.flex_team
        self.early_helper[self.early_until <= step] = -1
        helping = np.flatnonzero(self.early_helper >= 0)
        self.trust.meet(helping, self.early_helper[helping])  # the flex specialist's weekly contact
        flex = np.flatnonzero(self.staff.present & self.staff.flex)
        hours_per_client = self.config.capacity.hours_per_client["intensive"]
        seats = int(self.flex_hours / hours_per_client) - len(helping)
        if not ft.enabled or len(flex) == 0 or seats <= 0:
            return
        kind = needs.kind[INDIVIDUAL]
        emerging = (needs.sev[INDIVIDUAL] == 1) & self.specialist_handles[np.maximum(kind, 0)] & (kind >= 0)
        cand = np.flatnonzero(emerging & known & (self.early_helper < 0) & (level != INTENSIVE) & (level != CRISIS))
        take = cand[rng.permutation(len(cand))[:seats]]
        home = self.staff.district[flex]
        for d in np.unique(self.pop.district[take]):
            who = take[self.pop.district[take] == d]
            team = flex[home == d] if (home == d).any() else flex
            self.early_helper[who] = team[rng.integers(len(team), size=len(who))]
        self.early_until[take] = step + int(round(ft.early_weeks))

    def _coordinate(self, needs, known) -> None:
        self.coordinator[:] = -1
        if not self.p.coordinator.enabled:
            return
        st = self.staff
        multi = np.flatnonzero((needs.sev[MULTI] > 0) & known)
        own = st.case[multi]
        is_generalist = (own >= 0) & (st.role[np.maximum(own, 0)] == ROLE["generalist"])
        self.coordinator[multi[is_generalist]] = own[is_generalist]
        rest = multi[~is_generalist]
        for d in np.unique(self.pop.district[rest]):
            local = st.slots_in("generalist", int(d))
            if len(local):
                self.coordinator[rest[self.pop.district[rest] == d]] = local[0]
        coordinated = np.flatnonzero(self.coordinator >= 0)
        self.trust.meet(coordinated, self.coordinator[coordinated])

    # ------------------------------------------------------------------ effects
    def household_professionals(self, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """(n,) distinct professionals serving each resident's household (care, case management, early
        help); or only for residents ``idx``."""
        pop, st = self.pop, self.staff
        size = int(pop.household.max()) + 1
        codes = [ref[ref >= 0].astype(np.int64) * size + pop.household[ref >= 0] for ref in (st.case, st.case_manager, self.early_helper)]
        households = np.unique(np.concatenate(codes)) % size
        return np.bincount(households, minlength=size)[pop.household[idx]]

    def escalation_factor(self, step: int, needs: Needs) -> np.ndarray:
        """(3, n) factor on each track's escalation chance this week."""
        wb, cd, ft = self.p.way_back, self.p.coordinator, self.p.flex_team
        f = np.ones((len(TRACKS), self.pop.n))
        window = (step - self.stepped_down_at <= wb.window_weeks) & ~self.followed
        f[:, window] *= wb.relapse_factor
        f[INDIVIDUAL, self.early_helper >= 0] *= ft.early_escalation
        multi = needs.sev[MULTI] > 0
        if cd.enabled:
            f[MULTI, multi & (self.coordinator >= 0)] *= cd.with_coordinator
        alone = np.flatnonzero(multi & (self.coordinator < 0))  # without a coordinator: how many serve the household?
        several = alone[self.household_professionals(alone) >= cd.several] if len(alone) else alone
        f[MULTI, several] *= cd.without_coordinator
        return f

    def priced_level(self, level: np.ndarray) -> np.ndarray:
        """(n,) care level as the cost ledger prices it: a resident in the flex team's early help (and
        otherwise at most in light care) is an intensive client-week, since the flex specialists' hours
        are intensive help."""
        early = (self.early_helper >= 0) & ((level == NONE) | (level == LIGHT))
        return np.where(early, INTENSIVE, level).astype(level.dtype)

    def count_relapses(self, step: int, escalations: np.ndarray) -> None:
        """Escalations (``escalations`` (n,)) within the window after stepping down are relapses."""
        self.relapses |= (step - self.stepped_down_at <= self.p.way_back.window_weeks) & (escalations > 0)

    def adjust_cover(self, cover: np.ndarray, level: np.ndarray, waiting: np.ndarray, needs: Needs,
                     coached: np.ndarray) -> np.ndarray:
        """Cover (3, n) after mismatches and coaching. ``coached`` (slots,): strength of each
        professional's strongest tie to a flex specialist."""
        out = cover.copy()
        who = np.flatnonzero(self.mismatch_track >= 0)
        out[self.mismatch_track[who], who] *= self.p.triage.mismatch_cover
        if self.p.flex_team.enabled:
            st = self.staff
            kind = needs.kind[INDIVIDUAL]
            parked = (level == LIGHT) & (waiting > LIGHT) & (st.case >= 0) & self.specialist_handles[np.maximum(kind, 0)] & (kind >= 0)
            s = np.where(parked, coached[np.maximum(st.case, 0)], 0.0)
            out[INDIVIDUAL] += self.p.flex_team.coaching * s * (1.0 - out[INDIVIDUAL])
        return out

