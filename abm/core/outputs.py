"""The model-level table: one row per step per district plus a municipality row ("all").

Each column is listed in ``COLUMNS`` with its meaning and unit; the README and docs/ODD.md are
generated from the same list (``column_docs_markdown``). Rows are kept as numpy blocks during the
run and turned into one DataFrame at the end (cheaper than mesa's DataCollector for this shape,
see MESA-NOTES.md).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from abm.config import Config
from abm.config.units import WEEKS_PER_YEAR
from abm.core.levels import CRISIS, INTENSIVE, LIGHT, LONGTERM
from abm.core.needs import INDIVIDUAL, NEED_KIND, SOCIAL

# name: (meaning, unit, how the municipality row is formed: "sum", or "ratio:num/den")
COLUMNS: dict[str, tuple[str, str]] = {
    "step": ("weeks since the start of the run (warm-up included)", "week"),
    "year": ("years since the end of the warm-up; negative during warm-up", "year"),
    "district": ("district name, or 'all' for the whole municipality", "-"),
    "district_type": ("district type (MODEL.md §3), 'municipality' for 'all'", "-"),
    "population": ("residents", "persons"),
    "lonely_share": ("share of residents 18+ with loneliness score >= 3", "fraction"),
    "severely_lonely_share": ("share of residents 18+ with loneliness score >= 9", "fraction"),
    "elderly_lonely_share": ("share of residents 65+ with loneliness score >= 3", "fraction"),
    "mean_degree": ("mean number of local ties per resident", "ties"),
    "clustering": ("mean local clustering coefficient of a resident sample (refreshed every 13 steps)", "0-1"),
    "vulnerable_with_vital_tie_share": ("share of vulnerable residents with a tie of strength >= 0.3 to a vital resident", "fraction"),
    "informal_support_hours": ("hours of informal help given to residents of the district this week", "hours/week"),
    "heavily_burdened_carers": ("residents giving > 8 h/week informal help (smoothed)", "persons"),
    "volunteers": ("active Volunteer agents living in the district", "persons"),
    "network_developer_hours": ("hours worked by network developers in the district this week", "hours/week"),
    "brokered_ties": ("live ties brokered by network developers", "ties"),
    "brokered_support_hours": ("informal help given over brokered ties this week (the 'citizen hours' of source §6.3's multiplier)", "hours/week"),
    "social_need_share": ("share of residents with a social need", "fraction"),
    "demand_light": ("formal clients receiving light support (functionalities 1-4)", "clients"),
    "demand_intensive": ("formal clients receiving intensive help (functionality 5)", "clients"),
    "demand_longterm": ("formal clients receiving help with permanent limitations (functionality 6)", "clients"),
    "demand_crisis": ("residents in crisis care (functionality 7)", "clients"),
    "clients_dementia": ("formal clients (any level) with dementia", "clients"),
    "clients_psychiatric": ("formal clients (any level) with a psychiatric condition", "clients"),
    "clients_social": ("formal clients (any level) with a social need", "clients"),
    "waiting_list": ("residents waiting for a formal level", "persons"),
    "new_clients": ("residents entering formal care this step", "persons"),
    "new_clients_heavy": ("of those, entering at intensive, long-term or crisis level", "persons"),
    "detected": ("residents whose unmet need was noticed by a GP, network developer or their network", "persons"),
    "escalations": ("need severity increases caused by unmet need (incl. crises) this step", "events"),
    "crises": ("new crises this step", "events"),
    "formal_care_cost": ("cost of formal care this week at cost prices", "euro/week"),
    "intervention_cost": ("cost of network developers, volunteer support, GP referrals, key facilities this week", "euro/week"),
}

SUM_COLUMNS = [
    "population", "informal_support_hours", "heavily_burdened_carers", "volunteers", "network_developer_hours",
    "brokered_ties", "brokered_support_hours", "demand_light", "demand_intensive", "demand_longterm", "demand_crisis", "clients_dementia",
    "clients_psychiatric", "clients_social", "waiting_list", "new_clients", "new_clients_heavy", "detected",
    "escalations", "crises", "formal_care_cost", "intervention_cost",
]
# shares: (numerator, denominator) counted per district, so the municipality row is exact
RATIO_COLUMNS = {
    "lonely_share": ("lonely_adults", "adults"),
    "severely_lonely_share": ("severely_lonely_adults", "adults"),
    "elderly_lonely_share": ("lonely_elderly", "elderly"),
    "mean_degree": ("degree_sum", "population"),
    "clustering": ("clustering_sum", "clustering_n"),
    "vulnerable_with_vital_tie_share": ("vulnerable_linked", "vulnerable"),
    "social_need_share": ("social_need", "population"),
}
NUMERIC = SUM_COLUMNS + sorted({x for pair in RATIO_COLUMNS.values() for x in pair} - set(SUM_COLUMNS))


class Recorder:
    """Collects per-district counts each step; builds the table on demand."""

    def __init__(self, names: list[str], types: list[str]):
        self.names = names
        self.types = types
        self.blocks: list[np.ndarray] = []
        self.steps: list[int] = []

    def add(self, step: int, counts: dict[str, np.ndarray]) -> None:
        block = np.stack([np.asarray(counts[c], dtype=float) for c in NUMERIC], axis=1)
        self.blocks.append(np.vstack([block, block.sum(axis=0, keepdims=True)]))
        self.steps.append(step)

    def frame(self, warmup_steps: int, include_warmup: bool) -> pd.DataFrame:
        names = self.names + ["all"]
        types = self.types + ["municipality"]
        if not self.blocks:
            return pd.DataFrame(columns=list(COLUMNS))
        data = np.concatenate(self.blocks)
        raw = pd.DataFrame(data, columns=NUMERIC)
        n = len(names)
        steps = np.repeat(np.array(self.steps), n)
        out = pd.DataFrame({
            "step": steps,
            "year": (steps - warmup_steps) / WEEKS_PER_YEAR,
            "district": np.tile(names, len(self.steps)),
            "district_type": np.tile(types, len(self.steps)),
        })
        for col in SUM_COLUMNS:
            out[col] = raw[col].to_numpy()
        for col, (num, den) in RATIO_COLUMNS.items():
            d = raw[den].to_numpy()
            out[col] = np.divide(raw[num].to_numpy(), d, out=np.full(len(d), np.nan), where=d > 0)
        int_cols = [c for c in SUM_COLUMNS if c not in ("informal_support_hours", "network_developer_hours",
                                                        "brokered_support_hours", "formal_care_cost", "intervention_cost")]
        out[int_cols] = out[int_cols].round().astype(np.int64)
        out = out[list(COLUMNS)]
        if not include_warmup:
            out = out[out["step"] >= warmup_steps].reset_index(drop=True)
        return out


class ClusteringSample:
    """Mean local clustering of a resident sample per district, re-measured every few weeks with
    its own generator (measurement must not change the model's random stream)."""

    def __init__(self, config: Config, pop):
        self.sample = config.output.clustering_sample
        self.every = config.output.clustering_every_weeks
        self.pop = pop
        self.rng = np.random.default_rng([config.seed, MEASURE_STREAM])
        self.values = np.zeros((2, pop.n_districts))  # (sum of coefficients, residents sampled) per district

    def measure(self, step: int, graph: nx.Graph) -> np.ndarray:
        if (step - 1) % self.every == 0:
            pop = self.pop
            for d in range(pop.n_districts):
                lo = pop.district_start[d]
                nodes = (lo + self.rng.choice(pop.district_sizes[d], min(self.sample, pop.district_sizes[d]), replace=False)).tolist()
                values = nx.clustering(graph, nodes) if nodes else {}
                self.values[0, d] = sum(values.values())
                self.values[1, d] = len(nodes)
        return self.values


MEASURE_STREAM = 7919  # salt of the output-sampling generator's seed (any fixed number; not behaviour)


def intervention_cost(config: Config, pop, developer_hours: np.ndarray, volunteers: np.ndarray,
                      key_facility: np.ndarray, referrals: int) -> np.ndarray:
    """Cost of the levers this week per district (euro): developers' hours, supported volunteers,
    key facilities, and GP referrals (spread over districts by population)."""
    iv = config.interventions
    dev, vol = iv.network_developers, iv.volunteer_support
    dev_cost = developer_hours / dev.hours_per_fte * dev.cost_per_fte_year / WEEKS_PER_YEAR
    vol_cost = pop.per_district(volunteers) * vol.cost_per_volunteer_year / WEEKS_PER_YEAR * vol.factor
    key_cost = key_facility * iv.key_facility.cost_per_year / WEEKS_PER_YEAR
    ref_cost = referrals * iv.gp_referral.cost_per_referral * pop.district_sizes / pop.n
    return dev_cost + vol_cost + key_cost + ref_cost


def district_counts(pop, ties, view, needs, care, status, flow, carers, volunteers: np.ndarray,
                    detected_unmet: np.ndarray, developer_hours: np.ndarray, referrals: int,
                    key_facility: np.ndarray, clustering: np.ndarray, config: Config) -> dict[str, np.ndarray]:
    """This week's per-district counts from which the table's columns are formed (``NUMERIC``)."""
    per = pop.per_district
    demo = config.demography
    adults = pop.age >= demo.adult_age
    elderly = pop.age >= demo.elderly_age
    lonely, severe = pop.lonely(), pop.severely_lonely()
    client = care.level > 0
    ids = view.ids
    brokered = ids[ties.brokered[ids]]
    linked, vulnerable = status.linked_counts
    return {
        "population": pop.district_sizes,
        "adults": per(adults),
        "elderly": per(elderly),
        "lonely_adults": per(lonely & adults),
        "severely_lonely_adults": per(severe & adults),
        "lonely_elderly": per(lonely & elderly),
        "degree_sum": per(ties.degree),
        "clustering_sum": clustering[0],
        "clustering_n": clustering[1],
        "vulnerable_linked": linked,
        "vulnerable": vulnerable,
        "informal_support_hours": per(flow.received),
        "heavily_burdened_carers": per(carers.overloaded()),
        "volunteers": per(volunteers),
        "network_developer_hours": developer_hours,
        "brokered_ties": np.bincount(pop.district[ties.u[brokered]], minlength=pop.n_districts),
        "brokered_support_hours": np.bincount(pop.district[ties.u[flow.ids]], weights=flow.edge_used * ties.brokered[flow.ids],
                                              minlength=pop.n_districts),
        "social_need": per(needs.sev[SOCIAL] > 0),
        "demand_light": per(care.level == LIGHT),
        "demand_intensive": per(care.level == INTENSIVE),
        "demand_longterm": per(care.level == LONGTERM),
        "demand_crisis": per(care.level == CRISIS),
        "clients_dementia": per(client & (needs.kind[INDIVIDUAL] == NEED_KIND["dementia"])),
        "clients_psychiatric": per(client & (needs.kind[INDIVIDUAL] == NEED_KIND["psychiatric"]) & (needs.sev[INDIVIDUAL] > 0)),
        "clients_social": per(client & (needs.sev[SOCIAL] > 0)),
        "waiting_list": per(care.waiting > 0),
        "new_clients": per(care.new_clients | (care.first_level == CRISIS)),
        "new_clients_heavy": per(care.first_level >= INTENSIVE),
        "detected": per(detected_unmet),
        "escalations": per(needs.escalations),
        "crises": per(needs.crises),
        "formal_care_cost": per(care.cost()),
        "intervention_cost": intervention_cost(config, pop, developer_hours, volunteers, key_facility, referrals),
    }
