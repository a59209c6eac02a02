"""The support ladder (docs/spec/MODEL.md §6): formal care with capacity, after informal care over ties.

Informal care comes first (``abm.core.informal_care``). What remains becomes formal demand when
the resident asks or is detected. Formal levels have client-slot capacity (light
per district: the wijkteam; intensive and long-term municipality-wide); demand above capacity
waits, and waiting lets needs escalate. Clients waiting for intensive help may be parked in light
support meanwhile (the Danish lesson, source §7.5): care that is too light works only partly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from abm.config import Config
from abm.core.levels import CRISIS, INTENSIVE, LEVEL, LIGHT, LONGTERM, NONE, RANK
from abm.core.needs import INDIVIDUAL, MULTI, SOCIAL, Needs
from abm.core.population import Population


class FormalCare:
    """Formal care services: levels, capacity pools, waiting lists and admissions (priced by ``costs.Ledger``)."""

    def __init__(self, config: Config, pop: Population):
        self.config = config
        self.pop = pop
        n = pop.n
        self.level = np.zeros(n, dtype=np.int8)       # level being received now
        self.waiting = np.zeros(n, dtype=np.int8)     # level waited for (0 = not waiting)
        self.wait_since = np.zeros(n, dtype=np.int64)
        self.new_clients = np.zeros(n, dtype=bool)    # entered care this step
        self.first_level = np.zeros(n, dtype=np.int8)  # level at first formal contact, this step
        self.ready_at = np.zeros(n, dtype=np.int64)     # earliest step a referral can start (handover)
        self.dropped = np.zeros(n, dtype=bool)          # referral lost in the handover this step
        self.referral_started = np.zeros(n, dtype=bool)  # a referral to intensive or long-term care started this step
        self.waited = np.zeros(n)                       # weeks from referral to start, for those started
        self.hours_per_client = {LEVEL[k]: h for k, h in config.capacity.hours_per_client.items()}
        self.capacity: dict[tuple[int, int], int] = {}  # client slots per (level, pool) this week
        self._offered: dict[tuple[int, int], float] = {}

    def planned_hours(self) -> dict[tuple[int, int], float]:
        """Professionals' hours per week per (level, pool) that the budget pays for (pool: district,
        or -1 for municipality-wide services); the model staffs ``Professional`` agents with them."""
        return {key: slots * self.hours_per_client[key[0]] for key, slots in self._planned_slots().items()}

    def offer(self, level: str, district: int | None, hours: float) -> None:
        """A professional puts ``hours`` this week into the pool of ``level`` (light per district)."""
        self.offer_all(np.array([LEVEL[level]]), np.array([-1 if district is None else district]), np.array([hours]))

    def offer_all(self, level: np.ndarray, pool: np.ndarray, hours: np.ndarray) -> None:
        """``offer`` for several professionals in turn (level codes, pools (-1: municipal) and hours, aligned)."""
        for key, h in zip(zip(level.tolist(), pool.tolist()), hours.tolist()):
            self._offered[key] = self._offered.get(key, 0.0) + h

    def _planned_slots(self) -> dict[tuple[int, int], int]:
        """Client slots per (level, pool): light per district, intensive and long-term municipal."""
        cfg, pop = self.config, self.pop
        c = cfg.capacity
        # wijkteams are sized by population weighted with the district's need profile (a social
        # index, source §6.1); ASSUMPTION: the mean of the social and individual need factors
        weight = pop.district_sizes * np.mean([pop.table.column("social_need_factor"), pop.table.column("individual_need_factor")], axis=0)
        light = c.light_slots_per_1000 * cfg.budget.front_line_factor * pop.n / 1000 * weight / weight.sum()
        caps = {(LIGHT, d): int(round(x)) for d, x in enumerate(light)}
        total = pop.n / 1000
        caps[(INTENSIVE, -1)] = int(round(c.intensive_slots_per_1000 * c.specialist_factor * total))
        caps[(LONGTERM, -1)] = int(round(c.longterm_slots_per_1000 * total))
        return caps

    def _slots_offered(self) -> dict[tuple[int, int], int]:
        """This week's client slots: the professionals' offered hours per pool over hours per client."""
        slots = {key: int(round(hours / self.hours_per_client[key[0]])) for key, hours in self._offered.items()}
        self._offered = {}
        return slots

    def clear(self, idx: np.ndarray) -> None:
        self.level[idx] = NONE
        self.waiting[idx] = NONE

    def _refer(self, idx: np.ndarray, step: int, handover, rng: np.random.Generator) -> None:
        """Residents ``idx`` now wait for a level: a referral to another team waits some weeks before
        it can start and may be lost (``handover(idx, level) -> (weeks, drop)``, aligned arrays)."""
        if handover is None or len(idx) == 0:
            return
        weeks, drop = handover(idx, self.waiting[idx])
        lost = idx[rng.random(len(idx)) < drop]
        self.dropped[lost] = True
        self.waiting[lost] = NONE
        self.first_level[lost] = NONE
        self.ready_at[idx] = step + weeks.astype(np.int64)

    def step(self, step: int, needs: Needs, unmet_hours: np.ndarray, detected: np.ndarray,
             rng: np.random.Generator, shyness: np.ndarray | None = None, handover=None) -> None:
        """Discharge, ask or be detected, queue (after the handover of a referral), admit (FIFO), park
        in too-light care. ``shyness`` (n,): demand shyness as it acts (default: the residents');
        ``handover``: ``collaboration.Collaboration.handover`` (weeks and drop chance of referrals)."""
        cfg = self.config.needs
        pop = self.pop
        self.capacity = self._slots_offered()
        required = needs.required_level()
        self.new_clients[:] = False
        self.first_level[:] = NONE
        self.dropped[:] = False
        self.referral_started[:] = False
        shyness = pop.demand_shyness if shyness is None else shyness

        # crises are always taken in; crisis care ends when the crisis does
        in_crisis = required == CRISIS
        self.level[in_crisis & (self.level == NONE)] = CRISIS
        entered_crisis = in_crisis & (self.level != CRISIS)
        self.level[entered_crisis] = CRISIS
        self.waiting[in_crisis] = NONE
        left_crisis = (self.level == CRISIS) & ~in_crisis
        self.level[left_crisis] = NONE  # re-enters the ladder below if still in need

        # discharge when no formal need remains; re-queue when the need changed level
        served = (self.level > NONE) & (self.level < CRISIS)
        self.level[served & (required == NONE)] = NONE
        self.waiting[(required == NONE) | (self.waiting == CRISIS)] = NONE
        changed = served & (required != NONE) & (required != self.level) & (self.waiting != required)
        self.waiting[changed] = required[changed]
        self.wait_since[changed] = step
        self._refer(np.flatnonzero(changed), step, handover, rng)

        # new requests: unmet need, and the resident asks or is detected
        outside = (self.level == NONE) & (self.waiting == NONE) & (required > NONE) & (required < CRISIS)
        asks = rng.random(pop.n) < cfg.ask_per_week * (1.0 - shyness)
        private = pop.private_care & (needs.sev[INDIVIDUAL] > 0) & (needs.sev[SOCIAL] == 0) & (needs.sev[MULTI] == 0)
        request = outside & needs.unmet(unmet_hours) & (asks | detected) & ~private
        self.waiting[request] = required[request]
        self.wait_since[request] = step
        self.first_level[request] = required[request]
        self._refer(np.flatnonzero(request), step, handover, rng)
        self.first_level[entered_crisis & ~served] = CRISIS

        # admissions, oldest request first, per pool (a district's residents are one slice of slots)
        ready = self.ready_at <= step
        for (level, pool), cap in self.capacity.items():
            part = self._slots_of(pool)
            free = cap - int(np.count_nonzero(self.level[part] == level))
            if free <= 0:
                continue
            cand = part.start + np.flatnonzero(ready[part] & (self.waiting[part] == level))
            if len(cand) == 0:
                continue
            take = cand[np.argsort(self.wait_since[cand], kind="stable")[:free]]
            self.new_clients[take] = self.level[take] == NONE
            if level in (INTENSIVE, LONGTERM):
                self.referral_started[take] = True
                self.waited[take] = step - self.wait_since[take]
            self.level[take] = level
            self.waiting[take] = NONE
        # parked in light care while waiting for a heavier level (too-light help)
        for d in range(pop.n_districts):
            part = self._slots_of(d)
            level, waiting = self.level[part], self.waiting[part]
            free = self.capacity.get((LIGHT, d), 0) - int(np.count_nonzero(level == LIGHT))
            if free <= 0:
                continue
            cand = part.start + np.flatnonzero((waiting > LIGHT) & (level == NONE))
            take = cand[np.argsort(self.wait_since[cand], kind="stable")[:free]]
            self.new_clients[take] = True
            self.level[take] = LIGHT

    def _slots_of(self, pool: int) -> slice:
        """Residents of a capacity pool: district ``pool``'s slots, or everyone (-1: municipality-wide)."""
        if pool < 0:
            return slice(0, self.pop.n)
        lo = int(self.pop.district_start[pool])
        return slice(lo, lo + int(self.pop.district_sizes[pool]))

    def wait_for_professional(self, idx: np.ndarray, step: int) -> None:
        """Clients ``idx`` whom no professional of their pool has room for (``staff.Staff.assign``) wait
        for their level from now on."""
        self.waiting[idx] = self.level[idx]
        self.wait_since[idx] = step
        self.new_clients[idx] = False
        self.level[idx] = NONE

    def cover(self, needs: Needs, informal_cover: np.ndarray) -> np.ndarray:
        """Share of each track's hours met: informal first (``informal_cover``, shape (3, n)), formal
        (by fit of level) for the rest."""
        cfg = self.config.needs
        inf = informal_cover
        # fit of the level served to the level needed: a table over (served, needed) levels
        served, lvl_code = np.arange(len(RANK))[:, None], np.arange(len(RANK))[None, :]
        served_rank, need_rank = RANK[served], RANK[lvl_code]
        table = np.where(served == CRISIS, 1.0,
                np.where(served == NONE, 0.0,
                np.where(served == lvl_code, 1.0,
                np.where(served_rank > need_rank, 1.0,
                np.where(served_rank == need_rank, cfg.same_rank_effectiveness, cfg.mismatch_effectiveness)))))
        # privately bought help for individual conditions (affluent wards, source: Voorstandswijken);
        # shame keeps part of it unsought ("gêne"), so it covers only (1 - demand shyness)
        return _cover(inf, needs.kind, needs.sev, needs.t.level, table, self.level, self.pop.private_care,
                      self.pop.demand_shyness, INDIVIDUAL)


@njit(cache=True)
def _cover(inf, kind, sev, level_of, fit, level, private_care, shyness, individual):
    """``FormalCare.cover`` in one pass: per track and resident with a need, the informal cover plus
    the rest times the fit of the level served (``fit`` (served, needed)) to the level the need
    calls for (``level_of`` (kind, severity)); on the individual track at least what private help
    covers (``private_care`` and not a client: 1 - ``shyness``); 1 without a need. Arrays (tracks, n)
    and (n,); the same arithmetic as elementwise numpy."""
    out = np.empty(sev.shape)
    for t in range(sev.shape[0]):
        for i in range(sev.shape[1]):
            if sev[t, i] <= 0:
                out[t, i] = 1.0
                continue
            f = fit[level[i], level_of[max(kind[t, i], 0), sev[t, i]]]
            if t == individual:
                f = max(f, 1.0 - shyness[i] if private_care[i] and level[i] == 0 else 0.0)
            out[t, i] = inf[t, i] + (1.0 - inf[t, i]) * f
    return out
