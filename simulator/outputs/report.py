"""``report.html``: a self-contained report of a run or a sweep, for readers who never saw the code.

The report says what was run, gives the key numbers (mean and 5–95% range over replicates),
shows the charts (embedded as base64 PNG data URIs: the file needs nothing else, no network) with
a short "how to read this chart" under each, a glossary, and the exact command that reproduces
the results. All text is escaped with :func:`html.escape`.

Command line: ``bnpl-stress-report DIR`` rebuilds ``DIR/report.html`` (and, for a sweep, the
sweep summary and charts) from an existing run or sweep directory and prints the report's path.
"""

from __future__ import annotations

import base64
import html
import shlex
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simulator.outputs import catalogue, io
from simulator.outputs.catalogue import GLOSSARY, key_label, value_label
from simulator.outputs.rundir import SUMMARY_FILE, is_complete, read_summary

__all__ = ["NotARunOrSweep", "build_report", "detect", "main"]

PROG = "bnpl-stress-report"
REPORT_FILE = "report.html"
EXIT_BAD_INPUT = 2
ALLOWED = ("a run directory (holding summary.json) or a sweep directory "
           "(job folders 0/, 1/, ... each holding summary.json)")

#: The headline metrics of the key tables, in display order.
KEY_METRICS = ("cum_default_rate", "peak_default_rate", "dpd30_rate_end", "dpd90_rate_end", "loss_rate")

_e = html.escape


class NotARunOrSweep(ValueError):
    """``directory`` is neither a complete run nor a sweep with at least one complete run."""


# --------------------------------------------------------------------------- reading a directory


def detect(directory: str | Path) -> str:
    """``"run"`` or ``"sweep"``.

    Raises:
        NotARunOrSweep: for anything else (missing, empty, unfinished, a file ...).
    """
    from simulator.outputs.sweep import find_job_dirs

    d = Path(directory)
    if d.is_dir() and is_complete(d):
        return "run"
    done, unfinished = find_job_dirs(d) if d.is_dir() else ([], [])
    if done:
        return "sweep"
    why = f" ({len(unfinished)} unfinished job folder(s), none complete)" if unfinished else ""
    raise NotARunOrSweep(f"DIR={str(d)!r}: not a run or sweep directory{why}; allowed: {ALLOWED}")


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return None


def _choices(run_dir: Path) -> dict[str, Any]:
    """Hydra's config-group choices of a run (``.hydra/hydra.yaml``), or {}."""
    data = _load_yaml(run_dir / ".hydra" / "hydra.yaml")
    try:
        return dict(data["hydra"]["runtime"]["choices"] or {})
    except (TypeError, KeyError):
        return {}


def _finished_at(run_dir: Path) -> datetime:
    return datetime.fromtimestamp((run_dir / SUMMARY_FILE).stat().st_mtime)


# --------------------------------------------------------------------------- formatting


def _pct(x: float) -> str:
    return f"{x:.2%}"


def _fmt_metric(name: str, x: float) -> str:
    return catalogue.metric(name).format(x)


def _fmt_range(name: str, stats: dict[str, float]) -> str:
    lo, hi = stats.get("p05"), stats.get("p95")
    if lo is None or hi is None or lo == hi:
        return "—"
    if not catalogue.metric(name).is_rate:
        return f"{_fmt_metric(name, lo).split()[0]} – {_fmt_metric(name, hi)}"
    return f"{lo:.2%} – {hi:.2%}"


def _metric_text(name: str) -> tuple[str, str, str]:
    """(label, denominator, description) of a metric from the catalogue (empty texts if unknown)."""
    m = catalogue.metric(name)
    return m.label, m.denominator, m.description


