"""The macro feedback loop's figures: amplification (loop on ÷ loop off) and where it comes from.

Both sides are runs of the same scenario with the same seeds (common random numbers), one with
``economy.feedback=false`` and one with ``true`` (:mod:`simulator.studies.feedback` runs them).

- :func:`amplification`: for each of :data:`AMPLIFIED` (peak and cumulative default rate, loss
  rate) the mean over replicates with the loop, without it, and their ratio; also the ratio per
  replicate pair (same seed) and its range.
- :func:`channels`: the chain credit supply → spending → demand and jobs → defaults, each link
  as the loop's change of a timeseries column over the reported months (replicate means), in the
  units a reader can follow.
- :func:`recapitalisation`: what the shareholder paid in with the loop (a cost of the loop) and
  the lender's equity path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.outputs.catalogue import metric
from simulator.outputs.results import summarize

__all__ = ["AMPLIFIED", "CHANNELS", "amplification", "channels", "recapitalisation"]

#: The summary metrics whose amplification is reported.
AMPLIFIED: tuple[str, ...] = ("peak_default_rate", "cum_default_rate", "loss_rate")


def amplification(off_ts: pd.DataFrame, off_seg: pd.DataFrame, on_ts: pd.DataFrame,
                  on_seg: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Amplification of each metric of :data:`AMPLIFIED`: ``{"loop_off", "loop_on", "ratio",
    "ratio_p05", "ratio_p95", "label"}`` (means over replicates; ``ratio`` = loop on ÷ loop off of
    the means; ``ratio_p05``/``ratio_p95``: the 5th/95th percentiles of the per-replicate ratios,
    replicate ``r`` of both sides sharing its random numbers).
    """
    out: dict[str, dict[str, float]] = {}
    per_off = _per_replicate(off_ts, off_seg)
    per_on = _per_replicate(on_ts, on_seg)
    for name in AMPLIFIED:
        a = np.array([m[name] for m in per_off])
        b = np.array([m[name] for m in per_on])
        ratios = b / a
        out[name] = {"label": metric(name).label, "loop_off": float(a.mean()), "loop_on": float(b.mean()),
                     "ratio": float(b.mean() / a.mean()) if a.mean() else float("nan"),
                     "ratio_p05": float(np.nanpercentile(ratios, 5)),
                     "ratio_p95": float(np.nanpercentile(ratios, 95))}
    return out


def _per_replicate(ts: pd.DataFrame, seg: pd.DataFrame) -> list[dict[str, float]]:
    """Each replicate's summary metrics (the means of :func:`summarize` over one replicate)."""
    return [{k: v["mean"] for k, v in summarize(t, seg[seg["replicate"] == r]).items()}
            for r, t in ts.groupby("replicate", sort=True)]


#: The links of the loop: (key, label, column, how): ``how`` is ``pct`` (relative change of the
#: column's sum over the months, loop on vs off), ``pp`` (change of its mean in percentage points)
#: or ``index`` (change of its mean).
CHANNELS: tuple[tuple[str, str, str, str], ...] = (
    ("credit_supply", "Credit supply: open to buy (unused lines)", "open_to_buy", "pct"),
    ("blocked", "Purchases blocked by the line", "constrained_purchases", "pct"),
    ("purchases", "BNPL purchases made", "purchases", "pct"),
    ("demand", "Consumer demand index (effective)", "demand_index", "pct"),
    ("unemployment", "Unemployment rate (effective)", "unemployment_rate", "pp"),
    ("defaults", "Monthly default rate", "default_rate", "pp"),
)


def channels(off_ts: pd.DataFrame, on_ts: pd.DataFrame) -> pd.DataFrame:
    """The loop's change of each link of :data:`CHANNELS` over the reported months.

    Returns:
        One row per link: ``key``, ``label``, ``loop_off`` and ``loop_on`` (sum over months for
        ``pct`` links, mean for the others, both averaged over replicates), ``change`` (relative
        change for ``pct``; difference in percentage points for ``pp``), ``unit`` (``%`` or ``points``)
        and ``peak_month_gap`` (the month where loop on − loop off of the monthly means is largest
        in absolute value).
    """
    rows = []
    for key, label, col, how in CHANNELS:
        a = off_ts.groupby("month")[col].mean()
        b = on_ts.groupby("month")[col].mean()
        gap = (b - a).dropna()
        peak = int(gap.abs().idxmax()) if len(gap) else -1
        if how == "pct":
            lo, hi = float(a.sum()), float(b.sum())
            change = 100.0 * (hi / lo - 1.0) if lo else float("nan")
            unit = "%"
        else:
            lo, hi = float(a.mean()), float(b.mean())
            change = 100.0 * (hi - lo)
            unit = "points"
        rows.append({"key": key, "label": label, "column": col, "loop_off": lo, "loop_on": hi,
                     "change": change, "unit": unit, "peak_month_gap": peak})
    return pd.DataFrame(rows)


def recapitalisation(on_ts: pd.DataFrame) -> dict[str, float]:
    """The shareholder's cost and the lender's equity path in the loop-on run (replicate means):
    ``paid`` (recapitalisation summed over the reported months, currency), ``pct_initial_equity``
    (÷ equity at month 0, %), ``min_capital_ratio`` (lowest monthly mean capital ratio, %),
    ``min_month`` (its month), ``months_at_zero`` (months whose mean equity is 0),
    ``back_to_target_month`` (first month after the lowest point whose mean capital ratio
    is back within 1% of the month-0 ratio; -1: never), ``label``.
    """
    by_month = on_ts.groupby("month")
    paid = float(on_ts.groupby("replicate")["recapitalisation"].sum().mean())
    equity = by_month["equity"].mean()
    ratio = by_month["capital_ratio"].mean()
    e0 = float(equity.iloc[0])
    low = int(ratio.idxmin())
    back = ratio[(ratio.index > low) & (ratio >= 0.99 * float(ratio.iloc[0]))]
    return {"label": metric("recapitalisation").label, "paid": paid,
            "pct_initial_equity": 100.0 * paid / e0 if e0 else float("nan"),
            "min_capital_ratio": 100.0 * float(ratio.min()), "min_month": low,
            "months_at_zero": int((equity <= 0).sum()),
            "back_to_target_month": int(back.index[0]) if len(back) else -1}
