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

import numpy as np

from abm.config import Config
from abm.core.informal_care import Carers, InformalFlow
from abm.core.levels import CRISIS, INTENSIVE, LIGHT, LONGTERM
from abm.core.needs import INDIVIDUAL, NEED_KIND, SOCIAL, Needs
from abm.core.population import Population
from abm.core.status import Status
from abm.core.support import FormalCare
from abm.core.ties import Ties, TieView


@dataclass(frozen=True)
class Week:
    """The state at the end of a week that the columns are computed from."""

    config: Config
    pop: Population
    ties: Ties
    view: TieView
    needs: Needs
    care: FormalCare
    status: Status
    flow: InformalFlow
    carers: Carers
    volunteers: np.ndarray       # (n,) bool: holds a volunteer role
    detected_unmet: np.ndarray   # (n,) bool: unmet need noticed this week
    developer_hours: np.ndarray  # (districts,) hours worked by network developers
    intervention_cost: np.ndarray  # (districts,) euro this week
    clustering: np.ndarray       # (2, districts): sum of sampled coefficients, residents sampled

    def per(self, values) -> np.ndarray:
        return self.pop.per_district(values)

    def adults(self) -> np.ndarray:
        return self.pop.age >= self.config.demography.adult_age

    def elderly(self) -> np.ndarray:
        return self.pop.age >= self.config.demography.elderly_age

    def clients(self) -> np.ndarray:
        return self.care.level > 0


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


def _level(level: int) -> Count:
    return lambda w: w.per(w.care.level == level)


