"""Trust ties between residents and professionals: the recognisable local face (source §4.2; issue 16).

Stored vectorised: per role and resident, the professional (slot) the resident knows in that role
and the tie's strength, arrays of shape (roles, n). A resident knows at most one professional per
role (their GP, their wijkcoach, their nurse, ...). Ties form through contact: GP consultations,
care and case-management contacts with clients, meeting the generalist at a key facility, a network
developer's contact and introduction, a neighbour's referral. Each contact closes part of the gap
to 1; a week without contact weakens the tie; too-weak ties go, and all ties of a professional who
leaves go with them. A youth and family worker in contact with a child meets the parents too. A resident who knows a local face is less shy to ask and more often noticed.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from abm.config import Config
from abm.config.professionals import ROLES
from abm.core.population import Population
from abm.core.staff import ROLE, Staff
from abm.core.strength import fade, reinforce_once
from abm.core.ties import TieView


class Trust:
    """Resident-professional ties: ``prof`` (roles, n) slot known (-1: none), ``strength`` (roles, n)."""

    def __init__(self, config: Config, pop: Population, staff: Staff, key_facility: np.ndarray):
        self.params = config.professionals.trust
        self.roles = config.professionals.roles
        self.durable = config.ties.durable_strength
        self.adult_age = config.demography.adult_age
        self.pop, self.staff = pop, staff
        self.key_facility = key_facility  # (districts,) bool
        n = pop.n
        self.prof = np.full((len(ROLES), n), -1, dtype=np.int32)
        self.strength = np.zeros((len(ROLES), n))
        self.contact = np.zeros((len(ROLES), n), dtype=bool)  # met this week
        self.contact_rate = np.array([self.roles[r].contact_per_week for r in ROLES])  # per role
        self.formed = 0  # ties formed this week
        self.lost = 0    # ties gone this week (faded or the professional left)

    # ------------------------------------------------------------------ contact
    def meet(self, residents: np.ndarray, slots: np.ndarray) -> None:
        """Contact this week between ``residents`` and professionals ``slots`` (aligned arrays; one
        contact per resident and role). A contact renews a tie with that professional; with another
        professional of the role it starts a new tie unless the resident's tie is stronger than a new one."""
        if len(residents) == 0:
            return
        p = self.params
        formed, lost = _meet(np.asarray(residents, dtype=np.int64), np.asarray(slots, dtype=np.int64), self.staff.role,
                             self.prof, self.strength, self.contact, p.initial_strength, p.reinforcement)
        self.formed += formed
        self.lost += lost

    def week_contacts(self, unmet: np.ndarray, gp_seen: np.ndarray, view: TieView, rng: np.random.Generator) -> None:
        """This week's contacts apart from the developers' (who meet residents in their own step):
        GP consultations (``gp_seen`` (n,) bool), care and case-management contacts with clients at the
        role's ``contact_per_week``, the generalist met at a key facility, a neighbour's referral of a
        resident with unmet need (``unmet`` (n,) bool) to the generalist they know (strong ties only)."""
        st, pop, p = self.staff, self.pop, self.params
        seen = np.flatnonzero(gp_seen & (st.gp >= 0))
        self.meet(seen, st.gp[seen])
        for ref in (st.case, st.case_manager, st.youth_worker):
            who = np.flatnonzero(ref >= 0)
            rate = self.contact_rate[st.role[ref[who]]]
            met = who[rng.random(len(who)) < rate]
            self.meet(met, ref[met])
        self._meet_parents(np.flatnonzero(st.youth_worker >= 0))
        gen = ROLE["generalist"]
        for d in np.flatnonzero(self.key_facility):
            local = st.slots_in("generalist", d)
            if len(local) == 0:
                continue
            lo, size = pop.district_start[d], pop.district_sizes[d]
            who = lo + np.flatnonzero(rng.random(size) < p.key_facility_contact)
            self.meet(who, local[rng.integers(len(local), size=len(who))])
        # a neighbour who knows the generalist refers a resident with unmet need who knows none
        knows = self.prof[gen] >= 0
        who, via = _asking_via(view.u, view.v, view.strength, self.durable, unmet & ~knows, knows)
        referred = rng.random(len(who)) < p.referral_per_week
        who, slot = np.unique(who[referred], return_index=True)
        self.meet(who, self.prof[gen, via[referred][slot]])

    def _meet_parents(self, children: np.ndarray) -> None:
        """The youth and family worker of children this week in contact (``contact``) meets their
        parents too (the household's adults): the worker becomes a known face of the family."""
        row, pop = ROLE["youth_worker"], self.pop
        met = children[self.contact[row, children]]
        if len(met) == 0:
            return
        homes, first = np.unique(pop.household[met], return_index=True)
        home_met = np.zeros(int(pop.household.max()) + 1, dtype=bool)
        home_met[homes] = True
        parents = np.flatnonzero((pop.age >= self.adult_age) & home_met[pop.household])
        worker = self.staff.youth_worker[met[first]][np.searchsorted(homes, pop.household[parents])]
        self.meet(parents, worker)

    def week_end(self) -> None:
        """Ties without contact this week weaken; too-weak ties go."""
        p = self.params
        gone = fade(self.strength, self.prof >= 0, self.contact, p.decay_per_week, p.removal_threshold)
        self.lost += int(np.count_nonzero(gone))
        self.prof[gone] = -1
        self.contact[:] = False

    def reset_counts(self) -> None:
        self.formed = self.lost = 0

    # ------------------------------------------------------------------ departures
    def forget_professionals(self, slots: np.ndarray) -> None:
        """Professionals ``slots`` left: all their ties are gone."""
        gone = self.staff.marks(slots)
        for row in np.unique(self.staff.role[slots]).tolist():  # a professional's ties are in their role's row
            mine = gone[self.prof[row] + 1]
            self.lost += int(np.count_nonzero(mine))
            self.prof[row, mine] = -1
            self.strength[row, mine] = 0.0

    def forget_residents(self, idx: np.ndarray) -> None:
        """Residents who left: their ties are gone (a newcomer knows no one)."""
        self.prof[:, idx] = -1
        self.strength[:, idx] = 0.0

    # ------------------------------------------------------------------ effects
    def familiarity(self) -> np.ndarray:
        """(n,) strength of each resident's strongest trust tie (0: knows no professional)."""
        return self.strength.max(axis=0)

    def demand_shyness(self) -> np.ndarray:
        """(n,) demand shyness as it acts: lowered by ``shyness_relief`` x the strongest trust tie."""
        return self.pop.demand_shyness * (1.0 - self.params.shyness_relief * self.familiarity())

    def gp_detection_factor(self) -> np.ndarray:
        """(n,) factor on a GP's chance to notice an unmet need: up to ``noticing_factor`` for a
        patient who knows their GP well."""
        gp = ROLE["gp"]
        knows = np.where(self.prof[gp] == self.staff.gp, self.strength[gp], 0.0)
        return 1.0 + (self.params.noticing_factor - 1.0) * knows

    def ties_per_district(self) -> np.ndarray:
        """(districts,) live trust ties, by the resident's district."""
        return self.pop.per_district(self.prof >= 0)

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Live ties as (resident, professional slot, strength) arrays."""
        role, res = np.nonzero(self.prof >= 0)
        return res, self.prof[role, res], self.strength[role, res]


@njit(cache=True)
def _asking_via(u, v, strength, durable, asks, knows):
    """Over ties of at least ``durable`` strength: (resident, neighbour) pairs where the resident
    ``asks`` and the neighbour ``knows`` ((n,) bool each), first with the resident at the tie's first
    end (in tie order), then at its second (one pass: the second part kept aside, then appended)."""
    who = np.empty(len(u), dtype=u.dtype)
    via = np.empty(len(u), dtype=u.dtype)
    who_v = np.empty(len(u), dtype=u.dtype)
    via_v = np.empty(len(u), dtype=u.dtype)
    k = 0
    k_v = 0
    for i in range(len(u)):
        if strength[i] >= durable:
            a, b = u[i], v[i]
            if asks[a] and knows[b]:
                who[k], via[k] = a, b
                k += 1
            if asks[b] and knows[a]:
                who_v[k_v], via_v[k_v] = b, a
                k_v += 1
    out_who = np.empty(k + k_v, dtype=u.dtype)
    out_via = np.empty(k + k_v, dtype=u.dtype)
    out_who[:k], out_via[:k] = who[:k], via[:k]
    out_who[k:], out_via[k:] = who_v[:k_v], via_v[:k_v]
    return out_who, out_via


@njit(cache=True)
def _meet(residents, slots, role_of, prof, strength, contact, initial, gain):
    """``Trust.meet`` compiled: every contact reads the ties as they were before the call, then the ties
    are written in the given order (a later contact of the same resident and role wins), as the
    vectorised rule did; a renewed tie is ``strength.reinforce`` once. Returns (ties formed, ties
    replaced)."""
    m = len(residents)
    new_prof = np.empty(m, dtype=prof.dtype)
    new_strength = np.empty(m)
    met = np.zeros(m, dtype=np.bool_)
    formed = lost = 0
    for i in range(m):
        cur, s = prof[role_of[slots[i]], residents[i]], strength[role_of[slots[i]], residents[i]]
        same = cur == slots[i]
        new = not same and (cur < 0 or s < initial)
        if new:
            formed += 1
            lost += 1 if cur >= 0 else 0
        new_strength[i] = reinforce_once(s, gain) if same else (initial if new else s)
        new_prof[i] = slots[i] if new else cur
        met[i] = same or new
    for i in range(m):
        r, x = role_of[slots[i]], residents[i]
        prof[r, x] = new_prof[i]
        strength[r, x] = new_strength[i]
        if met[i]:
            contact[r, x] = True
    return formed, lost
