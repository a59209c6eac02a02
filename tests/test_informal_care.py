"""Informal care (abm.core.informal_care): who cares, how much, and what caring does to carers."""

from __future__ import annotations

import numpy as np
import pytest

from abm.config import load_config
from abm.core.informal_care import Carers, flow
from abm.core.ties import TIE_KIND, Ties


@pytest.fixture
def cfg():
    return load_config()


def _carers(cfg, n, employed=False, supported=False):
    c = Carers(cfg, n)
    c.employed[:] = employed
    c.supported[:] = supported
    return c


def _world(cfg, n, ties, household=None, need=None):
    """Ties (a, b, kind, strength) among n residents; returns what ``flow`` needs."""
    t = Ties(n)
    for a, b, kind, s in ties:
        t.add(a, b, TIE_KIND[kind], s)
    household = np.arange(n) if household is None else np.asarray(household)
    need = np.zeros(n) if need is None else np.asarray(need, dtype=float)
    return t.view(), household, need


def _flow(cfg, carers, view, household, need, step=1, age=None):
    n = len(need)
    age = np.full(n, 50.0) if age is None else age
    sus = carers.sustainable(age, np.zeros(n, bool), need > 0)
    avail, obligation = carers.available(sus, step)
    ones = np.ones(n)
    return flow(cfg.care, carers, view, household, need, avail, obligation, ones, 0 * ones, 0 * ones, 0 * ones, step), sus


def test_strain_rises_with_hours_and_duration(cfg):
    """Strain grows with hours and years; the thresholds calibrated on the CBS carers (care.moderate_strain,
    care.severe_strain; issue 9 seventh pass) make full sustainable hours for years a moderate burden and the family obligation
    on top of them (the source of overload, docs/ODD.md §7.5) a severe one."""
    c = _carers(cfg, 4)
    sus = np.full(4, cfg.care.hours_free)
    given = np.array([0.25, 0.5, 1.0, 1.0]) * sus + np.array([0, 0, 0, cfg.care.obligation_hours])
    history = []
    for week in range(1, 157):
        c.update(given, sus, week, np.random.default_rng(week))
        c.down_until[:] = 0  # no breakdowns: look at strain alone
        c.respite_until[:] = 0
        history.append(c.strain.copy())
    h = np.array(history)
    assert h[-1, 0] < h[-1, 1] < h[-1, 2]               # more hours, more strain
    assert h[-1, 2] > h[26, 2] > 0                       # strain keeps building with years of caring
    assert h[-1, 2] < h[-1, 3]
    assert h[-1, 2] >= cfg.care.moderate_strain          # full sustainable hours for years burden
    assert h[-1, 3] >= cfg.care.severe_strain            # the obligation hours on top for years overburden


def test_respite_and_carer_support_lower_strain(cfg):
    sus = np.full(2, cfg.care.hours_free)
    given = np.full(2, cfg.care.hours_free)

    def run(respite: bool, supported: bool) -> float:
        c = _carers(cfg, 2, supported=supported)
        for week in range(1, 105):
            c.down_until[:] = 0
            c.respite_until[:] = week + 1 if (respite and week % 4 == 0) else 0
            c.update(given, sus, week, np.random.default_rng(week))
        return float(c.strain[0])

    plain = run(False, False)
    assert run(True, False) < plain
    assert run(False, True) == pytest.approx(plain * (1 - cfg.interventions.carer_support.support_effect), rel=0.05)


