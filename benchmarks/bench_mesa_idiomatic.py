"""The comparison figure: an idiomatic Mesa model, one Python agent per borrower (prints; not a test).

What a Mesa user would write first: a ``Borrower(mesa.Agent)`` with plain Python attributes and a
``step()`` that draws its own random numbers from the model's ``random.Random``, activated each
month by ``model.agents.shuffle_do("step")``. Its rules are *simpler* than bnpl-stress's (job loss
and re-employment, noisy income, impulse and planned purchases within a line, a monthly bill paid
from income and savings, missed cycles, default at 90+ days and charge-off); no lender rules,
no instalment plans, no policies, no recorder beyond two counters. So the figure is an upper bound
on what the idiomatic style reaches for this model, beside bnpl-stress's fast mode
(``bench_modes.py``) and agent mode (the same compiled kernels called once per Mesa agent).

    python benchmarks/bench_mesa_idiomatic.py                    # 20,000 borrowers x 24 months
    python benchmarks/bench_mesa_idiomatic.py --borrowers 50000 --months 12 --repeat 3

Rate = borrowers x months / seconds of ``model.step()`` calls (agent creation excluded), best of
``--repeat``.
"""

from __future__ import annotations

import argparse
import time

import mesa


class Borrower(mesa.Agent):
    """One borrower with its account, as plain Python attributes."""

    def __init__(self, model: CreditBook):
        super().__init__(model)
        r = model.random
        self.base_income = 3000.0 * r.lognormvariate(0.0, 0.5)
        self.income = self.base_income
        self.savings = self.base_income * r.uniform(0.5, 3.0)
        self.impulse = r.gammavariate(2.0, 0.05)
        self.unemployed = r.random() < 0.05
        self.line = 1.5 * self.base_income
        self.bill = 0.0
        self.arrears = 0.0
        self.months_late = 0
        self.status = "active"

    def step(self) -> None:
        m = self.model
        r = m.random
        if self.status == "charged_off":
            return
        # job and income
        if self.unemployed:
            self.unemployed = r.random() >= 0.25
        else:
            self.unemployed = r.random() < m.job_loss_hazard
        noise = 1.0 + 0.1 * (r.random() - 0.5) * 3.4641016
        self.income = self.base_income * (0.6 if self.unemployed else 1.0) * noise
        # spending within the line
        if self.status == "active":
            owed = self.bill + self.arrears
            room = max(self.line - owed, 0.0)
            planned = 0.05 * self.base_income
            impulse = self.impulse * self.base_income * max(1.0 + 0.5 * (r.random() - 0.5) * 3.4641016, 0.0)
            buy = min(planned + impulse, room)
            self.bill += buy
        # repayment out of income and savings
        free = self.income * 0.45 + self.savings
        due = self.bill + self.arrears
        pay = min(due, max(free, 0.0))
        self.savings += self.income * 0.45 - pay
        self.savings = max(self.savings, 0.0)
        left = due - pay
        if left > 1e-6:
            self.arrears = left
            self.bill = 0.0
            self.months_late += 1
        else:
            self.arrears = 0.0
            self.bill = 0.0
            self.months_late = 0
        # default and charge-off
        if self.status == "active" and self.months_late >= 4:
            self.status = "defaulted"
            m.defaults += 1
        elif self.status == "defaulted" and self.months_late >= 7:
            self.status = "charged_off"
            m.charge_offs += self.arrears
            self.arrears = 0.0


class CreditBook(mesa.Model):
    """The model: ``n`` borrowers, one step per month."""

    def __init__(self, n: int, seed: int = 42):
        super().__init__(seed=seed)
        self.job_loss_hazard = 0.01
        self.defaults = 0
        self.charge_offs = 0.0
        for _ in range(n):
            Borrower(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--borrowers", type=int, default=20_000)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args(argv)
    best = float("inf")
    for _ in range(args.repeat):
        model = CreditBook(args.borrowers)
        t0 = time.perf_counter()
        for _ in range(args.months):
            model.step()
        best = min(best, time.perf_counter() - t0)
    rate = args.borrowers * args.months / best
    print(f"idiomatic Mesa (mesa {mesa.__version__}): {args.borrowers:,} borrowers x {args.months} months "
          f"in {best:.2f} s = {rate / 1e6:.3f} M borrower-months/s (defaults {model.defaults:,})")


if __name__ == "__main__":
    main()
