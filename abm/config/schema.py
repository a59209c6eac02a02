"""Configuration schema (pydantic v2): the run config and its sections.

Every error names the field, the bad value and what is allowed. Where each default comes from is
documented in docs/ODD.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from abm.config.base import Strict
from abm.config.care import BrokeringParams, CareParams, CarerSupport
from abm.config.errors import ConfigError, _validate
from abm.config.initiatives import CooperativeParams, CooperativeSupport
from abm.config.ledger import CostParams, WellbeingParams
from abm.config.merge import deep_merge
from abm.config.need_kinds import NeedParams
from abm.config.professionals import ProfessionalParams
from abm.config.units import WEEKS_PER_YEAR
from abm.config.youth import YouthParams

DISTRICT_TYPES = (
    "deprived_urban",
    "middle_class",
    "affluent",
    "commuter_village",
    "storp",
    "traditional_village",
    "residential_village",
)
TIE_KINDS = ("family", "neighbour", "friend", "activity", "volunteer")


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
    """One parameter set per district type (docs/spec/MODEL.md §3); values live in configs/districts/."""

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
    visit_acceptance: float = Share
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
    cold_contact: float = Field(0.1, ge=0, le=1, description="chance an approach comes about with a resident who neither knows the developer nor has a close tie to someone who does")
    turnover_per_year: float = Field(0.15, ge=0, le=2, description="share of developers leaving per year (a newcomer takes the post without ties)")
    follow_up_hours_per_tie: float = Field(0.25, ge=0, le=10)
    letting_go_skill: float = Field(0.7, ge=0, le=1)
    shyness_reduction: float = Field(0.3, ge=0, le=1)
    volunteer_recruitment: float = Field(0.05, ge=0, le=1)
    detection: float = Field(0.5, ge=0, le=1)
    judgement_range: tuple[float, float] = Field((0.3, 1.7), description="spread of the judged 'durable' strength (uniform factor)")
    brokered_strength: float = Field(0.3, gt=0, le=1, description="strength of a tie a developer brokers")
    facilitation_bonus: float = Field(0.5, ge=0, le=1, description="extra weekly contact probability of a followed-up tie")

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
    carer_support: CarerSupport = CarerSupport()
    cooperative_support: CooperativeSupport = CooperativeSupport()


class Capacity(Strict):
    specialist_factor: float = Field(1.0, ge=0, le=10, description="1.0 = today's capacity")
    light_slots_per_1000: float = Field(85.0, ge=0)
    intensive_slots_per_1000: float = Field(18.0, ge=0)
    longterm_slots_per_1000: float = Field(13.5, ge=0)
    hours_per_client: dict[str, float] = Field({"light": 2.0, "intensive": 4.0, "longterm": 1.0},
                                               description="professionals' hours per week per client slot, by level")

    @model_validator(mode="after")
    def _levels(self) -> Capacity:
        levels = {"light", "intensive", "longterm"}
        if set(self.hours_per_client) != levels or min(self.hours_per_client.values()) <= 0:
            raise ValueError(f"hours_per_client must give positive hours for exactly {sorted(levels)}, got {self.hours_per_client}")
        return self


class Budget(Strict):
    front_line_factor: float = Field(1.0, ge=0, le=10, description="scales wijkteam capacity and volunteer support")


class TieParams(Strict):
    """Tie contact, reinforcement and decay (Jin, Girvan & Newman 2001; docs/spec/MODEL.md §10)."""

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
    loneliness_homophily: float = Field(0.0, ge=0, le=1, description="an encounter between a lonely and a not-lonely resident becomes a tie this much less often")
    family_ties_per_person: float = Field(1.5, ge=0, le=20)
    initial_local_ties: float = Field(4.0, ge=0, le=100)
    integration_years: float = Field(4.5, gt=0, le=50, description="time scale on which newcomers build local ties (fitted to the model's own newcomer integration)")
    contact_floor: float = Field(0.25, ge=0, le=1, description="weekly contact of a tie of strength 0, as a share of its base rate")
    mixing_contact_exponent: float = Field(0.5, ge=0, description="contact across groups scales with group_mixing ** this")
    activity_meeting_share: float = Field(0.5, ge=0, le=1, description="share of a club member's encounters in the activity (else the street)")
    vouch_exponent: float = Field(0.5, gt=0, le=1, description="acceptance ** this when a friend or developer introduces")
    household_strength: float = Field(0.9, gt=0, le=1)
    kin_strength: tuple[float, float] = Field((0.5, 0.9), description="initial kin ties elsewhere in the district: uniform range")
    initial_local_strength: tuple[float, float] = Field((0.1, 0.4), description="initial local ties: uniform range")

    @model_validator(mode="after")
    def _kinds(self) -> TieParams:
        for name in ("contact", "decay"):
            table = getattr(self, name)
            if set(table) != set(TIE_KINDS):
                raise ValueError(f"{name} must give exactly the tie kinds {list(TIE_KINDS)}, got {sorted(table)}")
            for kind, value in table.items():
                if not 0 <= value <= 1:
                    raise ValueError(f"{name}.{kind} = {value} must lie in [0, 1]")
        return self


class LonelinessParams(Strict):
    """De Jong Gierveld-like 0-11 score: emotional (0-6) plus social (0-5) loneliness driven by ties.

    Values and sources in configs/default.yaml (section ``loneliness``) and docs/ODD.md §7.3.
    """

    trait_log_mean: float = Field(-0.5, description="log-mean of the personal baseline (lognormal)")
    trait_log_sd: float = Field(1.5285, ge=0, le=3)
    emotional_weight: float = Field(6.0, ge=0, le=11, description="emotional loneliness without an intimate bond (6 scale items)")
    emotional_scale: float = Field(0.3881, gt=0, description="intimate-bond strength at which emotional loneliness falls to 1/e")
    intimate_bond: bool = Field(True, description="emotional loneliness follows the partner or one confidant (True) instead of the sum of close ties")
    confidant_share: float = Field(0.7, ge=0, le=1, description="share of a close tie outside the household that counts as an intimate bond (a confidant in place of a partner)")
    ill_partner_bond: float = Field(0.0, ge=0, le=1, description="share of the partner's bond left while the partner has a serious need")
    network_weight: float = Field(5.0, ge=0, le=11, description="social loneliness without any support (5 scale items)")
    support_scale: float = Field(3.5, gt=0, description="tie-strength sum at which social loneliness falls to 1/e")
    relaxation_weeks: float = Field(26.0, ge=1)
    contagion: float = Field(0.9, ge=0, lt=1, description="share of each tie's loneliness above the mean passed on, per unit of the tie's share of the sender's contact")
    spread_floor: float = Field(0.5, gt=0, description="tie-strength sum below which a resident's influence is no longer concentrated")
    contagion_min_strength: float = Field(0.5, ge=0, le=1, description="only ties at least this strong carry the contagion (0: every tie)")
    elderly_extra: float = Field(0.3, ge=0, le=11)
    over75_extra: float = Field(0.5, ge=0, le=11)
    need_extra: float = Field(1.0, ge=0, le=11)
    noise_sd: float = Field(0.3, ge=0, le=5)
    lonely_threshold: float = 3.0
    severe_threshold: float = 9.0
    max_score: float = Field(11.0, gt=0, description="top of the De Jong Gierveld scale")


class HelpParams(Strict):
    """Informal help capacity (mantelzorg, neighbour help) and caregiver overload (docs/spec/MODEL.md §6, §10)."""

    overload_quit_per_year: float = Field(0.5, ge=0)
    volunteer_hours: float = Field(3.0, ge=0, le=40)
    volunteer_recruit_per_year: float = Field(0.02, ge=0, le=1)
    volunteer_quit_per_year: float = Field(0.2, ge=0, le=1)
    volunteer_friction_per_year: float = Field(0.15, ge=0, le=1)
    volunteer_clients: int = Field(2, ge=1, le=10)
    initial_volunteer_factor: float = Field(0.1, ge=0, le=1, description="initial volunteers: this times willingness")
    recruit_willingness_weight: float = Field(2.0, ge=0)
    volunteer_match_per_week: float = Field(0.25, ge=0, le=1)
    volunteer_tie_strength: float = Field(0.4, gt=0, le=1)
    frail_age: float = Field(85.0, ge=0, description="from this age residents help less and no longer volunteer")


class Demography(Strict):
    mortality_a: float = Field(1.7e-5, ge=0, description="Gompertz a (per year)")
    mortality_b: float = Field(0.1, ge=0, description="Gompertz b (per year of age)")
    isolation_mortality_factor: float = Field(1.29, ge=1, le=3)
    max_mortality_per_year: float = Field(5.0, gt=0)
    adult_age: float = Field(18.0, ge=0)
    elderly_age: float = Field(65.0, ge=0)
    old_age: float = Field(75.0, ge=0, description="the oldest old: move away alone, extra loneliness")
    max_age: float = Field(102.0, gt=0)
    over75_mean_excess_years: float = Field(7.0, gt=0)

    @model_validator(mode="after")
    def _ages_ordered(self) -> Demography:
        if not 0 < self.adult_age < self.elderly_age < self.old_age < self.max_age:
            raise ValueError(f"ages must increase: adult_age {self.adult_age} < elderly_age {self.elderly_age} "
                             f"< old_age {self.old_age} < max_age {self.max_age}")
        return self


class Residents(Strict):
    """How residents' traits and households are drawn (population set-up and newcomers)."""

    household_size_shares: list[float] = Field([0.38, 0.32, 0.13, 0.17], min_length=1,
                                               description="shares of households of 1, 2, 3, ... people")
    age_mix_pull: float = Field(2.0, ge=0, description="newcomers' age groups lean to the district's shortfall")
    age_mix_min_share: float = Field(0.005, gt=0, le=1)
    trait_concentration: float = Field(6.0, gt=0, description="a + b of the beta draws of willingness and shyness")
    trait_mean_margin: float = Field(0.01, gt=0, lt=0.5, description="beta means kept this far from 0 and 1")
    external_contact_log_sd: float = Field(0.5, ge=0)
    min_turnover_per_year: float = Field(0.001, gt=0, description="floor for the initial years-lived-here draw")
    activity_group_size: int = Field(40, ge=1, description="residents per activity (club) in a district")
    keep_household_mix: bool = Field(True, description="a newcomer in the place of a resident who left alone joins the household left behind")

    @model_validator(mode="after")
    def _shares(self) -> Residents:
        if abs(sum(self.household_size_shares) - 1.0) > 1e-6:
            raise ValueError(f"household_size_shares must sum to 1, got {sum(self.household_size_shares):.4f}")
        return self


