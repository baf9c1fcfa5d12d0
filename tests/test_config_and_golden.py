"""Config files vs schemas, source comments, and golden summaries of a few scenarios.

Golden files are regenerated only on purpose: ``BNPL_REGEN_GOLDEN=1 python -m pytest
tests/test_config_and_golden.py``; then review the diff of tests/golden/*.json.
"""

import dataclasses
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from simulator.config import Config, compose
from simulator.core.state import NEVER
from simulator.studies.replicates import score_auc
from simulator.studies.runner import run

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"


def test_schema_defaults_equal_packaged_yaml_defaults():
    # one home for each number: the dataclass defaults must not drift from conf/*/default.yaml
    assert dataclasses.asdict(Config()) == dataclasses.asdict(compose([]))


@pytest.mark.parametrize("group", ["population", "platform", "economy", "run"])
def test_every_numeric_value_in_yaml_has_a_unit_or_source_comment(group):
    for path in sorted((ROOT / "conf" / group).glob("*.yaml")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = re.match(r"^(\w+):\s*([-\d.\[]).*$", line)
            if not m or m.group(1) in ("seed",):
                continue
            assert "#" in line, f"{path.name}:{n} {m.group(1)} has no unit/source comment"


@pytest.mark.parametrize("economy", ["baseline", "mild_recession", "severe_recession"])
def test_every_economy_option_composes(economy):
    cfg = compose([f"economy={economy}"])
    assert cfg.economy.name == economy


GOLDEN_CASES = {
    "baseline_small": ["run.n_borrowers=4000", "run.months=24", "run.burn_in=6",
                       "run.replicates=2", "run.seed=7", "run.charts=false"],
    "severe_small": ["economy=severe_recession", "run.n_borrowers=4000", "run.months=36",
                     "run.burn_in=6", "run.replicates=2", "run.seed=7", "run.charts=false"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_summary(name):
    res = run(compose(GOLDEN_CASES[name]))
    got = res.summary["metrics"]
    path = GOLDEN / f"{name}.json"
    if os.environ.get("BNPL_REGEN_GOLDEN") == "1":
        path.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n")
    want = json.loads(path.read_text())
    assert set(got) == set(want)
    for metric, stats in want.items():
        for stat, value in stats.items():
            # the run is deterministic; the tolerance only absorbs JSON float round-tripping
            assert got[metric][stat] == pytest.approx(value, rel=1e-9, abs=1e-12), (metric, stat)


def test_score_auc_equals_sklearn_roc_auc(make_model):
    m = make_model(compose(["run.n_borrowers=3000", "run.months=24", "run.burn_in=3"]))
    m.run()
    opened = m.pop.open_month != NEVER
    y = m.pop.default_month[opened] != NEVER
    assert 0 < y.sum() < len(y)  # both classes present, so the AUC is defined
    want = roc_auc_score(y, -m.pop.app_score[opened].astype(np.float64))
    assert score_auc(m.pop) == pytest.approx(want, abs=1e-12)


def _reference_ranking(score, bad):
    """The pandas computation the score metrics replaced (average ranks; deciles by first ranks)."""
    def auc(sc, b):
        n_pos, n_neg = int(b.sum()), int((~b).sum())
        ranks = pd.Series(-sc.astype(float)).rank(method="average").to_numpy()
        return float((ranks[b].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
    decile = pd.qcut(pd.Series(-score).rank(method="first"), 10, labels=False) + 1
    rates = pd.Series(bad.astype(float)).groupby(decile.to_numpy()).mean()
    return auc(score, bad), rates.to_numpy()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_score_metrics_equal_the_pandas_ranks_with_many_ties(seed):
    # scores rounded to a coarse grid (ties everywhere) and a few exact duplicates of +0.0/-0.0:
    # the numpy ranks must give the pandas figures exactly (ranks are half-integers, sums exact)
    from types import SimpleNamespace

    from simulator.studies.replicates import score_ranking

    rng = np.random.default_rng(seed)
    n = 5000
    score = np.round(rng.normal(size=n) * 4).astype(np.float32) / 4
    score[:50] = -0.0
    bad = rng.random(n) < 0.1 + 0.05 * (score < 0)
    pop = SimpleNamespace(app_score=score, open_month=np.zeros(n, np.int16),
                          default_month=np.where(bad, 3, NEVER).astype(np.int16), thin_file=rng.random(n) < 0.3)
    got = score_ranking(pop, months=30)
    want_auc, want_rates = _reference_ranking(score.astype(np.float64), bad)
    assert got["score_auc_24m"] == want_auc
    thin = pop.thin_file
    assert got["score_auc_24m_thin"] == _reference_ranking(score[thin].astype(np.float64), bad[thin])[0]
    assert got["score_auc_24m_established"] == _reference_ranking(score[~thin].astype(np.float64), bad[~thin])[0]
    assert got["score_decile_bad_rate_ratio"] == want_rates[-1] / want_rates[0]
    assert score_auc(pop) == want_auc


def test_score_ranking_hand_computed():
    # 20 accounts opened at month 0 of a 30-month run (all observed 24 months); scores 1..20;
    # the 4 lowest scores (worst) defaulted within 24 months, one more (score 10) at month 25
    # (outside the horizon), one established account with score 20 never opened (excluded)
    from types import SimpleNamespace

    from simulator.studies.replicates import score_ranking

    n = 21
    score = np.arange(1, n + 1, dtype=np.float32)
    open_month = np.zeros(n, dtype=np.int16)
    open_month[-1] = NEVER
    default_month = np.full(n, NEVER, dtype=np.int16)
    default_month[:4] = 5
    default_month[9] = 25
    thin = np.zeros(n, dtype=bool)
    thin[::2] = True  # scores 1, 3, 5, ...: thin files
    pop = SimpleNamespace(app_score=score, open_month=open_month, default_month=default_month,
                          thin_file=thin)
    got = score_ranking(pop, months=30)
    bad = (np.arange(20) < 4)
    assert got["score_auc_24m"] == pytest.approx(roc_auc_score(bad, -score[:20]))
    assert got["score_auc_24m"] == 1.0  # the 4 bad accounts have the 4 worst scores
    assert got["score_auc_24m_thin"] == 1.0 and got["score_auc_24m_established"] == 1.0
    # deciles of 2 accounts: worst two deciles all bad, the rest none → best decile has no bad
    assert got["score_decile_bad_rate_ratio"] is None
    assert got["score_decile_spearman"] == pytest.approx(
        pd.Series(np.arange(1, 11), dtype=float).corr(pd.Series([0.0] * 8 + [1.0, 1.0]), method="spearman"))
    # the cohort's bad rate: 4 bad of 20 opened; no time-series rows given, so no approval rate
    assert got["score_cohort_bad_rate"] == pytest.approx(0.2) and got["score_cohort_approval_rate"] is None
    # with rows: originations ÷ applicants of the cohort's months 0..6 (month 7 is outside)
    rows = [dict(month=m, applicants=10, originations=7 if m < 7 else 0) for m in range(8)]
    assert score_ranking(pop, months=30, rows=rows)["score_cohort_approval_rate"] == pytest.approx(0.7)
    # every figure has its catalogue entry
    from simulator.outputs.catalogue import SCORE_METRICS
    assert set(got) == set(SCORE_METRICS)
    # a run too short to observe 24 months, or a cohort starting after the accounts opened: nothing
    assert score_ranking(pop, months=20)["score_auc_24m"] is None
    assert score_ranking(pop, months=30, first_month=1)["score_auc_24m"] is None
