"""Configuration of citizen initiatives that emerge: care cooperatives and village associations
(zorgcoöperaties, dorpsverenigingen; seed 003 §4.1, §6.4, Hoogeloon, Austerlitz), and the municipal
support lever. Values and sources in configs/default.yaml (section ``cooperatives``), docs/ODD.md §7.15.
"""

from __future__ import annotations

from pydantic import Field

from abm.config.base import Strict


class CooperativeParams(Strict):
    """Forming, growing, working and fading of a care cooperative (at most one per district)."""

    enabled: bool = Field(True, description="whether initiatives can emerge at all (one switch for every district)")
    founder_min_willingness: float = Field(0.8, ge=0, le=1, description="willingness to help of a potential founder")
    founder_min_strong_ties: int = Field(3, ge=0, le=100, description="durable local ties a potential founder has")
    critical_core_per_1000: float = Field(60.0, gt=0, description="founders who know each other, per 1,000 residents, above which one can form")
    founding_per_year: float = Field(0.1, ge=0, le=52, description="yearly founding hazard per unit of core above critical, x self_organisation")
    join_per_year: float = Field(0.15, ge=0, le=52, description="yearly joining rate x willingness x share of tie strength to members")
    lapse_per_year: float = Field(0.08, ge=0, le=52, description="members who let their membership lapse, per year")
    volunteer_per_year: float = Field(0.02, ge=0, le=52, description="extra yearly volunteer recruitment among eligible members")
    meeting_boost: float = Field(0.2, ge=0, le=5, description="the meeting point raises the district's meetings by this share")
    respite_per_year: float = Field(0.5, ge=0, le=52, description="extra respite episodes per year for strained carers in the district")
    housing_member_share: float = Field(0.2, ge=0, le=1, description="members per resident from which it builds small-scale housing with care")
    housing_years: float = Field(3.0, ge=0, le=50, description="years from founding before the housing opens")
    housing_places_per_1000: float = Field(4.0, ge=0, le=100, description="places per 1,000 residents in small-scale housing with care")
    leaders_per_1000: float = Field(15.0, ge=0, description="founders and volunteering members per 1,000 residents below which it may fade")
    fade_per_year: float = Field(1.0, ge=0, le=52, description="yearly hazard of fading while below the leaders threshold")


class CooperativeSupport(Strict):
    """Municipal support (lever): room and a small subsidy for initiatives, a village support worker."""

    enabled: bool = False
    founding_factor: float = Field(2.0, ge=0, le=10, description="multiplier on the founding hazard")
    fade_factor: float = Field(0.5, ge=0, le=10, description="multiplier on the fading hazard")
    startup_grant: float = Field(10_000.0, ge=0, description="euro paid once when a cooperative forms")
    subsidy_per_year: float = Field(5_000.0, ge=0, description="euro per year per active cooperative")
    worker_fte: float = Field(0.5, ge=0, le=10, description="village support worker (dorpsondersteuner) FTE per active cooperative")
    cost_per_fte_year: float = Field(80_000.0, ge=0, description="euro per FTE-year of the village support worker")
