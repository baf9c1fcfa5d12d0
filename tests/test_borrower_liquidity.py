"""Distress borrowing gives liquidity: the essentials a borrower puts on the BNPL line are not paid
in cash that month (``core/accounts.py`` ``distress_relief`` / ``cash_net``, read by ``spend``,
``repay`` and the cause tags' ``downturn_gain``).

Hand-computed cases of ``repay`` with and without the relief (the payment and the savings after
the month), of ``spend`` putting the distress part first on a line too small for everything, of
``downturn_gain`` net of the relief, and a property test: more open-to-buy never lowers a
shortfall borrower's payment capacity (nor its savings). Parameters are set explicitly, so the
tests do not depend on the calibrated YAML values.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.core.accounts import cash_net, distress_relief, month_net
from simulator.core.borrower_rules import make_borrower_params, month_params, repay, spend
from simulator.core.causes import downturn_gain
from simulator.core.state import ACTIVE, SALARIED
from tests.test_rules import approx, draws, env, plat_cfg, pop_cfg, population, run_borrower_rule

#: essentials 6000 × 0.5 = 3000; distress borrowing puts half of a shortfall on the line.
POP = dict(essentials_share=0.5, saving_rate=0.25, distress_borrowing=0.5, planned_share=0.1)
PLAT = dict(collections_squeeze=0.125, defaulted_pay_share=0.25, instalment_share=0.0)
NO_INSTALMENT = 0.875


def _repay(purchases, savings, bill, months_late=0, arrears=0.0):
    # income 3000 → net = 3000 − 3000 − 600 − 0 = −600: a shortfall of 600, 300 of it wanted on the line
    pop = population(1, status=ACTIVE, base_income=6000.0, income=3000.0, other_debt=600.0,
                     buffer_months=2.0, savings=savings, bill=bill, purchases_m=purchases,
                     months_late=months_late, arrears=arrears)
    run_borrower_rule(repay, pop, env(), pop_cfg(**POP), plat_cfg(**PLAT))
    return pop


def test_helpers_by_hand():
    assert month_net(3000.0, 3000.0, 600.0, 250.0) == -850.0
    assert distress_relief(1200.0, -600.0, 0.5) == 300.0       # min(1200, 0.5 × 600)
    assert distress_relief(200.0, -600.0, 0.5) == 200.0        # the line carried only 200
    assert distress_relief(1200.0, 400.0, 0.5) == 0.0          # no shortfall, no relief
    assert cash_net(1200.0, -600.0, 0.5) == -300.0


@pytest.mark.parametrize("purchases, pay, arrears", [
    (0.0, 100.0, 900.0),     # no relief: free cash = 700 − 600 = 100
    (1200.0, 400.0, 600.0),  # relief min(1200, 300) = 300: net −300, free cash 700 − 300 = 400
    (200.0, 300.0, 700.0),   # relief 200 (the line carried only 200): net −400, free cash 300
])
def test_repay_short_of_the_bill_pays_more_with_the_relief(purchases, pay, arrears):
    pop = _repay(purchases, savings=700.0, bill=1000.0)
    assert pop.paid_m[0] == approx(pay)
    assert pop.arrears[0] == approx(arrears) and pop.months_late[0] == 1
    assert pop.savings[0] == 0.0      # 700 + net − pay = 0 in every case


@pytest.mark.parametrize("purchases, savings", [
    (0.0, 2000.0 - 600.0 - 1000.0),   # no relief: 2000 − 600 − 1000 = 400
    (1200.0, 2000.0 - 300.0 - 1000.0),  # relief 300: 2000 − 300 − 1000 = 700
])
def test_repay_in_full_keeps_the_relief_in_savings(purchases, savings):
    pop = _repay(purchases, savings=2000.0, bill=1000.0)
    assert pop.paid_m[0] == approx(1000.0) and pop.months_late[0] == 0 and pop.arrears[0] == 0.0
    assert pop.savings[0] == approx(savings)


def test_collections_squeeze_only_the_essentials_paid_in_cash():
    # one cycle late, no savings: net −600 without relief, −300 with 300 of essentials on the line
    # (an account that is late cannot buy, but the rule must hold for the relief it is given)
    none = _repay(0.0, savings=0.0, bill=500.0, months_late=1, arrears=500.0)
    some = _repay(1200.0, savings=0.0, bill=500.0, months_late=1, arrears=500.0)
    # cap = max(0 + min(net, 0), 0) = 0, + squeeze 0.125 × min(cash essentials, max(net + cash essentials, 0))
    # no relief: cash essentials 3000, net + 3000 = 2400 → 0.125 × 2400 = 300
    # relief 300: cash essentials 2700, net + 2700 = −300 + 2700 = 2400 → 0.125 × 2400 = 300
    assert none.paid_m[0] == approx(300.0) and some.paid_m[0] == approx(300.0)


def test_spend_puts_the_distress_part_first_and_repay_gets_it_as_cash():
    # line 500 with nothing owed: wants distress 300 + planned 600 + impulse 375 = 1275, buys 500
    pop = population(1, status=ACTIVE, base_income=6000.0, income=3000.0, other_debt=600.0,
                     buffer_months=2.0, savings=700.0, bill=1000.0, line=1500.0, impulse=0.0625,
                     impulse_ratio=0.0)
    pop.bill[0] = 1000.0  # balance 1000: open-to-buy 500
    pc, pl = pop_cfg(**POP), plat_cfg(**PLAT)
    run_borrower_rule(spend, pop, env(calendar_month=3), pc, pl, D=draws(1, impulse=1.0, u_inst=NO_INSTALMENT))
    assert pop.purchases_m[0] == approx(500.0)
    assert pop.constrained_m[0] == approx(1275.0 - 500.0)
    # distress first: 300 of the 500 are essentials; the other 200 are split planned : impulse = 600 : 375
    assert pop.impulse_m[0] == approx(200.0 * 375.0 / 975.0)
    run_borrower_rule(repay, pop, env(calendar_month=3), pc, pl)
    assert pop.paid_m[0] == approx(400.0)     # free cash 700 − (600 − 300)
    assert pop.bill[0] == approx(500.0)       # next month's bill: the 500 bought, essentials included


def test_downturn_gain_is_net_of_the_relief():
    # salaried at work, income 3000 at income index 0.75 (base 1.0): 1000 more in the base economy.
    # net −600 now (relief 300 for the one who bought 1200); +400 in the base economy (no relief):
    # that borrower's cash flow would have been 1000 − 300 = 700 higher, not 1000.
    R = make_borrower_params(pop_cfg(**POP), plat_cfg(**PLAT))
    E = env(income_index=0.75)
    pop = population(2, status=ACTIVE, income_type=SALARIED, base_income=6000.0, income=3000.0,
                     other_debt=600.0, purchases_m=[0.0, 1200.0])
    P = pop.arrays()
    assert [downturn_gain(P, i, R, E, month_params(E, R)) for i in range(2)] == approx([1000.0, 700.0])


_money = st.floats(min_value=0.0, max_value=20000.0, allow_nan=False, width=32)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(income=st.floats(min_value=0.0, max_value=12000.0, width=32), other_debt=_money,
       expense=_money, savings=_money, balance=_money, line1=_money, extra=_money,
       discipline=st.floats(min_value=0.0625, max_value=1.0, width=32),
       impulse=st.floats(min_value=0.0, max_value=1.0, width=32))
def test_more_line_never_lowers_a_shortfall_borrower_s_payment_capacity(
        income, other_debt, expense, savings, balance, line1, extra, discipline, impulse):
    # Two identical current borrowers with the same bill (the balance), the second with a larger
    # line. Shortfall borrowers only (the relief is zero otherwise, and so is any difference).
    essentials = 6000.0 * POP["essentials_share"]
    if month_net(float(np.float32(income)), essentials, float(np.float32(other_debt)),
                 float(np.float32(expense))) >= 0:
        return
    pop = population(2, status=ACTIVE, base_income=6000.0, income=income, other_debt=other_debt,
                     expense=expense, savings=savings, buffer_months=2.0, discipline=discipline,
                     impulse=impulse, line=[line1, line1 + extra], bill=balance)
    pc, pl = pop_cfg(**POP), plat_cfg(**PLAT)
    run_borrower_rule(spend, pop, env(), pc, pl, D=draws(2, impulse=1.0, u_inst=NO_INSTALMENT))
    assert pop.purchases_m[1] >= pop.purchases_m[0]
    run_borrower_rule(repay, pop, env(), pc, pl)
    assert pop.paid_m[1] >= pop.paid_m[0]       # the payment (what it owes, or all its free cash)
    assert pop.savings[1] >= pop.savings[0]
    # and the whole relief is cash: a shortfall month ends with payment + savings = savings + the
    # cash flow with the relief (floored at 0), so the two differ by the larger line's extra relief
    net = month_net(float(np.float32(income)), essentials, float(np.float32(other_debt)),
                    float(np.float32(expense)))
    ends = [max(float(np.float32(savings)) + cash_net(float(pop.purchases_m[j]), net, POP["distress_borrowing"]), 0.0)
            for j in range(2)]
    got = [float(pop.paid_m[j]) + float(pop.savings[j]) for j in range(2)]
    assert got[1] - got[0] == pytest.approx(ends[1] - ends[0], abs=0.02)  # float32 state of amounts <= 2e4
