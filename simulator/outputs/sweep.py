"""Sweep tables: gather the runs of a Hydra multirun into one tidy table, label runs, rebuild the command.

A sweep directory (``bnpl-stress -m ...``) holds one job folder per run (``0/``, ``1/``, ...),
each a run directory with ``.hydra/overrides.yaml`` (the job's overrides). Only complete runs
(:func:`simulator.outputs.rundir.is_complete`) are collected; unfinished job folders are skipped
and listed in a note.

The outputs written into a sweep directory (``sweep_summary.parquet``, the sweep charts and
``report.html``) are written by :func:`simulator.outputs.report.write_sweep_outputs`; at the end
of a multirun, Hydra calls it through ``simulator.apps.sweep_callback.SweepSummaryCallback``.
"""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simulator.outputs.catalogue import key_label, value_label
from simulator.outputs.lang import tr
from simulator.outputs.rundir import is_complete, job_sweep_id, read_summary, read_sweep_id, record_is_current
from simulator.outputs.stats import STATISTICS

__all__ = [
    "BASE_COLUMNS",
    "INFO_COLUMNS",
    "SUMMARY_FILE",
    "collect_sweep",
    "find_job_dirs",
    "job_overrides",
    "parse_overrides",
    "per_run",
    "policy_tradeoff_table",
    "run_label",
    "run_labels",
    "sweep_chart_keys",
    "sweep_command",
    "varying_keys",
]

log = logging.getLogger(__name__)

#: The sweep summary table in a sweep directory.
SUMMARY_FILE = "sweep_summary.parquet"
#: Columns of the tidy summary besides the override columns.
BASE_COLUMNS = ("run", "metric", "statistic", "value")
INFO_COLUMNS = ("n_borrowers", "months", "replicates", "seed")
_SEED_KEY = "run.seed"
#: Settings that never change the numbers (resume flags): kept out of labels and reproduce commands.
NO_LABEL_KEYS = ("run.skip_existing", "run.progress", "run.threads")


# --------------------------------------------------------------------------- job folders


