"""Where an extra run of a sweep spends its CPU time, besides its months (prints a table; not a test).

Runs ``bnpl-stress -m run.seed=1..N ...`` (charts off) twice inside this process (the basic
launcher runs the jobs in the calling process): a first sweep warms numba's cache and, with
``--cache``, fills a fresh seasoned-start cache; the second is measured. ``time.process_time`` is
taken around each part of a job (the functions are wrapped, nothing else changes) and printed per
job: the pre-check of the command line, Hydra's composition of each job's config, the model and
its seasoned start, the months, the tables, the run directory, and what is left (Hydra's job
set-up: its config copies, the ``.hydra`` record, logging). The sweep's end (summary, charts,
report) is printed once; it is per sweep, not per run.

    python benchmarks/profile_overhead.py                      # 6 runs of 1,000 borrowers, cached
    python benchmarks/profile_overhead.py --borrowers 20000 --no-cache
    python benchmarks/profile_overhead.py --scenario policy_matrix economy=baseline,stagflation policy=none,hardship
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import io
import os
import sys
import tempfile
import time

T: dict[str, float] = collections.defaultdict(float)
C: collections.Counter = collections.Counter()


def wrap(obj, name: str, label: str) -> None:
    """Add the CPU seconds of every call of ``obj.name`` to ``T[label]``."""
    f = getattr(obj, name)

    @functools.wraps(f)
    def timed(*a, **k):
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            T[label] += time.process_time() - t
            C[label] += 1

    setattr(obj, name, timed)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=6, help="jobs of the seed sweep (ignored with --scenario)")
    p.add_argument("--borrowers", type=int, default=1_000)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--no-cache", action="store_true", help="each run simulates its seasoned start")
    p.add_argument("--scenario", default="", help="sweep this scenario instead of run.seed=1..N")
    p.add_argument("overrides", nargs="*", help="more overrides, e.g. economy=a,b")
    args = p.parse_args(argv)

    from hydra._internal.config_loader_impl import ConfigLoaderImpl

    import simulator.apps.cli as cli
    import simulator.core.model as model
    import simulator.studies.replicates as replicates
    import simulator.studies.seasoned as seasoned
    from simulator.apps.sweep_callback import SweepSummaryCallback
    from simulator.outputs.results import RunResult

    wrap(cli, "precheck", "pre-check of the command line")
    wrap(ConfigLoaderImpl, "load_sweep_config", "Hydra: composing a job's config")
    wrap(cli, "run", "the job's study (all below)")
    wrap(seasoned, "CreditModel", "  model construction")
    wrap(model.CreditModel, "restore", "  seasoned start restored")
    wrap(model.CreditModel, "run", "  months (burn-in when simulated, reported)")
    for m in ("timeseries", "segments", "roll_rates"):
        wrap(model.MonthlyRecorder, m, "  tables, vintages, causes, scores")
    for m in ("vintages", "causes"):
        wrap(model.CreditModel, m, "  tables, vintages, causes, scores")
    for m in ("score_auc", "score_ranking"):
        wrap(replicates, m, "  tables, vintages, causes, scores")
    wrap(replicates, "summarize", "  summary statistics")
    wrap(RunResult, "save", "  run directory (Parquet, CSV, summary.json)")
    wrap(SweepSummaryCallback, "on_multirun_end", "sweep's end (per sweep)")

    tmp = tempfile.mkdtemp(prefix="bnpl-overhead-")
    if args.scenario:
        sweep, n = [f"scenario={args.scenario}"], None
    else:
        sweep, n = ["run.seed=" + ",".join(str(i) for i in range(1, args.runs + 1))], args.runs
    common = ["-m", *sweep, f"run.n_borrowers={args.borrowers}", f"run.months={args.months}", "run.replicates=1",
              "run.charts=false", "run.progress=off", f"run.burn_in_cache={str(not args.no_cache).lower()}",
              f"run.cache_dir={tmp}/cache", *args.overrides]
    if args.scenario:  # the scenario sets its size; the command line's overrides still win
        common = ["-m", *sweep, "run.charts=false", "run.progress=off",
                  f"run.burn_in_cache={str(not args.no_cache).lower()}", f"run.cache_dir={tmp}/cache", *args.overrides]

    def sweep_once(tag: str) -> None:
        sys.argv = ["bnpl-stress", *common, f"hydra.sweep.dir={tmp}/{tag}"]
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                cli.main()
            except SystemExit as e:
                if e.code not in (0, None):
                    raise

    sweep_once("warm")
    T.clear()
    C.clear()
    t0 = time.process_time()
    sweep_once("measured")
    total = time.process_time() - t0
    jobs = n or C["the job's study (all below)"]
    end = "sweep's end (per sweep)"
    rest = total - sum(v for k, v in T.items() if not k.startswith("  "))
    print(f"\n{' '.join(common)}")
    print(f"{jobs} jobs, CPU seconds (time.process_time); os.cpu_count()={os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'part':<52} {'per job':>8} {'calls':>6}")
    for k, v in T.items():
        if k != end:
            print(f"{k:<52} {v / jobs:>8.3f} {C[k]:>6}")
    print(f"{'the rest (Hydra: sweep start, job set-up, .hydra/, logs)':<52} {rest / jobs:>8.3f}")
    print(f"{'total per job, the sweep end excluded':<52} {(total - T[end]) / jobs:>8.3f}")
    print(f"{'the sweep end, once':<52} {T[end]:>8.3f}")

if __name__ == "__main__":
    main()
