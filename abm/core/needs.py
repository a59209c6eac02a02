"""Needs: three tracks per resident (social, individual condition, multi-problem), docs/spec/MODEL.md §5.

Every kind of need runs through the same mechanism with its own parameters (``needs.kinds`` in the
config): onset, autonomous progression (dementia's four stages), escalation when unmet,
de-escalation when met, spontaneous recovery, relapse of chronic conditions, a severity floor for
permanent limitations, and a crisis when a need at its maximum severity escalates further.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from abm.config import NEED_KINDS, Config
from abm.config.units import TOLERANCE
from abm.core import onset_balance
from abm.core.levels import LEVEL, RANK
from abm.core.need_codes import INDIVIDUAL, MULTI, NEED_KIND, SOCIAL, TRACKS
from abm.core.population import Population, bounded, weekly

# one individual condition at a time: a recovery episode after a hospital admission only starts on a free
# track (a resident with a condition is cared for under that condition; docs/ODD.md §7.4)
INDIVIDUAL_KINDS = np.array([NEED_KIND[k] for k in ("dementia", "psychiatric", "disability", "frailty", "brain_injury",
                                                    "chronic_illness", "recovery")])


class NeedTables:
    """The kinds' parameters as arrays indexed by kind code, plus per-district onset factors."""

    def __init__(self, config: Config, pop: Population):
        kinds = [config.needs.kinds[k] for k in NEED_KINDS]

        def col(field, default=0.0):
            return np.array([default if getattr(k, field) is None else getattr(k, field) for k in kinds], dtype=float)

        self.onset = col("onset_per_year")
        self.min_age, self.max_age = col("min_age"), col("max_age")
        self.doubling = col("age_doubling_years", np.inf)
        self.lonely_factor = col("lonely_factor")
        self.max_sev = col("max_severity").astype(np.int8)
        self.p_prog = weekly(col("progression_per_year"))
        self.slowing = col("informal_slowing")
        self.p_esc = weekly(col("escalation_per_year"))
        self.p_de = weekly(col("deescalation_per_year"))
        self.p_rec = weekly(col("recovery_per_year"))
        self.p_relapse = weekly(col("relapse_per_year"))
        self.floor = col("floor").astype(np.int8)
        self.subst = col("substitutability")
        self.helping = col("helping_benefit")
        self.prevalence = col("initial_prevalence")
        self.onset_sev = col("onset_severity").astype(np.int8)
        # hours per week by severity (0: none), looked up per resident
        p = config.needs
        sev = np.arange(int(self.max_sev.max()) + 1)
        self.hours = np.where(sev > 0, p.hours_first_severity * p.hours_factor_per_severity ** (sev.astype(float) - 1.0), 0.0)
        # care[kind, severity] -> informal care hours/week; severity 0 needs none
        self.care = np.zeros((len(kinds), int(self.max_sev.max()) + 1))
        for i, k in enumerate(kinds):
            self.care[i, 1 : len(k.care_hours) + 1] = k.care_hours
        # the same with a last row for 'no need' (kind -1: a negative index), so that a lookup needs no mask
        self.care_of = np.vstack([self.care, np.zeros((1, self.care.shape[1]))])
        self.subst_of = np.append(self.subst, 0.0)
        # level[kind, severity] -> formal level code; severity 0 needs nothing
        self.level = np.zeros((len(kinds), int(self.max_sev.max()) + 1), dtype=np.int8)
        for i, k in enumerate(kinds):
            for s, name in enumerate(k.levels, start=1):
                self.level[i, s] = LEVEL[name]
        # the same with a last row for 'no need' (kind -1), and the order in which needs set the
        # formal level: heaviest level first, then severity (``Needs._leading``)
        width = int(self.max_sev.max()) + 1
        self.level_of = np.vstack([self.level, np.zeros((1, width), dtype=np.int8)])
        self.order = RANK[self.level_of] * width + np.arange(width)
        # district onset factor per kind: shape (n_districts, n_kinds)
        self.district_factor = np.array(
            [[getattr(p, k.district_factor) for k in kinds] for p in pop.table.params], dtype=float
        )
        self.district_max = self.district_factor.max(axis=0)  # (n_kinds,): for bounds of the hazards


