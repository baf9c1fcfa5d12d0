"""The dashboard's charts (matplotlib's object API, no pyplot: safe in the server's threads).

Each figure takes the model's monthly table (or the followed borrower's path) and returns a
:class:`~matplotlib.figure.Figure`; labels, units and denominators come from the metric catalogue
(:mod:`simulator.outputs.catalogue`), colours and delinquency buckets from
:mod:`simulator.outputs.charts.style`, as in the run charts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from simulator.outputs.catalogue import CURRENCY, METRICS
from simulator.outputs.charts.style import BUCKET_COLOURS, BUCKETS, GREY, MAIN_COLOUR, SECOND_COLOUR
from simulator.outputs.lang import cjk_font, language, tr

__all__ = ["FIGSIZE", "MONTHS", "axis_label", "default_rate_figure", "buckets_figure", "economy_figure",
           "borrower_figure"]

#: The dashboard's horizon (months), the default x-range of every chart.
MONTHS = 60
FIGSIZE = (5.6, 2.8)  # inches at 100 dpi: 560 x 280 pixels
#: The default-rate figure has two panels, one above the other (each with its own scale).
RATES_FIGSIZE = (5.6, 4.2)


def axis_label(name: str) -> str:
    """A panel's title from the catalogue: the metric's label and its denominator (in the current language)."""
    m = METRICS[name]
    label, denominator = m.label_in(), m.denominator_in()
    return tr("{label} ({denominator})").format(label=label, denominator=denominator) if denominator else label


@contextmanager
def _fonts() -> Iterator[None]:
    """While a figure is built: in Chinese a CJK font first (the text keeps it until it is drawn)."""
    font = cjk_font() if language() == "zh" else None
    with mpl.rc_context({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False} if font else {}):
        yield


def _pct_axis(ax, decimals: int | None = None) -> None:
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=decimals))


def _month_axis(ax, months: int, label: bool = True) -> None:
    ax.set_xlim(0, max(months - 1, 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if label:
        ax.set_xlabel(tr("Month"))
    ax.grid(alpha=0.3)


def _figure(title: str) -> tuple[Figure, object]:
    fig = Figure(figsize=FIGSIZE, dpi=100)
    fig.subplots_adjust(left=0.14, right=0.87, bottom=0.17, top=0.89)  # fixed: faster than a layout engine
    ax = fig.add_subplot()
    ax.set_title(title, loc="left", fontsize=11)
    return fig, ax


def _legend(ax, *axes, ncols: int = 1) -> None:
    handles, labels = [], []
    for a in (ax, *axes):
        h, lab = a.get_legend_handles_labels()
        handles += h
        labels += lab
    if handles:
        ax.legend(handles, labels, loc="upper left", fontsize=8, frameon=False, ncols=ncols)


def _default_rate_figure(ts: pd.DataFrame, months: int = MONTHS) -> Figure:
    """Two panels, each on its own scale: the monthly default rate (a share of the accounts
    performing at the start of the month) and 30+ days past due (a share of the money owed).
    """
    fig = Figure(figsize=RATES_FIGSIZE, dpi=100)
    fig.subplots_adjust(left=0.14, right=0.96, bottom=0.11, top=0.88, hspace=0.4)
    top_ax, bottom_ax = fig.subplots(2, 1, sharex=True)
    fig.suptitle(tr("Default rate and delinquency"), x=0.02, ha="left", fontsize=11)
    for ax, name, colour, floor in ((top_ax, "default_rate", SECOND_COLOUR, 0.005),
                                    (bottom_ax, "dpd30_rate", MAIN_COLOUR, 0.02)):
        m = METRICS[name]
        ax.set_title(axis_label(name), loc="left", fontsize=8.5)
        top = 0.0
        if len(ts):
            ax.plot(ts.month, ts[name], color=colour, lw=2, label=m.short_in())
            top = float(ts[name].max())
        ax.set_ylim(0, max(floor, top * 1.3))
        _pct_axis(ax)
        ax.set_ylabel(m.short_in(), fontsize=8)
        _month_axis(ax, months, label=ax is bottom_ax)
    return fig


def _buckets_figure(ts: pd.DataFrame, months: int = MONTHS) -> Figure:
    """Receivables past due by delinquency bucket, stacked, as a share of all receivables."""
    fig, ax = _figure(tr("Receivables past due, by days past due"))
    top = 0.0
    if len(ts):
        recv = ts.receivables.where(ts.receivables > 0)
        shares = [(ts[b.column] / recv).fillna(0.0).to_numpy() for b in BUCKETS]
        ax.stackplot(ts.month.to_numpy(), *shares, labels=[tr(b.short) for b in BUCKETS],
                     colors=BUCKET_COLOURS, alpha=0.9)
        _legend(ax, ncols=4)
        top = float(np.sum(shares, axis=0).max())
    ax.set_ylim(0, max(0.05, top * 1.35))
    _pct_axis(ax)
    ax.set_ylabel(tr("share of receivables"))
    _month_axis(ax, months)
    return fig


def _economy_figure(ts: pd.DataFrame, months: int = MONTHS) -> Figure:
    """The economy: unemployment rate, and the consumer-demand and income indices."""
    fig, ax = _figure(tr("Economy"))
    if len(ts):
        ax.plot(ts.month, ts.unemployment_rate, color=SECOND_COLOUR, lw=2,
                label=METRICS["unemployment_rate"].short_in())
        ax2 = ax.twinx()
        ax2.plot(ts.month, ts.demand_index, color=MAIN_COLOUR, lw=1.5, label=METRICS["demand_index"].short_in())
        ax2.plot(ts.month, ts.income_index, color=GREY, lw=1.5, ls="--", label=METRICS["income_index"].short_in())
        ax2.set_ylim(0.5, 1.5)
        ax2.set_ylabel(tr("index (month 0 = 1)"))
        _legend(ax, ax2)
    ax.set_ylim(0, 0.2)
    _pct_axis(ax)
    ax.set_ylabel(METRICS["unemployment_rate"].label_in().lower())
    _month_axis(ax, months)
    return fig


def _borrower_figure(path: pd.DataFrame, index: int, kind: str, months: int = MONTHS) -> Figure:
    """One borrower's income, savings, credit line and balance (RMB) and days past due."""
    if len(path):
        last = path.iloc[-1]
        title = tr("Borrower #{i} ({kind}): {status}, {days} days past due").format(
            i=index, kind=tr(kind), status=tr(str(last.status)), days=int(last.days_past_due))
    else:
        title = tr("Borrower #{i} ({kind})").format(i=index, kind=tr(kind))
    fig, ax = _figure(title)
    if len(path):
        late = path.days_past_due.to_numpy()
        ax2 = ax.twinx()
        ax2.bar(path.month, late, color=SECOND_COLOUR, alpha=0.25, width=0.9, label=tr("days past due"))
        ax2.set_ylim(0, max(120, float(late.max()) * 1.1))
        ax2.set_ylabel(tr("days past due"), color=SECOND_COLOUR)
        for col, colour, style in (("income", MAIN_COLOUR, "-"), ("savings", "#27ae60", "-"),
                                   ("line", GREY, "--"), ("balance", SECOND_COLOUR, "-")):
            ax.plot(path.month, path[col], color=colour, ls=style, lw=1.8, label=tr(col))
        ax.set_zorder(ax2.get_zorder() + 1)  # lines above the bars
        ax.patch.set_visible(False)
        _legend(ax, ax2, ncols=3)
        top = float(path[["income", "savings", "line", "balance"]].to_numpy().max())
        ax.set_ylim(0, max(1.0, top) * 1.35)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel(CURRENCY)
    _month_axis(ax, months)
    return fig


def default_rate_figure(ts: pd.DataFrame, months: int = MONTHS) -> Figure:
    """Two panels, each on its own scale: the monthly default rate (a share of the accounts
    performing at the start of the month) and 30+ days past due (a share of the money owed).
    """
    with _fonts():
        return _default_rate_figure(ts, months)


def buckets_figure(ts: pd.DataFrame, months: int = MONTHS) -> Figure:
    """Receivables past due by delinquency bucket, stacked, as a share of all receivables."""
    with _fonts():
        return _buckets_figure(ts, months)


def economy_figure(ts: pd.DataFrame, months: int = MONTHS) -> Figure:
    """The economy: unemployment rate, and the consumer-demand and income indices."""
    with _fonts():
        return _economy_figure(ts, months)


def borrower_figure(path: pd.DataFrame, index: int, kind: str, months: int = MONTHS) -> Figure:
    """One borrower's income, savings, credit line and balance (RMB) and days past due."""
    with _fonts():
        return _borrower_figure(path, index, kind, months)
