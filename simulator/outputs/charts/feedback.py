"""Charts of the macro feedback loop (``run.study=feedback_amplification``): the default rate with
and without the loop, the gap shaded; and the loop's change of each link of the chain credit
supply → spending → demand and jobs → defaults (:func:`simulator.outputs.feedback.channels`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulator.outputs.charts.style import (
    MAIN_COLOUR,
    SECOND_COLOUR,
    PercentTicks,
    chart_style,
    month_axis,
    new_figure,
    save_figure,
)
from simulator.outputs.lang import tr

__all__ = ["GAP_FILE", "CHANNELS_FILE", "feedback_gap_figure", "feedback_channels_figure",
           "plot_feedback_gap", "plot_feedback_channels"]

#: Files of the two charts in ``charts/``.
GAP_FILE = "feedback_gap.png"
CHANNELS_FILE = "feedback_channels.png"


def feedback_gap_figure(off_ts: pd.DataFrame, on_ts: pd.DataFrame) -> Figure:
    """Monthly default rate without and with the loop (replicate means), the gap shaded (red where
    the loop adds defaults, blue where it removes them); below, the path's and the effective
    unemployment rate.
    """
    a = off_ts.groupby("month")["default_rate"].mean()
    b = on_ts.groupby("month")["default_rate"].mean()
    x = a.index.to_numpy()
    with chart_style():
        fig = new_figure(nrows=2, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
        ax, ax2 = fig.axes
        fig.suptitle(tr("The feedback loop: defaults with and without second-round effects"))
        ax.plot(x, a.to_numpy(), color=MAIN_COLOUR, lw=2, label=tr("Loop off (the scenario's path only)"))
        ax.plot(x, b.to_numpy(), color=SECOND_COLOUR, lw=2, label=tr("Loop on (lender, spending, incomes react)"))
        ax.fill_between(x, a.to_numpy(), b.to_numpy(), where=b.to_numpy() >= a.to_numpy(), color=SECOND_COLOUR,
                        alpha=0.25, lw=0, interpolate=True, label=tr("Defaults the loop adds"))
        ax.fill_between(x, a.to_numpy(), b.to_numpy(), where=b.to_numpy() < a.to_numpy(), color=MAIN_COLOUR,
                        alpha=0.2, lw=0, interpolate=True, label=tr("Defaults the loop removes"))
        ax.yaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_ylabel(tr("Monthly default rate\n(% of performing accounts)"))
        ax.legend(loc="upper left")
        ax.set_title(tr("Same borrowers, same random numbers; only economy.feedback differs."), fontsize=10)
        for ts, colour, name in ((off_ts, MAIN_COLOUR, "path"), (on_ts, SECOND_COLOUR, "effective (loop on)")):
            col = "unemployment_path" if name == "path" else "unemployment_rate"
            ax2.plot(x, ts.groupby("month")[col].mean().to_numpy(), color=colour, lw=1.5,
                     label=tr(f"Unemployment, {name}"))
        ax2.yaxis.set_major_formatter(PercentTicks(1.0))
        ax2.set_ylabel(tr("Unemployment"))
        ax2.legend(loc="upper left")
        month_axis(ax2, a.index)
    return fig


def plot_feedback_gap(off_ts: pd.DataFrame, on_ts: pd.DataFrame, path: Path) -> Path:
    """Write :func:`feedback_gap_figure` as a PNG."""
    return save_figure(feedback_gap_figure(off_ts, on_ts), path)


def feedback_channels_figure(table: pd.DataFrame) -> Figure:
    """One bar per link of the loop (the table of :func:`simulator.outputs.feedback.channels`):
    how much the loop changes it over the horizon, in % (money, index) or percentage points (rates).
    """
    y = np.arange(len(table), dtype=float)
    values = table["change"].to_numpy(dtype=float)
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("Where the amplification comes from: each link, loop on vs off"))
        ax.set_title(tr("Top to bottom: less credit → fewer purchases → lower demand →\n"
                        "more unemployment, lower freelance incomes → defaults."), fontsize=10)
        colours = [SECOND_COLOUR if v < 0 else MAIN_COLOUR for v in values]
        ax.barh(y, values, height=0.6, color=colours)
        span = max(float(np.nanmax(np.abs(values))) if len(values) else 0.0, 1e-6)
        for yi, v, unit in zip(y, values, table["unit"], strict=True):
            text = f"{v:+.2f}%" if unit == "%" else tr("{v} points").format(v=f"{v:+.3f}")
            ax.text(v + (0.02 if v >= 0 else -0.02) * span, yi, text, va="center",
                    ha="left" if v >= 0 else "right", fontsize=10)
        ax.axvline(0.0, color="black", lw=0.8)
        ax.set_yticks(y, [tr(str(s)) for s in table["label"]])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.set_xlim(-1.35 * span, 1.35 * span)
        ax.set_xlabel(tr("Change with the loop over the horizon: % of the total (money, index)\n"
                         "or percentage points of the average (rates)"))
    return fig


def plot_feedback_channels(table: pd.DataFrame, path: Path) -> Path:
    """Write :func:`feedback_channels_figure` as a PNG."""
    return save_figure(feedback_channels_figure(table), path)
