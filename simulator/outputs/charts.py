"""Charts of a bnpl-stress run for readers who are not programmers.

Every chart has a plain-language title, axis labels with units, a note of the
denominator of each rate, a legend and fonts of at least 10 pt. Charts are
saved as PNG files of 9 x 5 inches at 120 dpi (1080 x 600 pixels).

Figures are built with :class:`matplotlib.figure.Figure` directly, never with
``pyplot``, so no global figure state is touched, nothing is leaked and no GUI
backend is needed (the PNG is rendered by the Agg canvas).

The tables are the tidy outputs of a run:

* ``ts``: one row per (replicate, month);
* ``seg``: one row per (replicate, month, segment, group);
* ``vin``: one row per (replicate, vintage, months_on_book);
* ``causes``: one row per default event.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from simulator.core.state import CAUSE_LABELS
from simulator.outputs import catalogue
from simulator.outputs.catalogue import key_label, value_label

__all__ = [
    "CAUSE_LABELS",
    "FIGSIZE",
    "DPI",
    "plot_causes",
    "plot_default_by_segment",
    "plot_default_rate",
    "plot_delinquency_buckets",
    "plot_vintages",
    "write_charts",
]

FIGSIZE: tuple[float, float] = (9.0, 5.0)
DPI: int = 120


SEGMENT_LABELS: dict[str, str] = {
    "income_type": "Income type",
    "impulse_tercile": "Impulse-spending tercile",
    "credit_file": "Credit file at application",
}

_GROUP_ORDER: dict[str, list[str]] = {
    "income_type": ["salaried", "freelance"],
    "impulse_tercile": ["low", "mid", "high"],
    "credit_file": ["thin", "established"],
}

_GROUP_LABELS: dict[tuple[str, str], str] = {
    ("income_type", "salaried"): "Salaried",
    ("income_type", "freelance"): "Freelance",
    ("impulse_tercile", "low"): "Low impulse spending",
    ("impulse_tercile", "mid"): "Middle impulse spending",
    ("impulse_tercile", "high"): "High impulse spending",
    ("credit_file", "thin"): "Thin credit file",
    ("credit_file", "established"): "Established credit file",
}

_BUCKETS: list[tuple[str, str]] = [
    ("recv_dpd_1_30", "1–30 days past due"),
    ("recv_dpd_31_60", "31–60 days past due"),
    ("recv_dpd_61_90", "61–90 days past due"),
    ("recv_dpd_90p", "90+ days past due (defaulted, not yet charged off)"),
]

CHART_FILES: dict[str, str] = {
    "default_rate": "default_rate.png",
    "delinquency_buckets": "delinquency_buckets.png",
    "default_by_segment": "default_by_segment.png",
    "vintages": "vintages.png",
    "causes": "causes.png",
}

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

_MONTH_LABEL = "Month of the simulation"
_MAIN_COLOUR = "#1f4e79"
_SECOND_COLOUR = "#b03a2e"
_MAX_VINTAGES = 8
_MIN_VINTAGE_SIZE = 100


# --------------------------------------------------------------------------- helpers


@contextmanager
def _style() -> Iterator[None]:
    """Apply the shared chart style while a figure is being built."""
    with mpl.rc_context(_STYLE):
        yield


def _new_figure(**subplot_kw: object) -> Figure:
    """Return a fresh 9 x 5 inch figure using the constrained layout engine."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    if subplot_kw:
        fig.subplots(**subplot_kw)
    return fig


def _save(fig: Figure, path: Path) -> Path:
    """Save ``fig`` as a PNG at :data:`DPI` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png")
    fig.clear()
    return path


def _n_runs(df: pd.DataFrame) -> int:
    """Return the number of distinct replicates (simulation runs) in ``df``."""
    if "replicate" not in df.columns or df.empty:
        return 1
    return max(int(df["replicate"].nunique()), 1)


def _average_phrase(n: int) -> str:
    """Say in words what a replicate summary is: one run or an average of ``n``."""
    return "from 1 simulation run" if n == 1 else f"average of {n} simulation runs"


def _runs_phrase(n: int) -> str:
    """Describe ``n`` simulation runs in words."""
    return "1 simulation run" if n == 1 else f"{n} simulation runs"


def _summarise(df: pd.DataFrame, by: str | list[str], col: str) -> pd.DataFrame:
    """Mean and 5th/95th percentiles of ``col`` across replicates.

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


def _month_axis(ax: Axes, months: pd.Index | np.ndarray) -> None:
    """Label an x axis with integer simulation months."""
    ax.set_xlabel(_MONTH_LABEL)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(months):
        lo, hi = float(np.min(months)), float(np.max(months))
        if hi > lo:
            ax.set_xlim(lo, hi)


def _line_with_band(ax: Axes, summary: pd.DataFrame, n_runs: int, colour: str, label: str) -> None:
    """Draw a mean line and, with >= 2 runs, a shaded 5th–95th percentile band."""
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
            label=f"Middle 90% of {n_runs} runs (5th–95th pct.)",
        )


