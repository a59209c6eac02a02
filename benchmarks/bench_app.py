"""Benchmark: the workshop app's pace (how long 10 years take to play) and where the time goes.

    python benchmarks/bench_app.py [--population 1000] [--runs 6] [--scenarios 3] [--weeks 8] [--workers 2]

Measures, for the first preset's district: one model step in this process (the model's own speed),
building the session (warm-up and copies per scenario, in the worker processes), advancing all
runs of all scenarios 10 years in ticks of ``--weeks`` (workers only), and one page redraw per tick
(cards, network and charts as figures, in this process). Playing overlaps the two: the workers
compute the next tick while the page draws this one, so 10 years take about
max(compute, redraw) per tick times the number of ticks.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("BUURTKRACHT_WORKERS", "0")  # the page below renders in this process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--scenarios", type=int, default=3)
    parser.add_argument("--weeks", type=int, default=8, help="weeks per tick (the app's default speed)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import solara

    from abm.app import page, state
    from abm.app.ensemble import WorkerPool
    from abm.app.session import Session
    from abm.app.settings import BOUNDS, config_for
    from abm.app.text import PRESETS
    from abm.core.model import MunicipalityModel

    preset = PRESETS[0]["settings"]
    settings = preset.with_(population=args.population, runs=args.runs, scenarios=preset.scenarios[:args.scenarios])

    model = MunicipalityModel(config_for(settings, settings.scenarios[-1]), seed=1)
    for _ in range(60):
        model.step()
    t0 = time.perf_counter()
    for _ in range(52):
        model.step()
    step_ms = (time.perf_counter() - t0) / 52 * 1000

    pool = WorkerPool(args.workers)
    warm = Session(settings.with_(runs=BOUNDS["runs"][0], scenarios=settings.scenarios[:1], years=1), pool)  # workers started
    warm.close()
    t0 = time.perf_counter()
    session = Session(settings, pool)
    build = time.perf_counter() - t0
    ticks = 0
    t0 = time.perf_counter()
    while not session.finished:
        session.advance(args.weeks)
        ticks += 1
    compute = time.perf_counter() - t0

    state.settings.value = settings.with_(years=1)
    solara.render(page.Page(), handle_error=False)
    live = state.session.value
    redraws = []
    for _ in range(5):
        live.advance(args.weeks)
        t0 = time.perf_counter()
        state.version.value += 1
        redraws.append(time.perf_counter() - t0)
    redraw = sorted(redraws)[len(redraws) // 2]
    pool.close()

    models = args.runs * args.scenarios
    print(f"{args.population} residents, {args.scenarios} scenarios x {args.runs} runs = {models} models, "
          f"{args.workers} workers, {args.weeks} weeks per tick ({ticks} ticks for {settings.years:g} years)")
    print(f"  model step in this process: {step_ms:.1f} ms  (all models, one core: {models * step_ms * 52 * settings.years / 1000:.0f} s "
          "for the horizon)")
    print(f"  build session: {build:.1f} s")
    print(f"  compute {settings.years:g} years: {compute:.1f} s ({compute / ticks:.2f} s per tick)")
    print(f"  page redraw per tick: {redraw:.2f} s")
    print(f"  play {settings.years:g} years: about {ticks * max(compute / ticks, redraw, page.TICK_SECONDS):.0f} s")


if __name__ == "__main__":
    main()
