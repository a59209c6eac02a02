"""MunicipalityModel: the weekly schedule that ties the sub-models together (docs/ODD.md §3).

One step is one week. Order within a step:
1. funding: network developers hired or let go;
2. demography: deaths, moves and admissions; newcomers take the slots without local ties; ageing;
3. ties: contact renews ties, no contact weakens them, too-weak ties go;
4. tie formation: meetings in streets and activities, friends of friends;
5. noticing needs: network developers' work, GP visits (and referral), the network's signals;
6. volunteer roles start, are matched and end;
7. loneliness follows the ties;
8. new needs arise;
9. informal help flows over ties; formal care takes requests, admits from waiting lists;
10. needs escalate or de-escalate by how well they were met; crises resolve;
11. the district rows of the output table are recorded.
"""

from __future__ import annotations

from pathlib import Path

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from abm.core import formation, interventions, loneliness, volunteering
from abm.core.agents import Citizen, NetworkDeveloper, Professional, Volunteer
from abm.config import Config, load_config
from abm.core.needs import INDIVIDUAL, KIND, SOCIAL, Needs
from abm.core.outputs import Recorder
from abm.core.population import Population
from abm.core.support import CRISIS, INTENSIVE, LIGHT, LONGTERM, FormalCare, informal_help
from abm.core.ties import KIND as TIE_KIND
from abm.core.ties import TIE_KINDS, Ties

VITAL_TIE = 0.3  # tie strength that counts as a real link between a vulnerable and a vital resident