def _natural_key(name: str) -> list[Any]:
    """Sort key putting ``2`` before ``10``."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def find_job_dirs(sweep_dir: str | Path) -> tuple[list[Path], list[Path]]:
    """The job folders of a sweep: (complete runs, unfinished jobs), in job order.

    A job folder is any non-hidden folder below ``sweep_dir`` holding ``summary.json`` or
    ``.hydra/overrides.yaml`` (so ``hydra.sweep.subdir`` may nest them). ``sweep_dir`` itself is
    never a job.
    """
    root = Path(sweep_dir)
    if not root.is_dir():
        return [], []
    found: set[Path] = set()
    for marker, up in (("summary.json", 1), ("overrides.yaml", 2)):
        for p in root.rglob(marker):
            d = p.parents[up - 1]
            if up == 2 and p.parent.name != ".hydra":
                continue
            rel = d.relative_to(root).parts
            if not rel or any(part.startswith(".") for part in rel):
                continue
            found.add(d)
    # a folder nested inside another job folder (e.g. a copy) is not a job of this sweep
    jobs = sorted(found, key=lambda d: _natural_key(d.relative_to(root).as_posix()))
    jobs = [d for d in jobs if not any(o != d and o in d.parents for o in jobs)]
    done = [d for d in jobs if is_complete(d)]
    return done, [d for d in jobs if d not in done]


def parse_overrides(overrides: Iterable[str]) -> dict[str, str]:
    """Override list → {key: value as written}; ``hydra.*`` keys and ``~key`` deletions skipped."""
    out: dict[str, str] = {}
    for o in overrides:
        o = str(o)
        if o.startswith("~") or "=" not in o:
            continue
        key, value = o.split("=", 1)
        key = key.lstrip("+")
        if key == "hydra" or key.startswith(("hydra.", "hydra/")) or key in NO_LABEL_KEYS:
            continue
        out[key] = value
    return out


def job_overrides(job_dir: str | Path) -> list[str] | None:
    """The override list of a job (``.hydra/overrides.yaml``), or None when there is none."""
    p = Path(job_dir) / ".hydra" / "overrides.yaml"
    if not p.is_file() or not record_is_current(job_dir):
        return None  # no record, or one a later start rewrote: it does not describe these numbers
    try:
        data = yaml.safe_load(p.read_text()) or []
    except (OSError, yaml.YAMLError):
        return None
    return [str(x) for x in data] if isinstance(data, list) else None


# --------------------------------------------------------------------------- the summary table


def collect_sweep(sweep_dir: str | Path) -> pd.DataFrame:
    """Gather the summaries of the complete runs of a sweep into one tidy table.

    Returns:
        One row per (run, metric, statistic) with columns ``run`` (job folder name, e.g. ``"0"``),
        ``metric``, ``statistic`` (mean/p05/p50/p95), ``value``, then one column per override key
        (e.g. ``economy``, ``run.seed``; the value as a string, missing when a job did not set
        it; ``hydra.*`` keys skipped), then ``n_borrowers``, ``months``, ``replicates``, ``seed``.
        ``df.attrs`` holds ``override_keys`` (in order of first appearance), ``incomplete`` (the
        unfinished job folders skipped) and ``note`` (a sentence about them, empty if none).
    """
    root = Path(sweep_dir)
    done, unfinished = find_job_dirs(root)
    sweep_id = read_sweep_id(root)
    rows: list[dict[str, Any]] = []
    keys: list[str] = []
    runs: list[tuple[str, dict[str, str], dict[str, Any]]] = []
    left_out: list[str] = []
    for d in done:
        name = d.relative_to(root).as_posix()
        tag = job_sweep_id(d)
        if sweep_id and tag and tag != sweep_id:
            left_out.append(f"{name} (from an earlier sweep in this folder)")
            continue
        if not record_is_current(d):
            left_out.append(f"{name} (its numbers predate its settings: a later start did not finish)")
            continue
        try:
            summary = read_summary(d)
        except (OSError, ValueError):
            left_out.append(f"{name} (corrupt summary.json)")
            continue
        ov = parse_overrides(job_overrides(d) or [])
        for k in ov:
            if k not in keys:
                keys.append(k)
        runs.append((name, ov, summary))
    reserved = set(BASE_COLUMNS) | set(INFO_COLUMNS)
    col_of = {k: (f"{k} (override)" if k in reserved else k) for k in keys}
    for name, ov, summary in runs:
        info = {c: summary.get(c) for c in INFO_COLUMNS}
        over = {col_of[k]: ov.get(k) for k in keys}
        for metric, stats in summary.get("metrics", {}).items():
            for stat in STATISTICS:
                if stat in stats:
                    rows.append({"run": name, "metric": metric, "statistic": stat,
                                 "value": float(stats[stat]), **over, **info})
    columns = [*BASE_COLUMNS, *col_of.values(), *INFO_COLUMNS]
    df = pd.DataFrame(rows, columns=columns)
    df["value"] = df["value"].astype(float)
    for c in col_of.values():
        df[c] = df[c].astype(object)
    for c in INFO_COLUMNS:
        if df[c].notna().all():
            df[c] = df[c].astype("int64")
    names = [d.relative_to(root).as_posix() for d in unfinished
             if not (sweep_id and job_sweep_id(d) and job_sweep_id(d) != sweep_id)]
    notes = []
    if names:
        notes.append(tr("{n} job folder(s) did not finish (no summary.json) and are left out: {names}").format(
            n=len(names), names=", ".join(names)))
    if left_out:
        notes.append(tr("{n} complete job folder(s) are left out: {names}").format(
            n=len(left_out), names=", ".join(left_out)))
    note = tr("; ").join(notes)
    if note:
        log.warning("%s: %s", root, note)
    df.attrs.update({"override_keys": [col_of[k] for k in keys], "incomplete": names, "note": note})
    return df


def per_run(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per run of a sweep summary: ``run``, the override columns and the info columns."""
    keys = summary.attrs.get("override_keys", [])
    cols = ["run", *keys, *[c for c in INFO_COLUMNS if c in summary.columns]]
    return summary[cols].drop_duplicates("run").reset_index(drop=True)


