"""The lender's balance sheet and funding: equity, own funds and ABS/bank funding, and the
pressure that capital and funding put on its risk appetite (the macro feedback loop,
``economy.feedback``).

Once a month, at the ``risk_appetite`` stage (from month 0, only with ``economy.feedback``), the
lender books last month's result and looks at its capital and funding:

- **Own-book receivables** ``R`` = receivables of live accounts less the share funded by a joint-
  lending partner (the partner's part needs none of the platform's capital).
- **Profit** of last month = revenue (merchant, instalment and late fees) − the platform's net
  losses − funding cost (``funding rate ÷ 12`` × debt funding ``max(R − E, 0)``, R and E of last
  month) − operating cost
  (``operating_cost_rate ÷ 12`` × receivables).
- **Equity** ``E`` starts at month 0 at ``capital_target`` × ``R``; each month ``E ← E + profit``,
  and what exceeds ``capital_target × R`` is paid out (so equity never builds up without bound,
  and a book that shrinks frees capital). Losses beyond the equity are not booked against it:
  the shareholder covers them (floor 0), and that cover is counted as recapitalisation.
- **Shareholder recapitalisation**: once the capital ratio ``E ÷ R`` has been below
  ``recap_floor`` for more than ``recap_delay_months`` months in a row, the shareholder injects
  capital back to the target (``capital_target × (1 − relief)`` × ``R``). The floor is the 10%
  minimum capital adequacy ratio of China's consumer-finance company rules (CBRC 2009; their
  major shareholder holds at least 30% and commits to keep it five years, 2013 revision;
  docs/SOURCES.md); that the shareholder restores the target, and the delay (a quarter), are
  assumptions.
  ``recapitalisation`` (this month's injection plus the losses covered beyond the equity) is a
  cost to the shareholder, reported beside the loop's other costs. Without it (``recap_floor``
  0) a lender with no equity may never earn its way back: the whole book is then debt-funded,
  and the default platform's margin before funding (fees − net losses − operating cost, about
  4.6% a year of receivables at the base loss rate) is below ``funding_rate`` (5%); measured
  in the severe recession with the loop (30,000 borrowers) equity reached 0 around month 38 and
  stayed there to month 59, the tightness full after the downturn had passed.
- **Funding**: a share ``abs_funding_share`` of the debt funding is ABS. Its cost rises by
  ``funding_spread_sensitivity`` per unit of *loss excess* (the smoothed loss rate ÷ its
  through-the-cycle level − 1 − ``appetite_tolerance``, at least 0; smoothed, through-the-cycle
  and tolerated as the risk-appetite rule does for the 30+ share), and a share
  ``abs_availability_sensitivity`` × excess of it stops rolling over.
- **Pressure** = ``capital_appetite_sensitivity`` × max(capital shortfall, funding shortfall),
  capital shortfall = ``1 − appetite_tolerance − (E ÷ R) ÷ (capital_target × (1 − relief))``
  (clipped to 0..1: a management buffer, the same amber zone as the risk-appetite rule's, so a
  ratio just under target from noise or growth does not tighten; ``relief``: a countercyclical
  release of part of the target, no payout of what it frees), funding shortfall = the share of debt funding
  that is gone. It is added to the risk-appetite tightness
  (:func:`simulator.core.lender.update_appetite`), which then shifts cutoffs, cuts unused lines
  and withholds raises.

Units: money in the config's currency per month, rates per year. The numbers come from the
platform config (``conf/platform/*.yaml``, each with its source or "assumption").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.config import PlatformConfig
from simulator.core.state import ACTIVE, DEFAULTED

__all__ = ["FundingState", "own_book", "update_funding"]


@dataclass
class FundingState:
    """The lender's balance sheet and funding, month to month (on the ``Lender`` agent)."""

    equity: float = math.nan
    """Equity (own funds), currency."""
    receivables: float = math.nan
    """Own-book receivables at the last update (live accounts less the partner's share)."""
    capital_ratio: float = math.nan
    """Equity ÷ own-book receivables."""
    loss_smoothed: float = math.nan
    """Exponentially weighted average of the annualised loss rate (``appetite_smoothing_months``)."""
    loss_ttc: float = math.nan
    """Its through-the-cycle level (``appetite_ttc_months``, a running mean at first)."""
    funding_cost: float = math.nan
    """Cost of debt funding this month, per year."""
    abs_available: float = 1.0
    """Share of the ABS funding that still rolls over."""
    pressure: float = 0.0
    """Tightness added to the risk appetite (0..1)."""
    relief: float = 0.0
    """Share of the capital target released by a countercyclical policy (0: none)."""
    recapitalisation: float = 0.0
    """Paid by the shareholder this month, currency: an injection back to the target after
    ``recap_delay_months`` months below ``recap_floor``, plus losses covered beyond the equity."""
    months_below_floor: int = 0
    """Consecutive months the capital ratio has been below ``recap_floor``."""
    months: int = 0
    """Months updated."""


