"""The monthly borrower rules: compiled kernels, their parameters and their random numbers.

Each rule is a compiled kernel (:data:`~simulator.core.jit.kernel`) over a contiguous range of
borrowers: ``rule(P, s, e, E, R, M, D, off)`` updates borrowers ``s..e-1`` of the arrays ``P``
(:class:`~simulator.core.state.PopArrays`) in the month ``E``
(:class:`~simulator.core.economy.MonthEnv`) with parameters ``R`` (:class:`BorrowerParams`), this
month's constants and flags ``M`` (:class:`MonthParams`) and the month's random numbers ``D``
(:class:`Draws`) starting at index ``off``. The rules' place in the month is given by the stage
table (:data:`simulator.core.month.MONTH`): fast mode runs a rule on a whole block of borrowers,
agent mode on ``i..i+1`` from each :class:`~simulator.core.agents.Borrower`. A stage's random
numbers are drawn per block before anyone acts (:func:`draw_income_and_shocks`,
:func:`draw_spend`), and each borrower's update reads only its own elements, so both modes give
bit-identical results.

Arithmetic inside a kernel is float64; state is stored as float32.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simulator.config import PlatformConfig, PopulationConfig
from simulator.core.accounts import balance, cash_net, disposable_income, distress_relief, distress_wanted, month_net
from simulator.core.causes import (
    NEW_USER_MONTHS,
    RECENT_SHOCK_MONTHS,
    downturn_gain,
    extend_cause_set,
    primary_cause,
    track_costs,
)
from simulator.core.economy import MonthEnv
from simulator.core.jit import kernel
from simulator.core.rng import Streams, uniforms
from simulator.core.state import (
    ACTIVE,
    CHARGED_OFF,
    DEFAULTED,
    FAMILY,
    FREELANCE,
    ILLNESS,
    JOB_LOSS,
    JOB_LOSS_SYSTEMIC,
    NEVER,
    REJECTED,
    SHOCK_NONE,
    SLUMP,
    SLUMP_SYSTEMIC,
)

__all__ = [
    "BorrowerParams",
    "make_borrower_params",
    "MonthParams",
    "month_params",
    "Draws",
    "NO_DRAWS",
    "draw_income_and_shocks",
    "draw_spend",
    "income_and_shocks",
    "spend",
    "repay",
    "primary_cause",  # from simulator.core.causes, re-exported
    "RECENT_SHOCK_MONTHS", "NEW_USER_MONTHS",
    "recent_hardship",
    "cycles_paid",
    "reage_allowed",
]

F32 = np.float32

#: A freelancer whose month's income is below this share of its base level is in a slump.
SLUMP_THRESHOLD = 0.7
#: Weight of this month's purchases in the moving impulse ratio.
IMPULSE_EMA = 0.3


class BorrowerParams(NamedTuple):
    """The parameters the borrower rules read (population and the lender's product terms).

    A named tuple of floats and small arrays, so the compiled kernels can read it; built by
    :func:`make_borrower_params`.
    """

    unemployment_replacement: float
    illness_hazard: float
    illness_months: int
    illness_income_loss: float
    medical_cost_months: float
    family_event_hazard: float
    family_cost_months: float
    salaried_volatility: float
    freelance_volatility: float
    season: np.ndarray  # freelance income factor by calendar month, Jan..Dec
    demand_elasticity: float
    essentials_share: float
    planned_share: float
    distress_borrowing: float
    promo_factor: np.ndarray  # impulse multiplier by calendar month (all 0: no impulse purchases)
    saving_rate: float
    instalment_share: float
    term_cdf: np.ndarray  # cumulative term weights × instalment_share
    terms: np.ndarray
    instalment_fee_rate: float
    affordable_line_months: float  # a line above this many months of free income is over-granted (C2)
    collections_squeeze: float
    defaulted_pay_share: float
    # policy hooks (their defaults switch them off; set through CreditModel.set_borrower_params)
    afford_share: float = 0.0  # affordability_check: next month's dues <= share of free income (0: off)
    hardship_term: int = 0  # hardship: months to repay a restructured balance over (0: off)
    hardship_holiday: int = 0  # hardship: months of payment holiday after restructuring
    forbear_max: int = 0  # forbearance: months a borrower's arrears may be kept from ageing


def make_borrower_params(c: PopulationConfig, p: PlatformConfig) -> BorrowerParams:
    """Pack the configs into the :class:`BorrowerParams` the kernels read."""
    promo = np.ones(12)
    for m in c.promo_months:
        promo[m - 1] = c.promo_multiplier
    return BorrowerParams(
        unemployment_replacement=c.unemployment_replacement,
        illness_hazard=c.illness_hazard, illness_months=int(c.illness_months),
        illness_income_loss=c.illness_income_loss, medical_cost_months=c.medical_cost_months,
        family_event_hazard=c.family_event_hazard, family_cost_months=c.family_cost_months,
        salaried_volatility=c.salaried_volatility, freelance_volatility=c.freelance_volatility,
        season=np.asarray(c.freelance_season, dtype=np.float64),
        demand_elasticity=c.freelance_demand_elasticity, essentials_share=c.essentials_share,
        planned_share=c.planned_share, distress_borrowing=c.distress_borrowing,
        promo_factor=promo if c.impulse_purchases else np.zeros(12), saving_rate=c.saving_rate,
        instalment_share=p.instalment_share,
        term_cdf=np.cumsum(p.instalment_term_weights) * p.instalment_share,
        terms=np.asarray(p.instalment_terms, dtype=np.float64),
        instalment_fee_rate=p.instalment_fee_rate, affordable_line_months=p.affordable_line_months,
        collections_squeeze=p.collections_squeeze,
        defaulted_pay_share=p.defaulted_pay_share,
    )


class Draws(NamedTuple):
    """One stage's random numbers for one block (float32; unused fields are empty)."""

    u_job: np.ndarray  # uniform: job loss / re-employment
    u_life: np.ndarray  # uniform: illness [0, p_ill), family event [p_ill, p_ill + p_fam)
    z_income: np.ndarray  # income noise: uniform with mean 0 and sd 1 (bounded, so no negative pay)
    impulse: np.ndarray  # impulse purchases noise factor 1 + sigma * Z, Z as above (floored at 0)
    u_inst: np.ndarray  # uniform: instalment conversion and term


_EMPTY = np.zeros(0, dtype=F32)
#: The draws of a stage that draws no random numbers.
NO_DRAWS = Draws(_EMPTY, _EMPTY, _EMPTY, _EMPTY, _EMPTY)
_SQRT12 = F32(np.sqrt(12.0))

# Noise is uniform with mean 0 and sd 1 rather than normal: bounded (an income never turns negative
# from noise alone; large losses come from the explicit shocks) and cheaper to draw. Draws are laid
# out per block at full block size (a borrower's draws do not depend on the pool size; for an even
# block size the part beyond the pool is skipped); a kernel reads borrower ``s + j``'s at ``off + j``.


def draw_income_and_shocks(streams: Streams, month: int, block: int, cfg: PopulationConfig,
                           used: int | None = None) -> Draws:
    """The random numbers of stage ``income_and_shocks`` for one block (its first ``used`` borrowers):
    two uniforms per borrower from stream ``shocks`` (job, life events), one from ``income`` (noise).
    """
    bs = streams.block_size
    u = uniforms(streams.generator("shocks", month, block), 2, bs, used)
    v = uniforms(streams.generator("income", month, block), 1, bs, used)[0]
    return Draws(u[0], u[1], (v - F32(0.5)) * _SQRT12, _EMPTY, _EMPTY)


def draw_spend(streams: Streams, month: int, block: int, cfg: PopulationConfig, used: int | None = None) -> Draws:
    """The random numbers of stage ``spend`` for one block (its first ``used`` borrowers): two uniforms
    per borrower from ``spending`` (impulse noise of sd ``impulse_volatility``, instalment choices).
    """
    bs = streams.block_size
    u = uniforms(streams.generator("spending", month, block), 2, bs, used)
    imp = F32(1.0) + F32(cfg.impulse_volatility) * (u[0] - F32(0.5)) * _SQRT12
    return Draws(_EMPTY, _EMPTY, _EMPTY, np.maximum(imp, F32(0.0)), u[1])


#: Re-aging limits (FFIEC, Uniform Retail Credit Classification and Account Management Policy,
#: 2000): at most once in 12 months and at most twice in 5 years.
REAGE_MIN_GAP_MONTHS = 12
REAGE_WINDOW_MONTHS = 60


@kernel
def cycles_paid(pay, arrears, late):
    """How many of ``late`` missed cycles a payment ``pay`` covers (0..late).

    Payments go to the oldest amounts first, and each missed cycle's amount is taken as an equal
    share of the arrears (late fees included), ``arrears ÷ late`` (the model does not keep the
    cycles apart): the payment covers ``floor(pay ÷ (arrears ÷ late))`` of them, at most ``late``.
    """
    if late <= 0 or arrears <= 0:
        return 0
    return min(int(np.floor(pay * late / arrears)), late)


@kernel
def reage_allowed(P, i, month):  # noqa: N803
    """Whether account ``i`` may be re-aged (made current by a restructuring) in ``month``: its
    last re-age at least :data:`REAGE_MIN_GAP_MONTHS` ago, and the one before that at least
    :data:`REAGE_WINDOW_MONTHS` ago (so at most two in any five years).
    """
    last, prev = P.reage_month[i], P.reage_prev_month[i]
    return (last == NEVER or month - last >= REAGE_MIN_GAP_MONTHS) and \
        (prev == NEVER or month - prev >= REAGE_WINDOW_MONTHS)


@kernel
def recent_hardship(P, i):  # noqa: N803
    """Whether borrower ``i`` is out of work, ill, or had a job loss, illness or family event in
    the last :data:`RECENT_SHOCK_MONTHS` months (who hardship and forbearance policies cover).
    """
    if P.unemployed[i] or P.ill_left[i] > 0:
        return True
    shock = P.last_shock[i]
    return (shock == JOB_LOSS or shock == JOB_LOSS_SYSTEMIC or shock == ILLNESS or shock == FAMILY) \
        and P.shock_age[i] <= RECENT_SHOCK_MONTHS


class MonthParams(NamedTuple):
    """Per-month constants of the borrower rules (computed once a month by :func:`month_params`)."""

    demand: float  # freelance demand factor: demand_index ** elasticity
    season: float  # freelance seasonal factor of this calendar month
    promo: float  # impulse multiplier of this calendar month
    forbear: bool = False  # forbearance mandate in force: shocked borrowers' arrears do not age


def month_params(E: MonthEnv, R: BorrowerParams) -> MonthParams:  # noqa: N803
    """The month's constants of the borrower rules."""
    return MonthParams(demand=E.demand_index ** R.demand_elasticity,
                       season=float(R.season[E.calendar_month - 1]),
                       promo=float(R.promo_factor[E.calendar_month - 1]))


@kernel
def income_and_shocks(P, s, e, E, R, M, D, off):  # noqa: N803 (kernel argument names)
    """Life shocks (job loss and re-employment, illness, family events) and this month's income.

    Borrowers ``s..e-1``, whose draws start at ``D[off]``. Someone out of work finds work when
    ``u_job`` falls below the month's job-finding probability; someone at work loses it when
    ``u_job`` falls below the month's job-loss probability of its income type times its
    ``shock_proneness`` (which scales the hazards of illness and family events too). Both
    probabilities are set by the economy's labour market so that the pool's share out of work
    follows the path (:class:`~simulator.core.economy.LabourMarket`). A job loss is *systemic* when the same draw
    would not have caused one at the base economy's job-loss probability; a spell out of work
    becomes systemic (coded as a systemic job loss from then on) in the first month in which the
    same draw would have found work at the base economy's job-finding probability
    (``E.job_finding_base``) but does not at this month's. A freelancer's slump
    (income under :data:`SLUMP_THRESHOLD` of its level) is systemic when, at normal demand, the
    same draws would not have caused it. Rejected and charged-off borrowers are out of the book
    for good: only their employment is simulated further (they stay in the labour force).
    """
    for i in range(s, e):
        st = P.status[i]
        k = i - s + off
        fre = P.income_type[i] == FREELANCE
        u1 = D.u_job[k]
        prone = np.float64(P.shock_proneness[i])
        unemp = P.unemployed[i]
        lose = False
        prolonged = False
        if unemp:
            if u1 < E.job_finding:
                unemp = False
            elif u1 < E.job_finding_base:  # the base economy's job finding would have ended the spell
                prolonged = True
        elif u1 < (E.job_loss_freelance if fre else E.job_loss_salaried) * prone:
            lose = True
            unemp = True
        P.unemployed[i] = unemp
        if st == REJECTED or st == CHARGED_OFF:
            continue
        u2 = D.u_life[k]
        eps = D.z_income[k]
        ill = P.ill_left[i]
        p_ill = R.illness_hazard * prone
        new_ill = ill == 0 and u2 < p_ill
        fam = p_ill <= u2 < p_ill + R.family_event_hazard * prone
        if new_ill:
            ill = R.illness_months
        elif ill > 0:
            ill -= 1
        P.ill_left[i] = ill
        base = np.float64(P.base_income[i])
        expense = 0.0
        if new_ill:
            expense += R.medical_cost_months * base
        if fam:
            expense += R.family_cost_months * base
        P.expense[i] = expense
        level = base * E.income_index
        normal = 1.0
        if fre:
            normal = M.season * (1.0 + R.freelance_volatility * eps)
            factor = normal * M.demand
        else:
            factor = 1.0 + R.salaried_volatility * eps
        if unemp:
            income = level * R.unemployment_replacement
        else:
            income = level * max(factor, 0.0)
        if ill > 0:
            income *= 1.0 - R.illness_income_loss
        P.income[i] = income
        code = SHOCK_NONE
        if fre and not unemp and factor < SLUMP_THRESHOLD:
            code = SLUMP if normal < SLUMP_THRESHOLD else SLUMP_SYSTEMIC
        if prolonged:
            code = JOB_LOSS_SYSTEMIC
        if fam:
            code = FAMILY
        if new_ill:
            code = ILLNESS
        if lose:
            h0 = (E.job_loss_base_freelance if fre else E.job_loss_base_salaried) * prone
            code = JOB_LOSS_SYSTEMIC if u1 >= h0 else JOB_LOSS
        if code != SHOCK_NONE:
            P.last_shock[i] = code
        if code != SHOCK_NONE or unemp or ill > 0:
            P.shock_age[i] = 0
        elif P.shock_age[i] < 100:
            P.shock_age[i] += 1


@kernel
def spend(P, s, e, E, R, M, D, off):  # noqa: N803
    """BNPL purchases: distress borrowing first, then planned and impulse purchases, within the line.

    ``distress_borrowing`` of the shortfall (negative :func:`~simulator.core.accounts.month_net`) goes on the
    line before any discretionary buy; what the line leaves is split pro rata between planned and impulse.
    That distress part (:func:`~simulator.core.accounts.distress_relief`) is essentials not paid in cash:
    :func:`repay` adds it to the month's cash. Only active, current accounts buy. A month's purchases go on
    the interest-free bill due next month or, with probability ``instalment_share``, into an instalment
    plan of a drawn term with a fee of ``instalment_fee_rate`` per month of term, first due next month.
    Plans are pooled: the pool is repaid in equal parts over its remaining months, and a new plan re-amortises
    the pool over the longer of the remaining months and its own term (the total repaid equals the plans'
    principal and fees; the monthly amount is smoothed across plans).
    """
    n_terms = len(R.terms)
    for i in range(s, e):
        P.fees_m[i] = 0.0
        P.purchases_m[i] = 0.0
        P.impulse_m[i] = 0.0
        P.constrained_m[i] = 0.0
        if P.status[i] != ACTIVE or P.months_late[i] != 0:
            continue
        if P.restructured[i] > 0 and P.inst_balance[i] > 0:
            continue  # a restructured account buys nothing until the restructured balance is repaid
        k = i - s + off
        base = np.float64(P.base_income[i])
        level = base * E.income_index
        avail = max(P.line[i] - balance(P, i), 0.0)
        essentials = base * R.essentials_share * E.essential_prices
        net = month_net(P.income[i], essentials, P.other_debt[i], P.expense[i])
        impulse = level * P.impulse[i] * D.impulse[k] * M.promo
        wish = level * R.planned_share + impulse  # discretionary: planned + impulse
        want = distress_wanted(net, R.distress_borrowing) + wish  # distress borrowing + discretionary
        buy = min(want, avail)
        P.constrained_m[i] = want - buy  # purchases the line blocks (the macro loop's spending response)
        if R.afford_share > 0:  # affordability check: next month's dues within a share of the
            # free income the lender can verify (usual income less essentials and other debt)
            free = max(disposable_income(level, essentials, P.other_debt[i]), 0.0)
            n_left = P.inst_months[i]
            pool_due = P.inst_balance[i] / n_left if n_left > 0 else 0.0
            buy = min(buy, max(R.afford_share * free - pool_due, 0.0))
        if buy <= 0:
            continue
        rest = buy - distress_relief(buy, net, R.distress_borrowing)  # distress first
        imp = rest * impulse / wish if wish > 0 else 0.0
        u = D.u_inst[k]
        if u < R.instalment_share:
            j = 0
            while j < n_terms - 1 and u >= R.term_cdf[j]:
                j += 1
            term = R.terms[j]
            fee = buy * R.instalment_fee_rate * term
            P.inst_new[i] = buy + fee
            P.inst_new_term[i] = term
            P.fees_m[i] = fee
        else:
            P.bill_next[i] += buy
        P.impulse_ratio[i] = (1.0 - IMPULSE_EMA) * P.impulse_ratio[i] + IMPULSE_EMA * imp / buy
        P.purchases_m[i] = buy
        P.impulse_m[i] = imp


@kernel
def repay(P, s, e, E, R, M, D, off):  # noqa: N803
    """Pay this month's bill, instalment and arrears out of income and savings; roll delinquency.

    The month's net income is :func:`~simulator.core.accounts.cash_net`: income less essentials, other
    debt and shock expenses, plus the essentials put on the line this month (paid with next month's
    dues, not in cash: a line bridging a shortfall is liquidity). Free cash is the share
    ``discipline`` of savings plus a positive net income (a less disciplined borrower lets a payment
    slide rather than draw down savings or forgo other spending, so weak discipline brings defaults
    that follow no life shock), less a deficit. An active account pays what it owes, or all its free
    cash if less; collections squeeze ``collections_squeeze`` of the essentials paid in cash out of a
    delinquent or defaulted borrower; a defaulted account pays ``defaulted_pay_share`` of its free
    cash. A surplus is partly saved up to the buffer target; a deficit runs savings down.
    ``months_late`` counts missed payment cycles: back to 0 when everything due is paid; otherwise
    this month's cycle is one more missed cycle, less the past cycles the payment covered
    (:func:`cycles_paid`): a payment that covers the oldest missed cycle keeps the account in its
    bucket, one that covers two rolls it back a bucket. Hardship restructuring (policy) is a re-age,
    within the limits of :func:`reage_allowed`.
    Borrowers without an open account skip this stage (their savings wait at their drawn level).
    """
    for i in range(s, e):
        st = P.status[i]
        act = st == ACTIVE
        dfl = st == DEFAULTED
        P.paid_m[i] = 0.0
        if not (act or dfl):
            continue
        late = P.months_late[i]
        P.late_prev[i] = late
        lost = np.float64(P.downturn_loss[i])
        gain = downturn_gain(P, i, R, E, M) if act else 0.0
        base = np.float64(P.base_income[i])
        inst_bal = np.float64(P.inst_balance[i])
        n_left = P.inst_months[i]
        holiday = act and P.holiday_left[i] > 0
        if holiday:
            P.holiday_left[i] -= 1
        inst_due = inst_bal / n_left if act and n_left > 0 and not holiday else 0.0
        due_now = P.bill[i] + inst_due
        arrears = np.float64(P.arrears[i])
        owed = due_now + arrears
        essentials = base * R.essentials_share * E.essential_prices
        net0 = month_net(P.income[i], essentials, P.other_debt[i], P.expense[i])
        net = cash_net(np.float64(P.purchases_m[i]), net0, R.distress_borrowing)
        sav = np.float64(P.savings[i])
        cap = max(P.discipline[i] * (sav + max(net, 0.0)) + min(net, 0.0), 0.0)
        cash_ess = essentials - (net - net0)  # essentials paid in cash (the rest is on the line)
        if (act and late >= 1) or dfl:  # squeezed out of the essentials the borrower can pay for in cash
            cap += min(cash_ess, max(P.discipline[i] * sav + net + cash_ess, 0.0)) * R.collections_squeeze
        if act:
            pay = min(owed, cap)
        else:
            pay = min(arrears, cap * R.defaulted_pay_share)
        remaining = owed - pay
        inst_bal -= inst_due
        if inst_due > 0:
            n_left -= 1
        new = P.inst_new[i]
        if new > 0:  # this month's plan joins the pool; its first instalment is due next month
            inst_bal += new
            n_left = max(n_left, P.inst_new_term[i])
            P.inst_new[i] = 0.0
            P.inst_new_term[i] = 0
        P.inst_balance[i] = inst_bal
        P.inst_months[i] = n_left
        P.arrears[i] = remaining
        P.bill[i] = P.bill_next[i]
        P.bill_next[i] = 0.0
        P.paid_m[i] = pay
        left = sav + net - pay
        if left > sav:
            target = P.buffer_months[i] * base * E.income_index
            P.savings[i] = min(sav + R.saving_rate * (left - sav), max(sav, target))
        else:
            P.savings[i] = max(left, 0.0)
        if act and remaining > 0 and R.hardship_term > 0 and reage_allowed(P, i, E.month) \
                and recent_hardship(P, i):
            # hardship: the unpaid amount joins the instalment pool over hardship_term months,
            # after a payment holiday; the account is current again (a cure, if it keeps paying)
            P.inst_balance[i] += remaining
            P.inst_months[i] = max(P.inst_months[i], R.hardship_term)
            P.holiday_left[i] = R.hardship_holiday
            P.restructured[i] = min(P.restructured[i] + 1, 100)
            P.reage_prev_month[i] = P.reage_month[i]
            P.reage_month[i] = E.month
            P.arrears[i] = 0.0
            remaining = 0.0
        if act:
            cured = remaining <= 0
            if cured:
                P.months_late[i] = 0
            elif M.forbear and P.forborne[i] < R.forbear_max and recent_hardship(P, i):
                P.forborne[i] += 1  # forbearance stops the ageing, not the arrears
                if late == 0:
                    P.months_late[i] = 1
            else:  # one more missed cycle, less the past cycles this payment covered
                P.months_late[i] = min(late + 1 - cycles_paid(pay, arrears, late), 100)
            if cured and late == 0:
                P.ontime_streak[i] = min(P.ontime_streak[i], 30000) + 1
            else:
                P.ontime_streak[i] = 0
            if not cured:
                P.late_count[i] += 1
                if late == 0:
                    P.cause[i] = primary_cause(P, i, R, E, M, owed, pay, gain, lost)
                else:
                    extend_cause_set(P, i)
            track_costs(P, i, R, E, pay, gain, R.saving_rate if left > sav else 1.0)
