"""Families and youth (abm.core.families; docs/ODD.md §7.16): mechanisms and directions, not tuned numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm.config import load_config
from abm.core.families import BOTH_SIDES, NONE, ONE_SIDE
from abm.core.model import MunicipalityModel
from abm.core.needs import SOCIAL
from abm.core.staff import ROLE
from tests.small_runs import ON, fast_founding, runs


def summed(*extra: str, seeds=(1, 2, 3)) -> pd.DataFrame:
    """District rows of the shared small runs, summed over seeds and weeks (youth draws have their own
    stream, so the cooperative runs serve here too)."""
    frames = [df[df.district != "all"] for _, df in runs(*extra, seeds=seeds)]
    return pd.concat(frames).groupby("district").sum(numeric_only=True)


def test_a_default_run_has_families_youth_care_and_placements_at_the_cbs_order():
    """CBS Jeugdzorg in Nederland: about 1 in 10 under 18 use youth care in a year, about 1% with stay.
    The model's weekly stock must be of that order (a year's users exceed a week's stock), not tuned to it."""
    total = summed(ON, fast_founding()).sum()
    assert total["households_with_children"] > 0
    in_care = total["youth_care_clients"] / total["youth"]
    placed = total["out_of_home_placements"] / total["youth"]
    assert 0.02 < in_care < 0.15, in_care
    assert 0.001 < placed < 0.03, placed
    assert total["youth_care_cost"] > 0


def test_deprived_ward_has_more_problems_on_both_sides_and_anonymous_districts_more_unsupervised_teens():
    t = summed(ON, fast_founding())
    per_youth = t.div(t["youth"], axis=0)
    for village in ("commuter_village", "traditional_village"):
        for col in ("youth_problems_both_sides", "youth_care_clients"):
            assert per_youth.loc["deprived_urban", col] > per_youth.loc[village, col], col
        for anonymous in ("storp", "deprived_urban"):
            assert per_youth.loc[anonymous, "unsupervised_teens"] > per_youth.loc[village, "unsupervised_teens"]


def test_parents_ties_soften_parenting_problems():
    """Paired: the same seed with and without the softening by parents' ties. The youth track writes to
    the rest of the model through the youth and family workers, who become a known face of the
    families they serve (trust ties with the parents, lowering their demand shyness), and through the
    parents' social needs (next test)."""
    with_ties, without = summed(seeds=(1,)), summed("youth.tie_softening=0", seeds=(1,))
    problems = ["youth_problems_one_side", "youth_problems_both_sides"]
    assert with_ties[problems].sum().sum() < without[problems].sum().sum()
    m = runs(seeds=(1,))[0][0]
    knows_worker = m.trust.prof[ROLE["youth_worker"]] >= 0
    parents = knows_worker & (m.pop.age >= m.config.demography.adult_age)
    assert parents.any() and (knows_worker & (m.pop.age < m.config.demography.adult_age)).any()
    assert set(m.trust.prof[ROLE["youth_worker"], parents].tolist()) <= set(m.staff.slots("youth_worker").tolist())


def test_a_childs_problem_gives_the_parents_a_social_need():
    """The family carries the child's problem (seed 003 §7.2): adults of a household whose child has a
    problem get a social need at youth.parent_need_per_year (x parent_need_both_factor on both sides or
    placed); adults of other households and the youth themselves get nothing from it."""
    cfg = load_config(None, [], ["districts=[{name: w, type: deprived_urban, population: 300}]", "warmup_years=0",
                                 "years=0.1", "youth.parent_need_per_year=52"])
    m = MunicipalityModel(cfg, seed=1)
    m.step()
    f, needs, pop, p = m.families, m.needs, m.pop, cfg.youth
    youth = pop.age < cfg.demography.adult_age
    with_children = np.flatnonzero(youth & (np.bincount(f.member_of, weights=~youth)[f.member_of] > 0))
    one, both = with_children[0], with_children[-1]
    f.problem[:], f.placed[:] = NONE, False
    f.problem[one] = ONE_SIDE
    f.placed[both] = True
    rate = f.parent_hazard()
    parents = {h: np.flatnonzero(~youth & (f.member_of == f.member_of[h])) for h in (one, both)}
    assert len(parents[one]) and len(parents[both])
    assert np.allclose(rate[parents[one]], p.parent_need_per_year)
    assert np.allclose(rate[parents[both]], p.parent_need_per_year * p.parent_need_both_factor)
    others = np.setdiff1d(np.arange(pop.n), np.concatenate(list(parents.values())))
    assert not rate[others].any()
    # a week of the youth track: all youth with a problem on both sides; parents' social needs arise
    f.problem[youth] = BOTH_SIDES
    needs.sev[SOCIAL] = 0
    f.step(m.view, needs, m.noticing.key_facility)
    parent = ~youth & (np.bincount(f.member_of, weights=youth)[f.member_of] > 0)
    assert needs.sev[SOCIAL, parent].mean() > 0.5  # weekly chance 1 - exp(-2) = 0.86
    assert not needs.sev[SOCIAL, ~parent].any()
