"""Loneliness: a De Jong Gierveld-like score (0-11) that follows one's ties.

The scale has an emotional part (6 items: missing an intimate bond) and a social part (5 items:
missing a wider circle). Each resident's score relaxes towards a target:

    target = trait + age and need terms
             + emotional_weight * exp(-close / emotional_scale)     (close: strength of ties >= durable)
             + network_weight * exp(-support / support_scale)        (support: all tie strength + outside contacts)
             + contagion * exposure                                  (exposure: strength-weighted lonely ties)

The trait is a small lognormal personal baseline (twin studies put the heritable share of
loneliness near half, Boomsma et al. 2005; the model's trait share of the score's variance is
measured and reported, docs/ODD.md). Loneliness spreads through ties additively per lonely contact
(Cacioppo, Fowler & Christakis 2009: each lonely contact raises one's own chance of loneliness),
not as an average that a well-connected resident's many ties would dilute. Lonely residents make
and keep fewer contacts (``formation.acceptance`` and the tie contact penalty), so they drift to
the edge of the network. Cut-offs: lonely from 3, severely lonely from 9 (MODEL.md §10).
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.core.population import Population
from abm.core.ties import TieView


def target(config: Config, pop: Population, view: TieView, has_need: np.ndarray) -> np.ndarray:
    """The score each resident's loneliness moves towards this week: shape (n,)."""
    lp, demo = config.loneliness, config.demography
    # close: strength of ties >= durable; local: all tie strength
    close, local = view.strength_sums(config.ties.durable_strength)
    # each resident's loneliness above (or below) the mean reaches their ties in proportion to the
    # share of their contact each tie gets: a lonely resident with few ties weighs on those few
    spread = (pop.loneliness - pop.loneliness.mean()) / np.maximum(local, lp.spread_floor)
    exposure = view.node_sum(view.strength, of=spread)
    support = local + pop.external
    base = pop.trait + lp.elderly_extra * (pop.age >= demo.elderly_age) + lp.over75_extra * (pop.age >= demo.old_age) + lp.need_extra * has_need
    network = lp.emotional_weight * np.exp(-close / lp.emotional_scale) + lp.network_weight * np.exp(-support / lp.support_scale)
    return np.minimum(base + network + lp.contagion * exposure, lp.max_score)


def update(config: Config, pop: Population, view: TieView, has_need: np.ndarray, rng: np.random.Generator) -> None:
    """One week of loneliness dynamics for every resident."""
    lp = config.loneliness
    goal = target(config, pop, view, has_need)
    noise = rng.normal(0.0, lp.noise_sd, pop.n)
    pop.loneliness = np.clip(pop.loneliness + (goal - pop.loneliness) / lp.relaxation_weeks + noise / np.sqrt(lp.relaxation_weeks), 0.0, lp.max_score)
