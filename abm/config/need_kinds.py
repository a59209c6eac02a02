"""Configuration schema of the needs: the kinds of need and their defaults (docs/spec/MODEL.md §5, §6).

Each kind of need runs through one mechanism (``abm.core.needs``) with its own parameters; where each
default comes from is in docs/ODD.md §7.4.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from abm.config.base import Strict
from abm.config.merge import deep_merge

LEVELS = ("none", "light", "intensive", "longterm", "crisis")
NEED_KINDS = ("social", "multi_problem", "dementia", "psychiatric", "disability", "frailty", "brain_injury",
              "chronic_illness", "recovery")
DistrictFactor = Literal["social_need_factor", "individual_need_factor", "multi_problem_factor"]


class NeedKind(Strict):
    """One kind of need: onset, autonomous course, response to (un)met support (docs/spec/MODEL.md §5)."""

    onset_per_year: float = Field(ge=0, le=1)
    min_age: float = Field(0, ge=0)
    max_age: float = Field(200, ge=0)
    age_doubling_years: float | None = Field(None, gt=0, description="onset doubles every N years above min_age")
    lonely_factor: float = Field(0.0, ge=0, description="onset multiplier (1 + f) for lonely residents")
    district_factor: DistrictFactor
    max_severity: int = Field(3, ge=1, le=4)
    onset_severity: int = Field(1, ge=1, le=4, description="severity at onset (an acute episode may start high)")
    initial_prevalence: float = Field(0.0, ge=0, le=1)
    progression_per_year: float = Field(0.0, ge=0)
    informal_slowing: float = Field(0.0, ge=0, le=1)
    escalation_per_year: float = Field(ge=0)
    deescalation_per_year: float = Field(ge=0)
    recovery_per_year: float = Field(0.0, ge=0)
    relapse_per_year: float = Field(0.0, ge=0, description=">0: chronic; the condition stays latent at severity 0")
    floor: int = Field(0, ge=0, le=4, description="severity never falls below this (permanent limitations)")
    substitutability: float = Field(ge=0, le=1, description="share of the need informal support can cover")
    helping_benefit: float = Field(0.0, ge=0, description="extra de-escalation for residents who volunteer")
    levels: list[Literal["light", "intensive", "longterm"]] = Field(min_length=1, max_length=4)
    care_hours: list[float] = Field(min_length=1, max_length=4, description="informal care hours/week the need asks of carers, by severity")

    @model_validator(mode="after")
    def _levels(self) -> NeedKind:
        if len(self.levels) != self.max_severity:
            raise ValueError(f"levels needs one entry per severity 1..{self.max_severity}, got {len(self.levels)}")
        if len(self.care_hours) != self.max_severity or min(self.care_hours) < 0:
            raise ValueError(f"care_hours needs one non-negative entry per severity 1..{self.max_severity}, got {self.care_hours}")
        if self.onset_severity > self.max_severity:
            raise ValueError(f"onset_severity {self.onset_severity} above max_severity {self.max_severity}")
        if self.floor > self.max_severity:
            raise ValueError(f"floor {self.floor} above max_severity {self.max_severity}")
        return self


def _default_need_kinds() -> dict[str, NeedKind]:
    # dementia, psychiatric and frailty never end: with needs.stationary_onset (default) their onset is
    # derived from initial_prevalence (docs/ODD.md §7.4) and onset_per_year only sets where it starts
    k = NeedKind
    return {
        # social needs: isolation, weak parenting, psychosocial problems (docs/spec/MODEL.md §5, source §5.2)
        "social": k(onset_per_year=0.075, lonely_factor=4.0, district_factor="social_need_factor",
                    escalation_per_year=0.8, deescalation_per_year=1.5, recovery_per_year=0.3,
                    substitutability=0.9, helping_benefit=1.0, initial_prevalence=0.075,
                    levels=["light", "light", "intensive"], care_hours=[1.0, 3.0, 6.0]),
        # complex multi-problems: need one family, one plan, one coordinator (source §5.4)
        "multi_problem": k(onset_per_year=0.006, min_age=18, max_age=65, district_factor="multi_problem_factor",
                           escalation_per_year=1.5, deescalation_per_year=1.5, substitutability=0.1,
                           initial_prevalence=0.015, levels=["intensive", "intensive", "intensive"], care_hours=[3.0, 6.0, 10.0]),
        # dementia: four stages, progressive; contact softens and slows, not stops (source §5.3, §5.5)
        "dementia": k(onset_per_year=0.004, min_age=65, age_doubling_years=5.0, district_factor="individual_need_factor",
                      max_severity=4, progression_per_year=0.4, informal_slowing=0.15,
                      escalation_per_year=0.3, deescalation_per_year=0.0, floor=1, substitutability=0.35,
                      initial_prevalence=0.06, levels=["light", "longterm", "longterm", "longterm"], care_hours=[8.0, 16.0, 32.0, 80.0]),
        # psychiatric conditions: fluctuating, intermittent care (source §5.3)
        "psychiatric": k(onset_per_year=0.01, min_age=16, max_age=85, lonely_factor=0.5,
                         district_factor="individual_need_factor", onset_severity=2, escalation_per_year=1.2,
                         deescalation_per_year=2.0, recovery_per_year=0.3, relapse_per_year=0.4,
                         substitutability=0.1, initial_prevalence=0.10,
                         levels=["light", "intensive", "intensive"], care_hours=[3.0, 6.0, 10.0]),
        # mild intellectual disability: permanent (source §5.3)
        "disability": k(onset_per_year=0.0, district_factor="individual_need_factor",
                        escalation_per_year=0.5, deescalation_per_year=1.0, floor=1,
                        substitutability=0.4, initial_prevalence=0.012,
                        levels=["light", "longterm", "longterm"], care_hours=[8.0, 16.0, 32.0]),
        # physical, sensory and old-age conditions (source §5.3)
        "frailty": k(onset_per_year=0.01, min_age=65, age_doubling_years=7.0, district_factor="individual_need_factor",
                     progression_per_year=0.15, informal_slowing=0.2, escalation_per_year=0.4,
                     deescalation_per_year=1.0, floor=1, substitutability=0.6, initial_prevalence=0.10,
                     levels=["light", "light", "longterm"], care_hours=[8.0, 16.0, 32.0]),
        # acquired brain injury: often temporary (source §5.3)
        "brain_injury": k(onset_per_year=0.001, min_age=18, district_factor="individual_need_factor",
                          escalation_per_year=0.6, deescalation_per_year=1.5, recovery_per_year=0.8,
                          substitutability=0.3, levels=["light", "intensive", "intensive"], care_hours=[6.0, 14.0, 20.0]),
        # chronic somatic illness with limitations, 18+: permanent, slow decline (source §5.3; docs/ODD.md §7.4)
        "chronic_illness": k(onset_per_year=0.002, min_age=18, age_doubling_years=15.0, district_factor="individual_need_factor",
                             progression_per_year=0.1, informal_slowing=0.1, escalation_per_year=0.3,
                             deescalation_per_year=1.0, floor=1, substitutability=0.5, initial_prevalence=0.05,
                             levels=["light", "light", "longterm"], care_hours=[8.0, 16.0, 32.0]),
        # recovery after a hospital admission: a short episode of weeks (docs/ODD.md §7.4)
        "recovery": k(onset_per_year=0.03, min_age=18, age_doubling_years=20.0, district_factor="individual_need_factor",
                      max_severity=2, onset_severity=2, escalation_per_year=0.5, deescalation_per_year=13.0,
                      recovery_per_year=13.0, substitutability=0.6, levels=["light", "longterm"], care_hours=[6.0, 12.0]),
    }


class NeedParams(Strict):
    """The three kinds of need (social, individual conditions, multi-problem) and the ladder (§5, §6)."""

    kinds: dict[str, NeedKind] = Field(default_factory=_default_need_kinds)
    hours_first_severity: float = Field(3.0, gt=0, description="hours/week at severity 1; doubles per level")
    ask_per_week: float = Field(0.15, ge=0, le=1)
    gp_visits_per_year: float = Field(4.0, ge=0)
    gp_lonely_visit_factor: float = Field(0.5, ge=0)
    gp_need_visit_factor: float = Field(1.0, ge=0, description="extra GP visits (x gp_visits_per_year) of a resident with a need")
    mismatch_effectiveness: float = Field(0.3, ge=0, le=1)
    same_rank_effectiveness: float = Field(0.6, ge=0, le=1, description="share of a need met by a different level of equal weight")
    hours_factor_per_severity: float = Field(2.0, ge=1, description="hours/week multiply by this per severity level")
    unmet_threshold: float = Field(0.5, ge=0, description="unmet hours/week, as a share of hours_first_severity, that count as an unmet need")
    serious_severity: int = Field(2, ge=1, le=4, description="severity from which a need keeps one from helping and volunteering")
    crisis_resolution_per_year: float = Field(13.0, gt=0)
    crisis_admission_share: float = Field(0.2, ge=0, le=1, description="crises ending in admission (resident leaves)")
    stationary_onset: bool = Field(True, description="derive the onset of chronic kinds from their prevalence and their "
                                   "members' exits, so their pools stay at the configured prevalence (docs/ODD.md §7.4)")

    @model_validator(mode="before")
    @classmethod
    def _onto_defaults(cls, data):
        """Given kinds are merged onto the defaults, so a scenario or a sweep can set one field of one
        kind (``needs.kinds.social.onset_per_year=0.04``) without restating the rest."""
        if isinstance(data, dict) and isinstance(data.get("kinds"), dict):
            unknown = sorted(set(data["kinds"]) - set(NEED_KINDS))
            if unknown:
                raise ValueError(f"unknown need kinds {unknown}; the kinds are {list(NEED_KINDS)}")
            defaults = {k: v.model_dump() for k, v in _default_need_kinds().items()}
            data = {**data, "kinds": deep_merge(defaults, data["kinds"])}
        return data

    @model_validator(mode="after")
    def _kinds(self) -> NeedParams:
        if set(self.kinds) != set(NEED_KINDS):
            raise ValueError(f"kinds must be exactly {list(NEED_KINDS)}, got {sorted(self.kinds)}")
        return self


