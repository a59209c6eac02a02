"""Loneliness: a De Jong Gierveld-like score (0-11) that follows one's ties.

The scale has an emotional part (6 items: missing an intimate bond) and a social part (5 items:
missing a wider circle). Each resident's score relaxes towards a target:

    target = trait + age and need terms
             + emotional_weight * exp(-bond / emotional_scale)       (bond: the intimate bond, below;
                                                                      without ``intimate_bond``: the sum of close ties)
             + network_weight * exp(-support / support_scale)        (support: all tie strength + outside contacts)
             + contagion * exposure                                  (exposure: strength-weighted lonely close ties)

The **intimate bond** is the partner's tie (the strongest family tie to an adult of one's own
household), weakened to ``ill_partner_bond`` of its strength while the partner has a serious need,
or else ``confidant_share`` of one's strongest close tie outside the household (a confidant stands
in for a partner only in part): emotional loneliness follows the absence of a partner and the
partner's health, and other relationships hardly compensate for it (Dykstra & Fokkema 2007; De Jong
Gierveld et al. 2009; docs/ODD.md §7.3). The number of ties acts through the social part.

The trait is a small lognormal personal baseline (twin studies put the heritable share of
loneliness near half, Boomsma et al. 2005; the model's trait share of the score's variance is
measured and reported, docs/ODD.md). Loneliness spreads through close ties (at least
``contagion_min_strength`` strong; weak and new ties carry none) additively per lonely contact
(Cacioppo, Fowler & Christakis 2009: each lonely contact raises one's own chance of loneliness, measured
over a handful of named close contacts), not as an average that a well-connected resident's many ties
would dilute. Lonely residents make
and keep fewer contacts (``formation.acceptance`` and the tie contact penalty), so they drift to
the edge of the network. Cut-offs: lonely from 3, severely lonely from 9 (MODEL.md §10).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from abm.config import Config
from abm.core.population import Population
from abm.core.ties import TIE_KIND, TieView


def home_ties(pop: Population, view: TieView) -> np.ndarray:
    """Bool, aligned with ``view``: family ties within one household (partner, co-residents)."""
    return (view.kind == TIE_KIND["family"]) & (pop.household[view.u] == pop.household[view.v])


def partners(config: Config, pop: Population, view: TieView, of: np.ndarray) -> np.ndarray:
    """Bool (n,): residents with a partner (an adult of their household tied to them) for whom ``of``
    (n,) bool holds."""
    adult = pop.age >= config.demography.adult_age
    home = home_ties(pop, view)
    out = np.zeros(pop.n, dtype=bool)
    for me, other in ((view.u, view.v), (view.v, view.u)):
        out[me[home & adult[other] & of[other]]] = True
    return out


def bond(config: Config, pop: Population, view: TieView, serious: np.ndarray) -> np.ndarray:
    """Strength of each resident's intimate bond (partner or confidant), 0..1: shape (n,).

    ``serious`` (n,) bool: residents with a serious need, whose partners' bond is weakened."""
    lp = config.loneliness
    adult = pop.age >= config.demography.adult_age
    return _bond(view.u, view.v, view.strength, view.kind, TIE_KIND["family"], pop.household, adult, serious,
                 lp.ill_partner_bond, lp.confidant_share, config.ties.durable_strength)


@njit(cache=True)
def _bond(u, v, strength, kind, family, household, adult, serious, ill_partner_bond, confidant_share, durable):
    """``bond`` in one pass over the ties: per resident the largest of their partner ties' strength (times
    ``ill_partner_bond`` if the partner has a serious need; a partner tie: a family tie within one
    household, to an adult) and ``confidant_share`` times their close ties' (strength >= ``durable``,
    outside the household). A maximum does not depend on the order: the same as any other order."""
    out = np.zeros(len(household))
    for i in range(len(u)):
        a, b, s = u[i], v[i], strength[i]
        if kind[i] == family and household[a] == household[b]:
            if adult[b]:
                out[a] = max(out[a], s * (ill_partner_bond if serious[b] else 1.0))
            if adult[a]:
                out[b] = max(out[b], s * (ill_partner_bond if serious[a] else 1.0))
        elif s >= durable:
            out[a] = max(out[a], confidant_share * s)
            out[b] = max(out[b], confidant_share * s)
    return out


def target(config: Config, pop: Population, view: TieView, has_need: np.ndarray) -> np.ndarray:
    """The score each resident's loneliness moves towards this week: shape (n,). ``has_need`` (n,)
    bool: a serious need (raises one's own score and weakens one's partner's bond)."""
    lp, demo = config.loneliness, config.demography
    # close: strength of ties >= durable; local: all tie strength
    close, local = view.strength_sums(config.ties.durable_strength)
    # each resident's loneliness above (or below) the mean reaches their ties in proportion to the
    # share of their contact each tie gets: a lonely resident with few ties weighs on those few
    # only ties at least ``contagion_min_strength`` strong carry it (0: every tie)
    carrying = view.strength_sums(lp.contagion_min_strength)[0] if lp.contagion_min_strength > 0 else local
    spread = (pop.loneliness - pop.loneliness.mean()) / np.maximum(carrying, lp.spread_floor)
    exposure = view.strength_of(spread, at_least=lp.contagion_min_strength)
    support = local + pop.external
    base = pop.trait + lp.elderly_extra * (pop.age >= demo.elderly_age) + lp.over75_extra * (pop.age >= demo.old_age) + lp.need_extra * has_need
    if lp.intimate_bond:
        intimate = bond(config, pop, view, has_need)
    else:  # the earlier rule: the sum of one's close ties
        intimate = close
    network = lp.emotional_weight * np.exp(-intimate / lp.emotional_scale) + lp.network_weight * np.exp(-support / lp.support_scale)
    return np.minimum(base + network + lp.contagion * exposure, lp.max_score)


def update(config: Config, pop: Population, view: TieView, has_need: np.ndarray, rng: np.random.Generator) -> None:
    """One week of loneliness dynamics for every resident."""
    lp = config.loneliness
    goal = target(config, pop, view, has_need)
    noise = rng.normal(0.0, lp.noise_sd, pop.n)
    pop.loneliness = np.clip(pop.loneliness + (goal - pop.loneliness) / lp.relaxation_weeks + noise / np.sqrt(lp.relaxation_weeks), 0.0, lp.max_score)
