"""Unit tests of single mechanisms, each set up so that a wrong mechanism fails. Volunteers (docs/ODD.md §7.8) as mesa agents."""

from __future__ import annotations

from abm import MunicipalityModel
from abm.core.agents import Volunteer

from .conftest import small_config


def test_volunteers_are_an_agent_set_of_residents():
    m = MunicipalityModel(small_config(output__write_warmup=True))
    for _ in range(20):
        m.step()
        vols = m.agents_by_type[Volunteer]
        assert len(vols) == m.volunteers.active.sum() > 0
        assert all(m.volunteers.active[v.citizen] for v in vols)
    df = m.results()
    assert df[df.district == "all"].volunteers.iloc[-1] == m.volunteers.active.sum()
