"""End-to-end figures of the ``bnpl-stress`` command (prints a table; not a test).

Each figure is measured on the real command (``python -m simulator.apps.cli``, the code of the
``bnpl-stress`` script, importing the tree on ``PYTHONPATH``) in a fresh process, into a
temporary folder:

- ``start-up``: ``python -c "import simulator.apps.cli"`` — what every command pays before work;
- ``1M x 60 end to end``: one replicate of 1,000,000 borrowers, 60 reported months after the
  default config's seasoned start (``run.burn_in``, simulated: ``run.burn_in_cache=false``),
  outputs written; once with charts (the default) and once without;
- ``extra run in a sweep``: a sweep of ``--sweep-runs`` jobs (``run.seed=1..N``, tiny runs of
  ``--sweep-borrowers`` borrowers, charts off) minus a sweep of one job, divided by N - 1: what
  each further run adds (Hydra's job set-up, composing its config, building the model, the tiny
  simulation, metrics and outputs); once with each run simulating its seasoned start
  (``run.burn_in_cache=false``) and once with each run finding it in a cache (a fresh
  ``run.cache_dir`` filled by a first pass of the same sweep).

Wall time is what a user waits; CPU time (user + system of the child) is printed beside it
because on a shared machine the wall time also measures the other users. Best of ``--repeat``.

    python benchmarks/bench_runs.py
    python benchmarks/bench_runs.py --skip-big          # start-up and sweep overhead only
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

TARGET_END_TO_END = 15.0  # s, 1M borrowers x 60 months, seasoned start included
TARGET_EXTRA_RUN = 0.5  # s per extra run in a sweep, charts off


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one command; raises on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(cmd_fn, repeat: int) -> tuple[float, float]:
    runs = [timed(cmd_fn()) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "simulator.apps.cli", *args]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--borrowers", type=int, default=1_000_000)
    p.add_argument("--months", type=int, default=60)
    p.add_argument("--sweep-runs", type=int, default=9)
    p.add_argument("--sweep-borrowers", type=int, default=1_000)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--skip-big", action="store_true", help="skip the 1M-borrower end-to-end runs")
    args = p.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="bnpl-bench-")
    env_note = os.environ.get("PYTHONPATH", "(installed package)")
    rows = []

    # warm the numba cache of this tree (compiling is not start-up)
    timed(cli("run.n_borrowers=1000", "run.months=1", "run.replicates=1", "run.charts=false",
              f"hydra.run.dir={tmp}/warm"))

    rows.append(("start-up (import simulator.apps.cli)",
                 *best(lambda: [sys.executable, "-c", "import simulator.apps.cli"], args.repeat), None))

    k = iter(range(10**6))
    if not args.skip_big:
        big = [f"run.n_borrowers={args.borrowers}", f"run.months={args.months}", "run.replicates=1",
               "run.burn_in_cache=false", "run.progress=off"]
        rows.append((f"{args.borrowers:,} x {args.months} months end to end, charts",
                     *best(lambda: cli(*big, f"hydra.run.dir={tmp}/big{next(k)}"), args.repeat),
                     TARGET_END_TO_END))
        rows.append((f"{args.borrowers:,} x {args.months} months end to end, no charts",
                     *best(lambda: cli(*big, "run.charts=false", f"hydra.run.dir={tmp}/big{next(k)}"),
                           args.repeat), TARGET_END_TO_END))

    small = [f"run.n_borrowers={args.sweep_borrowers}", "run.months=12", "run.replicates=1",
             "run.charts=false", "run.progress=off"]
    n = args.sweep_runs
    seeds = "run.seed=" + ",".join(str(i) for i in range(1, n + 1))
    # each run simulates its seasoned start (cache off), then each run finds it in a cache filled
    # beforehand (a fresh folder: the user's cache would make the figure depend on earlier runs)
    for label, cache in (("seasoned start simulated", ["run.burn_in_cache=false"]),
                         ("seasoned start cached", ["run.burn_in_cache=true", f"run.cache_dir={tmp}/cache"])):
        if "run.burn_in_cache=true" in cache:
            timed(cli("-m", seeds, *small, *cache, f"hydra.sweep.dir={tmp}/s{next(k)}"))  # fill the cache
        one = best(lambda c=cache: cli("-m", "run.seed=1", *small, *c, f"hydra.sweep.dir={tmp}/s{next(k)}"),
                   args.repeat)
        many = best(lambda c=cache: cli("-m", seeds, *small, *c, f"hydra.sweep.dir={tmp}/s{next(k)}"), args.repeat)
        rows.append((f"extra run in a sweep ({n} vs 1 runs of {args.sweep_borrowers:,}), {label}",
                     (many[0] - one[0]) / (n - 1), (many[1] - one[1]) / (n - 1), TARGET_EXTRA_RUN))

    print()
    print(f"bnpl-stress end to end  (PYTHONPATH={env_note}; os.cpu_count()={os.cpu_count()}; "
          f"load average now {os.getloadavg()[0]:.1f}; best of {args.repeat})")
    print(f"{'figure':<62} {'wall s':>8} {'CPU s':>8} {'target':>8}")
    for name, wall, cpu, target in rows:
        verdict = "" if target is None else f"<= {target:g} s {'PASS' if wall <= target else 'FAIL'}"
        print(f"{name:<62} {wall:>8.2f} {cpu:>8.2f}  {verdict}")


if __name__ == "__main__":
    main()
