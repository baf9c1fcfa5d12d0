"""Charts of a sweep (several runs): default-rate curves, a metric across runs, the policy trade-off.

The inputs are the timeseries tables of the runs (one row per replicate × month) and the tidy
sweep summary of :func:`simulator.outputs.sweep.collect_sweep` (one row per run × metric ×
statistic, one column per override key). Metric names, axis labels and denominators come from
the catalogue (:mod:`simulator.outputs.catalogue`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from simulator.outputs import catalogue
from simulator.outputs.catalogue import key_label, value_label
from simulator.outputs.charts.style import (
    MAIN_COLOUR,
    PercentTicks,
    band_summary,
    categories,
    chart_style,
    month_axis,
    n_runs,
    new_figure,
    pct,
    save_figure,
)
from simulator.outputs.lang import tr
from simulator.outputs.remedies import remedy_ranking
from simulator.outputs.sweep import policy_tradeoff_table, run_labels, sweep_chart_keys

__all__ = [
    "DEFAULT_CURVES_FILE",
    "POLICY_TRADEOFF_FILE",
    "SWEEP_CHART_METRICS",
    "plot_policy_tradeoff",
    "plot_sweep_default_curves",
    "plot_sweep_heatmap",
    "policy_tradeoff_figure",
    "sweep_default_curves_figure",
    "sweep_metric_chart_file",
    "sweep_metric_figure",
    "write_sweep_charts",
]

#: The sweep charts' files (in a sweep's ``charts/`` folder).
DEFAULT_CURVES_FILE = "sweep_default_rate.png"
POLICY_TRADEOFF_FILE = "sweep_policy_tradeoff.png"
#: Metrics drawn as a heatmap / bar chart across the runs of a sweep.
SWEEP_CHART_METRICS = ("cum_default_rate", "loss_rate")


def sweep_metric_chart_file(metric: str) -> str:
    """The file of the chart of ``metric`` across a sweep: ``sweep_<metric>.png``."""
    return f"sweep_{metric}.png"


def _axis_text(metric: str) -> tuple[str, str]:
    """Label and denominator of a metric from the catalogue (``value`` when it has none)."""
    m = catalogue.metric(metric)
    return m.label_in(), m.denominator_in() or tr("value")


def _make_sweep_default_facets(runs: dict[str, pd.DataFrame], legend_title: str) -> Figure:
    """Many runs with two varying settings: one small panel per value of the first setting (e.g.
    the economy), one coloured line per value of the second (e.g. the policy), replicate means.
    """
    firsts = categories(pd.Series([k.split(" · ", 1)[0] for k in runs]))
    seconds = categories(pd.Series([k.split(" · ", 1)[1] for k in runs]))
    ncols = min(3, len(firsts))
    nrows = int(np.ceil(len(firsts) / ncols))
    names = [t.strip() for t in legend_title.split("·")] + ["", ""]
    with chart_style():
        fig = new_figure()
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True)).ravel()
        cmap = mpl.colormaps["tab10" if len(seconds) <= 10 else "tab20"]
        for label, ts in runs.items():
            first, second = label.split(" · ", 1)
            ax = axes[firsts.index(first)]
            summ = band_summary(ts, "month", "default_rate")
            none = second.strip() in ("none", value_label("none"))
            ax.plot(summ.index.to_numpy(), summ["mean"], lw=2.2 if none else 1.4, ls="--" if none else "-",
                    color="black" if none else cmap(seconds.index(second) % cmap.N), label=second,
                    zorder=5 if none else 2)
        for ax, first in zip(axes, firsts, strict=False):
            ax.set_title(first, fontsize=10)
            ax.yaxis.set_major_formatter(PercentTicks(1.0))
            ax.set_ylim(bottom=0)
            ax.grid(True, alpha=0.3)
        for ax in axes[len(firsts):]:
            ax.set_visible(False)
        fig.supxlabel(tr("Month of the simulation"), fontsize=10)
        fig.supylabel(tr("Monthly default rate, % of performing accounts"), fontsize=10)
        fig.suptitle(tr("Monthly default rate in each scenario of the sweep (average of replicates)\n"
                        "New defaults ÷ accounts performing at the start of the month; one panel per "
                        "{key}; black dashed line: none").format(key=names[0].lower() or tr("setting")), fontsize=11)
        handles, labels = axes[0].get_legend_handles_labels()
        order = [labels.index(s) for s in seconds if s in labels]
        fig.legend([handles[i] for i in order], [labels[i] for i in order], title=names[1] or None,
                   loc="outside right center", fontsize=9)
    return fig


def sweep_default_curves_figure(runs: dict[str, pd.DataFrame], legend_title: str) -> Figure:
    """The figure of :func:`plot_sweep_default_curves` (one default-rate curve per run), not saved.

    With more than ten runs labelled ``first · second`` (two varying settings), one small panel
    per value of the first setting instead, one coloured line per value of the second.

    Args:
        runs: Readable run label → that run's timeseries table, in display order.
        legend_title: Title of the legend, e.g. the names of the keys the labels give.

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    if len(runs) > 10 and all(" · " in k for k in runs):
        return _make_sweep_default_facets(runs, legend_title)
    n_list = [n_runs(ts) for ts in runs.values()]
    n_min = min(n_list) if n_list else 1
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("Monthly default rate in each scenario of the sweep"))
        cmap = mpl.colormaps["tab10" if len(runs) <= 10 else "tab20"]
        months: list[float] = []
        for i, (label, ts) in enumerate(runs.items()):
            colour = cmap(i % cmap.N)
            summ = band_summary(ts, "month", "default_rate")
            x = summ.index.to_numpy()
            months.extend([float(x.min()), float(x.max())] if len(x) else [])
            ax.plot(x, summ["mean"], color=colour, lw=2, label=label)
            if n_runs(ts) >= 2:
                alpha = 0.15 if len(runs) <= 4 else 0.08
                ax.fill_between(x, summ["lo"], summ["hi"], color=colour, alpha=alpha, lw=0)
        handles, labels = ax.get_legend_handles_labels()
        if n_min >= 2:
            handles.append(Patch(facecolor="grey", alpha=0.3, lw=0))
            labels.append(tr("Shaded band: middle 90% of\nreplicates (5th–95th pct.)"))
        reps = str(n_min) if len(set(n_list)) <= 1 else f"{n_min}–{max(n_list)}"
        ax.set_title(
            tr("New defaults ÷ accounts performing at the start of the month\nLine: average of {n} replicates").format(
                n=reps) + (tr("; band: 5th–95th percentile") if n_min >= 2 else "")
        )
        ax.set_ylabel(tr("Monthly default rate, %\nof performing accounts"))
        ax.yaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_ylim(bottom=0)
        month_axis(ax, np.array(months))
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
    runs: dict[str, pd.DataFrame], path: Path, *, legend_title: str | None = None
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
    return save_figure(sweep_default_curves_figure(runs, legend_title or tr("Scenario")), path)


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
    name, denom = _axis_text(metric)
    per_run = _sweep_means(summary, metric)
    key = key if key is not None and key in per_run.columns else "run"
    per_run[key] = per_run[key].astype(str)
    cats = categories(per_run[key])
    grouped = per_run.groupby(key, sort=False)
    mean = grouped["mean"].mean().reindex(cats)
    lo = grouped["p05"].min().reindex(cats) if "p05" in per_run else mean
    hi = grouped["p95"].max().reindex(cats) if "p95" in per_run else mean
    count = grouped.size().reindex(cats)
    multi = int(count.max()) if len(count) else 1
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        by = tr("run") if key == "run" else key_label(key).lower()
        fig.suptitle(tr("{name} by {by}").format(name=name, by=by))
        y = np.arange(len(cats))
        has_range = bool(((hi - lo) > 0).any())
        xerr = None
        if has_range:
            xerr = np.vstack([(mean - lo).clip(lower=0).to_numpy(), (hi - mean).clip(lower=0).to_numpy()])
        ax.barh(
            y,
            mean.to_numpy(),
            height=0.6,
            color=MAIN_COLOUR,
            xerr=xerr,
            error_kw={"ecolor": "black", "capsize": 4, "lw": 1},
            label=tr("Average over replicates") if multi == 1 else tr("Average over runs and replicates"),
        )
        if has_range:  # a legend entry standing for the whiskers
            ax.plot([], [], color="black", lw=1, marker="|", ms=8,
                    label=tr("5th–95th percentile of replicates") if multi == 1
                    else tr("Lowest 5th to highest 95th percentile of the runs"))
        vals = np.r_[mean.to_numpy(dtype=float), hi.to_numpy(dtype=float)]
        xmax = float(np.nanmax(vals)) if len(cats) and np.isfinite(vals).any() else 0.0
        for yi, (m, h) in enumerate(zip(mean.to_numpy(), hi.to_numpy(), strict=True)):
            ax.text((h if has_range else m) + 0.01 * max(xmax, 1e-9), yi, pct(m),
                    va="center", ha="left", fontsize=10)
        ax.set_yticks(y, [value_label(c) if key != "run" else tr("Run {run}").format(run=c) for c in cats])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(PercentTicks(1.0))
        ax.set_xlim(0, max(xmax * 1.2, 1e-4))
        ax.set_xlabel(f"{name}, {denom}")
        ax.set_ylabel(key_label(key))
        note = tr("\nEach bar averages {n} runs (other settings vary).").format(n=multi) if multi > 1 else ""
        ax.set_title(tr("Each bar: average over replicates ({denom}).").format(denom=denom) + note)
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside lower center", ncol=2)
    return fig


