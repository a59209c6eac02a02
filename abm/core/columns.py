"""The output table's columns, each defined once: name, unit, meaning, how the municipality row is
formed from the districts, and how the value is computed (the function that computes it).

The recorder (``outputs.Recorder``), ``abm columns`` and the README's column table all follow from
``COLUMNS``; a test checks that the README table is ``columns_markdown()``.

Every numeric column is either a *sum* (a per-district count; the municipality row is the sum over
districts) or a *ratio* (a numerator and a denominator counted per district; the municipality row
divides the sums, so shares are over the whole municipality, not averaged over districts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from abm.config import Config
from abm.core.levels import CRISIS, INTENSIVE
from abm.core.need_codes import INDIVIDUAL, NEED_KIND, SOCIAL

if TYPE_CHECKING:  # the state's types only: the column list loads without the sub-models (and numba),
    # so a sweep spec's metrics are checked before the model is imported
    from abm.core.collaboration import Collaboration
    from abm.core.informal_care import Carers, InformalFlow
    from abm.core.needs import Needs
    from abm.core.pathways import Pathways
    from abm.core.population import Population
    from abm.core.staff import Staff
    from abm.core.status import Status
    from abm.core.support import FormalCare
    from abm.core.ties import Ties, TieView
    from abm.core.trust import Trust


@dataclass(frozen=True)
class Week:
    """The state at the end of a week that the columns are computed from."""

    config: Config
    pop: Population
    ties: Ties
    view: TieView
    needs: Needs
    care: FormalCare
    staff: Staff
    trust: Trust
    collaboration: Collaboration
    pathways: Pathways
    status: Status
    flow: InformalFlow
    carers: Carers
    volunteers: np.ndarray       # (n,) bool: holds a volunteer role
    detected_unmet: np.ndarray   # (n,) bool: unmet need noticed this week
    developer_hours: np.ndarray  # (districts,) hours worked by network developers
    intervention_cost: np.ndarray  # (districts,) euro this week
    clustering: np.ndarray       # (2, districts): sum of sampled coefficients, residents sampled
    ledger: dict[str, np.ndarray]  # (districts,) per column: demand vs service, cost ledger, wellbeing

    def per(self, values) -> np.ndarray:
        return self.pop.per_district(values)

    # what several columns read, computed once per week (cached on the instance)
    @cached_property
    def adults(self) -> np.ndarray:
        return self.pop.age >= self.config.demography.adult_age

    @cached_property
    def adults_per_district(self) -> np.ndarray:
        return self.per(self.adults)

    @cached_property
    def elderly(self) -> np.ndarray:
        return self.pop.age >= self.config.demography.elderly_age

    @cached_property
    def lonely(self) -> np.ndarray:
        return self.pop.lonely()

    @cached_property
    def clients(self) -> np.ndarray:
        return self.care.level > 0

    @cached_property
    def carers_per_district(self) -> np.ndarray:
        return self.per(self.carers.carers(self.pop.age, self.flow.mantelzorg))

    @cached_property
    def caseload_use(self) -> tuple[np.ndarray, np.ndarray]:
        return self.staff.caseload_use()

    @cached_property
    def brokered_hours(self) -> np.ndarray:
        """Informal hours used over brokered ties this week, by the first end's district."""
        ids = self.flow.ids
        over = self.ties.brokered[ids]  # the other ties add zeros: leaving them out keeps every sum exact
        return np.bincount(self.pop.district[self.ties.u[ids[over]]], weights=self.flow.edge_used[over],
                           minlength=self.pop.n_districts)


Count = Callable[[Week], np.ndarray]


@dataclass(frozen=True)
class Column:
    name: str
    unit: str
    meaning: str
    how: str                     # how it is computed, in words
    count: Count | None = None   # sum column: per-district values
    ratio: tuple[Count, Count] | None = None  # ratio column: per-district numerator, denominator
    integer: bool = False

    @property
    def municipality(self) -> str:
        """How the municipality row ("all") is formed from the district rows."""
        if self.count is not None:
            return "sum over districts"
        if self.ratio is not None:
            return "ratio of the summed numerators and denominators"
        return "'all'" if self.name == "district" else "same as the district rows"


