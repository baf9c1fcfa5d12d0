"""The report of one run: what was run, the key numbers, the five charts, glossary and command."""

from __future__ import annotations

import math
import shlex
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.outputs.catalogue import value_label
from simulator.outputs.charts import CHART_FILES, write_charts
from simulator.outputs.lang import language, tr
from simulator.outputs.report.detect import finished_at, run_choices
from simulator.outputs.report.feedback import feedback_section
from simulator.outputs.report.page import (
    command_html,
    esc,
    facts_table,
    figure_html,
    glossary_html,
    headline_html,
    page,
)
from simulator.outputs.report.text import (
    KEY_METRICS,
    economy_text,
    fmt_metric,
    fmt_range,
    horizon_text,
    metric_text,
    pct,
    policy_text,
)
from simulator.outputs.rundir import CHARTS_DIR, read_summary
from simulator.outputs.sweep import job_overrides

__all__ = ["RUN_CHARTS", "run_report"]

#: The charts of a run's report: (file, title, how to read it), in display order.
RUN_CHARTS: list[tuple[str, str, str]] = [
    (CHART_FILES["default_rate"], "How many accounts default, month by month",
     "Left: the dark line is the share of accounts that were performing at the start of each month "
     "and defaulted during it (new defaults ÷ accounts performing at the start of the month), "
     "averaged over the replicates; the shaded band covers the middle 90% of replicates (5th to 95th "
     "percentile). The dashed grey line is the unemployment rate of the simulated economy, read on "
     "the right-hand axis. Right: defaults so far ÷ all accounts ever opened; this line can only rise."),
    (CHART_FILES["delinquency_buckets"], "How much of the money owed is overdue",
     "Each coloured layer is the share of receivables (money owed, not number of accounts) that is "
     "1–30, 31–60, 61–90 or more than 90 days past due, averaged over replicates. Money that is not "
     "overdue is left out, so the top of the stack is the total share overdue. The top three layers "
     "(31 days and more) together are the 30+ days past due share; the top layer alone is the 90+ share."),
    (CHART_FILES["default_by_segment"], "Which customers default most",
     "Each bar is the share of accounts opened in that group that had defaulted by the last month "
     "(defaults ÷ accounts ever opened in the group), averaged over replicates; black whiskers span "
     "the 5th–95th percentile of replicates. Compare bars of the same colour: they split the same "
     "customers in different ways."),
    (CHART_FILES["vintages"], "How defaults build up as each group of new accounts ages",
     "Each line follows the accounts opened in one month as they age: the share of them that has "
     "defaulted after a given number of months on the books (defaults ÷ accounts opened in that "
     "month). Steeper lines mean riskier lending in that month; recent groups have shorter lines "
     "because they have been observed for fewer months."),
    (CHART_FILES["causes"], "Why customers default",
     "Every default is counted once, under its main cause (see Primary cause in the glossary). Bar "
     "length is the share of all defaults over the horizon; the label also gives the average number "
     "of defaults per replicate."),
]


def _run_command(run_dir: Path, summary: dict[str, Any]) -> tuple[str, str]:
    ov = job_overrides(run_dir)
    note = tr("Run this in a terminal where bnpl-stress is installed; the same version and seed give "
              "the same numbers. The outputs go to a new folder outputs/DATE/TIME/.")
    if ov is not None:
        ov = [o for o in ov if not o.lstrip("+~").startswith("hydra.")]
        return " ".join(["bnpl-stress", *(shlex.quote(o) for o in ov)]), note
    cfg, run = summary.get("config", {}), summary.get("config", {}).get("run", {})
    args = [f"economy={cfg.get('economy', {}).get('name', 'baseline')}",
            f"run.n_borrowers={summary.get('n_borrowers')}", f"run.months={summary.get('months')}",
            f"run.burn_in={run.get('burn_in', 12)}", f"run.replicates={summary.get('replicates')}",
            f"run.seed={summary.get('seed')}"]
    note += tr(" This folder has no record of the command line (.hydra/overrides.yaml), so the command "
             "is rebuilt from the saved settings; settings other than these may also have been changed "
             "(see the config in summary.json).")
    return " ".join(["bnpl-stress", *(shlex.quote(a) for a in args)]), note


