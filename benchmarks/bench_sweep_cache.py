"""The seasoned-start cache in a real sweep: ``scenario=policy_matrix`` with and without it
(prints a table; not a test).

Runs ``python -m simulator.apps.cli -m scenario=policy_matrix`` (the ``bnpl-stress`` script's code,
on the tree of ``PYTHONPATH``) twice in fresh processes, into a temporary folder: once with
``run.burn_in_cache=false`` (every run simulates its own burn-in) and once with the cache on, in a
new, empty cache folder (``run.cache_dir``), so the cached sweep pays for simulating each seasoned
start once. Issue 12's target: the cached sweep takes at most half the time of the uncached one.
Wall and CPU seconds (user + system of the child) side by side: on a shared machine the wall time
also measures the other users.

    python benchmarks/bench_sweep_cache.py                                   # the whole scenario (48 runs)
    python benchmarks/bench_sweep_cache.py --economies baseline,severe_recession --policies none,hardship
"""

from __future__ import annotations

import argparse
import os
import tempfile

from bench_runs import cli, timed

from simulator.config import compose

TARGET_RATIO = 0.5  # cached / uncached wall time of the policy_matrix sweep


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--economies", default="", help="comma-separated economies (default: the scenario's six)")
    p.add_argument("--policies", default="", help="comma-separated policies (default: the scenario's eight)")
    p.add_argument("--borrowers", type=int, default=0, help="borrowers per run (default: the scenario's)")
    p.add_argument("--replicates", type=int, default=0, help="replicates per run (default: the scenario's)")
    args = p.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="bnpl-bench-cache-")
    extra = ["run.progress=off"]
    if args.economies:
        extra.append(f"economy={args.economies}")
    if args.policies:
        extra.append(f"policy={args.policies}")
    if args.borrowers:
        extra.append(f"run.n_borrowers={args.borrowers}")
    if args.replicates:
        extra.append(f"run.replicates={args.replicates}")

    # warm the numba cache of this tree (compiling is not part of either sweep)
    timed(cli("run.n_borrowers=1000", "run.months=1", "run.replicates=1", "run.charts=false",
              f"hydra.run.dir={tmp}/warm"))
    off = timed(cli("-m", "scenario=policy_matrix", *extra, "run.burn_in_cache=false",
                    f"hydra.sweep.dir={tmp}/uncached"))
    on = timed(cli("-m", "scenario=policy_matrix", *extra, "run.burn_in_cache=true",
                   f"run.cache_dir={tmp}/cache", f"hydra.sweep.dir={tmp}/cached"))

    print()
    print(f"bnpl-stress -m scenario=policy_matrix {' '.join(extra)}  (PYTHONPATH="
          f"{os.environ.get('PYTHONPATH', '(installed package)')}; os.cpu_count()={os.cpu_count()}; "
          f"load average now {os.getloadavg()[0]:.1f})")
    print(f"{'sweep':<40} {'wall s':>8} {'CPU s':>8}")
    print(f"{'run.burn_in_cache=false':<40} {off[0]:>8.1f} {off[1]:>8.1f}")
    print(f"{'run.burn_in_cache=true (empty cache)':<40} {on[0]:>8.1f} {on[1]:>8.1f}")
    ratio_wall, ratio_cpu = on[0] / off[0], on[1] / off[1]
    print(f"cached / uncached: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x CPU  "
          f"(target <= {TARGET_RATIO:g}x: {'PASS' if ratio_wall <= TARGET_RATIO else 'FAIL'} on wall time)")
    # what the cache can save at most: every run still simulates its reported months, so with no
    # per-run cost at all and burn-in months as dear as reported ones the ratio is months ÷ (months + burn-in)
    run = compose(["scenario=policy_matrix", *(o for o in extra if o.startswith("run."))]).run
    print(f"bound with zero per-run overhead: {run.months} / ({run.months} + {run.burn_in}) = "
          f"{run.months / (run.months + run.burn_in):.2f}x (each run still simulates its {run.months} reported months)")


if __name__ == "__main__":
    main()
