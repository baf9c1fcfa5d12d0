"""Hand-computed unit cases for each monthly rule kernel (borrowers and platform).

Every case builds a tiny population with ``Population.empty``, sets the fields by hand, calls one
compiled kernel on it with hand-chosen random numbers, and compares with numbers computed here
from the rule as documented (the arithmetic is written out). Parameters are set explicitly in
each test (``dataclasses.replace`` of the schema), so the tests do not depend on the calibrated
YAML values. State is float32, so floats are compared with ``pytest.approx(rel=1e-6)``
(float32 has a relative precision of ~6e-8). Where a boundary is tested, the parameters and the
draws are dyadic fractions (exact in float32 and float64), so "at the boundary" is exact.

Types matter for the compiled kernels: floats are passed as Python floats and draws as float32
arrays, exactly as the model does, so no new specialisation is compiled.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from simulator.config import PlatformConfig, PopulationConfig
from simulator.core import borrower_rules as B
from simulator.core.borrower_rules import (
    Draws,
    draw_income_and_shocks,
    draw_spend,
    income_and_shocks,
    make_borrower_params,
    month_params,
    repay,
    spend,
)
from simulator.core.economy import (
    DemandFeedback,
    Economy,
    EconomyPath,
    LabourMarket,
    MonthEnv,
    base_economy,
    episode_shape,
)
from simulator.core.lender import (
    LenderState,
    age_accounts,
    book_dpd30,
    charge_off_bucket,
    default_bucket,
    make_lender_params,
    open_accounts,
    review_lines,
    update_appetite,
)
from simulator.core.rng import Streams
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
    NOT_ARRIVED,
    REJECTED,
    SALARIED,
    SHOCK_NONE,
    SLUMP,
    SLUMP_SYSTEMIC,
    Population,
)

REL = 1e-6  # float32 state: ~6e-8 relative precision; 1e-6 leaves room for a few roundings
F32 = np.float32


def approx(x):
    return pytest.approx(x, rel=REL)


def f32(x: float) -> float:
    """The float64 value of ``x`` once stored as float32 (what a kernel reads back)."""
    return float(np.float32(x))


# --- builders ------------------------------------------------------------------------------------
def pop_cfg(**kw) -> PopulationConfig:
    return dataclasses.replace(PopulationConfig(), **kw)


def plat_cfg(**kw) -> PlatformConfig:
    return dataclasses.replace(PlatformConfig(), **kw)


def env(month: int = 0, calendar_month: int = 1, unemployment_rate: float = 0.05,
        demand_index: float = 1.0, essential_prices: float = 1.0, income_index: float = 1.0,
        job_loss_salaried: float = 0.0625, job_loss_freelance: float = 0.125, job_finding: float = 0.25,
        job_loss_base_salaried: float = 0.0625, job_loss_base_freelance: float = 0.125,
        systemic: bool = False) -> MonthEnv:
    return MonthEnv(int(month), int(calendar_month), float(unemployment_rate), float(demand_index),
                    float(essential_prices), float(income_index), float(job_loss_salaried),
                    float(job_loss_freelance), float(job_finding), float(job_loss_base_salaried),
                    float(job_loss_base_freelance), bool(systemic))


def arr(values, n: int) -> np.ndarray:
    """A float32 draw array of length ``n`` (a scalar is broadcast; None gives an empty array)."""
    if values is None:
        return np.zeros(0, dtype=F32)
    a = np.asarray(values, dtype=F32)
    return np.ascontiguousarray(np.broadcast_to(a, (n,)) if a.ndim == 0 else a)


def draws(n: int, u_job=None, u_life=None, z_income=None, impulse=None, u_inst=None) -> Draws:
    return Draws(arr(u_job, n), arr(u_life, n), arr(z_income, n), arr(impulse, n), arr(u_inst, n))


def population(n: int, **fields) -> Population:
    """``Population.empty(n)`` with fields set (a scalar is broadcast, a list is per borrower)."""
    pop = Population.empty(n)
    for name, value in fields.items():
        getattr(pop, name)[:] = value
    return pop


def run_borrower_rule(rule, pop, E, pc, pl=None, D=None, s=0, e=None, off=0):
    R = make_borrower_params(pc, pl or plat_cfg())
    M = month_params(E, R)
    if D is None:
        D = draws(pop.n)
    rule(pop.arrays(), s, pop.n if e is None else e, E, R, M, D, off)
    return R, M


# =================================================================================================
# income_and_shocks
# =================================================================================================
INCOME_CFG = dict(salaried_volatility=0.1, freelance_volatility=0.25,
                  freelance_demand_elasticity=2.0, job_loss_hazard=0.0625,
                  freelance_loss_hazard=0.125, reemployment_rate=0.25,
                  unemployment_replacement=0.25, illness_hazard=0.125, illness_months=3,
                  illness_income_loss=0.5, medical_cost_months=1.0, family_event_hazard=0.25,
                  family_cost_months=0.5,
                  freelance_season=[0.5, 1.0, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
NO_EVENT = 0.875  # a u_job / u_life draw above every hazard above


def test_salaried_income_is_base_times_index_times_noise():
    pop = population(2, income_type=SALARIED, base_income=5000.0, last_shock=FAMILY, shock_age=3)
    D = draws(2, u_job=NO_EVENT, u_life=NO_EVENT, z_income=[0.5, -1.5])
    run_borrower_rule(income_and_shocks, pop, env(income_index=1.02), pop_cfg(**INCOME_CFG), D=D)
    # income = base × income_index × (1 + salaried_volatility × z)
    assert pop.income[0] == approx(5000.0 * 1.02 * (1 + 0.1 * 0.5))    # 5355.0
    assert pop.income[1] == approx(5000.0 * 1.02 * (1 + 0.1 * -1.5))   # 4335.0
    assert not pop.unemployed.any()
    assert pop.expense.tolist() == [0.0, 0.0]
    assert pop.ill_left.tolist() == [0, 0]
    # no new shock: the latest shock is kept and ages by one month
    assert pop.last_shock.tolist() == [FAMILY, FAMILY]
    assert pop.shock_age.tolist() == [4, 4]


def test_freelance_income_season_demand_and_slump_codes():
    pc = pop_cfg(**INCOME_CFG)
    # the cases below straddle the slump threshold (a module constant, 0.7 when written)
    assert 0.5625 < B.SLUMP_THRESHOLD < 1.0125
    # March (season 0.9), demand 0.75 → demand factor 0.75 ** 2.0 = 0.5625
    pop = population(2, income_type=FREELANCE, base_income=4000.0)
    D = draws(2, u_job=NO_EVENT, u_life=NO_EVENT, z_income=[0.5, -1.5])
    E = env(calendar_month=3, demand_index=0.75)
    _, M = run_borrower_rule(income_and_shocks, pop, E, pc, D=D)
    assert M.season == 0.9 and M.demand == approx(0.5625)
    # z = 0.5: normal = 0.9 × (1 + 0.25 × 0.5) = 1.0125; factor = 1.0125 × 0.5625 = 0.56953125
    # factor < 0.7 but normal >= 0.7: a slump only because of low demand → systemic
    assert pop.income[0] == approx(4000.0 * 0.9 * (1 + 0.25 * 0.5) * 0.5625)  # 2278.125
    assert pop.last_shock[0] == SLUMP_SYSTEMIC
    # z = -1.5: normal = 0.9 × (1 − 0.375) = 0.5625 < 0.7: a slump at normal demand too → SLUMP
    assert pop.income[1] == approx(4000.0 * 0.9 * (1 - 0.25 * 1.5) * 0.5625)  # 1265.625
    assert pop.last_shock[1] == SLUMP
    assert pop.shock_age.tolist() == [0, 0]

    # normal demand. Borrower 0 in January (season 0.5), z = 0.5: normal = factor = 0.5625 < 0.7,
    # a plain slump. Borrower 1 in March, z = 1.5 (draw at offset 1): 0.9 × 1.375 = 1.2375, none.
    pop = population(2, income_type=FREELANCE, base_income=4000.0, last_shock=FAMILY, shock_age=7)
    D = draws(2, u_job=NO_EVENT, u_life=NO_EVENT, z_income=[0.5, 1.5])
    run_borrower_rule(income_and_shocks, pop, env(calendar_month=1), pc, D=D, e=1)
    run_borrower_rule(income_and_shocks, pop, env(calendar_month=3), pc, D=D, s=1, e=2, off=1)
    assert pop.income[0] == approx(4000.0 * 0.5 * (1 + 0.25 * 0.5))          # 2250
    assert pop.last_shock[0] == SLUMP and pop.shock_age[0] == 0
    assert pop.income[1] == approx(4000.0 * 0.9 * (1 + 0.25 * 1.5))          # 4950
    assert pop.last_shock[1] == FAMILY and pop.shock_age[1] == 8


def test_job_loss_below_scaled_hazard_and_its_systemic_flag():
    pc = pop_cfg(**INCOME_CFG)
    # the month's job-loss probabilities: salaried 0.125, freelance 0.25 (base: 0.0625, 0.125).
    # A loss is systemic when u_job >= the base probability (the base economy would have spared them).
    u = [0.03125, 0.0625, 0.124, 0.125, 0.1, 0.2, 0.25]
    kind = [SALARIED] * 4 + [FREELANCE] * 3
    pop = population(7, income_type=kind, base_income=6000.0, last_shock=ILLNESS, shock_age=9)
    D = draws(7, u_job=u, u_life=NO_EVENT, z_income=0.0)
    E = env(calendar_month=2, job_loss_salaried=0.125, job_loss_freelance=0.25,
            income_index=1.1)   # February: season 1.0
    run_borrower_rule(income_and_shocks, pop, E, pc, D=D)
    assert pop.unemployed.tolist() == [True, True, True, False, True, True, False]
    assert pop.last_shock.tolist() == [JOB_LOSS, JOB_LOSS_SYSTEMIC, JOB_LOSS_SYSTEMIC, ILLNESS,
                                       JOB_LOSS, JOB_LOSS_SYSTEMIC, ILLNESS]
    assert pop.shock_age.tolist() == [0, 0, 0, 10, 0, 0, 10]
    # out of work: base × income_index × unemployment_replacement = 6000 × 1.1 × 0.25 = 1650
    lost = pop.unemployed
    assert pop.income[lost] == approx(np.full(5, 6000.0 * 1.1 * 0.25))
    # still at work with z = 0: base × income_index (× season 1.0 × demand 1 for the freelancer)
    assert pop.income[3] == approx(6000.0 * 1.1)
    assert pop.income[6] == approx(6000.0 * 1.1)


def test_reemployment_below_the_month_job_finding_probability():
    pc = pop_cfg(**INCOME_CFG)
    # re-employment when u_job < the month's job-finding probability 0.125
    pop = population(3, income_type=SALARIED, base_income=6000.0, unemployed=True,
                     last_shock=JOB_LOSS, shock_age=0)
    D = draws(3, u_job=[0.0625, 0.125, 0.5], u_life=NO_EVENT, z_income=0.5)
    run_borrower_rule(income_and_shocks, pop, env(job_finding=0.125), pc, D=D)
    assert pop.unemployed.tolist() == [False, True, True]
    assert pop.income[0] == approx(6000.0 * (1 + 0.1 * 0.5))   # back at work: 6300
    assert pop.income[1:] == approx(np.full(2, 6000.0 * 0.25))  # still out: 1500
    # being out of work keeps the shock "running" (age 0) but is not a new shock
    assert pop.last_shock.tolist() == [JOB_LOSS] * 3
    assert pop.shock_age.tolist() == [1, 0, 0]


def test_illness_and_family_event_partition_u_life():
    pc = pop_cfg(**INCOME_CFG)
    # illness: u_life in [0, 0.125); family event: [0.125, 0.125 + 0.25) = [0.125, 0.375)
    u = [0.0625, 0.125, 0.3, 0.375, 0.0625, 0.875]
    ill_before = [0, 0, 0, 0, 2, 1]
    pop = population(6, income_type=SALARIED, base_income=6000.0, ill_left=ill_before,
                     last_shock=SHOCK_NONE, shock_age=5)
    D = draws(6, u_job=NO_EVENT, u_life=u, z_income=0.0)
    run_borrower_rule(income_and_shocks, pop, env(), pc, D=D)
    # 0: new illness: 3 months, medical cost 1.0 × 6000, income × (1 − 0.5)
    assert pop.ill_left[0] == 3 and pop.last_shock[0] == ILLNESS and pop.shock_age[0] == 0
    assert pop.expense[0] == approx(1.0 * 6000.0)
    assert pop.income[0] == approx(6000.0 * (1 - 0.5))
    # 1, 2: family event (lower bound inclusive): expense 0.5 × 6000 = 3000, full income
    for i in (1, 2):
        assert pop.last_shock[i] == FAMILY and pop.shock_age[i] == 0 and pop.ill_left[i] == 0
        assert pop.expense[i] == approx(0.5 * 6000.0)
        assert pop.income[i] == approx(6000.0)
    # 3: upper bound exclusive: nothing happens
    assert pop.last_shock[3] == SHOCK_NONE and pop.shock_age[3] == 6
    assert pop.expense[3] == 0.0 and pop.income[3] == approx(6000.0)
    # 4: already ill: no new illness (no medical cost), one month less, income still halved
    assert pop.ill_left[4] == 1 and pop.last_shock[4] == SHOCK_NONE and pop.shock_age[4] == 0
    assert pop.expense[4] == 0.0 and pop.income[4] == approx(3000.0)
    # 5: last month of illness ends: full income again, shock ages
    assert pop.ill_left[5] == 0 and pop.income[5] == approx(6000.0) and pop.shock_age[5] == 6


def test_rejected_and_charged_off_borrowers_only_change_jobs():
    # out of the book for good, but still in the labour force: u_job = 0 is below every job-loss
    # and job-finding probability, so the employed two lose their jobs and the unemployed two
    # find one; nothing else about them is simulated.
    pc = pop_cfg(**INCOME_CFG)
    pop = population(4, status=[REJECTED, CHARGED_OFF] * 2, base_income=6000.0, income=123.0,
                     shock_age=4, unemployed=[False, False, True, True])
    D = draws(4, u_job=0.0, u_life=0.0, z_income=1.0)
    run_borrower_rule(income_and_shocks, pop, env(), pc, D=D)
    assert pop.unemployed.tolist() == [True, True, False, False]
    assert pop.income.tolist() == [123.0] * 4
    assert pop.ill_left.tolist() == [0] * 4 and pop.last_shock.tolist() == [SHOCK_NONE] * 4
    assert pop.shock_age.tolist() == [4] * 4 and pop.expense.tolist() == [0.0] * 4


def test_kernel_reads_draws_from_offset():
    # borrowers s..e-1 = 1..2 read the draws at off, off + 1 = 4, 5
    pc = pop_cfg(**INCOME_CFG)
    pop = population(4, income_type=SALARIED, base_income=1000.0, income=-1.0)
    z = [1.0, 1.0, 1.0, 1.0, 0.5, -0.5, 1.0]
    D = draws(7, u_job=NO_EVENT, u_life=NO_EVENT, z_income=z)
    run_borrower_rule(income_and_shocks, pop, env(), pc, D=D, s=1, e=3, off=4)
    assert pop.income.tolist() == approx([-1.0, 1000.0 * 1.05, 1000.0 * 0.95, -1.0])


# =================================================================================================
# spend
# =================================================================================================
SPEND_POP = dict(planned_share=0.1, distress_borrowing=0.5, essentials_share=0.55,
                 promo_months=[6, 11], promo_multiplier=2.5)
SPEND_PLAT = dict(instalment_share=0.3, instalment_terms=[3, 6, 12],
                  instalment_term_weights=[0.4, 0.35, 0.25], instalment_fee_rate=0.006)
NO_INSTALMENT = 0.875  # u_inst above instalment_share


def spend_pop(n, **kw):
    fields = dict(status=ACTIVE, base_income=6000.0, income=6600.0, impulse=0.0625,
                  impulse_ratio=0.2, line=5000.0)
    fields.update(kw)
    return population(n, **fields)


def test_spend_planned_plus_impulse_goes_on_next_bill():
    pop = spend_pop(1, bill=500.0, inst_balance=700.0)
    D = draws(1, impulse=1.25, u_inst=NO_INSTALMENT)
    E = env(calendar_month=3, income_index=1.1, essential_prices=1.05)
    run_borrower_rule(spend, pop, E, pop_cfg(**SPEND_POP), plat_cfg(**SPEND_PLAT), D=D)
    # level = 6000 × 1.1 = 6600; essentials = 6000 × 0.55 × 1.05 = 3465 < income: no shortfall
    planned = 6600 * 0.1                      # 660
    impulse = 6600 * 0.0625 * 1.25 * 1.0      # 515.625 (March: no promotion)
    buy = planned + impulse                   # 1175.625 < line − balance = 5000 − 1200
    assert pop.purchases_m[0] == approx(buy)
    assert pop.impulse_m[0] == approx(impulse)
    assert pop.bill_next[0] == approx(buy)
    assert pop.fees_m[0] == 0.0
    assert pop.inst_balance[0] == approx(700.0) and pop.bill[0] == approx(500.0)
    # moving impulse share: (1 − w) × old + w × impulse / buy, w = IMPULSE_EMA (module constant)
    w = B.IMPULSE_EMA
    assert pop.impulse_ratio[0] == approx((1 - w) * f32(0.2) + w * impulse / buy)


def test_spend_is_limited_by_the_available_line():
    # balance = bill 500 + bill_next 100 + instalments 600 + arrears 0 = 1200
    pop = spend_pop(2, line=[1500.0, 1000.0], bill=500.0, bill_next=100.0, inst_balance=600.0)
    D = draws(2, impulse=1.25, u_inst=NO_INSTALMENT)
    E = env(calendar_month=3, income_index=1.1, essential_prices=1.05)
    run_borrower_rule(spend, pop, E, pop_cfg(**SPEND_POP), plat_cfg(**SPEND_PLAT), D=D)
    want_planned, want_impulse = 660.0, 515.625
    # 0: available = 1500 − 1200 = 300 → buy 300; impulse part pro rata 300 × 515.625 / 1175.625
    assert pop.purchases_m[0] == approx(300.0)
    assert pop.impulse_m[0] == approx(300.0 * want_impulse / (want_planned + want_impulse))
    assert pop.bill_next[0] == approx(100.0 + 300.0)
    # 1: over the line (1000 < 1200): available 0, nothing bought, nothing changes
    assert pop.purchases_m[1] == 0.0 and pop.bill_next[1] == approx(100.0)
    assert pop.impulse_ratio[1] == approx(0.2)


def test_spend_promotion_month_and_distress_borrowing():
    pop = spend_pop(1, income=2000.0, other_debt=400.0, expense=500.0, line=10000.0)
    D = draws(1, impulse=1.0, u_inst=NO_INSTALMENT)
    run_borrower_rule(spend, pop, env(calendar_month=6), pop_cfg(**SPEND_POP),
                      plat_cfg(**SPEND_PLAT), D=D)
    # essentials 6000 × 0.55 = 3300; shortfall = 3300 + 400 + 500 − 2000 = 2200
    planned = 6000 * 0.1 + 0.5 * 2200          # 1700
    impulse = 6000 * 0.0625 * 1.0 * 2.5        # 937.5 (June: promotion × 2.5)
    assert pop.purchases_m[0] == approx(planned + impulse)  # 2637.5
    assert pop.impulse_m[0] == approx(impulse)


@pytest.mark.parametrize("u, term", [(0.0625, 3), (0.125, 6), (0.25, 12)])
def test_instalment_conversion_term_and_fee(u, term):
    # term cdf = cumsum(0.4, 0.35, 0.25) × 0.3 = 0.12, 0.225, 0.3:
    # u < 0.12 → 3 months, [0.12, 0.225) → 6, [0.225, 0.3) → 12
    pop = spend_pop(1, line=1200.0, inst_balance=200.0, inst_months=4, fees_m=99.0)
    D = draws(1, impulse=1.25, u_inst=u)
    run_borrower_rule(spend, pop, env(calendar_month=3), pop_cfg(**SPEND_POP),
                      plat_cfg(**SPEND_PLAT), D=D)
    buy = 1200.0 - 200.0                       # wants 600 + 468.75 = 1068.75 > available 1000
    fee = buy * 0.006 * term                   # 18, 36, 72
    assert pop.purchases_m[0] == approx(buy)
    assert pop.fees_m[0] == approx(fee)
    # the new plan waits in inst_new (first instalment next month); the pool is untouched
    assert pop.inst_new[0] == approx(buy + fee) and pop.inst_new_term[0] == term
    assert pop.inst_balance[0] == approx(200.0) and pop.inst_months[0] == 4
    assert pop.bill_next[0] == 0.0


def test_no_instalment_above_instalment_share():
    pop = spend_pop(1, line=1200.0, inst_balance=200.0)
    D = draws(1, impulse=1.25, u_inst=0.3125)  # >= 0.3
    run_borrower_rule(spend, pop, env(calendar_month=3), pop_cfg(**SPEND_POP),
                      plat_cfg(**SPEND_PLAT), D=D)
    assert pop.bill_next[0] == approx(1000.0) and pop.inst_balance[0] == approx(200.0)
    assert pop.fees_m[0] == 0.0


def test_no_purchases_unless_active_and_current():
    pop = spend_pop(3, status=[ACTIVE, DEFAULTED, NOT_ARRIVED], months_late=[1, 4, 0],
                    purchases_m=99.0, impulse_m=9.0, fees_m=5.0)
    D = draws(3, impulse=1.25, u_inst=NO_INSTALMENT)
    run_borrower_rule(spend, pop, env(), pop_cfg(**SPEND_POP), plat_cfg(**SPEND_PLAT), D=D)
    # this month's flows are reset for everyone, nothing is bought
    assert pop.purchases_m.tolist() == [0.0] * 3
    assert pop.impulse_m.tolist() == [0.0] * 3
    assert pop.fees_m.tolist() == [0.0] * 3
    assert pop.bill_next.tolist() == [0.0] * 3 and pop.inst_balance.tolist() == [0.0] * 3


# =================================================================================================
# repay
# =================================================================================================
REPAY_POP = dict(essentials_share=0.5, saving_rate=0.25)
REPAY_PLAT = dict(collections_squeeze=0.125, defaulted_pay_share=0.25)


def repay_pop(n, **kw):
    fields = dict(status=ACTIVE, base_income=6000.0, income=6000.0, other_debt=600.0,
                  buffer_months=2.0, savings=1000.0)
    fields.update(kw)
    return population(n, **fields)


def run_repay(pop, E=None):
    return run_borrower_rule(repay, pop, E or env(), pop_cfg(**REPAY_POP), plat_cfg(**REPAY_PLAT))


def test_full_payment_cures_and_saves_part_of_the_surplus():
    pop = repay_pop(1, bill=800.0, bill_next=300.0, inst_balance=600.0, inst_months=3,
                    ontime_streak=5)
    run_repay(pop)
    # essentials = 6000 × 0.5 = 3000; net = 6000 − 3000 − 600 − 0 = 2400
    # due = bill 800 + instalment 200 = 1000 <= free cash 1000 + 2400: paid in full
    assert pop.paid_m[0] == approx(1000.0)
    assert pop.arrears[0] == 0.0
    assert pop.bill[0] == approx(300.0) and pop.bill_next[0] == 0.0   # next bill comes due
    assert pop.inst_balance[0] == approx(400.0) and pop.inst_months[0] == 2   # 600 / 3 paid
    assert pop.months_late[0] == 0 and pop.late_prev[0] == 0
    assert pop.ontime_streak[0] == 6 and pop.late_count[0] == 0
    # left = 1000 + 2400 − 1000 = 2400 > savings: save 0.25 of the surplus 1400 (target 12000)
    assert pop.savings[0] == approx(1000.0 + 0.25 * 1400.0)              # 1350


@pytest.mark.parametrize("savings, expected", [
    (11900.0, 12000.0),   # 11900 + 0.25 × 1400 = 12250 > target 2 × 6000 × 1.0 → capped at 12000
    (13000.0, 13000.0),   # above the target already: keeps what it has, saves no more
])
def test_saving_stops_at_the_buffer_target(savings, expected):
    pop = repay_pop(1, bill=800.0, inst_balance=600.0, inst_months=3, savings=savings)
    run_repay(pop)
    assert pop.savings[0] == approx(expected)


def test_buffer_target_grows_with_the_income_index():
    pop = repay_pop(1, bill=800.0, inst_balance=600.0, inst_months=3, savings=11900.0)
    run_repay(pop, env(income_index=1.25, essential_prices=1.0))
    # net = 6000 − 3000 − 600 = 2400; surplus 1400 → 11900 + 350 = 12250 < 2 × 6000 × 1.25
    assert pop.savings[0] == approx(12250.0)


def test_deficit_draws_savings_down_and_floors_at_zero():
    # nothing owed; income 3000 → net = 3000 − 3000 − 600 = −600
    pop = repay_pop(2, income=3000.0, savings=[1000.0, 200.0], ontime_streak=2)
    run_repay(pop)
    assert pop.savings.tolist() == approx([1000.0 - 600.0, 0.0])        # 400; 200 − 600 → 0
    assert pop.paid_m.tolist() == [0.0, 0.0]
    assert pop.months_late.tolist() == [0, 0] and pop.ontime_streak.tolist() == [3, 3]


def test_partial_payment_makes_a_current_account_late():
    # income 3000: net = −600; free cash = savings 700 − 600 = 100 < due 1000
    pop = repay_pop(1, income=3000.0, savings=700.0, bill=1000.0, ontime_streak=4,
                    late_count=2)
    run_repay(pop)
    assert pop.paid_m[0] == approx(100.0)
    assert pop.arrears[0] == approx(900.0)
    assert pop.months_late[0] == 1 and pop.ontime_streak[0] == 0 and pop.late_count[0] == 3
    assert 1 <= pop.cause[0] <= 5          # the new delinquency gets a primary cause
    assert pop.savings[0] == 0.0           # 700 − 600 − 100


def test_partial_payment_of_a_late_account_rolls_months_late_with_collections_squeeze():
    # late 2, arrears 500, bill 400: owed 900. Net = 3000 − 3000 − 600 = −600,
    # free cash = max(800 − 600, 0) + squeeze 0.125 × essentials 3000 = 200 + 375 = 575
    pop = repay_pop(1, income=3000.0, savings=800.0, bill=400.0, arrears=500.0, months_late=2,
                    late_count=2, cause=4)
    run_repay(pop)
    assert pop.paid_m[0] == approx(575.0)
    assert pop.arrears[0] == approx(900.0 - 575.0)
    # the payment (oldest first) covers both missed cycles (250 each = 500 ÷ 2) and part of this
    # month's bill: one missed cycle left, so months_late rolls back from 2 to 1
    assert pop.months_late[0] == 1 and pop.late_prev[0] == 2
    assert pop.late_count[0] == 3 and pop.ontime_streak[0] == 0
    assert pop.cause[0] == 4               # cause is set when the delinquency starts, not after
    assert pop.savings[0] == 0.0           # 800 − 600 − 575 < 0 → 0


@pytest.mark.parametrize("savings,paid,late_after", [
    # the squeeze takes 0.125 of the essentials the borrower can pay for: min(3000, savings + net + 3000)
    (0.0, 300.0, 2),     # squeeze only: 0.125 × 2400 = 300 covers one 250 cycle of 2 → stays at 2 (2 + 1 − 1)
    (-1.0, 0.0, 3),      # (no squeeze: see below) nothing paid → rolls forward to 3
    (400.0, 350.0, 2),   # savings 400 − 600 < 0: only the squeeze, 0.125 × 2800 = 350 → stays at 2
])
def test_partial_payment_rolls_months_late_by_the_cycles_it_covers(savings, paid, late_after):
    # late 2, arrears 500 (two cycles of 250), bill 400. Net = 3000 − 3000 − 600 = −600.
    squeeze = 0.0 if savings < 0 else 0.125
    pop = repay_pop(1, income=3000.0, savings=max(savings, 0.0), bill=400.0, arrears=500.0,
                    months_late=2, late_count=2)
    run_borrower_rule(repay, pop, env(), pop_cfg(**REPAY_POP),
                      plat_cfg(**{**REPAY_PLAT, "collections_squeeze": squeeze}))
    assert pop.paid_m[0] == approx(paid)
    assert pop.months_late[0] == late_after


def test_cycles_paid_and_reage_limits_by_hand():
    # arrears 600 over 3 cycles: 200 a cycle; payments cover whole cycles, oldest first
    assert [B.cycles_paid(p, 600.0, 3) for p in (0.0, 199.0, 200.0, 450.0, 600.0, 900.0)] == [0, 0, 1, 2, 3, 3]
    assert B.cycles_paid(100.0, 0.0, 0) == 0 and B.cycles_paid(100.0, 500.0, 0) == 0
    # FFIEC: at most once in 12 months and twice in 5 years
    pop = population(5, reage_month=[NEVER, 10, 10, 30, 30], reage_prev_month=[NEVER, NEVER, NEVER, 0, -31])
    P = pop.arrays()
    month = 29
    assert [B.reage_allowed(P, i, month) for i in range(5)] == [True, True, True, False, False]
    month = 42  # 12 months after 30; the re-age before it at 0 is under 60 months ago, -31 is not
    assert [B.reage_allowed(P, i, month) for i in range(3, 5)] == [False, True]


def test_paying_the_whole_amount_cures_a_late_account():
    pop = repay_pop(1, bill=300.0, arrears=500.0, months_late=2, ontime_streak=0)
    run_repay(pop)
    # owed 800 <= free cash 1000 + 2400 (+ squeeze 375): cured
    assert pop.paid_m[0] == approx(800.0) and pop.arrears[0] == 0.0
    assert pop.months_late[0] == 0
    assert pop.ontime_streak[0] == 0       # cured from late: the on-time streak restarts next month
    # left = 1000 + 2400 − 800 = 2600 → saves 0.25 × 1600
    assert pop.savings[0] == approx(1000.0 + 0.25 * 1600.0)


def test_arrears_without_a_new_bill_keep_ageing():
    # nothing due this cycle, arrears 500 unpaid (no free cash): one more missed cycle
    pop = repay_pop(1, income=0.0, savings=0.0, other_debt=0.0, arrears=500.0, months_late=1)
    run_repay(pop)
    # no income and no savings: nothing to squeeze (issue 13: no money from nowhere) → pays 0
    assert pop.paid_m[0] == 0.0 and pop.arrears[0] == approx(500.0)
    assert pop.months_late[0] == 2


def test_collections_squeeze_takes_a_share_of_the_essentials_the_borrower_can_pay_for():
    # income 1000 against essentials 3000: the borrower pays for 1000 of essentials; the squeeze
    # takes 0.125 of those (125), never 0.125 of the 3000 it cannot pay for
    pop = repay_pop(1, income=1000.0, savings=0.0, other_debt=0.0, arrears=500.0, months_late=1)
    run_repay(pop)
    assert pop.paid_m[0] == approx(125.0) and pop.arrears[0] == approx(375.0)
    assert pop.savings[0] == 0.0


def test_last_instalment_pays_what_is_left():
    pop = repay_pop(1, inst_balance=150.0, inst_months=1)
    run_repay(pop)
    assert pop.paid_m[0] == approx(150.0)
    assert pop.inst_balance[0] == 0.0 and pop.inst_months[0] == 0


def test_new_plan_joins_the_pool_after_this_months_payment():
    # pool 600 over 3 months; this month's new plan 360 over 6 months (first due next month)
    pop = repay_pop(1, inst_balance=600.0, inst_months=3, inst_new=360.0, inst_new_term=6)
    run_repay(pop)
    assert pop.paid_m[0] == approx(200.0)                 # 600 / 3; the new plan is not due yet
    # pool after payment 400 over 2 months; + 360 → 760 re-amortised over max(2, 6) = 6 months
    assert pop.inst_balance[0] == approx(760.0) and pop.inst_months[0] == 6
    assert pop.inst_new[0] == 0.0 and pop.inst_new_term[0] == 0
    run_repay(pop)
    assert pop.paid_m[0] == approx(760.0 / 6)


def test_defaulted_account_pays_a_share_of_free_cash():
    pop = repay_pop(1, status=DEFAULTED, arrears=5000.0, months_late=5)
    run_repay(pop)
    # free cash = 1000 + 2400 + squeeze 0.125 × 3000 = 3775; pays 0.25 × 3775 = 943.75 < 5000
    assert pop.paid_m[0] == approx(943.75)
    assert pop.arrears[0] == approx(5000.0 - 943.75)
    assert pop.months_late[0] == 5 and pop.late_prev[0] == 5   # ageing is the platform's job
    # left = 1000 + 2400 − 943.75 = 2456.25 → saves 0.25 × 1456.25
    assert pop.savings[0] == approx(1000.0 + 0.25 * 1456.25)


def test_borrowers_without_an_account_skip_repayment():
    pop = repay_pop(2, status=[NOT_ARRIVED, REJECTED], income=0.0, paid_m=7.0, bill=10.0)
    run_repay(pop)
    assert pop.savings.tolist() == [1000.0, 1000.0]
    assert pop.paid_m.tolist() == [0.0, 0.0] and pop.bill.tolist() == [10.0, 10.0]


# --- cause of a delinquency: tests/test_cause_attribution.py ---------------------------------------


# =================================================================================================
# platform: approval, lines, reviews, ageing
# =================================================================================================
PLAT = dict(risk_weight_freelance=0.6, risk_weight_impulse=0.5, risk_weight_buffer=0.6,
            risk_weight_debt=0.5, score_noise_established=0.5, score_noise_thin=1.0,
            cutoff=-0.75, thin_file_cutoff_offset=-0.5, income_estimate_noise=0.25,
            line_multiplier=0.5, line_score_slope=0.25, line_factor_min=0.5, line_factor_max=1.5,
            max_line=20000.0, review_months=6, raise_share=0.25, raise_min_ontime=6,
            raise_min_utilization=0.3, max_line_to_income=2.0, cut_on_late=0.5,
            late_fee_rate=0.015, default_days=90, charge_off_days=180)
PLAT_POP = dict(impulse_mean=0.0625)
EST = math.exp(-0.5 * 0.25**2)  # income estimate factor at zero estimate noise: exp(−s²/2)


def params(**kw):
    return make_lender_params(plat_cfg(**{**PLAT, **kw}), pop_cfg(**PLAT_POP))


def neutral_applicants(n, **kw):
    """Risk index 0: salaried, impulse = mean, buffer of 3 months (log(3/3) = 0), no other debt.

    The platform estimates income from this month's income (``income``), set equal to base.
    """
    fields = dict(income_type=SALARIED, base_income=6000.0, impulse=0.0625, buffer_months=3.0,
                  other_debt=0.0, arrival_month=3)
    fields.update(kw)
    fields.setdefault("income", fields["base_income"])
    return population(n, **fields)


def test_approval_at_the_cutoff():
    below = float(np.nextafter(F32(-1.5), F32(-2.0)))      # the float32 just below −1.5
    pop = neutral_applicants(5, thin_file=[False, False, True, True, False],
                             score_noise=[-1.5, below, -1.25, -1.3, 0.0],
                             arrival_month=[3, 3, 3, 3, 4])
    open_accounts(pop.arrays(), 0, 5, env(month=3), params())
    # score = −risk (0) + noise sd × z; established: 0.5 × −1.5 = −0.75 = cutoff → approved
    assert pop.app_score[0] == approx(-0.75) and pop.status[0] == ACTIVE
    assert pop.open_month[0] == 3
    # a hair below the cutoff → rejected (score kept, no line, no open month)
    assert pop.status[1] == REJECTED and pop.app_score[1] < -0.75
    assert pop.line[1] == 0.0 and pop.open_month[1] == NEVER
    # thin file: sd 1.0, cutoff −0.75 − 0.5 = −1.25: −1.25 approved, −1.3 rejected
    assert pop.status[2] == ACTIVE and pop.app_score[2] == approx(-1.25)
    assert pop.status[3] == REJECTED and pop.app_score[3] == approx(f32(-1.3))
    # not this month's applicant: untouched
    assert pop.status[4] == NOT_ARRIVED and pop.app_score[4] == 0.0
    # line = multiplier × estimated income × clip(1 + slope × score, min, max)
    assert pop.line[0] == approx(0.5 * 6000.0 * EST * (1 + 0.25 * -0.75))    # factor 0.8125
    assert pop.line[2] == approx(0.5 * 6000.0 * EST * (1 + 0.25 * -1.25))    # factor 0.6875


def test_risk_index_score_and_line_of_a_risky_thin_file_applicant():
    # freelance 1; impulse 0.125 = 2 × mean → 2 − 1 = 1; buffer 1.5 → log(3 / 1.5) = log 2;
    # other debt 1800/6000 = 0.3 = 2 × 15%
    # risk = 0.6 × 1 + 0.5 × 1 + 0.6 × log 2 + 0.5 × 2 = 2.1 + 0.6 log 2 ≈ 2.5159
    pop = neutral_applicants(1, income_type=FREELANCE, impulse=0.125, buffer_months=1.5,
                             other_debt=1800.0, thin_file=True, score_noise=1.5,
                             income_est_noise=1.0, income=6000.0 * 1.05)
    open_accounts(pop.arrays(), 0, 1, env(month=3, income_index=1.05), params())
    score = -(2.1 + 0.6 * math.log(2.0)) + 1.0 * 1.5           # −1.016 >= thin cutoff −1.25
    assert pop.app_score[0] == approx(score)
    assert pop.status[0] == ACTIVE
    est = 6000.0 * 1.05 * math.exp(0.25 * 1.0 - 0.5 * 0.25**2)
    assert pop.line[0] == approx(0.5 * est * (1 + 0.25 * score))   # factor ≈ 0.746


def test_line_factor_is_clipped_and_line_capped():
    # z = 6 → score 3 → factor 1 + 0.75 = 1.75 → clipped at 1.5;
    # base 60000: 0.5 × 60000 × EST × 1.5 = 43,6xx > max_line 20000
    pop = neutral_applicants(3, score_noise=[6.0, 6.0, -5.0], base_income=[6000.0, 60000.0, 6000.0])
    open_accounts(pop.arrays(), 0, 3, env(month=3), params(cutoff=-3.0))
    assert pop.line[0] == approx(0.5 * 6000.0 * EST * 1.5)
    assert pop.line[1] == approx(20000.0)
    # z = −5 → score −2.5 (>= cutoff −3) → factor 1 − 0.625 = 0.375 → clipped at 0.5
    assert pop.status[2] == ACTIVE
    assert pop.line[2] == approx(0.5 * 6000.0 * EST * 0.5)


def test_line_review_without_decreases_keeps_lines_above_the_cap():
    pop = population(1, base_income=6000.0, income=6000.0, status=ACTIVE, line=12000.0,
                     ontime_streak=9, bill=2000.0, inst_balance=2000.0)
    review_lines(pop.arrays(), 0, 1, env(month=12), params(line_decrease_share=0.0))
    assert pop.line[0] == 12000.0


def test_line_review_raises_good_payers_only():
    """Lines move toward a target, at most ``raise_share`` (25%) up, ``line_decrease_share`` (20%)
    down: a good payer's target is the best score band's line, 0.5 × 1.5 × est. income (4361.5);
    a past-due account's is its score's line, 0.5 × est. income × factor 1 (2907.7), never up;
    others keep their line under the cap of 2 months' estimated income (11630.8)."""
    best = 0.5 * 1.5 * 6000.0 * EST
    rows = [
        # (line, open_month, ontime_streak, months_late, balance, status) → new line
        (2000.0, 0, 6, 0, 600.0, ACTIVE, 2000.0 * 1.25),       # raise by 25% (util 0.3 exactly)
        (4000.0, 0, 9, 0, 1500.0, ACTIVE, best),               # 5000 capped at the target line
        (10000.0, 0, 9, 0, 3000.0, ACTIVE, 8000.0),            # above its target: cut by 20% at most
        (4500.0, 0, 9, 0, 4000.0, ACTIVE, best),               # just above it: cut to it
        (20000.0, 0, 9, 0, 4000.0, ACTIVE, 16000.0),           # util 0.2, above the cap: cut by 20%
        (20000.0, 0, 2, 2, 4000.0, ACTIVE, 16000.0),           # late: re-underwritten too
        (3500.0, 0, 6, 1, 600.0, ACTIVE, 0.5 * 6000.0 * EST),  # late: cut to its score's line (2907.7)
        (2000.0, 0, 5, 0, 600.0, ACTIVE, 2000.0),              # streak too short
        (2000.0, 0, 6, 1, 600.0, ACTIVE, 2000.0),              # past due
        (2000.0, 0, 6, 0, 599.0, ACTIVE, 2000.0),              # utilisation under 0.3
        (2000.0, 1, 6, 0, 600.0, ACTIVE, 2000.0),              # 11 months on book: no review
        (2000.0, 12, 6, 0, 600.0, ACTIVE, 2000.0),             # opened this month
        (2000.0, 0, 6, 0, 600.0, DEFAULTED, 2000.0),           # not active
    ]
    n = len(rows)
    pop = population(n, base_income=6000.0, income=6000.0)   # the review reads base income × income index
    for i, (line, om, streak, late, bal, st, _) in enumerate(rows):
        pop.line[i], pop.open_month[i], pop.ontime_streak[i] = line, om, streak
        pop.months_late[i], pop.status[i] = late, st
        pop.bill[i], pop.inst_balance[i] = bal / 2, bal / 2
    review_lines(pop.arrays(), 0, n, env(month=12), params())
    assert pop.line.tolist() == approx([r[-1] for r in rows])


