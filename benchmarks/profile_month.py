"""Where a fast-mode month spends its time: CPU seconds per stage of ``MONTH`` (prints; not a test).

Each stage of :data:`simulator.core.month.MONTH` is timed separately with ``time.process_time``
(CPU time of the process, so other users of a shared machine count less than in wall time):
the borrower and lender kernels (``CreditModel.run_stage``), each stage's random draws
(``CreditModel.stage_draws``, shown as ``draws:<stage>``) and the once-a-month stages (economy,
risk appetite, policies, metrics). Run with one worker thread (``run.threads=1``, the default
here) the shares add up to the month; with more threads the kernel times overlap.

    python benchmarks/profile_month.py                      # 262,144 borrowers x (24 + burn-in) months
    python benchmarks/profile_month.py --borrowers 1000000 --threads 2
"""

from __future__ import annotations

import argparse
import collections
import time

from simulator.config import compose
from simulator.core import model as model_module
from simulator.core import month as month_module
from simulator.core.model import CreditModel


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--borrowers", type=int, default=262_144)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)

    spent: dict[str, float] = collections.defaultdict(float)
    run_stage, stage_draws = CreditModel.run_stage, CreditModel.stage_draws

    def timed_run_stage(self, stage, s, e, d, off):
        t = time.process_time()
        run_stage(self, stage, s, e, d, off)
        spent[stage.name] += time.process_time() - t

    def timed_stage_draws(self, stage, block):
        t = time.process_time()
        out = stage_draws(self, stage, block)
        spent["draws:" + stage.name] += time.process_time() - t
        return out

    def timed(stage):
        def run(model):
            t = time.process_time()
            stage.run(model)
            spent[stage.name] += time.process_time() - t
        return stage._replace(run=run)

    CreditModel.run_stage, CreditModel.stage_draws = timed_run_stage, timed_stage_draws
    month = tuple(s if s.actor in (month_module.BORROWER, month_module.LENDER) else timed(s)
                  for s in month_module.MONTH)
    model_module.MONTH = month  # the model's step reads the table through its module

    over = ["run.charts=false", "run.progress=off", f"run.threads={args.threads}"]
    warm = CreditModel(compose(["run.n_borrowers=2000", "run.months=1", *over]))
    warm.run()
    warm.release()
    spent.clear()
    cfg = compose([f"run.n_borrowers={args.borrowers}", f"run.months={args.months}", *over])
    m = CreditModel(cfg)
    t0 = time.process_time()
    m.run()
    total = time.process_time() - t0
    m.release()
    bm = args.borrowers * (args.months + cfg.run.burn_in)
    print(f"{args.borrowers:,} borrowers x {args.months}+{cfg.run.burn_in} months, {args.threads} thread(s): "
          f"{total:.2f} CPU s in run() = {bm / total / 1e6:.2f} M borrower-months per CPU second")
    for name, sec in sorted(spent.items(), key=lambda kv: -kv[1]):
        if sec >= 0.0005:
            print(f"  {name:<26} {sec:7.3f} s {100 * sec / total:5.1f}%")
    rest = total - sum(spent.values())
    print(f"  {'(the rest: Python glue)':<26} {rest:7.3f} s {100 * rest / total:5.1f}%")


if __name__ == "__main__":
    main()
