"""Configuration schema of the professionals (docs/spec/MODEL.md §4; issue 16): roles and their hours,
staff turnover, trust ties with residents, collaboration ties between professionals and handovers.

Defaults are documented with their sources in configs/default.yaml (section ``professionals``) and
docs/ODD.md §7.14; the YAML values are the ones a run uses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from abm.config.base import Strict
from abm.config.need_kinds import NEED_KINDS

# the roles of issue 16; "network_developer" is the NetworkDeveloper agent (hours from interventions);
# "youth_worker" is the youth and family worker who gives youth care (issue 17; abm.core.families)
ROLES = ("gp", "generalist", "district_nurse", "specialist", "dementia_case_manager", "network_developer", "youth_worker")
# formal level whose capacity a role's hours give (None: no formal-care slots)
ROLE_LEVEL = {"gp": None, "generalist": "light", "district_nurse": "longterm", "specialist": "intensive",
              "dementia_case_manager": None, "network_developer": None, "youth_worker": None}


class Role(Strict):
    """One role: a professional's contract hours, the need kinds they can handle and how often they see
    a resident they serve (consultation, home visit)."""

    hours_per_week: float = Field(gt=0, le=60, description="contract hours of one professional of this role")
    handles: list[str] = Field(description="need kinds (needs.kinds) this role can handle")
    contact_per_week: float = Field(ge=0, le=1, description="weekly chance of contact with a resident they serve")


def _default_roles() -> dict[str, Role]:
    r = Role
    return {
        "gp": r(hours_per_week=40.0, handles=["psychiatric", "frailty", "dementia", "brain_injury", "chronic_illness", "recovery"], contact_per_week=1.0),
        "generalist": r(hours_per_week=32.0, handles=["social", "multi_problem", "frailty", "disability", "chronic_illness"], contact_per_week=0.5),
        "district_nurse": r(hours_per_week=32.0, handles=["frailty", "dementia", "disability", "brain_injury", "chronic_illness",
                                                         "recovery"], contact_per_week=0.8),
        "specialist": r(hours_per_week=32.0, handles=["psychiatric", "disability", "brain_injury", "multi_problem"], contact_per_week=0.7),
        "dementia_case_manager": r(hours_per_week=32.0, handles=["dementia"], contact_per_week=0.25),
        "network_developer": r(hours_per_week=36.0, handles=["social"], contact_per_week=0.5),
        "youth_worker": r(hours_per_week=32.0, handles=["social", "multi_problem"], contact_per_week=0.8),
    }


class TrustParams(Strict):
    """Trust ties between residents and professionals (the recognisable local face, source §4.2)."""

    initial_strength: float = Field(0.2, gt=0, le=1, description="strength of a tie at first contact")
    reinforcement: float = Field(0.1, ge=0, le=1, description="share of the gap to 1 closed by a contact")
    decay_per_week: float = Field(0.01, ge=0, le=1, description="share of strength lost in a week without contact")
    removal_threshold: float = Field(0.05, ge=0, le=1, description="a tie weaker than this is gone")
    shyness_relief: float = Field(0.5, ge=0, le=1, description="demand shyness falls by this x the strongest trust tie")
    noticing_factor: float = Field(1.5, ge=1, le=10, description="detection by a GP who knows the patient, x this at full strength")
    key_facility_contact: float = Field(0.02, ge=0, le=1, description="weekly chance of meeting the generalist at a key facility")
    introduction: float = Field(0.5, ge=0, le=1, description="chance a developer's contact introduces the local generalist")
    referral_per_week: float = Field(0.005, ge=0, le=1, description="weekly chance a resident with unmet need is referred by a neighbour who knows the generalist")


class CollaborationParams(Strict):
    """Collaboration ties between professionals (seed 000, seed 004; source §6.5)."""

    initial_strength: float = Field(0.2, gt=0, le=1, description="strength of a new tie")
    shared_client_gain: float = Field(0.02, ge=0, le=1, description="share of the gap to 1 closed per shared client-week")
    meetings_per_week: float = Field(0.2, ge=0, le=1, description="chance a professional attends a joint meeting in a week")
    meeting_gain: float = Field(0.1, ge=0, le=1, description="share of the gap to 1 closed per meeting")
    same_organisation_meeting: float = Field(4.0, ge=1, le=100, description="meetings within one organisation are this much likelier than across")
    decay_per_week: float = Field(0.01, ge=0, le=1, description="share of strength lost in a week without shared work")
    removal_threshold: float = Field(0.05, ge=0, le=1, description="a tie weaker than this is gone")


class HandoverParams(Strict):
    """A referral from one professional to another team: its wait and its risk of being dropped set by
    the collaboration tie between them (a warm handover over a strong tie, a cold one over none)."""

    cold_weeks: float = Field(6.0, ge=0, le=104, description="weeks a referral waits over no tie")
    warm_weeks: float = Field(1.0, ge=0, le=104, description="weeks a referral waits over a tie of strength 1")
    cold_drop: float = Field(0.2, ge=0, le=1, description="chance a referral over no tie is lost")
    warm_drop: float = Field(0.02, ge=0, le=1, description="chance a referral over a tie of strength 1 is lost")


class TriageParams(Strict):
    """The quick scan at the door (source §5.5: mismatches are costly)."""

    quality: float = Field(0.7, ge=0, le=1, description="chance the scan matches a multi-problem or deep individual need")
    mismatch_cover: float = Field(0.5, ge=0, le=1, description="share of the mismatched track's cover that still works")
    review_weeks: float = Field(13.0, ge=1, le=520, description="weeks until a mismatch is noticed and put right")


class WayBackParams(Strict):
    """Stepping down from intensive or long-term care, followed up by the local organisation (source §4.3)."""

    follow_up: float = Field(0.3, ge=0, le=1, description="chance a client stepping down is followed by a local generalist")
    window_weeks: float = Field(26.0, ge=1, le=520, description="weeks after stepping down in which relapse counts")
    relapse_factor: float = Field(2.0, ge=1, le=20, description="escalation x this in the window without follow-up")


class FlexTeamParams(Strict):
    """The specialist flex team (source §6.5): early short intensive help, coaching generalists."""

    enabled: bool = False
    share: float = Field(0.2, ge=0, le=1, description="share of specialists working in the flex team")
    early_weeks: float = Field(8.0, ge=1, le=104, description="weeks of early intensive help")
    early_escalation: float = Field(0.3, ge=0, le=1, description="escalation of the individual need x this during early help")
    coaching: float = Field(0.5, ge=0, le=1, description="share of the gap to full cover a fully coached generalist closes for too-light care")


class CoordinatorParams(Strict):
    """One family, one plan, one coordinator (seed 002; source §5.4)."""

    enabled: bool = False
    with_coordinator: float = Field(0.5, ge=0, le=5, description="multi-problem escalation x this with a coordinator")
    without_coordinator: float = Field(1.5, ge=0, le=5, description="x this with several professionals in the household and no coordinator")
    several: int = Field(2, ge=2, le=20, description="professionals serving one household that count as several")


class ProfessionalParams(Strict):
    """The professionals (issue 16): roles, organisation, turnover, ties and handovers."""

    roles: dict[str, Role] = Field(default_factory=_default_roles)
    patients_per_gp: float = Field(2095.0, gt=0, description="patients on one GP's list")
    case_manager_hours_per_1000: float = Field(5.0, ge=0, le=1000, description="dementia case managers' hours a week per 1,000 residents")
    case_manager_clients: float = Field(1.5, gt=0, description="dementia clients a case manager follows per hour a week")
    case_management_admission_factor: float = Field(0.7, ge=0, le=1, description="chance a crisis ends in admission for a followed dementia client, x this")
    organisations: Literal["one_local", "by_role"] = Field(
        "by_role", description="one_local: one local organisation per district; by_role: one organisation (and payer) per role")
    turnover_per_year: float = Field(0.15, ge=0, le=2, description="share of professionals leaving per year")
    trust: TrustParams = TrustParams()
    collaboration: CollaborationParams = CollaborationParams()
    handover: HandoverParams = HandoverParams()
    triage: TriageParams = TriageParams()
    way_back: WayBackParams = WayBackParams()
    flex_team: FlexTeamParams = FlexTeamParams()
    coordinator: CoordinatorParams = CoordinatorParams()

    @model_validator(mode="after")
    def _roles(self) -> ProfessionalParams:
        if set(self.roles) != set(ROLES):
            raise ValueError(f"roles must give exactly {list(ROLES)}, got {sorted(self.roles)}")
        for name, role in self.roles.items():
            unknown = sorted(set(role.handles) - set(NEED_KINDS))
            if unknown:
                raise ValueError(f"roles.{name}.handles: unknown need kinds {unknown}; known: {list(NEED_KINDS)}")
        return self
