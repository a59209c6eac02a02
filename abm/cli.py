"""Command line: ``abm run``, ``abm sweep``, ``abm analyze``, ``abm app``, ``abm scan`` and ``abm columns``.

Bad input of any kind ends in one line ``error: ...`` on stderr and exit status 2, before any output
folder or file is created.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import time
from pathlib import Path

import numpy as np
import typer

from abm.config.units import WEEKS_PER_YEAR
from abm.core.levels import SERVED_COLUMNS

USAGE_ERROR = 2  # exit status of every refused input (click's own convention for usage errors)


class _Cli(typer.Typer):
    """Typer whose usage errors (unknown option, missing argument) are one line, not a boxed panel."""

    def __call__(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            code = super().__call__(*args, **kwargs)
        except Exception as exc:  # click's exceptions (typer may vendor its own click): duck-typed
            kind = type(exc).__name__
            if kind == "Abort":
                code = 130
            elif not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            elif kind == "NoArgsIsHelpError":  # plain 'abm': the help text
                exc.show()
                code = 0
            else:
                ctx = getattr(exc, "ctx", None)
                where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                typer.echo(f"error: {exc.format_message()}{where}", err=True)
                code = exc.exit_code
        sys.exit(code if isinstance(code, int) else 0)


app = _Cli(add_completion=False, no_args_is_help=True, help="Buurtkracht: neighbourhood networks and care demand.")


def fail(message: str, code: int = USAGE_ERROR) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl+C so that the same clean-up runs."""


def _terminate(signum, frame):
    raise Interrupted()


def interrupted_status(exc: KeyboardInterrupt) -> int:
    """128 + the signal: 143 for SIGTERM, 130 for Ctrl+C."""
    return 128 + (signal.SIGTERM if isinstance(exc, Interrupted) else signal.SIGINT)


def _ends(f):
    """(value at the first step, value at the last step) of one replication's municipality rows."""
    return lambda part: (f(part.iloc[0]), f(part.iloc[-1]))


SUMMARY_ROWS = {
    "lonely adults (share)": ("lonely_share", _ends(lambda r: r["lonely_share"]), "{:.3f}"),
    "severely lonely adults (share)": ("severely_lonely_share", _ends(lambda r: r["severely_lonely_share"]), "{:.3f}"),
    "mean local ties per resident": ("mean_degree", _ends(lambda r: r["mean_degree"]), "{:.2f}"),
    "informal support (hours/week)": ("informal_support_hours", _ends(lambda r: r["informal_support_hours"]), "{:,.0f}"),
    "volunteers": ("volunteers", _ends(lambda r: r["volunteers"]), "{:,.0f}"),
    "waiting list": ("waiting_list", _ends(lambda r: r["waiting_list"]), "{:,.0f}"),
    "formal care clients": ("clients", _ends(lambda r: sum(r[c] for c in SERVED_COLUMNS)), "{:,.0f}"),
    "formal care demand (served or not)": ("demand_total", _ends(lambda r: r["demand_total"]), "{:,.0f}"),
    "formal care cost (euro/resident/yr)": ("cost_per_resident",
                                            _ends(lambda r: r["formal_care_cost"] * WEEKS_PER_YEAR / r["population"]), "{:,.0f}"),
    "societal cost (euro/resident/yr)": ("societal_per_resident",
                                         _ends(lambda r: r["societal_cost"] * WEEKS_PER_YEAR / r["population"]), "{:,.0f}"),
    "societal cost over the horizon (M euro)": ("total_cost", lambda part: (np.nan, part["societal_cost"].sum() / 1e6), "{:,.1f}"),
    "  of which interventions (M euro)": ("intervention_cost", lambda part: (
        np.nan, part["intervention_cost"].sum() / 1e6), "{:,.2f}"),
}


def summary_lines(df) -> list[str]:
    """Headline figures for the municipality at the start and the end of the horizon; with
    replications (a ``replication`` column) each is the mean with its 95% interval over them."""
    from abm.experiments.replications import summary_table

    table = summary_table(df, {label: row[:2] for label, row in SUMMARY_ROWS.items()})
    everyone = df[df["district"] == "all"]
    many = table["n"].iloc[0] > 1
    width = 30 if many else 12

    def cell(fmt, mean, low, high):
        if not np.isfinite(mean):
            return ""
        return fmt.format(mean) + (f" [{fmt.format(low)}, {fmt.format(high)}]" if many else "")

    head = f"{'':38s}{'year ' + format(everyone['year'].min(), '.1f'):>{width}s}{'year ' + format(everyone['year'].max(), '.1f'):>{width}s}"
    lines = [head]
    for row in table.itertuples():
        fmt = SUMMARY_ROWS[row.label][2]
        lines.append(f"{row.label:38s}{cell(fmt, row.start, row.start_low, row.start_high):>{width}s}"
                     f"{cell(fmt, row.end, row.end_low, row.end_high):>{width}s}")
    if many:
        lines.append(f"means over {table['n'].iloc[0]} replications (paired seeds) with 95% intervals [low, high]")
    return lines