def _make_sweep_heatmap(summary: pd.DataFrame, row_key: str, col_key: str, metric: str) -> Figure:
    """Heatmap of a metric's mean over two keys, value printed in each cell."""
    name, denom = _axis_text(metric)
    per_run = _sweep_means(summary, metric)
    per_run[row_key] = per_run[row_key].astype(str)
    per_run[col_key] = per_run[col_key].astype(str)
    rows, cols = categories(per_run[row_key]), categories(per_run[col_key])
    grid = per_run.pivot_table(index=row_key, columns=col_key, values="mean", aggfunc="mean")
    grid = grid.reindex(index=rows, columns=cols)
    count = per_run.groupby([row_key, col_key]).size()
    values = grid.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if vmax <= vmin:
        vmin, vmax = vmin * 0.9, vmax * 1.1 + 1e-12
    with chart_style():
        fig = new_figure(nrows=1)
        ax = fig.axes[0]
        fig.suptitle(tr("{name} by {row} and {col}").format(name=name, row=key_label(row_key).lower(),
                                                            col=key_label(col_key).lower()))
        cmap = mpl.colormaps["YlOrRd"]
        im = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        norm = im.norm
        for i in range(len(rows)):
            for j in range(len(cols)):
                v = values[i, j]
                text = tr("not run") if not np.isfinite(v) else pct(v)
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
        bar = fig.colorbar(im, ax=ax, format=PercentTicks(1.0))
        bar.locator = MaxNLocator(nbins=5)
        bar.update_ticks()
        bar.set_label(f"{name},\n{denom}")
        multi = int(count.max()) if len(count) else 1
        note = tr("\nEach cell averages {n} runs (other settings vary).").format(n=multi) if multi > 1 else ""
        ax.set_title(tr("Average over replicates; {denom}.").format(denom=denom) + note)
    return fig


