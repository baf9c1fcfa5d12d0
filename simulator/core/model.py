"""``CreditModel``: the Mesa model that owns the calendar, the economy, the platform and borrowers."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import mesa
from mesa.agent import AgentSet

from simulator.config import Config, check_ranges
from simulator.core.borrowers import (
    Borrower,
    Cohort,
    Draws,
    draw_block,
    income_and_shocks,
    make_rules,
    month_rules,
    repay,
    spend,
)
from simulator.core.economy import Economy
from simulator.core.lender import Platform, age_accounts, open_accounts, review_lines
from simulator.core.policies import build_policies
from simulator.core.recorder import MonthlyRecorder, cause_table, vintage_table
from simulator.core.rng import Streams
from simulator.core.state import Population, generate_population

__all__ = ["CreditModel"]

# Mesa logs every step at INFO; keep it quiet (also set in Hydra's logging config).
logging.getLogger("MESA").setLevel(logging.WARNING)


class CreditModel(mesa.Model):
    """An agent-based model of a BNPL credit book, one step per month.

    The month, in :meth:`step`, one line per stage:

    1. economy: the :class:`~simulator.core.economy.Economy` agent publishes the month's macro values,
       then each active policy's ``month_start`` hook runs;
    2. shocks & income: each borrower's job loss/re-employment, illness, family events, income;
    3. platform review: the :class:`~simulator.core.lender.Platform` scores and approves applicants
       and reviews lines;
    4. spending: planned and impulse BNPL purchases within the available line;
    5. bills & repayment: bills, instalments and arrears are paid out of income and savings;
    6. delinquency ageing, default, charge-off (the platform);
    7. policies: each active policy's ``apply`` hook;
    8. metrics: the month's indicators, reduced from the arrays.

    Stages 2–6 run in fast mode one :class:`~simulator.core.borrowers.Cohort` agent (a contiguous
    block of borrowers) at a time, so a block stays in the CPU cache through the month, and
    cohorts run in ``run.threads`` worker threads (the compiled kernels release the GIL); in
    agent mode stages 2, 4 and 5 run over every :class:`~simulator.core.borrowers.Borrower` agent in
    turn and stages 3 and 6 through the :class:`~simulator.core.lender.Platform` agent over every
    block.
    Within a month no borrower reads another's state, and both modes run the same rule kernels on
    the same pre-drawn random numbers, so they give identical results.

    Months ``-burn_in .. -1`` are simulated at month 0's economy and not recorded; reporting
    starts at month 0.

    Args:
        cfg: the validated configuration.
        replicate: replicate index (selects independent random streams).
    """

    def __init__(self, cfg: Config, replicate: int = 0):
        check_ranges(cfg)
        self.cfg = cfg
        run = cfg.run
        self.streams = Streams(run.seed, replicate, run.block_size)
        super().__init__(rng=self.streams.model_generator())
        self.replicate = replicate
        self.rules = make_rules(cfg.population, cfg.platform)
        self.month = -run.burn_in
        z = float(self.streams.generator("economy", 0, 0).standard_normal())
        self.economy = Economy(self, cfg.economy, run.months, run.start_month, systematic_z=z)
        self.month_rules = month_rules(self.economy.now, self.rules)
        self.pop: Population = generate_population(
            cfg.population, run.n_borrowers, self.streams, run.burn_in,
            cfg.economy.unemployment_base)
        self.arrays = self.pop.arrays()
        bs = run.block_size
        self.blocks = [slice(s, min(s + bs, run.n_borrowers)) for s in range(0, run.n_borrowers, bs)]
        self.platform = Platform(self, cfg.platform, cfg.population)
        self.mode = run.mode
        self._borrowers: dict[int, Borrower] = {}
        self.cohorts: list[Cohort] = []
        self._pool: ThreadPoolExecutor | None = None
        if self.mode == "fast":
            self.cohorts = [Cohort(self, sl) for sl in self.blocks]
            threads = min(run.threads or os.cpu_count() or 1, len(self.blocks))
            if threads > 1:
                self._pool = ThreadPoolExecutor(threads, thread_name_prefix="bnpl-cohort")
        else:
            agents = [self.borrower(i) for i in range(run.n_borrowers)]
            self._every = AgentSet(agents, random=self.random)
        self.policies = build_policies(cfg.policy)
        self.recorder = MonthlyRecorder(cfg, replicate)
        self._draws: dict[str, tuple[int, int, Draws]] = {}
        for policy in self.policies:
            policy.initialize(self)

    # --- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month (see the class docstring for the stages)."""
        env = self.economy.advance(self.month)                 # 1. economy
        self.month_rules = month_rules(env, self.rules)
        for policy in self.policies:                           #    policies' month-start hooks
            policy.month_start(self)
        if self.mode == "fast":                                # 2–6, cohort by cohort
            for _ in self._map(Cohort.step, self.cohorts):     #    (see cohort_month)
                pass
        else:
            self._every.do("act", "income_and_shocks")         # 2. shocks & income
            self.platform.review(self.blocks)                  # 3. platform review
            self._every.do("act", "spend")                     # 4. spending
            self._every.do("act", "repay")                     # 5. bills & repayment
            self.platform.age(self.blocks)                     # 6. ageing, default, charge-off
        for policy in self.policies:                           # 7. policies
            policy.apply(self)
        self.recorder.collect(self.pop, self.arrays, self.blocks, env, self._map)  # 8. metrics
        self.month += 1

    def cohort_month(self, cohort: Cohort) -> None:
        """Fast mode: this month's stages 2–6 for one cohort's block, in the order of :meth:`step`.

        Running all stages on one block before the next keeps the block in the CPU cache. A
        borrower's month reads only its own elements, so this gives the same numbers as agent
        mode's stage-by-stage order over everyone.
        """
        P, E, R, M, Q = self.arrays, self.economy.now, self.rules, self.month_rules, self.platform.params
        b, s, e = cohort.block, cohort.sl.start, cohort.sl.stop
        t, pc = self.month, self.cfg.population
        income_and_shocks(P, s, e, E, R, M, draw_block(self.streams, "income_and_shocks", t, b, pc), 0)  # 2.
        open_accounts(P, s, e, E, Q)                                                        # 3.
        review_lines(P, s, e, E, Q)
        d = draw_block(self.streams, "spend", t, b, pc)
        spend(P, s, e, E, R, M, d, 0)                                                       # 4.
        repay(P, s, e, E, R, M, d, 0)                                                       # 5.
        age_accounts(P, s, e, E, Q)                                                         # 6.

    def run(self, progress: Callable[[int], None] | None = None) -> None:
        """Run the burn-in and the reported months; ``progress(1)`` after each month."""
        end = self.cfg.run.months
        while self.month < end:
            self.step()
            if progress is not None:
                progress(1)

    # --- plumbing used by the agents -----------------------------------------------------------
    def block_draws(self, stage: str, block: int) -> Draws:
        """This month's random numbers of ``stage`` for one block (cached while in use)."""
        hit = self._draws.get(stage)
        if hit is not None and hit[0] == self.month and hit[1] == block:
            return hit[2]
        d = draw_block(self.streams, stage, self.month, block, self.cfg.population)
        self._draws[stage] = (self.month, block, d)
        return d

    def run_rule(self, rule: Callable, start: int, stop: int, d: Draws, off: int) -> None:
        """Apply one borrower stage kernel to borrowers ``start..stop-1`` (draws from ``d[off]``)."""
        rule(self.arrays, start, stop, self.economy.now, self.rules, self.month_rules, d, off)

    # --- setters through which policies act ----------------------------------------------------
    def set_rules(self, **params) -> None:
        """Change parameters of the borrower rules (:class:`~simulator.core.borrowers.Rules`)."""
        self.rules = self.rules._replace(**params)
        self.month_rules = month_rules(self.economy.now, self.rules)._replace(
            forbear=self.month_rules.forbear)

    def set_month_rules(self, **flags) -> None:
        """Change this month's flags of the borrower rules (e.g. ``forbear``)."""
        self.month_rules = self.month_rules._replace(**flags)

    def set_borrowers(self, name: str, mask, values) -> None:
        """Set attribute ``name`` of the borrowers selected by ``mask`` to ``values``."""
        getattr(self.pop, name)[mask] = values

    def policy_summary(self) -> dict:
        """Each enabled policy's own figures (e.g. the ML score's AUC)."""
        return {p.name: p.summary() for p in self.policies}

    # --- inspection --------------------------------------------------------------------------
    def borrower(self, i: int) -> Borrower:
        """The Mesa agent of borrower ``i`` (created on demand in fast mode, for inspection)."""
        if not 0 <= i < self.cfg.run.n_borrowers:
            raise IndexError(f"borrower {i} out of range 0..{self.cfg.run.n_borrowers - 1}")
        agent = self._borrowers.get(i)
        if agent is None:
            agent = self._borrowers[i] = Borrower(self, i)
        return agent

    def vintages(self):
        """Vintage table of this replicate (see :func:`~simulator.core.recorder.vintage_table`)."""
        return vintage_table(self.pop, self.cfg.run.months, self.replicate, -self.cfg.run.burn_in)

    def causes(self):
        """One row per default with its primary cause."""
        return cause_table(self.pop, self.replicate)

    def _map(self, fn, items):
        """``map`` over cohorts or blocks: in the thread pool when there is one, else in order."""
        return self._pool.map(fn, items) if self._pool is not None else map(fn, items)

    def release(self) -> None:
        """Free the worker threads and drop Mesa 3.3.1's class-level reference to this model."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        mesa.Agent._ids.pop(self, None)
