"""Property tests (hypothesis): invariants that hold for any small municipality and any seed."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abm import MunicipalityModel
from abm.config import DISTRICT_TYPES
from abm.core.agents import Citizen, Volunteer
from abm.core.columns import COLUMNS
from abm.core.levels import CRISIS, INTENSIVE, LIGHT, LONGTERM

from .conftest import small_config

district = st.fixed_dictionaries({
    "type": st.sampled_from(DISTRICT_TYPES),
    "population": st.integers(60, 400),
})


@st.composite
def municipalities(draw):
    ds = draw(st.lists(district, min_size=1, max_size=3))
    for i, d in enumerate(ds):
        d["name"] = f"D{i}"
    return small_config(
        districts=ds,
        seed=draw(st.integers(0, 2**32)),
        years=0.5,
        warmup_years=0.1,
        interventions__network_developers__fte=draw(st.sampled_from([0, 0.5, 2])),
        interventions__gp_referral__enabled=draw(st.booleans()),
        capacity__specialist_factor=draw(st.sampled_from([0.0, 0.5, 1.0])),
        budget__front_line_factor=draw(st.sampled_from([0.5, 1.0])),
    )


def check_invariants(m: MunicipalityModel) -> None:
    g = m.ties.graph
    pop = m.pop
    # graph: undirected, no self-loops, nodes are exactly the residents' slots
    assert not g.is_directed()
    assert not any(a == b for a, b in g.edges())
    assert g.number_of_nodes() == pop.n
    # arrays and graph agree
    live = m.ties.live()
    assert len(live) == g.number_of_edges()
    assert np.array_equal(m.ties.degree, np.array([d for _, d in sorted(g.degree())]))
    for eid in live[:: max(1, len(live) // 200)]:
        assert g.edges[int(m.ties.u[eid]), int(m.ties.v[eid])]["eid"] == eid
    s = m.ties.strength[live]
    assert ((s >= m.config.ties.removal_threshold) & (s <= 1.0)).all()
    # population accounting: every slot has exactly one Citizen agent
    citizens = m.agents_by_type[Citizen]
    assert len(citizens) == pop.n
    assert sorted(c.index for c in citizens) == list(range(pop.n))
    # volunteers are residents, counted once
    vols = list(m.agents_by_type.get(Volunteer, []))
    assert len(vols) == m.volunteers.active.sum() == len({v.citizen for v in vols})
    assert all(m.volunteers.active[v.citizen] and (pop.age[v.citizen] >= m.config.demography.adult_age) for v in vols)
    # needs and care states are in range; capacity is never exceeded
    max_severity = max(k.max_severity for k in m.config.needs.kinds.values())
    assert (m.needs.sev >= 0).all() and (m.needs.sev <= max_severity).all()
    assert ((pop.loneliness >= 0) & (pop.loneliness <= m.config.loneliness.max_score)).all()
    for (level, pool), cap in m.care.capacity.items():
        members = (m.care.level == level) & ((pop.district == pool) if pool >= 0 else True)
        assert members.sum() <= cap
    assert set(np.unique(m.care.level)) <= {0, LIGHT, INTENSIVE, LONGTERM, CRISIS}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cfg=municipalities())
def test_invariants_hold_for_any_small_municipality(cfg):
    m = MunicipalityModel(cfg)
    check_invariants(m)
    for _ in range(8):
        m.step()
        check_invariants(m)
    m.run()
    check_invariants(m)
    df = m.results()
    assert list(df.columns) == [c.name for c in COLUMNS]
    numeric = df.drop(columns=["district", "district_type", "year"])
    assert (numeric.fillna(0) >= 0).all().all(), "no negative counts, hours or costs"
    everyone = df[df.district == "all"]
    per_district = df[df.district != "all"].groupby("step")
    for col in ("population", "demand_light", "waiting_list", "volunteers", "escalations", "formal_care_cost"):
        assert np.allclose(per_district[col].sum().to_numpy(), everyone[col].to_numpy())
    assert (everyone.population == sum(d.population for d in cfg.districts)).all()
    shares = ["lonely_share", "severely_lonely_share", "vulnerable_with_vital_tie_share", "social_need_share"]
    assert ((df[shares].fillna(0) >= 0) & (df[shares].fillna(0) <= 1)).all().all()