@app.command()
def run(
    config: Path | None = typer.Option(None, "--config", "-c", help="YAML config (default: configs/default.yaml)"),
    scenario: list[str] = typer.Option([], "--scenario", "-s", help="scenario overlay by name or path; repeatable"),
    overrides: list[str] = typer.Option([], "--set", help="dotted override KEY=VALUE, e.g. years=5; repeatable"),
    seed: int | None = typer.Option(None, "--seed", help="random seed (overrides the config)"),
    replications: int | None = typer.Option(None, "--replications", "-r", min=1,
                                            help="run N paired seeds (from the seed) and show means with 95%% intervals"),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="with --replications: local worker processes (default: all cores)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="with --replications: Dask scheduler address"),
    posterior: Path | None = typer.Option(None, "--posterior", help="with --replications: each replication draws "
                                          "its parameters from this calibration's posterior (folder or posterior.csv)"),
    out: Path = typer.Option(Path("results/run"), "--out", "-o", help="output folder"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="show a progress bar"),
) -> None:
    """Run the model; write DIR/model.parquet, DIR/config.yaml and DIR/summary.png.

    With --replications N the N runs (kept in DIR, resumable) go into one model.parquet with a
    'replication' and a 'seed' column; the summary shows means with 95% intervals and bands.
    """
    from abm.config import ConfigError, dump_config, load_config
    from abm.experiments.estimate import estimate
    from abm.files import atomic_write, folder_problem

    draws = None
    try:
        extra = list(overrides) + ([f"seed={seed}"] if seed is not None else [])
        cfg = load_config(config, scenario, extra)
        if posterior is not None:
            if replications is None:
                raise ConfigError("--posterior needs --replications N (the number of parameter draws)")
            from abm.experiments.calibration import draw_posterior

            draws = draw_posterior(posterior, replications, cfg.seed)
            for i in range(len(draws)):  # every draw must make a valid config
                load_config(config, scenario, [*extra, *(f"{k}={v}" for k, v in draws.iloc[i].items())])
    except ConfigError as exc:
        fail(str(exc))
    need = estimate(cfg)
    if need.problem():
        fail(need.problem())
    problem = folder_problem(out)
    if problem:
        fail(f"--out: {problem}")
    typer.echo(f"estimate: {need.describe()}", err=True)

    from abm.figures import summary_figure

    started = time.perf_counter()
    try:
        if replications is None:
            df, residents = single_run(cfg, progress)
            runs = f"seed {cfg.seed}"
        else:
            from abm.experiments.replications import replicate
            from abm.experiments.sweep import SweepError

            try:
                df = replicate(cfg, replications, workers=workers, scheduler=scheduler, out=out, progress=progress,
                               draws=draws)
            except SweepError as exc:
                fail(str(exc), code=1)
            residents = int(df.loc[(df.district == "all") & (df.replication == 0), "population"].iloc[0])
            runs = f"{replications} replications from seed {cfg.seed}" + (" and the posterior" if draws is not None else "")
    except KeyboardInterrupt as exc:
        kept = f"; finished replications are kept in {out} (rerun to resume)" if replications else "; nothing written"
        fail(f"interrupted{kept}", interrupted_status(exc))
    except MemoryError:
        fail(f"out of memory after {time.perf_counter() - started:.0f} s ({need.describe()}); nothing written")
    elapsed = time.perf_counter() - started
    name = " + ".join(scenario) if scenario else "default"
    summary = summary_lines(df)
    try:
        atomic_write(out / "config.yaml", lambda p: p.write_text(dump_config(cfg), encoding="utf-8"))
        atomic_write(out / "model.parquet", lambda p: df.to_parquet(p, index=False))
        summary_figure(df, out / "summary.png", title=f"Buurtkracht: {name} ({runs}, {residents:,} residents)")
    except OSError as exc:
        fail(f"--out {out}: cannot write the results: {exc.strerror or exc}", 1)
    typer.echo(f"Buurtkracht run '{name}': {residents:,} residents, {len(cfg.districts)} districts, "
               f"{cfg.years:g} years after {cfg.warmup_years:g} warm-up years, {runs} ({elapsed:.1f} s)")
    for line in summary:
        typer.echo("  " + line)
    typer.echo(f"wrote {out / 'model.parquet'}, {out / 'config.yaml'}, {out / 'summary.png'}")


def single_run(cfg, progress: bool):
    """One run of ``cfg`` in this process with a progress bar; returns (table, residents)."""
    from tqdm import tqdm

    from abm.core.model import MunicipalityModel

    model = MunicipalityModel(cfg)
    bar = tqdm(total=model.total_steps, unit="wk", desc="simulating", disable=not progress, file=sys.stderr,
               mininterval=0.5)
    df = model.run(progress=lambda step, total: bar.update(1))
    bar.close()
    return df, model.pop.n


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

    folder = out
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        parsed, spec_dir = load_spec(spec)
        folder = out or Path("results/sweeps") / parsed.name
        summary = run_sweep(parsed, spec_dir, folder, workers=workers, scheduler=scheduler, resume=resume,
                            progress=progress)
    except (ConfigError, SweepError) as exc:
        fail(str(exc))
    except KeyboardInterrupt as exc:
        fail(f"sweep interrupted; its finished runs are kept in {folder}: continue with --resume",
             interrupted_status(exc))
    finally:
        signal.signal(signal.SIGTERM, previous)
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


