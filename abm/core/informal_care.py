"""Informal care (mantelzorg) over ties, and what it does to the carers (MODEL.md §6, §10, §11).

Each week, in one compiled pass over the live ties (``abm.core.care_kernels``):

1. *Who cares.* A resident who needs care (``need_hours`` > 0: hours of informal care by kind and
   severity of need, ``NeedKind.care_hours``) draws on at most ``max_carers_per_client`` of their
   ties, the highest priority first: priority = relationship weight (household > family > friend >
   neighbour > activity) x tie strength (x willingness and (1 - supply shyness) outside the family).
2. *How much.* The care hours are shared in proportion to priority, each helper giving at most the
   relationship's ``max_hours`` to one client; a shy client accepts a share 1 - demand shyness x
   (1 - strength) (close ties are let in, weak ones less).
3. *Carer capacity.* Sustainable hours by work and age (``hours_employed`` / ``hours_free``, less
   for the very old), halved by a light need of one's own and zero with a serious one; household
   and family carers give ``obligation_hours`` more (the source of overload); with
   ``coresident_capacity`` on, a carer within the client's household gives up to their household
   availability by work instead (``Carers.coresident``, Linked Lives' household supply). Strained carers cut
   back; a carer who broke down gives nothing for ``breakdown_weeks``; a carer on respite care
   gives nothing while formal respite care covers their hours.
4. *Volunteers* spread ``help.volunteer_hours`` over their volunteer-client ties; they are not
   counted as carers.

``Carers`` keeps each resident's carer state: strain (0 = none; ``moderate_strain`` and
``severe_strain`` mark moderately and severely burdened) follows the load (hours given relative
to sustainable hours, to the power ``load_exponent``), growing with years of caring and lowered by
carer support; weeks of caring (the CBS definition counts care of 3 months or more, or >= 8
h/week); breakdowns, which bring the cared-for residents to professionals' notice
(``alerts``), and respite episodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from abm.config import Config
from abm.config.care import RELATIONSHIPS, CareParams
from abm.config.units import TINY, WEEKS_PER_YEAR
from abm.core import care_kernels as kernels
from abm.core.needs import INDIVIDUAL, MULTI, Needs
from abm.core.population import Population, weekly
from abm.core.ties import TIE_KIND, TieView

REL = {name: code for code, name in enumerate(RELATIONSHIPS)}


@dataclass
class InformalFlow:
    """This week's informal help, per resident unless stated."""

    received: np.ndarray      # hours of informal help received (carers, volunteers, respite cover)
    given: np.ndarray         # hours given (care and volunteering)
    care_given: np.ndarray    # hours of care given over ties (volunteering excluded); strain follows these
    mantelzorg: np.ndarray    # the part of ``care_given`` that the carer figures count (help for health problems, ``care.social_help_counts``)
    share_met: np.ndarray     # share of the informal care need met, 0..1
    edge_used: np.ndarray     # hours over each tie in ``ids``
    ids: np.ndarray           # tie ids carrying help this week
    respite_hours: np.ndarray  # hours of the carers on respite, covered by formal respite care


def _relationship_of_kind() -> np.ndarray:
    """Relationship code (``REL``) per tie kind (``TIE_KIND``), -1 for volunteer ties; a family tie
    within one household counts as ``household`` (decided per tie in the compiled pass)."""
    rel = np.full(len(TIE_KIND), -1, dtype=np.int64)
    for name in ("family", "friend", "neighbour", "activity"):
        rel[TIE_KIND[name]] = REL[name]
    return rel


REL_OF_KIND = _relationship_of_kind()
_NO_HOURS = np.zeros(0)  # the compiled pass's co-resident hours when the household rule is off (never read)