def _sum(name, unit, meaning, how, count, integer=True) -> Column:
    return Column(name, unit, meaning, how, count=count, integer=integer)


def _ratio(name, unit, meaning, how, num, den) -> Column:
    return Column(name, unit, meaning, how, ratio=(num, den))


def _brokered_hours(w: Week) -> np.ndarray:
    return w.brokered_hours


def _ledger(name: str) -> Count:
    """A column computed by ``demand.counts``, ``costs.Ledger.week`` or ``wellbeing.Wellbeing.week``."""
    return lambda w: w.ledger[name]


_DEMAND_HOW = ("needs call for the level (abm.core.needs.required_level) and are unmet after informal help, or the "
               "resident is a client or waiting (abm.core.demand)")
_PAYER_HOW = "sum of the week's cost items whose payer is {} (abm.core.costs; prices in costs.items)"


COLUMNS: tuple[Column, ...] = (
    Column("step", "week", "weeks since the start of the run (warm-up included)", "the model's step counter"),
    Column("year", "year", "years since the end of the warm-up; negative during warm-up", "(step - warm-up steps) / weeks per year"),
    Column("district", "-", "district name, or 'all' for the whole municipality", "from the config"),
    Column("district_type", "-", "district type (docs/spec/MODEL.md §3), 'municipality' for 'all'", "from the config"),
    _sum("population", "persons", "residents", "dwelling slots of the district (all occupied)", lambda w: w.pop.district_sizes),
    _ratio("lonely_share", "fraction", "share of adults lonely", "adults with loneliness >= loneliness.lonely_threshold / adults (age >= demography.adult_age)",
           lambda w: w.per(w.lonely & w.adults), lambda w: w.adults_per_district),
    _ratio("severely_lonely_share", "fraction", "share of adults severely lonely", "adults with loneliness >= loneliness.severe_threshold / adults",
           lambda w: w.per(w.pop.severely_lonely() & w.adults), lambda w: w.adults_per_district),
    _ratio("elderly_lonely_share", "fraction", "share of elderly lonely", "residents >= demography.elderly_age who are lonely / those residents",
           lambda w: w.per(w.lonely & w.elderly), lambda w: w.per(w.elderly)),
    _ratio("mean_degree", "ties", "mean number of local ties per resident", "sum of residents' tie counts / residents",
           lambda w: w.per(w.ties.degree), lambda w: w.pop.district_sizes),
    _ratio("clustering", "0-1", "mean local clustering coefficient of a resident sample",
           "networkx clustering of output.clustering_sample residents per district, re-drawn every output.clustering_every_weeks weeks",
           lambda w: w.clustering[0], lambda w: w.clustering[1]),
    _ratio("vulnerable_with_vital_tie_share", "fraction", "share of vulnerable residents with a tie to a vital resident",
           "vulnerable residents with a tie of strength >= status.vital_tie to a vital one / vulnerable residents (abm.core.status)",
           lambda w: w.status.linked_counts[0], lambda w: w.status.linked_counts[1]),
    _sum("informal_support_hours", "hours/week", "informal help received by residents of the district this week",
         "hours met over ties, by carers, volunteers and formal respite (abm.core.informal_care)", lambda w: w.per(w.flow.received), integer=False),
    _sum("carers", "persons", "informal carers (mantelzorgers), CBS definition",
         "residents >= care.min_age giving >= care.min_hours a week of care for >= care.cbs_weeks weeks or >= care.heavy_hours a week; care for a social need alone does not count (care.social_help_counts; abm.core.informal_care)",
         lambda w: w.carers_per_district),
    _ratio("carer_share", "fraction", "share of residents 16+ who are carers (CBS 2024: 12.9%)", "carers / residents >= care.min_age",
           lambda w: w.carers_per_district, lambda w: w.per(w.pop.age >= w.config.care.min_age)),
    _sum("heavy_carers", "persons", "carers giving more than 8 hours of care for health problems this week",
         "carers with counted care hours > care.heavy_hours; care for a social need alone does not count (care.social_help_counts)",
         lambda w: w.per(w.carers.heavy(w.pop.age, w.flow.mantelzorg))),
    _sum("overburdened_carers", "persons", "severely burdened carers (SCP 2016: 8.5% of carers)",
         "carers (counted as in carers: care for health problems only) with strain >= care.severe_strain; strain follows all hours given",
         lambda w: w.per(w.carers.overburdened(w.pop.age, w.flow.mantelzorg))),
    _sum("carer_breakdowns", "events", "carers who broke down this week", "severely strained carers at care.breakdown_per_year; they stop caring for care.breakdown_weeks",
         lambda w: w.per(w.carers.breakdown)),
    _sum("respite_weeks", "carer-weeks", "carers on respite care this week", "formal respite covers their hours (interventions.carer_support)",
         lambda w: w.per(w.carers.respite_now)),
    _sum("volunteers", "persons", "residents holding a volunteer role (Volunteer agents)", "volunteer registry", lambda w: w.per(w.volunteers)),
    _sum("professionals", "persons", "professionals present, by home district (GPs, generalists, district nurses, specialists, dementia "
         "case managers, network developers, youth and family workers; municipal ones are based in a district)",
         "present posts in abm.core.staff (professionals.* in the config)", lambda w: w.staff.count()),
    _sum("professional_hours", "hours/week", "contract hours of the professionals present, by home district; the care roles' hours are "
         "formal capacity (hours / capacity.hours_per_client slots)", "sum of the present posts' hours (abm.core.staff)",
         lambda w: w.staff.hours_by_district(), integer=False),
    _sum("trust_ties", "ties", "trust ties between residents and professionals (the recognisable local face)",
         "live resident-professional ties, by the resident's district (abm.core.trust)", lambda w: w.trust.ties_per_district()),
    _sum("collaboration_ties", "ties", "collaboration ties between professionals",
         "edges of the professionals' collaboration graph, by the home district of the lower-numbered end (abm.core.collaboration)",
         lambda w: w.collaboration.ties_per_district(w.pop.n_districts)),
    _ratio("handover_weeks", "weeks", "mean wait between a referral to intensive or long-term care and its start, for referrals started "
           "this week; empty when none started", "sum of (start - referral week) / referrals started (abm.core.support, handover by abm.core.collaboration)",
           lambda w: w.per(w.care.waited * w.care.referral_started), lambda w: w.per(w.care.referral_started)),
    _sum("referrals_dropped", "referrals", "referrals lost in the handover between teams this week",
         "referrals dropped with the chance professionals.handover sets from the referral tie (abm.core.support)", lambda w: w.per(w.care.dropped)),
    _sum("caseload_overflow", "persons", "clients who went to a colleague based in another district because their own district's "
         "professionals of the pool were at their caseload limit this week",
         "clients assigned beyond the local professionals' limits (hours / capacity.hours_per_client each; abm.core.staff)",
         lambda w: w.per(w.staff.overflow)),
    _sum("caseload_waits", "persons", "clients who had to wait this week because every professional of their pool was at their caseload limit",
         "clients no professional had room for, back on the waiting list (abm.core.staff)", lambda w: w.per(w.staff.waits)),
    _ratio("caseload_use", "fraction", "share of the care professionals' caseload limits in use, by their home district",
           "clients (and followed residents) / caseload limits of the present professionals with a caseload (abm.core.staff)",
           lambda w: w.caseload_use[0], lambda w: w.caseload_use[1]),
    _sum("step_downs", "persons", "clients stepping down from intensive or long-term care to light support or out this week",
         "care level fell from intensive or long-term to a lighter one or none (abm.core.pathways)", lambda w: w.per(w.pathways.step_downs)),
    _sum("relapses", "persons", "residents whose need escalated within professionals.way_back.window_weeks after stepping down",
         "escalation this week of a resident who stepped down within the window (abm.core.pathways)", lambda w: w.per(w.pathways.relapses)),
    _sum("mismatches", "persons", "new clients whose need the triage at the door mismatched this week (source §5.5)",
         "multi-problem handled as individual, or deep individual condition as social, with chance 1 - professionals.triage.quality (abm.core.pathways)",
         lambda w: w.per(w.pathways.mismatches)),
    _sum("network_developer_hours", "hours/week", "hours network developers worked in the district this week",
         "each developer's weekly hours, in the district they work in", lambda w: w.developer_hours, integer=False),
    _sum("brokered_ties", "ties", "live ties brokered by network developers", "live ties flagged brokered, by the first end's district",
         lambda w: np.bincount(w.pop.district[w.ties.u[w.view.ids[w.ties.brokered[w.view.ids]]]], minlength=w.pop.n_districts)),
    _sum("brokered_support_hours", "hours/week", "informal help over brokered ties this week (the 'citizen hours' of source §6.3's multiplier)",
         "hours used over brokered ties, by the first end's district",
         _brokered_hours, integer=False),
    _ratio("social_need_share", "fraction", "share of residents with a social need", "residents with social-track severity > 0 / residents",
           lambda w: w.per(w.needs.sev[SOCIAL] > 0), lambda w: w.pop.district_sizes),
    _ratio("multiplier", "hours/hour", "citizen hours over brokered ties per developer hour (the source's multiplier, §6.3); empty without developer hours",
           "brokered_support_hours / network_developer_hours", _brokered_hours, lambda w: w.developer_hours),
    _sum("care_cooperatives", "initiatives", "active care cooperatives or village associations (zorgcoöperaties; at most one per district)",
         "formed where founders who know each other exceed cooperatives.critical_core_per_1000; fade below cooperatives.leaders_per_1000 (abm.core.cooperatives)",
         _ledger("care_cooperatives")),
    _sum("cooperative_members", "persons", "members of the district's care cooperative",
         "founders, then residents joining through ties to members, less lapses (abm.core.cooperatives)", _ledger("cooperative_members")),
    _sum("cooperative_housing_residents", "persons", "residents with dementia living in the cooperative's small-scale housing with care instead of a nursing home",
         "dementia admissions kept in the village while places (cooperatives.housing_places_per_1000) are free", _ledger("cooperative_housing_residents")),
    _sum("households_with_children", "households", "households with at least one resident under 18 and one adult",
         "households (abm.core.population.households) by their first slot's district", _ledger("households_with_children")),
    _sum("youth", "persons", "residents under 18 (demography.adult_age)", "residents by age", _ledger("youth")),
    _sum("youth_problems_one_side", "persons", "youth with a parenting or psychosocial problem on one side (parents or child; source §7.2)",
         "abm.core.families: onset softened by parents' ties and a broad school", _ledger("youth_problems_one_side")),
    _sum("youth_problems_both_sides", "persons", "youth whose basic parenting fails (problems on both sides; source §7.2), incl. placed",
         "abm.core.families: onset with a parent in trouble, or unserved one-side problems escalating", _ledger("youth_problems_both_sides")),
    _sum("youth_care_clients", "persons", "youth receiving municipal youth care: ambulant, intensive or out-of-home placement",
         "youth_care_ambulant + youth_care_intensive + out_of_home_placements", _ledger("youth_care_clients")),
    _sum("youth_care_ambulant", "persons", "youth in ambulant youth care (one side)", "up to youth.ambulant_slots_per_1000_youth", _ledger("youth_care_ambulant")),
    _sum("youth_care_intensive", "persons", "youth in intensive youth care (both sides)", "up to youth.intensive_slots_per_1000_youth", _ledger("youth_care_intensive")),
    _sum("out_of_home_placements", "persons", "youth placed out of home (jeugdzorg met verblijf)",
         "both-side problems at youth.placement_per_year; end after youth.placement_mean_years on average", _ledger("out_of_home_placements")),
    _sum("unsupervised_teens", "persons", "residents from youth.teen_age to 17 without an activity and with little household tie strength (youth nuisance risk, storp)",
         "no activity and household local tie strength < youth.supervised_ties", _ledger("unsupervised_teens")),
    _sum("youth_care_cost", "euro/week", "youth care this week (municipality, Jeugdwet): ambulant and intensive client-weeks and placement days",
         "clients x youth.ambulant_week / intensive_week packages + placements x 7 x youth.placement_day_item price; included in cost_municipality and societal_cost",
         _ledger("youth_care_cost"), integer=False),
    _sum("demand_light", "persons", "residents who need light support (functionalities 1-4) now, served or not", _DEMAND_HOW, _ledger("demand_light")),
    _sum("demand_intensive", "persons", "residents who need intensive help (functionality 5) now, served or not", _DEMAND_HOW, _ledger("demand_intensive")),
    _sum("demand_longterm", "persons", "residents who need help with permanent limitations (functionality 6) now, served or not", _DEMAND_HOW, _ledger("demand_longterm")),
    _sum("demand_crisis", "persons", "residents in crisis (functionality 7); always taken in", _DEMAND_HOW, _ledger("demand_crisis")),
    _sum("demand_total", "persons", "residents who need formal care at any level, served or not", "sum of demand_<level>", _ledger("demand_total")),
    _sum("served_light", "clients", "formal clients receiving light support (incl. clients parked there while waiting for a heavier level)",
         "residents at care level light", _ledger("served_light")),
    _sum("served_intensive", "clients", "formal clients receiving intensive help (at most the specialist capacity)", "residents at care level intensive", _ledger("served_intensive")),
    _sum("served_longterm", "clients", "formal clients receiving help with permanent limitations", "residents at care level long-term", _ledger("served_longterm")),
    _sum("served_crisis", "clients", "residents in crisis care", "residents at care level crisis", _ledger("served_crisis")),
    _sum("served_total", "clients", "formal clients at any level", "residents at any care level", _ledger("served_total")),
    _sum("waiting_light", "persons", "residents waiting for light support", "residents with light as the level waited for", _ledger("waiting_light")),
    _sum("waiting_intensive", "persons", "residents waiting for intensive help", "residents with intensive as the level waited for", _ledger("waiting_intensive")),
    _sum("waiting_longterm", "persons", "residents waiting for help with permanent limitations", "residents with long-term as the level waited for", _ledger("waiting_longterm")),
    _sum("clients_dementia", "clients", "formal clients (any level) with dementia", "clients whose individual condition is dementia",
         lambda w: w.per(w.clients & (w.needs.kind[INDIVIDUAL] == NEED_KIND["dementia"]))),
    _sum("clients_psychiatric", "clients", "formal clients (any level) with a psychiatric condition in an episode",
         "clients whose individual condition is psychiatric with severity > 0",
         lambda w: w.per(w.clients & (w.needs.kind[INDIVIDUAL] == NEED_KIND["psychiatric"]) & (w.needs.sev[INDIVIDUAL] > 0))),
    _sum("clients_chronic_illness", "clients", "formal clients (any level) with a chronic somatic illness",
         "clients whose individual condition is chronic illness",
         lambda w: w.per(w.clients & (w.needs.kind[INDIVIDUAL] == NEED_KIND["chronic_illness"]))),
    _sum("clients_recovery", "clients", "formal clients (any level) recovering after a hospital admission",
         "clients whose individual condition is recovery",
         lambda w: w.per(w.clients & (w.needs.kind[INDIVIDUAL] == NEED_KIND["recovery"]))),
    _sum("clients_social", "clients", "formal clients (any level) with a social need", "clients with social-track severity > 0",
         lambda w: w.per(w.clients & (w.needs.sev[SOCIAL] > 0))),
    _sum("waiting_list", "persons", "residents waiting for a formal level", "residents with a level waited for", lambda w: w.per(w.care.waiting > 0)),
    _sum("new_clients", "persons", "residents entering formal care this week", "admitted from outside care, or entering crisis care",
         lambda w: w.per(w.care.new_clients | (w.care.first_level == CRISIS))),
    _sum("new_clients_heavy", "persons", "of those, entering at intensive, long-term or crisis level", "first formal contact at intensive or heavier",
         lambda w: w.per(w.care.first_level >= INTENSIVE)),
    _sum("detected", "persons", "residents whose unmet need was noticed by a GP, network developer or their network this week",
         "abm.core.noticing; only residents whose need is unmet", lambda w: w.per(w.detected_unmet)),
    _sum("escalations", "events", "need severity increases caused by unmet need (incl. crises) this week", "abm.core.needs.Needs.update",
         lambda w: w.per(w.needs.escalations)),
    _sum("crises", "events", "new crises this week", "abm.core.needs.Needs.update", lambda w: w.per(w.needs.crises)),
    _sum("gp_visits", "visits", "GP consultations this week", "residents who visited their GP practice (abm.core.noticing)", _ledger("gp_visits")),
    _sum("admissions", "persons", "residents admitted to residential care after a crisis this week (they leave their home; a newcomer takes it)",
         "crises ending in admission (needs.crisis_admission_share)", _ledger("admissions")),
    _sum("admitted_residents", "persons", "residents of the district admitted after a crisis and still in residential care",
         "expected number: admissions less stays ended at the rate 1 / costs.residential.<setting>.mean_stay_days", _ledger("admitted_residents"), integer=False),
    _sum("formal_care_cost", "euro/week", "cost of formal care at the levels this week (incl. crisis weeks; all payers)",
         "clients per level and need kind x costs.level_week package x prices", _ledger("formal_care_cost"), integer=False),
    _sum("crisis_cost", "euro/week", "cost caused by crises this week: crisis-week care and emergency care at a new crisis",
         "crisis-level packages + costs.crisis_event packages x prices", _ledger("crisis_cost"), integer=False),
    _sum("hospital_cost", "euro/week", "hospital days, psychiatric ward days, emergency department visits and ambulance rides this week",
         "cost items with hospital: true", _ledger("hospital_cost"), integer=False),
    _sum("residential_cost", "euro/week", "residential stays after admission this week (nursing home, psychiatric clinic, shelter)",
         "admitted_residents per setting x 7 x day price", _ledger("residential_cost"), integer=False),
    _sum("intervention_cost", "euro/week", "cost of network developers, volunteer support, GP referrals, key facilities and cooperative support this week",
         "abm.core.outputs.intervention_cost + abm.core.cooperatives.Cooperatives.cost", lambda w: w.intervention_cost, integer=False),
    _sum("cost_municipality", "euro/week", "cost paid by the municipality this week (Wmo, youth care, welfare, the levers)",
         _PAYER_HOW.format("municipality") + " + intervention_cost", _ledger("cost_municipality"), integer=False),
    _sum("cost_insurer", "euro/week", "cost paid by health insurers this week (Zvw: GP, district nursing, mental-health, hospital and emergency care)",
         _PAYER_HOW.format("insurer"), _ledger("cost_insurer"), integer=False),
    _sum("cost_longterm_care", "euro/week", "cost paid under the Long-term Care Act this week (Wlz: nursing homes, Wlz care at home)",
         _PAYER_HOW.format("longterm_care"), _ledger("cost_longterm_care"), integer=False),
    _sum("societal_cost", "euro/week", "cost to all payers this week", "cost_municipality + cost_insurer + cost_longterm_care", _ledger("societal_cost"), integer=False),
    _sum("informal_care_value", "euro/week", "informal help received this week at the KH24 replacement cost (borne by carers; not in societal_cost)",
         "informal_support_hours x costs.items.<informal_care_item>.price", _ledger("informal_care_value"), integer=False),
    _sum("qaly_loss", "QALY/week", "QALYs lost this week to loneliness, isolation, dementia, heavy caring and residential stays",
         "sum of (wellbeing.reference_utility - utility) / 52 over weighted states (abm.core.wellbeing)", _ledger("qaly_loss"), integer=False),
    _sum("loneliness_years", "person-years", "lonely adults this week / 52 (sums to years of loneliness)", "abm.core.wellbeing", _ledger("loneliness_years"), integer=False),
    _sum("unmet_need_weeks", "person-weeks", "residents with needs still unmet after informal and formal help this week",
         "unmet hours after care >= needs.unmet_threshold x hours_first_severity", _ledger("unmet_need_weeks")),
)
BY_NAME = {c.name: c for c in COLUMNS}
NUMERIC = tuple(c for c in COLUMNS if c.count is not None or c.ratio is not None)


def columns_markdown() -> str:
    """The README's column table."""
    lines = ["| column | unit | meaning | municipality row | computed as |", "|---|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.unit} | {c.meaning} | {c.municipality} | {c.how} |" for c in COLUMNS]
    return "\n".join(lines)
