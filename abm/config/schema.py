"""Configuration schema (pydantic v2): the run config and its sections.

Every error names the field, the bad value and what is allowed. Where each default comes from is
documented in docs/ODD.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from abm.config.base import Strict
from abm.config.errors import _validate
from abm.config.merge import deep_merge
from abm.config.need_kinds import NeedParams

DISTRICT_TYPES = (
    "deprived_urban",
    "middle_class",
    "affluent",
    "commuter_village",
    "storp",
    "traditional_village",
    "residential_village",
)


Share = Field(ge=0.0, le=1.0)


class AgeShares(Strict):
    youth: float = Field(ge=0, le=1, description="share aged 0-17 (families/youth)")
    adult: float = Field(ge=0, le=1, description="share aged 18-64")
    elderly: float = Field(ge=0, le=1, description="share aged 65+")

    @model_validator(mode="after")
    def _sum_to_one(self) -> AgeShares:
        total = self.youth + self.adult + self.elderly
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"youth + adult + elderly must sum to 1, got {total:.4f}")
        return self


class DistrictTypeParams(Strict):
    """One parameter set per district type (MODEL.md §3); values live in configs/districts/."""

    label: str
    # demography
    age_shares: AgeShares
    over75_share_of_elderly: float = Share
    turnover_per_year: float = Field(ge=0, le=0.5)
    elderly_move_away_per_year: float = Field(ge=0, le=0.5)
    newcomer_share: float = Share
    # social fabric
    street_size: int = Field(ge=5, le=500)
    meetings_per_week: float = Field(ge=0, le=5)
    activity_participation: float = Share
    friend_of_friend_per_week: float = Field(ge=0, le=5)
    group_mixing: float = Share
    age_mixing: float = Share
    external_contact: float = Field(ge=0, le=10)
    willingness_to_help: float = Share
    demand_shyness: float = Share
    supply_shyness: float = Share
    self_organisation: float = Field(ge=0, le=5)
    signal_to_professionals: float = Share
    gp_detection: float = Share
    private_care_share: float = Share
    professional_link: float = Share
    # needs: multipliers on the municipality-wide onset rates
    social_need_factor: float = Field(ge=0, le=10)
    individual_need_factor: float = Field(ge=0, le=10)
    multi_problem_factor: float = Field(ge=0, le=10)


class District(Strict):
    name: str = Field(min_length=1)
    type: Literal[DISTRICT_TYPES]  # type: ignore[valid-type]
    population: int = Field(ge=50, le=1_000_000)
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="per-district overrides of district-type parameters"
    )


class Rotation(Strict):
    rule: Literal["stay", "when_formed", "fixed_years"] = "when_formed"
    target_share: float = Field(0.6, ge=0, le=1, description="vulnerable_with_vital_tie_share that counts as 'formed'")
    min_years: float = Field(2.0, ge=0, le=50, description="never move on before this (trust takes years, §6.5)")
    years: float = Field(4.0, gt=0, le=50, description="years per district for rule fixed_years; cap for when_formed")


class NetworkDevelopers(Strict):
    fte: float = Field(0.0, ge=0, le=500)
    start_year: float = Field(0.0, ge=0)
    end_year: float | None = Field(None, ge=0, description="null = structural funding")
    districts: list[str] | None = Field(None, description="names of districts served; null = all")
    rotation: Rotation = Rotation()
    hours_per_fte: float = Field(36.0, gt=0, le=60)
    cost_per_fte_year: float = Field(80_000.0, ge=0)
    contacts_per_hour: float = Field(0.5, ge=0, le=10)
    trust_build_years: float = Field(1.5, gt=0, le=20)
    follow_up_hours_per_tie: float = Field(0.25, ge=0, le=10)
    letting_go_skill: float = Field(0.7, ge=0, le=1)
    shyness_reduction: float = Field(0.3, ge=0, le=1)
    volunteer_recruitment: float = Field(0.05, ge=0, le=1)
    detection: float = Field(0.5, ge=0, le=1)

    @model_validator(mode="after")
    def _years_ordered(self) -> NetworkDevelopers:
        if self.end_year is not None and self.end_year <= self.start_year:
            raise ValueError(
                f"end_year ({self.end_year}) must be after start_year ({self.start_year}) or null"
            )
        return self


class GPReferral(Strict):
    enabled: bool = False
    referral_probability: float = Field(0.3, ge=0, le=1)
    cost_per_referral: float = Field(150.0, ge=0)


class VolunteerSupport(Strict):
    factor: float = Field(1.0, ge=0, le=10, description="multiplier on recruitment and matching")
    cost_per_volunteer_year: float = Field(250.0, ge=0)


class KeyFacility(Strict):
    enabled: bool = False
    districts: list[str] | None = None
    meeting_factor: float = Field(1.3, ge=1, le=5)
    detection_factor: float = Field(1.5, ge=1, le=5)
    cost_per_year: float = Field(150_000.0, ge=0)


class Interventions(Strict):
    network_developers: NetworkDevelopers = NetworkDevelopers()
    gp_referral: GPReferral = GPReferral()
    volunteer_support: VolunteerSupport = VolunteerSupport()
    key_facility: KeyFacility = KeyFacility()


class Capacity(Strict):
    specialist_factor: float = Field(1.0, ge=0, le=10, description="1.0 = today's capacity")
    light_slots_per_1000: float = Field(40.0, ge=0)
    intensive_slots_per_1000: float = Field(18.0, ge=0)
    longterm_slots_per_1000: float = Field(11.0, ge=0)


class Budget(Strict):
    front_line_factor: float = Field(1.0, ge=0, le=10, description="scales wijkteam capacity and volunteer support")


class Costs(Strict):
    """Cost price per client-week by formal level (euro; assumptions, MODEL.md §6)."""

    light: float = Field(90.0, ge=0)
    intensive: float = Field(450.0, ge=0)
    longterm: float = Field(700.0, ge=0)
    crisis: float = Field(3000.0, ge=0)


class TieParams(Strict):
    """Tie contact, reinforcement and decay (Jin, Girvan & Newman 2001; MODEL.md §10)."""

    contact: dict[str, float] = {
        "family": 0.6, "neighbour": 0.25, "friend": 0.35, "activity": 0.3, "volunteer": 0.6,
    }
    decay: dict[str, float] = {
        "family": 0.002, "neighbour": 0.03, "friend": 0.02, "activity": 0.03, "volunteer": 0.02,
    }
    reinforcement: float = Field(0.08, ge=0, le=1)
    initial_strength: float = Field(0.2, gt=0, le=1)
    removal_threshold: float = Field(0.05, ge=0, le=1)
    durable_strength: float = Field(0.5, gt=0, le=1)
    max_degree: int = Field(40, ge=2, le=500)
    lonely_contact_penalty: float = Field(0.3, ge=0, le=1)
    family_ties_per_person: float = Field(1.5, ge=0, le=20)
    initial_local_ties: float = Field(4.0, ge=0, le=100)
    integration_years: float = Field(4.5, gt=0, le=50, description="time scale on which newcomers build local ties (fitted to the model's own newcomer integration)")

    @model_validator(mode="after")
    def _kinds(self) -> TieParams:
        from abm.core.ties import TIE_KINDS

        for name in ("contact", "decay"):
            table = getattr(self, name)
            if set(table) != set(TIE_KINDS):
                raise ValueError(f"{name} must give exactly the tie kinds {list(TIE_KINDS)}, got {sorted(table)}")
            for kind, value in table.items():
                if not 0 <= value <= 1:
                    raise ValueError(f"{name}.{kind} = {value} must lie in [0, 1]")
        return self


class LonelinessParams(Strict):
    """De Jong Gierveld-like 0-11 score: personal baseline plus a term that falls with tie strength.

    Defaults were fitted to the Gezondheidsmonitor 2020 figures of MODEL.md §10 (46.6% of adults
    lonely, 11% severely; 75+: 56%, 12%) on the model's own simulated support distribution
    (docs/ODD.md, calibration); the severe tail stays below the target (about 7%).
    """

    trait_log_mean: float = Field(0.7, description="log-mean of the personal baseline (lognormal)")
    trait_log_sd: float = Field(1.1, ge=0, le=3)
    network_weight: float = Field(5.0, ge=0, le=11, description="loneliness of someone without any support")
    support_scale: float = Field(1.5, gt=0, description="tie-strength sum at which the network term falls to 1/e")
    relaxation_weeks: float = Field(26.0, ge=1)
    contagion: float = Field(0.15, ge=0, le=1)
    elderly_extra: float = Field(0.3, ge=0, le=11)
    over75_extra: float = Field(0.5, ge=0, le=11)
    need_extra: float = Field(1.0, ge=0, le=11)
    noise_sd: float = Field(0.3, ge=0, le=5)
    lonely_threshold: float = 3.0
    severe_threshold: float = 9.0


class HelpParams(Strict):
    """Informal help capacity (mantelzorg, neighbour help) and caregiver overload (MODEL.md §6, §10)."""

    capacity_hours: float = Field(4.0, ge=0, le=40)
    family_extra_hours: float = Field(8.0, ge=0, le=40)
    overload_quit_per_year: float = Field(0.5, ge=0)
    volunteer_hours: float = Field(3.0, ge=0, le=40)
    volunteer_recruit_per_year: float = Field(0.02, ge=0, le=1)
    volunteer_quit_per_year: float = Field(0.2, ge=0, le=1)
    volunteer_friction_per_year: float = Field(0.15, ge=0, le=1)
    volunteer_clients: int = Field(2, ge=1, le=10)


class Demography(Strict):
    mortality_a: float = Field(1.7e-5, ge=0, description="Gompertz a (per year)")
    mortality_b: float = Field(0.1, ge=0, description="Gompertz b (per year of age)")
    isolation_mortality_factor: float = Field(1.29, ge=1, le=3)


class Output(Strict):
    clustering_sample: int = Field(50, ge=0, le=100_000, description="residents sampled per district for clustering")
    write_warmup: bool = False


class Config(Strict):
    seed: int = Field(42, ge=0, lt=2**63)
    years: float = Field(10.0, gt=0, le=200)
    warmup_years: float = Field(2.0, ge=0, le=50)
    districts: list[District] = Field(min_length=1)
    district_types: dict[str, DistrictTypeParams] = Field(default_factory=dict)
    interventions: Interventions = Interventions()
    capacity: Capacity = Capacity()
    budget: Budget = Budget()
    costs: Costs = Costs()
    ties: TieParams = TieParams()
    loneliness: LonelinessParams = LonelinessParams()
    needs: NeedParams = NeedParams()
    help: HelpParams = HelpParams()
    demography: Demography = Demography()
    output: Output = Output()

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        names = [d.name for d in self.districts]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"district names must be unique; repeated: {dupes}")
        if "all" in names:
            raise ValueError("'all' is reserved for the municipality row; rename that district")
        missing = sorted({d.type for d in self.districts} - set(self.district_types))
        if missing:
            raise ValueError(f"no parameters for district types {missing}")
        for i, d in enumerate(self.districts):
            street = self.district_types[d.type].street_size
            if d.population < street:
                raise ValueError(f"districts.{i}.population {d.population} ({d.name}) is too small for district "
                                 f"type {d.type}: at least one street of {street} residents")
        for label, chosen in (
            ("interventions.network_developers.districts", self.interventions.network_developers.districts),
            ("interventions.key_facility.districts", self.interventions.key_facility.districts),
        ):
            unknown = sorted(set(chosen or []) - set(names))
            if unknown:
                raise ValueError(f"{label}: unknown districts {unknown}; known: {names}")
        return self

    @property
    def warmup_steps(self) -> int:
        return int(round(self.warmup_years * 52))

    @property
    def steps(self) -> int:
        return int(round(self.years * 52))

    def district_params(self, district: District) -> DistrictTypeParams:
        """The district's type parameters with its own overrides applied (validated)."""
        base = self.district_types[district.type]
        if not district.overrides:
            return base
        data = deep_merge(base.model_dump(), district.overrides)
        return _validate(DistrictTypeParams, data, prefix=f"districts[{district.name}].overrides")