def _empty(df: pd.DataFrame | None) -> bool:
    """Return True when a table is missing or has no rows."""
    return df is None or len(df) == 0


# --------------------------------------------------------------------------- default rate


def _make_default_rate(ts: pd.DataFrame) -> Figure:
    """Build the monthly and cumulative default rate figure."""
    n = _n_runs(ts)
    has_cum = "cum_default_rate" in ts.columns
    with _style():
        fig = _new_figure(ncols=2 if has_cum else 1, sharex=True)
        axes = fig.axes
        fig.suptitle("How many BNPL accounts default, month by month")

        ax = axes[0]
        monthly = _summarise(ts, "month", "default_rate")
        label = "average of runs" if n >= 2 else "one run"
        _line_with_band(ax, monthly, n, _MAIN_COLOUR, f"Monthly default rate ({label})")
        ax.set_title("New defaults each month\n(% of accounts performing at start of month)")
        ax.set_ylabel("Monthly default rate, %")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(bottom=0)
        _month_axis(ax, monthly.index)
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
                label="Unemployment rate (right axis)",
            )
            ax2.set_ylabel("Unemployment rate, % of labour force", color="dimgrey")
            ax2.yaxis.set_major_formatter(PercentFormatter(1.0))
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
            cum = _summarise(ts, "month", "cum_default_rate")
            _line_with_band(ax, cum, n, _SECOND_COLOUR, f"Cumulative default rate ({label})")
            ax.set_title("Defaults so far\n(% of all accounts ever opened)")
            ax.set_ylabel("Cumulative default rate, %")
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylim(bottom=0)
            _month_axis(ax, cum.index)
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
    return _save(_make_default_rate(ts), path)


# --------------------------------------------------------------------------- delinquency


def _bucket_shares(ts: pd.DataFrame) -> pd.DataFrame:
    """Replicate-mean share of receivables in each delinquent bucket, by month.

    Args:
        ts: Timeseries table with ``receivables`` and the ``recv_dpd_*`` columns.

    Returns:
        Table indexed by month, one column per bucket present, values in 0..1.
    """
    cols = [c for c, _ in _BUCKETS if c in ts.columns]
    recv = ts["receivables"].astype(float).where(ts["receivables"] > 0)
    shares = ts[cols].astype(float).div(recv, axis=0).fillna(0.0)
    shares["month"] = ts["month"].to_numpy()
    return shares.groupby("month", sort=True)[cols].mean()


def _make_delinquency_buckets(ts: pd.DataFrame) -> Figure:
    """Build the stacked-area chart of delinquent receivables."""
    n = _n_runs(ts)
    shares = _bucket_shares(ts)
    labels = dict(_BUCKETS)
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle("How much of the money owed is overdue")
        colours = mpl.colormaps["YlOrRd"](np.linspace(0.3, 0.95, len(_BUCKETS)))
        colour_of = {c: colours[i] for i, (c, _) in enumerate(_BUCKETS)}
        ax.stackplot(
            shares.index.to_numpy(),
            *[shares[c].to_numpy() for c in shares.columns],
            labels=[labels[c] for c in shares.columns],
            colors=[colour_of[c] for c in shares.columns],
            alpha=0.9,
        )
        ax.set_title(
            "Overdue money as a share of all receivables (money owed by customers), "
            f"{_average_phrase(n)}.\n"
            "Receivables that are not overdue are left out so the small overdue shares are "
            "visible."
        )
        ax.set_ylabel("Share of receivables, %")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(bottom=0)
        _month_axis(ax, shares.index)
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
    return _save(_make_delinquency_buckets(ts), path)


# --------------------------------------------------------------------------- segments


def _segment_label(segment: str) -> str:
    """Return the human label of a segment name (unknown names as-is)."""
    return SEGMENT_LABELS.get(segment, segment)


def _group_label(segment: str, group: str) -> str:
    """Return the human label of a group within a segment."""
    return _GROUP_LABELS.get((segment, group), str(group))


def _segment_summary(seg: pd.DataFrame) -> pd.DataFrame:
    """Cumulative default rate at the last month by segment and group.

    Args:
        seg: Segments table, one row per (replicate, month, segment, group).

    Returns:
        One row per (segment, group) in display order with columns
        ``segment``, ``group``, ``mean``, ``lo`` and ``hi``.
    """
    last = seg[seg["month"] == seg["month"].max()]
    summ = _summarise(last, ["segment", "group"], "cum_default_rate").reset_index()

    seg_order = [s for s in SEGMENT_LABELS if s in set(summ["segment"])]
    seg_order += [s for s in pd.unique(summ["segment"]) if s not in seg_order]

    def sort_key(row: pd.Series) -> tuple[int, int, str]:
        known = _GROUP_ORDER.get(row["segment"], [])
        g = str(row["group"])
        rank = known.index(g) if g in known else len(known)
        return seg_order.index(row["segment"]), rank, g

    keys = summ.apply(sort_key, axis=1)
    return summ.loc[keys.sort_values().index].reset_index(drop=True)


