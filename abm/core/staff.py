"""The professionals present (docs/spec/MODEL.md §4; issue 16): who they are, whom they serve, who leaves.

A registry of professionals as arrays indexed by *slot* (one slot per professional ever employed;
a newcomer gets a new slot, so a departed professional's ties cannot pass to their successor).
Each ``agents.Professional`` is the mesa face of one slot. Per slot: role, district (-1: the whole
municipality), weekly hours, organisation and whether they are present.

- Staffing: the hours the budget pays for per formal level and pool (``support.FormalCare.planned_hours``)
  are shared by as many professionals of the level's role as their contract hours need; formal
  capacity is then the sum of the present professionals' hours (they offer them each week).
- GPs hold a patient list (``patients_per_gp``); dementia case managers follow dementia clients
  (``case_manager_clients`` per hour); network developers register while they are funded.
- Caseload: each formal client is served by one professional of their level's pool. A professional
  takes clients up to their caseload limit (their hours over ``capacity.hours_per_client`` of their
  level, rounded up, so the limits add up to at least the pool's slots; a dementia case manager
  ``case_manager_clients`` per hour). Each week clients whose level changed or whose professional
  left get one: a professional based in their own district with room, least loaded first; when
  those are at their limit, a colleague of the pool elsewhere (``overflow``); when every one is at
  their limit, the client waits (``unplaced``, returned to formal care's waiting list).
- Turnover: each week professionals leave at ``turnover_per_year`` (network developers at their own
  rate); a newcomer with the same post (role, district, hours, organisation) takes over the caseload
  without any of the ties.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from abm.config import Config
from abm.config.professionals import ROLE_LEVEL, ROLES
from abm.config.units import TOLERANCE
from abm.core.levels import LEVEL, NONE
from abm.core.needs import INDIVIDUAL, NEED_KIND, Needs
from abm.core.population import Population, weekly

ROLE = {name: code for code, name in enumerate(ROLES)}
# role that staffs each formal level's pools
ROLE_OF_LEVEL = {LEVEL[level]: ROLE[role] for role, level in ROLE_LEVEL.items() if level is not None}
STAFFED = np.isin(np.arange(len(LEVEL)), list(ROLE_OF_LEVEL))  # by level code: a role staffs it


class Staff:
    """Professionals by slot, residents' professionals (caseloads, GP lists) and turnover."""

    GROWTH = 32  # slots added at a time to arrays sized by slot (storage)

    def __init__(self, config: Config, pop: Population):
        self.config, self.pop = config, pop
        self.params = config.professionals
        self.role = np.zeros(0, dtype=np.int8)
        self.district = np.zeros(0, dtype=np.int32)  # -1: municipality-wide
        self.pool = np.zeros(0, dtype=np.int32)      # capacity pool (district, or -1 municipal); -1 for roles without slots
        self.hours = np.zeros(0)
        self.org = np.zeros(0, dtype=np.int32)
        self.present = np.zeros(0, dtype=bool)
        self.flex = np.zeros(0, dtype=bool)          # specialist working in the flex team
        self.agents: list = []                       # slot -> agent (None once gone)
        n = pop.n
        self.case = np.full(n, -1, dtype=np.int32)        # professional serving the resident's formal level
        self.case_level = np.zeros(n, dtype=np.int8)      # level they serve it at
        self.gp = np.full(n, -1, dtype=np.int32)          # the resident's GP
        self.case_manager = np.full(n, -1, dtype=np.int32)  # dementia case manager following them
        self.youth_worker = np.full(n, -1, dtype=np.int32)  # youth and family worker giving them youth care
        # this week's dementia clients and followed residents (``dementia_week``)
        self._dementia, self._known_dementia, self._followed = np.zeros(n, dtype=bool), np.zeros(0, np.int64), np.zeros(0, np.int64)
        self.lists: dict[int, slice] = {}                   # GP slot -> their patient list (a block of slots)
        self.overflow = np.zeros(n, dtype=bool)             # assigned this week to a colleague outside their district (local ones full)
        self.waits = np.zeros(n, dtype=bool)                # no professional of the pool had room this week: waits
        self.on_join: list = []   # callables(slot) told of a new professional
        self.on_leave: list = []  # callables(slot) told of a leaving one (their ties to colleagues go)
        self.on_forget: list = []  # callables(slots) told of leavers (int array): their ties to residents go
        self._per_hour, self._rounds_up = self._limit_tables()

    def _limit_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """Per role (``ROLES``): clients per contract hour, and whether the limit rounds up (a care role)."""
        hpc = self.config.capacity.hours_per_client
        per_hour = np.full(len(ROLES), np.inf)
        for role, level in ROLE_LEVEL.items():
            if level is not None:
                per_hour[ROLE[role]] = 1.0 / hpc[level]
        per_hour[ROLE["dementia_case_manager"]] = self.params.case_manager_clients
        youth = self.config.youth
        per_hour[ROLE["youth_worker"]] = sum(youth.slots_per_1000().values()) / max(youth.worker_hours_per_1000(), TOLERANCE)
        return per_hour, np.isin(np.arange(len(ROLES)), [*ROLE_OF_LEVEL.values(), ROLE["youth_worker"]])

    # ------------------------------------------------------------------ registry
    def add(self, agent, role: str, district: int, hours: float, pool: int = -1, flex: bool = False) -> int:
        """Register ``agent`` in a new slot; returns the slot."""
        slot = len(self.role)
        organisation = district if self.params.organisations == "one_local" and district >= 0 else -1 - ROLE[role]
        self.role = np.append(self.role, np.int8(ROLE[role]))
        self.district = np.append(self.district, np.int32(district))
        self.pool = np.append(self.pool, np.int32(pool))
        self.hours = np.append(self.hours, float(hours))
        self.org = np.append(self.org, np.int32(organisation))
        self.present = np.append(self.present, True)
        self.flex = np.append(self.flex, flex)
        self.agents.append(agent)
        for hook in self.on_join:
            hook(slot)
        return slot

    def remove(self, slot: int, forget: bool = True) -> None:
        """The professional in ``slot`` is gone: they serve, follow and treat no one any more.
        ``forget=False``: the residents are let go later in one ``forget_posts`` with other leavers'
        (the same outcome: a slot is never reused)."""
        for hook in self.on_leave:
            hook(slot)
        self.present[slot] = False
        self.agents[slot] = None
        if forget:
            self.forget_posts(np.array([slot]))

    def forget_posts(self, slots: np.ndarray) -> None:
        """Professionals ``slots`` have left: no resident is served, followed or treated by them, and
        their ties to residents are gone (one pass over the residents for all of them)."""
        if len(slots) == 0:
            return
        gone = self.marks(slots)
        for ref in self.refs():
            ref[gone[ref + 1]] = -1
        for slot in slots.tolist():
            self.lists.pop(slot, None)
        for hook in self.on_forget:
            hook(slots)

    def marks(self, slots: np.ndarray) -> np.ndarray:
        """(slots + 1,) bool by slot + 1 (index 0: no professional, -1): True for ``slots``; index it
        with a slot array + 1."""
        out = np.zeros(len(self.role) + 1, dtype=bool)
        out[np.asarray(slots) + 1] = True
        return out

    def forget(self, residents: np.ndarray) -> None:
        """Residents who left: no one serves or follows them (newcomers keep the slot's GP)."""
        self.case[residents] = -1
        self.case_level[residents] = NONE
        self.case_manager[residents] = -1
        self.youth_worker[residents] = -1

    def hand_over(self, old: np.ndarray, new: np.ndarray) -> None:
        """Newcomers ``new`` take over the posts of ``old`` (slots, pairwise; ``new`` never among
        ``old``): their clients, patients and followed residents (one pass over the residents)."""
        if len(old) == 0:
            return
        to = np.arange(-1, len(self.role), dtype=np.int32)  # by slot + 1: the slot serving now
        to[np.asarray(old) + 1] = new
        for ref in self.refs():
            ref[:] = to[ref + 1]
        for o, n in zip(np.asarray(old).tolist(), np.asarray(new).tolist()):
            if o in self.lists:
                self.lists[n] = self.lists.pop(o)

    def refs(self) -> tuple[np.ndarray, ...]:
        """(n,) arrays of the professional (slot, -1: none) serving each resident, one per kind of service."""
        return self.case, self.gp, self.case_manager, self.youth_worker

    def slots(self, role: str | None = None) -> np.ndarray:
        """Present professionals' slots (of one role)."""
        keep = self.present if role is None else self.present & (self.role == ROLE[role])
        return np.flatnonzero(keep)

    def slots_in(self, role: str, district: int) -> np.ndarray:
        """Present professionals of ``role`` based in ``district``."""
        return np.flatnonzero(self.present & (self.role == ROLE[role]) & (self.district == district))

    def count(self) -> np.ndarray:
        """(districts,) present professionals by home district."""
        return np.bincount(self.district[self.present], minlength=self.pop.n_districts)

    def hours_by_district(self) -> np.ndarray:
        """(districts,) contract hours a week of the present professionals, by home district."""
        return np.bincount(self.district[self.present], weights=self.hours[self.present], minlength=self.pop.n_districts)

    # ------------------------------------------------------------------ staffing
    def posts(self, planned: dict[tuple[int, int], float], youth_hours: float = 0.0) -> list[tuple[str, int, float, int]]:
        """The posts as (role, district, hours, pool): the planned hours of each (level, pool) shared by
        as many professionals as the role's contract hours need (each works hours / count); GPs by list
        size; dementia case managers and youth and family workers (``youth_hours`` a week) for the
        municipality. Municipal professionals are spread over the districts by population (they serve
        all, from a district)."""
        p, pop = self.params, self.pop
        out = []
        for d in range(pop.n_districts):
            gps = max(1, round(pop.district_sizes[d] / p.patients_per_gp))
            out += [("gp", d, p.roles["gp"].hours_per_week, -1)] * gps
        for (level, pool), hours in sorted(planned.items()):
            role = ROLES[ROLE_OF_LEVEL[level]]
            k = math.ceil(hours / p.roles[role].hours_per_week - TOLERANCE)
            homes = [pool] * k if pool >= 0 else self._spread(k)
            out += [(role, home, hours / k, pool) for home in homes]
        cm_hours = p.case_manager_hours_per_1000 * pop.n / 1000
        k = math.ceil(cm_hours / p.roles["dementia_case_manager"].hours_per_week - TOLERANCE)
        out += [("dementia_case_manager", home, cm_hours / k, -1) for home in self._spread(k)]
        for role, hours in (("youth_worker", youth_hours),):
            k = math.ceil(hours / p.roles[role].hours_per_week - TOLERANCE)
            out += [(role, home, hours / k, -1) for home in self._spread(k)]
        return out

    def _spread(self, k: int) -> list[int]:
        """Home districts of ``k`` municipal professionals, proportional to population (largest remainder)."""
        pop = self.pop
        share = k * pop.district_sizes / pop.n
        whole = np.floor(share).astype(int)
        extra = np.argsort(-(share - whole), kind="stable")[: k - whole.sum()]
        whole[extra] += 1
        return np.repeat(np.arange(pop.n_districts), whole).tolist()

    def assign_patient_lists(self) -> None:
        """Each district's residents are split over its GPs in equal consecutive blocks."""
        pop = self.pop
        for d in range(pop.n_districts):
            gps = np.flatnonzero(self.present & (self.role == ROLE["gp"]) & (self.district == d))
            lo, n = pop.district_start[d], pop.district_sizes[d]
            edges = lo + np.arange(len(gps) + 1) * n // len(gps)
            for k, slot in enumerate(gps.tolist()):
                self.gp[edges[k]:edges[k + 1]] = slot
                self.lists[slot] = slice(int(edges[k]), int(edges[k + 1]))

    def form_flex_team(self) -> None:
        """A share (``flex_team.share``) of the specialists, spread over their home districts, work in
        the flex team (only when it is enabled)."""
        ft = self.params.flex_team
        specialists = self.slots("specialist")
        k = round(ft.share * len(specialists)) if ft.enabled else 0
        if k > 0:
            order = specialists[np.argsort(self.district[specialists], kind="stable")]
            self.flex[order[np.unique(np.linspace(0, len(order) - 1, k).round().astype(int))]] = True

    def patients(self, slot: int) -> slice:
        """A GP's patient list: a block of their district's resident slots."""
        return self.lists[slot]

    # ------------------------------------------------------------------ caseloads
    def limit(self) -> np.ndarray:
        """(slots,) caseload limit: clients a professional can take at their hours (care roles: hours /
        ``capacity.hours_per_client`` of their level, rounded up; flex specialists 0, their hours go to
        early help; dementia case managers: hours x ``case_manager_clients``, rounded down); infinite
        for roles without a caseload of clients (GPs hold a list; network developers work no caseload,
        seed 003 §6.5)."""
        cap = self.hours * self._per_hour[self.role]
        cap = np.where(self._rounds_up[self.role], np.ceil(cap - TOLERANCE), np.floor(cap + TOLERANCE))
        return np.where(self.flex, 0.0, cap)

    def load(self) -> np.ndarray:
        """Clients per slot (formal clients, residents followed by a case manager, youth care clients)."""
        return _load(len(self.role), self.case, self.case_manager, self.youth_worker)

    def assign(self, level: np.ndarray) -> np.ndarray:
        """Clients whose formal level changed (or whose professional left) get a professional of the
        level's pool with room under their caseload limit: one based in their own district, least
        loaded first, else a colleague elsewhere (counted in ``overflow``, (n,) bool). Returns the
        clients for whom no professional has room (they wait)."""
        pop = self.pop
        self.overflow = np.zeros(pop.n, dtype=bool)
        self.waits = np.zeros(pop.n, dtype=bool)
        staffed_level = STAFFED[level]
        changed = (level != self.case_level) | (staffed_level & ((self.case < 0) | ~self.present[np.maximum(self.case, 0)]))
        idx = np.flatnonzero(changed)
        self.case[idx] = -1
        self.case_level[idx] = level[idx]
        staffed = idx[staffed_level[idx]]
        if len(staffed) == 0:
            return staffed
        load, limit = self.load(), self.limit()
        room = np.where(np.isfinite(limit), np.maximum(limit - load, 0), 0).astype(np.int64)
        per_hour = load / np.maximum(self.hours, TOLERANCE)
        unplaced = []
        keys = level[staffed].astype(np.int64) * pop.n_districts + pop.district[staffed]
        for key in np.unique(keys):
            lvl, d = divmod(int(key), pop.n_districts)
            who = staffed[keys == key]
            team = self.present & ~self.flex & (self.role == ROLE_OF_LEVEL[lvl]) & ((self.pool == d) | (self.pool < 0))
            unplaced.append(self._serve(self.case, who, team, d, room, per_hour))
        unplaced = np.concatenate(unplaced)
        self.case_level[unplaced] = NONE  # the caller puts them back on the waiting list
        self.waits[unplaced] = True
        return unplaced

    def _serve(self, ref: np.ndarray, who: np.ndarray, team: np.ndarray, d: int, room: np.ndarray, per_hour: np.ndarray) -> np.ndarray:
        """Residents ``who`` of district ``d`` get a professional of ``team`` ((slots,) bool) in ``ref``:
        places of those based in ``d`` first (least loaded per hour first), then colleagues'
        (``overflow``); ``room`` (slots,) free places is used up. Returns those left without a place."""
        local = team & (self.district == d)
        places = [_places(group[np.argsort(per_hour[group], kind="stable")], room)
                  for group in (np.flatnonzero(local), np.flatnonzero(team & ~local))]
        served = np.concatenate(places)[: len(who)]
        ref[who[: len(served)]] = served
        np.subtract.at(room, served, 1)
        if local.any():
            self.overflow[who[len(places[0]): len(served)]] = True
        return who[len(served):]

    def assign_youth(self, in_care: np.ndarray) -> np.ndarray:
        """Youth care clients (``in_care`` (n,) bool) keep their youth and family worker or get one
        with room (own district first, then a colleague); returns those left without one (they wait).
        Residents out of care leave the caseload."""
        self.youth_worker[~in_care] = -1
        gone = (self.youth_worker >= 0) & ~self.present[np.maximum(self.youth_worker, 0)]
        self.youth_worker[gone] = -1
        need = np.flatnonzero(in_care & (self.youth_worker < 0))
        if len(need) == 0:
            return need
        load, limit = self.load(), self.limit()
        room = np.where(np.isfinite(limit), np.maximum(limit - load, 0), 0).astype(np.int64)
        per_hour = load / np.maximum(self.hours, TOLERANCE)
        team = self.present & (self.role == ROLE["youth_worker"])
        district = self.pop.district[need]
        unplaced = [self._serve(self.youth_worker, need[district == d], team, int(d), room, per_hour) for d in np.unique(district)]
        unplaced = np.concatenate(unplaced)
        self.waits[unplaced] = True
        return unplaced

    def caseload_use(self) -> tuple[np.ndarray, np.ndarray]:
        """(districts,) clients and caseload limits of the present care professionals with a caseload, by home district."""
        load, limit = self.load(), self.limit()
        with_cases = self.present & np.isfinite(limit) & (limit > 0)
        d = self.district[with_cases]
        D = self.pop.n_districts
        return np.bincount(d, weights=load[with_cases], minlength=D), np.bincount(d, weights=limit[with_cases], minlength=D)

    def dementia_week(self, needs: Needs, level: np.ndarray, waiting: np.ndarray) -> None:
        """Before the case managers act this week: who has dementia, who of them formal care knows
        (a client or waiting: ``level``, ``waiting`` (n,)) and who is followed. Neither changes while
        the professionals act, and each case manager changes only their own followed residents."""
        self._dementia = (needs.kind[INDIVIDUAL] == NEED_KIND["dementia"]) & (needs.sev[INDIVIDUAL] > 0)
        self._known_dementia = np.flatnonzero(self._dementia & self.known_to_care(level, waiting))
        self._followed = np.flatnonzero(self.case_manager >= 0)

    def follow_dementia(self, slot: int) -> None:
        """Dementia case manager ``slot`` lets go of followed residents who no longer have dementia and
        takes on unfollowed ones known to formal care, from their own district first, up to
        ``case_manager_clients`` per hour (after ``dementia_week``)."""
        pop = self.pop
        mine = self._followed[self.case_manager[self._followed] == slot]
        still = self._dementia[mine]
        self.case_manager[mine[~still]] = -1
        room = int(self.limit()[slot]) - int(np.count_nonzero(still))
        if room <= 0:
            return
        want = self._known_dementia[self.case_manager[self._known_dementia] < 0]
        order = np.argsort(pop.district[want] != self.district[slot], kind="stable")
        self.case_manager[want[order[:room]]] = slot

    def caseload(self, slot: int, seen: np.ndarray) -> np.ndarray:
        """Residents ``slot`` serves now: formal clients, followed residents, or (a GP) patients seen
        this week (``seen``: (n,) bool)."""
        if self.role[slot] == ROLE["gp"]:
            return np.flatnonzero((self.gp == slot) & seen)
        return np.flatnonzero((self.case == slot) | (self.case_manager == slot) | (self.youth_worker == slot))

    # ------------------------------------------------------------------ turnover
    def leavers(self, rng: np.random.Generator) -> np.ndarray:
        """Slots of professionals who leave this week: at ``turnover_per_year``, network developers at
        their own ``interventions.network_developers.turnover_per_year``."""
        developer = self.role == ROLE["network_developer"]
        rate = np.where(developer, self.config.interventions.network_developers.turnover_per_year, self.params.turnover_per_year)
        leave = self.present & (rng.random(len(self.role)) < weekly(rate))
        return np.flatnonzero(leave)

    def known_to_care(self, level: np.ndarray, waiting: np.ndarray) -> np.ndarray:
        """(n,) bool: residents formal care knows (a client or waiting)."""
        return (level > NONE) | (waiting > NONE)


def _places(slots: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Free caseload places of ``slots`` in turn: one place of each slot with room (in the given
    order), then a second of each with room left, and so on; ``room`` (all slots,) free places."""
    free = room[slots]
    layer = np.arange(free.max(initial=0))
    has = free[None, :] > layer[:, None]  # (layers, slots)
    return np.broadcast_to(slots, has.shape)[has]


@njit(cache=True)
def _load(slots, case, manager, youth):
    """(slots,) residents each slot serves in ``case``, ``manager`` and ``youth`` ((n,) slots, -1: none)."""
    out = np.zeros(slots, dtype=np.int64)
    for ref in (case, manager, youth):
        for x in ref:
            if x >= 0:
                out[x] += 1
    return out