def _economy_text(econ: dict[str, Any]) -> str:
    name = value_label(econ.get("name", "?"))
    if econ.get("path_file"):
        return f"{name} (unemployment and prices read from {econ['path_file']})"
    base, delta = econ.get("unemployment_base"), econ.get("unemployment_peak_delta")
    if base is None:
        return name
    if not delta:
        return f"{name}: unemployment steady at {base:.1%}"
    return (f"{name}: unemployment {base:.1%}, rising to {base + delta:.1%} from month "
            f"{econ.get('shock_start', '?')} over {econ.get('months_to_peak', '?')} months, then recovering")


def _policy_text(cfg: dict[str, Any], choices: dict[str, Any]) -> str:
    policy = cfg.get("policy") or {}
    if isinstance(policy, dict) and policy:
        enabled = [k for k, v in policy.items() if not isinstance(v, dict) or v.get("enabled")]
        return ", ".join(value_label(k) for k in enabled) if enabled else \
            "none (no remedy, no public policy)"
    chosen = choices.get("policy")
    return value_label(chosen) if chosen and chosen != "none" else "none (no remedy, no public policy)"


def _horizon_text(run: dict[str, Any], months: Any) -> str:
    burn = run.get("burn_in")
    extra = f", after a {burn}-month warm-up that is not reported" if burn else ""
    return f"{months} months{extra}"


def _distinct(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _join_distinct(values: list[str]) -> str:
    return "; ".join(_distinct(values))


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}" width="1080" height="600">'


def _facts_table(rows: list[tuple[str, str | list[str]]]) -> str:
    def cell(v: str | list[str]) -> str:
        if isinstance(v, list):
            return "<br>".join(_e(x) for x in v) if len(v) <= 1 else \
                "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in v) + "</ul>"
        return _e(v)

    body = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{cell(v)}</td></tr>" for k, v in rows)
    return f'<table class="facts"><tbody>{body}</tbody></table>'


def _figure(path: Path, title: str, how: str, number: int) -> str:
    caption = f"Chart {number}. {title}"
    return (f'<figure><figcaption class="title">{_e(caption)}</figcaption>{_img(path, title)}'
            f'<p class="how"><strong>How to read this chart.</strong> {_e(how)}</p></figure>')


# --------------------------------------------------------------------------- shared text

CSS = """
:root { --ink:#1b1b1b; --muted:#5a5a5a; --line:#d8dde3; --accent:#1f4e79; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:#fff; font:16px/1.55 -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 6px; color: var(--accent); }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
p.lede { font-size: 17px; color: var(--muted); margin: 0 0 8px; }
ul.headline { background: var(--bg); border-left: 4px solid var(--accent); padding: 12px 16px 12px 36px;
  margin: 16px 0; }
ul.headline li { margin: 4px 0; }
.note { color: #8a4b00; background: #fff6e5; border: 1px solid #f0d49b; padding: 8px 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { border-bottom: 1px solid var(--line); padding: 7px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--bg); font-weight: 600; border-bottom: 2px solid #b9c2cc; }
thead th.num { text-align: right; }
thead th .unit { display: block; font-weight: 400; font-size: 13px; color: var(--muted); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.key { white-space: nowrap; }
table.facts ul { margin: 0; padding-left: 18px; }
td.num .range { display: block; font-size: 13px; color: var(--muted); }
table.facts th { width: 210px; font-weight: 600; background: var(--bg); }
figure { margin: 26px 0 34px; }
figure img { display: block; width: 100%; max-width: 1080px; height: auto; border: 1px solid var(--line); }
figcaption.title { font-weight: 600; font-size: 17px; margin-bottom: 8px; }
p.how { max-width: 1080px; margin: 8px 0 0; color: #333; }
dl.glossary dt { font-weight: 600; margin-top: 10px; }
dl.glossary dd { margin: 2px 0 0 0; color: #333; }
pre { background: #0f1720; color: #e6edf3; padding: 14px 16px; border-radius: 6px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-all; font-size: 14px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print { pre { background: #fff; color: #000; border: 1px solid #999; } }
"""

