"""Configuration schema of informal care (mantelzorg) and the carer-support levers (MODEL.md §6, §10, §11).

Defaults are documented with their sources in configs/default.yaml (section ``care``) and
docs/ODD.md §7.5; the YAML values are the ones a run uses.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from abm.config.base import Strict

RELATIONSHIPS = ("household", "family", "friend", "neighbour", "activity")


class Relationship(Strict):
    """How readily and how much a helper of one relationship cares (per client)."""

    weight: float = Field(ge=0, description="priority of this relationship when a resident needs care")
    max_hours: float = Field(ge=0, le=168, description="most hours/week one helper of this kind gives one client")


def _default_relationships() -> dict[str, Relationship]:
    r = Relationship
    return {"household": r(weight=1.0, max_hours=40.0), "family": r(weight=0.6, max_hours=16.0),
            "friend": r(weight=0.25, max_hours=4.0), "neighbour": r(weight=0.15, max_hours=2.0),
            "activity": r(weight=0.1, max_hours=2.0)}


class CareParams(Strict):
    """Informal care over ties: who cares for whom, how much, and what it does to the carer."""

    relationships: dict[str, Relationship] = Field(default_factory=_default_relationships)
    max_carers_per_client: int = Field(1, ge=1, le=20, description="helpers that share one resident's care")
    min_age: float = Field(16.0, ge=0, description="youngest carer (CBS counts carers from 16)")
    retirement_age: float = Field(67.0, ge=0)
    employment_rate: float = Field(0.72, ge=0, le=1, description="share of adults below retirement age in paid work")
    hours_employed: float = Field(10.0, ge=0, le=168, description="sustainable care hours/week of a working adult")
    hours_free: float = Field(20.0, ge=0, le=168, description="sustainable care hours/week without paid work")
    frail_share: float = Field(0.3, ge=0, le=1, description="capacity from help.frail_age on, relative to others")
    own_need_share: float = Field(0.5, ge=0, le=1, description="capacity of a carer with a light need of their own")
    obligation_hours: float = Field(12.0, ge=0, le=168, description="hours/week household and family carers give beyond sustainable")
    coresident_capacity: bool = Field(False, description="a carer within the household gives up to coresident_hours_* (by work), not sustainable + obligation hours")
    coresident_hours_employed: float = Field(16.0, ge=0, le=168, description="hours/week an in-household carer in paid work can give")
    coresident_hours_free: float = Field(48.0, ge=0, le=168, description="hours/week an in-household carer without paid work can give")
    min_hours: float = Field(0.5, ge=0, description="hours/week that count as caring this week")
    cbs_weeks: int = Field(13, ge=1, description="weeks of care that make a carer under the CBS definition (3 months)")
    heavy_hours: float = Field(8.0, gt=0, description="hours/week that make a carer a heavy carer (CBS: >= 8 h/week)")
    broad_window_weeks: int = Field(52, ge=1, description="a carer under SCP's broad definition cared within this window")
    social_help_counts: bool = Field(False, description="help given for a social need alone counts towards the carer figures (CBS and SCP count help for health problems only)")
    # strain
    strain_weeks: float = Field(13.0, ge=1, description="time scale on which strain follows load")
    load_exponent: float = Field(1.5, gt=0)
    duration_weight: float = Field(0.3, ge=0, description="extra strain per year of caring")
    duration_cap_years: float = Field(3.0, ge=0)
    moderate_strain: float = Field(1.05, ge=0)
    severe_strain: float = Field(2.6, gt=0)
    cutback_max: float = Field(0.5, ge=0, le=1, description="share of hours a severely strained carer cuts back")
    breakdown_per_year: float = Field(0.5, ge=0, description="hazard of breakdown for a severely strained carer")
    breakdown_weeks: float = Field(26.0, ge=1, description="weeks a carer who broke down gives no care")
    breakdown_detection: float = Field(0.5, ge=0, le=1, description="chance a breakdown brings the cared-for resident to professionals' notice")

    @model_validator(mode="after")
    def _check(self) -> CareParams:
        if set(self.relationships) != set(RELATIONSHIPS):
            raise ValueError(f"relationships must be exactly {list(RELATIONSHIPS)}, got {sorted(self.relationships)}")
        if self.moderate_strain >= self.severe_strain:
            raise ValueError(f"moderate_strain {self.moderate_strain} must be below severe_strain {self.severe_strain}")
        return self


class CarerSupport(Strict):
    """Levers for carers: respite care (respijtzorg) and carer support (mantelzorgondersteuning)."""

    respite_per_year: float = Field(0.5, ge=0, le=52, description="respite episodes per year a strained carer takes up")
    respite_weeks: float = Field(1.0, ge=0, le=52, description="weeks one respite episode lasts")
    support_reach: float = Field(0.1, ge=0, le=1, description="share of strained carers receiving carer support")
    support_effect: float = Field(0.2, ge=0, le=1, description="share by which carer support lowers strain")


class BrokeringParams(Strict):
    """How brokered contacts and volunteer matches fail (abm.core.brokering); acceptance is per
    district type (``visit_acceptance``)."""

    refusal_weeks: float = Field(26.0, ge=0, description="weeks before a resident who refused is approached again")
    mismatch: float = Field(0.2, ge=0, le=1, description="share of new brokered ties and matches that do not click")
    drop_out_per_year: float = Field(0.25, ge=0, description="early ending of brokered and volunteer-client ties")
