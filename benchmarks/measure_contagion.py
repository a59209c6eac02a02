"""Why the contagion gradient stays flat: the risk ratio of loneliness at distance 1-3, decomposed.

    python benchmarks/measure_contagion.py [--seeds 3] [--set KEY=VALUE ...]

Small runs (three districts of 1,500, one warm-up year and two years; about 8 CPU-seconds a seed).
Per seed: the score's correlation over adult ties; the ratio as measured (lonely adults' contacts at
distance d against the adult share, Cacioppo, Fowler & Christakis 2009); the same ratio for all adults as
egos (what anyone's contacts show: below 1 when lonely residents sit at the network's edge); lonely egos
over all egos; the ratio on close ties only (strength >= ties.durable_strength, a handful per resident as
in Framingham's named contacts); each for 'lonely' (score >= 3) and 'severely lonely' (>= 9).
"""

from __future__ import annotations

import argparse

import numpy as np

from abm.config import load_config
from abm.core.model import MunicipalityModel
from abm.experiments.measures import contagion_gradient

DISTRICTS = ("districts=[{name: a, type: deprived_urban, population: 1500}, {name: b, type: middle_class, population: 1500}, "
             "{name: c, type: traditional_village, population: 1500}]")


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
