"""The chart of a comparison of runs: their default-rate curves overlaid (monthly and cumulative)."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from simulator.outputs.charts.style import (
    PercentTicks,
    band_summary,
    chart_style,
    month_axis,
    n_runs,
    new_figure,
    save_figure,
)
from simulator.outputs.lang import tr

__all__ = ["COMPARE_CURVES_FILE", "compare_curves_figure", "plot_compare_curves"]

#: The chart of a comparison (in its ``charts/`` folder).
COMPARE_CURVES_FILE = "compare_default_rate.png"

#: Line styles by run (the runs stay apart where their lines overlap, and in black and white).
_STYLES = ("-", "--", "-.", ":")
_PANELS = (("default_rate", "Monthly default rate", "% of accounts performing at the start of the month"),
           ("cum_default_rate", "Cumulative default rate", "% of accounts open at month 0 plus those opened since"))


def compare_curves_figure(runs: dict[str, pd.DataFrame]) -> Figure:
    """Monthly (left) and cumulative (right) default rate of each run: mean line, 5th–95th band.

    Args:
        runs: run label → its timeseries table (one row per replicate × month), in display order.
    """
    cmap = mpl.colormaps["tab10"]
    n_min = min((n_runs(ts) for ts in runs.values()), default=1)
    with chart_style():
        fig = new_figure(ncols=2, sharex=True)
        fig.suptitle(tr("Default rates of the compared runs"))
        for ax, (col, title, denom) in zip(fig.axes, _PANELS, strict=True):
            months: list[float] = []
            for i, (label, ts) in enumerate(runs.items()):
                if col not in ts.columns:
                    continue
                colour = cmap(i % cmap.N)
                summ = band_summary(ts, "month", col)
                x = summ.index.to_numpy()
                months.extend([float(x.min()), float(x.max())] if len(x) else [])
                ax.plot(x, summ["mean"], color=colour, lw=2, label=label, ls=_STYLES[i % len(_STYLES)])
                if n_runs(ts) >= 2:
                    ax.fill_between(x, summ["lo"], summ["hi"], color=colour, alpha=0.15, lw=0)
            ax.set_title(f"{tr(title)}\n({tr(denom)})")
            ax.set_ylabel(f"{tr(title)}, %")
            ax.yaxis.set_major_formatter(PercentTicks(1.0))
            ax.set_ylim(bottom=0)
            month_axis(ax, np.array(months))
        handles, labels = fig.axes[0].get_legend_handles_labels()
        if n_min >= 2:
            handles.append(Patch(facecolor="grey", alpha=0.3, lw=0))
            labels.append(tr("Shaded band: middle 90% of replicates (5th–95th pct.)"))
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 3))
    return fig


def plot_compare_curves(runs: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write :func:`compare_curves_figure` as a PNG (and the other chart formats) at ``path``."""
    return save_figure(compare_curves_figure(runs), path)