def _make_default_by_segment(seg: pd.DataFrame) -> Figure:
    """Build the grouped horizontal bar chart of defaults by segment."""
    n = _n_runs(seg)
    summ = _segment_summary(seg)
    last_month = int(seg["month"].max())
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle("Which customers default most")
        cmap = mpl.colormaps["tab10"]

        y_pos: list[float] = []
        y = 0.0
        prev = None
        for s in summ["segment"]:
            if prev is not None and s != prev:
                y += 0.6  # gap between segment blocks
            y_pos.append(y)
            y += 1.0
            prev = s
        summ["y"] = y_pos

        xmax = float(np.nanmax(summ[["mean", "hi"]].to_numpy())) if len(summ) else 0.0
        for i, (s, block) in enumerate(summ.groupby("segment", sort=False)):
            colour = cmap(i % 10)
            xerr = None
            if n >= 2:
                xerr = np.vstack(
                    [
                        (block["mean"] - block["lo"]).clip(lower=0).to_numpy(),
                        (block["hi"] - block["mean"]).clip(lower=0).to_numpy(),
                    ]
                )
            ax.barh(
                block["y"],
                block["mean"],
                height=0.8,
                color=colour,
                xerr=xerr,
                error_kw={"ecolor": "black", "capsize": 3, "lw": 1},
                label=_segment_label(str(s)),
            )
            for _, row in block.iterrows():
                x_text = row["hi"] if n >= 2 else row["mean"]
                ax.text(
                    x_text + 0.01 * max(xmax, 1e-9),
                    row["y"],
                    f"{row['mean']:.1%}",
                    va="center",
                    ha="left",
                    fontsize=10,
                )

        ax.set_yticks(
            summ["y"],
            [_group_label(s, g) for s, g in zip(summ["segment"], summ["group"], strict=True)],
        )
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, max(xmax * 1.15, 0.01))
        ax.set_xlabel(
            f"Cumulative default rate at month {last_month}, % of accounts opened in the group"
        )
        err = "\nBlack whiskers: 5th–95th percentile across runs." if n >= 2 else ""
        ax.set_title(
            f"Defaults so far ÷ accounts ever opened in each group; {_average_phrase(n)}.{err}"
        )
        ax.legend(title="Customer grouping", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def plot_default_by_segment(seg: pd.DataFrame, path: Path) -> Path:
    """Chart the cumulative default rate at the last month by customer group.

    One colour block per segment (e.g. income type, impulse-spending tercile,
    credit file), one horizontal bar per group. Bars are the mean over
    replicates of ``cum_default_rate`` at the last month; with at least two
    replicates error bars show the 5th–95th percentile across replicates.

    Args:
        seg: Segments table, one row per (replicate, month, segment, group).
        path: Where to write the PNG.

    Returns:
        The path of the written PNG.
    """
    return _save(_make_default_by_segment(seg), path)


# --------------------------------------------------------------------------- vintages


def _pick_vintages(vin: pd.DataFrame) -> list[int]:
    """Pick at most eight evenly spaced vintages with enough accounts opened.

    Vintages with a replicate-mean of at least 100 accounts opened are
    preferred; if there are none, all vintages are candidates.

    Args:
        vin: Vintages table.

    Returns:
        Sorted list of vintage (origination month) numbers.
    """
    size = vin.groupby(["replicate", "vintage"])["n_opened"].max().groupby("vintage").mean()
    candidates = sorted(int(v) for v in size.index[size >= _MIN_VINTAGE_SIZE])
    if not candidates:
        candidates = sorted(int(v) for v in size.index)
    if len(candidates) <= _MAX_VINTAGES:
        return candidates
    idx = np.unique(np.round(np.linspace(0, len(candidates) - 1, _MAX_VINTAGES)).astype(int))
    return [candidates[i] for i in idx]


def _make_vintages(vin: pd.DataFrame) -> Figure:
    """Build the vintage-curve figure."""
    vin = vin if "replicate" in vin.columns else vin.assign(replicate=0)
    n = _n_runs(vin)
    picked = _pick_vintages(vin)
    curves = (
        vin[vin["vintage"].isin(picked)]
        .groupby(["vintage", "months_on_book"], sort=True)["cum_default_rate"]
        .mean()
    )
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle("How defaults build up as each group of new accounts ages")
        cmap = mpl.colormaps["viridis"]
        lo, hi = (min(picked), max(picked)) if picked else (0, 1)
        for v in picked:
            c = curves.loc[v]
            frac = 0.0 if hi == lo else (v - lo) / (hi - lo)
            label = f"Opened in month {v}" + (" (burn-in)" if v < 0 else "")
            ax.plot(
                c.index, c.to_numpy(), color=cmap(0.9 * frac), lw=2, marker="o", ms=3, label=label
            )
        ax.set_title(f"Cumulative defaults ÷ accounts opened in that month; {_average_phrase(n)}")
        ax.set_ylabel("Cumulative default rate, %\nof accounts opened in that month")
        ax.set_xlabel("Months since the accounts were opened")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(bottom=0)
        ax.set_xlim(left=0)
        ax.legend(
            title="Group of accounts",
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            framealpha=0.9,
        )
    return fig


def plot_vintages(vin: pd.DataFrame, path: Path) -> Path:
    """Chart vintage curves: cumulative default rate against months on book.

    One line per origination month (vintage), replicate mean. At most eight
    evenly spaced vintages with at least 100 accounts opened (replicate mean)
    are drawn, coloured from early (dark) to late (light) by a sequential
    colormap. Vintages before month 0 come from the burn-in and are marked.

    Args:
        vin: Vintages table: replicate, vintage, months_on_book, n_opened,
            cum_defaults, cum_default_rate.
        path: Where to write the PNG.

    Returns:
        The path of the written PNG.
    """
    return _save(_make_vintages(vin), path)


# --------------------------------------------------------------------------- causes


def _cause_counts(causes: pd.DataFrame, n_replicates: int | None = None) -> pd.DataFrame:
    """Count defaults by primary cause, per simulation run.

    Args:
        causes: Default events, one row per default, with a ``cause`` column
            (``"C1"``..``"C5"``) and optionally ``cause_label`` and ``replicate``.
        n_replicates: Number of replicates to divide by. Defaults to the
            number of distinct replicates in ``causes`` (at least 1). Pass it
            explicitly when some replicates may have had no defaults at all.

    Returns:
        One row per cause, always including C1..C5 (in that order, followed by
        any unknown causes), indexed by cause code, with columns ``label``,
        ``count`` (total over all replicates), ``per_run`` (count ÷ number of
        replicates) and ``share`` (fraction of all defaults, 0 when none).
    """
    n = n_replicates if n_replicates is not None else _n_runs(causes)
    n = max(int(n), 1)
    counts = causes["cause"].astype(str).value_counts() if len(causes) else pd.Series(dtype=int)
    codes = list(CAUSE_LABELS) + sorted(c for c in counts.index if c not in CAUSE_LABELS)
    labels = dict(CAUSE_LABELS)
    if "cause_label" in causes.columns and len(causes):
        seen = causes.drop_duplicates("cause").set_index("cause")["cause_label"]
        labels.update({str(k): str(v) for k, v in seen.items() if isinstance(v, str) and v})
    count = counts.reindex(codes, fill_value=0).astype(int)
    total = int(count.sum())
    return pd.DataFrame(
        {
            "label": [labels.get(c, c) for c in codes],
            "count": count.to_numpy(),
            "per_run": count.to_numpy() / n,
            "share": count.to_numpy() / total if total else np.zeros(len(codes)),
        },
        index=pd.Index(codes, name="cause"),
    )


def _fmt_count(x: float) -> str:
    """Format an average count: whole numbers from 100 up, one decimal below."""
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def _make_causes(causes: pd.DataFrame, n_replicates: int | None = None) -> Figure:
    """Build the bar chart of defaults by primary cause."""
    table = _cause_counts(causes, n_replicates)
    n = n_replicates if n_replicates is not None else _n_runs(causes)
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle("Why customers default: main cause of each default")
        y = np.arange(len(table))
        ax.barh(
            y,
            table["share"],
            height=0.7,
            color=_MAIN_COLOUR,
            label="Share of all defaults",
        )
        smax = float(table["share"].max()) if len(table) else 0.0
        for yi, (_, row) in zip(y, table.iterrows(), strict=True):
            per_run = row["per_run"]
            fmt = _fmt_count(per_run)
            ax.text(
                row["share"] + 0.01 * max(smax, 0.01),
                yi,
                f"{row['share']:.1%}  ({fmt} defaults per run)",
                va="center",
                ha="left",
                fontsize=10,
            )
        ax.set_yticks(y, list(table["label"]))
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, max(smax * 1.6, 0.05))
        ax.set_xlabel("Share of all defaults, %")
        total_per_run = float(table["per_run"].sum())
        ax.set_title(
            "Each default is counted once, under its main cause.\n"
            f"On average {_fmt_count(total_per_run)} defaults per run, over {_runs_phrase(n)}."
        )
        fig.legend(loc="outside lower right")
    return fig