def test_risk_appetite_smooths_learns_its_level_from_month_0_and_tightens():
    p = plat_cfg(appetite_smoothing_months=4.0, appetite_ttc_months=10.0, appetite_tolerance=0.1,
                 appetite_sensitivity=2.0)
    st = LenderState()
    # seasoned start: the smoothed level is tracked, the through-the-cycle level is not, no action
    assert update_appetite(st, math.nan, p, act=False) == 0.0 and math.isnan(st.smoothed)
    assert update_appetite(st, 0.02, p, act=False) == 0.0 and st.smoothed == 0.02
    assert update_appetite(st, 0.04, p, act=False) == 0.0 and st.smoothed == approx(0.025)
    assert math.isnan(st.ttc)
    # month 0: smoothed 0.025 + (0.025 − 0.025)/4 = 0.025; ttc starts there → ratio 1 → 0
    assert update_appetite(st, 0.025, p, act=True) == 0.0 and st.ttc == approx(0.025)
    # a running mean at first: 0.035 as the 2nd observation → ttc (0.025 + 0.035) / 2 = 0.03
    st2 = LenderState(smoothed=0.025, ttc=0.025, months_acting=1)
    update_appetite(st2, 0.035, p, act=True)
    assert st2.ttc == approx(0.03) and st2.months_acting == 2
    for _ in range(9):  # ten months of the same level: smoothed and ttc stay at 0.025
        update_appetite(st, 0.025, p, act=True)
    assert st.months_acting == 10 and st.ttc == approx(0.025)
    # 0.065: smoothed 0.025 + 0.04/4 = 0.035; ttc 0.025 + 0.04/min(11, 10) = 0.029
    # tightness = 2 × (0.035/0.029 − 1 − 0.1) = 0.21379…
    k = update_appetite(st, 0.065, p, act=True)
    assert k == approx(2.0 * (0.035 / 0.029 - 1.1)) and st.tightness == k and st.observed == 0.065
    # a much worse month saturates at 1; a better book loosens back to 0
    assert update_appetite(st, 0.5, p, act=True) == 1.0
    for _ in range(40):
        k = update_appetite(st, 0.01, p, act=True)
    assert k == 0.0
    # sensitivity 0: the lender never changes over the cycle
    st0 = LenderState()
    update_appetite(st0, 0.02, plat_cfg(appetite_sensitivity=0.0), act=True)
    assert update_appetite(st0, 0.5, plat_cfg(appetite_sensitivity=0.0), act=True) == 0.0


