"""Wellbeing outputs (docs/ODD.md §7.12): QALY loss with published utility weights (docs/spec/MODEL.md §11),
loneliness-years and weeks of unmet need, per district and week.

A week in a weighted state costs (reference utility − utility) / 52 QALY. Weighted states: lonely
(a decrement), a social need (isolation, a decrement), dementia by severity, a heavily burdened
informal carer, and a stay in residential care after an admission (the ledger's expected admitted
residents, so they stay counted after leaving their home). A resident in several states has the
decrements added (capped at the reference utility).
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.config.units import WEEKS_PER_YEAR

COLUMNS = ("qaly_loss", "loneliness_years", "unmet_need_weeks")


class Wellbeing:
    """Utility decrements from ``config.wellbeing`` as arrays."""

    def __init__(self, config: Config, settings: list[str]):
        w = config.wellbeing
        self.reference = w.reference_utility
        self.lonely = w.lonely_decrement
        self.isolated = w.isolation_decrement
        # decrement by dementia severity 0..max (severity 0: none)
        self.dementia = np.concatenate([[0.0], np.maximum(0.0, w.reference_utility - np.array(w.dementia_utility))])
        self.carer = max(0.0, w.reference_utility - w.carer_utility)
        self.residential = np.array([0.0 if w.residential_utility[s] is None else max(0.0, w.reference_utility - w.residential_utility[s])
                                     for s in settings])

    def week(self, district: np.ndarray, n_districts: int, lonely_adult: np.ndarray, social_need: np.ndarray,
             dementia_severity: np.ndarray, heavy_carer: np.ndarray, unmet: np.ndarray,
             admitted: np.ndarray) -> dict[str, np.ndarray]:
        """Per-district columns for this week.

        ``district`` (n,) int; ``lonely_adult``, ``social_need``, ``heavy_carer``, ``unmet`` (n,) bool;
        ``dementia_severity`` (n,) int, 0 = no dementia; ``admitted`` (D, S) expected residents in
        each residential setting (``costs.Ledger.stock``).
        """
        loss = (self.lonely * lonely_adult + self.isolated * social_need
                + self.dementia[dementia_severity] + self.carer * heavy_carer)
        loss = np.minimum(loss, self.reference)
        per = lambda x: np.bincount(district, weights=x, minlength=n_districts)  # noqa: E731
        count = lambda mask: np.bincount(district[mask], minlength=n_districts).astype(np.float64)  # noqa: E731
        return {
            "qaly_loss": (per(loss) + admitted @ self.residential) / WEEKS_PER_YEAR,
            "loneliness_years": count(lonely_adult) / WEEKS_PER_YEAR,
            "unmet_need_weeks": count(unmet),
        }