def plot_causes(causes: pd.DataFrame, path: Path, *, n_replicates: int | None = None) -> Path:
    """Chart the share of defaults by primary cause, with counts annotated.

    All five causes C1..C5 are always shown (0 when absent). Each bar is the
    share of all defaults; the annotation gives the share and the average
    number of defaults per run (count across replicates ÷ number of
    replicates).

    Args:
        causes: Default events, one row per default.
        path: Where to write the PNG.
        n_replicates: Number of replicates to divide counts by; defaults to
            the number of distinct replicates in ``causes``.

    Returns:
        The path of the written PNG.
    """
    return _save(_make_causes(causes, n_replicates), path)


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
    if not _empty(ts):
        written.append(plot_default_rate(ts, out_dir / CHART_FILES["default_rate"]))
        written.append(plot_delinquency_buckets(ts, out_dir / CHART_FILES["delinquency_buckets"]))
    if not _empty(seg):
        written.append(plot_default_by_segment(seg, out_dir / CHART_FILES["default_by_segment"]))
    if not _empty(vin):
        written.append(plot_vintages(vin, out_dir / CHART_FILES["vintages"]))
    if not _empty(causes):
        n_rep = None
        if not _empty(ts) and "replicate" in ts.columns:
            n_rep = max(_n_runs(ts), _n_runs(causes))
        written.append(plot_causes(causes, out_dir / CHART_FILES["causes"], n_replicates=n_rep))
    return written


