"""``bnpl-stress-calibrate``: fit chosen parameters to target moments, with common random numbers.

The fit is :func:`simulator.studies.calibration.fit` (targets, values and sources in
:mod:`simulator.studies.targets`). The command writes the fitted values as a scenario file
(``--out``, default ``calibrated.yaml``) with the targets, the fitted moments and the fit's
error in comments; copy it into ``scenarios/`` and use ``scenario=NAME``. A bad ``--param`` or
override stops before any run with one line and exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.apps.errors import check_out_file, fail, guarded
from simulator.config import compose
from simulator.outputs.io import write_text
from simulator.studies.calibration import DEFAULT_PARAMETERS, fit, to_yaml

__all__ = ["main"]

PROG = "bnpl-stress-calibrate"


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
            fail(PROG, f"--param={spec!r}: allowed: NAME=LOW:HIGH with LOW < HIGH")
        params[name] = (lo, hi)
    params = params or DEFAULT_PARAMETERS
    if a.max_evals < 1:
        fail(PROG, f"--max-evals={a.max_evals}: allowed: >= 1")
    check_out_file(PROG, "--out", a.out)  # before the fit, not after it
    base = [f"run.n_borrowers={a.n_borrowers}", f"run.replicates={a.replicates}",
            f"run.seed={a.seed}", "run.charts=false", "run.progress=off", *a.overrides]
    try:
        compose([*base, *(f"{n}={(lo + hi) / 2:.6g}" for n, (lo, hi) in params.items())])
    except ValueError as exc:  # ConfigError: a bad name or range, before any work
        fail(PROG, str(exc))
    with guarded(PROG, interrupted="interrupted; no calibration written"):
        result = fit(params, base, a.max_evals)
        write_text(a.out, to_yaml(result, base))
    print(f"bnpl-stress-calibrate: {a.out}  error={result['error']:.4g}  " + "  ".join(
        f"{k}={v:.4g}" for k, v in result["parameters"].items()))


if __name__ == "__main__":  # pragma: no cover
    main()