RUN_CHARTS: list[tuple[str, str, str]] = [
    ("default_rate.png", "How many accounts default, month by month",
     "Left: the dark line is the share of accounts that were performing at the start of each month "
     "and defaulted during it (new defaults ÷ accounts performing at the start of the month), "
     "averaged over the replicates; the shaded band covers the middle 90% of replicates (5th to 95th "
     "percentile). The dashed grey line is the unemployment rate of the simulated economy, read on "
     "the right-hand axis. Right: defaults so far ÷ all accounts ever opened; this line can only rise."),
    ("delinquency_buckets.png", "How much of the money owed is overdue",
     "Each coloured layer is the share of receivables (money owed, not number of accounts) that is "
     "1–30, 31–60, 61–90 or more than 90 days past due, averaged over replicates. Money that is not "
     "overdue is left out, so the top of the stack is the total share overdue. The top three layers "
     "(31 days and more) together are the 30+ days past due share; the top layer alone is the 90+ share."),
    ("default_by_segment.png", "Which customers default most",
     "Each bar is the share of accounts opened in that group that had defaulted by the last month "
     "(defaults ÷ accounts ever opened in the group), averaged over replicates; black whiskers span "
     "the 5th–95th percentile of replicates. Compare bars of the same colour: they split the same "
     "customers in different ways."),
    ("vintages.png", "How defaults build up as each group of new accounts ages",
     "Each line follows the accounts opened in one month as they age: the share of them that has "
     "defaulted after a given number of months on the books (defaults ÷ accounts opened in that "
     "month). Steeper lines mean riskier lending in that month; recent groups have shorter lines "
     "because they have been observed for fewer months."),
    ("causes.png", "Why customers default",
     "Every default is counted once, under its main cause (see Primary cause in the glossary). Bar "
     "length is the share of all defaults over the horizon; the label also gives the average number "
     "of defaults per replicate."),
]


def _glossary_html() -> str:
    items = "".join(f"<dt>{_e(t)}</dt><dd>{_e(d)}</dd>" for t, d in GLOSSARY)
    return f'<section><h2>Glossary</h2><dl class="glossary">{items}</dl></section>'


def _page(title: str, body: str, version: str) -> str:
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>{body}"
        f"<footer>Report generated {_e(now)} by bnpl-stress {_e(version)}. Rebuild it with "
        f"<code>{_e(PROG)} DIR</code>.</footer></main></body></html>\n"
    )


def _command_html(cmd: str, note: str) -> str:
    return (f"<section><h2>How to reproduce</h2><p>{_e(note)}</p><pre><code>{_e(cmd)}</code></pre>"
            "</section>")


# --------------------------------------------------------------------------- single run


def _run_command(run_dir: Path, summary: dict[str, Any]) -> tuple[str, str]:
    from simulator.outputs.sweep import job_overrides

    ov = job_overrides(run_dir)
    note = ("Run this in a terminal where bnpl-stress is installed; the same version and seed give "
            "the same numbers. The outputs go to a new folder outputs/DATE/TIME/.")
    if ov is not None:
        ov = [o for o in ov if not o.lstrip("+~").startswith("hydra.")]
        return " ".join(["bnpl-stress", *(shlex.quote(o) for o in ov)]), note
    cfg, run = summary.get("config", {}), summary.get("config", {}).get("run", {})
    args = [f"economy={cfg.get('economy', {}).get('name', 'baseline')}",
            f"run.n_borrowers={summary.get('n_borrowers')}", f"run.months={summary.get('months')}",
            f"run.burn_in={run.get('burn_in', 12)}", f"run.replicates={summary.get('replicates')}",
            f"run.seed={summary.get('seed')}"]
    note += (" This folder has no record of the command line (.hydra/overrides.yaml), so the command "
             "is rebuilt from the saved settings; settings other than these may also have been changed "
             "(see the config in summary.json).")
    return " ".join(["bnpl-stress", *(shlex.quote(a) for a in args)]), note


