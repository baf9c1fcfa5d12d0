"""The study registry, the runner's dispatch and the calibration targets' one home."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from simulator.config import ConfigError, RunConfig
from simulator.studies import calibration, registry
from simulator.studies import replicates as replicates_mod
from simulator.studies.decomposition import run_decomposition
from simulator.studies.replicates import run_single, simulate
from simulator.studies.runner import run
from simulator.studies.targets import DPD30, DPD90, FREELANCE_GAP, TARGETS


def test_registry_names_are_the_choices_of_run_study():
    study = next(f for f in dataclasses.fields(RunConfig) if f.name == "study")
    assert set(registry.STUDIES) == set(study.metadata["choices"])
    assert registry.STUDIES["single"] is run_single
    assert registry.STUDIES["cause_decomposition"] is run_decomposition


def test_unknown_study_is_a_one_line_config_error():
    with pytest.raises(ConfigError, match=r"^run.study='banzhaf': allowed: one of single, cause_decomposition, "
                                          r"feedback_amplification$"):
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


# --------------------------------------------------------------------------- targets


@pytest.mark.parametrize("target", [DPD30, DPD90], ids=lambda t: t.name)
def test_each_band_holds_its_target_and_has_sources(target):
    assert target.low < target.value < target.high
    assert target.contains(target.low) and target.contains(target.high)
    assert not target.contains(target.high + 1e-9)
    assert target.sources and all(s.figure and s.period and s.publication for s in target.sources)


@pytest.mark.parametrize("target", [DPD30, DPD90], ids=lambda t: t.name)
def test_figures_quoted_in_a_band_are_its_band_or_its_sources(target):
    """The texts shown to users quote only numbers that are the band's ends or a published figure."""
    published = {x for s in target.sources for x in re.findall(r"\d+\.\d+", s.figure)}
    ends = {f"{100 * target.low:g}", f"{100 * target.high:g}", f"{100 * target.low:.1f}",
            f"{100 * target.high:.1f}"}
    for text in (target.what, target.evidence, target.band_text()):
        quoted = set(re.findall(r"\d+\.\d+", text))
        assert quoted <= published | ends, (text, quoted - published - ends)


def test_freelance_gap_is_an_assumption_without_band():
    assert FREELANCE_GAP.sources == () and "assumption" in FREELANCE_GAP.what
    with pytest.raises(ValueError):
        FREELANCE_GAP.band_text()


def test_calibration_aims_at_the_targets():
    assert calibration.TARGETS == {name: (t.value, t.what) for name, t in TARGETS.items()}
    assert list(calibration.TARGETS) == ["dpd30_rate", "dpd90_rate", "freelance_gap"]


@pytest.mark.parametrize("mode, n, months, replicates, expected", [
    ("fast", 100_000, 72, 5, 36_000_000),   # the default run: ~3 s, a bar
    ("fast", 20_000, 72, 2, 2_880_000),     # a notebook-sized run: well under a second
    ("agent", 2_000, 72, 1, 100_800_000),   # the README's agent example: ~700x a fast borrower-month
    ("agent", 100, 12, 1, 840_000),
])
def test_estimated_work_weighs_agent_mode(mode, n, months, replicates, expected):
    assert replicates_mod.estimated_work(mode, n, months, replicates) == expected


@pytest.mark.parametrize("progress, work, terminal, shown", [
    ("auto", 36_000_000, True, True),        # the default run on a terminal
    ("auto", 100_800_000, True, True),       # agent mode, 2,000 borrowers (the README's ~50 s example)
    ("auto", 2_880_000, True, False),        # short runs stay quiet
    ("auto", 100_800_000, False, False),     # never into a file or a pipe in auto
    ("on", 1, False, True),
    ("off", 10**12, True, False),
])
def test_show_progress_decision(progress, work, terminal, shown):
    assert replicates_mod.show_progress(progress, work, terminal) is shown
