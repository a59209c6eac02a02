"""Loneliness: a De Jong Gierveld-like score (0-11) that follows the strength of one's ties.

Each resident's score relaxes towards a target: a personal baseline (a lognormal trait, old age,
own needs) plus a network term that falls with the support their ties give (the sum of tie
strengths plus contacts outside the district, high in villa wards). Loneliness spreads through ties
(Cacioppo, Fowler & Christakis 2009): part of the target is the strength-weighted mean loneliness
of one's ties. Lonely residents make and keep fewer contacts (see ``formation.acceptance`` and the
tie contact penalty), so they drift to the edge of the network. Cut-offs: lonely from 3,
severely lonely from 9 (De Jong Gierveld scale; docs/spec/MODEL.md §10).
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.core.population import Population
from abm.core.ties import TieView


def update(config: Config, pop: Population, view: TieView, has_need: np.ndarray, rng: np.random.Generator) -> None:
    """One week of loneliness dynamics for every resident."""
    lp = config.loneliness
    local = view.node_sum(view.strength)
    neighbour_mean = np.divide(view.node_sum(view.strength, of=pop.loneliness), local,
                               out=pop.loneliness.copy(), where=local > 0)
    support = local + pop.external
    demo = config.demography
    base = pop.trait + lp.elderly_extra * (pop.age >= demo.elderly_age) + lp.over75_extra * (pop.age >= demo.old_age) + lp.need_extra * has_need
    target = np.minimum(base + lp.network_weight * np.exp(-support / lp.support_scale), lp.max_score)
    target = np.where(local > 0, (1 - lp.contagion) * target + lp.contagion * neighbour_mean, target)
    noise = rng.normal(0.0, lp.noise_sd, pop.n)
    pop.loneliness = np.clip(pop.loneliness + (target - pop.loneliness) / lp.relaxation_weeks + noise / np.sqrt(lp.relaxation_weeks), 0.0, lp.max_score)
