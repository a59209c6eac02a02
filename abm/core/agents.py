"""The four agent kinds of docs/spec/MODEL.md §4 as mesa agents.

Citizens are many (tens of thousands), so their weekly behaviour runs vectorised in the model over
the state arrays of ``abm.core.population``; a ``Citizen`` agent is the mesa face of one slot and reads
its state from those arrays. Volunteers are role agents tied to a citizen: they exist exactly as
long as the role does, so ``model.agents_by_type[Volunteer]`` counts them at every step. Network
developers act one by one in Python (there are few). Professionals are individuals with a role, a
district, weekly hours and a caseload (``abm.core.staff`` keeps their posts as arrays); their hours
give the formal services their capacity.
"""

from __future__ import annotations

import mesa
import numpy as np

from abm.config import LEVELS
from abm.config.professionals import ROLE_LEVEL, ROLES
from abm.config.units import WEEKS_PER_YEAR
from abm.core import formation
from abm.core.levels import LEVEL
from abm.core.needs import TRACKS
from abm.core.staff import ROLE

ROLE_CODE = ROLES.index("network_developer")  # the developers' row in the trust arrays
OFFERING = [ROLE[r] for r in ("generalist", "district_nurse", "specialist")]  # roles offering hours to a pool
ROLE_LEVEL_CODE = np.array([LEVEL[ROLE_LEVEL[r]] if ROLE_LEVEL.get(r) else -1 for r in ROLES])  # by role code


class Citizen(mesa.Agent):
    """A resident. ``index`` is their slot: their node in the social graph and row in the arrays."""

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def district(self) -> str:
        return self.model.pop.table.names[self.model.pop.district[self.index]]

    @property
    def age(self) -> float:
        return float(self.model.pop.age[self.index])

    @property
    def loneliness(self) -> float:
        """De Jong Gierveld-like score, 0-11 (lonely from 3, severely from 9)."""
        return float(self.model.pop.loneliness[self.index])

    @property
    def needs(self) -> dict[str, int]:
        """Severity per need track (0 = none)."""
        return {t: int(self.model.needs.sev[i, self.index]) for i, t in enumerate(TRACKS)}

    @property
    def formal_level(self) -> str:
        return LEVELS[self.model.care.level[self.index]]

    @property
    def ties(self) -> int:
        return int(self.model.ties.degree[self.index])

    @property
    def is_volunteer(self) -> bool:
        return bool(self.model.volunteers.active[self.index])


class Volunteer(mesa.Agent):
    """A volunteer role (buddy, odd jobs, coffee mornings, care cooperative) held by a citizen."""

    def __init__(self, model: mesa.Model, citizen: int):
        super().__init__(model)
        self.citizen = citizen  # the resident's slot


