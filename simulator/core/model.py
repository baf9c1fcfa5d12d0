"""``CreditModel``: the Mesa model that owns the calendar, the economy, the lender and the borrowers."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import mesa
import numpy as np
from mesa.agent import AgentSet

from simulator.config import Config, check_ranges
from simulator.core.agents import BlockAgent, Borrower, Lender
from simulator.core.borrower_rules import NO_DRAWS, Draws, make_borrower_params, month_params
from simulator.core.economy import Economy
from simulator.core.month import ACCOUNT_STAGES, BORROWER, LENDER, MONTH, STAGES, Stage, describe_month
from simulator.core.policies import build_policies
from simulator.core.pool import PoolTurnover, turn_over
from simulator.core.population import generate_population
from simulator.core.recorder import MonthlyRecorder, cause_table, vintage_table
from simulator.core.rng import Streams
from simulator.core.state import FIELDS, Population

__all__ = ["CreditModel"]

# Mesa logs every step at INFO; keep it quiet (also set in Hydra's logging config).
logging.getLogger("MESA").setLevel(logging.WARNING)


class CreditModel(mesa.Model):
    """An agent-based model of a BNPL credit book, one step per month.

    The month, in :meth:`step` (the stage table :data:`~simulator.core.month.MONTH`):

    {month}

    Fast mode (``run.mode=fast``) runs the borrower and lender stages one
    :class:`~simulator.core.agents.BlockAgent` (a contiguous block of borrowers) at a time, all
    stages on a block before the next, so a block stays in the CPU cache through the month;
    blocks run in ``run.threads`` worker threads (the compiled kernels release the GIL). Agent
    mode (``run.mode=agent``) runs them stage by stage: a borrower stage over every
    :class:`~simulator.core.agents.Borrower` agent in turn, a lender stage through the
    :class:`~simulator.core.agents.Lender` agent over every block. Within a month no borrower
    reads another's state, and both modes run the same kernels (:meth:`run_stage`) on the same
    pre-drawn random numbers, so they give identical results.

    Months ``-burn_in .. -1`` are simulated at month 0's economy and not recorded; reporting
    starts at month 0.

    Args:
        cfg: the validated configuration.
        replicate: replicate index (selects independent random streams).
        seasoned: a :meth:`snapshot` of a model of the same config and replicate: the model starts
            from it (:meth:`restore`) and the initial population is not generated (it would be
            overwritten; the pool's impulse terciles come from the snapshot).
    """

    def __init__(self, cfg: Config, replicate: int = 0, seasoned: dict | None = None):
        check_ranges(cfg)
        self.cfg = cfg
        run = cfg.run
        self.streams = Streams(run.seed, replicate, run.block_size)
        super().__init__(rng=self.streams.model_generator())
        self.replicate = replicate
        self.borrower_params = make_borrower_params(cfg.population, cfg.platform)
        self.month = -run.burn_in
        z = float(self.streams.generator("economy", 0, 0).standard_normal())
        self.economy = Economy(self, cfg.economy, run.months, run.start_month, systematic_z=z)
        self.month_params = month_params(self.economy.now, self.borrower_params)
        if seasoned is None:
            self.pop: Population = generate_population(
                cfg.population, run.n_borrowers, self.streams, run.burn_in,
                float(self.economy.path.unemployment_rate[0]))
            cuts = np.quantile(self.pop.impulse, [1 / 3, 2 / 3]) if run.n_borrowers else (0.0, 0.0)
        else:  # every field is overwritten by restore() below
            self.pop = Population.empty(run.n_borrowers)
            cuts = seasoned["impulse_cuts"]
        self.arrays = self.pop.arrays()
        self.pool = PoolTurnover(cfg, (float(cuts[0]), float(cuts[1])))
        bs = run.block_size
        self.blocks = [slice(s, min(s + bs, run.n_borrowers)) for s in range(0, run.n_borrowers, bs)]
        self.lender = Lender(self, cfg.platform, cfg.population)
        self.mode = run.mode
        self._borrowers: dict[int, Borrower] = {}
        self.block_agents: list[BlockAgent] = []
        self._pool: ThreadPoolExecutor | None = None
        if self.mode == "fast":
            self.block_agents = [BlockAgent(self, sl) for sl in self.blocks]
            threads = min(run.threads or os.cpu_count() or 1, len(self.blocks))
            if threads > 1:
                self._pool = ThreadPoolExecutor(threads, thread_name_prefix="bnpl-block")
        else:
            agents = [self.borrower(i) for i in range(run.n_borrowers)]
            self._every = AgentSet(agents, random=self.random)
        self.policies = build_policies(cfg.policy)
        self.recorder = MonthlyRecorder(cfg, replicate)
        self._draws: dict[str, tuple[int, int, Draws]] = {}
        self._policies_started = False
        if seasoned is not None:
            self.restore(seasoned)

    # --- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month: the stages of :data:`~simulator.core.month.MONTH`, in order."""
        for stage in MONTH:
            if stage.actor not in (BORROWER, LENDER):  # economy, policies, metrics
                stage.run(self)
            elif self.mode == "agent":  # stage by stage, agent by agent
                if stage.actor == BORROWER:
                    self._every.do("act", stage)
                else:
                    self.lender.act(stage)
            elif stage is ACCOUNT_STAGES[0]:  # fast: all account stages, block by block
                for _ in self.map_blocks(BlockAgent.step, self.block_agents):
                    pass
        self.month += 1

    def turn_over_pool(self) -> None:
        """The ``pool`` stage: this month's exits, re-applications and newcomers
        (:func:`~simulator.core.pool.turn_over`); records of leavers go to the recorder.
        """
        turn_over(self.pool, self.pop, self.streams, self.blocks, self.month,
                  float(self.economy.now.unemployment_rate), self.recorder.retire, self.map_blocks)

    def run(self, progress: Callable[[int], None] | None = None, until: int | None = None) -> None:
        """Run the burn-in and the reported months (or up to month ``until``, exclusive);
        ``progress(1)`` after each month.
        """
        end = self.cfg.run.months if until is None else until
        while self.month < end:
            self.step()
            if progress is not None:
                progress(1)

    # --- the seasoned start ----------------------------------------------------------------------
    def snapshot(self) -> dict:
        """The model's state between months, as plain data (numpy arrays, numbers, lists): the
        borrower arrays of :data:`~simulator.core.state.FIELDS`, the open pool's impulse terciles
        (fixed by the initial population), the lender's state and parameters, its funding, the
        labour market, the demand feedback's spending baseline and the month's environment, the
        recorder's charge-off history, the rule parameters and the month. Taken at month 0 (after the burn-in, before
        any policy starts) it is the seasoned start that :meth:`restore` brings back.
        """
        if self.month > 0 or self._policies_started or self.recorder.rows:
            raise RuntimeError("snapshot(): only before month 0's step, policies not started")
        return {
            "month": self.month, "steps": getattr(self, "steps", 0),
            "pop": {name: getattr(self.pop, name).copy() for name, _, _ in FIELDS},
            "lender_state": dict(vars(self.lender.state)), "funding": dict(vars(self.lender.funding)),
            "spending_base": list(self.economy.feedback.base),
            "lender_params": self.lender.params._asdict(),
            "labour": dict(vars(self.economy.labour)), "env": self.economy.now._asdict(),
            "charge_off_history": list(self.recorder.charge_off_history),
            "retired": {"counts": self.recorder.retired_counts.copy(), "seg": self.recorder.retired_seg.copy(),
                        "records": {k: v.copy() for k, v in self.recorder.retired.items()}},
            "borrower_params": self.borrower_params._asdict(), "month_params": self.month_params._asdict(),
            "impulse_cuts": list(self.pool.impulse_cuts),
        }

    def restore(self, snap: dict) -> None:
        """Bring back a :meth:`snapshot` of a model built from the same config and replicate
        (the arrays are overwritten in place, so every view on them stays valid).
        """
        self.month = int(snap["month"])
        if hasattr(self, "steps"):
            self.steps = snap["steps"]
        for name, _, _ in FIELDS:
            getattr(self.pop, name)[...] = snap["pop"][name]
        for k, v in snap["lender_state"].items():
            setattr(self.lender.state, k, v)
        self.lender.params = type(self.lender.params)(**snap["lender_params"])
        vars(self.lender.funding).update(snap["funding"])
        self.economy.feedback.base = list(snap["spending_base"])
        vars(self.economy.labour).update(snap["labour"])
        self.economy.now = type(self.economy.now)(**snap["env"])
        self.recorder.charge_off_history = list(snap["charge_off_history"])
        self.recorder.retired_counts = snap["retired"]["counts"].copy()
        self.recorder.retired_seg = snap["retired"]["seg"].copy()
        self.recorder.retired = {k: v.copy() for k, v in snap["retired"]["records"].items()}
        self.borrower_params = type(self.borrower_params)(**snap["borrower_params"])
        self.month_params = type(self.month_params)(**snap["month_params"])

    # --- plumbing used by the agents -----------------------------------------------------------
    def run_stage(self, stage: Stage, start: int, stop: int, draws: Draws, off: int) -> None:
        """Run a borrower or lender stage's kernel on accounts ``start..stop-1`` (their random
        numbers from ``draws[off]``): the one place where both modes call the kernels.
        """
        if stage.actor == BORROWER:
            stage.run(self.arrays, start, stop, self.economy.now, self.borrower_params, self.month_params,
                      draws, off)
        else:
            stage.run(self.arrays, start, stop, self.economy.now, self.lender.params)

    def stage_draws(self, stage: Stage, block: int) -> Draws:
        """This month's random numbers of ``stage`` for one block, freshly drawn (thread-safe)."""
        if stage.draws is None:
            return NO_DRAWS
        sl = self.blocks[block]  # the block's borrowers: the pool may end inside it
        return stage.draws(self.streams, self.month, block, self.cfg.population, sl.stop - sl.start)

    def block_draws(self, stage: str, block: int) -> Draws:
        """Agent mode: :meth:`stage_draws` of stage ``stage`` (a name), cached while the agents of
        one block act (not thread-safe).
        """
        hit = self._draws.get(stage)
        if hit is not None and hit[0] == self.month and hit[1] == block:
            return hit[2]
        d = self.stage_draws(STAGES[stage], block)
        self._draws[stage] = (self.month, block, d)
        return d

    def map_blocks(self, fn: Callable, items: Iterable) -> Iterator:
        """``map`` over block agents or blocks: in the thread pool when there is one, else in order."""
        return self._pool.map(fn, items) if self._pool is not None else map(fn, items)

    # --- policies ---------------------------------------------------------------------------------
    def start_policies(self) -> None:
        """Month ``policy.start_month``, at the economy stage: each enabled policy's ``initialize``
        hook runs; from then on its ``month_start`` and ``apply`` hooks run each month. The burn-in
        (months before 0) is always the status quo.
        """
        if not self._policies_started:
            self._policies_started = True
            b0, l0 = self.borrower_params, self.lender.params
            for policy in self.policies:
                policy.initialize(self)
            # the parameters the policies replaced, with their earlier values (for end_policies)
            self._before_policies = (
                {k: v for k, v in b0._asdict().items() if getattr(self.borrower_params, k) is not v},
                {k: v for k, v in l0._asdict().items() if getattr(self.lender.params, k) is not v})

    def active_policies(self) -> list:
        """The enabled policies once they have started (:meth:`start_policies`) and until they end
        (:meth:`end_policies`), else none.
        """
        return self.policies if self._policies_started and not getattr(self, "_policies_ended", False) else []

    def end_policies(self) -> None:
        """Month ``policy.end_month`` (when > 0), at the economy stage: the policies end. The borrower
        rules' and the lender's parameters they changed get back their values from before
        :meth:`start_policies` and their hooks stop; what they already did stays (money paid,
        restructured or frozen accounts, adopters' habits).
        """
        if self._policies_started and not getattr(self, "_policies_ended", False):
            self._policies_ended = True
            before_b, before_l = self._before_policies
            self.set_borrower_params(**before_b)
            self.lender.set_params(**before_l)
            self.set_month_params(forbear=False)

    # --- setters through which policies act ----------------------------------------------------
    def set_borrower_params(self, **params) -> None:
        """Change parameters of the borrower rules
        (:class:`~simulator.core.borrower_rules.BorrowerParams`).
        """
        self.borrower_params = self.borrower_params._replace(**params)
        self.month_params = month_params(self.economy.now, self.borrower_params)._replace(
            forbear=self.month_params.forbear)

    def set_month_params(self, **flags) -> None:
        """Change this month's flags of the borrower rules
        (:class:`~simulator.core.borrower_rules.MonthParams`, e.g. ``forbear``).
        """
        self.month_params = self.month_params._replace(**flags)

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
        return vintage_table(self.recorder.book(self.pop), self.cfg.run.months, self.replicate,
                             -self.cfg.run.burn_in)

    def causes(self):
        """One row per default since month 0 with its primary cause, people who left the pool
        included (``borrower``: the slot the defaulter held).
        """
        book = self.recorder.book(self.pop)
        table = cause_table(book, self.replicate)
        table["borrower"] = book.slot[np.flatnonzero(book.default_month >= 0)]
        return table

    def release(self) -> None:
        """Free the worker threads and drop Mesa 3.3.1's class-level reference to this model."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        ids = getattr(mesa.Agent, "_ids", None)  # Mesa 3.3.1 only (3.4+ numbers agents per model)
        if ids is not None:
            ids.pop(self, None)


# The month in the docstring comes from the stage table, at the indentation of the ``{month}``
# line (Python 3.13 strips docstring indentation at compile time; earlier versions keep it).
_slot = re.search(r"^([ \t]*)\{month\}$", CreditModel.__doc__, flags=re.MULTILINE)
CreditModel.__doc__ = (CreditModel.__doc__[:_slot.start()] + describe_month(indent=_slot.group(1))
                       + CreditModel.__doc__[_slot.end():])
