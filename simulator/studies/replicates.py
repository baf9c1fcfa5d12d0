"""The replicate loop: run every replicate of a config and combine their tables and summary.

:func:`simulate` is what every study builds on (it saves nothing); :func:`run_single` is the
study ``run.study=single``: :func:`simulate`, then save the run directory. This module imports
no other study, so any study can import it at the top.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from simulator.config import Config, check_inputs
from simulator.core.state import NEVER
from simulator.outputs.results import RunResult, summarize
from simulator.outputs.stats import summary_statistics
from simulator.studies.seasoned import seasoned_model

__all__ = ["AGENT_COST", "PROGRESS_MIN_WORK", "SCORE_HORIZON", "version", "estimated_work", "show_progress",
           "score_auc", "score_ranking", "simulate", "run_single"]

#: Runs estimated at less than this much work (fast-mode borrower-months, see :func:`estimated_work`)
#: get no progress bar in ``progress=auto``: fast mode runs ~12 million borrower-months a second on
#: the reference 2-core machine (README, "Speed"), so this is about 2 s of simulation.
PROGRESS_MIN_WORK = 20_000_000
#: Cost of one agent-mode borrower-month in fast-mode borrower-months (agent mode is ~700x slower).
AGENT_COST = 700


def estimated_work(mode: str, n_borrowers: int, months: int, replicates: int) -> int:
    """The run's work in fast-mode borrower-months: ``months`` includes the burn-in."""
    return n_borrowers * months * replicates * (AGENT_COST if mode == "agent" else 1)


def show_progress(progress: str, work: int, terminal: bool) -> bool:
    """Whether to show a progress bar: ``on`` always, ``off`` never, ``auto`` on a terminal when
    the estimated ``work`` (:func:`estimated_work`) is at least :data:`PROGRESS_MIN_WORK` (~2 s).
    """
    if progress == "auto":
        return terminal and work >= PROGRESS_MIN_WORK
    return progress == "on"

#: Months on book over which an account's default counts as "bad" in :func:`score_ranking`.
SCORE_HORIZON = 24

#: The tables combined over replicates, in the order of :class:`~simulator.outputs.results.RunResult`.
_TABLES = ("timeseries", "segments", "vintages", "roll_rates", "causes")


def version() -> str:
    """Installed version of the package."""
    try:
        return _installed_version("bnpl-stress")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _progress_bar(cfg: Config) -> tqdm | None:
    run = cfg.run
    months = run.months + run.burn_in
    work = estimated_work(run.mode, run.n_borrowers, months, run.replicates)
    if not show_progress(run.progress, work, sys.stderr.isatty()):
        return None
    return tqdm(total=months * run.replicates, unit="month", desc="bnpl-stress", leave=False,
                file=sys.stderr)