class Professional(mesa.Agent):
    """A professional of docs/spec/MODEL.md §4 (issue 16): a GP, a wijkteam generalist, a district nurse,
    a specialist (flex team), a dementia case manager or a youth and family worker, with a role, a district, weekly hours, the
    need kinds they handle and a caseload. Their post lives in ``model.staff`` (slot ``slot``).

    Each week (``step``) every professional acts in their role (``_act_<role>``):
    - GP: consultation hours for their patient list: visits, noticing unmet needs, referring lonely
      patients to an activity when GP referral is on (``noticing.Noticing.gp_visits``);
    - generalist, district nurse, specialist: put their hours at formal care's disposal; the sum of a
      pool's professionals' hours is its capacity (``support.FormalCare.offer``); a specialist in the
      flex team gives them to early help instead (``pathways.Pathways.offer_flex``);
    - dementia case manager: follows residents with dementia known to formal care as far as their
      hours allow, from their own district first (``staff.Staff.follow_dementia``);
    - youth and family worker: gives their hours to youth care; their sum is its capacity
      (``families.Families.offer``), and each youth care client is on one worker's caseload.
    """

    def __init__(self, model: mesa.Model, role: str, district: int, hours_per_week: float, pool: int = -1,
                 flex: bool = False):
        if not hasattr(type(self), f"_act_{role}"):  # before registering with the model
            raise ValueError(f"role {role!r} has no behaviour; roles: {[r for r in ROLES if hasattr(type(self), f'_act_{r}')]}")
        super().__init__(model)
        self.role = role
        self.level = ROLE_LEVEL[role]  # formal level the professional provides (None: no care slots)
        self.slot = model.staff.add(self, role, district, hours_per_week, pool, flex)
        self.flex = flex    # specialist in the flex team
        self.referrals = 0  # GP: referrals to an activity this week
        self.acted = -1     # step in which they last acted
        self._act = f"_act_{role}"

    @property
    def district(self) -> int:
        """Home district (-1: municipality-wide)."""
        return int(self.model.staff.district[self.slot])

    @property
    def hours_per_week(self) -> float:
        return float(self.model.staff.hours[self.slot])

    @hours_per_week.setter
    def hours_per_week(self, hours: float) -> None:
        self.model.staff.hours[self.slot] = hours

    @property
    def handles(self) -> list[str]:
        """Need kinds this role can handle (``professionals.roles.<role>.handles``)."""
        return self.model.config.professionals.roles[self.role].handles

    @property
    def caseload_limit(self) -> float:
        """Clients they can take at their hours (infinite for a GP or network developer; ``staff.Staff.limit``)."""
        return float(self.model.staff.limit()[self.slot])

    @property
    def caseload(self) -> np.ndarray:
        """Residents they serve now (slots): clients, followed residents, or (a GP) patients seen this week."""
        return self.model.staff.caseload(self.slot, self.model.noticing.gp_visits_made)

    def step(self) -> None:
        getattr(self, self._act)()
        self.model.collaboration.meeting(self.slot, self.model.rng)  # a joint meeting, some weeks
        self.acted = self.model.steps

    @staticmethod
    def week(professionals) -> int:
        """Every professional of ``professionals`` (an AgentSet) acts, with the outcome and the random
        draws of ``professionals.do("step")``, batched: only GPs' visits and joint meetings draw, so the
        meetings between two GPs are drawn at once; case managers follow in turn and the care roles'
        hours are offered in their order (nothing else they do reads what another changes). A
        professional whose act is their own (set on the agent) acts in their turn, as a GP does.
        Returns the referrals this week."""
        agents = list(professionals)
        if not agents:
            return 0
        m = agents[0].model
        st, rng = m.staff, m.rng
        idx = np.fromiter((a.slot for a in agents), dtype=np.int64, count=len(agents))
        role = st.role[idx]
        own = role == ROLE["gp"]
        own[[k for k, a in enumerate(agents) if a._act in a.__dict__]] = True
        meets = np.concatenate([[0], np.cumsum(m.collaboration.meets(idx))])  # meetings among the first k
        draws, start, referrals = [], 0, 0
        for k in np.flatnonzero(own).tolist():
            draws.append(rng.random(meets[k] - meets[start]))  # the meetings of those before this one
            getattr(agents[k], agents[k]._act)()
            referrals += agents[k].referrals
            start = k  # their own meeting follows their act
        draws.append(rng.random(meets[-1] - meets[start]))
        m.collaboration.meetings(idx, np.concatenate(draws))
        for slot in idx[~own & (role == ROLE["dementia_case_manager"])].tolist():
            st.follow_dementia(slot)
        hours, flex = st.hours[idx], st.flex[idx]
        offers = ~own & np.isin(role, OFFERING) & ~flex
        m.care.offer_all(ROLE_LEVEL_CODE[role[offers]], np.maximum(st.pool[idx[offers]], -1), hours[offers])
        for h in hours[~own & flex & (role == ROLE["specialist"])].tolist():
            m.pathways.offer_flex(h)
        for h in hours[~own & (role == ROLE["youth_worker"])].tolist():
            m.families.offer(h)
        for agent in agents:
            agent.acted = m.steps
        return referrals

    def _act_gp(self) -> None:
        m = self.model
        self.referrals = m.noticing.gp_visits(m.staff.patients(self.slot), m.foci, m.rng)

    def _offer(self) -> None:
        m = self.model
        pool = int(m.staff.pool[self.slot])
        m.care.offer(self.level, None if pool < 0 else pool, self.hours_per_week)

    _act_generalist = _act_district_nurse = _offer

    def _act_specialist(self) -> None:
        """Intensive help from the pool, or (in the flex team) early short help (``pathways``)."""
        m = self.model
        if m.staff.flex[self.slot]:
            m.pathways.offer_flex(self.hours_per_week)
        else:
            self._offer()

    def _act_youth_worker(self) -> None:
        """Youth and family worker: gives their hours to youth care (``families.Families.offer``)."""
        self.model.families.offer(self.hours_per_week)

    def _act_dementia_case_manager(self) -> None:
        m = self.model
        m.staff.follow_dementia(self.slot)

    def leave(self, forget: bool = True) -> None:
        """Leaves the job: the post is gone from the registry with all their ties (``model.staff``;
        ``forget=False``: the ties to residents go in a later ``Staff.forget_posts``)."""
        self.model.staff.remove(self.slot, forget)
        self.remove()