def test_book_dpd30_is_the_31_plus_share_of_live_receivables():
    pop = population(5, status=[ACTIVE, ACTIVE, DEFAULTED, CHARGED_OFF, ACTIVE],
                     arrears=[100.0, 300.0, 600.0, 999.0, 0.0], months_late=[1, 2, 5, 9, 0],
                     bill=[0.0, 0.0, 0.0, 0.0, 1000.0])
    # live receivables 100 + 300 + 600 + 1000 = 2000; 31+ days (2+ cycles): 300 + 600
    assert book_dpd30(pop) == approx(900.0 / 2000.0)
    assert math.isnan(book_dpd30(population(2)))


def test_tightened_appetite_raises_the_cutoff():
    # established, sd 0.5: z = −1.4 → score −0.7 >= cutoff −0.75; tightness 0.5 × shift 0.2 → −0.65
    pop = neutral_applicants(2, score_noise=[-1.4, -1.2])
    open_accounts(pop.arrays(), 0, 2, env(month=3),
                  params(appetite_cutoff_shift=0.2)._replace(tightness=0.5))
    assert pop.status.tolist() == [REJECTED, ACTIVE]          # −0.7 < −0.65 <= −0.6


def test_tightened_appetite_cuts_unused_lines_and_shrinks_raises_at_reviews():
    rows = [
        # (line, ontime_streak, months_late, balance) → new line at tightness 0.5, cut 0.8
        (2000.0, 6, 0, 600.0, 2000.0 * (1 + 0.25 * 0.5)),       # good payer: half a raise
        (2000.0, 6, 0, 200.0, 2000.0 - 0.4 * 1800.0),            # low utilisation, never late: cut
        (2000.0, 6, 1, 600.0, 2000.0 - 0.4 * 1400.0),            # past due: cut
        (2000.0, 0, 0, 2500.0, 2000.0),                          # over the line: nothing to cut
    ]
    n = len(rows)
    pop = population(n, base_income=6000.0, income=6000.0, status=ACTIVE, open_month=0)
    for i, (line, streak, late, bal, _) in enumerate(rows):
        pop.line[i], pop.ontime_streak[i], pop.months_late[i] = line, streak, late
        pop.bill[i], pop.inst_balance[i] = bal / 2, bal / 2
    review_lines(pop.arrays(), 0, n, env(month=12),
                 params(appetite_unused_cut=0.8)._replace(tightness=0.5))
    assert pop.line.tolist() == approx([r[-1] for r in rows])
    # not a review month (11 months on book): untouched
    pop.line[:] = 2000.0
    review_lines(pop.arrays(), 0, n, env(month=11),
                 params(appetite_unused_cut=0.8)._replace(tightness=0.5))
    assert pop.line.tolist() == [2000.0] * n