class MunicipalityModel(mesa.Model):
    """A municipality of districts; see the module docstring for the weekly schedule."""

    def __init__(self, config: Config | dict | str | Path | None = None, seed: int | None = None):
        if config is None or isinstance(config, (str, Path)):
            config = load_config(config)
        elif isinstance(config, dict):
            from abm.config import resolve

            config = resolve(config)
        if seed is not None:
            config = config.model_copy(update={"seed": seed})
        super().__init__(rng=config.seed)
        self.config = config
        rng = self.rng
        self._measure_rng = np.random.default_rng([config.seed, 7919])  # output sampling only

        self.pop = Population(config, rng)
        self.ties = Ties(self.pop.n)
        self.foci = formation.Foci(self.pop)
        self.needs = Needs(config, self.pop, rng)
        self.care = FormalCare(config, self.pop)
        self.is_volunteer = np.zeros(self.pop.n, dtype=bool)
        self.volunteer_of: dict[int, Volunteer] = {}
        self.detected = np.zeros(self.pop.n, dtype=bool)
        self.citizen_of: list[Citizen] = [Citizen(self, i) for i in range(self.pop.n)]
        self._make_professionals()
        formation.initial_network(self.pop, self.ties, self.foci, config, rng)
        for i in np.flatnonzero(rng.random(self.pop.n) < 0.1 * self.pop.willingness * volunteering.eligible(self)).tolist():
            self.start_volunteer(i, "citizens")

        key = interventions.key_facility_mask(self)
        kf = config.interventions.key_facility
        self.meeting_factor = np.where(key, kf.meeting_factor, 1.0)
        self.detection_factor = np.where(key, kf.detection_factor, 1.0)
        self._mixing_contact = np.sqrt(self.pop.table.column("group_mixing"))
        self._decay = np.array([config.ties.decay[k] for k in TIE_KINDS])
        self._contact = np.array([config.ties.contact[k] for k in TIE_KINDS])
        self._burden = np.zeros(self.pop.n)
        self._admitted = np.zeros(0, dtype=np.int64)
        self._clustering = np.zeros((2, self.pop.n_districts))
        self.referrals = 0
        self.recorder = Recorder(self.pop.table.names, self.pop.table.types)
        self._refresh_step_views()
        self.running = True

    # ------------------------------------------------------------------ set-up helpers
    def _make_professionals(self) -> None:
        caps = self.care.capacity
        for d in range(self.pop.n_districts):
            Professional(self, "gp", d, 0, 0.0)
            Professional(self, "social_district_team", d, caps[(LIGHT, d)], 2.0)
        Professional(self, "specialist", None, caps[(INTENSIVE, -1)], 4.0)
        Professional(self, "dementia_case_manager", None, caps[(LONGTERM, -1)], 1.0)

    # ------------------------------------------------------------------ time
    @property
    def year(self) -> float:
        """Years since the end of warm-up at the start of the current step."""
        return (self.steps - 1 - self.config.warmup_steps) / 52.0

    # ------------------------------------------------------------------ agents
    def developers(self) -> list[NetworkDeveloper]:
        group = self.agents_by_type.get(NetworkDeveloper)
        return [] if group is None else list(group)

    def start_volunteer(self, i: int, recruited_by: str) -> None:
        if self.is_volunteer[i]:
            return
        self.is_volunteer[i] = True
        self.volunteer_of[i] = Volunteer(self, i, recruited_by)

    def end_volunteer(self, i: int) -> None:
        agent = self.volunteer_of.pop(i, None)
        if agent is not None:
            agent.remove()
        self.is_volunteer[i] = False

    # ------------------------------------------------------------------ queries used by agents
    def vital(self) -> np.ndarray:
        pop, needs = self.pop, self.needs
        return (pop.age >= 18) & (pop.age < 75) & ~needs.any_need() & ~pop.lonely()

    def vulnerable(self) -> np.ndarray:
        pop = self.pop
        return self.needs.any_need() | (pop.lonely() & (pop.age >= 65)) | pop.severely_lonely()

    def vulnerable_in(self, d: int) -> np.ndarray:
        """Vulnerable residents of district ``d`` (cached for the step)."""
        if self._vulnerable_by_district is None:
            vul = self.vulnerable()
            order = np.flatnonzero(vul)
            self._vulnerable_by_district = np.split(order, np.searchsorted(self.pop.district[order], np.arange(1, self.pop.n_districts)))
        return self._vulnerable_by_district[d]

    def vital_partner_for(self, person: int) -> int:
        """A vital resident of the same street (else district) for a network developer to connect."""
        pop, rng = self.pop, self.rng
        street = pop.street[person]
        lo = np.searchsorted(pop.street, street)
        hi = np.searchsorted(pop.street, street, side="right")
        vital = self._vital
        for a, b in ((lo, hi), (pop.district_start[pop.district[person]], pop.district_start[pop.district[person]] + pop.district_sizes[pop.district[person]])):
            cand = a + np.flatnonzero(vital[a:b] & (pop.willingness[a:b] > 0.3))
            cand = cand[cand != person]
            if len(cand):
                return int(cand[rng.integers(len(cand))])
        return -1

    def broker_tie(self, a: int, b: int) -> int:
        """A developer introduces a and b; like a mutual friend, they soften homophily (sqrt)."""
        eid = self.ties.eid(a, b)
        if eid >= 0:
            self.ties.reinforce(np.array([eid]), self.config.ties.reinforcement)
            return -1
        pair = np.array([a]), np.array([b])
        p = formation.acceptance(self.pop, self.ties, *pair, self.config.ties.max_degree, 0.0)[0]
        if self.rng.random() >= np.sqrt(p):
            return -1
        return self.ties.add(a, b, TIE_KIND["neighbour"], 0.3, brokered=True)

    def vulnerable_tie_share(self, d: int) -> float:
        num, den = self._linked
        return float(num[d] / den[d]) if den[d] > 0 else 0.0

    # ------------------------------------------------------------------ sub-models
    def _demography(self, rng: np.random.Generator) -> None:
        pop = self.pop
        die, move = pop.leavers(rng)
        leave = np.unique(np.concatenate([die, move, self._admitted]))
        self._admitted = np.zeros(0, dtype=np.int64)
        for i in leave.tolist():
            self.ties.remove_all_of(i)
            self.end_volunteer(i)
            self.citizen_of[i].remove()
            self.citizen_of[i] = Citizen(self, i)
        # movers keep their household label so the new household moves in together
        together = np.where(np.isin(leave, move), pop.household[leave], -1 - np.arange(len(leave)))
        pop.reset_slots(leave, rng, step=self.steps, together=together)
        formation.household_ties(pop, self.ties, leave, self.config.ties.reinforcement)
        self.needs.clear(leave)
        self.care.clear(leave)
        if len(leave):
            self.foci.dirty = True
        pop.age += 1.0 / 52.0

    def _tie_contacts(self, rng: np.random.Generator) -> None:
        """Contact renews ties, more often the stronger the tie; lonely residents keep fewer contacts."""
        ties, pop = self.ties, self.pop
        ids = ties.live()
        base = ties.base_contact[ids]
        new = np.isnan(base)
        if new.any():
            ties.base_contact[ids[new]] = self._base_contact(ids[new])
            base = ties.base_contact[ids]
        u, v = ties.u[ids], ties.v[ids]
        s = ties.strength[ids]
        keep = 1.0 - self.config.ties.lonely_contact_penalty * pop.lonely()
        p = base * (0.25 + 0.75 * s) * keep[u] * keep[v]
        if self._any_facilitated:
            p = p + 0.5 * ties.facilitated[ids]
        ties.contact_and_decay(ids, s, p, rng.random(len(ids)), self.config.ties.reinforcement,
                               self._decay[ties.kind[ids]], self.config.ties.removal_threshold)

    def _base_contact(self, ids: np.ndarray) -> np.ndarray:
        """Contact probability by kind; ties across groups that do not mix (storp, traditional village)
        are kept up less; a key facility raises neighbour and activity contact."""
        ties, pop = self.ties, self.pop
        kind, u, v = ties.kind[ids], ties.u[ids], ties.v[ids]
        district = pop.district[u]
        p = self._contact[kind]
        p = np.where(pop.origin[u] == pop.origin[v], p, p * self._mixing_contact[district])
        local = (kind == TIE_KIND["neighbour"]) | (kind == TIE_KIND["activity"])
        return np.where(local, p * self.meeting_factor[district], p)

    def step(self) -> None:
        cfg, rng, pop = self.config, self.rng, self.pop
        year = self.year
        interventions.staff_developers(self, year)
        self._any_facilitated = bool(self.developers())
        self._demography(rng)
        self._tie_contacts(rng)
        P = pop.table
        formation.focus_meetings(pop, self.ties, self.foci, P.column("meetings_per_week") * self.meeting_factor, cfg, rng)
        formation.friends_of_friends(pop, self.ties, P.column("friend_of_friend_per_week"), cfg, rng)

        # developers and volunteer matching act on what was known at the end of last week
        self.detected[:] = False
        devs = self.agents_by_type.get(NetworkDeveloper)
        if devs is not None and len(devs):
            devs.shuffle_do("step")
        volunteering.recruit(self)
        volunteering.match(self)
        self._refresh_step_views()

        loneliness.update(cfg, pop, self.view, (self.needs.sev >= 2).any(axis=0), rng)
        self.needs.onset(rng)

        hours, subst = self.needs.hours(), self.needs.substitutable()
        flow = informal_help(cfg, pop, self.needs, self.view, self.is_volunteer, (hours * subst).sum(axis=0))
        inf_cover = flow.share_met[None, :] * subst
        unmet_hours = (hours * (1.0 - inf_cover)).sum(axis=0)
        unmet = unmet_hours >= 0.5 * cfg.needs.hours_first_severity
        self.referrals = interventions.gp_contacts(self, unmet)
        strong = self.view.node_sum(self.view.strength >= cfg.ties.durable_strength)
        interventions.network_signals(self, unmet, strong)
        self.care.step(self.steps, self.needs, unmet_hours, self.detected, rng)
        cover = self.care.cover(self.needs, inf_cover)
        self.needs.update(cover, flow.share_met, self.is_volunteer, rng)
        self._admitted = self.needs.resolve_crises(rng)

        # smoothed informal hours given, in units of 8 h/week (CBS: heavy carers give >= 8 h/week)
        self._burden = 0.9 * self._burden + 0.1 * flow.given / 8.0
        volunteering.stop(self, self._burden)
        self._record(flow, unmet)

    def _refresh_step_views(self) -> None:
        """Live ties, vital and vulnerable residents, and their links, as of now."""
        self.view = self.ties.view()
        self._vulnerable_by_district = None
        self._vital = self.vital()
        vul = self.vulnerable()
        linked = self.view.node_sum(self.view.strength >= VITAL_TIE, of=self._vital) > 0
        self._linked = (self.pop.per_district(vul & linked), self.pop.per_district(vul))

    # ------------------------------------------------------------------ outputs
    def _clustering_now(self) -> np.ndarray:
        """Mean local clustering of a resident sample per district, measured every 13 weeks."""
        if (self.steps - 1) % 13 == 0:
            k = self.config.output.clustering_sample
            pop = self.pop
            for d in range(pop.n_districts):
                lo = pop.district_start[d]
                nodes = (lo + self._measure_rng.choice(pop.district_sizes[d], min(k, pop.district_sizes[d]), replace=False)).tolist()
                values = nx.clustering(self.ties.graph, nodes) if nodes else {}
                self._clustering[0, d] = sum(values.values())
                self._clustering[1, d] = len(nodes)
        return self._clustering

    def _record(self, flow, unmet: np.ndarray) -> None:
        pop, care, needs, ties = self.pop, self.care, self.needs, self.ties
        cfg = self.config
        per = pop.per_district
        adults = pop.age >= 18
        elderly = pop.age >= 65
        lonely, severe = pop.lonely(), pop.severely_lonely()
        client = care.level > 0
        ids = self.view.ids
        dev_hours = np.zeros(pop.n_districts)
        for dev in self.developers():
            dev_hours[dev.district] += dev.hours
        p_dev = cfg.interventions.network_developers
        dev_cost = dev_hours / p_dev.hours_per_fte * p_dev.cost_per_fte_year / 52.0
        vol_cost = per(self.is_volunteer) * cfg.interventions.volunteer_support.cost_per_volunteer_year / 52.0 * cfg.interventions.volunteer_support.factor
        key_cost = interventions.key_facility_mask(self) * cfg.interventions.key_facility.cost_per_year / 52.0
        ref_cost = self.referrals * cfg.interventions.gp_referral.cost_per_referral * pop.district_sizes / pop.n
        brokered = ids[ties.brokered[ids]]
        clustering = self._clustering_now()
        counts = {
            "population": pop.district_sizes,
            "adults": per(adults),
            "elderly": per(elderly),
            "lonely_adults": per(lonely & adults),
            "severely_lonely_adults": per(severe & adults),
            "lonely_elderly": per(lonely & elderly),
            "degree_sum": per(ties.degree),
            "clustering_sum": clustering[0],
            "clustering_n": clustering[1],
            "vulnerable_linked": self._linked[0],
            "vulnerable": self._linked[1],
            "informal_support_hours": per(flow.received),
            "heavily_burdened_carers": per(self._burden > 1.0),
            "volunteers": per(self.is_volunteer),
            "network_developer_hours": dev_hours,
            "brokered_ties": np.bincount(pop.district[ties.u[brokered]], minlength=pop.n_districts),
            "brokered_support_hours": np.bincount(pop.district[ties.u[flow.ids]], weights=flow.edge_used * ties.brokered[flow.ids],
                                                  minlength=pop.n_districts),
            "social_need": per(needs.sev[SOCIAL] > 0),
            "demand_light": per(care.level == LIGHT),
            "demand_intensive": per(care.level == INTENSIVE),
            "demand_longterm": per(care.level == LONGTERM),
            "demand_crisis": per(care.level == CRISIS),
            "clients_dementia": per(client & (needs.kind[INDIVIDUAL] == KIND["dementia"])),
            "clients_psychiatric": per(client & (needs.kind[INDIVIDUAL] == KIND["psychiatric"]) & (needs.sev[INDIVIDUAL] > 0)),
            "clients_social": per(client & (needs.sev[SOCIAL] > 0)),
            "waiting_list": per(care.waiting > 0),
            "new_clients": per(care.new_clients | (care.first_level == CRISIS)),
            "new_clients_heavy": per(care.first_level >= INTENSIVE),
            "detected": per(self.detected & unmet),
            "escalations": per(needs.escalations),
            "crises": per(needs.crises),
            "formal_care_cost": per(care.cost()),
            "intervention_cost": dev_cost + vol_cost + key_cost + ref_cost,
        }
        self.recorder.add(self.steps, counts)

    # ------------------------------------------------------------------ running
    @property
    def total_steps(self) -> int:
        return self.config.warmup_steps + self.config.steps

    def run(self, progress=None) -> pd.DataFrame:
        """Run the configured horizon (warm-up plus years); ``progress(step, total)`` is optional."""
        total = self.total_steps
        while self.steps < total:
            self.step()
            if progress is not None:
                progress(self.steps, total)
        return self.results()

    def results(self) -> pd.DataFrame:
        """The model-level table (see ``abm.core.outputs.COLUMNS``)."""
        return self.recorder.frame(self.config.warmup_steps, self.config.output.write_warmup)

    def network(self, district: str | None = None) -> nx.Graph:
        """A copy of the social graph (optionally one district) with tie attributes filled in."""
        if district is None:
            return self.ties.snapshot()
        d = self.pop.table.names.index(district)
        lo = self.pop.district_start[d]
        return self.ties.snapshot(range(lo, lo + self.pop.district_sizes[d]))

