"""Care cooperatives emerge from willing residents with dense ties, with no switch per district type
(abm.core.cooperatives; docs/ODD.md §7.15)."""

from __future__ import annotations

import numpy as np

from abm.config.units import WEEKS_PER_YEAR
from abm.core import volunteering
from abm.core.model import MunicipalityModel
from tests.small_runs import ON, config, fast_founding, runs

VILLAGES, ANONYMOUS = ("commuter_village", "traditional_village"), ("deprived_urban", "storp")


def test_cooperatives_form_where_willing_residents_with_dense_ties_know_each_other_and_not_in_anonymous_districts():
    formed = {t: 0 for t in VILLAGES + ANONYMOUS}
    for m, df in runs(ON, fast_founding()):
        ever = df[df.district != "all"].groupby("district")["care_cooperatives"].max()
        for t in formed:
            formed[t] += int(ever[t])
        # the reason is the founding core, measured the same way in every district
        size = m.pop.district_sizes / 1000
        view = m.view
        strong = view.strength >= m.config.ties.durable_strength
        able = (m.pop.age >= m.config.demography.adult_age) & (m.pop.age < m.config.help.frail_age)
        core = m.pop.per_district(m.coops.core(view, strong, able)) / size
        names = m.pop.table.names
        for t in ANONYMOUS:
            assert core[names.index(t)] < m.config.cooperatives.critical_core_per_1000
    assert all(formed[t] >= 1 for t in VILLAGES), formed
    assert all(formed[t] == 0 for t in ANONYMOUS), formed


def test_adults_join_through_ties_and_members_are_recruited_as_volunteers():
    checked = joined = 0
    for m, df in runs(ON, fast_founding()):
        last = df[(df.step == df.step.max()) & (df.district != "all")].set_index("district")
        for t in VILLAGES:
            if last.loc[t, "care_cooperatives"]:
                d = m.pop.table.names.index(t)
                members = m.coops.member & (m.pop.district == d)
                joined += members.sum() - m.coops.founder[members].sum()
                assert last.loc[t, "cooperative_members"] == members.sum()
                # the cooperative's extra recruitment draws its volunteers from eligible members only
                # (at the default 0.02 a year the difference in volunteering is not visible in 2 years)
                eligible = volunteering.able(m.config, m.pop, m.needs) & ~m.volunteers.active
                recruits = m.coops.recruits(eligible)
                assert m.coops.member[recruits].all() and eligible[recruits].all()
                assert (m.pop.age[members] >= m.config.demography.adult_age).all()
                checked += 1
    assert checked >= 1
    assert joined > 0, "residents beyond the founders joined"


def test_without_founders_a_run_is_identical_to_one_where_cooperatives_cannot_form():
    """The cooperatives draw from their own generator: where none forms, nothing else changes."""
    short = ("years=0.3", "warmup_years=0.2", ON)
    a = MunicipalityModel(config(*short, "cooperatives.founding_per_year=0"), seed=5).run()
    b = MunicipalityModel(config(*short, "cooperatives.critical_core_per_1000=100000"), seed=5).run()
    assert a.equals(b)


def test_a_cooperative_fades_without_leaders_and_its_housing_keeps_dementia_admissions_in_the_village():
    cfg = config("years=0.2", ON)
    m = MunicipalityModel(cfg, seed=1)
    c = m.coops
    d = m.pop.table.names.index("traditional_village")
    c.active[d] = True
    c.founded[d] = m.steps - int(cfg.cooperatives.housing_years * WEEKS_PER_YEAR)
    in_d = np.flatnonzero(m.pop.district == d)
    c.member[in_d[: int(len(in_d) * cfg.cooperatives.housing_member_share) + 1]] = True
    places = c.places[d]
    admitted = in_d[-(places + 2):]
    dementia = np.zeros(m.pop.n, dtype=bool)
    dementia[admitted] = True
    still = c.house(admitted, dementia, m.steps)
    assert len(still) == 2 and c.housed[admitted].sum() == places
    # no leaders: it fades at cooperatives.fade_per_year
    c.member[:] = False
    fades = 0
    weeks = int(WEEKS_PER_YEAR * 3)
    for _ in range(weeks):
        c.active[d] = True
        view = m.view
        c.step(view, view.strength >= 2, np.zeros(m.pop.n, bool), m.volunteers.active, np.zeros(m.pop.n, bool), m.steps)
        fades += not c.active[d]
    expected = weeks * (1 - np.exp(-cfg.cooperatives.fade_per_year / WEEKS_PER_YEAR))
    assert abs(fades - expected) < 4 * np.sqrt(expected)


def test_the_support_lever_is_charged_to_the_municipality_per_active_cooperative():
    cfg = config("years=0.1", ON, "interventions.cooperative_support.enabled=true")
    m = MunicipalityModel(cfg, seed=1)
    m.coops.active[:] = [True, False, False, False]
    m.coops.formed_now[:] = False
    lv = cfg.interventions.cooperative_support
    expected = (lv.subsidy_per_year + lv.worker_fte * lv.cost_per_fte_year) / WEEKS_PER_YEAR
    assert np.allclose(m.coops.cost(), [expected, 0, 0, 0])