def test_late_fee_and_line_cut_on_first_delinquency():
    pop = population(3, status=ACTIVE, line=3000.0, arrears=[1000.0, 1000.0, 0.0],
                     months_late=[1, 2, 0], late_prev=[0, 1, 0], fees_m=10.0, chargeoff_m=99.0)
    age_accounts(pop.arrays(), 0, 3, env(month=5), params())
    # late fee = 0.015 × 1000 = 15 added to arrears and to this month's fees
    assert pop.arrears.tolist() == approx([1015.0, 1015.0, 0.0])
    assert pop.fees_m.tolist() == approx([25.0, 25.0, 10.0])
    # just went past due (late_prev 0): line cut by half; already late: no second cut
    assert pop.line.tolist() == approx([1500.0, 3000.0, 3000.0])
    assert pop.status.tolist() == [ACTIVE] * 3
    assert pop.chargeoff_m.tolist() == [0.0] * 3


def test_default_and_charge_off_buckets():
    assert default_bucket(plat_cfg(default_days=90)) == 4        # 90 days → 4 missed cycles
    assert charge_off_bucket(plat_cfg(charge_off_days=180)) == 7  # 180 days → 7
    for days in (30, 60, 90, 120, 150, 180):
        assert default_bucket(plat_cfg(default_days=days)) == days // 30 + 1