def own_book(pop, partner_share: float) -> float:
    """Own-book receivables: balances of live accounts (active or defaulted, not charged off),
    less ``partner_share`` of those of partner-funded accounts (summed in float64).
    """
    live = (pop.status == ACTIVE) | (pop.status == DEFAULTED)
    bal = pop.balance().astype(np.float64)
    return float(bal[live].sum() - partner_share * bal[live & pop.partner].sum())


def update_funding(state: FundingState, receivables: float, last: dict | None, p: PlatformConfig) -> float:
    """Book last month's result (``last``: the timeseries row of last month, ``None`` at the first
    update) into ``state`` and return the pressure on the risk appetite.

    Args:
        state: updated in place.
        receivables: own-book receivables now (:func:`own_book`).
        last: last month's ``revenue``, ``platform_net_losses``, ``receivables`` (all, for the
            operating cost) and ``loss_rate``.
        p: platform config.
    """
    target = p.capital_target * (1.0 - state.relief)
    prev, state.receivables = state.receivables, receivables
    state.recapitalisation = 0.0
    if last is None or math.isnan(state.equity):  # month 0: the lender holds its target
        state.equity = p.capital_target * receivables
        state.funding_cost = p.funding_rate
    else:
        loss = last["loss_rate"]
        if not math.isnan(loss):
            state.months += 1
            if math.isnan(state.loss_smoothed):
                state.loss_smoothed = state.loss_ttc = loss
            else:
                state.loss_smoothed += (loss - state.loss_smoothed) / p.appetite_smoothing_months
                state.loss_ttc += (loss - state.loss_ttc) / min(state.months, p.appetite_ttc_months)
        excess = 0.0
        if state.loss_ttc > 0:  # beyond the same tolerance as the 30+ share's (noise is not a downturn)
            excess = max(state.loss_smoothed / state.loss_ttc - 1.0 - p.appetite_tolerance, 0.0)
        state.funding_cost = p.funding_rate + p.abs_funding_share * p.funding_spread_sensitivity * excess
        state.abs_available = max(1.0 - p.abs_availability_sensitivity * excess, 0.0)
        debt = max(prev - state.equity, 0.0)
        profit = (last["revenue"] - last["platform_net_losses"] - state.funding_cost / 12.0 * debt
                  - p.operating_cost_rate / 12.0 * last["receivables"])
        equity = state.equity + profit
        state.recapitalisation = max(-equity, 0.0)  # losses beyond the equity, covered by the shareholder
        state.equity = min(max(equity, 0.0), p.capital_target * receivables)
        _recapitalise(state, receivables, target, p)
    state.capital_ratio = state.equity / receivables if receivables > 0 else math.nan
    capital_gap = 0.0
    if receivables > 0 and target > 0:
        capital_gap = min(max(1.0 - p.appetite_tolerance - state.capital_ratio / target, 0.0), 1.0)
    funding_gap = p.abs_funding_share * (1.0 - state.abs_available)
    state.pressure = min(p.capital_appetite_sensitivity * max(capital_gap, funding_gap), 1.0)
    return state.pressure


def _recapitalise(state: FundingState, receivables: float, target: float, p: PlatformConfig) -> None:
    """The shareholder's backstop: after more than ``recap_delay_months`` months in a row with
    the capital ratio below ``recap_floor``, inject capital back to ``target`` × receivables
    (added to ``state.recapitalisation``). ``recap_floor`` 0 switches it off.
    """
    if p.recap_floor <= 0 or receivables <= 0:
        return
    if state.equity >= p.recap_floor * receivables:
        state.months_below_floor = 0
        return
    state.months_below_floor += 1
    if state.months_below_floor > p.recap_delay_months:
        injection = max(target * receivables - state.equity, 0.0)
        state.equity += injection
        state.recapitalisation += injection
        state.months_below_floor = 0
