"""``bnpl-stress-calibrate``: fit chosen parameters to target moments, with common random numbers.

The fit is :func:`simulator.studies.calibration.fit` (targets, values and sources in
:mod:`simulator.studies.targets`). The command writes the fitted values as a scenario file
(``--out``, default ``calibrated.yaml``) with the targets, the fitted moments and the fit's
error in comments; copy it into ``scenarios/`` and use ``scenario=NAME``. A bad ``--param`` or
override stops before any run with one line and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.config import compose
from simulator.studies.calibration import DEFAULT_PARAMETERS, fit, to_yaml

__all__ = ["main"]


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
