"""MunicipalityModel: the sub-models put together, and the weekly schedule (docs/ODD.md §3).

One step is one week. Order within a step:
1. funding: network developers hired or let go;
2. staff turnover: professionals who leave are replaced by newcomers without ties;
   demography: deaths, moves and admissions; newcomers take the slots without local ties; ageing;
3. ties: contact renews ties, no contact weakens them, too-weak ties go;
4. tie formation: meetings in streets and activities, friends of friends;
5. noticing needs: network developers' work, GP visits (and referral), the network's signals;
6. volunteer roles start, are matched and end; care cooperatives form, grow and fade (their members
   volunteer, their meeting point adds meetings from next week, their carers get respite);
7. loneliness follows the ties;
8. new needs arise;
9. informal help flows over ties; professionals act (GPs' consultations, care roles offer their
   hours, case managers follow dementia clients, youth workers give youth care their hours); formal
   care takes requests, admits from waiting lists; clients get a professional with room under their
   caseload limit (else a colleague elsewhere, else they wait);
10. needs escalate or de-escalate by how well they were met; crises resolve (a cooperative's housing
    keeps residents with dementia in the village); volunteer roles end; families' youth problems
    arise, get youth care from the youth and family workers' hours, resolve or end in out-of-home
    placement; youth care clients get a youth worker (caseloads);
11. the district rows of the output table are recorded.

The model owns no mechanism itself: each lives in the sub-model that owns the concept, which
receives the parts it reads and writes (population, ties, needs, care, registries).
"""

from __future__ import annotations

