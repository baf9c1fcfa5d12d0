"""The report of a sweep: what was varied, one row of key numbers per run, the sweep charts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from simulator.outputs.catalogue import key_label, value_label
from simulator.outputs.charts import (
    DEFAULT_CURVES_FILE,
    POLICY_TRADEOFF_FILE,
    SWEEP_CHART_METRICS,
    sweep_metric_chart_file,
    write_sweep_charts,
)
from simulator.outputs.lang import language, tr
from simulator.outputs.remedies import remedy_ranking, scenario_question
from simulator.outputs.report.detect import finished_at, run_choices
from simulator.outputs.report.page import (
    command_html,
    esc,
    facts_table,
    figure_html,
    glossary_html,
    headline_html,
    page,
)
from simulator.outputs.report.remedies import ranked_html
from simulator.outputs.report.text import (
    KEY_METRICS,
    distinct,
    economy_text,
    fmt_range,
    horizon_text,
    join_distinct,
    metric_text,
    pct,
    policy_text,
)
from simulator.outputs.rundir import CHARTS_DIR, read_summary
from simulator.outputs.sweep import (
    collect_sweep,
    find_job_dirs,
    per_run,
    policy_tradeoff_table,
    sweep_chart_keys,
    sweep_command,
    varying_keys,
)

__all__ = ["sweep_report"]


def _varied_text(key: str, values: list[str]) -> str:
    """A varied setting and its values: ``economy = baseline, severe_recession`` (the override as typed);
    in another language its label and the values' labels.
    """
    if language() == "en":
        return f"{key} = {', '.join(str(v) for v in values)}"
    return tr("{key}: {values}").format(key=key_label(key), values=tr(", ").join(value_label(v) for v in values))


def _sweep_chart_texts(summary: pd.DataFrame) -> list[tuple[str, str, str]]:
    row_key, col_key = sweep_chart_keys(summary)
    runs = per_run(summary)
    facets = len(runs) > 10 and row_key is not None and col_key is not None
    if facets:
        curves = tr("One panel per {row}, one colour per {col}; "
                    "the black dashed line is \"none\" (drawn on top: a policy whose line it hides has the "
                    "same default rate). Each line is the monthly default rate (new defaults ÷ accounts performing "
                    "at the start of the month) averaged over the replicates; with this many lines no replicate "
                    "bands are drawn: the ranked table gives each difference's interval.").format(
            row=key_label(row_key).lower(), col=key_label(col_key).lower())
    else:
        curves = tr("One colour per scenario. The line is the monthly default rate (new defaults ÷ accounts "
                  "performing at the start of the month) averaged over the replicates; with 2 or more "
                  "replicates a shaded band of the same colour spans the replicates (5th to 95th percentile; "
                  "with few replicates that is close to their lowest and highest value).")
    out = [(DEFAULT_CURVES_FILE, tr("Monthly default rate in each scenario"), curves)]
    for metric in SWEEP_CHART_METRICS:
        name, denom, _ = metric_text(metric)
        if row_key is not None and col_key is not None:
            how = tr("Each cell is the {name} ({denom}) averaged over replicates, for one "
                     "combination of {row} (rows) and {col} "
                     "(columns); the value is printed in the cell. Darker cells are worse; the colour scale "
                     "runs from the lowest to the highest value in this sweep. If other settings were varied "
                     "too, a cell averages their runs.").format(name=name.lower(), denom=denom,
                                                                 row=key_label(row_key).lower(),
                                                                 col=key_label(col_key).lower())
        else:
            by = key_label(row_key).lower() if row_key is not None else tr("run")
            how = tr("Each bar is the {name} ({denom}) averaged over replicates, one bar per {by}; "
                     "the number is printed beside it. Black whiskers span the 5th–95th percentile of the "
                     "replicates (the widest range when a bar averages several runs, e.g. several seeds).").format(
                name=name.lower(), denom=denom, by=by)
        out.append((sweep_metric_chart_file(metric), tr("{name} across the sweep").format(name=name), how))
    if len(policy_tradeoff_table(summary)):
        out.append((POLICY_TRADEOFF_FILE, tr("Defaults prevented against lending given up, per policy"),
                    tr("Each point is one policy (colour) in one economy (marker shape), compared with the "
                    "run without any policy in the same economy and with the same random numbers. Height: how many "
                    "percentage points of accounts ever opened the policy keeps out of default "
                    "(cumulative default rate without the policy minus with it). Right: the share of "
                    "BNPL purchase volume the policy gives up. Points high and to the left prevent "
                    "defaults cheaply; a point below zero raises defaults. With 3 or more replicates a "
                    "vertical bar in the point's colour spans the 95% interval of the defaults prevented "
                    "(paired replicate by replicate); a bar crossing zero means the policy is not "
                    "distinguishable from no policy there.")))
    return out


def sweep_report(sweep_dir: Path, summary: pd.DataFrame | None = None) -> str:
    """The HTML text of the report of a sweep directory (with at least one complete run).

    Args:
        sweep_dir: the sweep directory.
        summary: its table from :func:`simulator.outputs.sweep.collect_sweep` (collected if None).

    The charts are the sweep's ``charts/*.png``; when any is missing they are all drawn afresh
    (into a temporary folder, the sweep directory is not changed).
    """
    summary = collect_sweep(sweep_dir) if summary is None else summary
    runs = per_run(summary)
    keys = summary.attrs.get("override_keys", [])
    vary = varying_keys(summary)
    fixed = [k for k in keys if k not in vary]
    done, _ = find_job_dirs(sweep_dir)
    by_name = {d.relative_to(sweep_dir).as_posix(): d for d in done}
    infos = {name: (read_summary(d), run_choices(d)) for name, d in by_name.items() if name in set(runs["run"])}
    order = list(runs["run"])
    s_of = [infos[n][0] for n in order]
    ch_of = [infos[n][1] for n in order]
    cfgs = [s.get("config", {}) for s in s_of]
    dates = sorted(finished_at(by_name[n]) for n in order)
    date_text = dates[0].strftime("%Y-%m-%d %H:%M")
    if dates[-1].strftime("%Y-%m-%d %H:%M") != date_text:
        date_text += tr(" to ") + dates[-1].strftime("%Y-%m-%d %H:%M")
    facts = [(tr(k), v) for k, v in [
        ("Runs", tr("{n} runs (one per combination of the swept settings)").format(n=len(order))),
        ("Settings varied", [_varied_text(k, pd.unique(runs[k].astype(str))) for k in vary]
         or tr("none (all runs have the same settings)")),
        ("Same in every run", ", ".join(f"{k}={runs[k].iloc[0]}" for k in fixed) or tr("no other changes")),
        ("Scenario", distinct([value_label(c.get("scenario") or "none (default settings)") for c in ch_of])),
        ("Economy", distinct([economy_text(c.get("economy", {})) for c in cfgs])),
        ("Policy", distinct([policy_text(c, ch) for c, ch in zip(cfgs, ch_of, strict=True)])),
        ("Population size", distinct([tr("{n} simulated borrowers").format(n=f"{s.get('n_borrowers', 0):,}")
                                      for s in s_of])),
        ("Horizon", distinct([horizon_text(c.get("run", {}), s.get("months"))
                                    for c, s in zip(cfgs, s_of, strict=True)])),
        ("Replicates per run", distinct([str(s.get("replicates")) for s in s_of])),
        ("Seed", join_distinct([str(s.get("seed")) for s in s_of])),
        ("Model version", distinct([f"bnpl-stress {s.get('version', '?')}" for s in s_of])),
        ("Runs finished", date_text),
        ("Sweep folder", str(sweep_dir.resolve())),
    ]]
    stats = summary.pivot_table(index=["run", "metric"], columns="statistic", values="value", aggfunc="first")
    head = "".join(f"<th>{esc(key_label(k))}</th>" for k in vary)
    for m in KEY_METRICS:
        name, denom, _ = metric_text(m)
        head += f"<th class=\"num\">{esc(name)}<span class=\"unit\">{esc(denom)}</span></th>"
    body_rows = []
    for _, r in runs.iterrows():
        cells = f"<td>{esc(str(r['run']))}</td>" + "".join(
            f"<td class=\"key\">{esc(value_label(r[k]))}</td>" for k in vary)
        for m in KEY_METRICS:
            if (r["run"], m) in stats.index:
                st = stats.loc[(r["run"], m)].to_dict()
                rng = fmt_range(m, st)
                extra = f"<span class=\"range\">{esc(rng)}</span>" if rng != "—" else ""
                cells += f"<td class=\"num\">{esc(pct(st['mean']))}{extra}</td>"
            else:
                cells += "<td class=\"num\">—</td>"
        body_rows.append(f"<tr>{cells}</tr>")
    table = (f'<div class="scroll"><table class="results"><thead><tr><th>{esc(tr("Run"))}</th>{head}</tr></thead>'
             f'<tbody>{"".join(body_rows)}</tbody></table></div>')
    headline = []
    cum = summary[(summary["metric"] == "cum_default_rate") & (summary["statistic"] == "mean")]
    if len(cum) >= 2:
        labels = {r["run"]: (", ".join(f"{key_label(k).lower()}: {value_label(r[k])}" for k in vary)
                             or tr("run {run}").format(run=r['run'])) for _, r in runs.iterrows()}
        hi, lo = cum.loc[cum["value"].idxmax()], cum.loc[cum["value"].idxmin()]
        headline.append(tr("Highest cumulative default rate: {rate} ({run}).").format(rate=pct(hi["value"]),
                                                                                    run=labels[hi["run"]]))
        headline.append(tr("Lowest cumulative default rate: {rate} ({run}).").format(rate=pct(lo["value"]),
                                                                                   run=labels[lo["run"]]))
    loss = summary[(summary["metric"] == "loss_rate") & (summary["statistic"] == "mean")]
    if len(loss) >= 2:
        headline.append(tr("Annual net loss rate ranges from {lo} to {hi} of average receivables.").format(
            lo=pct(loss["value"].min()), hi=pct(loss["value"].max())))
    note = summary.attrs.get("note", "")
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        texts = _sweep_chart_texts(summary)
        charts = sweep_dir / CHARTS_DIR
        if language() != "en" or not all((charts / f).is_file() for f, _, _ in texts):
            charts = Path(tmp)
            write_sweep_charts(sweep_dir, summary, charts)
        for fname, title, how in texts:
            if (charts / fname).is_file():
                figures.append(figure_html(charts / fname, title, how, len(figures) + 1))
    cmd = sweep_command(summary)
    cmd_note = tr("Run this in a terminal where bnpl-stress is installed: -m runs every combination of "
                "the comma-separated values, one run each. The same version and seeds give the same "
                "numbers. The outputs go to a new folder multirun/DATE/TIME/.")
    scenarios = distinct([str(c.get("scenario") or "") for c in ch_of])
    question = scenario_question(scenarios[0]) if len(scenarios) == 1 else None
    title = question or tr("BNPL stress test: comparison of {n} runs").format(n=len(order))
    ranking = remedy_ranking(sweep_dir, summary)
    ranked = ""
    if len(ranking):
        econ_of = {}
        for n, cfg in zip(order, cfgs, strict=True):
            row = runs[runs["run"] == n].iloc[0]
            if "economy" in runs.columns:
                econ_of.setdefault(value_label(row["economy"]), economy_text(cfg.get("economy", {})))
        ranked = ranked_html(ranking, econ_of)
    reps = join_distinct([str(s.get("replicates")) for s in s_of])
    varied = (tr("varying {keys}").format(keys=tr(" and ").join(tr(key_label(k)).lower() for k in vary)) if vary
              else tr("all with the same settings"))
    lede = (tr("{n} simulations of buy-now-pay-later borrowers, {varied}; each repeated {reps} times. Simulated "
               "results under stated assumptions, not forecasts.")
            .format(n=len(order), varied=varied, reps=reps))
    body = (
        f"<h1>{esc(title)}</h1>"
        f"<p class=\"lede\">{esc(lede)}</p>"
        + (f"<p class=\"note\">{esc(note)}</p>" if note else "")
        + (ranked or headline_html(headline))
        + f"<section><h2>{esc(tr('What was run'))}</h2>{facts_table(facts)}</section>"
        + f"<section><h2>{esc(tr('Key results'))}</h2><p>"
        + esc(tr("One row per run. Each cell gives the average over replicates and, below it, the range that holds "
                 "the middle 90% of replicates (5th–95th percentile). Each run's own tables and charts are in its "
                 "folder (named in the Run column).")
              if min(int(s.get("replicates") or 0) for s in s_of) >= 10 else
              tr("One row per run. Each cell gives the average over replicates and, below it, the 5th–95th "
                 "percentile of its {reps} replicates: with so few replicates that is close to their lowest and "
                 "highest value, not a 90% interval. Each run's own tables and charts are in its folder (named in "
                 "the Run column).").format(reps=reps))
        + "</p>" + table + "</section>"
        + f"<section><h2>{esc(tr('Charts'))}</h2>{''.join(figures)}</section>"
        + glossary_html() + command_html(cmd, cmd_note)
    )
    return page(title, body, join_distinct([str(s.get("version", "?")) for s in s_of]))
