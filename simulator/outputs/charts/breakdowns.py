"""Charts of one run that break defaults down: by customer group, by vintage, by primary cause.

Part of the run charts (:mod:`simulator.outputs.charts.run` writes all five with
``write_charts``). The tables are the tidy outputs of a run: ``seg`` one row per (replicate,
month, segment, group), ``vin`` one row per (replicate, vintage, months_on_book), ``causes`` one
row per default event.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulator.core.state import CAUSE_LABELS
from simulator.outputs.charts.style import (
    MAIN_COLOUR,
    PercentTicks,
    average_phrase,
    band_summary,
    chart_style,
    n_runs,
    new_figure,
    runs_phrase,
    save_figure,
)
from simulator.outputs.lang import tr

__all__ = [
    "CAUSE_LABELS",
    "SEGMENT_LABELS",
    "causes_figure",
    "default_by_segment_figure",
    "plot_causes",
    "plot_default_by_segment",
    "plot_vintages",
    "vintages_figure",
]

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

_MAX_VINTAGES = 8
_MIN_VINTAGE_SIZE = 100


# --------------------------------------------------------------------------- segments


def _segment_label(segment: str) -> str:
    """Return the human label of a segment name (unknown names as-is)."""
    return tr(SEGMENT_LABELS.get(segment, segment))


def _group_label(segment: str, group: str) -> str:
    """Return the human label of a group within a segment."""
    return tr(_GROUP_LABELS.get((segment, group), str(group)))


def _segment_summary(seg: pd.DataFrame) -> pd.DataFrame:
    """Cumulative default rate at the last month by segment and group.

    Args:
        seg: Segments table, one row per (replicate, month, segment, group).

    Returns:
        One row per (segment, group) in display order with columns
        ``segment``, ``group``, ``mean``, ``lo`` and ``hi``.
    """
    last = seg[seg["month"] == seg["month"].max()]
    summ = band_summary(last, ["segment", "group"], "cum_default_rate").reset_index()

    seg_order = [s for s in SEGMENT_LABELS if s in set(summ["segment"])]
    seg_order += [s for s in pd.unique(summ["segment"]) if s not in seg_order]

    def sort_key(row: pd.Series) -> tuple[int, int, str]:
        known = _GROUP_ORDER.get(row["segment"], [])
        g = str(row["group"])
        rank = known.index(g) if g in known else len(known)
        return seg_order.index(row["segment"]), rank, g

    keys = summ.apply(sort_key, axis=1)
    return summ.loc[keys.sort_values().index].reset_index(drop=True)


def default_by_segment_figure(seg: pd.DataFrame) -> Figure:
    """The figure of :func:`plot_default_by_segment` (defaults by customer group), not saved.

    Args:
        seg: Segments table, one row per (replicate, month, segment, group).

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    n = n_runs(seg)
    summ = _segment_summary(seg)
    last_month = int(seg["month"].max())
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("Which customers default most"))
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

        vals = summ[["mean", "hi"]].to_numpy(dtype=float)
        xmax = float(np.nanmax(vals)) if np.isfinite(vals).any() else 0.0  # empty book: all NaN
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
        ax.xaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_xlim(0, max(xmax * 1.15, 0.01))
        ax.set_xlabel(
            tr("Cumulative default rate at month {m}, % of accounts opened in the group").format(m=last_month)
        )
        err = "\n" + tr("Black whiskers: 5th–95th percentile across runs.") if n >= 2 else ""
        ax.set_title(
            tr("Defaults so far ÷ accounts ever opened in each group; {avg}.").format(avg=average_phrase(n)) + err
        )
        ax.legend(title=tr("Customer grouping"), loc="upper left", bbox_to_anchor=(1.01, 1.0))
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
    return save_figure(default_by_segment_figure(seg), path)


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


