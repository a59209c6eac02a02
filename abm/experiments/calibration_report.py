"""What a finished calibration writes: posterior, goodness of fit per target (fitted and held out
side by side, at the fitting scale and at full scale), figures, a config overlay and report.md.

The check reruns the model on the sweep engines (``engines.local`` / ``engines.on_dask``): the calibrated
point (weighted posterior median) on ``check.replications`` seeds at the fitting scale and at the
full scale of ``check.set``, the base config's own values of the parameters (the current default)
on the same seeds at both scales, and ``check.posterior_draws`` posterior particles at the fitting
scale. Each target's model value is the mean of those runs with a 95% interval (t interval over
seeds for the point and the default; 2.5-97.5% range over the posterior draws). The distances of
the point and of the default over the fitted and over the held-out targets say whether the
calibrated point is at least as good as the default (``distances``).
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from abm.experiments import engines  # noqa: E402
from abm.experiments.calibration import (  # noqa: E402
    Calibration,
    CalibrationSpec,
    point_estimate,
    posterior,
    weighted_quantile,
)
from abm.experiments.replications import interval  # noqa: E402
from abm.experiments.targets import score  # noqa: E402
from abm.files import atomic_write  # noqa: E402

KINDS = ("point", "default", "full_scale", "default_full_scale", "posterior")  # the check runs, by what they run


def check_task(spec_json: str, spec_dir: str, params_json: str, seed: int, full_scale: bool, kind: str,
               index: int = 0) -> dict:
    """One check run (in a worker): every non-pending target's statistic at ``params``."""
    cal = Calibration(CalibrationSpec.model_validate_json(spec_json), spec_dir)
    names = [k for k, t in cal.targets.targets.items() if t.role != "pending"]
    values = cal.simulate(json.loads(params_json), seed=seed, full_scale=full_scale, names=names)
    return {"kind": kind, "seed": seed, "values": {k: np.asarray(v, dtype=float).tolist() for k, v in values.items()}}


def check_runs(cal: Calibration, point: dict, draws: pd.DataFrame, workers: int, scheduler: str | None) -> list[dict]:
    spec_json = cal.spec.model_dump_json()
    tasks = []
    default = cal.base_values()
    for r in range(cal.spec.check.replications):
        seed = cal.seed_for(point, 1000 + r)  # the default runs on the same seeds: paired
        tasks.append((spec_json, str(cal.spec_dir), json.dumps(point), seed, False, "point"))
        tasks.append((spec_json, str(cal.spec_dir), json.dumps(point), seed, True, "full_scale"))
        tasks.append((spec_json, str(cal.spec_dir), json.dumps(default), seed, False, "default"))
        tasks.append((spec_json, str(cal.spec_dir), json.dumps(default), seed, True, "default_full_scale"))
    for i, row in enumerate(draws.to_dict("records")):
        tasks.append((spec_json, str(cal.spec_dir), json.dumps(row), cal.seed_for(row, 2000 + i), False, "posterior"))
    tasks = [(*t, i) for i, t in enumerate(tasks)]
    if scheduler:
        with engines.dask_client(scheduler) as client:
            return list(engines.on_dask(client, check_task, tasks, cal.spec.hash(), lambda t: f"check-{t[5]}-{t[6]}"))
    return list(engines.local(check_task, tasks, workers))


def fit_table(cal: Calibration, runs: list[dict]) -> pd.DataFrame:
    """One row per target: source figure, role, model mean and interval per kind of check run, z."""
    rows = []
    for name, t in cal.targets.targets.items():
        row = {"target": name, "role": "fitted" if name in cal.fitted else ("held_out" if t.role != "pending" else "pending"),
               "statistic": t.statistic, "value": json.dumps(t.value) if isinstance(t.value, tuple) else t.value,
               "interval": json.dumps(list(t.interval)) if t.interval else "", "scale": t.scale, "year": t.year}
        for kind in KINDS:
            vals = [r["values"][name] for r in runs if r["kind"] == kind and name in r["values"]]
            if not vals:
                continue
            arr = np.asarray(vals, dtype=float)
            if arr.ndim == 2:  # a (low, high) statistic: report both ends' means; z of the mean pair
                row[f"{kind}_mean"] = json.dumps(np.round(arr.mean(axis=0), 4).tolist())
                row[f"{kind}_z"] = score(t, arr.mean(axis=0))
                continue
            if kind == "posterior":
                mean, lo, hi = float(arr.mean()), *np.quantile(arr, [0.025, 0.975])
            else:
                mean, lo, hi = interval(arr)
            row.update({f"{kind}_mean": mean, f"{kind}_low": lo, f"{kind}_high": hi, f"{kind}_z": score(t, mean)})
        rows.append(row)
    return pd.DataFrame(rows)


