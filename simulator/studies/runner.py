"""Run a scenario or an ensemble of replicates from a config — no Hydra app needed.

This is what the command line (``simulator.apps.cli``) and notebooks call::

    from simulator.studies.runner import run_scenario
    res = run_scenario("economy=severe_recession", n_borrowers=20_000, replicates=3)
    res.timeseries.plot(x="month", y="default_rate")

:func:`run` carries out the study named by ``run.study`` (:mod:`simulator.studies.registry`);
the replicate loop itself is :func:`simulator.studies.replicates.simulate`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from simulator.config import Config, ConfigError, RunConfig, check_inputs, compose
from simulator.outputs.lang import FontMissing, output_options, require_font
from simulator.outputs.results import RunResult
from simulator.studies.registry import study
from simulator.studies.replicates import simulate, version

__all__ = ["run", "run_scenario", "simulate", "version", "compose"]


def run(cfg: Config, out_dir: str | Path | None = None) -> RunResult:
    """Carry out the study of ``cfg`` (``run.study``) and, if ``out_dir`` is given, save the results there.

    Args:
        cfg: a validated (or to-be-validated) configuration.
        out_dir: run directory; written atomically (``summary.json`` last).

    Returns:
        The combined result of all replicates (for ``cause_decomposition``, of the factual
        scenario, with the decomposition in its summary).

    Charts are written in ``report.language`` and ``report.formats``.

    Raises:
        ConfigError: for a bad config (or Chinese asked for without a CJK font), before any run.
    """
    check_inputs(cfg)
    try:
        require_font(cfg.report.language)
    except FontMissing as exc:
        raise ConfigError(str(exc)) from None
    with output_options(cfg.report.language, cfg.report.formats):
        return study(cfg.run.study)(cfg, out_dir)


#: Every ``run.*`` key of the schema (``threads``, ``study``, ... included).
_RUN_KEYS = {f.name for f in dataclasses.fields(RunConfig)}


def run_scenario(*overrides: str, out_dir: str | Path | None = None, **run_options) -> RunResult:
    """Compose a scenario from Hydra-style overrides and run it.

    Args:
        *overrides: e.g. ``"economy=severe_recession"``, ``"platform.line_multiplier=1.2"``.
        out_dir: optional run directory to save outputs into.
        **run_options: shorthand for ``run.*`` keys, e.g. ``n_borrowers=20_000, replicates=3``.

    Returns:
        The :class:`~simulator.outputs.results.RunResult`.

    Raises:
        ConfigError: for an unknown ``run_options`` key or a bad value.
    """
    extra = []
    for k, v in run_options.items():
        if k not in _RUN_KEYS:
            raise ConfigError(f"run.{k}={v!r}: unknown key; allowed: {', '.join(sorted(_RUN_KEYS))}")
        extra.append(f"run.{k}={v}")
    cfg = compose([*overrides, *extra])
    return run(cfg, out_dir)
