"""The comparison of run directories: ``report.html``, its chart and its tables in one folder.

:func:`write_comparison` writes, into the output folder,

* ``report.html``: the settings that differ, the key figures side by side with the differences
  from the first run and their 95% intervals, the overlaid default-rate curves, how to rebuild it;
* ``key_figures.parquet``/``.csv`` (:func:`simulator.outputs.compare.key_figures`) and
  ``config_diff.parquet``/``.csv`` (:func:`simulator.outputs.compare.config_diff`);
* ``charts/compare_default_rate.png`` (and the other chart formats asked for).
"""

from __future__ import annotations

import math
import shlex
from pathlib import Path

from simulator.outputs import catalogue, io
from simulator.outputs.charts.compare import COMPARE_CURVES_FILE, plot_compare_curves
from simulator.outputs.compare import NOT_SET, config_diff, key_figures, load_runs
from simulator.outputs.lang import tr
from simulator.outputs.report.page import esc, facts_table, figure_html, page
from simulator.outputs.report.remedies import signif_decimals
from simulator.outputs.rundir import CHARTS_DIR, REPORT_FILE

__all__ = ["COMPARE_PROG", "write_comparison"]

#: The command that writes a comparison.
COMPARE_PROG = "bnpl-stress-compare"


def _value(metric: str, x: float, signed: bool = False) -> str:
    """A metric's value (a rate in % with 2 decimals, else in its unit); ``—`` when not finite."""
    if not math.isfinite(x):
        return "—"
    m = catalogue.metric(metric)
    if m.is_rate:
        return f"{x:+.2%}" if signed else f"{x:.2%}"
    return (f"{x:+,.0f}" if signed else f"{x:,.0f}") + (f" {catalogue.CURRENCY}" if m.unit == "money" else "")


