"""Fast mode ≡ agent mode, seeds and replicates, common random numbers, the Borrower view."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import mesa
import numpy as np
import pandas as pd
import pytest

from simulator.config import compose
from simulator.core.agents import Borrower
from simulator.core.model import CreditModel
from simulator.core.population import generate_population
from simulator.core.rng import Streams
from simulator.core.state import ACTIVE, FIELDS
from simulator.studies.runner import run

FIELD_NAMES = [name for name, _, _ in FIELDS]
# impulse_tercile is a rank within the whole pool (quantiles over all borrowers), not a draw:
# it legitimately changes when borrowers are added.
POOL_RELATIVE = {"impulse_tercile"}


def _run_model(make_model, overrides):
    cfg = compose(overrides)
    model = make_model(cfg)
    model.run()
    pop = {k: getattr(model.pop, k).copy() for k in FIELD_NAMES}
    return cfg, pop, model.recorder.timeseries(), model.recorder.segments(), model.recorder.roll_rates()


def test_fast_mode_equals_agent_mode_bit_for_bit(make_model):
    # 3,000 borrowers in blocks of 1,024: three random-number blocks (the last one partial) and
    # so three block agents; a recession so that shocks, defaults and charge-offs all happen.
    base = ["run.n_borrowers=3000", "run.months=18", "run.burn_in=6", "run.block_size=1024",
            "economy=severe_recession"]
    cfg_f, pop_f, ts_f, seg_f, roll_f = _run_model(make_model, base + ["run.mode=fast"])
    cfg_a, pop_a, ts_a, seg_a, roll_a = _run_model(make_model, base + ["run.mode=agent"])
    assert cfg_f.run.mode == "fast" and cfg_a.run.mode == "agent"
    diff = [k for k in FIELD_NAMES if not np.array_equal(pop_f[k], pop_a[k])]
    assert diff == [], f"arrays differ between modes: {diff}"
    pd.testing.assert_frame_equal(ts_f, ts_a, check_exact=True)
    pd.testing.assert_frame_equal(seg_f, seg_a, check_exact=True)
    pd.testing.assert_frame_equal(roll_f, roll_a, check_exact=True)
    # the comparison is not vacuous: the run has accounts, defaults and charge-offs
    assert ts_f["n_active"].iloc[-1] > 0
    assert ts_f["new_defaults"].sum() > 0 and ts_f["charge_offs"].sum() > 0


def test_agent_mode_steps_one_mesa_agent_per_borrower(make_model):
    model = make_model(compose(["run.n_borrowers=50", "run.months=1", "run.burn_in=0", "run.mode=agent"]))
    agents = model.agents_by_type[Borrower]
    assert len(agents) == 50
    assert sorted(a.index for a in agents) == list(range(50))
    assert all(isinstance(a, mesa.Agent) for a in agents)


SMALL = ["run.n_borrowers=2000", "run.months=12", "run.burn_in=3", "run.replicates=2",
         "run.charts=false"]


def _assert_results_equal(a, b):
    for name in ("timeseries", "segments", "vintages", "roll_rates", "causes"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.summary["metrics"] == b.summary["metrics"]


def test_same_seed_gives_identical_outputs():
    a = run(compose(SMALL + ["run.seed=11"]))
    b = run(compose(SMALL + ["run.seed=11"]))
    _assert_results_equal(a, b)


def test_different_seed_gives_different_outputs():
    a = run(compose(SMALL + ["run.seed=11"]))
    b = run(compose(SMALL + ["run.seed=12"]))
    cols = ["receivables", "purchases", "repayments", "n_active"]
    assert not a.timeseries[cols].equals(b.timeseries[cols])


def test_replicates_differ_from_each_other(make_model):
    res = run(compose(SMALL + ["run.seed=11"]))
    ts = res.timeseries
    assert sorted(ts["replicate"].unique()) == [0, 1]
    r0 = ts[ts["replicate"] == 0].reset_index(drop=True)
    r1 = ts[ts["replicate"] == 1].reset_index(drop=True)
    cols = ["receivables", "purchases", "repayments", "n_active"]
    assert not r0[cols].equals(r1[cols])
    # a replicate is a run of its own: replicate 1 is reproducible alone
    model = make_model(compose(SMALL + ["run.seed=11"]), replicate=1)
    model.run()
    pd.testing.assert_frame_equal(model.recorder.timeseries(), r1, check_exact=True)


def test_adding_borrowers_keeps_the_first_borrowers_draws():
    cfg = compose(["run.block_size=1024"])
    n = 3000  # not a multiple of the block size: the last block of the small pool is partial
    pops = [generate_population(cfg.population, k, Streams(cfg.run.seed, 0, 1024),
                                cfg.run.burn_in, cfg.economy.unemployment_base)
            for k in (n, 2 * n)]
    for name in FIELD_NAMES:
        if name in POOL_RELATIVE:
            continue
        a, b = getattr(pops[0], name), getattr(pops[1], name)
        assert np.array_equal(a, b[:n]), name
    # and the extra borrowers are not copies of the first ones
    assert not np.array_equal(pops[1].base_income[:n], pops[1].base_income[n:])


def test_adding_borrowers_keeps_the_first_borrowers_histories(make_model):
    """Borrowers do not interact and draws are per block: the first n live the same lives.

    With the lender's risk appetite switched off: a lender that reacts to its whole book's
    delinquency (``platform.appetite_sensitivity`` > 0) couples borrowers through the book, so a
    larger book can change everyone's line and approval (the random draws stay the same).
    """
    n = 3000
    base = ["run.block_size=1024", "run.months=12", "run.burn_in=6", "platform.appetite_sensitivity=0"]
    _, pop_n, *_ = _run_model(make_model, base + [f"run.n_borrowers={n}"])
    _, pop_2n, *_ = _run_model(make_model, base + [f"run.n_borrowers={2 * n}"])
    diff = [k for k in FIELD_NAMES
            if k not in POOL_RELATIVE and not np.array_equal(pop_n[k], pop_2n[k][:n])]
    assert diff == []
    assert np.count_nonzero(pop_n["status"] == ACTIVE) > 0


def test_policy_free_config_change_keeps_population_draws(make_model):
    """Common random numbers: a platform change does not reshuffle who the borrowers are."""
    a = compose(["run.n_borrowers=2000"])
    b = dataclasses.replace(a, platform=dataclasses.replace(a.platform,
                                                            cutoff=a.platform.cutoff + 0.5))
    ma, mb = make_model(a), make_model(b)
    for name in ("base_income", "impulse", "score_noise", "arrival_month", "savings"):
        assert np.array_equal(getattr(ma.pop, name), getattr(mb.pop, name)), name
    # the month's draws of a stage are the same too
    da, db = ma.block_draws("income_and_shocks", 0), mb.block_draws("income_and_shocks", 0)
    assert all(np.array_equal(x, y) for x, y in zip(da, db, strict=True))


def test_borrower_agent_is_a_view_on_the_arrays(make_model):
    cfg = compose(["run.n_borrowers=1000", "run.months=6", "run.burn_in=3"])
    model = make_model(cfg)
    model.run()
    pop = model.pop
    i = int(np.flatnonzero(pop.status == ACTIVE)[0])
    b = model.borrower(i)
    assert isinstance(b, Borrower) and isinstance(b, mesa.Agent)
    assert model.borrower(i) is b
    for name in FIELD_NAMES:
        assert getattr(b, name) == getattr(pop, name)[i].item(), name
    assert b.balance == pytest.approx(float(pop.balance(slice(i, i + 1))[0]), rel=1e-7)
    assert b.days_past_due == 30 * int(pop.months_late[i])
    snap = b.snapshot()
    assert snap["borrower"] == i and snap["savings"] == pop.savings[i].item()
    # writing an attribute writes the array (and nothing else)
    before = {k: getattr(pop, k).copy() for k in FIELD_NAMES}
    b.savings = 1234.5
    b.months_late = 2
    b.thin_file = not bool(pop.thin_file[i])
    assert pop.savings[i] == np.float32(1234.5) and b.savings == 1234.5
    assert pop.months_late[i] == 2 and b.days_past_due == 60
    assert pop.thin_file[i] == (not before["thin_file"][i])
    for k in FIELD_NAMES:
        changed = np.flatnonzero(getattr(pop, k) != before[k])
        assert set(changed) <= ({i} if k in ("savings", "months_late", "thin_file") else set())
    with pytest.raises(IndexError):
        model.borrower(cfg.run.n_borrowers)
    with pytest.raises(IndexError):
        model.borrower(-1)


def test_release_drops_the_model_from_mesa_registry():
    # built directly, not through the make_model fixture, which would hold a reference until teardown
    model = CreditModel(compose(["run.n_borrowers=100", "run.months=1", "run.burn_in=0"]))
    model.step()
    ids = getattr(mesa.Agent, "_ids", None)  # Mesa 3.3.1's class-level registry (gone in Mesa 3.4+)
    if ids is not None:
        assert model in ids
    model.release()
    if ids is not None:
        assert model not in ids
    ref = weakref.ref(model)  # on every Mesa: nothing keeps a released model alive
    del model
    gc.collect()
    assert ref() is None


def test_results_do_not_depend_on_worker_threads(make_model):
    base = ["run.n_borrowers=3000", "run.block_size=512", "run.months=12", "run.burn_in=3",
            "economy=severe_recession"]
    _, pop1, ts1, seg1, roll1 = _run_model(make_model, base + ["run.threads=1"])
    _, pop2, ts2, seg2, roll2 = _run_model(make_model, base + ["run.threads=2"])
    assert [k for k in FIELD_NAMES if not np.array_equal(pop1[k], pop2[k])] == []
    pd.testing.assert_frame_equal(ts1, ts2, check_exact=True)
    pd.testing.assert_frame_equal(seg1, seg2, check_exact=True)
    pd.testing.assert_frame_equal(roll1, roll2, check_exact=True)