COLUMNS: tuple[Column, ...] = (
    Column("step", "week", "weeks since the start of the run (warm-up included)", "the model's step counter"),
    Column("year", "year", "years since the end of the warm-up; negative during warm-up", "(step - warm-up steps) / weeks per year"),
    Column("district", "-", "district name, or 'all' for the whole municipality", "from the config"),
    Column("district_type", "-", "district type (docs/spec/MODEL.md §3), 'municipality' for 'all'", "from the config"),
    _sum("population", "persons", "residents", "dwelling slots of the district (all occupied)", lambda w: w.pop.district_sizes),
    _ratio("lonely_share", "fraction", "share of adults lonely", "adults with loneliness >= loneliness.lonely_threshold / adults (age >= demography.adult_age)",
           lambda w: w.per(w.pop.lonely() & w.adults()), lambda w: w.per(w.adults())),
    _ratio("severely_lonely_share", "fraction", "share of adults severely lonely", "adults with loneliness >= loneliness.severe_threshold / adults",
           lambda w: w.per(w.pop.severely_lonely() & w.adults()), lambda w: w.per(w.adults())),
    _ratio("elderly_lonely_share", "fraction", "share of elderly lonely", "residents >= demography.elderly_age who are lonely / those residents",
           lambda w: w.per(w.pop.lonely() & w.elderly()), lambda w: w.per(w.elderly())),
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
         "residents >= care.min_age giving >= care.min_hours a week of care for >= care.cbs_weeks weeks or >= care.heavy_hours a week (abm.core.informal_care)",
         lambda w: w.per(w.carers.carers(w.pop.age, w.flow.care_given))),
    _ratio("carer_share", "fraction", "share of residents 16+ who are carers (CBS 2024: 12.9%)", "carers / residents >= care.min_age",
           lambda w: w.per(w.carers.carers(w.pop.age, w.flow.care_given)), lambda w: w.per(w.pop.age >= w.config.care.min_age)),
    _sum("heavy_carers", "persons", "carers giving more than 8 hours of care this week", "carers with care hours > care.heavy_hours",
         lambda w: w.per(w.carers.heavy(w.pop.age, w.flow.care_given))),
    _sum("overburdened_carers", "persons", "severely burdened carers (SCP 2016: 8.5% of carers)", "carers with strain >= care.severe_strain",
         lambda w: w.per(w.carers.overburdened(w.pop.age, w.flow.care_given))),
    _sum("carer_breakdowns", "events", "carers who broke down this week", "severely strained carers at care.breakdown_per_year; they stop caring for care.breakdown_weeks",
         lambda w: w.per(w.carers.breakdown)),
    _sum("respite_weeks", "carer-weeks", "carers on respite care this week", "formal respite covers their hours (interventions.carer_support)",
         lambda w: w.per(w.carers.respite_now)),
    _sum("volunteers", "persons", "residents holding a volunteer role (Volunteer agents)", "volunteer registry", lambda w: w.per(w.volunteers)),
    _sum("network_developer_hours", "hours/week", "hours network developers worked in the district this week",
         "each developer's weekly hours, in the district they work in", lambda w: w.developer_hours, integer=False),
    _sum("brokered_ties", "ties", "live ties brokered by network developers", "live ties flagged brokered, by the first end's district",
         lambda w: np.bincount(w.pop.district[w.ties.u[w.view.ids[w.ties.brokered[w.view.ids]]]], minlength=w.pop.n_districts)),
    _sum("brokered_support_hours", "hours/week", "informal help over brokered ties this week (the 'citizen hours' of source §6.3's multiplier)",
         "hours used over brokered ties, by the first end's district",
         lambda w: np.bincount(w.pop.district[w.ties.u[w.flow.ids]], weights=w.flow.edge_used * w.ties.brokered[w.flow.ids],
                               minlength=w.pop.n_districts), integer=False),
    _ratio("social_need_share", "fraction", "share of residents with a social need", "residents with social-track severity > 0 / residents",
           lambda w: w.per(w.needs.sev[SOCIAL] > 0), lambda w: w.pop.district_sizes),
    _sum("demand_light", "clients", "formal clients receiving light support (functionalities 1-4)", "residents at care level light", _level(LIGHT)),
    _sum("demand_intensive", "clients", "formal clients receiving intensive help (functionality 5)", "residents at care level intensive", _level(INTENSIVE)),
    _sum("demand_longterm", "clients", "formal clients receiving help with permanent limitations (functionality 6)", "residents at care level long-term", _level(LONGTERM)),
    _sum("demand_crisis", "clients", "residents in crisis care (functionality 7)", "residents at care level crisis", _level(CRISIS)),
    _sum("clients_dementia", "clients", "formal clients (any level) with dementia", "clients whose individual condition is dementia",
         lambda w: w.per(w.clients() & (w.needs.kind[INDIVIDUAL] == NEED_KIND["dementia"]))),
    _sum("clients_psychiatric", "clients", "formal clients (any level) with a psychiatric condition in an episode",
         "clients whose individual condition is psychiatric with severity > 0",
         lambda w: w.per(w.clients() & (w.needs.kind[INDIVIDUAL] == NEED_KIND["psychiatric"]) & (w.needs.sev[INDIVIDUAL] > 0))),
    _sum("clients_social", "clients", "formal clients (any level) with a social need", "clients with social-track severity > 0",
         lambda w: w.per(w.clients() & (w.needs.sev[SOCIAL] > 0))),
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
    _sum("formal_care_cost", "euro/week", "cost of formal care this week at cost prices", "clients per level x costs.<level> per client-week",
         lambda w: w.per(w.care.cost()), integer=False),
    _sum("intervention_cost", "euro/week", "cost of network developers, volunteer support, GP referrals and key facilities this week",
         "abm.core.outputs.intervention_cost", lambda w: w.intervention_cost, integer=False),
)
BY_NAME = {c.name: c for c in COLUMNS}
NUMERIC = tuple(c for c in COLUMNS if c.count is not None or c.ratio is not None)


def columns_markdown() -> str:
    """The README's column table."""
    lines = ["| column | unit | meaning | municipality row | computed as |", "|---|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.unit} | {c.meaning} | {c.municipality} | {c.how} |" for c in COLUMNS]
    return "\n".join(lines)
