"""Calibration: fit chosen parameters to target moments, with common random numbers.

The targets (baseline economy, average of the last 24 months) are those of
:mod:`simulator.studies.targets`, where each one's value, unit and source are recorded:

- ``dpd30_rate``: 2.5% of receivables 30+ days past due — the middle of the accepted 1.5–3.5%
  band, set from Ant Group (30+ 1.08–1.56%, end 2017–2019), JD Digits (90+ 1.65%, June 2020)
  and JD Baitiao (90+ 2.44%, H1 2017);
- ``dpd90_rate``: 1.5% of receivables 90+ days past due — about the middle of the published
  range 0.68–2.44% (Ant Group, JD Digits, JD Baitiao);
- ``freelance_gap``: freelance ÷ salaried cumulative default rate = 1.3 — an assumption (no
  published figure; "several times" more volatile income suggests a clearly higher rate).

Every evaluation uses the same seed, so the objective is a smooth-ish deterministic function of
the parameters (common random numbers); scipy's Nelder–Mead minimises the sum of squared
relative errors over the parameters scaled to [0, 1] within their bounds. :func:`to_yaml`
writes the fitted values as a scenario file (``# @package _global_``) with the targets, the
fitted moments and the fit's error in comments; the command ``bnpl-stress-calibrate``
(:mod:`simulator.apps.calibrate_cli`) saves it, to be copied into ``scenarios/`` and used with
``scenario=NAME``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simulator.config import compose
from simulator.studies.runner import run
from simulator.studies.targets import LAST_MONTHS
from simulator.studies.targets import TARGETS as _BANDS

__all__ = ["TARGETS", "DEFAULT_PARAMETERS", "moments", "fit", "to_yaml"]

#: Target → (value, what it is); from :data:`simulator.studies.targets.TARGETS`.
TARGETS: dict[str, tuple[float, str]] = {name: (t.value, t.what) for name, t in _BANDS.items()}
#: Parameter → (low, high) searched by default.
DEFAULT_PARAMETERS = {
    "population.buffer_median_months": (0.5, 4.0),
    "platform.collections_squeeze": (0.0, 0.5),
    "population.freelance_volatility": (0.1, 0.6),
}


def moments(overrides: list[str]) -> dict[str, float]:
    """The target moments of one run of ``overrides`` (baseline economy)."""
    res = run(compose(overrides))
    ts = res.timeseries
    last = ts[ts["month"] >= ts["month"].max() - (LAST_MONTHS - 1)]
    m = res.summary["metrics"]
    sal = m["cum_default_rate_salaried"]["mean"]
    return {"dpd30_rate": float(last["dpd30_rate"].mean()),
            "dpd90_rate": float(last["dpd90_rate"].mean()),
            "freelance_gap": m["cum_default_rate_freelance"]["mean"] / sal if sal else float("inf")}


def fit(params: dict[str, tuple[float, float]], base: list[str], max_evals: int = 40,
        log=print, targets: Mapping[str, tuple[float, str]] | None = None) -> dict:
    """Minimise the squared relative errors of the target moments over ``params``.

    Args:
        params: parameter (dotted config key) → (low, high) searched; the search starts at the
            middle of each range.
        base: overrides of every run (size, seed, scenario).
        max_evals: most model runs.
        log: called with one line per new evaluation (None: silent).
        targets: target → (value, what); default :data:`TARGETS`.

    Returns:
        ``parameters`` (the best point), ``error`` (its sum of squared relative errors),
        ``moments`` (its moments) and ``evaluations`` (distinct points run).
    """
    from scipy.optimize import minimize  # optional dependency (the validation extra): imported when used

    targets = TARGETS if targets is None else targets

    names = list(params)
    lo = np.array([params[n][0] for n in names])
    hi = np.array([params[n][1] for n in names])
    cache: dict[tuple, tuple[float, dict]] = {}

    def values(z):
        return lo + np.clip(z, 0.0, 1.0) * (hi - lo)

    def objective(z):
        v = values(z)
        key = tuple(np.round(v, 6))
        if key not in cache:
            got = moments([*base, *(f"{n}={x:.6g}" for n, x in zip(names, v, strict=True))])
            err = sum(((got[k] - t) / t) ** 2 for k, (t, _) in targets.items())
            cache[key] = (err, got)
            if log:
                log(f"  {len(cache):3d}  " + "  ".join(f"{n.split('.')[-1]}={x:.4g}" for n, x in
                                                      zip(names, v, strict=True))
                    + f"  error={err:.4g}")
        return cache[key][0]

    z0 = np.full(len(names), 0.5)
    res = minimize(objective, z0, method="Nelder-Mead",
                   options={"maxfev": max_evals, "xatol": 1e-3, "fatol": 1e-5, "initial_simplex":
                            np.vstack([z0] + [z0 + 0.25 * np.eye(len(names))[i] for i in range(len(names))])})
    best = values(res.x)
    err, got = cache[tuple(np.round(best, 6))] if tuple(np.round(best, 6)) in cache else (
        objective(res.x), cache[tuple(np.round(best, 6))][1])
    return {"parameters": dict(zip(names, best.tolist(), strict=True)), "error": err,
            "moments": got, "evaluations": len(cache)}


def to_yaml(result: dict, base: list[str]) -> str:
    """The fitted parameters as a scenario file, with targets and fit in comments."""
    lines = ["# @package _global_",
             "# Calibrated by bnpl-stress-calibrate (common random numbers, Nelder-Mead).",
             f"# Base overrides: {' '.join(base)}",
             f"# Fit: sum of squared relative errors = {result['error']:.4g} after "
             f"{result['evaluations']} evaluations.",
             "# Targets (value -> fitted):"]
    for k, (t, what) in TARGETS.items():
        lines.append(f"#   {k}: {t:g} -> {result['moments'][k]:.4g}  ({what})")
    groups: dict[str, dict[str, float]] = {}
    for name, v in result["parameters"].items():
        g, key = name.split(".", 1)
        groups.setdefault(g, {})[key] = v
    for g, kv in groups.items():
        lines.append(f"{g}:")
        lines += [f"  {k}: {v:.6g}  # fitted by bnpl-stress-calibrate (see the targets above)"
                  for k, v in kv.items()]
    return "\n".join(lines) + "\n"
