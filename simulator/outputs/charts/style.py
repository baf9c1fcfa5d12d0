"""The shared look of the charts: size, fonts, colours, the delinquency buckets, axis helpers.

Every chart has a plain-language title, axis labels with units, a note of the denominator of
each rate, a legend and fonts of at least 10 pt. Charts are saved as PNG files of 9 x 5 inches
at 120 dpi (1080 x 600 pixels), atomically (:func:`simulator.outputs.io.save_figure`), and also
as SVG or PDF beside them when ``report.formats`` asks (:func:`simulator.outputs.lang.chart_formats`).
In Chinese (``report.language=zh``) the text uses an installed CJK font
(:func:`simulator.outputs.lang.cjk_font`).

Figures are built with :class:`matplotlib.figure.Figure` directly, never with ``pyplot``, so
no global figure state is touched, nothing is leaked and no GUI backend is needed (the PNG is
rendered by the Agg canvas).

The colours and the delinquency buckets (:data:`BUCKETS`, :data:`BUCKET_COLOURS`) are shared
with the classroom dashboard (``simulator.apps.dashboard``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from simulator.outputs import io
from simulator.outputs.lang import chart_formats, cjk_font, language, tr

__all__ = [
    "PercentTicks",
    "BUCKETS",
    "BUCKET_COLOURS",
    "DPI",
    "FIGSIZE",
    "GREY",
    "MAIN_COLOUR",
    "MONTH_LABEL",
    "SECOND_COLOUR",
    "Bucket",
    "average_phrase",
    "band_summary",
    "categories",
    "chart_style",
    "is_empty",
    "line_with_band",
    "month_axis",
    "n_runs",
    "new_figure",
    "pct",
    "runs_phrase",
    "save_figure",
]

FIGSIZE: tuple[float, float] = (9.0, 5.0)
DPI: int = 120

#: Main line and bar colour (dark blue), second series (dark red), a neutral grey.
MAIN_COLOUR = "#1f4e79"
SECOND_COLOUR = "#b03a2e"
GREY = "#7f8c8d"

MONTH_LABEL = "Month of the simulation"  # shown through tr()


class Bucket(NamedTuple):
    """A delinquency bucket: its receivables column, chart label and compact label."""

    column: str
    label: str
    short: str


#: The delinquent receivables buckets, from the least to the most overdue.
BUCKETS: tuple[Bucket, ...] = (
    Bucket("recv_dpd_1_30", "1–30 days past due", "1-30 days"),
    Bucket("recv_dpd_31_60", "31–60 days past due", "31-60 days"),
    Bucket("recv_dpd_61_90", "61–90 days past due", "61-90 days"),
    Bucket("recv_dpd_90p", "90+ days past due (defaulted, not yet charged off)", "90+ days"),
)
#: One RGBA colour per bucket of :data:`BUCKETS` (yellow to dark red).
BUCKET_COLOURS: tuple[tuple[float, float, float, float], ...] = tuple(
    tuple(float(x) for x in c) for c in mpl.colormaps["YlOrRd"](np.linspace(0.3, 0.95, len(BUCKETS))))

_STYLE: dict[str, object] = {
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 14,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.axisbelow": True,
}


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the shared chart style (fonts, grid, spines) while a figure is being built; in Chinese,
    a CJK font first (DejaVu Sans after it for the symbols it lacks).
    """
    style = dict(_STYLE)
    font = cjk_font() if language() == "zh" else None
    if font:
        # concrete family names: the text keeps them until it is drawn (saved), after this block
        style.update({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False})
    with mpl.rc_context(style):
        yield


def new_figure(**subplot_kw: object) -> Figure:
    """Return a fresh 9 x 5 inch figure using the constrained layout engine.

    Args:
        **subplot_kw: if given, passed to :meth:`Figure.subplots` (e.g. ``ncols=2, sharex=True``).
    """
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    if subplot_kw:
        fig.subplots(**subplot_kw)
    return fig


def save_figure(fig: Figure, path: Path) -> Path:
    """Save ``fig`` as a PNG at :data:`DPI` atomically (folders created), clear it, return the PNG's path.

    The other formats of :func:`simulator.outputs.lang.chart_formats` (SVG, PDF) are written beside
    it first, under the same name.
    """
    path = Path(path)
    for fmt in chart_formats():
        if fmt != "png":
            io.atomic_write(path.with_suffix(f".{fmt}"), lambda p, f=fmt: fig.savefig(p, format=f))
    return io.save_figure(fig, path, dpi=DPI)