def test_household_carer_is_the_primary_carer_and_relationships_cap_hours(cfg):
    # resident 0 needs 20 h; 1 is their partner (household), 2 a neighbour
    view, household, need = _world(cfg, 3, [(0, 1, "family", 0.9), (0, 2, "neighbour", 0.9)],
                                   household=[0, 0, 2], need=[20.0, 0, 0])
    c = _carers(cfg, 3)
    f, _ = _flow(cfg, c, view, household, need)
    assert f.care_given[1] == pytest.approx(min(20.0, cfg.care.relationships["household"].max_hours))
    assert f.care_given[2] <= cfg.care.relationships["neighbour"].max_hours + 1e-9
    assert f.received[0] == pytest.approx(f.care_given[1] + f.care_given[2])
    # a neighbour alone gives at most the neighbour cap
    view, household, need = _world(cfg, 3, [(0, 2, "neighbour", 0.9)], need=[20.0, 0, 0])
    f, _ = _flow(cfg, _carers(cfg, 3), view, household, need)
    assert f.received[0] == pytest.approx(cfg.care.relationships["neighbour"].max_hours)


def test_a_coresident_carer_gives_the_need_up_to_their_availability_not_the_sustainable_hours(cfg):
    """Co-resident care (care.coresident_capacity, docs/ODD.md §7.5): the partner at home (resident 1,
    retired) gives the need up to Linked Lives' household supply, more than an outside family carer of the
    same kind of person (resident 3) gives a client (2) with the same need, and more than sustainable +
    obligation hours; a working partner gives up to the working hours; with the rule off the partner gives
    as family elsewhere."""
    p = cfg.care
    need_h = p.relationships["household"].max_hours  # more than sustainable + obligation hours
    view, household, need = _world(cfg, 4, [(0, 1, "family", 0.9), (2, 3, "family", 0.9)],
                                   household=[0, 0, 2, 3], need=[need_h, 0, need_h, 0])
    age = np.full(4, 75.0)
    on = cfg.model_copy(update={"care": p.model_copy(update={"coresident_capacity": True})})

    def given(config, employed: bool) -> np.ndarray:
        c = _carers(config, 4, employed=employed)
        age_c = np.full(4, 50.0) if employed else age
        sus = c.sustainable(age_c, np.zeros(4, bool), need > 0)
        avail, obligation = c.available(sus, 1)
        home = c.coresident(age_c, np.zeros(4, bool), need > 0, 1) if config.care.coresident_capacity else None
        ones = np.ones(4)
        return flow(config.care, c, view, household, need, avail, obligation, ones, 0 * ones, 0 * ones, 0 * ones, 1,
                    None, home).care_given

    g = given(on, employed=False)
    outside = min(p.relationships["family"].max_hours, p.hours_free + p.obligation_hours)
    assert g[3] == pytest.approx(outside)
    assert g[1] == pytest.approx(min(need_h, p.coresident_hours_free)) and g[1] > g[3]
    assert g[1] > p.hours_free + p.obligation_hours
    assert given(on, employed=True)[1] == pytest.approx(min(need_h, p.coresident_hours_employed))
    off = cfg.model_copy(update={"care": p.model_copy(update={"coresident_capacity": False})})
    assert given(off, employed=False)[1] == pytest.approx(min(need_h, p.hours_free + p.obligation_hours))


def test_capacity_by_work_age_and_own_health(cfg):
    c = _carers(cfg, 5)
    c.employed[:] = [True, False, True, False, False]
    age = np.array([40.0, 40.0, 70.0, 90.0, 10.0])
    sus = c.sustainable(age, np.zeros(5, bool), np.zeros(5, bool))
    p = cfg.care
    assert sus[0] == p.hours_employed < sus[1] == p.hours_free
    assert sus[2] == p.hours_free                        # retired: the job no longer limits
    assert sus[3] == pytest.approx(p.hours_free * p.frail_share)
    assert sus[4] == 0                                   # children are not carers
    light = c.sustainable(age, np.ones(5, bool), np.zeros(5, bool))
    assert light[1] == pytest.approx(p.hours_free * p.own_need_share)
    assert c.sustainable(age, np.zeros(5, bool), np.ones(5, bool)).sum() == 0


