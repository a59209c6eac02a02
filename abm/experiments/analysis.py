"""Analysis of a sweep: paired effects with confidence intervals, Sobol and Morris indices,
heatmaps, and a Markdown report linking CSV tables and PNG figures.

All functions take the long metrics table of ``sweep.load_metrics`` (one row per run, metric and
district) so they can be used from Python as well as through ``abm analyze``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from abm.experiments.convergence import (
    convergence,
    outputs,
    rank_stability,
    regression_indices,
    salib_indices,
    seed_agreement,
)
from abm.experiments.spec import SweepSpec, design_points

__all__ = ["convergence", "rank_stability", "regression_indices", "seed_agreement"]  # re-exported: analysis is the entry point

KEYS = ["point", "replication", "metric", "district", "district_type"]


def param_columns(metrics: pd.DataFrame) -> list[str]:
    return [c for c in metrics.columns if c.startswith("param:")]


def _ci(values: pd.Series, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean, lower and upper bound of the t confidence interval, and n."""
    v = values.dropna().to_numpy(dtype=float)
    n = len(v)
    mean = float(v.mean()) if n else np.nan
    if n < 2:
        return mean, np.nan, np.nan, n
    from scipy import stats  # imported when first needed: 'abm analyze' checks its folder first

    half = stats.t.ppf(0.5 + level / 2, n - 1) * v.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half, n


def summarise(frame: pd.DataFrame, value: str, by: list[str]) -> pd.DataFrame:
    rows = []
    for key, g in frame.groupby(by, sort=True, dropna=False):
        mean, lo, hi, n = _ci(g[value])
        rows.append({**dict(zip(by, key if isinstance(key, tuple) else (key,))),
                     "mean": mean, "ci_low": lo, "ci_high": hi, "n": n})
    return pd.DataFrame(rows)


