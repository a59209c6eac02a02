"""Tie formation: meeting through places and activities, friends of friends, homophily, degree cap.

Follows the network-formation models of docs/spec/MODEL.md §10: residents meet in foci (their street, their
activity; Toivonen et al. 2009), through mutual friends (triadic closure; Jin, Girvan & Newman 2001;
Davidsen, Ebel & Bornholdt 2002), accept a tie more readily with someone of their own group and age
(homophily), and less as their degree nears a cap. Meeting someone one already knows renews the tie.
The mixing of established residents and newcomers (forensendorp vs storp, docs/spec/MODEL.md §3) is the
``group_mixing`` parameter of this one mechanism.
"""

from __future__ import annotations

import numpy as np

from abm.config import Config, TieParams
from abm.config.units import WEEKS_PER_YEAR
from abm.core.population import Population, bounded
from abm.core.ties import TIE_KIND, Ties


class Foci:
    """Index of residents by focus (streets, then activities) for O(1) random co-member draws."""

    def __init__(self, pop: Population):
        self.pop = pop
        self.refresh()

    def refresh(self) -> None:
        """Members of each focus in slot order: streets (slots are numbered street by street),
        then activities (only these change, so only they are sorted)."""
        pop = self.pop
        joined = np.flatnonzero(pop.activity >= 0)
        key = pop.activity[joined]
        if pop.activity_count <= np.iinfo(np.int16).max:  # the same stable order; numpy radix-sorts 16-bit keys
            key = key.astype(np.int16)
        members = joined[np.argsort(key, kind="stable")]
        self.members = np.concatenate([np.arange(pop.n), members])
        n_foci = pop.n_streets + max(pop.activity_count, 1)
        focus = np.concatenate([pop.street, pop.n_streets + pop.activity[joined]])
        self.size = np.bincount(focus, minlength=n_foci)
        self.start = np.concatenate([[0], np.cumsum(self.size)[:-1]])
        self.dirty = False

    def draw(self, focus: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One random member of each focus in ``focus``."""
        if self.dirty:
            self.refresh()
        offset = (rng.random(len(focus)) * self.size[focus]).astype(np.int64)
        return self.members[self.start[focus] + offset]


def initiators(pop: Population, per_resident: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Residents starting an encounter this week: Poisson count per district, uniform within it."""
    counts = rng.poisson(per_resident * pop.district_sizes)
    return np.concatenate([
        pop.district_start[d] + rng.integers(0, pop.district_sizes[d], counts[d])
        for d in range(pop.n_districts)
    ]).astype(np.int64)


def acceptance(pop: Population, ties: Ties, a: np.ndarray, b: np.ndarray, max_degree: int,
               lonely_penalty: float, lonely_homophily: float = 0.0) -> np.ndarray:
    """Probability that an encounter between a and b becomes (or renews) a tie: shape (len(a),)."""
    P = pop.table
    d = pop.district[a]
    group = np.where(pop.origin[a] == pop.origin[b], 1.0, P.column("group_mixing")[d])
    age = np.where(pop.age_group(a) == pop.age_group(b), 1.0, P.column("age_mixing")[d])
    cap = bounded(1.0 - ties.degree[a] / max_degree, 0, 1) * bounded(1.0 - ties.degree[b] / max_degree, 0, 1)  # each end's room
    lonely_a, lonely_b = pop.lonely(a), pop.lonely(b)
    drift = (1.0 - lonely_penalty * lonely_a) * (1.0 - lonely_penalty * lonely_b)
    alike = 1.0 - lonely_homophily * (lonely_a != lonely_b)  # selection: like befriends like
    return group * age * cap * drift * alike


def connect(ties: Ties, a: np.ndarray, b: np.ndarray, kinds: np.ndarray, strength, reinforcement: float) -> None:
    """Create ties for new pairs; renew those that exist already (each once, even if met twice)."""
    out = ties.connect(a, b, kinds, strength)
    renew = -2 - out[out <= -2]
    if len(renew):
        ties.reinforce(renew, reinforcement)


def focus_meetings(pop: Population, ties: Ties, foci: Foci, per_resident: np.ndarray, config: Config,
                   rng: np.random.Generator, strength=None) -> None:
    """Encounters in streets and activities; accepted ones form or renew ties."""
    tp = config.ties
    a = initiators(pop, per_resident, rng)
    if len(a) == 0:
        return
    use_activity = (pop.activity[a] >= 0) & (rng.random(len(a)) < tp.activity_meeting_share)
    focus = np.where(use_activity, pop.n_streets + pop.activity[a], pop.street[a])
    b = foci.draw(focus, rng)
    ok = (a != b) & (rng.random(len(a)) < acceptance(pop, ties, a, b, tp.max_degree, tp.lonely_contact_penalty, tp.loneliness_homophily))
    kinds = np.where(use_activity, TIE_KIND["activity"], TIE_KIND["neighbour"])[ok]
    connect(ties, a[ok], b[ok], kinds, tp.initial_strength if strength is None else strength[: ok.sum()], tp.reinforcement)


def friends_of_friends(pop: Population, ties: Ties, per_resident: np.ndarray, config: Config,
                       rng: np.random.Generator) -> None:
    """Triadic closure: a resident meets a friend's friend through that friend."""
    tp = config.ties
    a = initiators(pop, per_resident, rng)
    a = a[ties.degree[a] > 0]
    if len(a) == 0:
        return
    y = ties.random_neighbour(a, rng.random(len(a)))
    z = ties.random_neighbour(y, rng.random(len(a)))
    keep = z != a
    if not keep.any():
        return
    pa, pb = a[keep], z[keep]
    # a friend vouches for the stranger: the homophily barrier is softened
    p = acceptance(pop, ties, pa, pb, tp.max_degree, tp.lonely_contact_penalty, tp.loneliness_homophily) ** tp.vouch_exponent
    ok = rng.random(len(pa)) < p
    connect(ties, pa[ok], pb[ok], np.full(ok.sum(), TIE_KIND["friend"]), tp.initial_strength, tp.reinforcement)


def household_ties(pop: Population, ties: Ties, members: np.ndarray, tp: TieParams) -> None:
    """Strong family ties between members of the same household (a chain through each household)."""
    order = members[np.argsort(pop.household[members], kind="stable")]
    hh = pop.household[order]
    same = hh[1:] == hh[:-1]
    a, b = order[:-1][same], order[1:][same]
    connect(ties, a, b, np.full(len(a), TIE_KIND["family"]), tp.household_strength, tp.reinforcement)


def kin_ties(pop: Population, ties: Ties, members: np.ndarray, tp: TieParams, rng: np.random.Generator) -> None:
    """Newcomers ``members`` bring the district's kin: Poisson(``family_ties_per_person``) family ties
    each to residents of their district drawn at random, so the kin ties per resident that the
    initial network sets stay steady as residents are replaced (a leaver takes that many with them)."""
    if len(members) == 0:
        return
    k = rng.poisson(tp.family_ties_per_person, len(members))
    a = np.repeat(members, k)
    d = pop.district[a]
    b = pop.district_start[d] + (rng.random(len(a)) * pop.district_sizes[d]).astype(np.int64)
    connect(ties, a, b, np.full(len(a), TIE_KIND["family"]), rng.uniform(*tp.kin_strength, len(a)), tp.reinforcement)


def initial_network(pop: Population, ties: Ties, foci: Foci, config: Config, rng: np.random.Generator) -> None:
    """Households (family ties), kin in the district, and a first set of local ties.

    The warm-up then lets the network settle under the weekly dynamics before any intervention.
    """
    tp = config.ties
    household_ties(pop, ties, np.arange(pop.n), tp)
    # kin elsewhere in the district
    n_kin = rng.poisson(tp.family_ties_per_person / 2 * pop.district_sizes)
    for d in range(pop.n_districts):
        lo, size = pop.district_start[d], pop.district_sizes[d]
        x = lo + rng.integers(0, size, n_kin[d])
        y = lo + rng.integers(0, size, n_kin[d])
        connect(ties, x, y, np.full(n_kin[d], TIE_KIND["family"]), rng.uniform(*tp.kin_strength, n_kin[d]), tp.reinforcement)
    # neighbours and activity contacts
    rounds = max(1, int(np.ceil(tp.initial_local_ties)))
    per_round = np.full(pop.n_districts, tp.initial_local_ties / rounds)
    for _ in range(rounds):
        focus_meetings(pop, ties, foci, per_round, config, rng, strength=rng.uniform(*tp.initial_local_strength, pop.n * 2))
    # residents who arrived recently have not yet built their local ties: keep a local tie with
    # probability i_a * i_b, i = 1 - exp(-years here / integration_years)
    years_here = -pop.arrived / WEEKS_PER_YEAR
    integrated = 1.0 - np.exp(-years_here / tp.integration_years)
    ids = ties.live()
    local = ids[ties.kind[ids] != TIE_KIND["family"]]
    keep = integrated[ties.u[local]] * integrated[ties.v[local]]
    ties.remove_many(local[rng.random(len(local)) >= keep])


def broker(pop: Population, ties: Ties, a: int, b: int, config: Config, rng: np.random.Generator) -> int:
    """A network developer introduces ``a`` and ``b``; like a mutual friend, the introduction
    softens homophily (``vouch_exponent``). Returns the new tie's id, or -1 (tie existed and was
    renewed, or the introduction did not take)."""
    tp = config.ties
    eid = ties.eid(a, b)
    if eid >= 0:
        ties.reinforce(np.array([eid]), tp.reinforcement)
        return -1
    p = acceptance(pop, ties, np.array([a]), np.array([b]), tp.max_degree, 0.0) ** tp.vouch_exponent
    if rng.random() >= p[0]:
        return -1
    strength = config.interventions.network_developers.brokered_strength
    return ties.add(a, b, TIE_KIND["neighbour"], strength, brokered=True)
