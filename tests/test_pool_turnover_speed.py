"""The open pool's faster turnover gives the same people and the same records.

- ``generate_population(rows=...)`` from the full-block numpy streams (``BlockDraws``, the initial
  pool's source) computes only those rows, from the same draws as the whole block (the open
  pool's newcomers now come from the counter-based ``SlotDraws``: ``tests/test_rng_counter.py``);
- the turnover runs its blocks in the worker threads; the records of the people who left reach
  the recorder in block order, so the book (vintages, causes, score ranking) does not depend on
  the number of threads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.config import compose
from simulator.core.model import CreditModel
from simulator.core.pool import PoolTurnover, turn_over
from simulator.core.population import generate_population
from simulator.core.recorder import RETIRED_FIELDS
from simulator.core.rng import Streams
from simulator.core.state import ACTIVE, FIELDS, NOT_ARRIVED, Population


def test_some_rows_of_block_draws_equal_those_rows_of_the_whole_block():
    cfg = compose([])
    bs = 1024
    streams = Streams(cfg.run.seed, 0, bs)
    whole = generate_population(cfg.population, bs, streams, 0, 0.05)
    rows = np.array([0, 3, 4, 511, 1000, 1023])
    cuts = (0.01, 0.05)
    some = generate_population(cfg.population, len(rows), streams, 0, 0.05, rows=rows, impulse_cuts=cuts)
    for name, _, _ in FIELDS:
        if name == "impulse_tercile":  # placed by the given cuts, not by the whole block's terciles
            expected = (whole.impulse[rows] > cuts[0]).astype(np.int8) + (whole.impulse[rows] > cuts[1])
            assert np.array_equal(some.impulse_tercile, expected)
        else:
            assert np.array_equal(getattr(some, name), getattr(whole, name)[rows]), name
    # different rows are different people
    assert len(np.unique(some.base_income)) == len(rows)


def _book(threads: int):
    cfg = compose(["run.n_borrowers=3000", "run.block_size=512", "run.months=12", "run.burn_in=6",
                   "economy=severe_recession", f"run.threads={threads}"])
    m = CreditModel(cfg)
    try:
        m.run()
        book = m.recorder.book(m.pop)
        return book, m.causes(), len(m.recorder.retired.get("slot", ()))
    finally:
        m.release()


def test_records_of_leavers_do_not_depend_on_threads():
    (b1, c1, n1), (b2, c2, n2) = _book(1), _book(2)
    assert n1 > 0  # people with accounts did leave: the records are exercised
    assert n1 == n2
    for name in (*RETIRED_FIELDS, "slot"):
        assert np.array_equal(getattr(b1, name), getattr(b2, name)), name
    assert b1.slot.dtype == np.int64
    pd.testing.assert_frame_equal(c1, c2, check_exact=True)


def _prospects(n: int, staying: np.ndarray) -> Population:
    """``n`` people who have not applied yet (they leave at exit_hazard 1), but ``staying``: late
    accounts, who stay."""
    p = Population.empty(n)
    p.base_income[:] = p.income[:] = 5000.0
    p.status[:] = NOT_ARRIVED
    p.arrival_month[:] = 20
    p.status[staying] = ACTIVE
    p.open_month[staying] = -30
    p.line[staying] = 1000.0
    p.months_late[staying] = 1
    p.arrears[staying] = 50.0
    return p


def test_a_slots_newcomer_does_not_depend_on_pool_size_or_other_leavers():
    # common random numbers through turn_over itself: pools of 100 (two blocks of 64, the second
    # partial) and 128 slots, different slots emptied; every slot emptied in both gets the same
    # newcomer, field by field (applying month included)
    cfg = compose(["run.n_borrowers=128", "run.block_size=64", "population.exit_hazard=1",
                   "population.attrition_hazard=0"])
    streams = Streams(7, 0, 64)
    pools = []
    for n, staying in ((100, np.array([1, 2, 70])), (128, np.array([0, 5, 64, 99, 101]))):
        p = _prospects(n, staying)
        blocks = [slice(s, min(s + 64, n)) for s in range(0, n, 64)]
        turn_over(PoolTurnover(cfg, (0.01, 0.05)), p, streams, blocks, 3, 0.05, lambda *a: None)
        pools.append((p, np.setdiff1d(np.arange(n), staying)))
    (a, left_a), (b, left_b) = pools
    both = np.intersect1d(left_a, left_b)
    assert both.size > 80 and (both >= 64).any()  # both blocks compared
    for name, _, _ in FIELDS:
        assert np.array_equal(getattr(a, name)[both], getattr(b, name)[both]), name
    assert len(np.unique(a.base_income[left_a])) == left_a.size  # each slot a different person
