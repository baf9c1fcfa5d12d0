"""``bnpl-stress-compare DIR_A DIR_B [...]``: compare run directories.

Writes into a new folder (``--out DIR``, default ``comparisons/DATE_TIME``) the report
``report.html`` (the settings that differ, the key figures side by side with differences from the
first run and their 95% intervals, the overlaid default-rate curves), its chart and the tables
``key_figures`` and ``config_diff`` (Parquet and CSV); prints the report's path
(:func:`simulator.outputs.report.write_comparison`). Bad input: one line on stderr, exit status 2.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from simulator.apps.errors import EXIT_BAD_INPUT, check_out_dir, fail, guarded
from simulator.apps.report_options import OPTIONS_HELP, parse_options
from simulator.outputs.lang import output_options
from simulator.outputs.report import COMPARE_PROG, write_comparison

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``bnpl-stress-compare``."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in ("-h", "--help"):
        print(f"usage: {COMPARE_PROG} DIR_A DIR_B [DIR_C ...] [--out DIR] [--lang en|zh] [--formats png,svg,pdf]\n\n"
              "Compare bnpl-stress run directories (the first is the reference): the settings that differ, the "
              "key figures side by side with differences and 95% intervals over replicates, the default-rate "
              "curves overlaid. Writes report.html, charts/ and key_figures/config_diff (.parquet, .csv) into "
              "--out (default comparisons/DATE_TIME) and prints the report's path.\n\n" + OPTIONS_HELP)
        return
    dirs, lang, formats, other = parse_options(COMPARE_PROG, args)
    if len(dirs) < 2:
        fail(COMPARE_PROG, f"DIR: expected at least two run directories, got {len(dirs)}; allowed: "
             "DIR_A DIR_B [DIR_C ...] (folders holding summary.json)", EXIT_BAD_INPUT)
    out = Path(other.get("out") or Path("comparisons") / datetime.now().strftime("%Y-%m-%d_%H-%M-%S"))
    check_out_dir(COMPARE_PROG, "--out", out)
    with guarded(COMPARE_PROG, interrupted="interrupted; the comparison was not finished"):
        try:
            with output_options(lang, formats):
                report = write_comparison(dirs, out)
        except ValueError as exc:  # not a run, a corrupt summary.json or a truncated table
            fail(COMPARE_PROG, " ".join(str(exc).split())[:300], EXIT_BAD_INPUT)
    print(report)


if __name__ == "__main__":
    main()
