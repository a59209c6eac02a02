"""The default municipality reproduces what it is calibrated to (docs/ODD.md, calibration table).

One shortened default run (the full municipality, warm-up plus a quarter year) shared by the tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import MunicipalityModel, load_config
from abm.config import NEED_KINDS
from abm.core.needs import INDIVIDUAL, MULTI, NEED_KIND, SOCIAL
from abm.experiments.measures import contagion_gradient

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_run():
    model = MunicipalityModel(load_config(overrides=["years=0.25"]))
    seen = np.zeros(len(NEED_KINDS), dtype=bool)
    while model.steps < model.total_steps:
        model.step()
        present = (model.needs.sev > 0) & (model.needs.kind >= 0)
        seen[np.unique(model.needs.kind[present])] = True
    return model, seen


def test_every_need_kind_with_a_prevalence_or_onset_occurs(default_run):
    model, seen = default_run
    for name, kind in model.config.needs.kinds.items():
        if kind.initial_prevalence > 0 or kind.onset_per_year > 0:
            assert seen[NEED_KIND[name]], f"{name} never occurs"


# Gezondheidsmonitor 2022: severely lonely adults by municipality (docs/spec/MODEL.md §11)
SEVERELY_LONELY_MUNICIPAL_RANGE = (0.06, 0.23)


def test_social_needs_are_sized_on_severe_loneliness_and_multi_problems_the_smallest(default_run):
    """Social needs are sized on the socially isolated (configs/default.yaml, needs.kinds.social): adults with a
    social need lie in the published municipal range of severely lonely adults, and multi-problems are the
    smallest group (docs/spec/MODEL.md §5). MODEL §5 also calls social needs the largest group; on this ground,
    with chronic illness on (5% of adults, CBS), they are about as many as the individual conditions, not
    robustly more: on the seventh pass's default 12.5% vs 12.1% of residents in this run, 11.1% vs 11.9% on the
    quarter-size municipality (seeds 1-2; docs/ODD.md "Current default"; with the calibrated loneliness of 4c
    11.5% vs 12.1% and 10.5% vs 12.0%, with the hand fit 12.5% vs 11.6% and 11.5% vs 12.2%), so that order is no
    longer asserted."""
    model, _ = default_run
    share = (model.needs.sev > 0).mean(axis=1)
    adult = model.pop.age >= model.config.demography.adult_age
    low, high = SEVERELY_LONELY_MUNICIPAL_RANGE
    assert low <= (model.needs.sev[SOCIAL, adult] > 0).mean() <= high
    assert min(share[SOCIAL], share[INDIVIDUAL]) > share[MULTI] > 0


def test_loneliness_clusters_in_the_network_beyond_chance(default_run):
    """Lonely adults' close contacts (ties at least ``ties.durable_strength`` strong: the ties that carry the
    contagion, ``loneliness.contagion_min_strength``, and nearer Framingham's few named contacts) are lonelier
    than adults at large (without the contagion 0.77-0.79, docs/calibration.md 4d). Over all ties the edge
    effect (lonely adults have a third fewer ties) outweighs it since the contagion runs over close ties only:
    0.94 on the quarter-size municipality (docs/ODD.md "Current default"), so that is not asserted."""
    model, _ = default_run
    pop, view = model.pop, model.ties.view()
    adult = pop.age >= model.config.demography.adult_age
    close = view.at_least(model.config.loneliness.contagion_min_strength)
    u, v = view.u[close], view.v[close]
    assert contagion_gradient(u, v, pop.lonely(), adult, distances=1, sample=None)[0] > 1.0
    # a random permutation of loneliness over the same graph gives about 1
    shuffled = np.random.default_rng(0).permutation(pop.lonely())
    assert contagion_gradient(u, v, shuffled, adult, distances=1, sample=None)[0] == pytest.approx(1.0, abs=0.05)


def test_carers_carry_heavy_care_and_some_are_overburdened(default_run):
    model, _ = default_run
    pop, c, f = model.pop, model.carers, model.care_flow
    carers = c.carers(pop.age, f.mantelzorg)
    assert carers.any()
    assert c.heavy(pop.age, f.mantelzorg).any()
    assert c.overburdened(pop.age, f.mantelzorg).any()
    assert (f.mantelzorg[c.heavy(pop.age, f.mantelzorg)] > model.config.care.heavy_hours).all()