def varying_keys(summary: pd.DataFrame) -> list[str]:
    """Override columns whose value differs between runs, in order of first appearance."""
    runs = per_run(summary)
    return [k for k in summary.attrs.get("override_keys", [])
            if runs[k].astype(str).nunique(dropna=False) > 1]


def sweep_chart_keys(summary: pd.DataFrame) -> tuple[str | None, str | None]:
    """The (row, column) keys of the sweep heatmap; column None → a bar chart.

    Varying keys other than the seed come first (the seed is averaged over when others vary).
    """
    keys = varying_keys(summary)
    main = [k for k in keys if k != _SEED_KEY] or keys
    if not main:
        return None, None
    return main[0], (main[1] if len(main) > 1 else None)


def run_label(overrides: dict[str, Any], keys: Iterable[str], *, with_keys: bool = True) -> str:
    """A readable label of a run from the values of ``keys``.

    ``with_keys=True``: ``Economy: severe recession · Seed: 2``; otherwise ``severe recession · 2``.
    """
    parts = [f"{key_label(k)}: {value_label(overrides[k])}" if with_keys else value_label(overrides[k])
             for k in keys if k in overrides and overrides[k] is not None and not pd.isna(overrides[k])]
    return " · ".join(parts)


def run_labels(summary: pd.DataFrame) -> tuple[dict[str, str], str]:
    """(run name → unique readable label of its varying override values, the labels' title).

    E.g. ``({"0": "baseline", "1": "severe recession"}, "Economy")``.
    """
    keys = varying_keys(summary)
    out: dict[str, str] = {}
    for row in per_run(summary).to_dict("records"):
        label = run_label(row, keys, with_keys=False) or tr("Run {run}").format(run=row["run"])
        if label in out.values():
            label = f"{label} ({tr('run {run}').format(run=row['run'])})"
        out[str(row["run"])] = label
    return out, (" · ".join(key_label(k) for k in keys) or tr("Run"))


def sweep_command(summary: pd.DataFrame) -> str:
    """The command that reproduces the sweep: ``bnpl-stress -m key=v1,v2 ...``.

    Each override key is listed once with its values in order of first appearance; a key with
    one value is a plain override. Arguments are shell-quoted where needed.
    """
    runs = per_run(summary)
    keys = summary.attrs.get("override_keys", [])
    args = ["bnpl-stress", "-m"]
    for k in keys:
        vals = [str(v) for v in pd.unique(runs[k].dropna().astype(str))]
        if vals:
            name = k[: -len(" (override)")] if k.endswith(" (override)") else k
            args.append(shlex.quote(f"{name}={','.join(vals)}"))
    return " ".join(args)


# --------------------------------------------------------------------------- policy trade-off


def policy_tradeoff_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Defaults prevented and purchase volume given up by each policy, against ``policy=none``.

    ``summary`` is a sweep summary (:func:`collect_sweep`, or the ``RunResult.summary_rows`` of
    several runs) with a ``policy`` column. Runs are matched on every other varying setting (e.g.
    the economy). Returns one row per (policy, other settings) with ``defaults_prevented``
    (cumulative default rate of ``none`` minus the policy's, in percentage points) and
    ``volume_lost`` (share of ``none``'s purchase volume the policy gives up, in %). Empty when
    the sweep has no ``policy=none`` run.
    """
    if "policy" not in summary.columns:
        return pd.DataFrame()
    means = summary[(summary["statistic"] == "mean")
                    & summary["metric"].isin(["cum_default_rate", "purchases"])]
    wide = means.pivot_table(index="run", columns="metric", values="value")
    keys = [k for k in summary.columns
            if k not in (*BASE_COLUMNS, *INFO_COLUMNS) and summary[k].nunique() > 1 and k != "policy"]
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
