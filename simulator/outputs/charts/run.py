"""Charts of one run for readers who are not programmers: default rate, overdue money, all charts.

The tables are the tidy outputs of a run:

* ``ts``: one row per (replicate, month);
* ``seg``: one row per (replicate, month, segment, group);
* ``vin``: one row per (replicate, vintage, months_on_book);
* ``causes``: one row per default event.

Each chart has a builder, ``*_figure(table)``, returning the :class:`~matplotlib.figure.Figure`
(what ``RunResult.plot_*`` shows in a notebook), and a writer, ``plot_*(table, path)``, saving
it as a PNG. :func:`write_charts` writes the five charts of a run directory; the charts that
break defaults down (by group, vintage and cause) are in :mod:`simulator.outputs.charts.breakdowns`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simulator.outputs.charts.breakdowns import plot_causes, plot_default_by_segment, plot_vintages
from simulator.outputs.charts.style import (
    BUCKET_COLOURS,
    BUCKETS,
    MAIN_COLOUR,
    SECOND_COLOUR,
    PercentTicks,
    average_phrase,
    band_summary,
    chart_style,
    is_empty,
    line_with_band,
    month_axis,
    n_runs,
    new_figure,
    save_figure,
)
from simulator.outputs.lang import tr

__all__ = [
    "CHART_FILES",
    "default_rate_figure",
    "delinquency_buckets_figure",
    "plot_default_rate",
    "plot_delinquency_buckets",
    "write_charts",
]

#: The charts of a run directory (chart → file in ``charts/``), in the order written.
CHART_FILES: dict[str, str] = {
    "default_rate": "default_rate.png",
    "delinquency_buckets": "delinquency_buckets.png",
    "default_by_segment": "default_by_segment.png",
    "vintages": "vintages.png",
    "causes": "causes.png",
}


# --------------------------------------------------------------------------- default rate


def default_rate_figure(ts: pd.DataFrame) -> Figure:
    """The figure of :func:`plot_default_rate` (monthly and cumulative default rate), not saved.

    Args:
        ts: Timeseries table, see :func:`plot_default_rate`.

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    n = n_runs(ts)
    has_cum = "cum_default_rate" in ts.columns
    with chart_style():
        fig = new_figure(ncols=2 if has_cum else 1, sharex=True)
        axes = fig.axes
        fig.suptitle(tr("How many BNPL accounts default, month by month"))

        ax = axes[0]
        monthly = band_summary(ts, "month", "default_rate")
        label = tr("average of runs") if n >= 2 else tr("one run")
        line_with_band(ax, monthly, n, MAIN_COLOUR, tr("Monthly default rate ({label})").format(label=label))
        ax.set_title(tr("New defaults each month\n(% of accounts performing at start of month)"))
        ax.set_ylabel(tr("Monthly default rate, %"))
        ax.yaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_ylim(bottom=0)
        month_axis(ax, monthly.index)
        handles, labels = ax.get_legend_handles_labels()

        if "unemployment_rate" in ts.columns and ts["unemployment_rate"].notna().any():
            unemp = ts.groupby("month", sort=True)["unemployment_rate"].mean()
            ax2 = ax.twinx()
            ax2.plot(
                unemp.index,
                unemp.to_numpy(),
                color="grey",
                lw=1,
                ls="--",
                label=tr("Unemployment rate (right axis)"),
            )
            ax2.set_ylabel(tr("Unemployment rate, % of labour force"), color="dimgrey")
            ax2.yaxis.set_major_formatter(PercentTicks(1.0))
            ax2.tick_params(axis="y", colors="dimgrey")
            ax2.grid(False)
            ax2.spines["right"].set_visible(True)
            ax2.set_ylim(0, max(float(unemp.max()) * 1.25, 0.01))
            # Keep the default-rate line on top of the unemployment line.
            ax.set_zorder(ax2.get_zorder() + 1)
            ax.patch.set_visible(False)
            h2, l2 = ax2.get_legend_handles_labels()
            handles += h2
            labels += l2
        if has_cum:
            ax = axes[1]
            cum = band_summary(ts, "month", "cum_default_rate")
            line_with_band(ax, cum, n, SECOND_COLOUR, tr("Cumulative default rate ({label})").format(label=label))
            ax.set_title(tr("Defaults so far\n(% of all accounts ever opened)"))
            ax.set_ylabel(tr("Cumulative default rate, %"))
            ax.yaxis.set_major_formatter(PercentTicks(1.0))
            ax.set_ylim(bottom=0)
            month_axis(ax, cum.index)
            h3, l3 = ax.get_legend_handles_labels()
            handles += h3
            labels += l3
        # Two columns, filled column-first: left panel's entries, then the right panel's.
        fig.legend(handles, labels, loc="outside lower center", ncol=2)
    return fig