class Status(Strict):
    """Who counts as linked (docs/spec/MODEL.md §1): a vulnerable resident's tie to a vital one."""

    vital_tie: float = Field(0.3, gt=0, le=1, description="tie strength that counts as a real link")
    partner_min_willingness: float = Field(0.3, ge=0, le=1, description="vital residents a developer asks to connect")


class Output(Strict):
    clustering_sample: int = Field(50, ge=0, le=100_000, description="residents sampled per district for clustering")
    clustering_every_weeks: int = Field(13, ge=1)
    write_warmup: bool = False


class Config(Strict):
    seed: int = Field(42, ge=0, lt=2**63)
    years: float = Field(10.0, gt=0, le=200)
    warmup_years: float = Field(2.0, ge=0, le=50)
    districts: list[District] = Field(min_length=1)
    district_types: dict[str, DistrictTypeParams] = Field(default_factory=dict)
    interventions: Interventions = Interventions()
    capacity: Capacity = Capacity()
    professionals: ProfessionalParams = ProfessionalParams()
    budget: Budget = Budget()
    costs: CostParams
    wellbeing: WellbeingParams
    ties: TieParams = TieParams()
    loneliness: LonelinessParams = LonelinessParams()
    needs: NeedParams = NeedParams()
    help: HelpParams = HelpParams()
    care: CareParams = CareParams()
    brokering: BrokeringParams = BrokeringParams()
    cooperatives: CooperativeParams = CooperativeParams()
    youth: YouthParams = YouthParams()
    demography: Demography = Demography()
    residents: Residents = Residents()
    status: Status = Status()
    output: Output = Output()

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.steps < 1:
            raise ValueError(f"years: {self.years:g} is less than one weekly step; use at least {1 / WEEKS_PER_YEAR:.3f}")
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
            try:
                street = self.district_params(d).street_size  # validates the district's overrides
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
            if d.population < street:
                raise ValueError(f"districts.{i}.population {d.population} ({d.name}) is too small for district "
                                 f"type {d.type}: at least one street of {street} residents")
        stages = self.needs.kinds["dementia"].max_severity
        if len(self.wellbeing.dementia_utility) != stages:
            raise ValueError(f"wellbeing.dementia_utility needs one weight per dementia severity 1..{stages}, "
                             f"got {len(self.wellbeing.dementia_utility)}")
        if set(self.wellbeing.residential_utility) != set(self.costs.residential):
            raise ValueError(f"wellbeing.residential_utility must give the settings {sorted(self.costs.residential)}, "
                             f"got {sorted(self.wellbeing.residential_utility)}")
        youth_items = {*self.youth.ambulant_week, *self.youth.intensive_week, self.youth.placement_day_item, self.youth.worker_item}
        unknown_items = sorted(youth_items - set(self.costs.items))
        if unknown_items:
            raise ValueError(f"youth: cost items {unknown_items} are not in costs.items {sorted(self.costs.items)}")
        if not self.youth.ambulant_week.get(self.youth.worker_item) or not self.youth.intensive_week.get(self.youth.worker_item):
            raise ValueError(f"youth.worker_item {self.youth.worker_item!r}: ambulant_week and intensive_week must each "
                             "give the youth and family worker's hours per client-week under it")
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
        return int(round(self.warmup_years * WEEKS_PER_YEAR))

    @property
    def steps(self) -> int:
        return int(round(self.years * WEEKS_PER_YEAR))

    def district_params(self, district: District) -> DistrictTypeParams:
        """The district's type parameters with its own overrides applied (validated)."""
        base = self.district_types[district.type]
        if not district.overrides:
            return base
        data = deep_merge(base.model_dump(), district.overrides)
        return _validate(DistrictTypeParams, data, prefix=f"districts[{district.name}].overrides")