def test_default_moves_the_whole_balance_into_arrears():
    pop = population(2, status=ACTIVE, line=1500.0, arrears=1000.0, bill=300.0,
                     inst_balance=600.0, inst_months=6, months_late=[4, 3], late_prev=[3, 2])
    age_accounts(pop.arrays(), 0, 2, env(month=7), params())
    # 0: late fee 15 → arrears 1015; default at months_late 4: 1015 + 300 + 600 = 1915
    assert pop.status[0] == DEFAULTED and pop.default_month[0] == 7
    assert pop.arrears[0] == approx(1915.0) and pop.default_balance[0] == approx(1915.0)
    assert pop.bill[0] == 0.0 and pop.inst_balance[0] == 0.0 and pop.inst_months[0] == 0
    assert pop.line[0] == 0.0
    # 1: months_late 3 (61–90 days): still active, fee only
    assert pop.status[1] == ACTIVE and pop.default_month[1] == NEVER
    assert pop.arrears[1] == approx(1015.0) and pop.line[1] == approx(1500.0)


def test_default_threshold_follows_default_days():
    pop = population(1, status=ACTIVE, arrears=1000.0, months_late=4, late_prev=3)
    age_accounts(pop.arrays(), 0, 1, env(month=7), params(default_days=120, charge_off_days=240))
    assert pop.status[0] == ACTIVE                                # 120 days → bucket 5


