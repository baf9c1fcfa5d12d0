"""Result objects: the tidy tables of a run, its summary, and atomic save/load.

A run directory is complete when it holds ``summary.json``: it is written last, after every
table and chart has been moved into place from a temporary folder, so an interrupted or failed
run never leaves a directory that looks finished (see :mod:`simulator.outputs.rundir` and
:func:`simulator.outputs.io.staged_dir`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.outputs import charts as charts_module
from simulator.outputs.catalogue import SUMMARY_METRICS
from simulator.outputs.io import staged_dir
from simulator.outputs.rundir import CHARTS_DIR, SUMMARY_FILE, TABLES, is_complete, read_summary
from simulator.outputs.stats import summary_statistics

# TABLES and is_complete are also importable from here (their home is simulator.outputs.rundir).
__all__ = ["RunResult", "TABLES", "is_complete", "replicate_metrics", "summarize"]


def peak_quarterly_default_rates(ts: pd.DataFrame) -> tuple[float, float]:
    """One replicate's peak of the 3-month moving average of the monthly default rate, and its
    peak annualised quarterly default rate ``1 − (1 − q)^4``, ``q`` = new defaults in 3
    consecutive months ÷ accounts performing at the start of the first of them.

    With fewer than 3 months, the window is the months there are.
    """
    ts = ts.sort_values("month")
    w = min(3, len(ts))
    ma = ts["default_rate"].rolling(w).mean()
    q = ts["new_defaults"].rolling(w).sum() / ts["n_performing_start"].shift(w - 1)
    q = q.where(ts["n_performing_start"].shift(w - 1) > 0, 0.0)
    return float(ma.max()), float((1.0 - (1.0 - q) ** (12 / w)).max())


def _replicate_metrics(ts: pd.DataFrame, seg: pd.DataFrame) -> dict[str, float]:
    last = ts.iloc[-1]
    peak, peak_annual = peak_quarterly_default_rates(ts)
    months = len(ts)
    avg_recv = float(ts["receivables"].mean())
    net = float(ts["net_charge_offs"].sum())
    out = {
        "cum_default_rate": float(last["cum_default_rate"]),
        "peak_default_rate": peak,
        "peak_default_rate_annualised_quarterly": peak_annual,
        "mean_default_rate": float(ts["default_rate"].mean()),
        "dpd30_rate_end": float(last["dpd30_rate"]),
        "dpd90_rate_end": float(last["dpd90_rate"]),
        "dpd30_rate_avg": float(ts["dpd30_rate"].mean()),
        "dpd90_rate_avg": float(ts["dpd90_rate"].mean()),
        "loss_rate": 12.0 * net / months / avg_recv if avg_recv else float("nan"),
        "originations": float(ts["originations"].sum()),
        "purchases": float(ts["purchases"].sum()),
    }
    end = seg[(seg["month"] == seg["month"].max()) & (seg["segment"] == "income_type")]
    for g in ("freelance", "salaried"):
        row = end[end["group"] == g]
        out[f"cum_default_rate_{g}"] = float(row["cum_default_rate"].iloc[0]) if len(row) else float("nan")
    return out


def replicate_metrics(timeseries: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """The summary metrics of each replicate (before the statistics over replicates): one row per
    ``replicate``, one column per name of :data:`simulator.outputs.catalogue.SUMMARY_METRICS`.
    """
    rows = [{"replicate": int(r), **_replicate_metrics(ts, segments[segments["replicate"] == r])}
            for r, ts in timeseries.groupby("replicate", sort=True)]
    return pd.DataFrame(rows, columns=["replicate", *SUMMARY_METRICS])


def summarize(timeseries: pd.DataFrame, segments: pd.DataFrame) -> dict[str, dict[str, float]]:
    """:func:`summary_statistics` over replicates of each summary metric of the catalogue.

    Returns:
        ``{metric: {"mean": ..., "p05": ..., "p50": ..., "p95": ...}}`` for every name of
        :data:`simulator.outputs.catalogue.SUMMARY_METRICS`, in that order.
    """
    per_rep = [
        _replicate_metrics(ts, segments[segments["replicate"] == r])
        for r, ts in timeseries.groupby("replicate", sort=True)
    ]
    return {name: summary_statistics(m[name] for m in per_rep) for name in SUMMARY_METRICS}


@dataclass
class RunResult:
    """Everything a run produced: tidy tables (one row per replicate × …) and the summary."""

    timeseries: pd.DataFrame
    segments: pd.DataFrame
    vintages: pd.DataFrame
    roll_rates: pd.DataFrame
    causes: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def metrics(self) -> pd.DataFrame:
        """The summary metrics as a table (metric × mean/p05/p50/p95)."""
        return pd.DataFrame(self.summary["metrics"]).T

    def save(self, out_dir: str | Path, charts: bool = True) -> Path:
        """Write the tables (Parquet and CSV), charts and ``summary.json`` into ``out_dir`` atomically.

        Everything is written to a temporary folder inside ``out_dir`` first and moved into
        place at the end, ``summary.json`` last; on any error the temporary folder is removed
        and no ``summary.json`` exists.
        """
        out = Path(out_dir)
        with staged_dir(out, marker=SUMMARY_FILE) as tmp:
            for name in TABLES:
                getattr(self, name).to_parquet(tmp / f"{name}.parquet", index=False)
                getattr(self, name).to_csv(tmp / f"{name}.csv", index=False)  # the same table, for spreadsheets
            if charts:
                charts_module.write_charts(self.timeseries, self.segments, self.vintages, self.causes,
                                           tmp / CHARTS_DIR)
            with open(tmp / SUMMARY_FILE, "w") as f:
                json.dump(self.summary, f, indent=2, default=_json_default)
        return out

    @classmethod
    def load(cls, run_dir: str | Path) -> RunResult:
        """Read a complete run directory written by :meth:`save`."""
        d = Path(run_dir)
        if not is_complete(d):
            raise FileNotFoundError(f"{d}: not a complete run directory (no summary.json)")
        tables = {name: pd.read_parquet(d / f"{name}.parquet") for name in TABLES}
        return cls(**tables, summary=read_summary(d))

    # --- notebooks: the run directory's charts as figures, the summary as sweep rows -----------
    # The figures come from the chart builders of ``simulator.outputs.charts`` (the same charts as the run
    # directory's ``charts/*.png``). They are ``matplotlib.figure.Figure`` objects built without
    # pyplot: in Jupyter, make one the last value of a cell (with ``%matplotlib inline`` or after
    # ``import matplotlib.pyplot``) or ``display`` it; elsewhere, ``fig.savefig(path)``.

    def plot_default_rate(self):
        """Monthly and cumulative default rate, replicate band, unemployment (``default_rate.png``).

        Returns:
            matplotlib.figure.Figure
        """
        return charts_module.default_rate_figure(self.timeseries)

    def plot_buckets(self):
        """Overdue receivables by delinquency bucket, stacked (``delinquency_buckets.png``).

        Returns:
            matplotlib.figure.Figure
        """
        return charts_module.delinquency_buckets_figure(self.timeseries)

    def plot_segments(self):
        """Cumulative default rate at the last month by customer group (``default_by_segment.png``).

        Returns:
            matplotlib.figure.Figure
        """
        return charts_module.default_by_segment_figure(self.segments)

    def plot_vintages(self):
        """Cumulative default rate by months on book, one line per vintage (``vintages.png``).

        Returns:
            matplotlib.figure.Figure
        """
        return charts_module.vintages_figure(self.vintages)

    def plot_causes(self):
        """Defaults by primary cause (``causes.png``), counted per replicate.

        Returns:
            matplotlib.figure.Figure
        """
        n_rep = int(self.timeseries["replicate"].nunique()) if len(self.timeseries) else None
        return charts_module.causes_figure(self.causes, n_rep)

    @staticmethod
    def plot_compare(runs: dict[str, RunResult], legend_title: str = "Scenario"):
        """Monthly default rate of several runs on one chart (as a sweep's ``sweep_default_rate.png``).

        Args:
            runs: label → result, in display order, e.g. ``{"baseline": a, "severe recession": b}``.
            legend_title: title of the legend.

        Returns:
            matplotlib.figure.Figure
        """
        curves = {k: r.timeseries for k, r in runs.items()}
        return charts_module.sweep_default_curves_figure(curves, legend_title)

    def summary_rows(self, run: str, **columns: str) -> pd.DataFrame:
        """The summary metrics as rows of a sweep summary (``sweep_summary.parquet``'s layout).

        One row per (metric, statistic) with ``run``, ``metric``, ``statistic``, ``value``, the
        ``columns`` given (e.g. ``policy="hardship"``, ``economy="severe_recession"``) and
        ``n_borrowers``, ``months``, ``replicates``, ``seed``. Concatenate the rows of several
        in-memory runs to use the sweep tables of ``simulator.outputs.sweep`` and the sweep charts of
        ``simulator.outputs.charts`` on them, e.g. :func:`~simulator.outputs.sweep.policy_tradeoff_table`
        (which needs a ``policy`` column with a ``"none"`` run).
        """
        info = {k: self.summary.get(k) for k in ("n_borrowers", "months", "replicates", "seed")}
        rows = [{"run": run, "metric": metric, "statistic": stat, "value": float(value),
                 **columns, **info}
                for metric, stats in self.summary.get("metrics", {}).items()
                for stat, value in stats.items()]
        return pd.DataFrame(rows)


def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