class Needs:
    """Severity per track (0 = no need), the individual condition, and crisis flags."""

    def __init__(self, config: Config, pop: Population, rng: np.random.Generator):
        self.config = config
        self.pop = pop
        self.t = NeedTables(config, pop)
        # chronic kinds: onset derived from the prevalence, so that their pools stay at it (onset_balance)
        self.stationary = onset_balance.chronic_kinds(self.t, INDIVIDUAL_KINDS) if config.needs.stationary_onset else []
        self.lonely_share = np.zeros(len(NEED_KINDS))
        self.steady = onset_balance.SteadyProfiles(self.t, self.stationary, config.demography.max_age)
        self.q = np.zeros((len(self.stationary), pop.n_districts, len(self.steady.grid)))
        self.derive_onset()
        n = pop.n
        self.sev = np.zeros((len(TRACKS), n), dtype=np.int8)
        self.kind = np.full((len(TRACKS), n), -1, dtype=np.int8)
        self.kind[SOCIAL] = NEED_KIND["social"]
        self.kind[MULTI] = NEED_KIND["multi_problem"]
        self.crisis = np.zeros(n, dtype=bool)
        self._lead: tuple | None = None  # ``_leading``'s look-up, kept up to date (``_leading_refresh``)
        self.escalations = np.zeros(n, dtype=np.int64)  # this step, per resident
        self.crises = np.zeros(n, dtype=np.int64)
        self.seed_prevalence(np.arange(n), rng)

    # ------------------------------------------------------------------ helpers
    def _onset_rate(self, kind: int, idx: np.ndarray, lonely: np.ndarray | None = None) -> np.ndarray:
        """Yearly onset hazard of ``kind`` for residents ``idx`` (age, loneliness, district)."""
        return self._onset_rates([kind], idx, lonely)[0]

    def _onset_rates(self, kinds, idx: np.ndarray, lonely: np.ndarray | None = None) -> np.ndarray:
        """Yearly onset hazards of ``kinds`` for residents ``idx``: shape (len(kinds), len(idx));
        ``lonely`` (n,) bool, else read from the population."""
        t, pop = self.t, self.pop
        age, district = pop.age[idx], pop.district[idx]
        rates = np.zeros((len(kinds), len(idx)))
        lonely_here = None
        for row, kind in enumerate(kinds):
            ok = np.flatnonzero((age >= t.min_age[kind]) & (age < t.max_age[kind]))
            if t.onset[kind] <= 0 or len(ok) == 0:
                continue
            r = t.onset[kind] * t.district_factor[district[ok], kind]
            if np.isfinite(t.doubling[kind]):
                r = r * np.exp2((age[ok] - t.min_age[kind]) / t.doubling[kind])
            if t.lonely_factor[kind] > 0:
                if lonely_here is None:
                    lonely_here = pop.lonely(idx) if lonely is None else lonely[idx]
                r = r * (1.0 + t.lonely_factor[kind] * lonely_here[ok])
            rates[row, ok] = r
        return rates

    def _onset_bound(self, kinds, oldest: float) -> float:
        """An upper bound of the summed yearly onset hazard of ``kinds`` for any resident aged up to
        ``oldest`` (the largest district factor, age factor and loneliness factor; with a relative
        margin of ``TOLERANCE`` for rounding)."""
        t, k = self.t, np.asarray(kinds)
        # the age factor: 2^(years above min_age / doubling); no doubling (infinite): 2^0
        age = np.exp2(np.maximum(np.minimum(oldest, t.max_age[k]) - t.min_age[k], 0.0) / t.doubling[k])
        r = np.maximum(t.onset[k], 0.0) * t.district_max[k] * age * (1.0 + np.maximum(t.lonely_factor[k], 0.0))
        return float(r.sum()) * (1.0 + TOLERANCE)

    def _eligible_weight(self, kind: int, idx: np.ndarray) -> np.ndarray:
        """1 x district factor for residents of eligible age, else 0 (kinds without onset)."""
        t, pop = self.t, self.pop
        age = pop.age[idx]
        ok = (age >= t.min_age[kind]) & (age < t.max_age[kind])
        return np.where(ok, t.district_factor[pop.district[idx], kind], 0.0)

    def derive_onset(self) -> None:
        """Base onset of the chronic kinds from their prevalences (``onset_balance``), for the population
        as it is now. Called at the start and again when the warm-up ends, once loneliness has settled
        (newcomers and initial residents start at their trait, well below the settled share)."""
        if not self.stationary:
            return
        t, pop = self.t, self.pop
        for k in self.stationary:
            at_risk = pop.age >= t.min_age[k]
            self.lonely_share[k] = pop.lonely(at_risk).mean() if at_risk.any() else 0.0
        r = np.stack([t.district_factor[:, k] * (1.0 + t.lonely_factor[k] * self.lonely_share[k]) for k in self.stationary])
        h, self.q = self.steady.solve(r, pop.district, pop.age)
        t.onset[self.stationary] = h

    def membership(self, kind: int, idx: np.ndarray) -> np.ndarray:
        """Chance (len(idx),) that each of residents ``idx`` has ``kind`` at the configured prevalence.
        Chronic kinds with a derived onset: the cumulative onset up to their age among those without
        another condition (``onset_balance``).
        Others: the prevalence among those of eligible age, spread in proportion to their onset hazard
        (age, district, loneliness; kinds present from birth by age window and district). An assumption."""
        t = self.t
        if kind in self.stationary:
            return self.steady.lookup(self.q, self.stationary.index(kind), self.pop.district[idx], self.pop.age[idx])
        weight = self._onset_rate(kind, idx) if t.onset[kind] > 0 else self._eligible_weight(kind, idx)
        if weight.sum() <= 0 or t.prevalence[kind] <= 0:
            return np.zeros(len(idx))
        return bounded(t.prevalence[kind] * weight / weight[weight > 0].mean(), 0, 1)

    def seed_prevalence(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """Initial needs: each kind present with its prevalence among eligible residents (assumption)."""
        if len(idx) == 0:
            return
        self.clear(idx)
        t = self.t
        for track, kinds in ((SOCIAL, [NEED_KIND["social"]]), (MULTI, [NEED_KIND["multi_problem"]]), (INDIVIDUAL, INDIVIDUAL_KINDS)):
            taken = np.zeros(len(idx))  # expected share of idx already given an individual condition
            for k in kinds:
                if t.prevalence[k] <= 0:  # nobody has it (``membership`` is 0): no draws
                    continue
                # free: no need on the track (individual: no condition, latent psychiatric ones included)
                mask = (self.kind[track, idx] < 0) if track == INDIVIDUAL else (self.sev[track, idx] == 0)
                free = idx[mask]
                if k in self.stationary:  # drawn among the free: conditional chance, so the share is p
                    share = self.membership(k, idx)  # elementwise by resident: the free ones' is share[mask]
                    p = bounded(share[mask] / np.maximum(1.0 - taken[mask], np.finfo(float).tiny), 0, 1)
                    taken += share
                else:
                    p = self.membership(k, free)
                if not p.any():
                    continue
                hit = free[rng.random(len(free)) < p]
                self.sev[track, hit] = rng.integers(max(1, t.floor[k]), t.max_sev[k] + 1, len(hit))
                self.kind[track, hit] = k
                if t.p_relapse[k] > 0:  # chronic: most are between episodes (share in an episode ~ relapse / (relapse + recovery))
                    active = t.p_relapse[k] / (t.p_relapse[k] + t.p_de[k] + t.p_rec[k])
                    self.sev[track, hit[rng.random(len(hit)) >= active]] = 0

    def clear(self, idx: np.ndarray) -> None:
        """No needs for residents ``idx`` (before their needs are drawn)."""
        self.sev[:, idx] = 0
        self.kind[INDIVIDUAL, idx] = -1
        self.crisis[idx] = False

    def hours(self) -> np.ndarray:
        """Hours of support needed per week, per track: shape (3, n)."""
        return self.t.hours[self.sev]

    def care_hours(self) -> np.ndarray:
        """Hours of informal care needed per week, summed over the tracks: shape (n,)."""
        return np.take(self.t.care_of, self.kind * np.int16(self.t.care_of.shape[1]) + self.sev).sum(axis=0)

    def substitutable(self) -> np.ndarray:
        """Share of each track's hours that informal support can cover: shape (3, n)."""
        return np.take(self.t.subst_of, self.kind)

    def _leading(self, idx: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per resident (or residents ``idx``): the track whose need calls for the heaviest formal level
        (then the highest severity; the first on a tie), that level, and the kind of that need (-1:
        none): shapes (n,) each."""
        if idx is not None:
            return _leading_pass(self.kind[:, idx], self.sev[:, idx], self.t.order, self.t.level_of)
        if self._lead is None:  # kinds and severities last seen (none yet: -2, -1), and their look-up
            m = self.kind.shape[1]
            self._lead = (np.full_like(self.kind, -2), np.full_like(self.sev, -1), np.zeros(m, dtype=np.intp),
                          np.zeros(m, dtype=self.t.level_of.dtype), np.full(m, -1, dtype=self.kind.dtype))
        _leading_refresh(self.kind, self.sev, *self._lead, self.t.order, self.t.level_of)
        return tuple(a.copy() for a in self._lead[2:])

    def leading_track(self, idx: np.ndarray) -> np.ndarray:
        """Track (``TRACKS`` index) whose need sets the formal level of residents ``idx``."""
        return self._leading(idx)[0]

    def required_level(self) -> np.ndarray:
        """Formal level each resident needs now: the heaviest over tracks; crisis overrides."""
        return self.level_and_kind()[0]

    def leading_kind(self) -> np.ndarray:
        """(n,) kind code of the need that sets the resident's formal level; -1 without a need."""
        return self._leading()[2]

    def level_and_kind(self) -> tuple[np.ndarray, np.ndarray]:
        """``required_level()`` and ``leading_kind()`` from one look-up of the leading need: (n,) each."""
        _, level, kind = self._leading()
        return np.where(self.crisis, LEVEL["crisis"], level).astype(np.int8), kind

    def any_need(self) -> np.ndarray:
        """Bool (n,): any track with a need, or in crisis."""
        return (self.sev > 0).any(axis=0) | self.crisis

    def serious(self) -> np.ndarray:
        """Bool (n,): a need of at least ``needs.serious_severity`` on some track."""
        return (self.sev >= self.config.needs.serious_severity).any(axis=0)

    def unmet(self, unmet_hours: np.ndarray) -> np.ndarray:
        """Bool (n,): the hours left unmet (per week) are enough to count as an unmet need."""
        p = self.config.needs
        return unmet_hours >= p.unmet_threshold * p.hours_first_severity

    # ------------------------------------------------------------------ dynamics
    def onset(self, rng: np.random.Generator) -> None:
        """New needs arise; chronic conditions relapse."""
        lonely = self.pop.lonely()
        # a resident's onset needs a draw below the weekly chance of the hazard's upper bound: the
        # hazards are computed only for those draws (the same draws, the same outcome)
        oldest = self.pop.age.max()
        for track, code in ((SOCIAL, NEED_KIND["social"]), (MULTI, NEED_KIND["multi_problem"])):
            free = np.flatnonzero(self.sev[track] == 0)
            u = rng.random(len(free))
            close = u < weekly(self._onset_bound([code], oldest))
            near = free[close]
            hit = near[u[close] < weekly(self._onset_rate(code, near, lonely))]
            self.sev[track, hit] = self.t.onset_sev[code]
        ind_kind = self.kind[INDIVIDUAL]
        free = np.flatnonzero(ind_kind < 0)
        u = rng.random(len(free))
        close = u < weekly(self._onset_bound(INDIVIDUAL_KINDS, oldest))
        near = free[close]
        rates = self._onset_rates(INDIVIDUAL_KINDS, near, lonely)
        total = rates[0].copy()
        for row in rates[1:]:  # kind by kind, as numpy sums a few rows
            total += row
        hit = u[close] < weekly(total)
        who, r = near[hit], rates[:, hit]
        pick = (rng.random(len(who)) * r.sum(axis=0) > np.cumsum(r, axis=0)).sum(axis=0)
        self.kind[INDIVIDUAL, who] = INDIVIDUAL_KINDS[pick]
        self.sev[INDIVIDUAL, who] = np.maximum(self.t.onset_sev[INDIVIDUAL_KINDS[pick]], self.t.floor[INDIVIDUAL_KINDS[pick]])
        latent = np.flatnonzero((ind_kind >= 0) & (self.sev[INDIVIDUAL] == 0))
        relapse = latent[rng.random(len(latent)) < self.t.p_relapse[ind_kind[latent]]]
        self.sev[INDIVIDUAL, relapse] = self.t.onset_sev[ind_kind[relapse]]

    def update(self, cover: np.ndarray, informal: np.ndarray, helping: np.ndarray, rng: np.random.Generator,
               escalation_factor: np.ndarray | None = None) -> None:
        """One week of course: progression, escalation when unmet, de-escalation when met.

        ``cover`` (3, n): share of each track's hours met (informal + effective formal);
        ``informal`` (n): share of substitutable hours met informally (slows progression);
        ``helping`` (n, bool): residents who volunteer (helping others lowers one's own need);
        ``escalation_factor`` (3, n): factor on each track's escalation chance (``pathways.Pathways``).
        """
        t = self.t
        self.escalations[:] = 0
        self.crises[:] = 0
        for track in (SOCIAL, INDIVIDUAL, MULTI):
            idx = np.flatnonzero(self.sev[track] > 0)
            if len(idx) == 0:
                continue
            k = self.kind[track, idx]
            s = self.sev[track, idx]
            c = cover[track, idx]
            draws = rng.random((4, len(idx)))
            prog = draws[0] < t.p_prog[k] * (1.0 - t.slowing[k] * informal[idx])
            esc = draws[1] < t.p_esc[k] * (1.0 - c) * (1.0 if escalation_factor is None else escalation_factor[track, idx])
            de = draws[2] < np.minimum(1.0, t.p_de[k] * c * (1.0 + t.helping[k] * helping[idx]))
            rec = draws[3] < t.p_rec[k]
            up = prog | esc
            down = (de | rec) & ~up
            at_max = s >= t.max_sev[k]
            new_crisis = esc & at_max & ~self.crisis[idx]
            self.crisis[idx[new_crisis]] = True
            self.crises[idx[new_crisis]] += 1
            self.escalations[idx[esc]] += 1
            s = np.where(up & ~at_max, s + 1, s)
            s = np.where(down, np.maximum(s - 1, t.floor[k]), s)
            self.sev[track, idx] = s
            if track == INDIVIDUAL:
                gone = idx[(s == 0) & (t.p_relapse[k] == 0)]
                self.kind[INDIVIDUAL, gone] = -1

    def resolve_crises(self, rng: np.random.Generator, admission_factor: np.ndarray | None = None) -> np.ndarray:
        """Crisis care ends crises; some end in admission (chance ``crisis_admission_share``, times
        ``admission_factor`` (n,) if given). Returns residents admitted (who leave)."""
        p = self.config.needs
        idx = np.flatnonzero(self.crisis)
        ended = idx[rng.random(len(idx)) < weekly(p.crisis_resolution_per_year)]
        self.crisis[ended] = False
        # the heaviest track comes down one level after crisis care
        heaviest = np.argmax(self.sev[:, ended], axis=0)
        self.sev[heaviest, ended] = np.maximum(
            self.sev[heaviest, ended] - 1, self.t.floor[np.maximum(self.kind[heaviest, ended], 0)]
        )
        share = p.crisis_admission_share if admission_factor is None else p.crisis_admission_share * admission_factor[ended]
        return ended[rng.random(len(ended)) < share]


@njit(cache=True)
def _leading_pass(kind, sev, order, level_of):
    """``Needs._leading`` in one pass: per column of ``kind``, ``sev`` (tracks, m) the track with the
    highest ``order[kind, sev]`` (kind -1: the tables' last row; the first track on a tie), the level
    ``level_of`` there, and the kind there (-1 at severity 0)."""
    m = kind.shape[1]
    track = np.zeros(m, dtype=np.intp)
    level = np.zeros(m, dtype=level_of.dtype)
    leading = np.full(m, -1, dtype=kind.dtype)
    for i in range(m):
        _leading_column(kind, sev, i, order, level_of, track, level, leading)
    return track, level, leading


@njit(cache=True)
def _leading_refresh(kind, sev, seen_kind, seen_sev, track, level, leading, order, level_of):
    """``_leading_pass``'s results (``track``, ``level``, ``leading``), kept for ``seen_kind``,
    ``seen_sev``, brought up to date in place for the columns of ``kind``, ``sev`` that differ (each
    column's look-up depends on that column alone: the same results as a new pass)."""
    tracks, m = kind.shape
    for i in range(m):
        same = True
        for r in range(tracks):
            if kind[r, i] != seen_kind[r, i] or sev[r, i] != seen_sev[r, i]:
                same = False
                seen_kind[r, i], seen_sev[r, i] = kind[r, i], sev[r, i]
        if not same:
            _leading_column(kind, sev, i, order, level_of, track, level, leading)


@njit(cache=True)
def _leading_column(kind, sev, i, order, level_of, track, level, leading):
    """The look-up of ``_leading_pass`` for column ``i``, written into ``track``, ``level``, ``leading``."""
    last = order.shape[0] - 1
    best, t = -1, 0
    for r in range(kind.shape[0]):
        k = kind[r, i]
        score = order[k if k >= 0 else last, sev[r, i]]
        if score > best:
            best, t = score, r
    k = kind[t, i]
    track[i] = t
    level[i] = level_of[k if k >= 0 else last, sev[t, i]]
    leading[i] = k if sev[t, i] > 0 else -1
