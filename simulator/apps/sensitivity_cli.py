"""``bnpl-stress-sensitivity``: global sensitivity of the default and loss rates (SALib).

Morris elementary effects (default) or Sobol indices of the cumulative default rate and the loss
rate over the main parameters, around a severe-recession scenario (the design and the analysis
are :func:`simulator.studies.sensitivity.analyse`). Writes ``sensitivity.parquet`` (parameter,
output, index, value) and ``sensitivity.png`` (the parameters ranked by their effect on each
output) into ``--out``.

Small sample (CI): ``bnpl-stress-sensitivity --trajectories 4 --n-borrowers 3000``;
documented larger one: ``bnpl-stress-sensitivity --trajectories 20 --n-borrowers 50000``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.studies.sensitivity import OUTPUTS, analyse, plot_sensitivity

__all__ = ["main"]


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
