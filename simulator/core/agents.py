"""The Mesa agents that run the account stages of the month (:data:`~simulator.core.month.MONTH`).

- :class:`BlockAgent` (fast mode): one agent per block of borrowers (``run.block_size``, the
  random-number block); runs every borrower and lender stage on its block, in order.
- :class:`Borrower` (agent mode, and inspection in either mode): one agent per borrower, a view
  on the borrower's elements of the arrays; runs each borrower stage on its borrower alone.
- :class:`Lender` (the BNPL platform): holds the lender's parameters (:class:`LenderParams`,
  changed by policies through :meth:`Lender.set_params`) and its month-to-month state
  (:class:`LenderState`: what it observed of its book, its risk appetite); in agent mode runs
  each lender stage over every block.

Every kernel call goes through :meth:`~simulator.core.model.CreditModel.run_stage`, so the agents
differ only in which accounts they loop over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from simulator.config import PlatformConfig, PopulationConfig
from simulator.core.funding import FundingState, own_book, update_funding
from simulator.core.lender import (
    LenderParams,
    LenderState,
    book_dpd30,
    fitted_params,
    make_lender_params,
    update_appetite,
)
from simulator.core.month import ACCOUNT_STAGES, Stage
from simulator.core.scoring import fit_month, fit_scores
from simulator.core.state import FIELDS, INCOME_TYPE_NAMES, SHOCK_NAMES, STATUS_NAMES

if TYPE_CHECKING:
    from simulator.core.model import CreditModel

__all__ = ["BlockAgent", "Borrower", "Lender"]


class BlockAgent(mesa.Agent):
    """Fast mode: one Mesa agent stepping a contiguous block of borrowers through the month.

    The block is one random-number block of borrowers (``run.block_size``). Running all account
    stages on one block before the next keeps the block in the CPU cache; blocks run in
    ``run.threads`` worker threads (the compiled kernels release the GIL).
    """

    def __init__(self, model: CreditModel, sl: slice):
        super().__init__(model)
        self.sl = sl
        self.block = sl.start // model.cfg.run.block_size

    def step(self) -> None:
        """This month's borrower and lender stages (:data:`~simulator.core.month.ACCOUNT_STAGES`)
        on this block, in the order of the month.
        """
        m = self.model
        s, e = self.sl.start, self.sl.stop
        for stage in ACCOUNT_STAGES:
            m.run_stage(stage, s, e, m.stage_draws(stage, self.block), 0)


class Lender(mesa.Agent):
    """The lender (the BNPL platform) as a Mesa agent.

    Args:
        model: the owning model.
        cfg: platform config.
        pop_cfg: population config (the lender knows the population's mean impulse level).
    """

    def __init__(self, model: CreditModel, cfg: PlatformConfig, pop_cfg: PopulationConfig):
        super().__init__(model)
        self.cfg = cfg
        self.params: LenderParams = make_lender_params(cfg, pop_cfg)
        self.state = LenderState()
        self.funding = FundingState()

    def observe_book(self) -> None:
        """The ``risk_appetite`` stage, once a month before any account stage: observe last
        month's 30+ share of the book (:func:`~simulator.core.lender.book_dpd30`) and, with
        ``economy.feedback``, book last month's result into its balance sheet
        (:func:`~simulator.core.funding.update_funding`: capital and funding pressure), update
        :attr:`state` (:func:`~simulator.core.lender.update_appetite`; the lender acts from month 0
        on, and only learns during the seasoned start) and pass this month's tightness to the
        lender kernels; at the fit month, fit the application score (:meth:`fit_score`).
        """
        m = self.model
        pressure = 0.0
        if m.cfg.economy.feedback and m.month >= 0:  # the macro feedback loop: capital and funding
            last = m.recorder.rows[-1] if m.recorder.rows else None
            pressure = update_funding(self.funding, own_book(m.pop, self.params.partner_share), last, self.cfg)
        k = update_appetite(self.state, book_dpd30(m.pop, m.blocks, m.map_blocks), self.cfg, act=m.month >= 0,
                            pressure=pressure)
        self.params = self.params._replace(tightness=k)
        if m.month == fit_month(m.cfg.run.burn_in, self.cfg.score_train_months, self.cfg.score_outcome_months):
            self.fit_score()

    def fit_score(self) -> None:
        """Fit the application score on the lender's own book (at the fit month of the burn-in,
        :func:`~simulator.core.scoring.fit_month`) and use it from now on; too few bad or good
        accounts in the training window keep the generic score.
        """
        m, c = self.model, self.cfg
        fit = fit_scores(m.arrays, m.month, -m.cfg.run.burn_in, c.score_train_months, c.score_outcome_months,
                         self.params.impulse_mean, c.approval_target)
        if fit is not None:
            self.params = fitted_params(self.params, fit)

    def columns(self) -> dict:
        """This month's risk appetite and balance sheet, for the timeseries (funding figures NaN
        without ``economy.feedback``).
        """
        f = self.funding
        on = self.model.cfg.economy.feedback
        nan = float("nan")
        return {"tightness": self.params.tightness, "capital_ratio": f.capital_ratio if on else nan,
                "funding_cost": f.funding_cost if on else nan,
                "abs_available": f.abs_available if on else nan, "funding_pressure": f.pressure,
                "equity": f.equity if on else nan, "recapitalisation": f.recapitalisation if on else nan}

    def set_funding(self, **values) -> None:
        """Change the lender's funding state (:class:`~simulator.core.funding.FundingState`, e.g.
        ``relief``); policies act through this.
        """
        for k, v in values.items():
            if not hasattr(self.funding, k):
                raise AttributeError(f"FundingState has no field {k!r}")
            setattr(self.funding, k, v)

    def set_params(self, **params) -> None:
        """Change lender parameters (:class:`~simulator.core.lender.LenderParams`); policies act
        through this.
        """
        self.params = self.params._replace(**params)

    def act(self, stage: Stage) -> None:
        """Agent mode: run one lender stage over every block of accounts."""
        m = self.model
        for b, sl in enumerate(m.blocks):
            m.run_stage(stage, sl.start, sl.stop, m.block_draws(stage.name, b), 0)


class Borrower(mesa.Agent):
    """Agent mode (and inspection): one Mesa agent per borrower, a view on the arrays.

    Its attributes (``income``, ``savings``, ``line``, ``months_late``, … — every name in
    :data:`~simulator.core.state.FIELDS`) read and write borrower ``index``'s elements of the
    model's arrays; its stages run the same kernels as the block agents, on
    ``index..index+1``.
    """

    def __init__(self, model: CreditModel, index: int):
        super().__init__(model)
        self.index = int(index)
        bs = model.cfg.run.block_size
        self.block, self.offset = divmod(self.index, bs)

    def act(self, stage: Stage) -> None:
        """Run one borrower stage on this borrower alone."""
        m = self.model
        i = self.index
        m.run_stage(stage, i, i + 1, m.block_draws(stage.name, self.block), self.offset)

    @property
    def days_past_due(self) -> int:
        """Approximate days past due: 30 per missed cycle (0 when current)."""
        return 30 * int(self.months_late) if self.months_late > 0 else 0

    @property
    def balance(self) -> float:
        """What the borrower owes the lender."""
        return float(self.model.pop.balance(slice(self.index, self.index + 1))[0])

    @property
    def status_name(self) -> str:
        """Account status as a word."""
        return STATUS_NAMES[int(self.status)]

    @property
    def income_type_name(self) -> str:
        """``salaried`` or ``freelance``."""
        return INCOME_TYPE_NAMES[int(self.income_type)]

    @property
    def last_shock_name(self) -> str:
        """Latest life shock as a word."""
        return SHOCK_NAMES[int(self.last_shock)]

    def snapshot(self) -> dict:
        """All attributes of this borrower now, as plain Python values."""
        out = {"borrower": self.index, "month": self.model.month}
        for name, _, _ in FIELDS:
            out[name] = getattr(self, name)
        out.update(balance=self.balance, status_name=self.status_name,
                   days_past_due=self.days_past_due, last_shock_name=self.last_shock_name)
        return out

    def __repr__(self) -> str:
        return (f"Borrower({self.index}, {self.income_type_name}, status={self.status_name}, "
                f"income={self.income:.0f}, savings={self.savings:.0f}, line={self.line:.0f}, "
                f"balance={self.balance:.0f}, dpd={self.days_past_due})")


def _field_property(name: str, doc: str) -> property:
    def get(self: Borrower):
        return getattr(self.model.pop, name)[self.index].item()

    def set_(self: Borrower, value) -> None:
        getattr(self.model.pop, name)[self.index] = value

    return property(get, set_, doc=doc)


for _name, _dtype, _doc in FIELDS:
    setattr(Borrower, _name, _field_property(_name, _doc))