def test_at_most_k_carers_share_one_residents_care(cfg):
    k = cfg.care.max_carers_per_client
    n = k + 3
    view, household, need = _world(cfg, n, [(0, i, "friend", 0.3 + 0.1 * i) for i in range(1, n)],
                                   need=[40.0] + [0.0] * (n - 1))
    f, _ = _flow(cfg, _carers(cfg, n), view, household, need)
    assert (f.care_given > 0).sum() == k
    assert (f.care_given[-k:] > 0).all()                 # the strongest ties care


def test_a_breakdown_stops_care_and_alerts_professionals(cfg):
    cfg = cfg.model_copy(update={"care": cfg.care.model_copy(update={"breakdown_per_year": 1e6, "breakdown_detection": 1.0})})
    view, household, need = _world(cfg, 2, [(0, 1, "family", 0.9)], household=[0, 0], need=[30.0, 0])
    c = _carers(cfg, 2)
    f, sus = _flow(cfg, c, view, household, need, step=1)
    assert f.received[0] > 0
    c.strain[1] = cfg.care.severe_strain * 2
    c.update(f.care_given, sus, 1, np.random.default_rng(0))
    assert c.breakdown[1] and c.alerts[0]
    f2, _ = _flow(cfg, c, view, household, need, step=2)
    assert f2.received[0] == 0 and f2.care_given[1] == 0
    # care resumes after the breakdown weeks
    f3, _ = _flow(cfg, c, view, household, need, step=2 + int(cfg.care.breakdown_weeks) + 1)
    assert f3.received[0] > 0


def test_formal_respite_covers_the_carers_hours(cfg):
    view, household, need = _world(cfg, 2, [(0, 1, "family", 0.9)], household=[0, 0], need=[12.0, 0])
    c = _carers(cfg, 2)
    f, _ = _flow(cfg, c, view, household, need, step=1)
    c.respite_until[1] = 3
    f2, _ = _flow(cfg, c, view, household, need, step=2)
    assert f2.care_given[1] == 0
    assert f2.respite_hours[0] == pytest.approx(f.care_given[1])
    assert f2.received[0] == pytest.approx(f.received[0])


def test_only_help_for_health_problems_counts_as_mantelzorg_but_all_help_strains(cfg):
    """CBS and SCP count help for health problems (docs/ODD.md §7.5, care.social_help_counts): carer 1 helps
    resident 0 (a social need alone), carer 3 helps resident 2 (an individual condition); both give the same
    hours and build the same strain, only carer 3 is a carer in the figures."""
    view, household, need = _world(cfg, 4, [(0, 1, "family", 0.9), (2, 3, "family", 0.9)], need=[6.0, 0, 6.0, 0])
    c = _carers(cfg, 4)
    age = np.full(4, 50.0)
    health = np.array([False, False, True, False])
    for step in range(1, cfg.care.cbs_weeks + 2):
        sus = c.sustainable(age, np.zeros(4, bool), need > 0)
        avail, obligation = c.available(sus, step)
        ones = np.ones(4)
        f = flow(cfg.care, c, view, household, need, avail, obligation, ones, 0 * ones, 0 * ones, 0 * ones, step, health)
        c.update(f.care_given, sus, step, np.random.default_rng(step), f.mantelzorg)
    assert f.care_given[1] == pytest.approx(f.care_given[3]) and f.care_given[1] > 0
    assert c.strain[1] == pytest.approx(c.strain[3]) and c.strain[1] > 0
    assert f.mantelzorg[1] == 0 and f.mantelzorg[3] == pytest.approx(f.care_given[3])
    assert list(c.carers(age, f.mantelzorg)) == [False, False, False, True]
    assert list(c.broad(age, step)) == [False, False, False, True]
    # counting all help (the earlier figures) makes both carers
    f_all = flow(cfg.care, c, view, household, need, avail, obligation, ones, 0 * ones, 0 * ones, 0 * ones, step + 1)
    assert list(c.carers(age, f_all.mantelzorg)) == [False, True, False, True]
