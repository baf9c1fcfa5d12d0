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

from simulator.outputs.report import REPORT_FILE, write_sweep_outputs
from simulator.outputs.sweep import SUMMARY_FILE

__all__ = ["SweepSummaryCallback"]

log = logging.getLogger(__name__)


class SweepSummaryCallback(Callback):
    """Hydra callback: after a multirun, write the sweep summary, charts and report.

    A failure here is logged and does not fail the sweep (every job's outputs are already in
    place); ``bnpl-stress-report SWEEP_DIR`` rebuilds the outputs later.
    """

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        """Write the sweep outputs into ``config.hydra.sweep.dir``."""
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            paths = write_sweep_outputs(sweep_dir)
        except Exception:  # noqa: BLE001 - never turn a finished sweep into a failure
            log.exception("bnpl-stress: could not write the sweep summary in %s", sweep_dir)
            return
        report = next((p for p in paths if p.name == REPORT_FILE), None)
        where = report.resolve() if report is not None else None
        print(f"bnpl-stress: sweep summary {(sweep_dir / SUMMARY_FILE).resolve()}  report {where}", flush=True)