def distances(table: pd.DataFrame) -> pd.DataFrame:
    """Root sum of squared z over the fitted and over the held-out targets, per kind of check run
    (a (low, high) statistic counts with its z). Rows: fitted, held_out; columns: the kinds."""
    rows = []
    for role in ("fitted", "held_out"):
        part = table[table.role == role]
        row = {"targets": role}
        for kind in KINDS:
            col = f"{kind}_z"
            if col in part:
                z = pd.to_numeric(part[col], errors="coerce").dropna().to_numpy(float)
                row[kind] = float(np.sqrt(np.sum(z ** 2))) if z.size else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def verdict(dist: pd.DataFrame) -> str:
    """Whether the calibrated point is at least as good as the current default on the fitted targets
    and not worse on the held-out ones, at the fitting scale and at full scale."""
    d = dist.set_index("targets")
    parts, better = [], True
    for point, default, label in (("point", "default", "fitting scale"), ("full_scale", "default_full_scale", "full scale")):
        if point not in d or default not in d:
            continue
        ok = d.loc["fitted", point] <= d.loc["fitted", default] and d.loc["held_out", point] <= d.loc["held_out", default]
        better &= bool(ok)
        parts.append(f"{label}: fitted {d.loc['fitted', point]:.2f} vs {d.loc['fitted', default]:.2f}, "
                     f"held out {d.loc['held_out', point]:.2f} vs {d.loc['held_out', default]:.2f}")
    head = ("the calibrated point is at least as good as the current default on the fitted targets and not worse "
            "on the held-out ones" if better else "the calibrated point is NOT better than the current default on "
            "both the fitted and the held-out targets")
    return f"{head} (distance, point vs default; {'; '.join(parts)})"


def posterior_summary(cal: Calibration, frame: pd.DataFrame, weights: np.ndarray) -> pd.DataFrame:
    """Per parameter: prior range, weighted median and 95% credible interval, and the share of the
    prior range the interval still covers (near 1: the targets do not identify the parameter)."""
    rows = []
    for k, prior in cal.spec.parameters.items():
        v = frame[k].to_numpy(float)
        lo, med, hi = weighted_quantile(v, weights, [0.025, 0.5, 0.975])
        width = prior.range[1] - prior.range[0]
        rows.append({"parameter": k, "prior_low": prior.range[0], "prior_high": prior.range[1], "median": med,
                     "ci_low": lo, "ci_high": hi, "ci_share_of_prior": (hi - lo) / width,
                     "identified": bool((hi - lo) / width < 0.5)})
    return pd.DataFrame(rows)


def overlay(point: dict, cal: Calibration) -> dict:
    """The calibrated point as a nested config overlay (dotted keys unfolded)."""
    out: dict = {}
    for key, value in point.items():
        node = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = int(round(value)) if cal.spec.parameters[key].integer else round(float(value), 4)
    return out


def figures(cal: Calibration, history, frame, weights, table: pd.DataFrame, out: Path) -> list[Path]:
    paths = []
    names = list(cal.spec.parameters)
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3), squeeze=False)
    for ax, k in zip(axes[0], names):
        lo, hi = cal.spec.parameters[k].range
        ax.hist(frame[k], bins=12, range=(lo, hi), weights=weights, color="tab:blue", alpha=0.7)
        ax.set(title=k, xlim=(lo, hi), xlabel="value (x axis = prior range)")
    fig.suptitle(f"Posterior (generation {history.max_t + 1} of ABC-SMC) against the uniform prior")
    fig.tight_layout()
    paths.append(_save(fig, out / "posterior.png"))

    part = table[table.role != "pending"].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(part) + 1.5))
    for i, row in part.iterrows():
        colour = "tab:blue" if row.role == "fitted" else "tab:orange"
        for kind, dy, marker in (("point", -0.15, "o"), ("full_scale", 0.15, "s")):
            z = row.get(f"{kind}_z")
            if z is not None and np.isfinite(z):
                ax.plot(z, i + dy, marker, color=colour, mfc="white" if kind == "full_scale" else colour)
    ax.axvspan(-1, 1, color="grey", alpha=0.15)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(part)), [f"{r.target} ({r.role})" for r in part.itertuples()], fontsize=8)
    ax.set(xlabel="model minus target, in target scales (filled: fitting scale, open: full scale)",
           title="Goodness of fit per target: fitted (blue) and held out (orange)")
    ax.invert_yaxis()
    fig.tight_layout()
    paths.append(_save(fig, out / "fit.png"))

    eps = history.get_all_populations()
    eps = eps[eps.t >= 0]
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot(eps.t, eps.epsilon, "o-")
    ax.set(xlabel="generation", ylabel="epsilon (distance threshold)", title="ABC-SMC thresholds")
    fig.tight_layout()
    paths.append(_save(fig, out / "epsilon.png"))
    return paths


def _save(fig, path: Path) -> Path:
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=100))
    finally:
        plt.close(fig)
    return path