def _run_report(run_dir: Path) -> str:
    from simulator.outputs.charts import write_charts
    from simulator.outputs.sweep import job_overrides

    s = read_summary(run_dir)
    cfg = s.get("config", {})
    run = cfg.get("run", {})
    choices = _choices(run_dir)
    metrics: dict[str, dict[str, float]] = s.get("metrics", {})
    reps = s.get("replicates", run.get("replicates"))
    scenario = choices.get("scenario") or "none (default settings)"
    econ = cfg.get("economy", {})
    ov = job_overrides(run_dir)
    facts = [
        ("Scenario", value_label(scenario)),
        ("Economy", _economy_text(econ)),
        ("Policy", _policy_text(cfg, choices)),
        ("Population size", f"{s.get('n_borrowers', 0):,} simulated borrowers"),
        ("Horizon", _horizon_text(run, s.get("months"))),
        ("Replicates", f"{reps} (independent repetitions with different random draws)"),
        ("Seed", str(s.get("seed"))),
        ("Settings changed from the defaults", " ".join(ov) if ov else "none recorded"),
        ("Model version", f"bnpl-stress {s.get('version', '?')}"),
        ("Run finished", _finished_at(run_dir).strftime("%Y-%m-%d %H:%M")),
        ("Run folder", str(run_dir.resolve())),
    ]
    headline = []
    if "cum_default_rate" in metrics:
        m = metrics["cum_default_rate"]
        rng = _fmt_range("cum_default_rate", m)
        headline.append(f"By the end of month {s.get('months')}, {_pct(m['mean'])} of all accounts ever "
                        f"opened had defaulted" + (f" (5–95% range over replicates: {rng})." if rng != "—"
                                                   else "."))
    if "dpd90_rate_end" in metrics and "dpd30_rate_end" in metrics:
        headline.append(f"In the last month {_pct(metrics['dpd30_rate_end']['mean'])} of the money owed "
                        f"was 30+ days past due and {_pct(metrics['dpd90_rate_end']['mean'])} was 90+ "
                        "days past due.")
    if "loss_rate" in metrics:
        headline.append(f"Net losses ran at {_pct(metrics['loss_rate']['mean'])} of average receivables "
                        "per year.")
    order = [k for k in KEY_METRICS if k in metrics] + [k for k in metrics if k not in KEY_METRICS]
    rows = []
    for k in order:
        name, _, what = _metric_text(k)
        rows.append(f"<tr><td>{_e(name)}</td><td>{_e(what)}</td>"
                    f"<td class=\"num\">{_e(_fmt_metric(k, metrics[k]['mean']))}</td>"
                    f"<td class=\"num\">{_e(_fmt_range(k, metrics[k]))}</td></tr>")
    table = ('<div class="scroll"><table class="results"><thead><tr><th>Measure</th><th>What it '
             'measures</th><th class="num">Average over replicates</th><th class="num">5–95% range over '
             'replicates</th></tr>'
             f'</thead><tbody>{"".join(rows)}</tbody></table></div>')
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        charts = run_dir / "charts"
        if not all((charts / f).is_file() for f, _, _ in RUN_CHARTS):
            tables = {n: pd.read_parquet(run_dir / f"{n}.parquet")
                      for n in ("timeseries", "segments", "vintages", "causes")}
            charts = Path(tmp)
            write_charts(tables["timeseries"], tables["segments"], tables["vintages"], tables["causes"],
                         charts)
        for fname, title, how in RUN_CHARTS:
            if (charts / fname).is_file():
                figures.append(_figure(charts / fname, title, how, len(figures) + 1))
    cmd, note = _run_command(run_dir, s)
    title = f"BNPL stress test: {value_label(econ.get('name', 'run'))} economy"
    body = (
        f"<h1>{_e(title)}</h1>"
        f"<p class=\"lede\">A simulation of {s.get('n_borrowers', 0):,} buy-now-pay-later borrowers over "
        f"{_e(str(s.get('months')))} months, repeated {_e(str(reps))} times. Simulated results under stated "
        "assumptions, not forecasts.</p>"
        + (f"<ul class=\"headline\">{''.join(f'<li>{_e(h)}</li>' for h in headline)}</ul>" if headline else "")
        + f"<section><h2>What was run</h2>{_facts_table(facts)}</section>"
        + "<section><h2>Key results</h2><p>Each measure is computed for every replicate; the table gives "
        "the average and the range that holds the middle 90% of replicates.</p>" + table + "</section>"
        + f"<section><h2>Charts</h2>{''.join(figures)}</section>"
        + _glossary_html() + _command_html(cmd, note)
    )
    return _page(title, body, str(s.get("version", "?")))


