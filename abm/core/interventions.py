"""Levers of MODEL.md §7 and how needs come to professionals' notice.

- network developers: staffed while funded (``start_year`` to ``end_year``), spread over the
  districts they serve; their weekly work is ``agents.NetworkDeveloper.step``;
- the GP as eyes and ears: visits rise with loneliness (seed 002), a visit can detect an unmet
  need; with GP referral ("Welzijn op recept") lonely patients are referred to an activity;
- the social network passes on problems it sees (little in traditional villages, §3);
- a key facility (sleutelvoorziening, source §6.4) raises meeting and detection rates.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from abm.core.agents import NetworkDeveloper
from abm.core.population import weekly

if TYPE_CHECKING:  # pragma: no cover
    from abm.core.model import MunicipalityModel


def developers_funded(model: MunicipalityModel, year: float) -> bool:
    p = model.config.interventions.network_developers
    return p.fte > 0 and year >= p.start_year and (p.end_year is None or year < p.end_year)


def staff_developers(model: MunicipalityModel, year: float) -> None:
    """Hire developers when funding starts, let them go when it ends."""
    p = model.config.interventions.network_developers
    current = model.developers()
    funded = developers_funded(model, year)
    if funded and not current:
        served = [model.pop.table.names.index(n) for n in p.districts] if p.districts else list(range(model.pop.n_districts))
        n = math.ceil(p.fte - 1e-9)
        for k in range(n):
            share = min(1.0, p.fte - k)
            NetworkDeveloper(model, hours=share * p.hours_per_fte, served=served, start=k)
    elif not funded and current:
        for dev in current:
            dev.let_go_all()
            dev.remove()


def key_facility_mask(model: MunicipalityModel) -> np.ndarray:
    """Per district: does it have a key facility?"""
    kf = model.config.interventions.key_facility
    names = model.pop.table.names
    if not kf.enabled:
        return np.zeros(len(names), dtype=bool)
    return np.array([kf.districts is None or n in kf.districts for n in names])


def gp_contacts(model: MunicipalityModel, unmet: np.ndarray) -> int:
    """GP visits: detection of unmet needs and, if enabled, referral of lonely patients.

    Returns the number of referrals made this week.
    """
    cfg = model.config
    pop, rng = model.pop, model.rng
    lonely = pop.lonely()
    visit_rate = cfg.needs.gp_visits_per_year * (1.0 + cfg.needs.gp_lonely_visit_factor * lonely + model.needs.any_need())
    visit = rng.random(pop.n) < weekly(visit_rate)
    detect_p = pop.table.column("gp_detection")[pop.district] * model.detection_factor[pop.district]
    found = visit & unmet & (rng.random(pop.n) < detect_p)
    model.detected |= found
    if not cfg.interventions.gp_referral.enabled:
        return 0
    refer = visit & lonely & (rng.random(pop.n) < cfg.interventions.gp_referral.referral_probability)
    newly = np.flatnonzero(refer & (pop.activity < 0))
    pop.join_activity(newly, rng)
    if len(newly):
        model.foci.dirty = True
    return int(refer.sum())


def network_signals(model: MunicipalityModel, unmet: np.ndarray, strong_ties: np.ndarray) -> None:
    """Family and neighbours with a strong tie pass an unmet need on to professionals."""
    pop = model.pop
    p_tie = pop.table.column("signal_to_professionals")[pop.district] * model.detection_factor[pop.district]
    p = 1.0 - (1.0 - np.minimum(p_tie, 1.0)) ** strong_ties
    model.detected |= unmet & (model.rng.random(pop.n) < p)
