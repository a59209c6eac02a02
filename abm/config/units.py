"""Physical constants of the model's clock: the only numbers allowed as literals in ``abm/core``
besides 0, 1 and indices (CONTRIBUTING.md)."""

from __future__ import annotations

WEEKS_PER_YEAR = 52.0  # one model step is one week; rates in the config are per year
DAYS_PER_WEEK = 7.0    # day prices and stays in days (cost ledger)

# numerical slack, not behaviour: rounding tolerance for computed counts, and a floor for divisors
TOLERANCE = 1e-9
TINY = 1e-12
