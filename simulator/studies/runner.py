"""Run a scenario or an ensemble of replicates from a config — no Hydra app needed.

This is what the command line (``simulator.apps.cli``) and notebooks call::

    from simulator.studies.runner import run_scenario
    res = run_scenario("economy=severe_recession", n_borrowers=20_000, replicates=3)
    res.timeseries.plot(x="month", y="default_rate")
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from simulator.config import Config, ConfigError, check_inputs, compose
from simulator.core.model import CreditModel
from simulator.outputs.results import RunResult, summarize
from simulator.outputs.stats import summary_statistics

__all__ = ["run", "run_scenario", "version"]

#: Runs shorter than this many borrower-months get no progress bar in ``progress=auto``.
PROGRESS_MIN_WORK = 20_000_000


def version() -> str:
    """Installed version of the package."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _v

    try:
        return _v("bnpl-stress")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _progress_bar(cfg: Config):
    run = cfg.run
    months = run.months + run.burn_in
    work = run.n_borrowers * months * run.replicates
    show = run.progress == "on" or (
        run.progress == "auto" and sys.stderr.isatty() and work >= PROGRESS_MIN_WORK)
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=months * run.replicates, unit="month", desc="bnpl-stress", leave=False,
                file=sys.stderr)


def score_auc(pop) -> float | None:
    """AUC of the application score at ranking the accounts that defaulted (any time) first.

    Computed with the Mann–Whitney identity on pandas ranks (ties averaged), which equals
    ``sklearn.metrics.roc_auc_score`` (tested) without importing scikit-learn in every run.
    """
    from simulator.core.state import NEVER

    opened = pop.open_month != NEVER
    y = pop.default_month[opened] != NEVER
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pd.Series(-pop.app_score[opened].astype(float)).rank(method="average").to_numpy()
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _extra_metrics(extras: list[dict]) -> dict:
    """Summary statistics of per-replicate figures that are not in the tables."""
    series = {"score_auc": [e["score_auc"] for e in extras]}
    for name in ("auc", "application_score_auc"):
        series[f"ml_scoring_{name}"] = [e["policies"].get("ml_scoring", {}).get(name) for e in extras]
    out = {}
    for k, v in series.items():
        values = [x for x in v if x is not None]
        if values:
            out[k] = summary_statistics(values)
    return out


def run(cfg: Config, out_dir: str | Path | None = None) -> RunResult:
    """Run every replicate of ``cfg`` and, if ``out_dir`` is given, save the results there.

    Args:
        cfg: a validated (or to-be-validated) configuration.
        out_dir: run directory; written atomically (``summary.json`` last).

    Returns:
        The combined result of all replicates.
    """
    check_inputs(cfg)
    if cfg.run.study == "cause_decomposition":
        from simulator.studies.decomposition import run_decomposition

        return run_decomposition(cfg, out_dir)
    t0 = time.perf_counter()
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in
                                            ("timeseries", "segments", "vintages", "roll_rates", "causes")}
    extras: list[dict] = []
    bar = _progress_bar(cfg)
    try:
        for r in range(cfg.run.replicates):
            model = CreditModel(cfg, replicate=r)
            try:
                model.run(progress=bar.update if bar is not None else None)
                rec = model.recorder
                parts["timeseries"].append(rec.timeseries())
                parts["segments"].append(rec.segments())
                parts["roll_rates"].append(rec.roll_rates())
                parts["vintages"].append(model.vintages())
                parts["causes"].append(model.causes())
                extras.append({"score_auc": score_auc(model.pop), "policies": model.policy_summary()})
            finally:
                model.release()
    finally:
        if bar is not None:
            bar.close()
    sim_seconds = time.perf_counter() - t0
    tables = {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}
    from dataclasses import asdict

    metrics = summarize(tables["timeseries"], tables["segments"])
    metrics.update(_extra_metrics(extras))
    summary = {
        "metrics": metrics,
        "policies": [e["policies"] for e in extras],
        "n_borrowers": cfg.run.n_borrowers,
        "months": cfg.run.months,
        "replicates": cfg.run.replicates,
        "seed": cfg.run.seed,
        "version": version(),
        "config": asdict(cfg),
        "timing": {"simulation_seconds": round(sim_seconds, 3)},
    }
    result = RunResult(**tables, summary=summary)
    if out_dir is not None:
        result.save(out_dir, charts=cfg.run.charts)
    return result


_RUN_KEYS = {"n_borrowers", "months", "burn_in", "replicates", "seed", "mode", "start_month",
             "block_size", "progress", "charts"}


def run_scenario(*overrides: str, out_dir: str | Path | None = None, **run_options) -> RunResult:
    """Compose a scenario from Hydra-style overrides and run it.

    Args:
        *overrides: e.g. ``"economy=severe_recession"``, ``"platform.line_multiplier=1.2"``.
        out_dir: optional run directory to save outputs into.
        **run_options: shorthand for ``run.*`` keys, e.g. ``n_borrowers=20_000, replicates=3``.

    Returns:
        The :class:`~simulator.outputs.results.RunResult`.
    """
    extra = []
    for k, v in run_options.items():
        if k not in _RUN_KEYS:
            raise ConfigError(f"run.{k}={v!r}: unknown key; allowed: {', '.join(sorted(_RUN_KEYS))}")
        extra.append(f"run.{k}={v}")
    cfg = compose([*overrides, *extra])
    return run(cfg, out_dir)
