"""Families and youth: problems on one side or on both, youth care, out-of-home placement (docs/ODD.md §7.16).

Source: seed 003 §7.2 distinguishes two youth subpopulations: problems on *one side* (parents or
child; a strong factor remains and ambulant help at home usually suffices) and on *both sides*
(basic parenting fails; intensive help, sometimes out-of-home placement). Parenting questions are a
social need that informal ties and parents meeting each other (the broad school, a key facility) can
soften; youth without supervision or activities hang about in groups (storp).

Per resident under ``demography.adult_age``, each week (vectorised):
1. *Onset* of a problem at ``youth.onset_per_year`` x the district's ``social_need_factor``, lower
   when the parents (adults of the household) have local ties outside the household (``tie_scale``,
   ``tie_softening``) and where a key facility (broad school) is, higher when a parent has a
   multi-problem or a serious psychiatric need; with such a parent the problem is on both sides.
2. *Youth care*: families with a problem reach youth care (``ask_per_week``, less when shy; families
   who buy help privately go elsewhere) as far as the capacity goes: ambulant care for one side,
   intensive care for both sides. Capacity is the hours the youth and family workers
   (``agents.Professional``, role ``youth_worker``) offer this week, shared over the two levels as
   their slots per 1,000 youth are, over the worker's hours per client-week (``worker_item``); each
   client is on a youth worker's caseload (``staff.Staff.assign_youth``).
3. *Course*: one-side problems resolve (faster with care) or, unserved, become both-sided; with
   intensive care both-side problems come down to one side; both-side problems may end in
   out-of-home placement (more often without intensive care), which ends after
   ``placement_mean_years`` on average. At adult age the youth track ends.
4. *Teens without supervision*: residents from ``teen_age`` without an activity whose household has
   little local tie strength (``supervised_ties``).
5. *The family carries the child's problem*: an adult of a household whose child has a problem gets a
   social need (family support; a parenting question) at ``parent_need_per_year``, x
   ``parent_need_both_factor`` when the problem is on both sides or the child is placed out of home.
   The need then runs the course of every social need (``abm.core.needs``): ties cover most of it,
   unmet it escalates, becomes formal demand and weighs on loneliness.
Draws use a generator derived from the run's seed. Youth care is paid by the municipality (Jeugdwet).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from abm.config import Config
from abm.config.units import DAYS_PER_WEEK
from abm.core.needs import INDIVIDUAL, MULTI, NEED_KIND, SOCIAL, Needs
from abm.core.population import Population, weekly
from abm.core.tie_kernels import ENDS, sum_ends
from abm.core.ties import TieView

NONE, ONE_SIDE, BOTH_SIDES = range(3)  # problem codes; also the youth care level that fits each
PER_1000 = 1000.0
YOUTH_STREAM = 6173  # salt of the youth generator's seed (any fixed number; not behaviour)


class Families:
    """State (n,): ``problem`` (NONE / ONE_SIDE / BOTH_SIDES), ``care`` (level received, same codes),
    ``placed`` (out of home)."""

    def __init__(self, config: Config, pop: Population):
        self.p, self.config, self.pop = config.youth, config, pop
        self.rng = np.random.default_rng([config.seed, YOUTH_STREAM])
        n = pop.n
        self.problem = np.zeros(n, dtype=np.int8)
        self.care = np.zeros(n, dtype=np.int8)
        self.placed = np.zeros(n, dtype=bool)
        c = config.costs
        price = {name: item.price * c.price_index for name, item in c.items.items()}
        self.week_price = np.array([0.0, sum(price[k] * u for k, u in self.p.ambulant_week.items()),
                                    sum(price[k] * u for k, u in self.p.intensive_week.items())])
        self.placement_week_price = price[self.p.placement_day_item] * DAYS_PER_WEEK
        self.households_with_children = np.zeros(pop.n_districts)
        self.parent_support = np.zeros(n)
        self.unsupervised = np.zeros(n, dtype=bool)
        self._seeded = False
        self.member_of = np.zeros(n, dtype=np.int64)  # household number per slot, as of this week's step
        self.offered = 0.0  # youth and family workers' hours offered this week
        self.hours_used = 0.0  # the hours youth care had last week (its capacity)

    def planned_hours(self) -> float:
        """Youth and family workers' hours a week that the youth care slots take (staffing, ``staff.Staff.posts``)."""
        young = np.count_nonzero(self.pop.age < self.config.demography.adult_age) / PER_1000
        return self.p.worker_hours_per_1000() * young

    def offer(self, hours: float) -> None:
        """A youth and family worker puts ``hours`` into youth care this week."""
        self.offered += hours

    def _seed(self, trouble: np.ndarray) -> None:
        """Problems at the start: ``initial_prevalence`` of the youth, on both sides where a parent is in trouble."""
        youth = self.pop.age < self.config.demography.adult_age
        hit = youth & (self.rng.random(self.pop.n) < self.p.initial_prevalence)
        self.problem[hit] = np.where(trouble[hit], BOTH_SIDES, ONE_SIDE)
        self._seeded = True

    def clear(self, idx: np.ndarray) -> None:
        """Slots ``idx`` get new residents without a youth history."""
        self.problem[idx] = self.care[idx] = NONE
        self.placed[idx] = False

    def _households(self, view: TieView, needs: Needs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per resident: the household's parents' mean local tie strength outside the household, whether
        a parent is in trouble, and the household's tie strength; counts households with children."""
        pop, cfg = self.pop, self.config
        first, member_of = pop.households()
        self.member_of = member_of
        adult = pop.age >= cfg.demography.adult_age
        strength = _outside_strength(view.u, view.v, view.strength, pop.household, pop.n)
        trouble_member = adult & ((needs.sev[MULTI] > 0) | ((needs.kind[INDIVIDUAL] == NEED_KIND["psychiatric"])
                                                            & (needs.sev[INDIVIDUAL] >= cfg.needs.serious_severity)))
        adults, support, trouble, young, household_ties = _household_sums(member_of, len(first), adult, strength,
                                                                          trouble_member)
        support = support / np.maximum(adults, 1)
        trouble = trouble > 0
        children = (young > 0) & (adults > 0)
        self.households_with_children = np.bincount(pop.district[first], weights=children, minlength=pop.n_districts)
        return support[member_of], trouble[member_of], household_ties[member_of]

    def step(self, view: TieView, needs: Needs, key_facility: np.ndarray) -> None:
        """One week. ``key_facility`` (D,) bool: a broad school / key facility in the district."""
        p, pop, rng, cfg = self.p, self.pop, self.rng, self.config
        n = pop.n
        youth = pop.age < cfg.demography.adult_age
        grown = ~youth & ((self.problem > NONE) | self.placed)
        self.clear(np.flatnonzero(grown))
        support, trouble, household_ties = self._households(view, needs)
        self.parent_support = support
        if not self._seeded:
            self._seed(trouble)

        # 1. onset, softened by the parents' ties and a broad school, raised by parents in trouble (one
        # draw per resident; the rates only for the youth without a problem, who alone can start one)
        draw = rng.random(n)
        cand = np.flatnonzero(youth & (self.problem == NONE))
        home = pop.district[cand]
        soften = 1.0 / (1.0 + p.tie_softening * (1.0 - np.exp(-support[cand] / p.tie_scale)))
        school = np.where(key_facility, p.broad_school_factor, 1.0)[home]
        rate = p.onset_per_year * pop.table.column("social_need_factor")[home] * soften * school
        rate = rate * np.where(trouble[cand], p.parent_trouble_factor, 1.0)
        start = cand[draw[cand] < weekly(rate)]
        self.problem[start] = np.where(trouble[start], BOTH_SIDES, ONE_SIDE)

        # 2. youth care up to capacity; private help for families who buy it
        self._admit(youth)

        # 3. course (one draw per resident; only residents with a problem or placed can change)
        u = rng.random(n)
        live = np.flatnonzero((self.problem > NONE) | self.placed)
        u, problem, care, placed = u[live], self.problem[live], self.care[live], self.placed[live]
        helped = (care == ONE_SIDE) | (care == BOTH_SIDES) | pop.private_care[live]
        one = (problem == ONE_SIDE) & ~placed
        resolve = one & (u < weekly(np.where(helped, p.care_recovery_per_year, p.recovery_per_year)))
        worsen = one & ~helped & ~resolve & (u > 1.0 - weekly(p.escalation_per_year))
        both = (problem == BOTH_SIDES) & ~placed
        intensive = care == BOTH_SIDES
        down = both & intensive & (u < weekly(p.both_recovery_per_year))
        place_rate = p.placement_per_year * np.where(intensive, 1.0, p.unserved_placement_factor)
        place = both & ~down & (u > 1.0 - weekly(place_rate))
        back = placed & (u < weekly(1.0 / p.placement_mean_years))
        resolve, worsen, down, place, back = (live[x] for x in (resolve, worsen, down, place, back))
        self.problem[resolve] = NONE
        self.care[resolve] = NONE
        self.problem[worsen] = BOTH_SIDES
        self.care[worsen] = NONE  # ambulant care no longer fits: the family asks again
        self.problem[down] = ONE_SIDE
        self.care[down] = ONE_SIDE  # intensive care steps down to ambulant care
        self.placed[place] = True
        self.care[place] = NONE
        self.placed[back] = False
        self.problem[back] = ONE_SIDE  # back home with a problem on one side

        # 4. teens without supervision or activities
        teen = youth & (pop.age >= p.teen_age)
        self.unsupervised = teen & (pop.activity < 0) & (household_ties < p.supervised_ties)

        # 5. the family carries the child's problem: parents ask for family support (a social need)
        if p.parent_need_per_year > 0:  # off: no draws, the youth stream is as without the feedback
            draw, hazard = rng.random(n), self.parent_hazard()
            at_risk = np.flatnonzero((hazard > 0) & (needs.sev[SOCIAL] == 0))  # a zero hazard's chance is 0
            ask = at_risk[draw[at_risk] < weekly(hazard[at_risk])]
            needs.sev[SOCIAL, ask] = needs.t.onset_sev[NEED_KIND["social"]]

    def parent_hazard(self) -> np.ndarray:
        """(n,) yearly hazard of a social need for each adult from the worst youth problem in the household
        (a placement counts as both sides); 0 for youth and for adults whose children have no problem."""
        p, pop = self.p, self.pop
        youth = pop.age < self.config.demography.adult_age
        code = np.where(self.placed, BOTH_SIDES, self.problem)
        worst = np.zeros(int(self.member_of.max()) + 1, dtype=np.int8)
        for level in (ONE_SIDE, BOTH_SIDES):  # the higher code written last: the household's maximum
            worst[self.member_of[youth & (code == level)]] = level
        rate = np.array([0.0, p.parent_need_per_year, p.parent_need_per_year * p.parent_need_both_factor])
        return np.where(youth, 0.0, rate[worst[self.member_of]])

    def _admit(self, youth: np.ndarray) -> None:
        """Families with a problem and no care ask (less when shy) and are taken in while the youth
        workers' offered hours last (each level its share of them, as its planned slots)."""
        p, pop, rng = self.p, self.pop, self.rng
        draw = rng.random(pop.n)
        asking = np.flatnonzero((self.problem > NONE) & (self.care != self.problem) & ~self.placed & ~pop.private_care)
        asking = asking[draw[asking] < p.ask_per_week * (1.0 - pop.demand_shyness[asking])]
        hours, slots, total = p.hours_per_client(), p.slots_per_1000(), p.worker_hours_per_1000()
        for level in (ONE_SIDE, BOTH_SIDES):
            share = slots[level] * hours[level] / total if total > 0 else 0.0
            free = max(int(self.offered * share / hours[level]) - int((self.care == level).sum()), 0)
            who = asking[self.problem[asking] == level]
            take = rng.permutation(who)[:free]
            self.care[take] = level
        self.hours_used, self.offered = self.offered, 0.0

    def wait(self, idx: np.ndarray) -> None:
        """Youth care clients ``idx`` whom no youth and family worker has room for wait (they ask again)."""
        self.care[idx] = NONE

    def cost(self) -> np.ndarray:
        """(D,) euro this week: youth care clients by level and out-of-home placements (municipality)."""
        weekly_cost = self.week_price[self.care] + self.placed * self.placement_week_price
        return self.pop.per_district(weekly_cost)

    def counts(self) -> dict[str, np.ndarray]:
        """Per-district output values (abm.core.columns)."""
        per = self.pop.per_district
        youth = self.pop.age < self.config.demography.adult_age
        return {"households_with_children": self.households_with_children,
                "youth": per(youth),
                "youth_problems_one_side": per(self.problem == ONE_SIDE),
                "youth_problems_both_sides": per((self.problem == BOTH_SIDES) | self.placed),
                "youth_care_clients": per(self.care > NONE) + per(self.placed),
                "youth_care_ambulant": per(self.care == ONE_SIDE),
                "youth_care_intensive": per(self.care == BOTH_SIDES),
                "out_of_home_placements": per(self.placed),
                "unsupervised_teens": per(self.unsupervised),
                "youth_care_cost": self.cost()}


@njit(cache=True)
def _outside_strength(u, v, strength, household, n):
    """(n,) per resident: the summed strength of their ties to residents outside their household (as
    ``TieView.node_sum`` of the strength times "the ends' households differ", in the same order)."""
    acc = np.zeros((n, ENDS))  # each resident's sums at the u and the v end, side by side (``sum_ends``)
    for i in range(len(u)):
        if household[u[i]] != household[v[i]]:  # the other ties add zeros
            acc[u[i], 0] += strength[i]
            acc[v[i], 1] += strength[i]
    return sum_ends(acc)


@njit(cache=True)
def _household_sums(member_of, households, adult, strength, trouble):
    """Per household, in one pass over the residents (each sum in resident order, as ``bincount``): adults,
    the adults' outside tie ``strength``, members with ``trouble``, youth, and everyone's ``strength``."""
    adults, support, troubled = np.zeros(households), np.zeros(households), np.zeros(households)
    young, ties = np.zeros(households), np.zeros(households)
    for i in range(len(member_of)):
        h = member_of[i]
        adults[h] += 1.0 if adult[i] else 0.0
        support[h] += strength[i] * (1.0 if adult[i] else 0.0)
        troubled[h] += 1.0 if trouble[i] else 0.0
        young[h] += 0.0 if adult[i] else 1.0
        ties[h] += strength[i]
    return adults, support, troubled, young, ties
