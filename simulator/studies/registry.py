"""The studies a run can be: ``run.study`` name → the function that carries it out.

Every study takes a checked config and an optional run directory and returns the
:class:`~simulator.outputs.results.RunResult` of the scenario itself; what a study adds (e.g. the
cause decomposition's table) goes into that result's summary and into the run directory.
:func:`simulator.studies.runner.run` looks the study up here. The names are the choices of
``run.study`` in :class:`simulator.config.RunConfig` (a test checks that the two agree).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from simulator.config import Config, ConfigError
from simulator.outputs.results import RunResult
from simulator.studies.decomposition import run_decomposition
from simulator.studies.feedback import run_feedback_amplification
from simulator.studies.replicates import run_single

__all__ = ["Study", "STUDIES", "study"]

#: A study: ``(cfg, out_dir or None) -> RunResult`` of the scenario.
Study = Callable[[Config, str | Path | None], RunResult]

#: ``run.study`` name → study.
STUDIES: dict[str, Study] = {
    "single": run_single,                       # the replicates of the scenario (simulator.studies.replicates)
    "cause_decomposition": run_decomposition,   # plus its counterfactual cause decomposition
    "feedback_amplification": run_feedback_amplification,  # loop off and on (simulator.studies.feedback)
}


def study(name: str) -> Study:
    """The study called ``name``.

    Raises:
        ConfigError: for a name that is not in :data:`STUDIES` (one line, with the allowed names).
    """
    try:
        return STUDIES[name]
    except KeyError:
        raise ConfigError(f"run.study={name!r}: allowed: one of {', '.join(STUDIES)}") from None
