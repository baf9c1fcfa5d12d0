"""Summary statistics over replicates: the one definition of a metric's mean and 5/50/95% range,
and of the Student-t intervals of a mean and of a difference of means.

Every summary metric of a run (``summary.json``'s ``metrics``, the rows of a sweep summary) is
described by :data:`STATISTICS` of its per-replicate values, computed by
:func:`summary_statistics`. :func:`mean_interval` is the 95% t-interval of a mean (of paired
differences, too: common random numbers); :func:`welch_interval` that of a difference of two
independent means.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["MIN_REPLICATES", "STATISTICS", "T975", "mean_interval", "summary_statistics", "t975",
           "welch_interval"]

#: Fewest replicates for which an interval is shown.
MIN_REPLICATES = 3

#: The 97.5% quantile of Student's t by degrees of freedom (two-sided 95% interval).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
        10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042, 60: 2.000}


def t975(df: float) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom (the next tabulated ``df``
    at or above it, so never too narrow; 1.96 beyond 60).
    """
    for k in sorted(T975):
        if df <= k:
            return T975[k]
    return 1.96


def mean_interval(values: Sequence[float]) -> tuple[float, float] | None:
    """95% Student-t interval of the mean of ``values``; None below :data:`MIN_REPLICATES` values."""
    n = len(values)
    if n < MIN_REPLICATES:
        return None
    mean = sum(values) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in values) / (n - 1))
    half = t975(n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def welch_interval(a: Sequence[float], b: Sequence[float]) -> tuple[float, float] | None:
    """95% Welch t-interval of mean(b) − mean(a) for independent samples; None when either has fewer
    than :data:`MIN_REPLICATES` values.
    """
    if min(len(a), len(b)) < MIN_REPLICATES:
        return None
    va, vb = float(np.var(a, ddof=1)) / len(a), float(np.var(b, ddof=1)) / len(b)
    diff = float(np.mean(b) - np.mean(a))
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = t975(df) * se
    return diff - half, diff + half

#: The statistics of a summary metric over replicates, in order.
STATISTICS = ("mean", "p05", "p50", "p95")


def summary_statistics(values: Iterable[float]) -> dict[str, float]:
    """Mean and 5th/50th/95th percentiles of one figure over replicates (:data:`STATISTICS`).

    Args:
        values: one value per replicate (at least one).

    Returns:
        ``{"mean": ..., "p05": ..., "p50": ..., "p95": ...}`` as floats (percentiles with numpy's
        default linear interpolation).
    """
    v = np.array(list(values), dtype=float)
    return {"mean": float(v.mean()), "p05": float(np.percentile(v, 5)),
            "p50": float(np.percentile(v, 50)), "p95": float(np.percentile(v, 95))}
