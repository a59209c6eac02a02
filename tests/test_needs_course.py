"""Unit tests of single mechanisms, each set up so that a wrong mechanism fails. The course of needs (docs/ODD.md §7.4): dementia, escalation and de-escalation, chronic psychiatric conditions."""

from __future__ import annotations

import numpy as np

from abm import MunicipalityModel
from abm.core.needs import INDIVIDUAL, MULTI, NEED_KIND, SOCIAL

from .conftest import small_config


def _cohort(kind_name, severity, n=3000):
    m = MunicipalityModel(small_config(districts=[{"name": "A", "type": "middle_class", "population": n}]))
    track = SOCIAL if kind_name == "social" else MULTI if kind_name == "multi_problem" else INDIVIDUAL
    m.needs.sev[:, :] = 0
    m.needs.kind[INDIVIDUAL, :] = -1
    m.needs.sev[track, :] = severity
    m.needs.kind[track, :] = NEED_KIND[kind_name]
    return m, track


def _run_course(m, cover_value, informal_value, weeks):
    cover = np.full((3, m.pop.n), cover_value)
    informal = np.full(m.pop.n, informal_value)
    helping = np.zeros(m.pop.n, bool)
    escalations = 0
    for _ in range(weeks):
        m.needs.update(cover, informal, helping, m.rng)
        escalations += m.needs.escalations.sum()
    return escalations


def test_dementia_progresses_and_never_improves_but_support_slows_it():
    slow, track = _cohort("dementia", 1)
    fast, _ = _cohort("dementia", 1)
    _run_course(slow, 1.0, 1.0, 156)
    _run_course(fast, 0.35, 0.0, 156)
    assert slow.needs.sev[track].min() >= 1  # never below stage 1
    assert slow.needs.sev[track].mean() > 1.5  # progresses even with full support
    assert slow.needs.sev[track].mean() < fast.needs.sev[track].mean()


def test_unmet_needs_escalate_and_met_needs_deescalate():
    met, track = _cohort("social", 2)
    unmet, _ = _cohort("social", 2)
    esc_met = _run_course(met, 1.0, 1.0, 26)
    esc_unmet = _run_course(unmet, 0.0, 0.0, 26)
    assert esc_unmet > 5 * max(esc_met, 1)
    start = 2
    # met needs come down faster than recovery alone would bring them; unmet needs go up
    recovered = 1 - np.exp(-met.config.needs.kinds["social"].recovery_per_year * 26 / 52)
    assert met.needs.sev[track].mean() < start * (1 - recovered) < start < unmet.needs.sev[track].mean()
    assert unmet.needs.crisis.sum() > met.needs.crisis.sum()


def test_chronic_psychiatric_condition_stays_latent_and_relapses():
    m, track = _cohort("psychiatric", 1, n=2000)
    _run_course(m, 1.0, 0.0, 104)
    assert (m.needs.kind[track] == NEED_KIND["psychiatric"]).all()  # the condition is never cleared
    m.needs.sev[track] = 0
    m.needs.onset(m.rng)
    for _ in range(51):
        m.needs.onset(m.rng)
    assert (m.needs.sev[track] > 0).mean() > 0.2  # relapse ~0.4/yr


def test_recovery_after_admission_lasts_weeks_and_starts_only_on_a_free_track():
    """Recovery (docs/ODD.md §7.4, fifth pass) ends within weeks, faster with care, and yields to a condition
    a resident already has: it starts only among adults without one, at the configured onset by age."""
    met, track = _cohort("recovery", 2)
    unmet, _ = _cohort("recovery", 2)
    _run_course(met, 1.0, 1.0, 8)
    _run_course(unmet, 0.0, 0.0, 8)
    left = lambda m: (m.needs.kind[track] == NEED_KIND["recovery"]).mean()  # noqa: E731
    assert left(met) < 0.25 < left(unmet) < 0.75  # weeks, not months; care speeds it
    assert (unmet.needs.sev[track][unmet.needs.kind[track] < 0] == 0).all()  # ended episodes leave no need
    # onset: only recovery can start; half the residents already have frailty
    m, _ = _cohort("frailty", 1)
    t = m.needs.t
    t.onset[:] = 0.0
    t.onset[NEED_KIND["recovery"]] = m.config.needs.kinds["recovery"].onset_per_year or 0.03  # grounded value while off
    m.needs.kind[INDIVIDUAL, ::2] = -1
    m.needs.sev[INDIVIDUAL, ::2] = 0
    free = np.flatnonzero(m.needs.kind[INDIVIDUAL] < 0)
    expected = (1 - np.exp(-m.needs._onset_rate(NEED_KIND["recovery"], free) / 52)).sum() * 26
    for _ in range(26):
        m.needs.onset(m.rng)
    got = m.needs.kind[INDIVIDUAL] == NEED_KIND["recovery"]
    assert (m.needs.kind[INDIVIDUAL, 1::2] == NEED_KIND["frailty"]).all()  # a condition is never displaced
    assert not got[m.pop.age < m.config.needs.kinds["recovery"].min_age].any()
    assert abs(got.sum() - expected) < 4 * np.sqrt(expected)  # the configured rate (Poisson noise)
