"""``bnpl-stress-report DIR``: rebuild the report of an existing run or sweep directory.

For a run directory it rewrites ``DIR/report.html``; for a sweep (multirun) directory it
rewrites the sweep summary, the sweep charts and ``report.html``
(:func:`simulator.outputs.report.write_sweep_outputs`); for a folder of single runs (each made
without ``-m``, e.g. ``outputs/``) it writes their comparison into ``DIR``
(:func:`simulator.outputs.report.write_comparison`, as ``bnpl-stress-compare`` does). It prints
the report's path. ``--lang zh`` writes the charts and report in Chinese, ``--formats`` the chart
files besides PNG. A directory that is none of these is an error (exit status 2, one line on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.apps.errors import EXIT_BAD_INPUT, fail, guarded
from simulator.apps.report_options import OPTIONS_HELP, parse_options
from simulator.outputs.lang import output_options
from simulator.outputs.report import (
    ALLOWED,
    PROG,
    NotARunOrSweep,
    build_report,
    detect,
    single_runs,
    write_comparison,
    write_sweep_outputs,
)

__all__ = ["EXIT_BAD_INPUT", "main"]

def _fail(msg: str) -> None:
    fail(PROG, msg, EXIT_BAD_INPUT)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``bnpl-stress-report DIR``: rebuild the report of a run or sweep directory."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in ("-h", "--help"):
        print(f"usage: {PROG} DIR [--lang en|zh] [--formats png,svg,pdf]\n\nRebuild DIR/report.html from a "
              "bnpl-stress run directory, or the sweep summary, charts and report.html of a sweep (multirun) "
              "directory, or the comparison of a folder of single runs (as bnpl-stress-compare); prints the "
              "report's path.\n\n" + OPTIONS_HELP)
        return
    args, lang, formats, _ = parse_options(PROG, args)
    if len(args) != 1:
        _fail(f"DIR: expected one directory, got {len(args)} arguments; allowed: {ALLOWED}")
    d = Path(args[0])
    try:
        kind = detect(d)
    except NotARunOrSweep as exc:
        _fail(str(exc))
    runs = single_runs(d) if kind == "runs" else []
    if kind == "runs" and len(runs) < 2:
        _fail(f"DIR={str(d)!r}: holds one single run ({runs[0].relative_to(d)}), nothing to compare; allowed: "
              f"that run's folder ({PROG} {runs[0]}) or a sweep directory")
    with guarded(PROG, interrupted="interrupted; the report was not written"):
        try:
            with output_options(lang, formats):
                if kind == "sweep":
                    report = write_sweep_outputs(d)[-1]
                elif kind == "runs":
                    report = write_comparison(runs, d)
                else:
                    report = build_report(d)
        except FileNotFoundError as exc:
            _fail(str(exc))
        except ValueError as exc:  # a corrupt summary.json or a truncated table (ArrowInvalid)
            _fail(f"{d}: cannot read the run's outputs ({' '.join(str(exc).split())[:200]}); allowed: a "
                  "complete run or sweep directory (rerun the run to rewrite it)")
    print(report)


if __name__ == "__main__":
    main()
