"""The study registry and the runner's dispatch."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from simulator.config import ConfigError, RunConfig
from simulator.studies import registry
from simulator.studies.decomposition import run_decomposition
from simulator.studies.replicates import run_single, simulate
from simulator.studies.runner import run


def test_registry_names_are_the_choices_of_run_study():
    study = next(f for f in dataclasses.fields(RunConfig) if f.name == "study")
    assert set(registry.STUDIES) == set(study.metadata["choices"])
    assert registry.STUDIES["single"] is run_single
    assert registry.STUDIES["cause_decomposition"] is run_decomposition


def test_unknown_study_is_a_one_line_config_error():
    with pytest.raises(ConfigError, match=r"^run.study='banzhaf': allowed: one of single, cause_decomposition$"):
        registry.study("banzhaf")


def test_run_carries_out_the_study_named_in_the_config(tiny_config, monkeypatch):
    called = []
    monkeypatch.setitem(registry.STUDIES, "single", lambda cfg, out: called.append((cfg, out)) or "done")
    assert run(tiny_config, "somewhere") == "done"
    assert called == [(tiny_config, "somewhere")]


def test_run_of_a_single_study_is_simulate(tiny_config):
    a, b = run(tiny_config), simulate(tiny_config)
    for name in ("timeseries", "segments", "vintages", "roll_rates", "causes"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.summary["metrics"] == b.summary["metrics"]
