"""``bnpl-stress-calibrate``: fit chosen parameters to target moments, with common random numbers.

Targets (baseline economy, average of the last 24 months):

- ``dpd30_rate``: 2.5% of receivables 30+ days past due — middle of the 1.5–3.5% band set from
  Ant Group (30+ 1.08–1.56%, end 2017–2019), JD Digits (90+ 1.65%, June 2020) and Baitiao
  (90+ 2.44%, H1 2017) in shared/FACTS.md;
- ``dpd90_rate``: 1.5% of receivables 90+ days past due — middle of the Ant/JD/Baitiao range
  0.68–2.44%;
- ``freelance_gap``: freelance ÷ salaried cumulative default rate = 1.3 — an assumption (FACTS.md
  has no published figure; "several times" more volatile income suggests a clearly higher rate).

Every evaluation uses the same seed, so the objective is a smooth-ish deterministic function of
the parameters (common random numbers); scipy's Nelder–Mead minimises the sum of squared
relative errors over the parameters scaled to [0, 1] within their bounds. The fitted values are
written as a scenario file (``# @package _global_``) with the targets, the fitted moments and the
fit's error in comments; copy it into ``scenarios/`` and use ``scenario=NAME``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from simulator.config import compose
from simulator.studies.runner import run

__all__ = ["TARGETS", "DEFAULT_PARAMETERS", "moments", "fit", "main"]

#: Target → (value, what it is).
TARGETS = {
    "dpd30_rate": (0.025, "share of receivables 30+ days past due (band 1.5-3.5%; Ant, JD, Baitiao)"),
    "dpd90_rate": (0.015, "share of receivables 90+ days past due (0.68-2.44%; Ant, JD, Baitiao)"),
    "freelance_gap": (1.3, "freelance / salaried cumulative default rate (assumption)"),
}
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
    last = ts[ts["month"] >= ts["month"].max() - 23]
    m = res.summary["metrics"]
    sal = m["cum_default_rate_salaried"]["mean"]
    return {"dpd30_rate": float(last["dpd30_rate"].mean()),
            "dpd90_rate": float(last["dpd90_rate"].mean()),
            "freelance_gap": m["cum_default_rate_freelance"]["mean"] / sal if sal else float("inf")}


def fit(params: dict[str, tuple[float, float]], base: list[str], max_evals: int = 40,
        log=print) -> dict:
    """Minimise the squared relative errors of the target moments over ``params``."""
    from scipy.optimize import minimize

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
            err = sum(((got[k] - t) / t) ** 2 for k, (t, _) in TARGETS.items())
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


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``bnpl-stress-calibrate``."""
    p = argparse.ArgumentParser(prog="bnpl-stress-calibrate", description=__doc__.splitlines()[0])
    p.add_argument("--param", action="append", default=[],
                   help="NAME=LOW:HIGH to fit (repeatable); default: " + ", ".join(DEFAULT_PARAMETERS))
    p.add_argument("--n-borrowers", type=int, default=20_000)
    p.add_argument("--replicates", type=int, default=2)
    p.add_argument("--max-evals", type=int, default=40)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", type=Path, default=Path("calibrated.yaml"))
    p.add_argument("overrides", nargs="*", help="extra Hydra-style overrides of the base scenario")
    a = p.parse_args(argv)
    params = {}
    for spec in a.param:
        try:
            name, rng = spec.split("=", 1)
            lo, hi = (float(x) for x in rng.split(":"))
            if not lo < hi:
                raise ValueError
        except ValueError:
            print(f"bnpl-stress-calibrate: error: --param={spec!r}: allowed: NAME=LOW:HIGH with LOW < HIGH",
                  file=sys.stderr)
            sys.exit(2)
        params[name] = (lo, hi)
    params = params or DEFAULT_PARAMETERS
    base = [f"run.n_borrowers={a.n_borrowers}", f"run.replicates={a.replicates}",
            f"run.seed={a.seed}", "run.charts=false", "run.progress=off", *a.overrides]
    try:
        compose([*base, *(f"{n}={(lo + hi) / 2:.6g}" for n, (lo, hi) in params.items())])
    except ValueError as exc:  # ConfigError: a bad name or range, before any work
        print(f"bnpl-stress-calibrate: error: {exc}", file=sys.stderr)
        sys.exit(2)
    result = fit(params, base, a.max_evals)
    a.out.write_text(to_yaml(result, base))
    print(f"bnpl-stress-calibrate: {a.out}  error={result['error']:.4g}  " + "  ".join(
        f"{k}={v:.4g}" for k, v in result["parameters"].items()))


if __name__ == "__main__":  # pragma: no cover
    main()
