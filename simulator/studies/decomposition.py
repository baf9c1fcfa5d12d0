"""Counterfactual cause decomposition of the default rate (causes C1–C5, see ``simulator.core.state``).

How much of the default rate does each cause of repayment failure explain? The scenario is
rerun with causes *switched off* by config changes only (:data:`CAUSE_SWITCHES`). Every run
uses the same ``run.seed``, and the random numbers are drawn per named stream and per block of
borrowers, so the only difference between two runs is the switch (common random numbers).

The outcome is ``cum_default_rate`` (defaults from month 0 to the end ÷ accounts open and
performing at month 0 plus those opened since),
averaged over replicates. Write ``f(T)`` for it with the causes in ``T`` switched off; the
*factual* rate is ``f(∅)`` and the *all-off* rate ``f({C1..C5})``. What the causes explain
together is ``factual − all_off``; it is split among them in one of two ways:

* ``"shapley"`` (default): all 2⁵ = 32 subsets are run. The value of a set ``S`` of causes left
  on is ``v(S) = f(N∖S) − f(N)``; each cause's contribution is its Shapley value, the average of
  its marginal effect ``v(S ∪ {i}) − v(S)`` over the orders in which causes could be switched on.
  The five contributions add up exactly to ``factual − all_off``; interactions between causes
  are shared out among the causes involved.
* ``"one_at_a_time"``: 7 runs (factual, each cause off alone, all off). A cause's contribution is
  ``factual − f({i})``; what the five do not add up to is reported on its own row,
  ``interaction = (factual − all_off) − Σ contributions``.

Contributions are in default-rate *points* (percentage points: fraction × 100). A contribution
can be negative: switching a cause off can raise defaults elsewhere (e.g. smaller lines leave
less room to borrow through a shortfall, or more accounts are opened).

The default rate left with all five causes off (``baseline_remainder``) is what the model
produces without any of the five mechanisms: repayment failures of borrowers whose stable income
is simply too small for what they buy as planned.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd

from simulator.config import Config, check_inputs
from simulator.core.economy import base_economy
from simulator.core.state import CAUSE_LABELS
from simulator.outputs import charts as plots
from simulator.outputs.io import staged_dir
from simulator.outputs.results import RunResult
from simulator.studies.replicates import simulate

__all__ = [
    "CAUSES",
    "CAUSE_SWITCHES",
    "DEFAULT_METHOD",
    "METHODS",
    "METRIC",
    "DECOMPOSITION_FILE",
    "CHART_FILE",
    "switch_off",
    "fields_changed",
    "decompose",
    "run_decomposition",
]

log = logging.getLogger(__name__)

#: The causes of repayment failure C1–C5 (labels in ``simulator.core.state.CAUSE_LABELS``; source in docs/SOURCES.md).
CAUSES: tuple[str, ...] = ("C1", "C2", "C3", "C4", "C5")
#: Decomposition methods.
METHODS: tuple[str, ...] = ("shapley", "one_at_a_time")
#: Method used by :func:`run_decomposition` (the study ``run.study=cause_decomposition``).
DEFAULT_METHOD = "shapley"
#: Summary metric that is decomposed (mean over replicates).
METRIC = "cum_default_rate"
#: Output file of the decomposition table in a run directory.
DECOMPOSITION_FILE = "cause_decomposition.parquet"
#: Chart of the decomposition, inside the run directory's ``charts/``.
CHART_FILE = "cause_decomposition.png"

INTERACTION = "interaction"
REMAINDER = "baseline_remainder"
_ROW_LABELS = {INTERACTION: "Interaction between causes", REMAINDER: "Left with all five causes off"}


# --------------------------------------------------------------------------- the switches


def _no_personal_trouble(cfg: Config) -> Config:
    """C1 off: no life shocks (job loss, loss of freelance work, illness, family events), no income volatility."""
    return replace(cfg, population=replace(
        cfg.population, job_loss_hazard=0.0, freelance_loss_hazard=0.0, illness_hazard=0.0,
        family_event_hazard=0.0, salaried_volatility=0.0, freelance_volatility=0.0))


def _no_over_granting(cfg: Config) -> Config:
    """C2 off: every line capped at ``platform.affordable_line_months`` of free income."""
    return replace(cfg, platform=replace(cfg.platform, cap_lines_at_affordable=True))


def _no_weak_review(cfg: Config) -> Config:
    """C3 off: thin-file applicants scored as accurately, and against the same cutoff, as known ones
    (their bureau record as informative as an established file's, and the generic score before the
    fit as precise).
    """
    return replace(cfg, platform=replace(
        cfg.platform, score_noise_thin=cfg.platform.score_noise_established, thin_file_cutoff_offset=0.0),
        population=replace(cfg.population, bureau_signal_noise_thin=cfg.population.bureau_signal_noise))


def _no_impulse(cfg: Config) -> Config:
    """C4 off: no impulse purchases (``population.impulse_purchases=false``). The propensities are
    kept, so the lender, which scores them, approves the same applicants at the same lines: the
    switch removes the purchases, not the lender's view of who buys on impulse (setting
    ``impulse_mean=0`` instead would raise every applicant's score).
    """
    return replace(cfg, population=replace(cfg.population, impulse_purchases=False))


def _no_downturn(cfg: Config) -> Config:
    """C5 off: the economy held at its base levels (no episode, no macro path file;
    :func:`simulator.core.economy.base_economy`).
    """
    return replace(cfg, economy=base_economy(cfg.economy))


#: Cause → function returning a copy of a config with that cause switched off (the one home of
#: the switches). Each changes only the fields named in its docstring.
CAUSE_SWITCHES: dict[str, Callable[[Config], Config]] = {
    "C1": _no_personal_trouble,
    "C2": _no_over_granting,
    "C3": _no_weak_review,
    "C4": _no_impulse,
    "C5": _no_downturn,
}


def switch_off(cfg: Config, causes: Iterable[str]) -> Config:
    """Return a copy of ``cfg`` with ``causes`` (e.g. ``("C1", "C4")``) switched off.

    The copy is a plain single run without charts or progress bar (``run.study="single"``,
    ``run.charts=False``, ``run.progress="off"``); none of these changes the numbers.

    Raises:
        ValueError: for a cause that is not one of C1..C5.
    """
    out = replace(cfg, run=replace(cfg.run, study="single", charts=False, progress="off"))
    for c in causes:
        if c not in CAUSE_SWITCHES:
            raise ValueError(f"cause={c!r}: allowed: one of {', '.join(CAUSE_SWITCHES)}")
        out = CAUSE_SWITCHES[c](out)
    return out


# --------------------------------------------------------------------------- decomposition


def _subsets(method: str) -> list[frozenset[str]]:
    """The sets of switched-off causes a method needs, factual (empty set) first."""
    if method == "shapley":
        return [frozenset(s) for k in range(len(CAUSES) + 1) for s in itertools.combinations(CAUSES, k)]
    return [frozenset(), *(frozenset([c]) for c in CAUSES), frozenset(CAUSES)]


def _mean(result: RunResult, metric: str) -> float:
    return float(result.summary["metrics"][metric]["mean"])


def _shapley(points: dict[frozenset[str], float]) -> dict[str, float]:
    """Shapley value of each cause for the game v(S on) = f(N∖S off) − f(N off), in points."""
    n = len(CAUSES)
    full = frozenset(CAUSES)
    out: dict[str, float] = {}
    for c in CAUSES:
        others = [x for x in CAUSES if x != c]
        total = 0.0
        for k in range(n):
            weight = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for on in itertools.combinations(others, k):
                on_set = frozenset(on)
                # switching c on, given the causes in on_set are on: f(off without c) − f(off with c)
                total += weight * (points[full - on_set - {c}] - points[full - on_set])
        out[c] = total
    return out


def _table(method: str, points: dict[frozenset[str], float]) -> pd.DataFrame:
    """The decomposition table from the default rate (points) of each run."""
    factual = points[frozenset()]
    all_off = points[frozenset(CAUSES)]
    explained = factual - all_off
    if method == "shapley":
        contrib = _shapley(points)  # adds up to factual − all_off (up to float rounding, ~1e-14 points)
        rows = [(c, CAUSE_LABELS[c], contrib[c]) for c in CAUSES]
    else:
        contrib = {c: factual - points[frozenset([c])] for c in CAUSES}
        rows = [(c, CAUSE_LABELS[c], contrib[c]) for c in CAUSES]
        rows.append((INTERACTION, _ROW_LABELS[INTERACTION], explained - math.fsum(contrib.values())))
    df = pd.DataFrame(rows, columns=["cause", "label", "contribution"])
    df["share"] = df["contribution"] / explained if explained != 0 else float("nan")
    remainder = pd.DataFrame([{"cause": REMAINDER, "label": _ROW_LABELS[REMAINDER], "contribution": all_off,
                               "share": float("nan")}])
    df = pd.concat([df, remainder], ignore_index=True)
    df["method"] = method
    df["metric"] = METRIC
    df["factual"] = factual
    df["all_off"] = all_off
    return df


def _runs_table(results: dict[frozenset[str], RunResult]) -> pd.DataFrame:
    """One row per run: which causes were off, mean cum_default_rate and loss_rate (fractions)."""
    rows = []
    for off, res in results.items():
        row: dict[str, object] = {"causes_off": "+".join(c for c in CAUSES if c in off) or "none"}
        row.update({f"{c}_off": c in off for c in CAUSES})
        row["n_off"] = len(off)
        row["cum_default_rate"] = _mean(res, "cum_default_rate")
        row["loss_rate"] = _mean(res, "loss_rate")
        rows.append(row)
    return pd.DataFrame(rows)


def _decompose(cfg: Config, method: str, factual: RunResult | None = None) -> pd.DataFrame:
    if method not in METHODS:
        raise ValueError(f"method={method!r}: allowed: one of {', '.join(METHODS)}")
    check_inputs(cfg)
    results: dict[frozenset[str], RunResult] = {}
    subsets = _subsets(method)
    for i, off in enumerate(subsets, 1):
        if not off and factual is not None:
            results[off] = factual
            continue
        t0 = time.perf_counter()
        results[off] = simulate(switch_off(cfg, sorted(off)))
        log.info("cause decomposition: run %d/%d (off: %s) %s=%.5f in %.1f s", i, len(subsets),
                 "+".join(sorted(off)) or "none", METRIC, _mean(results[off], METRIC), time.perf_counter() - t0)
    points = {off: 100.0 * _mean(res, METRIC) for off, res in results.items()}
    df = _table(method, points)
    df.attrs["runs"] = _runs_table(results)
    return df


def decompose(cfg: Config, method: str = "shapley") -> pd.DataFrame:
    """Split the default rate of ``cfg`` among the causes C1–C5 by counterfactual runs.

    Each run is :func:`simulator.studies.replicates.simulate` of a copy of ``cfg`` (see
    :func:`switch_off`), with the same seed and replicates, so all differences come from the switches.

    Args:
        cfg: the factual scenario.
        method: ``"shapley"`` (32 runs; contributions add up to factual − all_off) or
            ``"one_at_a_time"`` (7 runs; plus an ``interaction`` row).

    Returns:
        One row per cause (``C1``..``C5``), then ``interaction`` (one_at_a_time only), then
        ``baseline_remainder``, with columns ``cause``, ``label``, ``contribution`` (default-rate
        points, i.e. percentage points of ``cum_default_rate``; for ``baseline_remainder`` the
        rate itself with all five causes off), ``share`` (contribution ÷ (factual − all_off);
        NaN for ``baseline_remainder`` or when nothing is explained), ``method``, ``metric``,
        ``factual`` and ``all_off`` (points). ``df.attrs["runs"]`` holds one row per run:
        ``causes_off``, ``C1_off``..``C5_off``, ``n_off``, mean ``cum_default_rate`` and
        ``loss_rate`` (fractions).

    Raises:
        ValueError: for an unknown method.
        ConfigError: for a bad config (before any run).
    """
    return _decompose(cfg, method)


# --------------------------------------------------------------------------- the study


def run_decomposition(cfg: Config, out_dir: str | Path | None = None, method: str = DEFAULT_METHOD) -> RunResult:
    """Run the scenario with its normal outputs, plus its cause decomposition (``run.study=cause_decomposition``).

    The factual run doubles as the first run of the decomposition. With ``out_dir`` the run
    directory gets the normal tables and charts plus ``cause_decomposition.parquet`` (the table of
    :func:`decompose`) and ``charts/cause_decomposition.png``; ``summary.json`` is written last.

    Args:
        cfg: the scenario (any ``run.study``; the runs themselves are single runs).
        out_dir: run directory, or None to keep everything in memory.
        method: ``"shapley"`` or ``"one_at_a_time"``.

    Returns:
        The factual run's result; ``summary["cause_decomposition"]`` maps each row's cause to its
        contribution (points; ``baseline_remainder`` is the all-off rate), and
        ``summary["cause_decomposition_method"]`` names the method. The whole table of
        :func:`decompose` (with its ``attrs["runs"]``) is attached as ``result.decomposition``.
    """
    check_inputs(cfg)
    t0 = time.perf_counter()
    single = replace(cfg, run=replace(cfg.run, study="single"))
    result = simulate(single)
    df = _decompose(cfg, method, factual=result)
    summary = result.summary
    summary["config"] = asdict(cfg)  # the config asked for (run.skip_existing compares it)
    summary["cause_decomposition"] = {str(c): float(v) for c, v in zip(df["cause"], df["contribution"], strict=True)}
    summary["cause_decomposition_method"] = method
    summary["timing"]["decomposition_seconds"] = round(time.perf_counter() - t0, 3)
    result.decomposition = df  # type: ignore[attr-defined]
    if out_dir is not None:
        _save(result, df, Path(out_dir), charts=cfg.run.charts)
    return result


def _save(result: RunResult, df: pd.DataFrame, out: Path, charts: bool) -> None:
    """Write the decomposition and (if asked) all charts, then the run's tables, summary.json last."""
    with staged_dir(out, prefix=".incomplete-decomposition-") as tmp:
        table = df.copy()
        table.attrs = {}  # attrs hold a DataFrame, which parquet metadata cannot store
        table.to_parquet(tmp / DECOMPOSITION_FILE, index=False)
        if charts:
            # RunResult.save replaces the whole charts/ folder when it writes charts, so all the
            # charts are written here and save() is called with charts=False.
            plots.write_charts(result.timeseries, result.segments, result.vintages, result.causes, tmp / "charts")
            plots.plot_cause_decomposition(df, tmp / "charts" / CHART_FILE)
    result.save(out, charts=False)


def fields_changed(a: Config, b: Config) -> set[str]:
    """Dotted names (``group.field``) of the fields that differ between two configs."""
    out: set[str] = set()
    for group in dataclasses.fields(a):
        ga, gb = getattr(a, group.name), getattr(b, group.name)
        for f in dataclasses.fields(ga):
            if getattr(ga, f.name) != getattr(gb, f.name):
                out.add(f"{group.name}.{f.name}")
    return out