@app.command()
def calibrate(
    spec: Path = typer.Argument(..., help="calibration spec (YAML), e.g. configs/calibration/loneliness_small.yaml"),
    out: Path | None = typer.Option(None, "--out", "-o", help="calibration folder (default: results/calibration/<name>)"),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="local worker processes (default: all cores)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786"),
    resume: bool = typer.Option(False, "--resume", help="continue the calibration in --out from its last generation"),
) -> None:
    """Fit config parameters to published targets by ABC-SMC; write posterior, fit, figures, overlay."""
    from abm.config import ConfigError
    from abm.experiments.calibration import fit, load_calibration
    from abm.experiments.sweep import SweepError

    try:
        cal = load_calibration(spec)
        folder = out or Path("results/calibration") / cal.spec.name
        history = fit(cal, folder, workers=workers, scheduler=scheduler, resume=resume)
        # plotting loads after the checks
        from abm.experiments.calibration_report import write_report

        report = write_report(cal, history, folder, workers=workers or os.cpu_count() or 1, scheduler=scheduler)
    except (ConfigError, SweepError) as exc:
        fail(str(exc))
    typer.echo(f"calibration '{cal.spec.name}': {history.n_populations} generations -> {report}, "
               f"{folder / 'calibrated.yaml'}")


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
    exposure = host_exposure(host)
    if exposure:
        typer.echo(f"warning: --host {host} {exposure}; the app has no login. "
                   "Use --host 127.0.0.1 to serve this machine only.", err=True)
    typer.echo(f"Buurtkracht workshop app on http://{host}:{port} (Ctrl+C stops it)", err=True)
    # --no-check-version: no "new version of Solara available" nag against the project's pin
    cmd = [sys.executable, "-m", "solara", "run", "abm.app.page", "--host", host, "--port", str(port), "--production",
           "--no-open", "--no-check-version"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, cmd, env)  # the server replaces this process: signals reach it directly


def host_exposure(host: str) -> str | None:
    """Who can reach a server bound to ``host``, if more than this machine (None for loopback)."""
    if host.lower() in ("localhost", "ip6-localhost"):
        return None
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "binds to whatever that name resolves to: anyone who can reach that address can open the app"
    if address.is_loopback:
        return None
    if address.is_unspecified:
        return "serves the app on every network interface: anyone who can reach this machine can open it"
    if address.is_private or address.is_link_local:
        return "serves the app on a local network address: anyone on that network can open it"
    return "serves the app on a public address: anyone on the internet who can reach it can open it"


@app.command()
def scan(
    file: Path = typer.Argument(..., help="social district scan (CSV, one row per district; docs/scan.md)"),
    out: Path = typer.Option(..., "--out", "-o", help="config file to write (YAML), e.g. my.yaml"),
    scale: float = typer.Option(1.0, "--scale", help="multiply every district's population (e.g. 0.25 for a quick run)"),
) -> None:
    """Type each district from its figures and write a runnable config; print the reasons."""
    from abm.config import ConfigError
    from abm.config.scan import config_text
    from abm.config.scan import scan as scan_file
    from abm.files import atomic_write

    try:
        data, typed, _ = scan_file(file, scale)
    except ConfigError as exc:
        fail(str(exc))
    if out.is_dir():
        fail(f"--out: {out} is a folder; give a file name such as {out / 'my.yaml'}")
    if out.parent.exists() and not out.parent.is_dir():
        fail(f"--out: cannot create {out}: {out.parent} is a file, not a folder")
    for t in typed:
        typer.echo(f"{t.row.district}: {t.type}")
        for reason in t.reasons:
            typer.echo(f"    {reason}")
    try:
        atomic_write(out, lambda p: p.write_text(config_text(file, data, typed, scale), encoding="utf-8"))
    except OSError as exc:
        fail(f"--out {out}: cannot write: {exc.strerror or exc}", 1)
    typer.echo(f"wrote {out}: {len(typed)} districts, {sum(d['population'] for d in data['districts']):,} residents; "
               f"run it with: abm run --config {out}")


@app.command()
def columns() -> None:
    """List the output table's columns: unit, meaning, municipality row, how computed."""
    from abm.core.columns import COLUMNS

    for c in COLUMNS:
        typer.echo(f"{c.name:34s} [{c.unit}] {c.meaning}\n{'':34s} municipality: {c.municipality}; computed as: {c.how}")


if __name__ == "__main__":  # pragma: no cover
    app()
