"""The cause-decomposition chart: how many default-rate points each cause of repayment failure adds.

Drawn from the table of :func:`simulator.studies.decomposition.decompose` (passed in; this module
does not import the studies layer).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from simulator.outputs.charts.style import MAIN_COLOUR, chart_style, new_figure, save_figure
from simulator.outputs.lang import tr

__all__ = ["INTERACTION_COLOUR", "REMAINDER_COLOUR", "cause_decomposition_figure", "plot_cause_decomposition"]

#: Bar colours of the interaction term and of the rate left with all causes off.
INTERACTION_COLOUR = "#8c8c8c"
REMAINDER_COLOUR = "#a9c4dd"


def _points(v: float, signed: bool = False) -> str:
    """Percentage points with two decimals, three below 0.1 (``0.073``) so small values are not shown as 0."""
    sign = "+" if signed else ""
    return f"{v:{sign}.3f}" if v != 0 and abs(v) < 0.1 else f"{v:{sign}.2f}"


def cause_decomposition_figure(df: pd.DataFrame) -> Figure:
    """The figure of :func:`plot_cause_decomposition` (each cause's contribution), not saved.

    Args:
        df: The table of :func:`simulator.studies.decomposition.decompose`, see
            :func:`plot_cause_decomposition`.

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    causes = df[df["cause"] != "baseline_remainder"].reset_index(drop=True)
    remainder = df[df["cause"] == "baseline_remainder"]
    factual = float(df["factual"].iloc[0])
    all_off = float(df["all_off"].iloc[0])
    method = str(df["method"].iloc[0]) if "method" in df.columns else ""
    how = {
        "shapley": tr("Shapley split over all 32 on/off combinations of the five causes"),
        "one_at_a_time": tr("each cause switched off on its own; what they do not add up to is the interaction"),
    }.get(method, method.replace("_", " "))
    labels = [tr(str(lab)) for lab in causes["label"]]
    values = causes["contribution"].to_numpy(dtype=float)
    colours = [INTERACTION_COLOUR if c == "interaction" else MAIN_COLOUR for c in causes["cause"]]
    y = list(np.arange(len(causes), dtype=float))
    if len(remainder):
        y.append(len(causes) + 0.6)  # set apart: a level, not a contribution
        labels.append(tr(str(remainder["label"].iloc[0])))
        values = np.r_[values, float(remainder["contribution"].iloc[0])]
        colours.append(REMAINDER_COLOUR)
    shares = list(causes["share"].to_numpy(dtype=float)) + [np.nan] * len(remainder)
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("What each cause adds to the share of accounts that default"))
        ax.barh(y, values, height=0.7, color=colours)
        span = max(float(np.nanmax(np.abs(values))) if len(values) else 0.0, 1e-6)
        for yi, v, s in zip(y, values, shares, strict=True):
            text = tr("{v} points").format(v=_points(v, signed=bool(np.isfinite(s))))
            if np.isfinite(s):
                text += f" ({s:.0%})" if abs(s) >= 0.095 else f" ({s:.1%})"
            # Negative bars get their label on the other side of the zero line, clear of the names.
            ax.text(max(v, 0.0) + 0.01 * span, yi, text, va="center", ha="left", fontsize=10)
        ax.axvline(0.0, color="black", lw=0.8)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        lo = min(float(np.nanmin(values)) if len(values) else 0.0, 0.0)
        hi = max(float(np.nanmax(values)) if len(values) else 0.0, 0.0)
        ax.set_xlim(lo - (0.05 * span if lo < 0 else 0.0), hi + 0.45 * span)
        ax.set_xlabel(tr("Contribution to the cumulative default rate, percentage points"))
        ax.set_title(
            tr("Cumulative default rate = defaults ÷ accounts ever opened; points = percentage points.\n"
               "With all causes: {factual}%; with all five causes switched off: {off}% (same random numbers).\n"
               "Bars add up to {factual}%. In brackets: share of the {gap} points the causes explain.\n"
               "Method: {how}.").format(factual=_points(factual), off=_points(all_off),
                                        gap=_points(factual - all_off), how=how),
            fontsize=10,
        )
        handles = [Patch(facecolor=MAIN_COLOUR, label=tr("Contribution of the cause"))]
        if (causes["cause"] == "interaction").any():
            handles.append(Patch(facecolor=INTERACTION_COLOUR, label=tr("Interaction between causes")))
        if len(remainder):
            handles.append(Patch(facecolor=REMAINDER_COLOUR, label=tr("Default rate left with all five causes off")))
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))
    return fig


def plot_cause_decomposition(df: pd.DataFrame, path: Path) -> Path:
    """Chart how many default-rate points each cause of repayment failure adds.

    One horizontal bar per cause (C1–C5) with its contribution to the cumulative default rate in
    percentage points and, in brackets, its share of what the five causes explain together; the
    ``interaction`` row (one-cause-at-a-time method) is grey; the rate left with all five causes
    switched off is a lighter bar set apart, so that all bars add up to the factual rate.

    Args:
        df: The table of :func:`simulator.studies.decomposition.decompose`: columns ``cause``, ``label``,
            ``contribution`` (points), ``share``, ``method``, ``factual`` and ``all_off`` (points).
        path: Where to write the PNG.

    Returns:
        The path of the written PNG.
    """
    return save_figure(cause_decomposition_figure(df), path)