# --------------------------------------------------------------------------- sweeps (several runs)

__all__ += ["plot_sweep_default_curves", "plot_sweep_heatmap"]


def _metric_text(metric: str) -> tuple[str, str]:
    """Label and denominator of a metric from the catalogue (``value`` when it has none)."""
    m = catalogue.metric(metric)
    return m.label, m.denominator or "value"


def _pct(x: float) -> str:
    """Percent with two decimals (``0.0561`` → ``5.61%``)."""
    return f"{x:.2%}"


def _categories(values: pd.Series) -> list[str]:
    """Distinct values in order of first appearance (the order of the sweep command)."""
    return [str(v) for v in pd.unique(values.astype(str))]


def _make_sweep_default_facets(runs: dict[str, pd.DataFrame], legend_title: str) -> Figure:
    """Many runs with two varying settings: one small panel per value of the first setting (e.g.
    the economy), one coloured line per value of the second (e.g. the policy), replicate means.
    """
    firsts = _categories(pd.Series([k.split(" · ", 1)[0] for k in runs]))
    seconds = _categories(pd.Series([k.split(" · ", 1)[1] for k in runs]))
    ncols = min(3, len(firsts))
    nrows = int(np.ceil(len(firsts) / ncols))
    names = [t.strip() for t in legend_title.split("·")] + ["", ""]
    with _style():
        fig = _new_figure()
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True)).ravel()
        cmap = mpl.colormaps["tab10" if len(seconds) <= 10 else "tab20"]
        for label, ts in runs.items():
            first, second = label.split(" · ", 1)
            ax = axes[firsts.index(first)]
            summ = _summarise(ts, "month", "default_rate")
            ax.plot(summ.index.to_numpy(), summ["mean"], lw=1.4,
                    color=cmap(seconds.index(second) % cmap.N), label=second)
        for ax, first in zip(axes, firsts, strict=False):
            ax.set_title(first, fontsize=10)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
            ax.set_ylim(bottom=0)
            ax.grid(True, alpha=0.3)
        for ax in axes[len(firsts):]:
            ax.set_visible(False)
        fig.supxlabel("Month of the simulation", fontsize=10)
        fig.supylabel("Monthly default rate, % of performing accounts", fontsize=10)
        fig.suptitle("Monthly default rate in each scenario of the sweep (average of replicates)\n"
                     f"New defaults ÷ accounts performing at the start of the month; one panel per "
                     f"{names[0].lower() or 'setting'}", fontsize=11)
        handles, labels = axes[0].get_legend_handles_labels()
        order = [labels.index(s) for s in seconds if s in labels]
        fig.legend([handles[i] for i in order], [labels[i] for i in order], title=names[1] or None,
                   loc="outside right center", fontsize=9)
    return fig


def _make_sweep_default_curves(runs: dict[str, pd.DataFrame], legend_title: str) -> Figure:
    """Build the figure of monthly default-rate curves, one per run of a sweep."""
    if len(runs) > 10 and all(" · " in k for k in runs):
        return _make_sweep_default_facets(runs, legend_title)
    n_list = [_n_runs(ts) for ts in runs.values()]
    n_min = min(n_list) if n_list else 1
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle("Monthly default rate in each scenario of the sweep")
        cmap = mpl.colormaps["tab10" if len(runs) <= 10 else "tab20"]
        months: list[float] = []
        for i, (label, ts) in enumerate(runs.items()):
            colour = cmap(i % cmap.N)
            summ = _summarise(ts, "month", "default_rate")
            x = summ.index.to_numpy()
            months.extend([float(x.min()), float(x.max())] if len(x) else [])
            ax.plot(x, summ["mean"], color=colour, lw=2, label=label)
            if _n_runs(ts) >= 2:
                alpha = 0.15 if len(runs) <= 4 else 0.08
                ax.fill_between(x, summ["lo"], summ["hi"], color=colour, alpha=alpha, lw=0)
        handles, labels = ax.get_legend_handles_labels()
        if n_min >= 2:
            from matplotlib.patches import Patch

            handles.append(Patch(facecolor="grey", alpha=0.3, lw=0))
            labels.append("Shaded band: middle 90% of\nreplicates (5th–95th pct.)")
        reps = f"{n_min} replicates" if len(set(n_list)) <= 1 else f"{n_min}–{max(n_list)} replicates"
        ax.set_title(
            "New defaults ÷ accounts performing at the start of the month\n"
            f"Line: average of {reps}" + ("; band: 5th–95th percentile" if n_min >= 2 else "")
        )
        ax.set_ylabel("Monthly default rate, %\nof performing accounts")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(bottom=0)
        _month_axis(ax, np.array(months))
        ax.legend(
            handles,
            labels,
            title=legend_title,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            ncol=1 if len(labels) <= 14 else 2,
            framealpha=0.9,
        )
    return fig


