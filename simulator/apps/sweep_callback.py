"""The Hydra callback that writes a sweep's summary, charts and report at the end of a multirun.

Registered in ``conf/config.yaml``::

    hydra:
      callbacks:
        sweep_summary:
          _target_: simulator.apps.sweep_callback.SweepSummaryCallback
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import OmegaConf

from simulator.apps.errors import EXIT_WRITE_FAILED, fail
from simulator.outputs.lang import output_options
from simulator.outputs.report import REPORT_FILE, write_sweep_outputs
from simulator.outputs.rundir import start_sweep
from simulator.outputs.sweep import SUMMARY_FILE

__all__ = ["SweepSummaryCallback"]

log = logging.getLogger(__name__)


class SweepSummaryCallback(Callback):
    """Hydra callback: after a multirun, write the sweep summary, charts and report.

    A failure here is one line and a non-zero exit (every job's outputs are already in place);
    ``bnpl-stress-report SWEEP_DIR`` rebuilds the outputs later.
    """

    def on_multirun_start(self, config: Any, **kwargs: Any) -> None:
        """Record this sweep's id in the sweep folder: the summary keeps only its jobs."""
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            start_sweep(sweep_dir)
        except OSError as exc:
            fail("bnpl-stress", f"hydra.sweep.dir={str(sweep_dir)!r}: cannot write ({exc.strerror or exc}); "
                                "allowed: a writable folder")

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        """Write the sweep outputs into ``config.hydra.sweep.dir``.

        A summary that cannot be written (no complete run found, a write error) is one line and
        exit code 3: the jobs' own outputs stay in place and ``bnpl-stress-report SWEEP_DIR``
        rebuilds the summary later.
        """
        sweep_dir = Path(str(config.hydra.sweep.dir))
        lang = str(OmegaConf.select(config, "report.language", default="en"))
        formats = list(OmegaConf.select(config, "report.formats", default=["png"]))
        try:
            with output_options(lang, formats):
                paths = write_sweep_outputs(sweep_dir)
        except Exception as exc:  # noqa: BLE001 - one line, non-zero exit
            log.debug("sweep summary failed", exc_info=True)
            fail("bnpl-stress", f"could not write the sweep summary in {sweep_dir.resolve()}: "
                                f"{type(exc).__name__}: {exc}; rebuild it with bnpl-stress-report "
                                f"{sweep_dir.resolve()}", EXIT_WRITE_FAILED)
        report = next((p for p in paths if p.name == REPORT_FILE), None)
        where = report.resolve() if report is not None else None
        print(f"bnpl-stress: sweep summary {(sweep_dir / SUMMARY_FILE).resolve()}  report {where}", flush=True)