def test_charge_off_at_the_charge_off_bucket():
    pop = population(2, status=DEFAULTED, arrears=[1234.5, 800.0], months_late=[6, 5],
                     default_month=3)
    age_accounts(pop.arrays(), 0, 2, env(month=9), params())
    # 0: ages 6 → 7 = charge-off bucket: the whole arrears is charged off
    assert pop.status[0] == CHARGED_OFF and pop.closed_month[0] == 9
    assert pop.chargeoff_m[0] == approx(1234.5) and pop.arrears[0] == 0.0
    assert pop.months_late[0] == 7
    # 1: ages 5 → 6, stays defaulted, no late fee after default
    assert pop.status[1] == DEFAULTED and pop.months_late[1] == 6
    assert pop.arrears[1] == approx(800.0) and pop.chargeoff_m[1] == 0.0
    assert pop.closed_month[1] == NEVER


# =================================================================================================
# economy and random numbers
# =================================================================================================
def test_episode_shape_and_month_environment():
    from simulator.config import EconomyConfig

    cfg = EconomyConfig(unemployment_base=0.05, unemployment_peak_delta=0.05, shock_start=2,
                        months_to_peak=4, recovery_months=4, demand_drop=0.2)
    s = episode_shape(cfg, 12)
    # half-cosine rise over 4 months from month 2, peak at 6, linear fall to 0 at 10
    expected = [0, 0, 0, 0.5 - 0.5 * math.cos(math.pi / 4), 0.5, 0.5 + 0.5 * math.cos(math.pi / 4),
                1, 0.75, 0.5, 0.25, 0, 0]
    assert s.tolist() == pytest.approx(expected, abs=1e-12)
    path = EconomyPath.from_config(cfg, 12)
    assert path.unemployment_rate[6] == pytest.approx(0.10)

    eco = Economy.__new__(Economy)  # env() reads only cfg, path, start_month, labour, feedback: no Mesa model
    eco.cfg, eco.path, eco.start_month = cfg, path, 11
    eco.base_path = EconomyPath.from_config(base_economy(cfg), 12)
    eco.labour = LabourMarket(cfg, pop_cfg(freelance_share=0.0), 0.05)
    eco.feedback = DemandFeedback(cfg)  # economy.feedback off: the path's values
    flows = eco.labour.flows(0.10, 0.8)
    e6 = eco.env(6, flows)
    assert e6.job_finding == flows.job_finding and e6.job_loss_salaried == flows.job_loss_salaried
    assert e6.demand_index == pytest.approx(0.8) and e6.systemic
    assert e6.calendar_month == 5                                   # Nov + 6 months = May
    # the base economy (cause C5's counterfactual): trend growth only, base job finding
    assert e6.job_finding_base == eco.labour.f0 and e6.essential_prices_base == e6.essential_prices
    # (this episode has no income-growth or inflation shock: incomes and prices as on the path)
    assert e6.income_index_base == e6.income_index == pytest.approx((1 + 0.03 / 12) ** 6)
    burn = eco.env(-3, flows)                                       # burn-in: month 0's values
    assert burn.calendar_month == 8 and burn.unemployment_rate == 0.05 and not burn.systemic