def n_runs(df: pd.DataFrame) -> int:
    """Return the number of distinct replicates (simulation runs) in ``df`` (at least 1)."""
    if "replicate" not in df.columns or df.empty:
        return 1
    return max(int(df["replicate"].nunique()), 1)


def average_phrase(n: int) -> str:
    """Say in words what a replicate summary is: one run or an average of ``n``."""
    return tr("from 1 simulation run") if n == 1 else tr("average of {n} simulation runs").format(n=n)


def runs_phrase(n: int) -> str:
    """Describe ``n`` simulation runs in words."""
    return tr("1 simulation run") if n == 1 else tr("{n} simulation runs").format(n=n)


def band_summary(df: pd.DataFrame, by: str | list[str], col: str) -> pd.DataFrame:
    """Mean and 5th/95th percentiles of ``col`` across replicates, for a line with a band.

    Args:
        df: Tidy table with one row per replicate and key.
        by: Key column(s) to group by (e.g. ``"month"``).
        col: Column to summarise.

    Returns:
        Table indexed by ``by`` with columns ``mean``, ``lo`` and ``hi``.
    """
    grouped = df.groupby(by, sort=True)[col]
    out = pd.DataFrame(
        {
            "mean": grouped.mean(),
            "lo": grouped.quantile(0.05),
            "hi": grouped.quantile(0.95),
        }
    )
    return out.astype(float)


def month_axis(ax: Axes, months: pd.Index | np.ndarray) -> None:
    """Label an x axis with integer simulation months, spanning ``months``."""
    ax.set_xlabel(tr(MONTH_LABEL))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(months):
        lo, hi = float(np.min(months)), float(np.max(months))
        if hi > lo:
            ax.set_xlim(lo, hi)


def line_with_band(ax: Axes, summary: pd.DataFrame, n_runs: int, colour: str, label: str) -> None:
    """Draw a mean line and, with >= 2 runs, a shaded 5th–95th percentile band.

    Args:
        ax: The axes to draw on.
        summary: A table of :func:`band_summary`.
        n_runs: Number of replicates summarised.
        colour: Colour of the line and band.
        label: Legend label of the line.
    """
    x = summary.index.to_numpy()
    ax.plot(x, summary["mean"], color=colour, lw=2, label=label)
    if n_runs >= 2:
        ax.fill_between(
            x,
            summary["lo"],
            summary["hi"],
            color=colour,
            alpha=0.2,
            lw=0,
            label=tr("Middle 90% of {n} runs (5th–95th pct.)").format(n=n_runs),
        )


def is_empty(df: pd.DataFrame | None) -> bool:
    """Return True when a table is missing or has no rows."""
    return df is None or len(df) == 0


class PercentTicks(PercentFormatter):
    """Percent tick labels that equal the tick values: the fewest decimals (up to 4) that show each
    value exactly (``0.0025`` → ``0.25%``, ``0.005`` → ``0.5%``), unlike a fixed number of decimals.
    """

    decimals_used: int | None = None

    @staticmethod
    def _decimals(v: float) -> int:
        for d in range(5):
            if abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)):
                return d
        return 4

    def set_locs(self, locs) -> None:
        """Use one number of decimals on the whole axis: the most any of its ticks needs."""
        super().set_locs(locs)
        self.decimals_used = max((self._decimals(100.0 * v / self.xmax) for v in locs), default=None)

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of tick value ``x``: exactly its value in percent."""
        v = 100.0 * x / self.xmax
        d = max(self._decimals(v), self.decimals_used or 0)
        if abs(v) < 1e-9:
            v = 0.0  # no "-0%"
        return f"{v:.{d}f}%"


def pct(x: float) -> str:
    """Percent with two decimals (``0.0561`` → ``5.61%``)."""
    return f"{x:.2%}"


def categories(values: pd.Series) -> list[str]:
    """Distinct values as strings in order of first appearance (the order of the sweep command)."""
    return [str(v) for v in pd.unique(values.astype(str))]
