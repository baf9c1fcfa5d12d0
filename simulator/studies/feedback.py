"""The macro feedback loop's amplification study (``run.study=feedback_amplification``).

One command runs the scenario twice with the same seeds — the loop off
(``economy.feedback=false``) and on (``true``) — so the two sides differ only by the loop
(common random numbers: every borrower draws the same shocks in both). The run directory is the
loop-on run (its tables, charts and ``summary.json``); the loop-off run is saved beside it in
``loop_off/``. ``summary.json`` gains:

- ``feedback_amplification``: for the peak and cumulative default rates and the loss rate, the
  mean with the loop, without it and their ratio (:func:`simulator.outputs.feedback.amplification`);
- ``feedback_channels``: the loop's change of each link of credit supply → spending → demand
  and jobs → defaults (:func:`simulator.outputs.feedback.channels`);

and ``charts/`` gains ``feedback_gap.png`` and ``feedback_channels.png``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, replace
from pathlib import Path

from simulator.config import Config, check_inputs
from simulator.outputs.charts.feedback import CHANNELS_FILE, GAP_FILE, plot_feedback_channels, plot_feedback_gap
from simulator.outputs.charts.run import write_charts
from simulator.outputs.feedback import amplification, channels, recapitalisation
from simulator.outputs.io import staged_dir
from simulator.outputs.results import RunResult
from simulator.outputs.rundir import LOOP_OFF_DIR
from simulator.studies.replicates import simulate

__all__ = ["loop_pair", "run_feedback_amplification"]


def loop_pair(cfg: Config) -> tuple[RunResult, RunResult]:
    """The scenario with the loop off and on (same seeds, ``run.study=single``)."""
    single = replace(cfg, run=replace(cfg.run, study="single"))
    off = simulate(replace(single, economy=replace(cfg.economy, feedback=False)))
    on = simulate(replace(single, economy=replace(cfg.economy, feedback=True)))
    return off, on


def run_feedback_amplification(cfg: Config, out_dir: str | Path | None = None) -> RunResult:
    """Run the loop off and on and report the amplification (see the module docstring).

    Returns:
        The loop-on run's result, ``summary["feedback_amplification"]`` and
        ``summary["feedback_channels"]`` added; the loop-off result is ``result.loop_off``.
    """
    check_inputs(cfg)
    t0 = time.perf_counter()
    off, on = loop_pair(cfg)
    amp = amplification(off.timeseries, off.segments, on.timeseries, on.segments)
    table = channels(off.timeseries, on.timeseries)
    on.summary["config"] = asdict(cfg)
    on.summary["feedback_amplification"] = amp
    on.summary["feedback_channels"] = table.to_dict(orient="records")
    on.summary["feedback_recapitalisation"] = recapitalisation(on.timeseries)
    on.summary.setdefault("timing", {})["feedback_study_seconds"] = round(time.perf_counter() - t0, 3)
    on.loop_off = off  # type: ignore[attr-defined]
    if out_dir is not None:
        out = Path(out_dir)
        off.save(out / LOOP_OFF_DIR, charts=cfg.run.charts)
        with staged_dir(out, prefix=".incomplete-feedback-") as tmp:
            if cfg.run.charts:  # RunResult.save(charts=True) would replace the folder: all charts here
                write_charts(on.timeseries, on.segments, on.vintages, on.causes, tmp / "charts")
                plot_feedback_gap(off.timeseries, on.timeseries, tmp / "charts" / GAP_FILE)
                plot_feedback_channels(table, tmp / "charts" / CHANNELS_FILE)
        on.save(out, charts=False)
    return on