def test_labour_market_flows_by_hand():
    from simulator.config import EconomyConfig

    cfg = EconomyConfig(unemployment_base=0.05, job_finding_share=0.75)
    # a pool of equally shock-prone borrowers (the proneness groups are tested below)
    pc = pop_cfg(freelance_share=0.0, reemployment_rate=0.25, job_loss_hazard=0.012,
                 shock_proneness_dispersion=0.0)
    lm = LabourMarket(cfg, pc, 0.05)
    # base steady state: s = u f / (1 − u) = 0.05 × 0.25 / 0.95
    s0 = 0.05 * 0.25 / 0.95
    assert lm.base_job_loss()[0] == pytest.approx(s0, rel=1e-9)
    f = lm.flows(0.05, 1.0)
    assert f.job_finding == pytest.approx(0.25) and f.job_loss_salaried == pytest.approx(s0)
    assert f.unemployed_salaried == pytest.approx(0.05)
    # the path rises to 10%: job finding takes 3/4 of the log-odds change logit(.1) − logit(.05)
    # = ln(19/9); the job-loss rate solves 0.10 = 0.05 (1 − f) + 0.95 s
    f = lm.step(0.10, 1.0)
    fr = 0.25 * (9 / 19) ** 0.75                                    # 0.1428...
    assert f.job_finding == pytest.approx(fr)
    assert f.job_loss_salaried == pytest.approx((0.10 - 0.05 * (1 - fr)) / 0.95)
    assert lm.u_sal == pytest.approx(0.10)
    # the path falls back to 5% at once, faster than job finding (0.25) allows: nobody loses a
    # job and job finding is 1 − 0.05 / 0.10 = 0.5
    f = lm.step(0.05, 1.0)
    assert f.job_loss_salaried == 0.0 and f.job_finding == pytest.approx(0.5)
    assert lm.u_sal == pytest.approx(0.05)

    # two types: half freelance with relative hazard 3 at normal demand, 6 at demand 0.5; the
    # pool's separations 0.05 − 0.05 × 0.75 = 0.0125 are shared 1 : 6 per employed borrower
    pc = pop_cfg(freelance_share=0.5, reemployment_rate=0.25, job_loss_hazard=0.01,
                 freelance_loss_hazard=0.03, shock_proneness_dispersion=0.0)
    lm = LabourMarket(cfg, pc, 0.05)
    f = lm.flows(0.05, 0.5)
    lam = 0.0125 / (0.5 * 0.95 * 0.01 + 0.5 * 0.95 * 0.06)
    assert f.job_loss_salaried == pytest.approx(0.01 * lam)
    assert f.job_loss_freelance == pytest.approx(0.06 * lam)
    assert 0.5 * f.unemployed_salaried + 0.5 * f.unemployed_freelance == pytest.approx(0.05)
    # no job losses at all when both relative hazards are 0
    lm = LabourMarket(cfg, pop_cfg(job_loss_hazard=0.0, freelance_loss_hazard=0.0), 0.05)
    assert lm.flows(0.08, 1.0)[1:3] == (0.0, 0.0) and lm.base_job_loss() == (0.0, 0.0)


def test_labour_market_with_proneness_groups_keeps_the_path():
    from simulator.config import EconomyConfig
    from simulator.core.economy import PRONENESS_NODES, proneness_groups

    # the groups: Gauss–Hermite nodes of a mean-1 log-normal of log-sd 1: weights sum to 1, the
    # mean factor is 1 and the mean log factor −1/2 (the rule is exact for polynomials, near exact here)
    prone, weight = proneness_groups(1.0)
    assert len(prone) == len(weight) == PRONENESS_NODES and sum(weight) == pytest.approx(1.0, abs=1e-12)
    assert sum(w * p for w, p in zip(weight, prone, strict=True)) == pytest.approx(1.0, abs=1e-6)
    assert sum(w * math.log(p) for w, p in zip(weight, prone, strict=True)) == pytest.approx(-0.5, abs=1e-9)
    assert proneness_groups(0.0) == ((1.0,), (1.0,))
    # a heterogeneous pool: the expected share out of work follows the path month after month
    # (the flow identity over the groups, with the most prone groups' job-loss probability capped
    # at 1), and the prone groups are out of work more often
    cfg = EconomyConfig(unemployment_base=0.05, job_finding_share=0.75)
    lm = LabourMarket(cfg, pop_cfg(freelance_share=0.3, shock_proneness_dispersion=1.0), 0.05)
    for u in [0.05] * 24 + [0.06, 0.08, 0.10, 0.11, 0.10, 0.08, 0.06, 0.05]:
        lm.step(u, 1.0)
        got = 0.7 * lm.u_sal + 0.3 * lm.u_fre
        assert got == pytest.approx(u, abs=1e-9)
        assert lm.u_sal == pytest.approx(sum(w * x for w, x in zip(lm.prone_weight, lm.u_sal_k, strict=True)))
    assert lm.u_sal_k[-1] > lm.u_sal_k[len(prone) // 2] > lm.u_sal_k[0]
    # at the base steady state, the hazard λ keeps each group at its own steady state h p / (h p + f)
    lm = LabourMarket(cfg, pop_cfg(freelance_share=0.0, shock_proneness_dispersion=1.0), 0.05)
    h = lm.base_job_loss()[0]
    share = sum(w * min(h * p, 1) / (min(h * p, 1) + 0.25) for w, p in zip(weight, prone, strict=True))
    assert share == pytest.approx(0.05, abs=1e-9)


def test_draws_noise_has_mean_0_sd_1_and_is_bounded():
    # 200,000 draws: the standard error of the mean is 1/sqrt(2e5) ≈ 0.0022 and of the sd
    # ≈ 0.001 (uniform), so a tolerance of 0.01 is > 4 standard errors: a wrong scale or centre
    # (e.g. sd 1/sqrt(12) or mean 0.5) fails by far, chance alone essentially never.
    cfg = pop_cfg(impulse_volatility=0.5)
    d = draw_income_and_shocks(Streams(seed=7, replicate=0, block_size=200_000), 0, 0, cfg)
    z = d.z_income.astype(np.float64)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1.0) < 0.01
    assert np.abs(z).max() <= math.sqrt(3.0) + 1e-6
    for u in (d.u_job, d.u_life):
        assert u.dtype == np.float32 and 0.0 <= u.min() and u.max() < 1.0
        assert abs(u.mean() - 0.5) < 0.01
    s = draw_spend(Streams(seed=7, replicate=0, block_size=200_000), 0, 0, cfg)
    imp = s.impulse.astype(np.float64)
    # sd 0.5 < 1/sqrt(3): the factor 1 + 0.5·sqrt(12)·(u − 0.5) stays in [1 − 0.866, 1 + 0.866]
    assert 1 - 0.5 * math.sqrt(3.0) - 1e-6 <= imp.min() and imp.max() <= 1 + 0.5 * math.sqrt(3.0) + 1e-6
    assert abs(imp.mean() - 1.0) < 0.01 and abs(imp.std() - 0.5) < 0.01


