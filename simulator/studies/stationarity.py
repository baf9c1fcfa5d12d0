"""Stationarity of the baseline book: ratios of late-year to first-year 12-month averages.

Under a constant economy a stationary book keeps its delinquency, losses, line usage and size
from year to year. :func:`stationarity_ratios` computes, from a run's time series, the ratio of
the 12-month average of a late year (year 5 of a 60-month run) to that of year 1 for each series
of :data:`RATIO_SERIES` (the bands are :data:`simulator.studies.targets.STATIONARY_BANDS`);
approval rate and open-to-buy are reported beside them without a band.
:func:`stationarity_table` runs the baseline and returns the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.config import Config, compose
from simulator.core.model import CreditModel
from simulator.core.state import ACTIVE
from simulator.studies.runner import run
from simulator.studies.targets import STATIONARY_BANDS

__all__ = ["RATIO_SERIES", "month0_vintage_shares", "stationarity_ratios", "stationarity_table"]

#: Ratios reported: name → (numerator column, denominator column or None). Banded ones first.
RATIO_SERIES: dict[str, tuple[str, str | None]] = {
    "default_rate": ("default_rate", None),
    "dpd30_rate": ("dpd30_rate", None),
    "dpd90_rate": ("dpd90_rate", None),
    "loss_rate": ("loss_rate", None),
    "utilization": ("utilization", None),
    "credit_limit / income_index": ("credit_limit", "income_index"),
    "n_active": ("n_active", None),
    "originations": ("originations", None),
    "approval_rate": ("approval_rate", None),
    "open_to_buy": ("open_to_buy", None),
}


def stationarity_ratios(ts: pd.DataFrame, first_year: int = 1, last_year: int = 5) -> dict[str, float]:
    """Ratio of the ``last_year`` to the ``first_year`` 12-month average of each series.

    Each month's value is first averaged over replicates; a ratio of two columns (credit limit ÷
    income index) is taken month by month. Year ``y`` is months ``12(y−1)`` .. ``12y−1``; raises
    ``ValueError`` if the time series does not reach the end of ``last_year``.
    """
    if ts["month"].max() < 12 * last_year - 1:
        raise ValueError(f"the time series ends at month {ts['month'].max()}, before year {last_year}")
    by_month = ts.groupby("month").mean(numeric_only=True)
    out = {}
    for name, (num, den) in RATIO_SERIES.items():
        s = by_month[num] / by_month[den] if den else by_month[num]
        a = s.loc[12 * (first_year - 1): 12 * first_year - 1].mean()
        b = s.loc[12 * (last_year - 1): 12 * last_year - 1].mean()
        out[name] = float(b / a) if a else np.nan
    return out


def stationarity_table(n: int = 20_000, replicates: int = 5, seed: int = 42) -> pd.DataFrame:
    """Run the baseline (constant economy) and tabulate year-5 ÷ year-1 ratios against their bands.

    Columns: ``ratio``, ``low``, ``high`` (NaN where no band) and ``ok`` (True where no band).
    """
    res = run(compose(["economy=baseline", f"run.n_borrowers={n}", f"run.replicates={replicates}",
                       f"run.seed={seed}", "run.months=60", "run.charts=false"]))
    rows = []
    for name, r in stationarity_ratios(res.timeseries).items():
        lo, hi = STATIONARY_BANDS.get(name, (np.nan, np.nan))
        ok = bool(lo <= r <= hi) if name in STATIONARY_BANDS else True
        rows.append({"series": name, "ratio": r, "low": lo, "high": hi, "ok": ok})
    return pd.DataFrame(rows).set_index("series")


def month0_vintage_shares(cfg: Config) -> tuple[np.ndarray, int]:
    """The seasoned start's mix of account ages: each origination month's share of the accounts
    active at month 0 (burn-in only, replicate 0), and how many accounts are active then.
    """
    model = CreditModel(cfg)
    try:
        while model.month < 0:
            model.step()
        om = model.pop.open_month[model.pop.status == ACTIVE].astype(np.int64)
    finally:
        model.release()
    if not om.size:
        return np.ones(1), 0
    return np.bincount(om - om.min()) / om.size, int(om.size)