def run_report(run_dir: Path) -> str:
    """The HTML text of the report of a complete run directory.

    The charts are the run's ``charts/*.png``; when any is missing they are all drawn afresh from
    the run's tables (into a temporary folder, the run directory is not changed).
    """
    s = read_summary(run_dir)
    cfg = s.get("config", {})
    run = cfg.get("run", {})
    choices = run_choices(run_dir)
    metrics: dict[str, dict[str, float]] = s.get("metrics", {})
    reps = s.get("replicates", run.get("replicates"))
    scenario = choices.get("scenario") or "none (default settings)"
    econ = cfg.get("economy", {})
    ov = job_overrides(run_dir)
    facts = [(tr(k), v) for k, v in [
        ("Scenario", value_label(scenario)),
        ("Economy", economy_text(econ)),
        ("Policy", policy_text(cfg, choices)),
        ("Population size", tr("{n} simulated borrowers").format(n=f"{s.get('n_borrowers', 0):,}")),
        ("Horizon", horizon_text(run, s.get("months"))),
        ("Replicates", tr("{reps} (independent repetitions with different random draws)").format(reps=reps)),
        ("Seed", str(s.get("seed"))),
        ("Settings changed from the defaults", " ".join(ov) if ov else tr("none recorded")),
        ("Model version", f"bnpl-stress {s.get('version', '?')}"),
        ("Run finished", finished_at(run_dir).strftime("%Y-%m-%d %H:%M")),
        ("Run folder", str(run_dir.resolve())),
    ]]
    headline = []
    # cum_default_rate has no denominator exactly when no account was ever opened (burn-in included)
    if math.isnan(metrics.get("cum_default_rate", {}).get("mean", 0.0)):
        headline.append(tr("No accounts were opened, so there are no default, delinquency or loss rates "
                        "(they have no denominator and are shown as NaN)."))
        metrics = {k: v for k, v in metrics.items() if not math.isnan(v.get("mean", 0.0))}
    if "cum_default_rate" in metrics:
        m = metrics["cum_default_rate"]
        rng = fmt_range("cum_default_rate", m)
        headline.append(tr("By the end of month {months}, {rate} of all accounts ever opened had defaulted").format(
            months=s.get("months"), rate=pct(m["mean"]))
            + (tr(" (5–95% range over replicates: {rng}).").format(rng=rng) if rng != "—" else "."))
    if "dpd90_rate_end" in metrics and "dpd30_rate_end" in metrics:
        headline.append(tr("In the last month {d30} of the money owed was 30+ days past due and {d90} was 90+ "
                           "days past due.").format(d30=pct(metrics["dpd30_rate_end"]["mean"]),
                                                    d90=pct(metrics["dpd90_rate_end"]["mean"])))
    if "loss_rate" in metrics:
        headline.append(tr("Net losses ran at {loss} of average receivables per year.").format(
            loss=pct(metrics["loss_rate"]["mean"])))
    order = [k for k in KEY_METRICS if k in metrics] + [k for k in metrics if k not in KEY_METRICS]
    rows = []
    for k in order:
        name, _, what = metric_text(k)
        rows.append(f"<tr><td>{esc(name)}</td><td>{esc(what)}</td>"
                    f"<td class=\"num\">{esc(fmt_metric(k, metrics[k]['mean']))}</td>"
                    f"<td class=\"num\">{esc(fmt_range(k, metrics[k]))}</td></tr>")
    table = (f'<div class="scroll"><table class="results"><thead><tr><th>{esc(tr("Measure"))}</th><th>'
             f'{esc(tr("What it measures"))}</th><th class="num">{esc(tr("Average over replicates"))}</th>'
             f'<th class="num">{esc(tr("5–95% range over replicates"))}</th></tr>'
             f'</thead><tbody>{"".join(rows)}</tbody></table></div>')
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        charts = run_dir / CHARTS_DIR
        # the saved charts are redrawn when missing or when the report is not in English
        if language() != "en" or not all((charts / f).is_file() for f, _, _ in RUN_CHARTS):
            tables = {n: pd.read_parquet(run_dir / f"{n}.parquet")
                      for n in ("timeseries", "segments", "vintages", "causes")}
            charts = Path(tmp)
            write_charts(tables["timeseries"], tables["segments"], tables["vintages"], tables["causes"],
                         charts)
        for fname, title, how in RUN_CHARTS:
            if (charts / fname).is_file():
                figures.append(figure_html(charts / fname, title, how, len(figures) + 1))
    cmd, note = _run_command(run_dir, s)
    title = tr("BNPL stress test: {econ} economy").format(econ=value_label(econ.get("name", "run")))
    lede = tr("A simulation of {n} buy-now-pay-later borrowers over {months} months, repeated {reps} times. "
              "Simulated results under stated assumptions, not forecasts.").format(
        n=f"{s.get('n_borrowers', 0):,}", months=s.get("months"), reps=reps)
    body = (
        f"<h1>{esc(title)}</h1>"
        f"<p class=\"lede\">{esc(lede)}</p>"
        + headline_html(headline)
        + f"<section><h2>{esc(tr('What was run'))}</h2>{facts_table(facts)}</section>"
        + f"<section><h2>{esc(tr('Key results'))}</h2><p>"
        + esc(tr("Each measure is computed for every replicate; the table gives the average and the range that "
                 "holds the middle 90% of replicates.")) + "</p>" + table + "</section>"
        + f"<section><h2>{esc(tr('Charts'))}</h2>{''.join(figures)}</section>"
        + feedback_section(run_dir, s)
        + glossary_html() + command_html(cmd, note)
    )
    return page(title, body, str(s.get("version", "?")))
