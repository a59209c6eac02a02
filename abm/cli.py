"""Command line: ``abm run`` (and the commands later issues add)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Buurtkracht: neighbourhood networks and care demand.")


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def write_atomic(path: Path, write) -> None:
    """Write via a temporary file in the same folder, then rename: readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


def summary_lines(df) -> list[str]:
    """A few headline figures: municipality at the start and the end of the horizon."""
    everyone = df[df["district"] == "all"]
    first, last = everyone.iloc[0], everyone.iloc[-1]
    from abm.config.units import WEEKS_PER_YEAR
    from abm.core.levels import DEMAND_COLUMNS as clients

    lines = [f"{'':34s}{'year ' + format(first['year'], '.1f'):>12s}{'year ' + format(last['year'], '.1f'):>12s}"]
    rows = [
        ("lonely adults (share)", "lonely_share", "{:.3f}"),
        ("severely lonely adults (share)", "severely_lonely_share", "{:.3f}"),
        ("mean local ties per resident", "mean_degree", "{:.2f}"),
        ("informal support (hours/week)", "informal_support_hours", "{:,.0f}"),
        ("volunteers", "volunteers", "{:,.0f}"),
        ("waiting list", "waiting_list", "{:,.0f}"),
    ]
    for label, col, fmt in rows:
        lines.append(f"{label:34s}{fmt.format(first[col]):>12s}{fmt.format(last[col]):>12s}")
    lines.append(f"{'formal care clients':34s}{sum(first[c] for c in clients):>12,.0f}{sum(last[c] for c in clients):>12,.0f}")
    per_res = WEEKS_PER_YEAR / first["population"]
    lines.append(f"{'formal care cost (euro/resident/yr)':34s}{first['formal_care_cost'] * per_res:>12,.0f}{last['formal_care_cost'] * per_res:>12,.0f}")
    total = everyone["formal_care_cost"].sum() + everyone["intervention_cost"].sum()
    lines.append(f"total cost over the horizon: {total / 1e6:,.1f} million euro "
                 f"(of which interventions {everyone['intervention_cost'].sum() / 1e6:,.2f})")
    return lines


@app.command()
def run(
    config: Path | None = typer.Option(None, "--config", "-c", help="YAML config (default: configs/default.yaml)"),
    scenario: list[str] = typer.Option([], "--scenario", "-s", help="scenario overlay by name or path; repeatable"),
    overrides: list[str] = typer.Option([], "--set", help="dotted override KEY=VALUE, e.g. years=5; repeatable"),
    seed: int | None = typer.Option(None, "--seed", help="random seed (overrides the config)"),
    out: Path = typer.Option(Path("results/run"), "--out", "-o", help="output folder"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="show a progress bar"),
) -> None:
    """Run the model; write DIR/model.parquet, DIR/config.yaml and DIR/summary.png."""
    from abm.config import ConfigError, dump_config, load_config

    try:
        extra = list(overrides) + ([f"seed={seed}"] if seed is not None else [])
        cfg = load_config(config, scenario, extra)
    except ConfigError as exc:
        fail(str(exc))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"--out {out}: cannot create the folder: {exc.strerror}")

    from tqdm import tqdm

    from abm.core.model import MunicipalityModel
    from abm.figures import summary_figure

    started = time.perf_counter()
    model = MunicipalityModel(cfg)
    bar = tqdm(total=model.total_steps, unit="wk", desc="simulating", disable=not progress, file=sys.stderr,
               mininterval=0.5)

    def tick(step, total):
        bar.update(1)

    df = model.run(progress=tick)
    bar.close()
    elapsed = time.perf_counter() - started
    write_atomic(out / "config.yaml", lambda p: p.write_text(dump_config(cfg), encoding="utf-8"))
    write_atomic(out / "model.parquet", lambda p: df.to_parquet(p, index=False))
    name = " + ".join(scenario) if scenario else "default"
    summary_figure(df, out / "summary.png", title=f"Buurtkracht: {name} (seed {cfg.seed}, {model.pop.n:,} residents)")
    typer.echo(f"Buurtkracht run '{name}': {model.pop.n:,} residents, {len(cfg.districts)} districts, "
               f"{cfg.years:g} years after {cfg.warmup_years:g} warm-up years, seed {cfg.seed} ({elapsed:.1f} s)")
    for line in summary_lines(df):
        typer.echo("  " + line)
    typer.echo(f"wrote {out / 'model.parquet'}, {out / 'config.yaml'}, {out / 'summary.png'}")


