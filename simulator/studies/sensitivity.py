"""``bnpl-stress-sensitivity``: global sensitivity of the default and loss rates (SALib).

Morris elementary effects (default) or Sobol indices of the cumulative default rate and the loss
rate over the main parameters — income mix, shock hazards, impulse, line multiplier, score
accuracy, downturn severity — each varied over a stated range around a severe-recession scenario.
All runs share the seed (common random numbers), so differences come from the parameters.
Writes ``sensitivity.parquet`` (parameter, output, index, value) and ``sensitivity.png`` (the
parameters ranked by their effect on each output).

Small sample (CI): ``bnpl-stress-sensitivity --trajectories 4 --n-borrowers 3000``;
documented larger one: ``bnpl-stress-sensitivity --trajectories 20 --n-borrowers 50000``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.config import compose
from simulator.studies.runner import run

__all__ = ["PARAMETERS", "OUTPUTS", "analyse", "plot_sensitivity", "main"]

#: Parameter → (low, high, what it is). Ranges are assumptions bracketing the defaults.
PARAMETERS: dict[str, tuple[float, float, str]] = {
    "population.freelance_share": (0.1, 0.6, "share of freelance borrowers"),
    "population.job_loss_hazard": (0.006, 0.024, "job-loss hazard, per month"),
    "population.impulse_mean": (0.02, 0.12, "impulse propensity, share of income"),
    "platform.line_multiplier": (0.3, 1.5, "line multiplier, months of income"),
    "platform.score_noise_established": (0.1, 1.0, "score noise (lower = more accurate)"),
    "economy.unemployment_peak_delta": (0.0, 0.08, "downturn severity: unemployment rise"),
}
#: Outputs analysed: summary metric → label.
OUTPUTS = {"cum_default_rate": "cumulative default rate", "loss_rate": "loss rate"}


def _evaluate(x: np.ndarray, base: list[str]) -> dict[str, float]:
    overrides = [*base, *(f"{name}={value:.6g}" for name, value in zip(PARAMETERS, x, strict=True))]
    m = run(compose(overrides)).summary["metrics"]
    return {k: m[k]["mean"] for k in OUTPUTS}


def analyse(method: str = "morris", trajectories: int = 10, n_borrowers: int = 10_000,
            months: int = 48, seed: int = 42, log=print) -> pd.DataFrame:
    """Run the design and return the tidy table of sensitivity indices."""
    problem = {"num_vars": len(PARAMETERS), "names": list(PARAMETERS),
               "bounds": [[lo, hi] for lo, hi, _ in PARAMETERS.values()]}
    base = ["economy=severe_recession", f"run.n_borrowers={n_borrowers}", f"run.months={months}",
            "run.replicates=1", f"run.seed={seed}", "run.charts=false", "run.progress=off"]
    if method == "morris":
        from SALib.analyze import morris as analyzer
        from SALib.sample import morris as sampler

        X = sampler.sample(problem, trajectories, num_levels=4, seed=seed)
    elif method == "sobol":
        from SALib.analyze import sobol as analyzer
        from SALib.sample import sobol as sampler

        X = sampler.sample(problem, trajectories, calc_second_order=False, seed=seed)
    else:
        raise ValueError(f"method={method!r}: allowed: morris, sobol")
    t = time.perf_counter()
    Y = {k: np.empty(len(X)) for k in OUTPUTS}
    for i, x in enumerate(X):
        out = _evaluate(x, base)
        for k in OUTPUTS:
            Y[k][i] = out[k]
        if log and (i + 1) % 10 == 0:
            log(f"  {i + 1}/{len(X)} runs, {time.perf_counter() - t:.0f} s")
    rows = []
    for k in OUTPUTS:
        if method == "morris":
            res = analyzer.analyze(problem, X, Y[k], num_levels=4, seed=seed)
            keys = ("mu_star", "mu_star_conf", "sigma")
        else:
            res = analyzer.analyze(problem, Y[k], calc_second_order=False, seed=seed)
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        for j, name in enumerate(PARAMETERS):
            for key in keys:
                rows.append({"parameter": name, "output": k, "index": key,
                             "value": float(res[key][j]), "method": method, "runs": len(X)})
    return pd.DataFrame(rows)


def plot_sensitivity(df: pd.DataFrame, path: Path) -> Path:
    """Bar chart per output: parameters ranked by Morris μ* (or Sobol total index)."""
    from matplotlib.figure import Figure

    key = "mu_star" if (df["index"] == "mu_star").any() else "ST"
    fig = Figure(figsize=(9, 5), dpi=120, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(OUTPUTS), sharey=True))
    first = next(iter(OUTPUTS))
    order = (df[(df["output"] == first) & (df["index"] == key)].sort_values("value")["parameter"]
             .tolist())
    names = [PARAMETERS[p][2] for p in order]
    scale = 100.0 if key == "mu_star" else 1.0
    for ax, (out, label) in zip(axes, OUTPUTS.items(), strict=True):
        d = df[(df["output"] == out) & (df["index"] == key)].set_index("parameter").loc[order]
        conf = df[(df["output"] == out) & (df["index"] == f"{key}_conf")].set_index("parameter").loc[order]
        ax.barh(names, d["value"] * scale, color="#1f4e79", xerr=conf["value"].to_numpy() * scale,
                ecolor="0.4")
        ax.set_title(label.capitalize(), fontsize=11)
        ax.set_xlabel("μ*, percentage points" if key == "mu_star" else "Sobol total index", fontsize=10)
        ax.tick_params(labelsize=10)
        ax.grid(True, axis="x", alpha=0.3)
    what = ("Morris μ*: average size of the change when the parameter moves one step across its "
            "range; whiskers: 95% confidence" if key == "mu_star" else
            "Sobol total-effect index: share of the output's variance due to the parameter")
    fig.suptitle("Which parameters move defaults and losses most (severe recession)\n" + what,
                 fontsize=11)
    fig.savefig(path, dpi=120)
    return Path(path)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``bnpl-stress-sensitivity``."""
    p = argparse.ArgumentParser(prog="bnpl-stress-sensitivity", description=__doc__.splitlines()[0])
    p.add_argument("--method", choices=("morris", "sobol"), default="morris")
    p.add_argument("--trajectories", type=int, default=10,
                   help="Morris trajectories, or Sobol base sample size (a power of 2)")
    p.add_argument("--n-borrowers", type=int, default=10_000)
    p.add_argument("--months", type=int, default=48)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", type=Path, default=Path("sensitivity"))
    a = p.parse_args(argv)
    if a.trajectories < 2 or a.n_borrowers < 1 or a.months < 1:
        print(f"bnpl-stress-sensitivity: error: --trajectories={a.trajectories} --n-borrowers="
              f"{a.n_borrowers} --months={a.months}: allowed: trajectories >= 2, others >= 1",
              file=sys.stderr)
        sys.exit(2)
    df = analyse(a.method, a.trajectories, a.n_borrowers, a.months, a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(a.out / "sensitivity.parquet", index=False)
    plot_sensitivity(df, a.out / "sensitivity.png")
    key = "mu_star" if a.method == "morris" else "ST"
    for out in OUTPUTS:
        top = df[(df["output"] == out) & (df["index"] == key)].sort_values("value", ascending=False)
        print(f"{out}: " + ", ".join(f"{r.parameter} {r.value:.4f}" for r in top.itertuples()))
    print(f"bnpl-stress-sensitivity: {a.out}/sensitivity.parquet, {a.out}/sensitivity.png")


if __name__ == "__main__":  # pragma: no cover
    main()
