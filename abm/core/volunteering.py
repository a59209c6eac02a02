"""Volunteer roles: recruitment, matching to a vulnerable resident, and ending (MODEL.md §4).

Roles start through citizens' own initiative (more where self-organisation is high; the
volunteer-support lever and front-line budget scale it) or through a network developer. A volunteer
is matched to vulnerable residents in their district by a volunteer-client tie. Roles end through
ordinary attrition, overload, and friction with professionals, which is higher where informal and
formal help connect poorly (source §4.1: co-operation between volunteers and professionals often
"chafes").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.core.population import weekly
from abm.core.ties import KIND

if TYPE_CHECKING:  # pragma: no cover
    from abm.core.model import MunicipalityModel


def eligible(model: MunicipalityModel) -> np.ndarray:
    pop, needs = model.pop, model.needs
    return (pop.age >= 18) & (pop.age < 85) & ~(needs.sev >= 2).any(axis=0) & ~needs.crisis & ~model.is_volunteer


def recruit(model: MunicipalityModel) -> None:
    cfg = model.config
    pop = model.pop
    rate = (
        cfg.help.volunteer_recruit_per_year
        * 2.0 * pop.willingness
        * pop.table.column("self_organisation")[pop.district]
        * cfg.interventions.volunteer_support.factor
        * cfg.budget.front_line_factor
    )
    hit = np.flatnonzero(eligible(model) & (model.rng.random(pop.n) < weekly(rate)))
    for i in hit.tolist():
        model.start_volunteer(i, recruited_by="citizens")


def match(model: MunicipalityModel) -> None:
    """Volunteers with room for a client are matched to one vulnerable resident this week (maybe)."""
    cfg = model.config
    ties = model.ties
    clients = model.view.node_sum(model.view.kind == KIND["volunteer"])  # last week's ties
    p_match = min(1.0, 0.25 * cfg.interventions.volunteer_support.factor * cfg.budget.front_line_factor)
    rng = model.rng
    for i in np.flatnonzero(model.is_volunteer & (clients < cfg.help.volunteer_clients)).tolist():
        if rng.random() >= p_match:
            continue
        pool = model.vulnerable_in(model.pop.district[i])
        if len(pool) == 0:
            continue
        client = int(pool[rng.integers(len(pool))])
        ties.add(i, client, KIND["volunteer"], 0.4)


def stop(model: MunicipalityModel, burden: np.ndarray) -> None:
    """Roles end: attrition, overload, friction with professionals."""
    cfg = model.config.help
    pop = model.pop
    link = pop.table.column("professional_link")[pop.district]
    rate = cfg.volunteer_quit_per_year + cfg.volunteer_friction_per_year * (1.0 - link) + cfg.overload_quit_per_year * (burden > 1.0)
    leave = np.flatnonzero(model.is_volunteer & (model.rng.random(pop.n) < weekly(rate)))
    for i in leave.tolist():
        model.end_volunteer(i)
