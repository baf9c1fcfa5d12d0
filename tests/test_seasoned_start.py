"""The seasoned-start cache (simulator/studies/seasoned.py) and ``policy.start_month``.

- every table and metric of a small policy sweep is identical with and without the cache;
- the sweep's runs share one seasoned start per replicate (policies do not enter the key);
- what the burn-in depends on enters the key; a corrupt cache file is ignored;
- a policy acts only from ``policy.start_month``: the months before it are those of no policy.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.config import ConfigError
from simulator.studies.replicates import simulate
from simulator.studies.seasoned import cache_dir, cache_key

POLICIES = ("none", "early_warning", "hardship", "budget_assistant", "stimulus")
ECONOMIES = ("baseline", "severe_recession")


def _tables(res) -> dict[str, pd.DataFrame]:
    return {k: getattr(res, k) for k in ("timeseries", "segments", "vintages", "roll_rates", "causes")}


def test_sweep_identical_with_and_without_cache(compose_tiny, tmp_path):
    d = f"run.cache_dir={tmp_path / 'cache'}"
    for name, economy in [(p, e) for e in ECONOMIES for p in POLICIES]:
        job = (f"policy={name}", f"economy={economy}", "run.replicates=2")
        off = simulate(compose_tiny(*job, "run.burn_in_cache=false", d))
        on = simulate(compose_tiny(*job, d))
        again = simulate(compose_tiny(*job, d))
        assert again.summary["timing"]["seasoned_starts_from_cache"] == 2
        for res in (on, again):
            for k, table in _tables(off).items():
                pd.testing.assert_frame_equal(_tables(res)[k], table, check_exact=True)
            assert res.summary["metrics"] == off.summary["metrics"]
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 2  # one start per replicate for the sweep
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_key_holds_what_the_burn_in_depends_on(compose_tiny):
    base = compose_tiny()
    same = [compose_tiny("policy=early_warning"), compose_tiny("run.months=9"), compose_tiny("run.mode=agent"),
            compose_tiny("run.replicates=3"), compose_tiny("policy=hardship", "policy.start_month=3"),
            compose_tiny("economy=severe_recession"),  # its shock starts at month 6
            compose_tiny("economy=severe_recession", "economy.shock_start=0")]  # month 0 still at base
    for cfg in same:
        assert cache_key(cfg, 0) == cache_key(base, 0)
    other = [compose_tiny("run.seed=7"), compose_tiny("run.n_borrowers=1600"), compose_tiny("run.burn_in=3"),
             compose_tiny("run.block_size=1000"), compose_tiny("platform=aggressive"),
             compose_tiny("economy.unemployment_base=0.06"), compose_tiny("run.start_month=6"),
             compose_tiny("economy.income_growth_annual=0.05")]
    keys = {cache_key(cfg, 0) for cfg in other} | {cache_key(base, 1)}
    assert cache_key(base, 0) not in keys and len(keys) == len(other) + 1


def test_corrupt_cache_file_is_ignored(compose_tiny, tmp_path):
    cfg = compose_tiny(f"run.cache_dir={tmp_path}")
    ref = simulate(cfg)
    (cache_dir(cfg) / f"{cache_key(cfg, 0)}.pkl").write_bytes(b"half a file")
    res = simulate(cfg)
    assert res.summary["timing"]["seasoned_starts_from_cache"] == 0
    pd.testing.assert_frame_equal(res.timeseries, ref.timeseries, check_exact=True)


def test_policy_acts_from_start_month(compose_tiny, tmp_path):
    d = f"run.cache_dir={tmp_path}"
    none = simulate(compose_tiny("policy=early_warning", "policy.early_warning.enabled=false", d)).timeseries
    late = simulate(compose_tiny("policy=[early_warning,hardship,budget_assistant]", "policy.start_month=3",
                                 d)).timeseries
    early = simulate(compose_tiny("policy=[early_warning,hardship,budget_assistant]", d)).timeseries
    cols = [c for c in none.columns if c != "month"]
    pd.testing.assert_frame_equal(late[late.month < 3][cols], none[none.month < 3][cols], check_exact=True)
    assert not late[cols].equals(none[cols]) and not early[cols].equals(late[cols])


def test_start_month_beyond_horizon_is_refused(compose_tiny):
    with pytest.raises(ConfigError, match="policy.start_month"):
        compose_tiny("policy.start_month=6")
