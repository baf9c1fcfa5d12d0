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
import dataclasses
from pathlib import Path

from simulator.apps.errors import check_out_dir, fail, guarded
from simulator.config import ConfigError, RunConfig, check_ranges
from simulator.outputs.io import write_parquet
from simulator.studies.sensitivity import OUTPUTS, analyse, plot_sensitivity

__all__ = ["main"]

PROG = "bnpl-stress-sensitivity"


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
    if a.trajectories < 2:
        fail(PROG, f"--trajectories={a.trajectories}: allowed: >= 2")
    # the same bounds as the config keys they set (run.n_borrowers, run.months, run.seed)
    for opt, key, value in (("--n-borrowers", "n_borrowers", a.n_borrowers), ("--months", "months", a.months),
                            ("--seed", "seed", a.seed)):
        try:
            check_ranges(dataclasses.replace(RunConfig(), **{key: value}), "run")
        except ConfigError as exc:
            fail(PROG, f"{opt}={value}: " + str(exc).split(": ", 1)[1])
    check_out_dir(PROG, "--out", a.out)  # before any run
    with guarded(PROG, interrupted="interrupted; no sensitivity table written"):
        df = analyse(a.method, a.trajectories, a.n_borrowers, a.months, a.seed)
        a.out.mkdir(parents=True, exist_ok=True)
        write_parquet(a.out / "sensitivity.parquet", df)
        plot_sensitivity(df, a.out / "sensitivity.png")
    key = "mu_star" if a.method == "morris" else "ST"
    for out in OUTPUTS:
        top = df[(df["output"] == out) & (df["index"] == key)].sort_values("value", ascending=False)
        print(f"{out}: " + ", ".join(f"{r.parameter} {r.value:.4f}" for r in top.itertuples()))
    print(f"bnpl-stress-sensitivity: {a.out}/sensitivity.parquet, {a.out}/sensitivity.png")


if __name__ == "__main__":  # pragma: no cover
    main()
