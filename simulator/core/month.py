"""The month as data: one ordered table of stages, read by both run modes.

:data:`MONTH` lists a month's stages in the order they run. Each :class:`Stage` names its actor:

- ``borrower``: a borrower rule kernel (:mod:`simulator.core.borrower_rules`), run with the
  stage's random numbers (``Stage.draws`` draws them for one block of borrowers; ``None``: the
  stage draws none);
- ``lender``: a lender rule kernel (:mod:`simulator.core.lender`);
- ``economy``, ``pool``, ``lender_book``, ``policies``, ``recorder``: a function of the model, run
  once a month (``pool``: the open pool's exits, re-applications and newcomers,
  :mod:`simulator.core.pool`; ``lender_book``: the lender observes its whole book and sets its
  risk appetite).

Both run modes read this table; the loop over accounts is the only difference between them
(:meth:`simulator.core.model.CreditModel.step`). Fast mode runs the borrower and lender stages
(:data:`ACCOUNT_STAGES`, contiguous in the month) block by block: each
:class:`~simulator.core.agents.BlockAgent` runs all of them on its block of borrowers before the
next block is taken. Agent mode runs them stage by stage: a borrower stage through every
:class:`~simulator.core.agents.Borrower` agent in turn, a lender stage through the
:class:`~simulator.core.agents.Lender` agent over every block. Either way each kernel call goes
through :meth:`~simulator.core.model.CreditModel.run_stage`, and no borrower reads another's
state within a month, so the two modes give identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from simulator.core.borrower_rules import (
    draw_income_and_shocks,
    draw_spend,
    income_and_shocks,
    month_params,
    repay,
    spend,
)
from simulator.core.economy import pool_spending
from simulator.core.lender import age_accounts, open_accounts, review_lines

if TYPE_CHECKING:
    from simulator.core.model import CreditModel

__all__ = ["Stage", "MONTH", "STAGES", "ACCOUNT_STAGES", "BORROWER", "LENDER", "describe_month"]

#: Actors: who runs a stage (``lender_book``: the lender once a month on its whole book).
ECONOMY, BORROWER, LENDER, POLICIES, RECORDER = "economy", "borrower", "lender", "policies", "recorder"
LENDER_BOOK = "lender_book"
POOL = "pool"


class Stage(NamedTuple):
    """One stage of the month."""

    name: str
    actor: str  # ECONOMY, POOL, LENDER_BOOK, BORROWER, LENDER, POLICIES or RECORDER
    run: Callable  # the kernel (borrower, lender stages) or a function of the model (the others)
    draws: Callable | None  # (streams, month, block, population config, the block's rows) -> Draws, or None
    doc: str  # what happens, in one line


def _economy(model: CreditModel) -> None:
    env = model.economy.advance(model.month, pool_spending(model.pop, model.cfg.economy.forgone_share))
    model.month_params = month_params(env, model.borrower_params)
    if model.month == model.cfg.policy.start_month:
        model.start_policies()
    if model.month == model.cfg.policy.end_month > 0:
        model.end_policies()
    for policy in model.active_policies():
        policy.month_start(model)


def _pool(model: CreditModel) -> None:
    model.turn_over_pool()


def _risk_appetite(model: CreditModel) -> None:
    model.lender.observe_book()


def _policies(model: CreditModel) -> None:
    for policy in model.active_policies():
        policy.apply(model)


def _metrics(model: CreditModel) -> None:
    model.recorder.collect(model.pop, model.arrays, model.blocks, model.economy.now, model.map_blocks)
    if model.month >= 0:  # the macro loop's columns: the path beside the effective values, the lender's funding
        model.recorder.rows[-1].update(model.economy.columns(), **model.lender.columns())


#: The month, in order.
MONTH: tuple[Stage, ...] = (
    Stage("economy", ECONOMY, _economy, None,
          "the Economy agent publishes the month's macro values (with ``economy.feedback``: the "
          "path's demand and unemployment moved by last month's simulated spending), then each "
          "enabled policy's ``month_start`` hook runs"),
    Stage("pool", POOL, _pool, None,
          "the open pool turns over: people leave (exit hazard, voluntary and inactivity closures of "
          "paid-up accounts, charged-off borrowers after collections), rejected applicants re-apply "
          "after their wait, newcomers take the empty slots (random streams ``pool``, ``arrivals``)"),
    Stage("risk_appetite", LENDER_BOOK, _risk_appetite, None,
          "the lender observes last month's 30+ days past due share of its book (with "
          "``economy.feedback``: also books last month's result into its capital and funding) and "
          "sets this month's risk appetite (approval cutoff, unused-line cuts, raises)"),
    Stage("income_and_shocks", BORROWER, income_and_shocks, draw_income_and_shocks,
          "each borrower's job loss or re-employment, illness, family events and income (random "
          "streams ``shocks``, ``income``)"),
    Stage("open_accounts", LENDER, open_accounts, None,
          "the lender scores this month's applicants, approves those at or above the cutoff and "
          "sets their lines"),
    Stage("review_lines", LENDER, review_lines, None,
          "the lender reviews lines: early-warning cuts (policy); every ``review_months`` on book the "
          "line moves toward its re-underwritten target (raises for good payers, cuts for "
          "deteriorating risk, inactivity and a tightened risk appetite)"),
    Stage("spend", BORROWER, spend, draw_spend,
          "planned and impulse BNPL purchases within the available line, some as instalment plans "
          "(random stream ``spending``)"),
    Stage("repay", BORROWER, repay, None,
          "bills, instalments and arrears are paid out of income and savings; delinquency rolls"),
    Stage("age_accounts", LENDER, age_accounts, None,
          "the lender charges late fees, cuts lines, defaults accounts and charges them off"),
    Stage("policies", POLICIES, _policies, None, "each enabled policy's ``apply`` hook runs"),
    Stage("metrics", RECORDER, _metrics, None,
          "the recorder reduces the arrays into the month's indicators (not in burn-in months)"),
)

#: Stage name → stage.
STAGES: dict[str, Stage] = {s.name: s for s in MONTH}

#: The stages run per account (borrower and lender stages), in order.
ACCOUNT_STAGES: tuple[Stage, ...] = tuple(s for s in MONTH if s.actor in (BORROWER, LENDER))

_first = MONTH.index(ACCOUNT_STAGES[0])
if MONTH[_first:_first + len(ACCOUNT_STAGES)] != ACCOUNT_STAGES:
    # fast mode runs them together, block by block, at the place of the first one
    raise RuntimeError("the borrower and lender stages must be contiguous in MONTH")


def describe_month(indent: str = "") -> str:
    """The month as a numbered list, one line per stage (used in ``CreditModel``'s docstring)."""
    return "\n".join(f"{indent}{k}. ``{s.name}``{'' if s.actor == s.name else f' ({s.actor})'}: {s.doc}."
                     for k, s in enumerate(MONTH, start=1))