@app.command()
def sweep(
    spec: Path = typer.Argument(..., help="sweep spec (YAML), e.g. configs/sweeps/developers_fte_years.yaml"),
    out: Path | None = typer.Option(None, "--out", "-o", help="sweep folder (default: results/sweeps/<name>)"),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="local worker processes (default: all cores)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786"),
    resume: bool = typer.Option(False, "--resume", help="continue a sweep in --out, skipping finished runs"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Run a parameter sweep; results go to a parquet dataset under DIR with a manifest."""
    from abm.config import ConfigError
    from abm.experiments.spec import load_spec
    from abm.experiments.sweep import SweepError, run_sweep

    try:
        parsed, spec_dir = load_spec(spec)
        folder = out or Path("results/sweeps") / parsed.name
        summary = run_sweep(parsed, spec_dir, folder, workers=workers, scheduler=scheduler, resume=resume,
                            progress=progress)
    except (ConfigError, SweepError) as exc:
        fail(str(exc))
    typer.echo(f"sweep '{parsed.name}': {summary['total']} runs; {summary['skipped']} already finished, "
               f"{summary['done']} done now, {summary['failed']} failed -> {folder}")
    if summary["failed"]:
        shown = ", ".join(summary["failures"][:5]) + (" ..." if summary["failed"] > 5 else "")
        typer.echo(f"error: {summary['failed']} runs failed ({shown}); see {folder / 'failures'}; "
                   "fix and rerun with --resume", err=True)
        raise typer.Exit(1)


@app.command()
def analyze(
    folder: Path = typer.Argument(..., help="sweep folder written by 'abm sweep'"),
    out: Path | None = typer.Option(None, "--out", "-o", help="where to write (default: FOLDER/analysis)"),
) -> None:
    """Effects with confidence intervals, sensitivity indices, heatmaps and a report."""
    from abm.experiments.analysis import analyze as run_analysis
    from abm.experiments.sweep import SweepError

    try:
        report = run_analysis(folder, out)
    except SweepError as exc:
        fail(str(exc))
    typer.echo(f"wrote {report} and its tables and figures")


@app.command(name="app")
def workshop_app(
    config: Path | None = typer.Option(None, "--config", "-c", help="base YAML config (default: configs/default.yaml)"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to bind; the default serves this machine only"),
    port: int = typer.Option(8765, "--port", "-p", min=1, max=65535),
) -> None:
    """Start the workshop app (Solara) and serve it on HOST:PORT."""
    from abm.config import ConfigError, load_config

    if config is not None:
        try:
            load_config(config)
        except ConfigError as exc:
            fail(str(exc))
    env = dict(os.environ)
    if config is not None:
        env["BUURTKRACHT_CONFIG"] = str(config.resolve())
    typer.echo(f"Buurtkracht workshop app on http://{host}:{port} (Ctrl+C stops it)", err=True)
    cmd = [sys.executable, "-m", "solara", "run", "abm.app.page", "--host", host, "--port", str(port), "--production",
           "--no-open"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, cmd, env)  # the server replaces this process: signals reach it directly


@app.command()
def columns() -> None:
    """List the output table's columns with meaning and unit."""
    from abm.core.outputs import COLUMNS

    for name, (meaning, unit) in COLUMNS.items():
        typer.echo(f"{name:34s} [{unit}] {meaning}")


if __name__ == "__main__":  # pragma: no cover
    app()
