"""Benchmark: how fast the workshop app redraws (network view and charts) and steps.

    python benchmarks/bench_app.py [--population 1000 5000]

For each district size: build a session (both runs, one warm-up year), play half a year, then time
the network redraw (with the new/lost ties of one tick) and the four charts, each rendered to PNG as
the app does, and one tick of 2 weeks for both runs.
"""

from __future__ import annotations

import argparse
import time

from abm.app.network_view import draw_network, street_layout
from abm.app.page import chart_figure, figure_png
from abm.app.session import Session, Settings


def timed(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    for n in args.population:
        t0 = time.perf_counter()
        s = Session(Settings(district_type="deprived_urban", population=n, developers_fte=1.0))
        build = time.perf_counter() - t0
        s.step(26)
        model = s.models["levers"]
        layout = street_layout(model)
        _, previous = draw_network(model, layout)
        s.step(2)

        def network(model=model, layout=layout, previous=previous):
            fig, _ = draw_network(model, layout, previous=previous)
            figure_png(fig)

        def charts(s=s):
            figure_png(chart_figure(s, "nl", True))

        tick = timed(lambda s=s: s.step(2), repeat=3)
        print(f"{n:>6} residents ({len(layout.nodes)} drawn): build {build:.2f} s, network redraw "
              f"{timed(network):.2f} s, charts {timed(charts):.2f} s, one tick (2 weeks, both runs) {tick:.3f} s")


if __name__ == "__main__":
    main()
