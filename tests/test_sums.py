"""The compiled whole-book sums (``simulator.core.sums``) equal numpy's sums to the bit.

They replace numpy expressions (the lender's 30+ share, the month's charge-offs) that made
pool-sized temporaries; the model's numbers stay the same only if every sum is bit-identical, so
the tests compare with ``==``, on random books of many sizes (numpy's pairwise summation changes
shape at 8 and 128 values and at every split) and on the book of a run month by month.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from simulator.core.state import ACTIVE, CHARGED_OFF, DEFAULTED, NOT_ARRIVED, REJECTED, Population
from simulator.core.sums import (
    CHARGE_OFFS,
    LIVE_RECEIVABLES,
    LIVE_RECEIVABLES_31,
    PARTNER_CHARGE_OFFS,
    book_sum,
)


def numpy_sums(pop: Population) -> list[float]:
    """The sums as numpy computed them before (lender.book_dpd30, recorder._charge_offs)."""
    live = (pop.status == ACTIVE) | (pop.status == DEFAULTED)
    bal = pop.balance().astype(np.float64)
    co = pop.chargeoff_m.astype(np.float64)
    return [co.sum(), co[pop.partner].sum(), bal[live].sum(), bal[live & (pop.months_late >= 2)].sum()]


def random_book(n: int, rng: np.random.Generator) -> Population:
    pop = Population.empty(n)
    pop.status[:] = rng.choice([NOT_ARRIVED, REJECTED, ACTIVE, DEFAULTED, CHARGED_OFF], n)
    pop.months_late[:] = rng.integers(0, 7, n)
    pop.partner[:] = rng.random(n) < 0.3
    for name in ("bill", "bill_next", "inst_balance", "inst_new", "arrears", "chargeoff_m"):
        # magnitudes over many decades, so that the order of addition shows in the result
        scale = 10.0 ** rng.integers(-2, 7, n)
        getattr(pop, name)[:] = np.where(rng.random(n) < 0.6, rng.random(n) * scale, 0.0)
    return pop


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 100, 128, 129, 200, 257, 1000, 4096, 65_537, 300_001])
def test_book_sums_equal_numpy_to_the_bit_on_random_books(n):
    rng = np.random.default_rng(n)
    for _ in range(3):
        pop = random_book(n, rng)
        arrays = pop.arrays()
        got = [book_sum(arrays, k) for k in (CHARGE_OFFS, PARTNER_CHARGE_OFFS, LIVE_RECEIVABLES,
                                              LIVE_RECEIVABLES_31)]
        assert got == numpy_sums(pop)


def test_book_sums_equal_numpy_to_the_bit_on_a_run(make_model, compose_tiny):
    m = make_model(compose_tiny("run.n_borrowers=20000", "run.burn_in=6", "run.months=6"))
    checked = 0
    while m.month < m.cfg.run.months:
        m.step()
        arrays = m.pop.arrays()
        got = [book_sum(arrays, k) for k in range(4)]
        assert got == numpy_sums(m.pop), m.month
        checked += got[LIVE_RECEIVABLES_31] > 0
    assert checked > 0  # the book had 31+ receivables in some month



@pytest.mark.parametrize("block", [1, 7, 100, 129, 1000, 65_536])
def test_book_sums_by_blocks_in_threads_equal_the_whole_pool_sum(block):
    # the leaves and the order of addition are the whole pool's, whatever the blocks and threads
    n = 20_011
    pop = random_book(n, np.random.default_rng(block))
    arrays = pop.arrays()
    blocks = [slice(s, min(s + block, n)) for s in range(0, n, block)]
    want = numpy_sums(pop)
    with ThreadPoolExecutor(2) as pool:
        for k in range(4):
            assert book_sum(arrays, k, blocks) == want[k]
            assert book_sum(arrays, k, blocks, pool.map) == want[k]