from pathlib import Path

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from abm.config import Config, load_config
from abm.config.units import WEEKS_PER_YEAR
from abm.core import (
    cooperatives,
    costs,
    demand,
    families,
    formation,
    informal_care,
    interventions,
    loneliness,
    outputs,
    volunteering,
    wellbeing,
)
from abm.core.agents import Citizen, NetworkDeveloper, Professional
from abm.core.brokering import Brokering
from abm.core.collaboration import Collaboration
from abm.core.columns import Week
from abm.core.contact import TieContact
from abm.core.needs import INDIVIDUAL, NEED_KIND, SOCIAL, Needs
from abm.core.noticing import Noticing
from abm.core.pathways import Pathways
from abm.core.population import Population
from abm.core.staff import Staff
from abm.core.status import Status
from abm.core.support import FormalCare
from abm.core.ties import Ties
from abm.core.trust import Trust


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

        self.pop = Population(config, rng)
        self.ties = Ties(self.pop.n)
        self.foci = formation.Foci(self.pop)
        self.needs = Needs(config, self.pop, rng)
        self.care = FormalCare(config, self.pop)
        self.staff = Staff(config, self.pop)
        key = interventions.key_facility_mask(config, self.pop.table.names)
        self.trust = Trust(config, self.pop, self.staff, key)
        self.collaboration = Collaboration(config, self.staff)
        self.pathways = Pathways(config, self.pop, self.staff, self.trust)
        self.staff.on_join.append(self.collaboration.add)
        self.staff.on_leave.append(self.collaboration.remove)
        self.staff.on_forget += [self.pathways.forget_professionals, self.trust.forget_professionals]
        self.status = Status(config, self.pop, self.needs)
        self.volunteers = volunteering.Volunteers(self, self.pop.n)
        self.noticing = Noticing(config, self.pop, key)
        self.citizen_of: list[Citizen] = [Citizen(self, i) for i in range(self.pop.n)]
        self.families = families.Families(config, self.pop)
        self._make_professionals()
        formation.initial_network(self.pop, self.ties, self.foci, config, rng)
        volunteering.seed(config, self.pop, self.needs, self.volunteers, rng)

        self.meeting_factor = np.where(key, config.interventions.key_facility.meeting_factor, 1.0)
        self.contact = TieContact(config, self.pop, self.ties, self.meeting_factor)
        self.carers = informal_care.Carers(config, self.pop.n)
        self.carers.arrive(np.arange(self.pop.n), rng)
        self.brokering = Brokering(config, self.pop)
        self.coops = cooperatives.Cooperatives(config, self.pop)
        self._admitted = np.zeros(0, dtype=np.int64)
        self.ledger = costs.Ledger(config, self.pop.n_districts)
        self.wellbeing = wellbeing.Wellbeing(config, self.ledger.settings)
        self.recorder = outputs.Recorder(self.pop.table.names, self.pop.table.types)
        self.clustering = outputs.ClusteringSample(config, self.pop)
        self._refresh_step_views()
        self.running = True

    # ------------------------------------------------------------------ set-up helpers
    def _make_professionals(self) -> None:
        """GPs by list size and wijkteam generalists per district; district nurses, specialists,
        dementia case managers and youth and family workers for the whole municipality, based in the
        districts; the care roles share the hours the budget pays for (``staff.Staff.posts``)."""
        for role, home, hours, pool in self.staff.posts(self.care.planned_hours(), self.families.planned_hours()):
            Professional(self, role, home, hours, pool)
        self.staff.assign_patient_lists()
        self.staff.form_flex_team()

    def _turnover(self, rng: np.random.Generator) -> None:
        """Professionals who leave are replaced by a newcomer in the same post, without their ties (a
        network developer's successor starts in the district the leaver worked in). The residents are
        handed over and let go in one pass for all leavers (the cost of a pass grows with the residents
        and the number of leavers with the staff)."""
        leavers = self.staff.leavers(rng)
        old_posts, new_posts = [], []
        for slot in leavers.tolist():
            old = self.staff.agents[slot]
            if isinstance(old, NetworkDeveloper):
                NetworkDeveloper(self, hours=old.hours, served=old.served, start=old.served.index(old.district))
                old.leave(forget=False)
                continue
            new = Professional(self, old.role, old.district, old.hours_per_week, int(self.staff.pool[slot]),
                               bool(self.staff.flex[slot]))
            old_posts.append(slot)
            new_posts.append(new.slot)
            old.leave(forget=False)
        self.staff.hand_over(np.array(old_posts, dtype=np.int64), np.array(new_posts, dtype=np.int64))
        self.staff.forget_posts(leavers)

    # ------------------------------------------------------------------ time
    @property
    def year(self) -> float:
        """Years since the end of warm-up at the start of the current step."""
        return (self.steps - 1 - self.config.warmup_steps) / WEEKS_PER_YEAR

    # ------------------------------------------------------------------ agents
    def developers(self) -> list[NetworkDeveloper]:
        group = self.agents_by_type.get(NetworkDeveloper)
        return [] if group is None else list(group)

    def _staff_developers(self, year: float) -> None:
        """Hire developers when funding starts, let them go when it ends."""
        current = self.developers()
        funded = interventions.developers_funded(self.config, year)
        if funded and not current:
            for hours, served, start in interventions.developer_posts(self.config, self.pop.table.names):
                NetworkDeveloper(self, hours=hours, served=served, start=start)
        elif not funded and current:
            for dev in current:
                dev.leave()

    # ------------------------------------------------------------------ schedule
    def _demography(self, rng: np.random.Generator) -> None:
        pop = self.pop
        die, move = pop.leavers(rng)
        leave = np.unique(np.concatenate([die, move, self._admitted]))
        self._admitted = np.zeros(0, dtype=np.int64)
        self.ties.remove_all_of(leave)
        for i in leave.tolist():
            self.volunteers.stop(i)
            self.citizen_of[i].remove()
            self.citizen_of[i] = Citizen(self, i)
        # movers keep their household label so the new household moves in together
        moving = np.zeros(pop.n, dtype=bool)
        moving[move] = True
        together = np.where(moving[leave], pop.household[leave], -1 - np.arange(len(leave)))
        join, anchors = self._households_left_behind(leave)
        pop.reset_slots(leave, rng, step=self.steps, together=together, join=join)
        formation.household_ties(pop, self.ties, np.concatenate([leave, anchors]), self.config.ties)
        formation.kin_ties(pop, self.ties, leave, self.config.ties, rng)
        self.needs.seed_prevalence(leave, rng)  # newcomers bring the district's usual need profile
        self.status.forget(leave)
        self.staff.forget(leave)
        self.trust.forget_residents(leave)
        self.pathways.forget(leave)
        self.care.clear(leave)
        self.carers.arrive(leave, rng)
        self.brokering.clear(leave)
        self.coops.clear(leave)
        self.families.clear(leave)
        if len(leave):
            self.foci.dirty = True
        pop.age += 1.0 / WEEKS_PER_YEAR

    def _households_left_behind(self, leave: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per leaver: the household a newcomer in their place joins (-1: none), and one staying
        member of each such household (to tie the newcomer in). With ``residents.keep_household_mix``
        the homes keep their households' sizes: a newcomer fills the place of a resident who died,
        was admitted or moved on alone in the household left behind."""
        pop = self.pop
        if not self.config.residents.keep_household_mix or len(leave) == 0:
            return np.full(len(leave), -1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        staying = np.ones(pop.n, dtype=bool)
        staying[leave] = False
        kept = np.zeros(int(pop.household.max()) + 1, dtype=bool)
        kept[pop.household[staying]] = True
        join = np.where(kept[pop.household[leave]], pop.household[leave], -1)
        wanted = np.zeros_like(kept)
        wanted[join[join >= 0]] = True
        members = np.flatnonzero(staying & wanted[pop.household])
        _, first = np.unique(pop.household[members], return_index=True)
        return join, members[first]

    def step(self) -> None:
        cfg, rng, pop = self.config, self.rng, self.pop
        if self.steps == cfg.warmup_steps + 1:
            self.needs.derive_onset()  # loneliness has settled: chronic onsets from their prevalence again
        self.trust.reset_counts()
        self.collaboration.reset_counts()
        self.pathways.new_week()
        self._staff_developers(self.year)
        self._turnover(rng)
        self._demography(rng)
        self.contact.step(rng, facilitated=bool(self.developers()))
        P = pop.table
        meetings = P.column("meetings_per_week") * self.meeting_factor * self.coops.meeting_factor()
        formation.focus_meetings(pop, self.ties, self.foci, meetings, cfg, rng)
        formation.friends_of_friends(pop, self.ties, P.column("friend_of_friend_per_week"), cfg, rng)

        # developers and volunteer matching act on what was known at the end of last week
        self.noticing.reset()
        self.status.reset_vulnerable()
        self.noticing.detected |= self.carers.alerts  # last week's carer breakdowns come to notice
        devs = self.agents_by_type.get(NetworkDeveloper)
        if devs is not None and len(devs):
            devs.shuffle_do("step")
        volunteering.recruit(cfg, pop, self.needs, self.volunteers, rng)
        volunteering.match(cfg, pop, self.ties, self.view, self.status, self.volunteers, self.brokering, self.steps, rng)
        self.brokering.drop_out(self.ties, rng)
        self._refresh_step_views()
        self._cooperatives()

        loneliness.update(cfg, pop, self.view, self.needs.serious(), rng)
        self.needs.onset(rng)

        hours, subst = self.needs.hours(), self.needs.substitutable()
        active = self.volunteers.active
        flow = informal_care.week(cfg, self.carers, pop, self.needs, self.view, active, self.steps, rng)
        self.care_flow = flow
        inf_cover = flow.share_met[None, :] * subst
        unmet_hours = (hours * (1.0 - inf_cover)).sum(axis=0)
        unmet = self.needs.unmet(unmet_hours)
        self.noticing.prepare(self.needs, unmet, self.trust.gp_detection_factor())
        professionals = self.agents_by_type[Professional]
        self.collaboration.draw_meetings(rng)
        self.staff.dementia_week(self.needs, self.care.level, self.care.waiting)
        # GPs see patients; care roles offer hours; case managers follow; meetings (as ``do("step")``)
        referrals = Professional.week(professionals)
        strong = self.view.count_at_least(cfg.ties.durable_strength)
        self.noticing.network_signals(unmet, strong, rng)
        self.trust.week_contacts(unmet, self.noticing.gp_visits_made, self.view, rng)
        care, paths = self.care, self.pathways
        before = care.level.copy()
        care.step(self.steps, self.needs, unmet_hours, self.noticing.detected, rng,
                  shyness=self.trust.demand_shyness(), handover=self.collaboration.handover)
        care.wait_for_professional(self.staff.assign(care.level), self.steps)  # caseloads: over every limit, clients wait
        paths.after_care(self.steps, before, care.level, care.waiting, care.first_level, self.needs, rng)
        self.collaboration.shared_clients(self.noticing.gp_visits_made, paths.early_helper, paths.coordinator)
        self.trust.week_end()
        self.collaboration.week_end()
        cover = paths.adjust_cover(care.cover(self.needs, inf_cover), care.level, care.waiting, self.needs,
                                   self.collaboration.strength_to(self.staff.flex & self.staff.present))
        self.needs.update(cover, flow.share_met, active, rng, paths.escalation_factor(self.steps, self.needs))
        paths.count_relapses(self.steps, self.needs.escalations)
        leading = self.needs.leading_kind()
        followed = np.where(self.staff.case_manager >= 0, cfg.professionals.case_management_admission_factor, 1.0)
        self._admitted = self.coops.house(self.needs.resolve_crises(rng, followed), leading == NEED_KIND["dementia"], self.steps)
        self.ledger.admit(pop.district[self._admitted], np.maximum(leading[self._admitted], 0))

        volunteering.stop(cfg, pop, self.volunteers, self.carers.overloaded(), rng)
        self.families.step(self.view, self.needs, self.noticing.key_facility)
        self.families.wait(self.staff.assign_youth(self.families.care > families.NONE))  # no youth worker with room: wait
        self._record(flow, unmet, referrals, (hours * (1.0 - cover)).sum(axis=0))

    def _cooperatives(self) -> None:
        """Care cooperatives form, grow and fade on today's ties; their members volunteer and their
        carers get respite (abm.core.cooperatives)."""
        cfg, pop, needs = self.config, self.pop, self.needs
        able = volunteering.able(cfg, pop, needs)
        strong = self.view.at_least(cfg.ties.durable_strength)
        self.coops.step(self.view, strong, able, self.volunteers.active, self.carers.overloaded(), self.steps)
        for i in self.coops.recruits(able & ~self.volunteers.active).tolist():
            self.volunteers.start(i)
        self.carers.extra_respite = self.coops.respite()

    def _refresh_step_views(self) -> None:
        """Live ties and the vital/vulnerable status, as of now."""
        self.view = self.ties.view()
        self.view.strength_sums(self.config.ties.durable_strength)  # read by cooperatives, loneliness and the signals
        self.status.refresh(self.view)

    def _record(self, flow, unmet: np.ndarray, referrals: int, unmet_after_care: np.ndarray) -> None:
        """This week's district rows. ``unmet`` (n,) bool: needs not met informally;
        ``unmet_after_care`` (n,) hours a week still unmet after formal care."""
        pop, needs, care, cfg = self.pop, self.needs, self.care, self.config
        D = pop.n_districts
        dev_hours = np.zeros(D)
        for dev in self.developers():
            dev_hours[dev.district] += dev.hours
        active = self.volunteers.active
        cost = outputs.intervention_cost(cfg, pop, dev_hours, active, self.noticing.key_facility, referrals)
        cost = cost + self.coops.cost()
        # demand vs service, the cost ledger and wellbeing (abm.core.demand, costs, wellbeing)
        required, leading = needs.level_and_kind()
        ledger = demand.counts(pop.district, D, required, care.level, care.waiting, unmet)
        ledger.update(self.coops.counts())
        youth = self.families.counts()
        ledger.update(youth)
        ledger.update(self.ledger.week(pop.district, self.pathways.priced_level(care.level), leading, needs.crises,
                                       self.noticing.gp_visits_made, flow.received, cost))
        for payer in ("cost_municipality", "societal_cost"):  # youth care is the municipality's (Jeugdwet)
            ledger[payer] = ledger[payer] + youth["youth_care_cost"]
        dementia = np.where(needs.kind[INDIVIDUAL] == NEED_KIND["dementia"], needs.sev[INDIVIDUAL], 0)
        ledger.update(self.wellbeing.week(
            pop.district, D, pop.lonely() & (pop.age >= cfg.demography.adult_age), needs.sev[SOCIAL] > 0, dementia,
            self.carers.overloaded(), needs.any_need() & needs.unmet(unmet_after_care), self.ledger.stock))
        week = Week(cfg, pop, self.ties, self.view, needs, care, self.staff, self.trust, self.collaboration, self.pathways,
                    self.status, flow, self.carers,
                    active, self.noticing.detected & unmet, dev_hours, cost,
                    self.clustering.measure(self.steps, self.ties), ledger)
        self.recorder.add(self.steps, week)

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
        """The model-level table (columns: ``abm.core.columns.COLUMNS``)."""
        return self.recorder.frame(self.config.warmup_steps, self.config.output.write_warmup)

    def network(self, district: str | None = None) -> nx.Graph:
        """A copy of the social graph (optionally one district) with tie attributes filled in."""
        if district is None:
            return self.ties.snapshot()
        d = self.pop.table.names.index(district)
        lo = self.pop.district_start[d]
        return self.ties.snapshot(range(lo, lo + self.pop.district_sizes[d]))

    def support_network(self) -> nx.Graph:
        """The professionals and the residents tied to them: professional nodes ``("professional", slot)``
        (attributes ``role``, ``district``, ``hours``), resident nodes numbered as in ``network()``;
        edges with ``kind`` "trust" (resident-professional) or "collaboration" (between professionals)
        and ``strength``."""
        g = nx.Graph()
        staff = self.staff
        for slot in staff.slots().tolist():
            g.add_node(("professional", slot), role=staff.agents[slot].role, district=int(staff.district[slot]),
                       hours=float(staff.hours[slot]))
        res, slot, strength = self.trust.edges()
        g.add_edges_from((int(r), ("professional", int(p)), {"kind": "trust", "strength": float(s)})
                         for r, p, s in zip(res.tolist(), slot.tolist(), strength.tolist()))
        g.add_edges_from((("professional", a), ("professional", b), {"kind": "collaboration", "strength": s})
                         for a, b, s in self.collaboration.graph.edges(data="strength"))
        return g

