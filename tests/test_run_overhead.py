"""What each run of a sweep costs besides its months, made cheaper without changing anything
(issue 12, per-run overhead):

- the sweeper composes each job's config once (the pre-launch check's configs are handed to the
  launcher): the jobs' configs and numbers equal those of Hydra's basic sweeper;
- the pre-check checks another value of a lone value override on a copy of the base composition:
  the config is the one full composition gives, and a bad value gives the same one-line error;
- the vintage table built without a Python loop, checked on a hand-computed case.
(A seasoned start built from the snapshot without drawing an initial population:
``tests/test_seasoned_start.py``, identical numbers with and without the cache.)
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

from simulator.config import ConfigError, compose
from simulator.config.compose import _composed, _is_lone_value_override, precheck, variant_config
from simulator.core.recorder import vintage_table
from simulator.core.state import NEVER

BASE = ["run.n_borrowers=500", "run.months=4", "run.burn_in=2", "economy=severe_recession",
        "platform.line_multiplier=1.2"]


@pytest.mark.parametrize("i, value", [(0, "run.n_borrowers=700"), (1, "run.months=6"),
                                      (4, "platform.line_multiplier=0.9")])
def test_variant_of_a_value_override_is_the_full_composition(i, value):
    assert _is_lone_value_override(BASE, i)
    variant = BASE[:i] + [value] + BASE[i + 1:]
    got = variant_config(_composed(BASE), OverridesParser.create().parse_override(value), variant)
    assert got == compose(variant)
    assert got != compose(BASE)


def test_groups_and_repeated_keys_are_composed_again():
    assert not _is_lone_value_override(BASE, 3)  # economy=...: a config group
    assert not _is_lone_value_override(["run.months=4", "run.months=5"], 0)  # set twice
    assert not _is_lone_value_override(["run=default", "run.months=5"], 0)  # a group
    assert not _is_lone_value_override(["+run.months=4"], 0)
    assert not _is_lone_value_override(["hydra.job.chdir=true"], 0)


@pytest.mark.parametrize("value", ["run.n_borrowers=-5", "run.months=x", "platform.line_multiplier=1e9",
                                   "run.months=null"])
def test_bad_value_gives_the_error_of_the_full_composition(value):
    key = value.split("=")[0]
    i = next(j for j, o in enumerate(BASE) if o.startswith(key + "="))
    variant = BASE[:i] + [value] + BASE[i + 1:]
    with pytest.raises(ConfigError) as full:
        compose(variant)
    sweep = [*BASE[:i], f"{BASE[i]},{value.split('=', 1)[1]}", *BASE[i + 1:]]
    with pytest.raises(ConfigError) as pre:
        precheck(sweep)
    assert str(pre.value) == str(full.value)


def test_vintage_table_hand_computed():
    # months 0..2 reported, burn-in from month -1: vintages -1..2
    # two accounts opened at -1 (one defaults at month 1: 2 months on book), one opened at 1
    class Book:
        open_month = np.array([-1, -1, 1, NEVER], dtype=np.int16)
        default_month = np.array([NEVER, 1, NEVER, NEVER], dtype=np.int16)

    t = vintage_table(Book, months=3, replicate=4, first=-1)
    want = pd.DataFrame({"replicate": [4] * 6, "vintage": [-1, -1, -1, -1, 1, 1],
                         "months_on_book": [0, 1, 2, 3, 0, 1], "n_opened": [2, 2, 2, 2, 1, 1],
                         "cum_defaults": [0, 0, 1, 1, 0, 0],
                         "cum_default_rate": [0.0, 0.0, 0.5, 0.5, 0.0, 0.0]})
    pd.testing.assert_frame_equal(t, want, check_exact=True)

    class Nobody:
        open_month = np.array([NEVER], dtype=np.int16)
        default_month = np.array([NEVER], dtype=np.int16)

    assert vintage_table(Nobody, months=3, replicate=0, first=-1).empty


def _sweep(tmp_path, name, extra):
    d = tmp_path / name
    args = [sys.executable, "-m", "simulator", "-m", "run.seed=3", "policy=none,hardship", "run.n_borrowers=400",
            "run.months=3", "run.burn_in=2", "run.charts=false", f"run.cache_dir={tmp_path / 'cache'}",
            f"hydra.sweep.dir={d}", *extra]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    df = pd.read_parquet(d / "sweep_summary.parquet")
    configs = {p.parent.parent.name: p.read_text() for p in d.glob("*/.hydra/config.yaml")}
    return df.sort_values(["run", "metric", "statistic"]).reset_index(drop=True), configs, d


@pytest.mark.slow
def test_compose_once_sweeper_runs_the_jobs_of_the_basic_sweeper(tmp_path):
    once, once_cfg, d = _sweep(tmp_path, "once", [])
    assert "ComposeOnceSweeper" in (d / "multirun.yaml").read_text()
    basic, basic_cfg, d = _sweep(tmp_path, "basic", ["hydra/sweeper=basic"])
    assert "ComposeOnceSweeper" not in (d / "multirun.yaml").read_text()
    assert len(once_cfg) == 2 and once_cfg == basic_cfg
    pd.testing.assert_frame_equal(once.drop(columns=["run"]), basic.drop(columns=["run"]), check_exact=True)


def test_bad_job_stops_the_sweep_before_any_job_runs(tmp_path):
    # run.seed=-1 (the second value of a lone value override: checked without composing) is refused
    d = tmp_path / "bad"
    args = [sys.executable, "-m", "simulator", "-m", "run.seed=3,-1", "run.n_borrowers=400", "run.months=3",
            "run.burn_in=2", "run.charts=false", f"hydra.sweep.dir={d}"]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("bnpl-stress: error: run.seed=-1")
    assert not list(d.glob("*/summary.json"))