def plot_sweep_default_curves(
    runs: dict[str, pd.DataFrame], path: Path, *, legend_title: str = "Scenario"
) -> Path:
    """Chart the monthly default rate of every run of a sweep on one figure.

    One colour per run: the line is the mean over replicates of ``default_rate``
    (new defaults ÷ accounts performing at the start of the month) and, with at
    least two replicates, a shaded band spans the 5th–95th percentile across
    replicates.

    Args:
        runs: Readable run label (e.g. ``"severe recession"``) → that
            run's timeseries table (one row per replicate × month), in display order.
        path: Where to write the PNG.
        legend_title: Title of the legend, e.g. the names of the keys the labels give.

    Returns:
        The path of the written PNG.
    """
    return _save(_make_sweep_default_curves(runs, legend_title), path)


def _sweep_means(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per run of ``metric`` with columns mean, p05, p95 and the override columns."""
    rows = summary[summary["metric"] == metric]
    if rows.empty:
        raise ValueError(f"metric {metric!r} is not in the sweep summary")
    stats = rows.pivot_table(index="run", columns="statistic", values="value", aggfunc="first")
    others = rows.drop(columns=["metric", "statistic", "value"]).drop_duplicates("run").set_index("run")
    out = others.join(stats)
    return out.loc[pd.unique(rows["run"])].reset_index()


def _make_sweep_bars(summary: pd.DataFrame, key: str | None, metric: str) -> Figure:
    """Bar chart of a metric's mean by the values of one key (or by run)."""
    name, denom = _metric_text(metric)
    per_run = _sweep_means(summary, metric)
    key = key if key is not None and key in per_run.columns else "run"
    per_run[key] = per_run[key].astype(str)
    cats = _categories(per_run[key])
    grouped = per_run.groupby(key, sort=False)
    mean = grouped["mean"].mean().reindex(cats)
    lo = grouped["p05"].min().reindex(cats) if "p05" in per_run else mean
    hi = grouped["p95"].max().reindex(cats) if "p95" in per_run else mean
    count = grouped.size().reindex(cats)
    multi = int(count.max()) if len(count) else 1
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        by = "run" if key == "run" else key_label(key).lower()
        fig.suptitle(f"{name} by {by}")
        y = np.arange(len(cats))
        has_range = bool(((hi - lo) > 0).any())
        xerr = None
        if has_range:
            xerr = np.vstack([(mean - lo).clip(lower=0).to_numpy(), (hi - mean).clip(lower=0).to_numpy()])
        ax.barh(
            y,
            mean.to_numpy(),
            height=0.6,
            color=_MAIN_COLOUR,
            xerr=xerr,
            error_kw={"ecolor": "black", "capsize": 4, "lw": 1},
            label="Average over replicates" if multi == 1 else "Average over runs and replicates",
        )
        if has_range:  # a legend entry standing for the whiskers
            ax.plot([], [], color="black", lw=1, marker="|", ms=8,
                    label="5th–95th percentile of replicates" if multi == 1
                    else "Lowest 5th to highest 95th percentile of the runs")
        xmax = float(np.nanmax(np.r_[mean.to_numpy(), hi.to_numpy()])) if len(cats) else 0.0
        for yi, (m, h) in enumerate(zip(mean.to_numpy(), hi.to_numpy(), strict=True)):
            ax.text((h if has_range else m) + 0.01 * max(xmax, 1e-9), yi, _pct(m),
                    va="center", ha="left", fontsize=10)
        ax.set_yticks(y, [value_label(c) if key != "run" else f"Run {c}" for c in cats])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, max(xmax * 1.2, 1e-4))
        ax.set_xlabel(f"{name}, {denom}")
        ax.set_ylabel(key_label(key))
        note = f"\nEach bar averages {multi} runs (other settings vary)." if multi > 1 else ""
        ax.set_title(f"Each bar: average over replicates ({denom}).{note}")
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside lower center", ncol=2)
    return fig


