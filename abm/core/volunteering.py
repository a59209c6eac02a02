"""Volunteer roles: the registry of who holds one, recruitment, matching to a vulnerable resident,
and ending (docs/spec/MODEL.md §4).

Roles start through citizens' own initiative (more where self-organisation is high; the
volunteer-support lever and front-line budget scale it) or through a network developer. A volunteer
is matched to vulnerable residents in their district by a volunteer-client tie. Roles end through
ordinary attrition, overload, and friction with professionals, which is higher where informal and
formal help connect poorly (source §4.1: co-operation between volunteers and professionals often
"chafes"). Overload is a severely strained carer (``informal_care.Carers.overloaded``).
"""

from __future__ import annotations

import mesa
import numpy as np
from numba import njit

from abm.config import Config
from abm.core.agents import Volunteer
from abm.core.brokering import Brokering
from abm.core.needs import Needs
from abm.core.population import Population, weekly
from abm.core.status import Status
from abm.core.ties import TIE_KIND, Ties, TieView


class Volunteers:
    """Which residents hold a volunteer role, and the ``Volunteer`` agent of each role.

    The agents need the mesa model they belong to; nothing else of the model is used.
    """

    def __init__(self, model: mesa.Model, n: int):
        self.model = model
        self.active = np.zeros(n, dtype=bool)  # (n,) holds a role now
        self.agent_of: dict[int, Volunteer] = {}

    def start(self, i: int) -> None:
        """Resident ``i`` takes up a role (no-op if they hold one)."""
        if self.active[i]:
            return
        self.active[i] = True
        self.agent_of[i] = Volunteer(self.model, i)

    def stop(self, i: int) -> None:
        """Resident ``i``'s role ends (no-op if they hold none)."""
        agent = self.agent_of.pop(i, None)
        if agent is not None:
            agent.remove()
        self.active[i] = False


def able(config: Config, pop: Population, needs: Needs) -> np.ndarray:
    """Bool (n,): adults below the frail age, without a serious need or crisis."""
    young_enough = (pop.age >= config.demography.adult_age) & (pop.age < config.help.frail_age)
    return young_enough & ~needs.serious() & ~needs.crisis


def eligible(config: Config, pop: Population, needs: Needs, volunteers: Volunteers) -> np.ndarray:
    """Bool (n,): able to volunteer (``able``) and not volunteering yet."""
    return able(config, pop, needs) & ~volunteers.active


def seed(config: Config, pop: Population, needs: Needs, volunteers: Volunteers, rng: np.random.Generator) -> None:
    """The initial volunteers: willing, eligible residents (a share of the willingness)."""
    p = config.help.initial_volunteer_factor * pop.willingness * eligible(config, pop, needs, volunteers)
    for i in np.flatnonzero(rng.random(pop.n) < p).tolist():
        volunteers.start(i)


def recruit(config: Config, pop: Population, needs: Needs, volunteers: Volunteers, rng: np.random.Generator) -> None:
    """Citizens' own initiative: more where willingness and self-organisation are high."""
    hp = config.help
    draw = rng.random(pop.n)
    who = np.flatnonzero(eligible(config, pop, needs, volunteers))  # the chance matters for these only
    rate = (
        hp.volunteer_recruit_per_year
        * hp.recruit_willingness_weight * pop.willingness[who]
        * pop.table.column("self_organisation")[pop.district[who]]
        * config.interventions.volunteer_support.factor
        * config.budget.front_line_factor
    )
    for i in who[draw[who] < weekly(rate)].tolist():
        volunteers.start(i)


def match(config: Config, pop: Population, ties: Ties, view: TieView, status: Status, volunteers: Volunteers,
          brokering: Brokering, step: int, rng: np.random.Generator) -> None:
    """Volunteers with room for a client (by last week's ties ``view``) are matched to one
    vulnerable resident of their district this week (maybe)."""
    hp = config.help
    clients = view.node_sum(view.kind == TIE_KIND["volunteer"])
    p_match = min(1.0, hp.volunteer_match_per_week * config.interventions.volunteer_support.factor
                  * config.budget.front_line_factor)
    volunteers_free = np.flatnonzero(volunteers.active & (clients < hp.volunteer_clients))
    pools = [status.vulnerable_in(d) for d in range(pop.n_districts)]
    pool_start = np.concatenate([[0], np.cumsum([len(pool) for pool in pools])])
    a, b = _draw_matches(rng, volunteers_free, pop.district, np.concatenate(pools).astype(np.int64), pool_start, p_match)
    if len(a):  # in this order, as one by one (an existing tie stays as it is)
        # the resident may decline the visit, and the match may not click (abm.core.brokering)
        ok = brokering.approachable(b, step)
        a, b = a[ok], b[ok]
        yes = brokering.accept(b, step, rng)
        a, b = a[yes], b[yes]
        click = brokering.click(len(a), rng)
        ties.connect(a[click], b[click], TIE_KIND["volunteer"], hp.volunteer_tie_strength)


@njit(cache=True)
def _draw_matches(rng, candidates, district, pool, pool_start, p_match):
    """For each of ``candidates`` (volunteers with room) in turn: with chance ``p_match`` one resident
    drawn uniformly from their district's vulnerable residents (``pool[pool_start[d]:pool_start[d + 1]]``),
    if there are any. Returns the pairs (volunteer, resident). Compiled: the draws come from ``rng``
    in the same sequence as one ``random()`` per candidate and one ``integers(len(pool))`` per match."""
    a = np.empty(len(candidates), dtype=np.int64)
    b = np.empty(len(candidates), dtype=np.int64)
    k = 0
    for i in candidates:
        if rng.random() >= p_match:
            continue
        lo, hi = pool_start[district[i]], pool_start[district[i] + 1]
        if hi == lo:
            continue
        a[k], b[k] = i, pool[lo + rng.integers(0, hi - lo)]
        k += 1
    return a[:k], b[:k]


def stop(config: Config, pop: Population, volunteers: Volunteers, overloaded: np.ndarray, rng: np.random.Generator) -> None:
    """Roles end: attrition, overload, friction with professionals."""
    hp = config.help
    link = pop.table.column("professional_link")
    # weekly probability by (district, overloaded), looked up per resident
    rate = (hp.volunteer_quit_per_year + hp.volunteer_friction_per_year * (1.0 - link))[:, None] \
        + hp.overload_quit_per_year * np.array([0.0, 1.0])[None, :]
    p = weekly(rate)[pop.district, np.asarray(overloaded, dtype=np.intp)]
    leave = np.flatnonzero(volunteers.active & (rng.random(pop.n) < p))
    for i in leave.tolist():
        volunteers.stop(i)
