"""Convergence of sensitivity indices: are the Sobol or Morris indices of a sweep settled, or noise?

``convergence`` recomputes the indices on growing prefixes of the design (N/8, N/4, N/2, N base
samples or trajectories) with their bootstrap intervals; ``rank_stability`` compares each prefix's
ranking of the parameters with the full design's by the top-down (Savage-score) correlation of
Iman & Conover (1987), which weighs the leading parameters most, as Sarrazin, Pianosi & Wagener
(2016, Environ. Model. Softw. 79) recommend for ranking convergence; ``seed_agreement`` does the
same between the replications of a common-seed design (``seeds: common``). All take the long
metrics table of ``sweep.load_metrics``; an unfinished sweep gives the prefixes it has completed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm.experiments.spec import SweepSpec, design_points

TOP = 3  # leading parameters whose set must not change between N/2 and N
MIN_TOP_DOWN = 0.9  # ASSUMPTION: top-down correlation N/2 vs N from which a ranking counts as settled


def salib_indices(spec: SweepSpec, x: np.ndarray, y: np.ndarray) -> tuple[dict, tuple[tuple[str, str], ...]]:
    """SALib indices of outputs ``y`` (points,) on design rows ``x`` (points, D); the (index, conf) keys."""
    from SALib.analyze import morris, sobol

    problem = spec.problem()
    if spec.design.type == "sobol":
        res = sobol.analyze(problem, y, calc_second_order=spec.design.second_order, print_to_console=False,
                            seed=spec.seed)
        return res, (("S1", "S1_conf"), ("ST", "ST_conf"))
    res = morris.analyze(problem, x, y, num_levels=spec.design.levels, print_to_console=False, seed=spec.seed)
    return res, (("mu_star", "mu_star_conf"),)


def outputs(metrics: pd.DataFrame, spec: SweepSpec, replication: int | None = None,
            variant: str | None = None) -> dict[str, pd.Series]:
    """Municipality value per design point (mean over replications, or one replication) per metric,
    of ``variant`` (default: the baseline, or the first variant)."""
    variant = variant or (spec.baseline if spec.baseline else spec.variants[0].name)
    part = metrics[(metrics.variant == variant) & (metrics.district == "all")]
    if replication is not None:
        part = part[part.replication == replication]
    return {metric: g.groupby("point")["value"].mean() for metric, g in part.groupby("metric")}


def convergence(metrics: pd.DataFrame, spec: SweepSpec, fractions=(0.125, 0.25, 0.5, 1.0),
                replication: int | None = None) -> pd.DataFrame:
    """Sensitivity indices on growing prefixes of the design: Sobol on the first n base samples
    (blocks of D+2 points; a prefix of a Saltelli design is the design of its first n base
    samples), Morris on the first n trajectories (D+1 points). The indices and their bootstrap
    confidence half-widths (``conf``) against n show whether the budget suffices (narrowing
    intervals, stable ranking) or the indices are still noise. Prefixes not yet finished are left
    out. Rows: samples, metric, parameter, index, value, conf."""
    kind = spec.design.type
    if kind not in ("sobol", "morris"):
        return pd.DataFrame()
    problem = spec.problem()
    d = problem["num_vars"]
    block = (2 * d + 2 if spec.design.second_order else d + 2) if kind == "sobol" else d + 1
    x = np.array([[row[k] for k in problem["names"]] for row in design_points(spec)], dtype=float)
    table = outputs(metrics, spec, replication)
    rows = []
    for n in sorted({max(2, int(round(spec.design.samples * f))) for f in fractions if f <= 1}):
        points = n * block
        for metric, values in table.items():
            y = values.reindex(range(points)).to_numpy()
            if np.isnan(y).any():
                continue
            res, pairs = salib_indices(spec, x[:points], y)
            for i, name in enumerate(problem["names"]):
                for index, conf in pairs:
                    rows.append({"samples": n, "metric": metric, "parameter": name, "index": index,
                                 "value": res[index][i], "conf": res[conf][i]})
    return pd.DataFrame(rows)


def top_down(a: np.ndarray, b: np.ndarray) -> float:
    """Top-down correlation of two index vectors (D,): Pearson correlation of their Savage scores
    (rank r of D, 1 = largest, scores sum_{j=r..D} 1/j); 1 = same ranking, near 0 = unrelated."""
    d = len(a)
    tail = np.cumsum(1.0 / np.arange(d, 0, -1))[::-1]  # tail[r-1] = sum_{j=r}^{D} 1/j

    def scores(v: np.ndarray) -> np.ndarray:
        out = np.empty(d)
        out[np.argsort(-np.asarray(v, dtype=float), kind="stable")] = tail
        return out

    sa, sb = scores(a), scores(b)
    return float(np.corrcoef(sa, sb)[0, 1]) if d > 1 else 1.0


def _leaders(g: pd.DataFrame) -> list[str]:
    return list(g.sort_values("value", ascending=False)["parameter"].head(TOP))


def rank_stability(conv: pd.DataFrame) -> pd.DataFrame:
    """Per metric and index and prefix n: the top-down correlation with the full design's ranking,
    whether the leading ``TOP`` parameters are the same set, and the widest bootstrap half-width
    among them. ``settled`` (on the n = N/2 rows and copied to the metric's other rows): the N/2
    ranking agrees with N (top-down >= MIN_TOP_DOWN and the same leaders)."""
    if conv.empty:
        return pd.DataFrame()
    rows = []
    for (metric, index), g in conv.groupby(["metric", "index"], sort=True):
        sizes = sorted(g["samples"].unique())
        full = g[g["samples"] == sizes[-1]].set_index("parameter")
        for n in sizes:
            part = g[g["samples"] == n].set_index("parameter").reindex(full.index)
            leaders = _leaders(part.reset_index())
            rows.append({"metric": metric, "index": index, "samples": n,
                         "top_down": top_down(part["value"].to_numpy(), full["value"].to_numpy()),
                         "same_leaders": set(leaders) == set(_leaders(full.reset_index())),
                         "leaders": ", ".join(leaders), "widest_conf_of_leaders": float(part.loc[leaders, "conf"].max())})
    out = pd.DataFrame(rows)
    out["settled"] = False
    for _, g in out.groupby(["metric", "index"]):
        if len(g) >= 2:
            half = g.iloc[-2]  # the largest prefix before the full design (N/2 for a finished sweep)
            out.loc[g.index, "settled"] = bool(half["top_down"] >= MIN_TOP_DOWN and half["same_leaders"])
    return out


def seed_agreement(metrics: pd.DataFrame, spec: SweepSpec) -> pd.DataFrame:
    """Indices of each replication alone (each a full design on its one common seed), and per
    metric and index the top-down correlation of every replication's ranking with the first's."""
    if spec.seeds != "common" or spec.replications < 2:
        return pd.DataFrame()
    frames = []
    for rep in sorted(metrics.replication.unique()):
        conv = convergence(metrics, spec, fractions=(1.0,), replication=int(rep))
        frames.append(conv.assign(replication=int(rep)))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if table.empty:
        return table
    first = table[table.replication == table.replication.min()]
    agree = []
    for (metric, index, rep), g in table.groupby(["metric", "index", "replication"]):
        ref = first[(first.metric == metric) & (first["index"] == index)].set_index("parameter")["value"]
        agree.append({"metric": metric, "index": index, "replication": rep,
                      "top_down_vs_first": top_down(g.set_index("parameter")["value"].reindex(ref.index).to_numpy(),
                                                    ref.to_numpy())})
    return table.merge(pd.DataFrame(agree), on=["metric", "index", "replication"])


def regression_indices(metrics: pd.DataFrame, spec: SweepSpec, boot: int = 500) -> pd.DataFrame:
    """A cross-check on the same runs: standardized regression coefficients (SRC) of each metric on
    the parameters over every finished design point, with bootstrap 95% intervals (``boot``
    resamples, generator seeded from the spec) and the linear fit's R². Where R² is high, SRC² is
    the share of the output variance a parameter explains alone (its first-order index) and the
    sign says the direction; unlike Saltelli estimates, it needs no complete base sample, so it is
    informative on far fewer runs. Rows: metric, parameter, src, src_low, src_high, r2, runs."""
    if spec.design.type not in ("sobol", "morris", "lhs"):
        return pd.DataFrame()
    names = list(spec.parameters)
    points = design_points(spec)
    rng = np.random.default_rng(spec.seed)
    rows = []
    for metric, values in outputs(metrics, spec).items():
        values = values.dropna()
        x = np.array([[points[p][k] for k in names] for p in values.index], dtype=float)
        y = values.to_numpy(dtype=float)
        if len(y) < len(names) + 2 or not y.std() > 0:
            continue
        z = np.c_[np.ones(len(y)), (x - x.mean(0)) / x.std(0)]
        yz = (y - y.mean()) / y.std()
        coef = np.linalg.lstsq(z, yz, rcond=None)[0]
        r2 = 1.0 - float(((yz - z @ coef) ** 2).mean())
        draws = [rng.integers(0, len(y), len(y)) for _ in range(boot)]
        boots = np.array([np.linalg.lstsq(z[i], yz[i], rcond=None)[0][1:] for i in draws])
        low, high = np.percentile(boots, [2.5, 97.5], axis=0)
        for j, name in enumerate(names):
            rows.append({"metric": metric, "parameter": name, "src": coef[j + 1], "src_low": low[j],
                         "src_high": high[j], "r2": r2, "runs": len(y)})
    return pd.DataFrame(rows)