def score_auc(pop) -> float | None:
    """AUC of the application score at ranking the accounts that defaulted (any time) first.

    Computed with the Mann–Whitney identity on average ranks (ties averaged, :func:`_average_ranks`), which equals
    ``sklearn.metrics.roc_auc_score`` (tested) without importing scikit-learn in every run.
    """
    opened = pop.open_month != NEVER
    return _auc(pop.app_score[opened], pop.default_month[opened] != NEVER)


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of ``x`` with ties given their average rank: pandas'
    ``rank(method="average")`` of NaN-free values, from one numpy sort (ranks are whole or half
    numbers, exact in float64, so sums of them do not depend on the order of addition).
    """
    n = len(x)
    order = np.argsort(x)
    xs = x[order]
    new = np.empty(n, dtype=bool)
    new[:1] = True
    np.not_equal(xs[1:], xs[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n)
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = np.repeat((starts + 1 + ends) / 2.0, ends - starts)  # mean of ranks start+1..end
    return ranks


def _auc(score: np.ndarray, bad: np.ndarray) -> float | None:
    """AUC of ``-score`` at ranking ``bad`` first (Mann–Whitney on average ranks); None if one
    class is empty.
    """
    n_pos = int(bad.sum())
    n_neg = len(bad) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = _average_ranks(-score.astype(float))  # scores are finite (the score kernels' output)
    return float((ranks[bad].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def score_ranking(pop, months: int, horizon: int = SCORE_HORIZON, first_month: int = 0,
                  rows: list[dict] | None = None) -> dict[str, float | None]:
    """How well the application score ranks the accounts that default within ``horizon`` months.

    The cohort is every account opened from ``first_month`` (the month policies start, so under
    ``external_data`` every account of the cohort was scored with external data; burn-in accounts,
    scored partly by the generic score before the lender's fit, are left out) to month
    ``months - horizon`` (observed for ``horizon`` months by the end of the run); an account is bad
    if it defaulted within ``horizon`` months of opening. Returns the AUC over the cohort
    (``score_auc_24m``), over established and thin files separately, and the score deciles' bad
    rates: worst ÷ best decile (``score_decile_bad_rate_ratio``; None when the best decile has no
    bad account) and the Spearman rank correlation between decile (1 best … 10 worst) and bad
    rate (``score_decile_spearman``; 1 = bad rate rises with every decile); the cohort's bad rate
    (``score_cohort_bad_rate``: the bad rate of approved applicants) and, given the recorder's
    time-series ``rows``, the approval rate of the applications of its months, re-applications
    included (``score_cohort_approval_rate``: originations ÷ applicants). ``pop``: every account
    holder's record (:meth:`~simulator.core.recorder.MonthlyRecorder.book`). Names: the
    catalogue's ``SCORE_METRICS``.
    """
    tag = f"{horizon}m"
    out: dict[str, float | None] = {f"score_auc_{tag}": None, f"score_auc_{tag}_established": None,
                                    f"score_auc_{tag}_thin": None, "score_decile_bad_rate_ratio": None,
                                    "score_decile_spearman": None, "score_cohort_bad_rate": None,
                                    "score_cohort_approval_rate": None}
    om = pop.open_month.astype(np.int32)
    cohort = (pop.open_month != NEVER) & (om >= first_month) & (om <= months - horizon)
    if not cohort.any():
        return out
    score = pop.app_score[cohort].astype(np.float64)
    dm = pop.default_month[cohort].astype(np.int32)
    bad = (pop.default_month[cohort] != NEVER) & (dm - om[cohort] < horizon)
    thin = pop.thin_file[cohort]
    out[f"score_auc_{tag}"] = _auc(score, bad)
    out[f"score_auc_{tag}_established"] = _auc(score[~thin], bad[~thin])
    out[f"score_auc_{tag}_thin"] = _auc(score[thin], bad[thin])
    out["score_cohort_bad_rate"] = float(bad.mean())
    months_rows = [r for r in rows or () if first_month <= r["month"] <= months - horizon]
    applicants = sum(r["applicants"] for r in months_rows)
    if applicants:
        out["score_cohort_approval_rate"] = sum(r["originations"] for r in months_rows) / applicants
    if len(score) >= 10:
        # decile 1 = best scores … 10 = worst (ranks break ties, so the deciles have equal sizes)
        first = np.empty(len(score), dtype=np.float64)  # pandas' rank(method="first"): ties in order
        first[np.argsort(-score, kind="stable")] = np.arange(1, len(score) + 1)
        decile = pd.qcut(first, 10, labels=False) + 1
        rates = pd.Series(bad.astype(float)).groupby(decile).mean()
        if rates.iloc[0] > 0:
            out["score_decile_bad_rate_ratio"] = float(rates.iloc[-1] / rates.iloc[0])
        if rates.nunique() > 1:
            out["score_decile_spearman"] = float(
                pd.Series(rates.index, dtype=float).corr(pd.Series(rates.to_numpy()), method="spearman"))
    return out


def _extra_metrics(extras: list[dict]) -> dict:
    """Summary statistics of per-replicate figures that are not in the tables."""
    series = {"score_auc": [e["score_auc"] for e in extras]}
    for name in extras[0]["ranking"] if extras else ():
        series[name] = [e["ranking"][name] for e in extras]
    for name in ("auc", "application_score_auc"):
        series[f"ml_scoring_{name}"] = [e["policies"].get("ml_scoring", {}).get(name) for e in extras]
    # public money paid by the policies that record transfers (benefits, stimulus); absent otherwise
    paid = [[v["transfers"] for v in e["policies"].values() if "transfers" in v] for e in extras]
    series["public_transfers"] = [sum(p) if p else None for p in paid]
    out = {}
    for k, v in series.items():
        values = [x for x in v if x is not None]
        if values:
            out[k] = summary_statistics(values)
    return out


def simulate(cfg: Config) -> RunResult:
    """Run every replicate of ``cfg`` and combine them; nothing is saved.

    Replicate ``r`` is ``CreditModel(cfg, replicate=r)`` run to the end, its burn-in taken from the
    seasoned-start cache when it holds it (:func:`~simulator.studies.seasoned.seasoned_model`,
    ``run.burn_in_cache``; the same numbers either way); its tables are stacked
    (each carries its ``replicate`` column) and the summary holds the metrics over replicates,
    each policy's own figures, the config and the timing.

    Args:
        cfg: the configuration (checked with :func:`~simulator.config.check_inputs` first).

    Returns:
        The combined result of all replicates.

    Raises:
        ConfigError: for a bad config, before any run.
    """
    check_inputs(cfg)
    t0 = time.perf_counter()
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in _TABLES}
    extras: list[dict] = []
    cache_hits = 0
    bar = _progress_bar(cfg)
    try:
        for r in range(cfg.run.replicates):
            model, hit = seasoned_model(cfg, r, progress=bar.update if bar is not None else None)
            cache_hits += hit
            try:
                model.run(progress=bar.update if bar is not None else None)
                rec = model.recorder
                parts["timeseries"].append(rec.timeseries())
                parts["segments"].append(rec.segments())
                parts["roll_rates"].append(rec.roll_rates())
                parts["vintages"].append(model.vintages())
                parts["causes"].append(model.causes())
                book = rec.book(model.pop)  # people who left the open pool included
                extras.append({"score_auc": score_auc(book),
                               "ranking": score_ranking(book, cfg.run.months,
                                                         first_month=cfg.policy.start_month, rows=rec.rows),
                               "policies": model.policy_summary()})
            finally:
                model.release()
    finally:
        if bar is not None:
            bar.close()
    sim_seconds = time.perf_counter() - t0
    tables = {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}
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
        "timing": {"simulation_seconds": round(sim_seconds, 3), "seasoned_starts_from_cache": cache_hits},
    }
    return RunResult(**tables, summary=summary)


def run_single(cfg: Config, out_dir: str | Path | None = None) -> RunResult:
    """The study ``single``: :func:`simulate`, then save the run directory if ``out_dir`` is given.

    Args:
        cfg: the configuration.
        out_dir: run directory; written atomically (``summary.json`` last), with charts if
            ``run.charts``.

    Returns:
        The combined result of all replicates.
    """
    result = simulate(cfg)
    if out_dir is not None:
        result.save(out_dir, charts=cfg.run.charts)
    return result