# --------------------------------------------------------------------------- sweep


def _sweep_chart_texts(summary: pd.DataFrame) -> list[tuple[str, str, str]]:
    from simulator.outputs.sweep import DEFAULT_CURVES_FILE, SWEEP_CHART_METRICS, sweep_chart_keys

    row_key, col_key = sweep_chart_keys(summary)
    out = [(DEFAULT_CURVES_FILE, "Monthly default rate in each scenario",
            "One colour per scenario. The line is the monthly default rate (new defaults ÷ accounts "
            "performing at the start of the month) averaged over the replicates; the shaded band of the "
            "same colour covers the middle 90% of replicates (5th to 95th percentile). Where two bands "
            "overlap, the difference between those scenarios in that month is within chance variation.")]
    for metric in SWEEP_CHART_METRICS:
        name, denom, _ = _metric_text(metric)
        if row_key is not None and col_key is not None:
            how = (f"Each cell is the {name.lower()} ({denom}) averaged over replicates, for one "
                   f"combination of {key_label(row_key).lower()} (rows) and {key_label(col_key).lower()} "
                   "(columns); the value is printed in the cell. Darker cells are worse; the colour scale "
                   "runs from the lowest to the highest value in this sweep. If other settings were varied "
                   "too, a cell averages their runs.")
        else:
            by = key_label(row_key).lower() if row_key is not None else "run"
            how = (f"Each bar is the {name.lower()} ({denom}) averaged over replicates, one bar per {by}; "
                   "the number is printed beside it. Black whiskers span the 5th–95th percentile of the "
                   "replicates (the widest range when a bar averages several runs, e.g. several seeds).")
        out.append((f"sweep_{metric}.png", f"{name} across the sweep", how))
    from simulator.outputs.charts import policy_tradeoff_table
    from simulator.outputs.sweep import POLICY_TRADEOFF_FILE

    if len(policy_tradeoff_table(summary)):
        out.append((POLICY_TRADEOFF_FILE, "Defaults prevented against lending given up, per policy",
                    "Each point is one policy, compared with the run without any policy in the same "
                    "economy (same colour) and with the same random numbers. Height: how many "
                    "percentage points of accounts ever opened the policy keeps out of default "
                    "(cumulative default rate without the policy minus with it). Right: the share of "
                    "BNPL purchase volume the policy gives up. Points high and to the left prevent "
                    "defaults cheaply; a point below zero raises defaults."))
    return out


