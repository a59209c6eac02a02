"""Citizen initiatives that emerge: care cooperatives and village associations (docs/ODD.md §7.15).

Source: seed 003 §4.1 and §6.4 (zorgcoöperatie Hoogeloon: several hundred members, dozens of
volunteers, two care villas that keep residents with dementia in the village; Austerlitz: a village
support worker working with the cooperative); initiatives arise where self-organisation is high and
are "often unpredictable". There is no switch per district type: a cooperative forms in a district
when enough willing residents with dense ties know each other, whatever the type.

Each week, per district (vectorised over residents):
1. *Founding core*: adults below the frail age without a serious need, willingness >=
   ``founder_min_willingness``, at least ``founder_min_strong_ties`` durable ties, and a durable tie to
   another such resident (they find each other). Above ``critical_core_per_1000`` a cooperative may
   form, at a hazard growing with the excess, times the district's self-organisation.
2. *Members*: the core founds it; adult residents join through their ties to members (at
   ``join_per_year`` x willingness x share of their tie strength to members) and let it lapse.
3. *Work*: members take volunteer roles (neighbour help through the volunteer matching); a meeting
   point raises the district's meetings; strained carers get respite more often; once it is large and
   old enough it opens small-scale housing with care, where residents with dementia stay in the
   village instead of being admitted.
4. *Fading*: when founders move away and volunteers are overloaded, the leaders (founders and
   volunteering members who are not overloaded) may fall below ``leaders_per_1000``; then it fades at
   ``fade_per_year``. Housing residents stay; the villa takes nobody new.
Draws use a generator derived from the run's seed, so runs where no cooperative forms keep the
model's own random stream. ``cooperatives.enabled`` (default true, docs/ODD.md §7.15) lets them emerge in
every district alike; false switches the mechanism off (a variant for comparison).
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.config.units import WEEKS_PER_YEAR
from abm.core.population import Population, weekly
from abm.core.ties import TieView

PER_1000 = 1000.0  # thresholds are per 1,000 residents
COOPERATIVE_STREAM = 4421  # salt of the cooperatives' generator seed (any fixed number; not behaviour)


class Cooperatives:
    """At most one cooperative per district. State: (D,) active, founded step; (n,) member, founder, housed."""

    def __init__(self, config: Config, pop: Population):
        self.p, self.lever = config.cooperatives, config.interventions.cooperative_support
        self.config, self.pop = config, pop
        self.rng = np.random.default_rng([config.seed, COOPERATIVE_STREAM])
        D, n = pop.n_districts, pop.n
        self.active = np.zeros(D, dtype=bool)
        self.founded = np.zeros(D, dtype=np.int64)
        self.formed_now = np.zeros(D, dtype=bool)
        self.member = np.zeros(n, dtype=bool)
        self.founder = np.zeros(n, dtype=bool)
        self.housed = np.zeros(n, dtype=bool)
        self.places = np.round(self.p.housing_places_per_1000 * pop.district_sizes / PER_1000).astype(np.int64)

    def clear(self, idx: np.ndarray) -> None:
        """Residents in slots ``idx`` left (newcomers arrive without membership)."""
        self.member[idx] = self.founder[idx] = self.housed[idx] = False

    def core(self, view: TieView, strong: np.ndarray, able: np.ndarray) -> np.ndarray:
        """Bool (n,): potential founders who have a durable tie to another one."""
        p = self.p
        durable = view.node_sum(strong)
        pot = able & (self.pop.willingness >= p.founder_min_willingness) & (durable >= p.founder_min_strong_ties)
        return pot & view.linked(strong, pot)

    def step(self, view: TieView, strong: np.ndarray, able: np.ndarray, volunteers: np.ndarray,
             overloaded: np.ndarray, step: int) -> None:
        """One week of forming, joining, lapsing and fading. ``strong`` (ties,) bool: durable ties;
        ``able`` (n,) bool: adults below the frail age without a serious need; ``volunteers``,
        ``overloaded`` (n,) bool."""
        p, pop, rng = self.p, self.pop, self.rng
        if not p.enabled:  # no initiatives at all: no draws, nothing changes
            self.formed_now[:] = False
            return
        size = pop.district_sizes / PER_1000
        boost = self.lever.founding_factor if self.lever.enabled else 1.0
        core = self.core(view, strong, able)
        excess = np.maximum(pop.per_district(core) / size / p.critical_core_per_1000 - 1.0, 0.0)
        rate = p.founding_per_year * boost * pop.table.column("self_organisation") * excess
        self.formed_now = ~self.active & (rng.random(pop.n_districts) < weekly(rate))
        self.active |= self.formed_now
        self.founded[self.formed_now] = step
        founders = core & self.formed_now[pop.district]
        self.member |= founders
        self.founder |= founders

        adult = pop.age >= self.config.demography.adult_age  # households join through their adults
        draw = rng.random(pop.n)
        may = np.flatnonzero(self.active[pop.district] & adult & ~self.member)  # the chance matters for these only
        join = np.zeros(pop.n, dtype=bool)
        if len(may):
            to_members = view.node_sum(view.strength, of=self.member)[may]
            share = np.divide(to_members, view.total_strength()[may], out=np.zeros(len(may)), where=to_members > 0)
            join[may] = draw[may] < weekly(p.join_per_year * pop.willingness[may] * share)
        lapse = self.member & ~self.founder & (rng.random(pop.n) < weekly(p.lapse_per_year))
        self.member = (self.member | join) & ~lapse

        leaders = self.member & able & (self.founder | volunteers) & ~overloaded
        fade = self.active & (pop.per_district(leaders) / size < p.leaders_per_1000)
        factor = self.lever.fade_factor if self.lever.enabled else 1.0
        ends = fade & (rng.random(pop.n_districts) < weekly(p.fade_per_year * factor))
        self.active &= ~ends
        gone = ends[pop.district]
        self.member[gone] = self.founder[gone] = False

    def recruits(self, eligible: np.ndarray) -> np.ndarray:
        """Indices of eligible members who take a volunteer role this week."""
        hit = self.member & eligible & (self.rng.random(self.pop.n) < weekly(self.p.volunteer_per_year))
        return np.flatnonzero(hit)

    def meeting_factor(self) -> np.ndarray:
        """(D,) multiplier on meetings: the cooperative's meeting point."""
        return np.where(self.active, 1.0 + self.p.meeting_boost, 1.0)

    def respite(self) -> np.ndarray:
        """(n,) extra respite episodes per year for carers living where a cooperative is."""
        return np.where(self.active[self.pop.district], self.p.respite_per_year, 0.0)

    def housing_open(self, step: int) -> np.ndarray:
        """(D,) bool: the cooperative runs small-scale housing with care."""
        p = self.p
        members = self.pop.per_district(self.member) / self.pop.district_sizes
        old = (step - self.founded) >= p.housing_years * WEEKS_PER_YEAR
        return self.active & old & (members >= p.housing_member_share)

    def house(self, admitted: np.ndarray, dementia: np.ndarray, step: int) -> np.ndarray:
        """Residents with dementia about to be admitted stay in the village's housing while it has
        places; returns those still admitted. ``dementia`` (n,) bool: dementia leads their needs."""
        pop = self.pop
        room = np.where(self.housing_open(step), self.places - pop.per_district(self.housed).astype(np.int64), 0)
        stay = np.zeros(len(admitted), dtype=bool)
        for k in np.flatnonzero(dementia[admitted]).tolist():  # a handful a year: one by one
            d = pop.district[admitted[k]]
            if self.housed[admitted[k]]:  # already in the village's housing: stays there
                stay[k] = True
            elif room[d] > 0:
                room[d] -= 1
                stay[k] = True
        self.housed[admitted[stay]] = True
        return admitted[~stay]

    def cost(self) -> np.ndarray:
        """(D,) euro this week of the municipal support lever."""
        if not self.lever.enabled:
            return np.zeros(self.pop.n_districts)
        lv = self.lever
        yearly = lv.subsidy_per_year + lv.worker_fte * lv.cost_per_fte_year
        return self.active * yearly / WEEKS_PER_YEAR + self.formed_now * lv.startup_grant

    def counts(self) -> dict[str, np.ndarray]:
        """Per-district output values (abm.core.columns)."""
        per = self.pop.per_district
        return {"care_cooperatives": self.active.astype(float), "cooperative_members": per(self.member),
                "cooperative_housing_residents": per(self.housed)}