def plot_default_rate(ts: pd.DataFrame, path: Path) -> Path:
    """Chart the monthly and the cumulative default rate over the simulation.

    The left panel shows the monthly default rate (new defaults ÷ accounts
    performing at the start of the month): the mean across replicates as a
    line and, with at least two replicates, the 5th–95th percentile band.
    When ``unemployment_rate`` is present it is drawn as a thin grey line on a
    right-hand axis. The right panel shows ``cum_default_rate`` (defaults so
    far ÷ accounts ever opened) in the same way.

    Args:
        ts: Timeseries table, one row per (replicate, month), with at least
            ``month`` and ``default_rate``; ``replicate``, ``cum_default_rate``
            and ``unemployment_rate`` are used when present.
        path: Where to write the PNG.

    Returns:
        The path of the written PNG.
    """
    return save_figure(default_rate_figure(ts), path)


# --------------------------------------------------------------------------- delinquency


def _bucket_shares(ts: pd.DataFrame) -> pd.DataFrame:
    """Replicate-mean share of receivables in each delinquent bucket, by month.

    Args:
        ts: Timeseries table with ``receivables`` and the ``recv_dpd_*`` columns.

    Returns:
        Table indexed by month, one column per bucket present, values in 0..1.
    """
    cols = [b.column for b in BUCKETS if b.column in ts.columns]
    recv = ts["receivables"].astype(float).where(ts["receivables"] > 0)
    shares = ts[cols].astype(float).div(recv, axis=0).fillna(0.0)
    shares["month"] = ts["month"].to_numpy()
    return shares.groupby("month", sort=True)[cols].mean()


def delinquency_buckets_figure(ts: pd.DataFrame) -> Figure:
    """The figure of :func:`plot_delinquency_buckets` (overdue receivables, stacked), not saved.

    Args:
        ts: Timeseries table, one row per (replicate, month).

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    n = n_runs(ts)
    shares = _bucket_shares(ts)
    labels = {b.column: tr(b.label) for b in BUCKETS}
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("How much of the money owed is overdue"))
        colour_of = {b.column: colour for b, colour in zip(BUCKETS, BUCKET_COLOURS, strict=True)}
        ax.stackplot(
            shares.index.to_numpy(),
            *[shares[c].to_numpy() for c in shares.columns],
            labels=[labels[c] for c in shares.columns],
            colors=[colour_of[c] for c in shares.columns],
            alpha=0.9,
        )
        ax.set_title(tr(
            "Overdue money as a share of all receivables (money owed by customers), {avg}.\n"
            "Receivables that are not overdue are left out so the small overdue shares are visible."
        ).format(avg=average_phrase(n)))
        ax.set_ylabel(tr("Share of receivables, %"))
        ax.yaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_ylim(bottom=0)
        month_axis(ax, shares.index)
        # Reverse so the legend reads top-down like the stack.
        handles, labs = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], labs[::-1], loc="outside lower center", ncol=2)
    return fig


def plot_delinquency_buckets(ts: pd.DataFrame, path: Path) -> Path:
    """Chart the share of receivables by delinquency bucket as a stacked area.

    Each bucket (``recv_dpd_1_30``, ``recv_dpd_31_60``, ``recv_dpd_61_90``,
    ``recv_dpd_90p``) is divided by ``receivables`` per replicate and month,
    then averaged over replicates. The current bucket is omitted (and the
    subtitle says so) so the small delinquent shares stay visible.

    Args:
        ts: Timeseries table, one row per (replicate, month).
        path: Where to write the PNG.

    Returns:
        The path of the written PNG.
    """
    return save_figure(delinquency_buckets_figure(ts), path)


# --------------------------------------------------------------------------- all charts


def write_charts(
    ts: pd.DataFrame | None,
    seg: pd.DataFrame | None,
    vin: pd.DataFrame | None,
    causes: pd.DataFrame | None,
    out_dir: Path,
) -> list[Path]:
    """Write all five charts into ``out_dir``.

    Files written: ``default_rate.png`` and ``delinquency_buckets.png`` (from
    ``ts``), ``default_by_segment.png`` (from ``seg``), ``vintages.png`` (from
    ``vin``) and ``causes.png`` (from ``causes``). A chart whose table is
    ``None`` or empty is skipped.

    Args:
        ts: Timeseries table.
        seg: Segments table.
        vin: Vintages table.
        causes: Default events table.
        out_dir: Output folder, created if missing.

    Returns:
        The paths of the charts written, in the order listed above.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if not is_empty(ts):
        written.append(plot_default_rate(ts, out_dir / CHART_FILES["default_rate"]))
        written.append(plot_delinquency_buckets(ts, out_dir / CHART_FILES["delinquency_buckets"]))
    if not is_empty(seg):
        written.append(plot_default_by_segment(seg, out_dir / CHART_FILES["default_by_segment"]))
    if not is_empty(vin):
        written.append(plot_vintages(vin, out_dir / CHART_FILES["vintages"]))
    if not is_empty(causes):
        n_rep = None
        if not is_empty(ts) and "replicate" in ts.columns:
            n_rep = max(n_runs(ts), n_runs(causes))
        written.append(plot_causes(causes, out_dir / CHART_FILES["causes"], n_replicates=n_rep))
    return written
