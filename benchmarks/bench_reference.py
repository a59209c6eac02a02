"""Benchmark: the 44,000-resident reference municipality vs mesa's virus_on_network.

Runs the default config (configs/default.yaml: 2 warm-up years + 10 years, 624 weekly steps) and,
in the same process, mesa's own ``mesa.examples.basic.virus_on_network`` with as many nodes and
mean degree 10, then prints wall time, per-step and per agent-step costs and their ratio.

    python benchmarks/bench_reference.py [--virus-steps 104] [--years 10]

virus_on_network builds its graph with ``nx.erdos_renyi_graph``, which is O(n^2) (hours at 44,000
nodes); the benchmark substitutes ``nx.fast_gnp_random_graph``, which draws from the same G(n, p)
distribution in O(n + m). Graph building is not timed for either model's per-step figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # one core, as in the target

import mesa  # noqa: E402
import networkx as nx  # noqa: E402

from abm import MunicipalityModel, load_config  # noqa: E402


def bench_buurtkracht(years: float) -> dict:
    cfg = load_config(overrides=[f"years={years}"])
    t0, c0 = time.perf_counter(), time.process_time()
    model = MunicipalityModel(cfg)
    t1 = time.perf_counter()
    model.run()
    t2, c2 = time.perf_counter(), time.process_time()
    steps = model.steps
    return {
        "residents": model.pop.n, "steps": steps, "build_s": t1 - t0, "run_s": t2 - t1, "total_s": t2 - t0,
        "total_cpu_s": c2 - c0,
        "per_step_ms": (t2 - t1) / steps * 1e3, "per_agent_step_us": (t2 - t1) / steps / model.pop.n * 1e6,
        "ties_at_end": model.ties.count,
    }


def bench_virus(nodes: int, steps: int) -> dict:
    import mesa.examples.basic.virus_on_network.model as vm

    class FastGraphs:
        """Stand-in for the example's ``nx`` module: same G(n, p) graph, built in linear time."""

        @staticmethod
        def erdos_renyi_graph(n, p, seed=None):
            return nx.fast_gnp_random_graph(n, p, seed=seed)

    vm.nx = FastGraphs
    t0 = time.perf_counter()
    model = vm.VirusOnNetwork(num_nodes=nodes, avg_node_degree=10, initial_outbreak_size=10, seed=1)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        model.step()
    t2, c2 = time.perf_counter(), time.process_time()
    return {"nodes": nodes, "steps": steps, "build_s": t1 - t0, "run_s": t2 - t1, "run_cpu_s": c2 - c1,
            "per_step_ms": (t2 - t1) / steps * 1e3, "per_agent_step_us": (t2 - t1) / steps / nodes * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--virus-steps", type=int, default=104)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    ours = bench_buurtkracht(args.years)
    virus = bench_virus(ours["residents"], args.virus_steps)
    ratio = ours["per_agent_step_us"] / virus["per_agent_step_us"]
    # on a shared machine wall time includes waiting for a core; CPU time does not
    cpu_ratio = (ours["total_cpu_s"] / ours["steps"] / ours["residents"]) / (virus["run_cpu_s"] / virus["steps"] / virus["nodes"])
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, mesa {mesa.__version__}")
    print(f"Buurtkracht reference run: {ours['residents']:,} residents, {ours['steps']} steps: "
          f"build {ours['build_s']:.1f} s, run {ours['run_s']:.1f} s, total {ours['total_s']:.1f} s "
          f"({ours['per_step_ms']:.1f} ms/step, {ours['per_agent_step_us']:.2f} us per agent-step)")
    print(f"virus_on_network: {virus['nodes']:,} nodes, mean degree 10, {virus['steps']} steps: "
          f"run {virus['run_s']:.1f} s ({virus['per_step_ms']:.1f} ms/step, {virus['per_agent_step_us']:.2f} us per agent-step)")
    print(f"ratio Buurtkracht / virus_on_network per agent-step: {ratio:.2f} (CPU time: {cpu_ratio:.2f}; "
          f"Buurtkracht CPU {ours['total_cpu_s']:.1f} s incl. build)")
    print(f"targets (issue 10): total <= 20 s: {'met' if ours['total_s'] <= 20 else 'MISSED'}; "
          f"ratio <= 0.3: {'met' if ratio <= 0.3 else 'MISSED'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"buurtkracht": ours, "virus_on_network": virus, "ratio": ratio, "cpu_ratio": cpu_ratio}, fh, indent=2)


if __name__ == "__main__":
    main()