class NetworkDeveloper(mesa.Agent):
    """An "Even Buurten" network developer (sociale netwerkontwikkelaar), source §5.2 and §6.5.

    Each week: follows up brokered ties until they are durable and then lets go, and spends the
    remaining hours approaching vulnerable residents of the district. An approach comes about when
    the resident knows the developer (a trust tie, ``abm.core.trust``) or has a close tie to someone
    who does (word of mouth); a stranger's only with chance ``cold_contact``. So contacts get going
    as the developer becomes known, which takes time (source §6.5: it can take a few years), and
    start again from nothing when a newcomer takes the post or the developer moves on. A contact
    eases demand and supply shyness as far as the resident trusts the developer, brokers a tie to a
    vital resident (who meets the developer too), recruits volunteers and passes on needs the
    developer notices (early detection).
    """

    role = "network_developer"  # a professional role (``professionals.roles``)

    def __init__(self, model: mesa.Model, hours: float, served: list[int], start: int):
        super().__init__(model)
        self.hours = hours
        self.served = served
        self.district = served[start % len(served)]
        self.slot = model.staff.add(self, "network_developer", self.district, hours)  # a professional's post
        self.arrived = model.steps
        self.follow_up: list[int] = []  # tie ids being facilitated

    @property
    def params(self):
        return self.model.config.interventions.network_developers

    def step(self) -> None:
        m, p = self.model, self.params
        rng = m.rng
        d = self.district
        hours = self.hours

        # follow up brokered ties; let go when durable (skill: how well that moment is judged)
        keep = []
        for eid in self.follow_up:
            if not m.ties.alive[eid]:
                continue
            judged = m.config.ties.durable_strength * (p.letting_go_skill + (1 - p.letting_go_skill) * rng.uniform(*p.judgement_range))
            if m.ties.strength[eid] >= judged or hours < p.follow_up_hours_per_tie:
                m.ties.facilitated[eid] = False
                continue
            m.ties.facilitated[eid] = True
            hours -= p.follow_up_hours_per_tie
            keep.append(eid)
        self.follow_up = keep

        n_contacts = int(rng.poisson(max(hours, 0.0) * p.contacts_per_hour))
        vulnerable = m.status.vulnerable_in(d)
        warm = self.warm() if n_contacts and len(vulnerable) else None
        local = None  # the district's generalists (nobody joins or leaves while the developer acts)
        for _ in range(min(n_contacts, len(vulnerable))):
            person = int(vulnerable[rng.integers(len(vulnerable))])
            if not warm[person] and rng.random() >= p.cold_contact:
                continue  # a stranger: the approach does not come about
            if not m.brokering.approachable(person, m.steps):
                continue  # refused a visit recently
            if not m.brokering.accept_one(person, m.steps, rng):
                continue  # declines the visit (Voor Mekaar: about a quarter accept)
            trust = self._get_known(person)
            m.pop.demand_shyness[person] *= 1.0 - p.shyness_reduction * trust
            m.pop.supply_shyness[person] *= 1.0 - p.shyness_reduction * trust
            local = m.staff.slots_in("generalist", d) if local is None else local
            self._introduce_generalist(person, local)
            if rng.random() < p.detection:
                m.noticing.detected[person] = True
            partner = m.status.vital_partner_for(person, rng)
            if partner < 0:
                continue
            m.pop.supply_shyness[partner] *= 1.0 - p.shyness_reduction * self._get_known(partner)
            eid = formation.broker(m.pop, m.ties, person, partner, m.config, rng)
            if eid >= 0 and not m.brokering.clicks(rng):
                m.ties.remove(eid)  # the introduction did not click
                eid = -1
            if eid >= 0:
                m.ties.facilitated[eid] = True
                self.follow_up.append(eid)
            if rng.random() < p.volunteer_recruitment:
                m.volunteers.start(partner)
        self._maybe_rotate()

    def knows(self) -> np.ndarray:
        """(n,) bool: residents with a trust tie to this developer."""
        return self.model.trust.prof[ROLE_CODE] == self.slot

    def warm(self) -> np.ndarray:
        """(n,) bool: residents who know this developer or have a durable tie to someone who does."""
        m = self.model
        known = self.knows()
        strong = m.view.at_least(m.config.ties.durable_strength)
        return known | m.view.linked(strong, known)

    def _get_known(self, person: int) -> float:
        """A contact builds (or renews) the resident's trust tie with the developer; returns its strength."""
        m = self.model
        m.trust.meet(np.array([person]), np.array([self.slot]))
        return float(m.trust.strength[ROLE_CODE, person])

    def _introduce_generalist(self, person: int, local: np.ndarray) -> None:
        """The developer may introduce the local generalist (one of ``local``; a trust contact)."""
        m = self.model
        if len(local) and m.rng.random() < m.config.professionals.trust.introduction:
            m.trust.meet(np.array([person]), local[m.rng.integers(len(local), size=1)])

    def _maybe_rotate(self) -> None:
        rot = self.params.rotation
        if rot.rule == "stay" or len(self.served) < 2:
            return
        years_here = (self.model.steps - self.arrived) / WEEKS_PER_YEAR
        formed = (
            rot.rule == "when_formed"
            and years_here >= rot.min_years
            and self.model.status.vulnerable_tie_share(self.district) >= rot.target_share
        )
        if formed or years_here >= rot.years:
            self.let_go_all()
            here = self.served.index(self.district)
            self.district = self.served[(here + 1) % len(self.served)]
            self.model.staff.district[self.slot] = self.district
            self.arrived = self.model.steps

    def leave(self, forget: bool = True) -> None:
        """Funding ends: lets go of the ties they follow up and leaves (the post and its ties are gone;
        ``forget=False``: the ties to residents go in a later ``Staff.forget_posts``)."""
        self.let_go_all()
        self.model.staff.remove(self.slot, forget)
        self.remove()

    def let_go_all(self) -> None:
        for eid in self.follow_up:
            self.model.ties.facilitated[eid] = False
        self.follow_up = []