def _interval(metric: str, lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return tr("too few replicates for an interval")
    m = catalogue.metric(metric)
    if m.is_rate:
        d = signif_decimals(100.0 * (hi - lo) / 2)
        return f"{tr('95% interval')} {100 * lo:+.{d}f} … {100 * hi:+.{d}f} pt"
    return f"{tr('95% interval')} {_value(metric, lo, True)} … {_value(metric, hi, True)}"


def _figures_table(kf, labels: list[str]) -> str:
    head = f"<th>{esc(tr('Measure'))}</th>" + "".join(f"<th class=\"num\">{esc(lb)}</th>" for lb in labels)
    rows = []
    for metric, df in kf.groupby("metric", sort=False):
        m = catalogue.metric(metric)
        cells = [f"<td>{esc(m.label_in())}<span class=\"unit\">{esc(m.denominator_in())}</span></td>"]
        by_run = df.set_index("run")
        for i, lb in enumerate(labels):
            if lb not in by_run.index:
                cells.append("<td class=\"num\">—</td>")
                continue
            r = by_run.loc[lb]
            main = _value(metric, r["mean"])
            sub = (_interval(metric, r["lo"], r["hi"]).replace(tr("95% interval"), "95%")
                   if math.isfinite(r["lo"]) else "")
            if i == 0:
                extra = tr("first run (reference)")
            else:
                diff = _value(metric, r["diff"], True)
                ci = _interval(metric, r["diff_lo"], r["diff_hi"])
                sure = ""
                if math.isfinite(r["diff_lo"]) and r["diff_lo"] <= 0 <= r["diff_hi"]:
                    sure = " · " + tr("not distinguishable from the first run")
                kind = tr("paired: same random numbers") if r["paired"] else tr("independent runs")
                extra = f"{tr('Difference from the first run')}: {diff} ({ci}{sure}; {kind})"
            cells.append(f"<td class=\"num\">{esc(main)}<span class=\"range\">{esc(sub)}</span>"
                         f"<span class=\"range\">{esc(extra)}</span></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="scroll"><table class="results"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _diff_table(diff, labels: list[str]) -> str:
    if diff.empty:
        return f"<p>{esc(tr(_SAME))}</p>"
    head = f"<th>{esc(tr('Setting'))}</th>" + "".join(f"<th>{esc(lb)}</th>" for lb in labels)
    rows = "".join(
        "<tr>" + f"<td class=\"key\">{esc(r['setting'])}</td>"
        + "".join(f"<td>{esc(tr(NOT_SET) if r[lb] == NOT_SET else str(r[lb]))}</td>" for lb in labels) + "</tr>"
        for _, r in diff.iterrows())
    return (f"<p>{esc(tr(_ONLY))}</p><div class=\"scroll\"><table class=\"results\"><thead><tr>{head}</tr>"
            f"</thead><tbody>{rows}</tbody></table></div>")


def write_comparison(dirs: list[str | Path], out_dir: str | Path) -> Path:
    """Compare the complete run directories ``dirs`` (the first is the reference); write the report,
    chart and tables into ``out_dir``; return the report's path.

    Raises:
        ValueError: fewer than two directories, or one is not a complete run (one line).
    """
    if len(dirs) < 2:
        raise ValueError(f"DIR: expected at least two run directories, got {len(dirs)}; allowed: "
                         "DIR_A DIR_B [DIR_C ...]")
    runs = load_runs(dirs)
    out = Path(out_dir)
    labels = [r.label for r in runs]
    diff = config_diff(runs)
    kf = key_figures(runs)
    io.write_parquet(out / "config_diff.parquet", diff)
    io.write_text(out / "config_diff.csv", diff.to_csv(index=False))
    io.write_parquet(out / "key_figures.parquet", kf)
    io.write_text(out / "key_figures.csv", kf.to_csv(index=False))
    chart = plot_compare_curves({r.label: r.timeseries for r in runs}, out / CHARTS_DIR / COMPARE_CURVES_FILE)
    facts = [(tr("Run") + f" {i + 1}", f"{r.label} — {r.path.resolve()}") for i, r in enumerate(runs)]
    facts += [(tr("Replicates"), " / ".join(str(len(r.replicates)) for r in runs)),
              (tr("Population size"), " / ".join(f"{r.summary.get('n_borrowers', 0):,}" for r in runs)),
              (tr("Horizon"), " / ".join(str(r.summary.get("months")) for r in runs)),
              (tr("Model version"), " / ".join(str(r.summary.get("version", "?")) for r in runs))]
    title = tr("BNPL stress test: comparison of {n} runs").format(n=len(runs))
    lede = tr("Comparison of {n} simulation runs of buy-now-pay-later borrowers. Differences are each run minus "
              "the first run ({ref}). Simulated results under stated assumptions, not forecasts.").format(
        n=len(runs), ref=labels[0])
    how = ("One colour per run. Left: new defaults in the month ÷ accounts performing at its start; right: "
           "defaults so far ÷ accounts open at month 0 plus those opened since. Lines are averages over "
           "replicates; with two or more replicates the shaded band spans the 5th–95th percentile of them.")
    cmd = " ".join([COMPARE_PROG, *(shlex.quote(str(r.path.resolve())) for r in runs)])
    body = (
        f"<h1>{esc(title)}</h1><p class=\"lede\">{esc(lede)}</p>"
        f"<section><h2>{esc(tr('Key figures side by side'))}</h2><p>{esc(tr(_FIG_NOTE))}</p>"
        + _figures_table(kf, labels) + "</section>"
        f"<section><h2>{esc(tr('Settings that differ'))}</h2>{_diff_table(diff, labels)}</section>"
        f"<section><h2>{esc(tr('Charts'))}</h2>"
        + figure_html(chart, "Default rates of the runs, month by month", how, 1)
        + f"<p>{esc(tr('Tables: key_figures.csv and config_diff.csv beside this page (also as Parquet).'))}</p>"
        "</section>"
        f"<section><h2>{esc(tr('Runs'))}</h2>{facts_table(facts)}</section>"
        f"<section><h2>{esc(tr('How to reproduce'))}</h2><p>"
        f"{esc(tr('Run this in a terminal where bnpl-stress is installed to rebuild this comparison.'))}</p>"
        f"<pre><code>{esc(cmd)}</code></pre></section>"
    )
    version = "; ".join(dict.fromkeys(str(r.summary.get("version", "?")) for r in runs))
    return io.write_text(out / REPORT_FILE, page(title, body, version))


_SAME = "All settings are the same in every run (only the outputs' folders differ)."
_ONLY = "Only the settings whose values differ between the runs; every other setting is the same."
_FIG_NOTE = ("Each cell gives the average over replicates and its 95% t-interval; the difference is this run "
             "minus the first run, with its 95% interval: replicate by replicate when the runs share their seed "
             "(the same random numbers), else from independent samples (Welch). With fewer than 3 replicates no "
             "interval is given.")