def _sweep_report(sweep_dir: Path, summary: pd.DataFrame | None) -> str:
    from simulator.outputs.sweep import (
        CHARTS_DIR,
        _per_run,
        collect_sweep,
        find_job_dirs,
        sweep_command,
        varying_keys,
        write_sweep_charts,
    )

    summary = collect_sweep(sweep_dir) if summary is None else summary
    runs = _per_run(summary)
    keys = summary.attrs.get("override_keys", [])
    vary = varying_keys(summary)
    fixed = [k for k in keys if k not in vary]
    done, _ = find_job_dirs(sweep_dir)
    by_name = {d.relative_to(sweep_dir).as_posix(): d for d in done}
    infos = {name: (read_summary(d), _choices(d)) for name, d in by_name.items() if name in set(runs["run"])}
    order = list(runs["run"])
    s_of = [infos[n][0] for n in order]
    ch_of = [infos[n][1] for n in order]
    cfgs = [s.get("config", {}) for s in s_of]
    dates = sorted(_finished_at(by_name[n]) for n in order)
    date_text = dates[0].strftime("%Y-%m-%d %H:%M")
    if dates[-1].strftime("%Y-%m-%d %H:%M") != date_text:
        date_text += " to " + dates[-1].strftime("%Y-%m-%d %H:%M")
    facts = [
        ("Runs", f"{len(order)} runs (one per combination of the swept settings)"),
        ("Settings varied", [f"{k} = {', '.join(str(v) for v in pd.unique(runs[k].astype(str)))}" for k in vary]
         or "none (all runs have the same settings)"),
        ("Same in every run", ", ".join(f"{k}={runs[k].iloc[0]}" for k in fixed) or "no other changes"),
        ("Scenario", _distinct([value_label(c.get("scenario") or "none (default settings)") for c in ch_of])),
        ("Economy", _distinct([_economy_text(c.get("economy", {})) for c in cfgs])),
        ("Policy", _distinct([_policy_text(c, ch) for c, ch in zip(cfgs, ch_of, strict=True)])),
        ("Population size", _distinct([f"{s.get('n_borrowers', 0):,} simulated borrowers" for s in s_of])),
        ("Horizon", _distinct([_horizon_text(c.get("run", {}), s.get("months"))
                                    for c, s in zip(cfgs, s_of, strict=True)])),
        ("Replicates per run", _distinct([str(s.get("replicates")) for s in s_of])),
        ("Seed", _join_distinct([str(s.get("seed")) for s in s_of])),
        ("Model version", _distinct([f"bnpl-stress {s.get('version', '?')}" for s in s_of])),
        ("Runs finished", date_text),
        ("Sweep folder", str(sweep_dir.resolve())),
    ]
    stats = summary.pivot_table(index=["run", "metric"], columns="statistic", values="value", aggfunc="first")
    head = "".join(f"<th>{_e(key_label(k))}</th>" for k in vary)
    for m in KEY_METRICS:
        name, denom, _ = _metric_text(m)
        head += f"<th class=\"num\">{_e(name)}<span class=\"unit\">{_e(denom)}</span></th>"
    body_rows = []
    for _, r in runs.iterrows():
        cells = f"<td>{_e(str(r['run']))}</td>" + "".join(
            f"<td class=\"key\">{_e(value_label(r[k]))}</td>" for k in vary)
        for m in KEY_METRICS:
            if (r["run"], m) in stats.index:
                st = stats.loc[(r["run"], m)].to_dict()
                rng = _fmt_range(m, st)
                extra = f"<span class=\"range\">{_e(rng)}</span>" if rng != "—" else ""
                cells += f"<td class=\"num\">{_e(_pct(st['mean']))}{extra}</td>"
            else:
                cells += "<td class=\"num\">—</td>"
        body_rows.append(f"<tr>{cells}</tr>")
    table = (f'<div class="scroll"><table class="results"><thead><tr><th>Run</th>{head}</tr></thead>'
             f'<tbody>{"".join(body_rows)}</tbody></table></div>')
    headline = []
    cum = summary[(summary["metric"] == "cum_default_rate") & (summary["statistic"] == "mean")]
    if len(cum) >= 2:
        labels = {r["run"]: (", ".join(f"{key_label(k).lower()}: {value_label(r[k])}" for k in vary)
                             or f"run {r['run']}") for _, r in runs.iterrows()}
        hi, lo = cum.loc[cum["value"].idxmax()], cum.loc[cum["value"].idxmin()]
        headline.append(f"Highest cumulative default rate: {_pct(hi['value'])} ({labels[hi['run']]}).")
        headline.append(f"Lowest cumulative default rate: {_pct(lo['value'])} ({labels[lo['run']]}).")
    loss = summary[(summary["metric"] == "loss_rate") & (summary["statistic"] == "mean")]
    if len(loss) >= 2:
        headline.append(f"Annual net loss rate ranges from {_pct(loss['value'].min())} to "
                        f"{_pct(loss['value'].max())} of average receivables.")
    note = summary.attrs.get("note", "")
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        texts = _sweep_chart_texts(summary)
        charts = sweep_dir / CHARTS_DIR
        if not all((charts / f).is_file() for f, _, _ in texts):
            charts = Path(tmp)
            write_sweep_charts(sweep_dir, summary, charts)
        for fname, title, how in texts:
            if (charts / fname).is_file():
                figures.append(_figure(charts / fname, title, how, len(figures) + 1))
    cmd = sweep_command(summary)
    cmd_note = ("Run this in a terminal where bnpl-stress is installed: -m runs every combination of "
                "the comma-separated values, one run each. The same version and seeds give the same "
                "numbers. The outputs go to a new folder multirun/DATE/TIME/.")
    title = f"BNPL stress test: comparison of {len(order)} runs"
    reps = _join_distinct([str(s.get("replicates")) for s in s_of])
    varied = ("varying " + " and ".join(key_label(k).lower() for k in vary)) if vary else "all with the same settings"
    body = (
        f"<h1>{_e(title)}</h1>"
        f"<p class=\"lede\">{_e(str(len(order)))} simulations of buy-now-pay-later borrowers, "
        f"{_e(varied)}"
        f"; each repeated {_e(reps)} times. Simulated results under stated assumptions, not forecasts.</p>"
        + (f"<p class=\"note\">{_e(note)}</p>" if note else "")
        + (f"<ul class=\"headline\">{''.join(f'<li>{_e(h)}</li>' for h in headline)}</ul>" if headline else "")
        + f"<section><h2>What was run</h2>{_facts_table(facts)}</section>"
        + "<section><h2>Key results</h2><p>One row per run. Each cell gives the average over replicates "
        "and, below it, the range that holds the middle 90% of replicates (5th–95th percentile). Each "
        "run's own tables and charts are in its folder (named in the Run column).</p>" + table + "</section>"
        + f"<section><h2>Charts</h2>{''.join(figures)}</section>"
        + _glossary_html() + _command_html(cmd, cmd_note)
    )
    return _page(title, body, _join_distinct([str(s.get("version", "?")) for s in s_of]))


