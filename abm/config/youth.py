"""Configuration of families and youth (seed 003 §7.2; docs/ODD.md §7.16): parenting problems on one
side or on both, youth care levels with capacity and cost, youth without supervision or activities.
Values and sources in configs/default.yaml (section ``youth``).
"""

from __future__ import annotations

from pydantic import Field

from abm.config.base import Strict


class YouthParams(Strict):
    """Problems in families with children and the youth care the municipality buys (Jeugdwet)."""

    onset_per_year: float = Field(0.06, ge=0, le=1, description="yearly onset of a parenting or psychosocial problem per child, x social_need_factor")
    tie_scale: float = Field(3.0, gt=0, description="parents' local tie strength at which the onset falls to 1/(1 + tie_softening)")
    tie_softening: float = Field(1.0, ge=0, description="how much parents' ties (other parents, neighbours) soften the onset")
    broad_school_factor: float = Field(0.7, ge=0, le=1, description="onset multiplier where a key facility (broad school) is")
    initial_prevalence: float = Field(0.06, ge=0, le=1, description="share of residents under 18 with a problem at the start")
    parent_trouble_factor: float = Field(3.0, ge=1, le=20, description="onset multiplier when a parent has a multi-problem or serious psychiatric need")
    recovery_per_year: float = Field(0.3, ge=0, le=52, description="problems on one side resolving per year without care")
    care_recovery_per_year: float = Field(0.7, ge=0, le=52, description="one-side problems resolving per year with ambulant care")
    both_recovery_per_year: float = Field(0.5, ge=0, le=52, description="both-side problems coming down to one side per year with intensive care")
    escalation_per_year: float = Field(0.2, ge=0, le=52, description="unserved one-side problems becoming both-side per year")
    ask_per_week: float = Field(0.1, ge=0, le=1, description="weekly chance a family with a problem reaches youth care")
    placement_per_year: float = Field(0.2, ge=0, le=52, description="both-side problems ending in out-of-home placement per year (with intensive care)")
    unserved_placement_factor: float = Field(2.0, ge=1, le=10, description="placement hazard multiplier without intensive care")
    placement_mean_years: float = Field(1.5, gt=0, le=18, description="mean length of an out-of-home placement")
    ambulant_slots_per_1000_youth: float = Field(120.0, ge=0, description="ambulant youth care capacity per 1,000 residents under 18")
    intensive_slots_per_1000_youth: float = Field(25.0, ge=0, description="intensive youth care capacity per 1,000 residents under 18")
    ambulant_week: dict[str, float] = Field({"guidance_hour": 1.5}, description="cost items per client-week of ambulant youth care")
    intensive_week: dict[str, float] = Field({"guidance_hour": 5.0}, description="cost items per client-week of intensive youth care")
    placement_day_item: str = Field("shelter_day", description="cost item per day of out-of-home placement")
    worker_item: str = Field("guidance_hour", description="cost item that is an hour of the youth and family worker: a client-week of "
                             "each youth care level takes its units in ambulant_week / intensive_week")
    teen_age: float = Field(12.0, ge=0, description="from this age youth can hang about in groups")
    parent_need_per_year: float = Field(0.3, ge=0, le=52, description="yearly hazard that a parent of a child with a problem gets a social need (family support)")
    parent_need_both_factor: float = Field(2.0, ge=1, le=20, description="that hazard's multiplier when the problem is on both sides or the child is placed")
    supervised_ties: float = Field(1.0, ge=0, description="local tie strength of a teen's household from which there is supervision")

    def hours_per_client(self) -> dict[int, float]:
        """The youth and family worker's hours per client-week by youth care level (1: ambulant, 2: intensive)."""
        return {1: self.ambulant_week[self.worker_item], 2: self.intensive_week[self.worker_item]}

    def slots_per_1000(self) -> dict[int, float]:
        """Youth care client slots per 1,000 residents under 18, by level (1: ambulant, 2: intensive)."""
        return {1: self.ambulant_slots_per_1000_youth, 2: self.intensive_slots_per_1000_youth}

    def worker_hours_per_1000(self) -> float:
        """Youth and family workers' hours a week per 1,000 residents under 18 that the slots take."""
        hours = self.hours_per_client()
        return sum(slots * hours[level] for level, slots in self.slots_per_1000().items())
