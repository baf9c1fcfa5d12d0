"""Compare run directories: the settings that differ, the key figures side by side, the curves.

``bnpl-stress-compare DIR_A DIR_B [...]`` (:mod:`simulator.apps.compare_cli`) and
``bnpl-stress-report`` on a folder of single runs use this module; the HTML page is
:mod:`simulator.outputs.report.compare`, the chart :mod:`simulator.outputs.charts.compare`.

* :func:`config_diff`: only the settings whose values differ between the runs (a setting one run
  does not have is shown as ``(not set)``, never as "nan");
* :func:`key_figures`: each key metric's mean per run with its 95% t-interval over replicates, and
  its difference from the first run with a 95% interval: paired replicate by replicate when the
  runs share their seed, block size and replicate count (common random numbers), else Welch's.
  With fewer than :data:`~simulator.outputs.stats.MIN_REPLICATES` replicates no interval is given.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.outputs.results import replicate_metrics
from simulator.outputs.rundir import is_complete, read_summary
from simulator.outputs.stats import mean_interval, welch_interval

__all__ = ["COMPARE_METRICS", "NOT_SET", "Run", "config_diff", "flatten", "key_figures", "load_runs",
           "run_labels"]

#: The key metrics compared, in display order (all in the catalogue).
COMPARE_METRICS = ("cum_default_rate", "peak_default_rate", "dpd30_rate_end", "dpd90_rate_end", "loss_rate",
                   "originations", "purchases")
#: A setting one run's config does not have.
NOT_SET = "(not set)"
#: Settings that never change the numbers or the outputs' content (left out of the difference).
_IGNORED = ("run.progress", "run.threads", "run.skip_existing", "run.cache_dir", "run.burn_in_cache")


@dataclass
class Run:
    """One run directory: its label, summary and per-replicate figures (loaded by :func:`load_runs`)."""

    path: Path
    label: str
    summary: dict[str, Any]
    timeseries: pd.DataFrame
    replicates: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_labels(paths: list[Path]) -> list[str]:
    """Short unique labels: the folder names, with parent folders added until they differ."""
    parts = [p.resolve().parts for p in paths]
    for depth in range(1, max(len(p) for p in parts) + 1):
        labels = ["/".join(p[-depth:]) for p in parts]
        if len(set(labels)) == len(labels):
            return labels
    return [str(p) for p in paths]


def load_runs(dirs: list[str | Path]) -> list[Run]:
    """Read each complete run directory (summary, time series, per-replicate summary metrics).

    Raises:
        ValueError: a directory is not a complete run (one line naming it).
    """
    paths = [Path(d) for d in dirs]
    for p in paths:
        if not is_complete(p):
            raise ValueError(f"DIR={str(p)!r}: not a complete run directory (no summary.json or tables); "
                             "allowed: run directories written by bnpl-stress")
    out = []
    for p, label in zip(paths, run_labels(paths), strict=True):
        ts = pd.read_parquet(p / "timeseries.parquet")
        seg = pd.read_parquet(p / "segments.parquet")
        out.append(Run(p, label, read_summary(p), ts, replicate_metrics(ts, seg)))
    return out


def flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    """A nested config as dotted keys: ``{"run": {"seed": 1}}`` → ``{"run.seed": 1}``."""
    if not isinstance(d, dict):
        return {prefix: d}
    out: dict[str, Any] = {}
    for k, v in d.items():
        out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def _shown(v: Any) -> str:
    if v is NOT_SET:
        return NOT_SET
    return v if isinstance(v, str) else json.dumps(v)


def config_diff(runs: list[Run]) -> pd.DataFrame:
    """The settings whose values differ between the runs: one row per setting, one column per run.

    The parameters of a policy no run enables are left out (they change nothing).
    """
    flats = [flatten(r.summary.get("config", {})) for r in runs]
    for f in flats:
        for k in [k for k in f if k.startswith("policy.") and k.count(".") == 2]:
            pol = k.split(".")[1]
            if not any(g.get(f"policy.{pol}.enabled") for g in flats):
                f.pop(k)
    keys = sorted(set().union(*flats) - set(_IGNORED))
    rows = []
    for k in keys:
        values = [f.get(k, NOT_SET) for f in flats]
        if len({_shown(v) for v in values}) > 1:
            rows.append({"setting": k, **{r.label: _shown(v) for r, v in zip(runs, values, strict=True)}})
    return pd.DataFrame(rows, columns=["setting", *(r.label for r in runs)])


def _paired(a: Run, b: Run) -> bool:
    ca, cb = a.summary.get("config", {}).get("run", {}), b.summary.get("config", {}).get("run", {})
    return (a.summary.get("seed") == b.summary.get("seed") and ca.get("block_size") == cb.get("block_size")
            and len(a.replicates) == len(b.replicates))


def key_figures(runs: list[Run], metrics: tuple[str, ...] = COMPARE_METRICS) -> pd.DataFrame:
    """Each metric of each run, and its difference from the first run (the reference).

    Columns: ``metric``, ``run`` (label), ``n_replicates``, ``mean``, ``lo``/``hi`` (95% t-interval
    of the mean), ``diff`` (mean − the reference's mean; 0 for the reference), ``diff_lo``/``diff_hi``
    (its 95% interval) and ``paired`` (True: replicate-by-replicate differences, common random
    numbers). Intervals are NaN with too few replicates.
    """
    ref = runs[0]
    rows = []
    for m in metrics:
        a = [float(x) for x in ref.replicates[m]] if m in ref.replicates else []
        for r in runs:
            v = [float(x) for x in r.replicates[m]] if m in r.replicates else []
            if not v:
                continue
            mean = sum(v) / len(v)
            ci = mean_interval(v)
            row = {"metric": m, "run": r.label, "n_replicates": len(v), "mean": mean,
                   "lo": ci[0] if ci else math.nan, "hi": ci[1] if ci else math.nan,
                   "diff": math.nan, "diff_lo": math.nan, "diff_hi": math.nan, "paired": False}
            if r is ref:
                row["diff"] = 0.0
            elif a:
                row["diff"] = mean - sum(a) / len(a)
                row["paired"] = _paired(ref, r)
                dci = (mean_interval([y - x for x, y in zip(a, v, strict=True)]) if row["paired"]
                       else welch_interval(a, v))
                if dci:
                    row["diff_lo"], row["diff_hi"] = dci
            rows.append(row)
    return pd.DataFrame(rows)