# --------------------------------------------------------------------------- entry points


def build_report(directory: str | Path, *, summary: pd.DataFrame | None = None) -> Path:
    """Write ``report.html`` into a run or sweep directory and return its path.

    Args:
        directory: a complete run directory or a sweep directory.
        summary: for a sweep, the table from :func:`simulator.outputs.sweep.collect_sweep` (read if None).

    Raises:
        NotARunOrSweep: ``directory`` is neither.
    """
    d = Path(directory)
    kind = detect(d)
    text = _run_report(d) if kind == "run" else _sweep_report(d, summary)
    return io.write_text(d / REPORT_FILE, text)


def _fail(msg: str) -> None:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``bnpl-stress-report DIR``: rebuild the report of a run or sweep directory."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in ("-h", "--help"):
        print(f"usage: {PROG} DIR\n\nRebuild DIR/report.html from a bnpl-stress run directory, or the "
              "sweep summary, charts and report.html of a sweep (multirun) directory; prints the "
              "report's path.")
        return
    if len(args) != 1:
        _fail(f"DIR: expected one directory, got {len(args)} arguments; allowed: {ALLOWED}")
    d = Path(args[0])
    try:
        kind = detect(d)
    except NotARunOrSweep as exc:
        _fail(str(exc))
    if kind == "sweep":
        from simulator.outputs.sweep import write_sweep_outputs

        report = write_sweep_outputs(d)[-1]
    else:
        report = build_report(d)
    print(report)


if __name__ == "__main__":
    main()