def paired_effects(metrics: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per run pair (same design point and seed): variant value minus baseline value."""
    params = param_columns(metrics)
    base = metrics[metrics.variant == baseline][KEYS + ["value"]].rename(columns={"value": "baseline_value"})
    other = metrics[metrics.variant != baseline]
    merged = other.merge(base, on=KEYS, how="inner")
    merged["effect"] = merged["value"] - merged["baseline_value"]
    merged["relative_effect"] = np.where(merged["baseline_value"] != 0,
                                         merged["effect"] / merged["baseline_value"].abs(), np.nan)
    return merged[["variant", *KEYS, *params, "value", "baseline_value", "effect", "relative_effect"]]


def effect_table(metrics: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Mean effect of each variant against its paired baseline with a 95% CI across replications."""
    pairs = paired_effects(metrics, baseline)
    by = ["variant", "metric", "district", "district_type", *param_columns(metrics)]
    table = summarise(pairs, "effect", by)
    rel = summarise(pairs, "relative_effect", by)[["mean"]].rename(columns={"mean": "relative_mean"})
    return pd.concat([table, rel], axis=1)


def variant_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """Mean of each metric per variant and design point, with a 95% CI across replications."""
    return summarise(metrics, "value", ["variant", "metric", "district", "district_type", *param_columns(metrics)])


def sensitivity(metrics: pd.DataFrame, spec: SweepSpec, variant: str | None = None) -> pd.DataFrame:
    """Sobol (first-order, total) or Morris (mu*, sigma) indices per metric, for the municipality.

    The model output of a design point is its mean over replications.
    """
    if spec.design.type not in ("sobol", "morris"):
        return pd.DataFrame()
    problem = spec.problem()
    x = np.array([[row[k] for k in problem["names"]] for row in design_points(spec)], dtype=float)
    rows = []
    for metric, values in outputs(metrics, spec, variant=variant).items():
        y = values.reindex(range(len(x))).to_numpy()
        if np.isnan(y).any():
            continue  # unfinished or failed points: indices need the full design
        res, _ = salib_indices(spec, x, y)
        keys = ("S1", "S1_conf", "ST", "ST_conf") if spec.design.type == "sobol" else ("mu", "mu_star", "mu_star_conf", "sigma")
        for i, name in enumerate(problem["names"]):
            rows.append({"metric": metric, "parameter": name, **{k: res[k][i] for k in keys}})
    return pd.DataFrame(rows)


def convergence_figure(conv: pd.DataFrame, path: Path) -> Path | None:
    """Per metric: the total (Sobol) or mu* (Morris) index of each parameter with its bootstrap
    interval against the number of base samples / trajectories."""
    if conv.empty:
        return None
    index = "ST" if "ST" in set(conv["index"]) else "mu_star"
    part = conv[conv["index"] == index]
    metrics_ = sorted(part.metric.unique())
    fig, axes = _pyplot().subplots(1, len(metrics_), figsize=(4.5 * len(metrics_), 4), squeeze=False)
    for ax, metric in zip(axes[0], metrics_):
        for name, g in part[part.metric == metric].groupby("parameter"):
            ax.errorbar(g["samples"], g["value"], yerr=g["conf"], capsize=2, marker="o", ms=3, label=name)
        ax.set(xscale="log", xlabel="base samples" if index == "ST" else "trajectories", ylabel=index, title=metric)
        ax.set_title(metric, fontsize=9)
    axes[0][-1].legend(fontsize=6, loc="center left", bbox_to_anchor=(1, 0.5))
    fig.tight_layout()
    return _save(fig, path)


def effects_over_time(out: Path, baseline: str, columns: list[str]) -> pd.DataFrame:
    """Yearly paired effects (municipality rows) from kept time series."""
    from abm.experiments.sweep import read_run_file, stored_files

    files = stored_files(out / "timeseries")
    if not files:
        return pd.DataFrame()
    frames = []
    for f in files:
        variant, point, rep = f.stem.rsplit("-", 2)
        df = read_run_file(f, ["year", "district", *columns], columns=["year", "district", *columns])
        df = df[df.district == "all"].assign(year=lambda d: np.floor(d.year))
        df = df.groupby("year", as_index=False)[columns].mean()
        frames.append(df.assign(variant=variant, point=point, replication=rep))
    ts = pd.concat(frames, ignore_index=True).melt(["variant", "point", "replication", "year"], var_name="column")
    base = ts[ts.variant == baseline].drop(columns="variant").rename(columns={"value": "base"})
    pairs = ts[ts.variant != baseline].merge(base, on=["point", "replication", "year", "column"])
    pairs["effect"] = pairs["value"] - pairs["base"]
    return summarise(pairs, "effect", ["variant", "column", "year"])


# ---------------------------------------------------------------- figures


@functools.cache
def _pyplot():
    """matplotlib's pyplot on the Agg backend, loaded with the first figure (not at import)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=100)
    _pyplot().close(fig)
    return path


def effect_figure(effects: pd.DataFrame, path: Path) -> Path | None:
    """Municipality-wide mean effects with CIs, one panel per metric (first design point per variant)."""
    part = effects[effects.district == "all"]
    metrics_ = sorted(part.metric.unique())
    if not metrics_:
        return None
    fig, axes = _pyplot().subplots(1, len(metrics_), figsize=(4 * len(metrics_), 3.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics_):
        g = part[part.metric == metric].reset_index(drop=True)
        params = [c for c in g.columns if c.startswith("param:")]
        labels = g.apply(lambda r, params=params: r["variant"] + "".join(f"\n{c[6:]}={r[c]}" for c in params), axis=1)
        err = np.vstack([g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]])
        ax.errorbar(range(len(g)), g["mean"], yerr=np.nan_to_num(err), fmt="o", capsize=3)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(range(len(g)), labels, fontsize=6, rotation=90)
        ax.set_title(metric, fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def heatmaps(effects: pd.DataFrame, folder: Path) -> list[Path]:
    """Effects across the first two varied parameters, per variant and metric (municipality)."""
    params = [c for c in effects.columns if c.startswith("param:")]
    if len(params) < 2:
        return []
    a, b = params[:2]
    paths = []
    part = effects[effects.district == "all"]
    for (variant, metric), g in part.groupby(["variant", "metric"]):
        grid = g.pivot_table(index=a, columns=b, values="mean", aggfunc="mean", dropna=False)
        fig, ax = _pyplot().subplots(figsize=(5, 4))
        im = ax.imshow(grid.to_numpy(dtype=float), cmap="RdBu_r", aspect="auto",
                       vmin=-np.nanmax(np.abs(grid.to_numpy(dtype=float))), vmax=np.nanmax(np.abs(grid.to_numpy(dtype=float))))
        ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
        ax.set(xlabel=b[6:], ylabel=a[6:], title=f"{variant}: effect on {metric}")
        for (i, j), v in np.ndenumerate(grid.to_numpy(dtype=float)):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=7)
        fig.colorbar(im, ax=ax)
        fig.tight_layout()
        paths.append(_save(fig, folder / f"heatmap_{variant}_{metric}.png"))
    return paths


def sensitivity_figure(indices: pd.DataFrame, kind: str, path: Path) -> Path | None:
    if indices.empty:
        return None
    metrics_ = sorted(indices.metric.unique())
    fig, axes = _pyplot().subplots(1, len(metrics_), figsize=(4 * len(metrics_), 3.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics_):
        g = indices[indices.metric == metric]
        y = np.arange(len(g))
        if kind == "sobol":
            ax.barh(y - 0.2, g["S1"], 0.4, xerr=g["S1_conf"], label="first order")
            ax.barh(y + 0.2, g["ST"], 0.4, xerr=g["ST_conf"], label="total")
        else:
            ax.barh(y, g["mu_star"], 0.6, xerr=g["mu_star_conf"], label="mu*")
        ax.set_yticks(y, g["parameter"], fontsize=7)
        ax.set_title(metric, fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


def time_figure(over_time: pd.DataFrame, path: Path) -> Path | None:
    if over_time.empty:
        return None
    cols = sorted(over_time.column.unique())
    fig, axes = _pyplot().subplots(1, len(cols), figsize=(4 * len(cols), 3.5), squeeze=False)
    for ax, col in zip(axes[0], cols):
        for variant, g in over_time[over_time.column == col].groupby("variant"):
            ax.plot(g.year, g["mean"], label=variant)
            ax.fill_between(g.year, g.ci_low, g.ci_high, alpha=0.2)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set(title=f"effect on {col}", xlabel="year")
        ax.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


# ---------------------------------------------------------------- report


def analyze(out: Path | str, dest: Path | str | None = None) -> Path:
    """Write tables (CSV), figures (PNG) and report.md for the sweep in ``out``; returns the report."""
    from abm.experiments.sweep import SweepError, load_manifest, load_metrics, recorded_spec
    from abm.files import folder_problem, staged_folder

    out = Path(out)
    manifest = load_manifest(out)
    spec = recorded_spec(manifest, out)
    final = Path(dest) if dest else out / "analysis"
    problem = folder_problem(final)
    if problem:
        raise SweepError(f"--out: {problem}")
    metrics = load_metrics(out)
    with staged_folder(final) as dest:
        _write_report(out, dest, manifest, spec, metrics)
    return final / "report.md"


def _write_report(out: Path, dest: Path, manifest: dict, spec: SweepSpec, metrics: pd.DataFrame) -> None:
    """Tables, figures and report.md of one sweep, written into ``dest``."""
    written: list[tuple[str, Path]] = []

    variants = variant_table(metrics)
    variants.to_csv(dest / "metrics_by_variant.csv", index=False)
    written.append(("Metrics by variant and design point (mean, 95% CI across replications)", dest / "metrics_by_variant.csv"))
    lines = [f"# Sweep report: {spec.name}", "",
             f"Spec hash `{manifest['spec_hash']}`, package {manifest.get('package_version')}, "
             f"git `{manifest.get('git_revision', 'unknown')[:12]}`; {metrics.run_id.nunique()} finished runs "
             f"of {manifest['runs']}; design {spec.design.type}, {spec.replications} replication(s) per point.", ""]
    failures = sorted((out / "failures").glob("*.json"))
    if failures:
        lines += [f"**{len(failures)} failed runs** (see `failures/`).", ""]
    if spec.baseline:
        effects = effect_table(metrics, spec.baseline)
        effects.to_csv(dest / "effects.csv", index=False)
        written.append((f"Paired effects against `{spec.baseline}` (same seeds), 95% CI", dest / "effects.csv"))
        by_type = effects[effects.district != "all"]
        if not by_type.empty:
            by_type = summarise(paired_effects(metrics, spec.baseline).query("district != 'all'"), "effect",
                                ["variant", "metric", "district_type", *param_columns(metrics)])
            by_type.to_csv(dest / "effects_by_district_type.csv", index=False)
            written.append(("Effects per district type", dest / "effects_by_district_type.csv"))
        fig = effect_figure(effects, dest / "effects.png")
        if fig:
            written.append(("Effects (municipality)", fig))
        for path in heatmaps(effects, dest):
            written.append((f"Heatmap {path.stem.removeprefix('heatmap_')}", path))
        cols = sorted({m.column for m in spec.metrics})
        over_time = effects_over_time(out, spec.baseline, cols) if spec.keep_timeseries else pd.DataFrame()
        if not over_time.empty:
            over_time.to_csv(dest / "effects_over_time.csv", index=False)
            written.append(("Effects per year", dest / "effects_over_time.csv"))
            written.append(("Effects over time", time_figure(over_time, dest / "effects_over_time.png")))
    indices = sensitivity(metrics, spec)
    if not indices.empty:
        indices.to_csv(dest / f"{spec.design.type}_indices.csv", index=False)
        written.append((f"{spec.design.type.capitalize()} indices with confidence intervals", dest / f"{spec.design.type}_indices.csv"))
        fig = sensitivity_figure(indices, spec.design.type, dest / f"{spec.design.type}_indices.png")
        written.append((f"{spec.design.type.capitalize()} indices", fig))
    conv = convergence(metrics, spec)  # also for an unfinished sweep: the prefixes it has completed
    if not conv.empty:
        conv.to_csv(dest / "convergence.csv", index=False)
        written.append(("Convergence: indices and bootstrap intervals on growing prefixes of the design", dest / "convergence.csv"))
        written.append(("Convergence of the indices", convergence_figure(conv, dest / "convergence.png")))
        stability = rank_stability(conv)
        stability.to_csv(dest / "rank_stability.csv", index=False)
        written.append(("Rank stability: top-down correlation with the full design's ranking; settled per metric",
                        dest / "rank_stability.csv"))
        sizes = sorted(conv["samples"].unique())[-2:]
        lines += [f"Ranking (total index / mu*) settled between n = {' and '.join(map(str, sizes))} of {spec.design.samples} "
                  "(top-down correlation >= 0.9, same top 3): "
                  + ", ".join(f"{m} {'yes' if ok else 'no'}" for m, ok in
                              stability[stability["index"].isin(["ST", "mu_star"])].groupby("metric")["settled"].all().items()), ""]
    regression = regression_indices(metrics, spec)
    if not regression.empty:
        regression.to_csv(dest / "regression.csv", index=False)
        written.append(("Cross-check: standardized regression coefficients on all finished runs (95% bootstrap), R²",
                        dest / "regression.csv"))
    seeds = seed_agreement(metrics, spec)
    if not seeds.empty:
        seeds.to_csv(dest / "indices_by_seed.csv", index=False)
        written.append(("Indices of each common seed alone and their ranking's agreement with the first seed",
                        dest / "indices_by_seed.csv"))
    for title, path in written:
        rel = path.name
        lines.append(f"## {title}\n\n" + (f"![{title}]({rel})" if rel.endswith(".png") else f"[{rel}]({rel})") + "\n")
    (dest / "report.md").write_text("\n".join(lines), encoding="utf-8")
