"""Up-front estimate of a run's wall time and peak memory from its size, and whether it fits here.

The estimate is linear in residents, districts and weeks with coefficients measured on the
development machine (2 cores, 24 GiB, one run per process, other jobs running) by
``python benchmarks/bench_estimate.py``; rerun it after changing the model's speed and update the
constants below. Only a run whose memory estimate exceeds this machine's physical memory is
refused: time is reported, never a reason to refuse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from abm.config import Config
from abm.config.units import WEEKS_PER_YEAR

# measured (benchmarks/bench_estimate.py; see the docstring). The step and build times and the
# growth per year were re-measured on 2026-11-25 after the fifth speed round (README "Speed and
# scale"): benchmarks/bench_scale.py (10,000 to 650,000 residents, 1 to 70 districts) fitted as
# residents x 2.25 us + districts x 0.2 ms a week for weeks 14-26, times 1.26 for the whole horizon
# (a full 44,000-resident run: later years cost more per week), under a load of about 5 (about 0.8x
# that on a quiet machine); peak memory after 26 weeks 302 MiB + 2.3 KiB per resident
BASE_MB = 280.0  # interpreter with numpy, pandas, networkx, mesa and the numba kernels loaded (re-measured)
KB_PER_RESIDENT = 2.3  # population, ties and need state in the first half year (re-measured)
KB_PER_RESIDENT_YEAR = 0.1  # growth over simulated years (44,000 residents: +51 MB in 12 years)
BYTES_PER_OUTPUT_ROW = 2000.0  # one district-week of the output table while it is built and written
BUILD_S_PER_RESIDENT = 30e-6  # building the population and its initial network
STEP_S_PER_RESIDENT_WEEK = 2.4e-6
STEP_S_PER_DISTRICT_WEEK = 0.25e-3
START_S = 3.0  # imports and writing the outputs

GIB = 2.0**30


@dataclass(frozen=True)
class Estimate:
    """Resources of one run: ``seconds`` of wall time and ``bytes`` of peak memory."""

    residents: int
    districts: int
    weeks: int
    seconds: float
    bytes: float

    def size(self) -> str:
        plural = "s" if self.districts != 1 else ""
        return f"{self.residents:,} residents in {self.districts:,} district{plural} over {self.weeks:,} weeks"

    def describe(self) -> str:
        return f"about {_duration(self.seconds)} and {self.bytes / GIB:.1f} GiB of memory for {self.size()}"

    def problem(self, available: float | None = None) -> str | None:
        """Why this run cannot be done on this machine, or None."""
        available = machine_memory() if available is None else available
        if available and self.bytes > available:
            return (f"{self.size()} need about {self.bytes / GIB:.1f} GiB of memory, more than this machine's "
                    f"{available / GIB:.0f} GiB; use fewer residents or districts")
        return None


def estimate(config: Config) -> Estimate:
    """Time and memory of running ``config`` (warm-up included) in one process."""
    residents = sum(d.population for d in config.districts)
    districts = len(config.districts)
    weeks = config.warmup_steps + config.steps
    years = weeks / WEEKS_PER_YEAR
    memory = (BASE_MB * 2**20 + residents * (KB_PER_RESIDENT + KB_PER_RESIDENT_YEAR * years) * 1024
              + weeks * (districts + 1) * BYTES_PER_OUTPUT_ROW)
    seconds = (START_S + residents * BUILD_S_PER_RESIDENT
               + weeks * (residents * STEP_S_PER_RESIDENT_WEEK + districts * STEP_S_PER_DISTRICT_WEEK))
    return Estimate(residents, districts, weeks, seconds, memory)


def machine_memory() -> float:
    """Physical memory of this machine in bytes (0 if the platform does not say)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 0.0


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
