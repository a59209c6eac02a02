"""Why the contagion gradient stays flat: the risk ratio of loneliness at distance 1-3, decomposed.

    python benchmarks/measure_contagion.py [--seeds 3] [--set KEY=VALUE ...]

Small runs (three districts of 1,500, one warm-up year and two years; about 8 CPU-seconds a seed).
Per seed: the score's correlation over adult ties; the ratio as measured (lonely adults' contacts at
distance d against the adult share, Cacioppo, Fowler & Christakis 2009); the same ratio for all adults as
egos (what anyone's contacts show: below 1 when lonely residents sit at the network's edge); lonely egos
over all egos; the ratio on close ties only (strength >= ties.durable_strength, a handful per resident as
in Framingham's named contacts); each for 'lonely' (score >= 3) and 'severely lonely' (>= 9). For 'lonely' also,
over close ties: anyone's contacts (all adults as egos) and lonely over all egos; the ratio expected from the
reached adults' age band (10 years) and district alone (a flag drawn from those groups' lonely shares, independent
of the network); and the ratio on a named-contact network (each adult's NAMED strongest ties of any kind, a
handful as Framingham's participants named). docs/calibration.md 4d and 4f.
"""

from __future__ import annotations

import argparse

import numpy as np

from abm.config import load_config
from abm.core.model import MunicipalityModel
from abm.experiments.measures import contagion_gradient

DISTRICTS = ("districts=[{name: a, type: deprived_urban, population: 1500}, {name: b, type: middle_class, population: 1500}, "
             "{name: c, type: traditional_village, population: 1500}]")


NAMED = 3   # named contacts per resident
DRAWS = 10  # composition flags averaged


def strongest(u: np.ndarray, v: np.ndarray, strength: np.ndarray, k: int) -> np.ndarray:
    """Bool over ties: among the ``k`` strongest ties of either end (a named-contact network, undirected)."""
    ends, tie = np.r_[u, v], np.r_[np.arange(len(u)), np.arange(len(u))]
    order = np.lexsort((-np.r_[strength, strength], ends))
    ends, tie = ends[order], tie[order]
    first = np.r_[0, np.flatnonzero(np.diff(ends)) + 1]
    rank = np.arange(len(ends)) - np.repeat(first, np.diff(np.r_[first, len(ends)]))
    keep = np.zeros(len(u), dtype=bool)
    keep[tie[rank < k]] = True
    return keep


def composition_flag(group: np.ndarray, flag: np.ndarray, adult: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(n,) bool drawn from each ``group``'s share of ``flag`` among adults, independent of the network."""
    share = np.bincount(group[adult], weights=flag[adult], minlength=group.max() + 1) / np.maximum(
        np.bincount(group[adult], minlength=group.max() + 1), 1)
    return rng.random(len(group)) < share[group]


def probe(seed: int, overrides: list[str]) -> list[str]:
    cfg = load_config(overrides=[DISTRICTS, "years=2", "warmup_years=1", f"seed={seed}", *overrides])
    m = MunicipalityModel(cfg)
    m.run()
    pop, view = m.pop, m.ties.view()
    adult = pop.age >= cfg.demography.adult_age
    u, v, score = view.u, view.v, pop.loneliness
    both = adult[u] & adult[v]
    close = view.strength >= cfg.ties.durable_strength
    degree = np.bincount(np.r_[u, v], minlength=pop.n)
    out = [f"seed {seed}: score correlation over adult ties {np.corrcoef(score[u[both]], score[v[both]])[0, 1]:.2f} "
           f"(close ties {np.corrcoef(score[u[both & close]], score[v[both & close]])[0, 1]:.2f}); ties of lonely adults "
           f"{degree[adult & pop.lonely()].mean():.1f}, of the others {degree[adult & ~pop.lonely()].mean():.1f}"]
    fmt = lambda g: " / ".join(f"{x:.2f}" for x in g)  # noqa: E731
    for label, flag in (("lonely", pop.lonely()), ("severely lonely", pop.severely_lonely())):
        rng = lambda: np.random.default_rng([seed, 1])  # noqa: E731
        measured = contagion_gradient(u, v, flag, adult, rng=rng())
        anyone = contagion_gradient(u, v, flag, adult, rng=rng(), egos=adult)
        on_close = contagion_gradient(u[close], v[close], flag, adult, rng=rng())
        out.append(f"  {label} ({flag[adult].mean():.1%} of adults): measured {fmt(measured)}; all adults as egos "
                   f"{fmt(anyone)}; lonely over all egos {fmt(measured / anyone)}; close ties only {fmt(on_close)}")
    lonely, uc, vc = pop.lonely(), u[close], v[close]
    egos = lonely & adult
    close_ratio = contagion_gradient(uc, vc, lonely, adult, rng=rng())
    close_anyone = contagion_gradient(uc, vc, lonely, adult, rng=rng(), egos=adult)
    band = np.minimum(pop.age // 10, 9).astype(np.int64)
    district = np.asarray(pop.district, dtype=np.int64)
    draw = np.random.default_rng([seed, 2])  # the mean of DRAWS independent flags: the draw's noise below 0.01
    by = {name: np.mean([contagion_gradient(uc, vc, composition_flag(g, lonely, adult, draw), adult, rng=rng(), egos=egos)
                         for _ in range(DRAWS)], axis=0)
          for name, g in (("age band", band), ("district", district), ("age band x district", band * 100 + district))}
    named = strongest(u, v, view.strength, NAMED)
    degree_close = np.bincount(np.r_[uc, vc], minlength=pop.n)
    out.append(f"  lonely, close ties: measured {fmt(close_ratio)}; all adults as egos {fmt(close_anyone)}; lonely over all "
               f"egos {fmt(close_ratio / close_anyone)}; expected from " + "; ".join(f"{k} {fmt(g)}" for k, g in by.items())
               + f"; close ties of lonely adults {degree_close[egos].mean():.1f}, of the others {degree_close[adult & ~lonely].mean():.1f}")
    out.append(f"  lonely, named contacts ({NAMED} strongest ties each): measured "
               f"{fmt(contagion_gradient(u[named], v[named], lonely, adult, rng=rng()))}")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    a = ap.parse_args(argv)
    for seed in range(1, a.seeds + 1):
        print("\n".join(probe(seed, a.set)))


if __name__ == "__main__":
    main()
