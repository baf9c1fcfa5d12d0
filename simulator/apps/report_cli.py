"""``bnpl-stress-report DIR``: rebuild the report of an existing run or sweep directory.

For a run directory it rewrites ``DIR/report.html``; for a sweep (multirun) directory it
rewrites the sweep summary, the sweep charts and ``report.html``
(:func:`simulator.outputs.report.write_sweep_outputs`). It prints the report's path. A directory
that is neither is an error (exit status 2, one line on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.apps.errors import EXIT_BAD_INPUT, fail, guarded
from simulator.outputs.report import (
    ALLOWED,
    PROG,
    NotARunOrSweep,
    build_report,
    detect,
    write_sweep_outputs,
)

__all__ = ["EXIT_BAD_INPUT", "main"]

def _fail(msg: str) -> None:
    fail(PROG, msg, EXIT_BAD_INPUT)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``bnpl-stress-report DIR``: rebuild the report of a run or sweep directory."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in ("-h", "--help"):
        print(f"usage: {PROG} DIR\n\nRebuild DIR/report.html from a bnpl-stress run directory, or the "
              "sweep summary, charts and report.html of a sweep (multirun) directory; prints the "
              "report's path.")
        return
    if len(args) != 1:
        _fail(f"DIR: expected one directory, got {len(args)} arguments; allowed: {ALLOWED}")
    d = Path(args[0])
    try:
        kind = detect(d)
    except NotARunOrSweep as exc:
        _fail(str(exc))
    with guarded(PROG, interrupted="interrupted; the report was not written"):
        try:
            report = write_sweep_outputs(d)[-1] if kind == "sweep" else build_report(d)
        except FileNotFoundError as exc:
            _fail(str(exc))
        except ValueError as exc:  # a corrupt summary.json or a truncated table (ArrowInvalid)
            _fail(f"{d}: cannot read the run's outputs ({' '.join(str(exc).split())[:200]}); allowed: a "
                  "complete run or sweep directory (rerun the run to rewrite it)")
    print(report)


if __name__ == "__main__":
    main()