def vintages_figure(vin: pd.DataFrame) -> Figure:
    """The figure of :func:`plot_vintages` (vintage curves), not saved.

    Args:
        vin: Vintages table, see :func:`plot_vintages`.

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    vin = vin if "replicate" in vin.columns else vin.assign(replicate=0)
    n = n_runs(vin)
    picked = _pick_vintages(vin)
    curves = (
        vin[vin["vintage"].isin(picked)]
        .groupby(["vintage", "months_on_book"], sort=True)["cum_default_rate"]
        .mean()
    )
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("How defaults build up as each group of new accounts ages"))
        cmap = mpl.colormaps["viridis"]
        lo, hi = (min(picked), max(picked)) if picked else (0, 1)
        for v in picked:
            c = curves.loc[v]
            frac = 0.0 if hi == lo else (v - lo) / (hi - lo)
            label = tr("Opened in month {v}").format(v=v) + (tr(" (burn-in)") if v < 0 else "")
            ax.plot(
                c.index, c.to_numpy(), color=cmap(0.9 * frac), lw=2, marker="o", ms=3, label=label
            )
        ax.set_title(tr("Cumulative defaults ÷ accounts opened in that month; {avg}").format(avg=average_phrase(n)))
        ax.set_ylabel(tr("Cumulative default rate, %\nof accounts opened in that month"))
        ax.set_xlabel(tr("Months since the accounts were opened"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_ylim(bottom=0)
        ax.set_xlim(left=0)
        ax.legend(
            title=tr("Group of accounts"),
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
    return save_figure(vintages_figure(vin), path)


# --------------------------------------------------------------------------- causes


def _cause_counts(causes: pd.DataFrame, n_replicates: int | None = None) -> pd.DataFrame:
    """Count defaults by cause, per simulation run: each default shared among its causes by its
    ``weight_C1``..``weight_C5`` columns when the table has them (``causes.parquet``), else
    counted once under its primary cause (``cause``).

    Args:
        causes: Default events, one row per default, with a ``cause`` column
            (``"C1"``..``"C5"``) and optionally ``weight_C1``..``weight_C5``, ``cause_label`` and
            ``replicate``.
        n_replicates: Number of replicates to divide by. Defaults to the
            number of distinct replicates in ``causes`` (at least 1). Pass it
            explicitly when some replicates may have had no defaults at all.

    Returns:
        One row per cause, always including C1..C5 (in that order, followed by
        any unknown causes), indexed by cause code, with columns ``label``,
        ``count`` (total over all replicates), ``per_run`` (count ÷ number of
        replicates) and ``share`` (fraction of all defaults, 0 when none).
    """
    n = n_replicates if n_replicates is not None else n_runs(causes)
    n = max(int(n), 1)
    counts = causes["cause"].astype(str).value_counts() if len(causes) else pd.Series(dtype=int)
    if _weighted(causes):
        counts = pd.Series({c: float(causes[f"weight_{c}"].sum()) for c in CAUSE_LABELS})
    codes = list(CAUSE_LABELS) + sorted(c for c in counts.index if c not in CAUSE_LABELS)
    labels = dict(CAUSE_LABELS)
    if "cause_label" in causes.columns and len(causes):
        seen = causes.drop_duplicates("cause").set_index("cause")["cause_label"]
        labels.update({str(k): str(v) for k, v in seen.items() if isinstance(v, str) and v})
    count = counts.reindex(codes, fill_value=0)
    count = count.astype(float) if _weighted(causes) else count.astype(int)
    total = count.sum()
    return pd.DataFrame(
        {
            "label": [labels.get(c, c) for c in codes],
            "count": count.to_numpy(),
            "per_run": count.to_numpy() / n,
            "share": count.to_numpy() / total if total else np.zeros(len(codes)),
        },
        index=pd.Index(codes, name="cause"),
    )


def _weighted(causes: pd.DataFrame) -> bool:
    """Whether ``causes`` shares each default among its causes (columns ``weight_C1``..``weight_C5``)."""
    return len(causes) > 0 and all(f"weight_{c}" in causes.columns for c in CAUSE_LABELS)


def _fmt_count(x: float) -> str:
    """Format an average count: whole numbers from 100 up, one decimal below."""
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def causes_figure(causes: pd.DataFrame, n_replicates: int | None = None) -> Figure:
    """The figure of :func:`plot_causes` (share of defaults by primary cause), not saved.

    Args:
        causes: Default events, one row per default.
        n_replicates: Number of replicates to divide counts by; defaults to the number of
            distinct replicates in ``causes``.

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    table = _cause_counts(causes, n_replicates)
    n = n_replicates if n_replicates is not None else n_runs(causes)
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        weighted = _weighted(causes)
        fig.suptitle(tr("Why customers default: the causes of each default") if weighted
                     else tr("Why customers default: main cause of each default"))
        y = np.arange(len(table))
        ax.barh(
            y,
            table["share"],
            height=0.7,
            color=MAIN_COLOUR,
            label=tr("Share of all defaults"),
        )
        smax = float(table["share"].max()) if len(table) else 0.0
        for yi, (_, row) in zip(y, table.iterrows(), strict=True):
            per_run = row["per_run"]
            fmt = _fmt_count(per_run)
            inside = row["share"] > 0.6  # a share axis ends at 100%: long bars carry their text inside
            ax.text(
                row["share"] - 0.01 if inside else row["share"] + 0.01 * max(smax, 0.01),
                yi,
                tr("{share}  ({n} defaults per run)").format(share=f"{row['share']:.1%}", n=fmt),
                va="center",
                ha="right" if inside else "left",
                color="white" if inside else "black",
                fontsize=10,
            )
        ax.set_yticks(y, [tr(x) for x in table["label"]])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_xlim(0, min(max(smax * 1.6, 0.05), 1.0))
        ax.set_xlabel(tr("Share of all defaults, %"))
        total_per_run = float(table["per_run"].sum())
        ax.set_title(
            (tr("Each default is shared equally among the causes it needed.\n") if weighted
             else tr("Each default is counted once, under its main cause.\n")) +
            tr("On average {n} defaults per run, over {runs}.").format(n=_fmt_count(total_per_run),
                                                                     runs=runs_phrase(n))
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
    return save_figure(causes_figure(causes, n_replicates), path)