def write_report(cal: Calibration, history, out: Path | str, workers: int = 1, scheduler: str | None = None) -> Path:
    """Posterior, check runs, fit table, overlay, figures and report.md into ``out``; returns the report."""
    out = Path(out)
    frame, weights = posterior(history)
    point = point_estimate(frame, weights)
    rng = np.random.default_rng(cal.spec.seed)
    k = min(cal.spec.check.posterior_draws, len(frame))
    draws = frame.iloc[rng.choice(len(frame), k, replace=False, p=weights / weights.sum())] if k else frame.iloc[:0]
    runs = check_runs(cal, point, draws, workers, scheduler)
    table = fit_table(cal, runs)
    dist = distances(table)
    summary = posterior_summary(cal, frame, weights)
    atomic_write(out / "posterior.csv", lambda p: frame.assign(weight=weights).to_csv(p, index=False))
    atomic_write(out / "posterior_summary.csv", lambda p: summary.to_csv(p, index=False))
    atomic_write(out / "fit.csv", lambda p: table.to_csv(p, index=False))
    atomic_write(out / "distances.csv", lambda p: dist.to_csv(p, index=False))
    head = (f"# Calibrated by `abm calibrate` ({cal.spec.name}, spec hash {cal.spec.hash()}): the weighted\n"
            "# posterior median of each parameter. Use as a scenario overlay (--scenario PATH) or merge into\n"
            "# configs/default.yaml; see DIR/report.md for the fit and the parameters left unidentified.\n")
    atomic_write(out / "calibrated.yaml", lambda p: p.write_text(head + yaml.safe_dump(overlay(point, cal), sort_keys=False)))
    figs = figures(cal, history, frame, weights, table, out)
    pops = history.get_all_populations()
    lines = [f"# Calibration report: {cal.spec.name}", "",
             f"ABC-SMC (pyabc), {history.n_populations} generations of {cal.spec.abc.population_size} particles, "
             f"{int(pops.samples.sum())} simulations; final epsilon {pops.epsilon.iloc[-1]:.3f}. "
             f"Fitted targets: {', '.join(cal.fitted)}.", "",
             "## Posterior (weighted median and 95% credible interval)", "", _markdown(summary), "",
             "## Goodness of fit: fitted and held-out targets side by side", "",
             f"`point`: calibrated point, {cal.spec.check.replications} seeds at the fitting scale (mean, 95% t interval); "
             f"`full_scale`: the same at the check scale; `posterior`: {k} posterior draws at the fitting scale "
             "(mean, 2.5-97.5% range). z = model minus target (or distance outside its interval) in target scales.", "",
             _markdown(compact(table)), "", "All columns: `fit.csv`.", "",
             "## Calibrated point against the current default", "",
             f"Current default: the base config's values {json.dumps(cal.base_values())}, on the same seeds. "
             "Distance: root sum of squared z over the targets (`distances.csv`).", "",
             _markdown(dist), "", f"Verdict: {verdict(dist)}.", ""]
    lines += [f"![{p.stem}]({p.name})" for p in figs]
    report = out / "report.md"
    atomic_write(report, lambda p: p.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    return report


def compact(table: pd.DataFrame) -> pd.DataFrame:
    """The fit table for reading: target, role, published value, and per kind of check run
    'mean [low, high]' with z."""
    def num(v):
        try:
            return float(v)
        except (TypeError, ValueError):
            return None

    def fmt(row, kind):
        mean = row.get(f"{kind}_mean")
        z = num(row.get(f"{kind}_z"))
        if mean is None or z is None or not np.isfinite(z):
            return ""
        if num(mean) is None:  # a (low, high) statistic
            return f"{mean} (z {z:.1f})"
        low, high = num(row.get(f"{kind}_low")), num(row.get(f"{kind}_high"))
        span = f" [{low:.3g}, {high:.3g}]" if low is not None and np.isfinite(low) else ""
        return f"{num(mean):.3g}{span} (z {z:.1f})"

    rows = []
    for _, row in table.iterrows():
        interval = row.get("interval")
        target = interval if isinstance(interval, str) and interval else row["value"]
        rows.append({"target": row["target"], "role": row["role"], "published": target,
                     "calibrated point": fmt(row, "point"), "current default": fmt(row, "default"),
                     "point, full scale": fmt(row, "full_scale"), "default, full scale": fmt(row, "default_full_scale"),
                     "posterior draws": fmt(row, "posterior")})
    return pd.DataFrame(rows)


def _markdown(df: pd.DataFrame) -> str:
    def cell(v):
        if isinstance(v, float):
            return "" if not np.isfinite(v) else f"{v:.4g}"
        return str(v)
    rows = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    rows += ["| " + " | ".join(cell(v) for v in r) + " |" for r in df.itertuples(index=False)]
    return "\n".join(rows)