def _make_sweep_heatmap(summary: pd.DataFrame, row_key: str, col_key: str, metric: str) -> Figure:
    """Heatmap of a metric's mean over two keys, value printed in each cell."""
    name, denom = _metric_text(metric)
    per_run = _sweep_means(summary, metric)
    per_run[row_key] = per_run[row_key].astype(str)
    per_run[col_key] = per_run[col_key].astype(str)
    rows, cols = _categories(per_run[row_key]), _categories(per_run[col_key])
    grid = per_run.pivot_table(index=row_key, columns=col_key, values="mean", aggfunc="mean")
    grid = grid.reindex(index=rows, columns=cols)
    count = per_run.groupby([row_key, col_key]).size()
    values = grid.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if vmax <= vmin:
        vmin, vmax = vmin * 0.9, vmax * 1.1 + 1e-12
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(f"{name} by {key_label(row_key).lower()} and {key_label(col_key).lower()}")
        cmap = mpl.colormaps["YlOrRd"]
        im = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        norm = im.norm
        for i in range(len(rows)):
            for j in range(len(cols)):
                v = values[i, j]
                text = "not run" if not np.isfinite(v) else _pct(v)
                dark = np.isfinite(v) and norm(v) > 0.6
                ax.text(j, i, text, ha="center", va="center", fontsize=11,
                        color="white" if dark else "black")
        xlabels = [value_label(c) for c in cols]
        crowded = len(cols) * max((len(x) for x in xlabels), default=0) > 60
        ax.set_xticks(np.arange(len(cols)), xlabels, rotation=30 if crowded else 0,
                      ha="right" if crowded else "center")
        ax.set_yticks(np.arange(len(rows)), [value_label(r) for r in rows])
        ax.set_xlabel(key_label(col_key))
        ax.set_ylabel(key_label(row_key))
        ax.grid(False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        bar = fig.colorbar(im, ax=ax, format=PercentFormatter(1.0, decimals=2))
        bar.locator = MaxNLocator(nbins=5)
        bar.update_ticks()
        bar.set_label(f"{name},\n{denom}")
        multi = int(count.max()) if len(count) else 1
        note = f"\nEach cell averages {multi} runs (other settings vary)." if multi > 1 else ""
        ax.set_title(f"Average over replicates; {denom}.{note}")
    return fig


def plot_sweep_heatmap(
    summary: pd.DataFrame, row_key: str | None, col_key: str | None, metric: str, path: Path
) -> Path:
    """Chart a summary metric's mean across the runs of a sweep.

    With two varying keys (e.g. ``economy`` × ``policy``) this is a heatmap,
    one cell per pair of values with the value printed in percent; cells
    holding several runs (a third key varies) show their average. When the
    sweep has only one varying key (``col_key`` is None, equal to ``row_key``
    or takes a single value) a horizontal bar chart by ``row_key`` is drawn
    instead, with 5th–95th percentile whiskers across replicates.

    Args:
        summary: The tidy sweep summary (one row per run × metric × statistic,
            with one column per override key), see :func:`simulator.outputs.sweep.collect_sweep`.
        row_key: Override column for the rows (or the bars); None → one bar per run.
        col_key: Override column for the columns, or None.
        metric: Summary metric, e.g. ``"cum_default_rate"``.
        path: Where to write the PNG.

    Returns:
        The path of the written PNG.
    """
    two_keys = (
        row_key is not None
        and col_key is not None
        and row_key != col_key
        and row_key in summary.columns
        and col_key in summary.columns
        and summary[col_key].astype(str).nunique() > 1
        and summary[row_key].astype(str).nunique() > 1
    )
    if two_keys:
        return _save(_make_sweep_heatmap(summary, str(row_key), str(col_key), metric), path)
    key = row_key if row_key is not None and row_key in summary.columns else col_key
    if key is not None and key in summary.columns and summary[key].astype(str).nunique() <= 1:
        key = None
    return _save(_make_sweep_bars(summary, key, metric), path)


# --------------------------------------------------------------------------- cause decomposition

__all__ += ["plot_cause_decomposition"]

_INTERACTION_COLOUR = "#8c8c8c"
_REMAINDER_COLOUR = "#a9c4dd"


def _points(v: float, signed: bool = False) -> str:
    """Percentage points with two decimals, three below 0.1 (``0.073``) so small values are not shown as 0."""
    sign = "+" if signed else ""
    return f"{v:{sign}.3f}" if v != 0 and abs(v) < 0.1 else f"{v:{sign}.2f}"


def _make_cause_decomposition(df: pd.DataFrame) -> Figure:
    """Build the horizontal bar chart of each cause's contribution to the default rate."""
    causes = df[df["cause"] != "baseline_remainder"].reset_index(drop=True)
    remainder = df[df["cause"] == "baseline_remainder"]
    factual = float(df["factual"].iloc[0])
    all_off = float(df["all_off"].iloc[0])
    method = str(df["method"].iloc[0]) if "method" in df.columns else ""
    how = {
        "shapley": "Shapley split over all 32 on/off combinations of the five causes",
        "one_at_a_time": "each cause switched off on its own; what they do not add up to is the interaction",
    }.get(method, method.replace("_", " "))
    labels = [str(lab) for lab in causes["label"]]
    values = causes["contribution"].to_numpy(dtype=float)
    colours = [_INTERACTION_COLOUR if c == "interaction" else _MAIN_COLOUR for c in causes["cause"]]
    y = list(np.arange(len(causes), dtype=float))
    if len(remainder):
        y.append(len(causes) + 0.6)  # set apart: a level, not a contribution
        labels.append(str(remainder["label"].iloc[0]))
        values = np.r_[values, float(remainder["contribution"].iloc[0])]
        colours.append(_REMAINDER_COLOUR)
    shares = list(causes["share"].to_numpy(dtype=float)) + [np.nan] * len(remainder)
    with _style():
        fig = _new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle("What each cause adds to the share of accounts that default")
        ax.barh(y, values, height=0.7, color=colours)
        span = max(float(np.nanmax(np.abs(values))) if len(values) else 0.0, 1e-6)
        for yi, v, s in zip(y, values, shares, strict=True):
            text = f"{_points(v, signed=bool(np.isfinite(s)))} points"
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
        ax.set_xlabel("Contribution to the cumulative default rate, percentage points")
        ax.set_title(
            "Cumulative default rate = defaults ÷ accounts ever opened; points = percentage points.\n"
            f"With all causes: {_points(factual)}%; with all five causes switched off: {_points(all_off)}% "
            f"(same random numbers).\nBars add up to {_points(factual)}%. In brackets: share of the "
            f"{_points(factual - all_off)} points the causes explain.\nMethod: {how}.",
            fontsize=10,
        )
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=_MAIN_COLOUR, label="Contribution of the cause")]
        if (causes["cause"] == "interaction").any():
            handles.append(Patch(facecolor=_INTERACTION_COLOUR, label="Interaction between causes"))
        if len(remainder):
            handles.append(Patch(facecolor=_REMAINDER_COLOUR, label="Default rate left with all five causes off"))
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
    return _save(_make_cause_decomposition(df), path)