class Carers:
    """Carer state per resident: strain, weeks caring, breakdown, respite, support, work."""

    def __init__(self, config: Config, n: int):
        self.p, self.support = config.care, config.interventions.carer_support
        self.frail_age = config.help.frail_age
        self.n = n
        self.strain = np.zeros(n)
        self.weeks = np.zeros(n, dtype=np.int64)          # consecutive weeks caring
        self.never = -(self.p.broad_window_weeks + 1)  # a 'last cared' step outside every window
        self.last_cared = np.full(n, self.never, dtype=np.int64)
        self.employed = np.zeros(n, dtype=bool)
        self.supported = np.zeros(n, dtype=bool)
        self.down_until = np.zeros(n, dtype=np.int64)     # broken down until this step
        self.respite_until = np.zeros(n, dtype=np.int64)  # on respite until this step
        self.breakdown = np.zeros(n, dtype=bool)          # broke down this week
        self.respite_now = np.zeros(n, dtype=bool)        # on respite this week
        self.alerts = np.zeros(n, dtype=bool)             # cared-for residents brought to notice
        self.respite_started = 0
        self.extra_respite = np.zeros(n)  # (n,) extra respite episodes/year (a care cooperative)
        self._pairs = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))  # helper, client, hours

    def arrive(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """New residents in slots ``idx``: no caring history; work and carer support drawn."""
        self.strain[idx] = 0.0
        self.weeks[idx] = 0
        self.last_cared[idx] = self.never
        self.down_until[idx] = 0
        self.respite_until[idx] = 0
        self.employed[idx] = rng.random(len(idx)) < self.p.employment_rate
        self.supported[idx] = rng.random(len(idx)) < self.support.support_reach

    # ------------------------------------------------------------------ capacity
    def sustainable(self, age: np.ndarray, light_need: np.ndarray, serious_need: np.ndarray) -> np.ndarray:
        """Hours/week each resident can give without strain (work, age, own health): shape (n,)."""
        p = self.p
        working = self.employed & (age < p.retirement_age)
        hours = np.where(working, p.hours_employed, p.hours_free)
        hours = hours * np.where(age >= self.frail_age, p.frail_share, 1.0) * np.where(light_need, p.own_need_share, 1.0)
        return np.where((age < p.min_age) | serious_need, 0.0, hours)

    def coresident(self, age: np.ndarray, light_need: np.ndarray, serious_need: np.ndarray, step: int) -> np.ndarray:
        """This week's hours each resident can give a member of their own household: Linked Lives'
        household supply by work (``coresident_hours_employed`` / ``_free``), no cut by age, halved by a
        light need of one's own, none with a serious one or under ``min_age``; cut back by strain and
        nothing while broken down or on respite, as ``available``. Shape (n,)."""
        p = self.p
        working = self.employed & (age < p.retirement_age)
        hours = np.where(working, p.coresident_hours_employed, p.coresident_hours_free) * np.where(light_need, p.own_need_share, 1.0)
        return np.where((age < p.min_age) | serious_need, 0.0, hours) * self._keep(step)

    def _keep(self, step: int, off: np.ndarray | None = None) -> np.ndarray:
        """Share of their hours each resident gives this week: cut back by strain, 0 while broken down
        or on respite (``off``, bool (n,), if already known): shape (n,)."""
        p = self.p
        over = np.clip((self.strain - p.moderate_strain) / (p.severe_strain - p.moderate_strain), 0.0, 1.0)
        off = (step < self.down_until) | self.on_respite(step) if off is None else off
        return np.where(off, 0.0, 1.0 - p.cutback_max * over)

    def available(self, sustainable: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
        """This week's hours after cut-back by strain, and who may add the family obligation hours;
        nothing while broken down or on respite."""
        off = (step < self.down_until) | self.on_respite(step)
        return sustainable * self._keep(step, off), (sustainable > 0) & ~off

    def overloaded(self) -> np.ndarray:
        """Bool (n,): severely strained residents (volunteers among them quit, volunteering.stop)."""
        return self.strain >= self.p.severe_strain

    def on_respite(self, step: int) -> np.ndarray:
        return step < self.respite_until

    # ------------------------------------------------------------------ counts
    def carers(self, age: np.ndarray, care_given: np.ndarray) -> np.ndarray:
        """Carers under the CBS definition: 16+, caring >= 3 months or >= 8 h/week; ``care_given`` (n,):
        the hours that count (``InformalFlow.mantelzorg``)."""
        p = self.p
        caring = care_given >= p.min_hours
        return (age >= p.min_age) & caring & ((self.weeks >= p.cbs_weeks) | (care_given >= p.heavy_hours))

    def heavy(self, age: np.ndarray, care_given: np.ndarray) -> np.ndarray:
        return self.carers(age, care_given) & (care_given > self.p.heavy_hours)

    def overburdened(self, age: np.ndarray, care_given: np.ndarray) -> np.ndarray:
        return self.carers(age, care_given) & (self.strain >= self.p.severe_strain)

    def moderately_burdened(self, age: np.ndarray, care_given: np.ndarray) -> np.ndarray:
        s = self.strain
        return self.carers(age, care_given) & (s >= self.p.moderate_strain) & (s < self.p.severe_strain)

    def broad(self, age: np.ndarray, step: int) -> np.ndarray:
        """Carers under SCP's broad definition: 16+, gave counted care (``InformalFlow.mantelzorg``) at
        all within the window."""
        return (age >= self.p.min_age) & (step - self.last_cared < self.p.broad_window_weeks)

    # ------------------------------------------------------------------ dynamics
    def update(self, care_given: np.ndarray, sustainable: np.ndarray, step: int, rng: np.random.Generator,
               counted: np.ndarray | None = None) -> None:
        """Strain follows load (all ``care_given``); severe strain may end in breakdown; strained carers
        take respite. ``counted`` (n,): the hours the carer figures count (default: all)."""
        p = self.p
        respite = self.on_respite(step)
        self.respite_now = respite
        caring = care_given >= p.min_hours
        self.weeks = np.where(caring | respite, self.weeks + 1, 0)
        self.last_cared[(care_given if counted is None else counted) >= p.min_hours] = step  # the broad count
        active = np.flatnonzero(caring & ~respite)  # the strain of everyone else heads for zero
        given, able = care_given[active], sustainable[active]
        load = np.divide(given, able, out=np.zeros(len(active)), where=able > 0)
        years = np.minimum(self.weeks[active] / WEEKS_PER_YEAR, p.duration_cap_years)
        goal = np.zeros(self.n)
        goal[active] = (load ** p.load_exponent * (1.0 + p.duration_weight * years)
                        * (1.0 - self.support.support_effect * self.supported[active]))
        self.strain += (goal - self.strain) / p.strain_weeks

        severe = caring & (self.strain >= p.severe_strain)
        self.breakdown = severe & (rng.random(self.n) < weekly(p.breakdown_per_year))
        self.down_until[self.breakdown] = step + 1 + int(round(p.breakdown_weeks))
        helper, client, _ = self._pairs
        hit = self.breakdown[helper] & (rng.random(len(helper)) < p.breakdown_detection)
        self.alerts[:] = False
        self.alerts[client[hit]] = True

        strained = caring & (self.strain >= p.moderate_strain) & ~self.breakdown & ~respite
        draw, start = rng.random(self.n), np.zeros(self.n, dtype=bool)
        who = np.flatnonzero(strained)
        start[who] = draw[who] < weekly(self.support.respite_per_year + self.extra_respite[who])
        self.respite_until[start] = step + 1 + int(round(self.support.respite_weeks))
        self.respite_started = int(start.sum())


def flow(care: CareParams, carers: Carers, view: TieView, household: np.ndarray, need_hours: np.ndarray,
         available: np.ndarray, obligation_able: np.ndarray, willingness: np.ndarray,
         supply_shyness: np.ndarray, demand_shyness: np.ndarray, volunteer_hours: np.ndarray,
         step: int, counted_client: np.ndarray | None = None, coresident: np.ndarray | None = None) -> InformalFlow:
    """This week's informal care and volunteer help over the ties.

    ``need_hours`` (n,): informal care hours each resident needs; ``available`` (n,): hours each
    resident can give (``Carers.available``); ``obligation_able`` (n,) bool: may give the family
    obligation hours on top; ``volunteer_hours`` (n,): hours each volunteer gives their clients;
    ``counted_client`` (n,) bool: care given to these residents counts as mantelzorg (None: all);
    ``coresident`` (n,): hours each resident can give a member of their household (``Carers.coresident``;
    None: ``care.coresident_capacity`` is off and household carers give as family elsewhere).
    """
    weight = np.array([care.relationships[r].weight for r in RELATIONSHIPS])
    max_hours = np.array([care.relationships[r].max_hours for r in RELATIONSHIPS])
    last_helper, last_client, last_hours = carers._pairs
    received, given, care_given, respite_hours, carry, edge, *pairs = kernels.flow(
        view.u, view.v, view.strength, view.kind, household, need_hours, available, obligation_able, willingness,
        supply_shyness, demand_shyness, volunteer_hours, REL_OF_KIND, REL["family"], REL["household"], weight,
        max_hours, care.obligation_hours, care.max_carers_per_client, last_helper, last_client, last_hours,
        carers.on_respite(step), TINY, _NO_HOURS if coresident is None else coresident, coresident is not None)
    carers._pairs = tuple(pairs)
    if counted_client is None:
        mantelzorg = care_given
    else:  # this week's pairs (a carer on respite gives nothing, so min() drops the pairs kept for them)
        helper, client, hours = carers._pairs
        mantelzorg = np.minimum(care_given, np.bincount(helper, weights=hours * counted_client[client], minlength=len(care_given)))
    share_met = np.divide(received, need_hours, out=np.zeros(len(need_hours)), where=need_hours > 0)
    return InformalFlow(received=received, given=given, care_given=care_given, mantelzorg=mantelzorg, share_met=share_met,
                        edge_used=edge, ids=view.ids[carry], respite_hours=respite_hours)


def week(config: Config, carers: Carers, pop: Population, needs: Needs, view: TieView, volunteers: np.ndarray,
         step: int, rng: np.random.Generator) -> InformalFlow:
    """This week's informal care and volunteer help, then the carers' strain, breakdowns and respite."""
    serious = needs.serious() | needs.crisis
    light = (needs.sev > 0).any(axis=0) & ~serious
    sustainable = carers.sustainable(pop.age, light, serious)
    available, obligation = carers.available(sustainable, step)
    home = carers.coresident(pop.age, light, serious, step) if config.care.coresident_capacity else None
    volunteer_hours = config.help.volunteer_hours * volunteers * ~serious
    counted = None if config.care.social_help_counts else (needs.sev[INDIVIDUAL] > 0) | (needs.sev[MULTI] > 0)
    out = flow(config.care, carers, view, pop.household, needs.care_hours(), available, obligation, pop.willingness,
               pop.supply_shyness, pop.demand_shyness, volunteer_hours, step, counted, home)
    carers.update(out.care_given, sustainable, step, rng, out.mantelzorg)
    return out
