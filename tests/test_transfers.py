"""Public money: unemployment benefits and stimulus record their transfers (issue 14, full costs).

Each month's ``public_transfers`` in the time series is recomputed by hand from the borrowers'
state; the horizon's sum equals the policy's ``transfers`` in ``summary.json`` and the summary
metric ``public_transfers``; a run without a paying policy records zero and has no such metric.
"""

import numpy as np
import pytest

from simulator.core.state import CHARGED_OFF, REJECTED
from simulator.outputs.catalogue import metric
from simulator.studies.runner import run

DOWNTURN = ("economy=severe_recession", "run.months=12")


def test_benefits_transfer_is_the_extra_replacement_of_the_unemployed(compose_tiny, make_model):
    cfg = compose_tiny(*DOWNTURN, "policy=unemployment_benefits")
    model = make_model(cfg)
    model.run(until=0)  # the burn-in: no policy, nothing paid
    base_repl = model.borrower_params.unemployment_replacement
    new_repl = min(base_repl + cfg.policy.unemployment_benefits.extra_replacement, 1.0)
    ill_loss = model.borrower_params.illness_income_loss
    for _ in range(6):
        pop = model.pop
        in_book = (pop.status != REJECTED) & (pop.status != CHARGED_OFF)
        model.step()
        pop = model.pop
        income_index = model.recorder.rows[-1]["income_index"]
        mask = in_book & pop.unemployed.astype(bool)
        # by hand: base income × income index × extra replacement, less the illness income loss
        expected = float(np.sum(pop.base_income[mask].astype(np.float64) * income_index
                                * (new_repl - base_repl) * np.where(pop.ill_left[mask] > 0, 1 - ill_loss, 1.0)))
        got = model.recorder.rows[-1]["public_transfers"]
        assert got == pytest.approx(expected, rel=1e-5)
    assert sum(r["public_transfers"] for r in model.recorder.rows) > 0


def test_stimulus_pays_once_and_summary_agrees(compose_tiny):
    res = run(compose_tiny(*DOWNTURN, "policy=stimulus", "policy.stimulus.month=3"))
    ts = res.timeseries
    paid = ts[ts["public_transfers"] > 0]
    assert set(paid["month"]) == {3}
    per_rep = ts.groupby("replicate")["public_transfers"].sum().to_numpy()
    recorded = [p["stimulus"]["transfers"] for p in res.summary["policies"]]
    np.testing.assert_allclose(per_rep, recorded, rtol=1e-9)
    assert res.summary["metrics"]["public_transfers"]["mean"] == pytest.approx(np.mean(recorded))
    assert metric("public_transfers").unit == "money"


def test_no_paying_policy_records_zero_and_no_metric(tiny_config):
    res = run(tiny_config)
    assert (res.timeseries["public_transfers"] == 0).all()
    assert "public_transfers" not in res.summary["metrics"]
    assert all(v is not None for p in res.summary["policies"] for d in p.values() for v in d.values())