# --------------------------------------------------------------------------- policy trade-off


def policy_tradeoff_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Defaults prevented and purchase volume given up by each policy, against ``policy=none``.

    ``summary`` is a sweep summary (``simulator.outputs.sweep.collect_sweep``) with a ``policy`` column.
    Runs are matched on every other varying setting (e.g. the economy). Returns one row per
    (policy, other settings) with ``defaults_prevented`` (cumulative default rate of ``none``
    minus the policy's, in percentage points) and ``volume_lost`` (share of ``none``'s purchase
    volume the policy gives up, in %). Empty when the sweep has no ``policy=none`` run.
    """
    if "policy" not in summary.columns:
        return pd.DataFrame()
    means = summary[(summary["statistic"] == "mean")
                    & summary["metric"].isin(["cum_default_rate", "purchases"])]
    wide = means.pivot_table(index="run", columns="metric", values="value")
    keys = [k for k in summary.columns
            if k not in ("run", "metric", "statistic", "value", "n_borrowers", "months", "replicates",
                         "seed") and summary[k].nunique() > 1 and k != "policy"]
    info = summary.drop_duplicates("run").set_index("run")[["policy", *keys]].astype(str)
    wide = wide.join(info)
    rows = []
    for group, df in (wide.groupby(keys) if keys else [((), wide)]):
        ref = df[df["policy"].str.strip("[]") == "none"]
        if ref.empty:
            continue
        ref = ref.iloc[0]
        for _, r in df[df["policy"].str.strip("[]") != "none"].iterrows():
            rows.append({
                "policy": r["policy"].strip("[]"),
                "group": ", ".join(value_label(g) for g in (group if isinstance(group, tuple) else (group,))),
                "defaults_prevented": 100.0 * (ref["cum_default_rate"] - r["cum_default_rate"]),
                "volume_lost": 100.0 * (ref["purchases"] - r["purchases"]) / ref["purchases"]
                if ref["purchases"] else 0.0,
            })
    return pd.DataFrame(rows)


def plot_policy_tradeoff(table: pd.DataFrame, path: Path) -> Path:
    """Scatter of defaults prevented (points) against purchase volume given up (%): one colour per
    policy, one marker per economy (or other setting), from :func:`policy_tradeoff_table`.
    """
    from matplotlib.lines import Line2D

    with _style():
        fig = _new_figure()
        ax = fig.subplots()
        policies = _categories(table["policy"]) if len(table) else []
        groups = _categories(table["group"]) if len(table) else []
        colours = mpl.colormaps["tab10"]
        markers = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
        for _, r in table.iterrows():
            ax.scatter(r["volume_lost"], r["defaults_prevented"], s=70, zorder=3,
                       color=colours(policies.index(r["policy"]) % 10),
                       marker=markers[groups.index(r["group"]) % len(markers)],
                       edgecolor="white", linewidth=0.6)
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_xlabel("Purchase volume given up, % of the no-policy run")
        ax.set_ylabel("Defaults prevented, percentage points\nof accounts ever opened")
        fig.suptitle("What each policy prevents, and what it costs in lending")
        ax.set_title("Up = fewer defaults than with no policy; right = less BNPL lending. "
                     "Same random numbers in every run.", fontsize=10)
        ax.grid(True, alpha=0.3)
        pol = [Line2D([], [], ls="", marker="o", markersize=8, color=colours(i % 10),
                      label=value_label(p)) for i, p in enumerate(policies)]
        leg = ax.legend(handles=pol, title="Policy (colour)", fontsize=9, loc="upper left",
                        bbox_to_anchor=(1.01, 1.0))
        if len(groups) > 1 or (groups and groups[0]):
            ax.add_artist(leg)
            grp = [Line2D([], [], ls="", marker=markers[i % len(markers)], markersize=8, color="0.35",
                          label=g) for i, g in enumerate(groups)]
            ax.legend(handles=grp, title="Economy (marker)", fontsize=9, loc="lower left",
                      bbox_to_anchor=(1.01, 0.0))
        return _save(fig, path)
