"""Summary statistics over replicates: the one definition of a metric's mean and 5/50/95% range.

Every summary metric of a run (``summary.json``'s ``metrics``, the rows of a sweep summary) is
described by :data:`STATISTICS` of its per-replicate values, computed by
:func:`summary_statistics`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["STATISTICS", "summary_statistics"]

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
