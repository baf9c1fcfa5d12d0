"""``report.html``: a self-contained report of a run or a sweep, for readers who never saw the code.

The report says what was run, gives the key numbers (mean and 5–95% range over replicates),
shows the charts (embedded as base64 PNG data URIs: the file needs nothing else, no network) with
a short "how to read this chart" under each, a glossary, and the exact command that reproduces
the results. All text is escaped with :func:`html.escape`.

* :mod:`~simulator.outputs.report.detect`: run or sweep, and what a run directory records;
* :mod:`~simulator.outputs.report.text` and :mod:`~simulator.outputs.report.page`: the words
  and the HTML shared by both reports;
* :mod:`~simulator.outputs.report.run` and :mod:`~simulator.outputs.report.sweep`: the two reports;
* :mod:`~simulator.outputs.report.build`: :func:`build_report` and :func:`write_sweep_outputs`;
* :mod:`~simulator.outputs.report.compare`: :func:`write_comparison` of run directories
  (``bnpl-stress-compare``, and ``bnpl-stress-report`` on a folder of single runs).

The command line ``bnpl-stress-report DIR`` is :mod:`simulator.apps.report_cli`.
"""

from simulator.outputs.report.build import REPORT_FILE, build_report, write_sweep_outputs
from simulator.outputs.report.compare import COMPARE_PROG, write_comparison
from simulator.outputs.report.detect import ALLOWED, NotARunOrSweep, detect, single_runs
from simulator.outputs.report.page import PROG

__all__ = ["ALLOWED", "COMPARE_PROG", "PROG", "REPORT_FILE", "NotARunOrSweep", "build_report", "detect", "single_runs",
           "write_comparison", "write_sweep_outputs"]