def sweep_metric_figure(
    summary: pd.DataFrame, row_key: str | None, col_key: str | None, metric: str
) -> Figure:
    """The figure of :func:`plot_sweep_heatmap` (a heatmap, or bars with one varying key), not saved.

    Args:
        summary: The tidy sweep summary, see :func:`simulator.outputs.sweep.collect_sweep`.
        row_key: Override column for the rows (or the bars); None → one bar per run.
        col_key: Override column for the columns, or None.
        metric: Summary metric, e.g. ``"cum_default_rate"``.

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
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
        return _make_sweep_heatmap(summary, str(row_key), str(col_key), metric)
    key = row_key if row_key is not None and row_key in summary.columns else col_key
    if key is not None and key in summary.columns and summary[key].astype(str).nunique() <= 1:
        key = None
    return _make_sweep_bars(summary, key, metric)


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
    return save_figure(sweep_metric_figure(summary, row_key, col_key, metric), path)


def policy_tradeoff_figure(table: pd.DataFrame) -> Figure:
    """The figure of :func:`plot_policy_tradeoff` (defaults prevented against volume given up), not saved.

    Args:
        table: The table of :func:`simulator.outputs.sweep.policy_tradeoff_table`; with columns
            ``ci_lo_pp``/``ci_hi_pp`` (:func:`simulator.outputs.remedies.remedy_ranking`) each point gets a
            vertical bar spanning that 95% interval of the defaults prevented (none where it is NaN).

    Returns:
        A :class:`~matplotlib.figure.Figure` built without pyplot.
    """
    with chart_style():
        fig = new_figure()
        ax = fig.subplots()
        policies = categories(table["policy"]) if len(table) else []
        groups = categories(table["group"]) if len(table) else []
        colours = mpl.colormaps["tab10"]
        markers = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
        has_ci = {"ci_lo_pp", "ci_hi_pp"} <= set(table.columns)
        n_bars = 0
        for _, r in table.iterrows():
            colour = colours(policies.index(r["policy"]) % 10)
            if has_ci and np.isfinite(r["ci_lo_pp"]) and np.isfinite(r["ci_hi_pp"]):
                y = r["defaults_prevented"]
                ax.errorbar(r["volume_lost"], y, yerr=[[max(y - r["ci_lo_pp"], 0.0)], [max(r["ci_hi_pp"] - y, 0.0)]],
                            fmt="none", ecolor=colour, elinewidth=1.2, capsize=3, zorder=2)
                n_bars += 1
            ax.scatter(r["volume_lost"], r["defaults_prevented"], s=70, zorder=3, color=colour,
                       marker=markers[groups.index(r["group"]) % len(markers)],
                       edgecolor="white", linewidth=0.6)
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_xlabel(tr("Purchase volume given up, % of the no-policy run"))
        ax.set_ylabel(tr("Defaults prevented, percentage points\nof accounts ever opened"))
        fig.suptitle(tr("What each policy prevents, and what it costs in lending"))
        bars = (tr("\nVertical bars: 95% interval of defaults prevented over the replicates") if n_bars else
                tr("\nNo interval bars: too few replicates (3 or more needed)") if has_ci else "")
        ax.set_title(tr("Up = fewer defaults than with no policy; right = less BNPL lending. "
                        "Same random numbers in every run.") + bars, fontsize=10)
        ax.grid(True, alpha=0.3)
        pol = [Line2D([], [], ls="", marker="o", markersize=8, color=colours(i % 10),
                      label=value_label(p)) for i, p in enumerate(policies)]
        leg = ax.legend(handles=pol, title=tr("Policy (colour)"), fontsize=9, loc="upper left",
                        bbox_to_anchor=(1.01, 1.0))
        if len(groups) > 1 or (groups and groups[0]):
            ax.add_artist(leg)
            grp = [Line2D([], [], ls="", marker=markers[i % len(markers)], markersize=8, color="0.35",
                          label=g) for i, g in enumerate(groups)]
            ax.legend(handles=grp, title=tr("Economy (marker)"), fontsize=9, loc="lower left",
                      bbox_to_anchor=(1.01, 0.0))
    return fig


def plot_policy_tradeoff(table: pd.DataFrame, path: Path) -> Path:
    """Scatter of defaults prevented (points) against purchase volume given up (%): one colour per
    policy, one marker per economy (or other setting), from
    :func:`simulator.outputs.sweep.policy_tradeoff_table`; written as a PNG to ``path``.

    Returns:
        The path of the written PNG.
    """
    with chart_style():  # saved in the chart style, as the figure was built
        return save_figure(policy_tradeoff_figure(table), path)


def write_sweep_charts(sweep_dir: str | Path, summary: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write the charts of a sweep into ``out_dir`` (each atomically) and return their paths.

    Written: :data:`DEFAULT_CURVES_FILE` (from each run's ``timeseries.parquet`` in ``sweep_dir``),
    one chart per metric of :data:`SWEEP_CHART_METRICS` in the summary
    (:func:`sweep_metric_chart_file`) and, when the sweep has a ``policy=none`` run to compare
    with, :data:`POLICY_TRADEOFF_FILE`.

    Args:
        sweep_dir: the sweep directory (its job folders are read).
        summary: its table from :func:`simulator.outputs.sweep.collect_sweep`.
        out_dir: where to write the charts (created if missing).
    """
    root, out = Path(sweep_dir), Path(out_dir)
    labels, title = run_labels(summary)
    curves = {labels[name]: pd.read_parquet(root / name / "timeseries.parquet",
                                            columns=["replicate", "month", "default_rate"])
              for name in labels}
    written = [plot_sweep_default_curves(curves, out / DEFAULT_CURVES_FILE, legend_title=title)]
    row_key, col_key = sweep_chart_keys(summary)
    for metric in SWEEP_CHART_METRICS:
        if (summary["metric"] == metric).any():
            written.append(plot_sweep_heatmap(summary, row_key, col_key, metric,
                                              out / sweep_metric_chart_file(metric)))
    tradeoff = policy_tradeoff_table(summary)
    if len(tradeoff):
        ranking = remedy_ranking(root, summary)  # the replicates' paired 95% intervals, for error bars
        if len(ranking):
            tradeoff = tradeoff.merge(ranking[["policy", "group", "ci_lo_pp", "ci_hi_pp"]],
                                      on=["policy", "group"], how="left")
        written.append(plot_policy_tradeoff(tradeoff, out / POLICY_TRADEOFF_FILE))
    return written