# =================================================================================================
# instalment plans over several months (spend + repay)
# =================================================================================================
def test_pooled_instalments_repay_exactly_the_plans():
    """Plan A: 300 over 3 months bought in month 1; plan B: 600 over 6 months bought in month 2.

    Pooled rule: a plan's first instalment is due the month after purchase; the pool is repaid in
    equal parts over its remaining months and a new plan re-amortises it over the longer of the
    remaining months and its term. Month 1: nothing due (A waits). Month 2: A pays 300/3 = 100,
    then B joins: pool 200 + 600 = 800 over max(2, 6) = 6 months. Months 3–8: 800/6 each.
    Total repaid = 900 = the plans' principal (no fees).
    """
    pc = pop_cfg(planned_share=0.5, impulse_mean=0.0, distress_borrowing=0.0,
                 essentials_share=0.5, saving_rate=0.25)
    # instalment_share 1: every month's purchases go into a plan; term by u_inst:
    # cdf = (0.5, 1.0): u < 0.5 → 3 months, else 6 months
    pl = plat_cfg(instalment_share=1.0, instalment_terms=[3, 6],
                  instalment_term_weights=[0.5, 0.5], instalment_fee_rate=0.0)
    pop = population(1, status=ACTIVE, base_income=6000.0, income=6000.0, savings=1e6,
                     buffer_months=1.0, impulse=0.0)
    E = env(calendar_month=3)
    R = make_borrower_params(pc, pl)
    M = month_params(E, R)
    P = pop.arrays()
    paid = []
    lines = {1: 300.0, 2: 300.0 + 600.0}            # room for exactly 300, then 600
    for month in range(1, 10):
        pop.line[0] = lines.get(month, 0.0)          # month 3 on: no new purchases
        u = 0.25 if month == 1 else 0.75
        D = draws(1, impulse=1.0, u_inst=u)
        spend(P, 0, 1, E, R, M, D, 0)
        repay(P, 0, 1, E, R, M, D, 0)
        paid.append(float(pop.paid_m[0]))
    assert paid == approx([0.0, 100.0] + [800.0 / 6] * 6 + [0.0])
    assert sum(paid) == approx(900.0)
    assert pop.inst_balance[0] == 0.0 and pop.inst_months[0] == 0


# ==========================================================================================
# persistent risk traits: shock proneness, payment discipline, the lender's trait estimate
# =================================================================================================
def test_shock_proneness_scales_job_loss_illness_and_family_hazards():
    pc = pop_cfg(**INCOME_CFG)
    # proneness 2: salaried job-loss threshold 0.0625 × 2 = 0.125 (hazard_mult 1), so u 0.1 loses
    # the job; the loss is not systemic (u < the borrower's own base hazard 0.125).
    # Illness [0, 0.125 × 2) = [0, 0.25); family event [0.25, 0.25 + 0.25 × 2) = [0.25, 0.75)
    pop = population(4, income_type=SALARIED, base_income=6000.0, shock_proneness=[2.0, 1.0, 2.0, 2.0],
                     last_shock=SHOCK_NONE, shock_age=5)
    D = draws(4, u_job=[0.1, 0.1, NO_EVENT, NO_EVENT], u_life=[NO_EVENT, NO_EVENT, 0.1875, 0.5],
              z_income=0.0)
    run_borrower_rule(income_and_shocks, pop, env(), pc, D=D)
    assert pop.unemployed.tolist() == [True, False, False, False]
    assert pop.last_shock.tolist() == [JOB_LOSS, SHOCK_NONE, ILLNESS, FAMILY]
    # proneness 1 at u_life 0.1875 (in [0.125, 0.375)) would be a family event: the scaled bounds count
    assert pop.ill_left[2] == 3 and pop.expense[2] == approx(6000.0)
    assert pop.expense[3] == approx(0.5 * 6000.0)


def test_discipline_sets_the_share_of_savings_drawn_to_pay():
    # income 3000: net = 3000 − 3000 − 600 = −600; savings 2000; due 1000.
    # discipline 1: free cash 2000 − 600 = 1400 >= 1000: paid in full, savings 2000 − 600 − 1000 = 400
    # discipline 0.5: free cash 0.5 × 2000 − 600 = 400: pays 400, 600 slides into arrears, and
    # the savings it did not draw on stay: 2000 − 600 − 400 = 1000
    pop = repay_pop(2, income=3000.0, savings=2000.0, bill=1000.0, discipline=[1.0, 0.5])
    run_repay(pop)
    assert pop.paid_m.tolist() == approx([1000.0, 400.0])
    assert pop.arrears.tolist() == approx([0.0, 600.0])
    assert pop.months_late.tolist() == [0, 1]
    assert pop.savings.tolist() == approx([400.0, 1000.0])


def test_population_traits_neutral_at_zero_dispersion_and_spread_otherwise():
    from simulator.core.population import generate_population

    streams = Streams(seed=3, replicate=0, block_size=4096)
    off = generate_population(pop_cfg(discipline_dispersion=0.0, shock_proneness_dispersion=0.0),
                              4096, streams, 0, 0.05)
    assert (off.discipline == 1.0).all() and (off.shock_proneness == 1.0).all()
    on = generate_population(pop_cfg(discipline_dispersion=1.0, shock_proneness_dispersion=0.5),
                             4096, streams, 0, 0.05)
    # the traits come from their own stream: every other draw is unchanged
    assert np.array_equal(on.base_income, off.base_income) and np.array_equal(on.score_noise, off.score_noise)
    # half the borrowers (z <= 0) keep full discipline; E[exp(−max(z, 0))] = 0.5 + exp(1/2)·Φ(−1) ≈ 0.762
    assert 0.47 < (on.discipline == 1.0).mean() < 0.53
    assert on.discipline.mean() == pytest.approx(0.5 + math.exp(0.5) * 0.158655, abs=0.01)
    # proneness: mean-1 log-normal with log-sd 0.5 (sd of the mean over 4096 ≈ 0.008)
    assert on.shock_proneness.mean() == pytest.approx(1.0, abs=0.03)
    assert np.log(on.shock_proneness).std() == pytest.approx(0.5, abs=0.02)


def test_recovery_curve_by_hand():
    from simulator.config import compose
    from simulator.core.recorder import MonthlyRecorder

    cfg = compose(["platform.recovery_rate=0.3", "platform.recovery_months=3",
                   "platform.recovery_unemployment_elasticity=1.0", "economy.unemployment_base=0.05"])
    rec = MonthlyRecorder(cfg, 0)
    # charge-offs (all, partner-funded) of 5 months; the last is this month's, which recovers nothing yet
    rec.charge_off_history = [(1000.0, 0.0), (100.0, 10.0), (200.0, 0.0), (300.0, 30.0), (400.0, 40.0)]
    # 0.3 over 3 months = 0.1 a month of each of the 3 previous months' charge-offs; at base
    # unemployment the scale is 1: 0.1 × (100 + 200 + 300) = 60 (the month-0 1000 is past its curve)
    assert rec.recoveries(env(unemployment_rate=0.05)) == (approx(60.0), approx(4.0))
    # unemployment at twice the base: (0.05 / 0.10)^1 = half as much comes in
    assert rec.recoveries(env(unemployment_rate=0.10)) == (approx(30.0), approx(2.0))
