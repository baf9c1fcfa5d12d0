"""Write the student edition of the classroom exercise: notebook 04 without its worked answers.

    python notebooks/student_edition.py [OUT]   # default: notebooks/04_classroom_exercise_student.ipynb

Both editions come from one source, ``04_classroom_exercise.py``. The teacher edition is that
file itself (open it as a notebook with Jupytext, or ``jupytext --to notebook`` it): every cell,
worked answers and teacher's checks included. The student edition leaves out every cell tagged
``answer`` (``# %% tags=["answer"]`` in the script); OUT may end in ``.ipynb`` or ``.py``.
Generated notebooks are not committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "04_classroom_exercise.py"
DEFAULT_OUT = HERE / "04_classroom_exercise_student.ipynb"
#: Cells with this tag are worked answers: in the teacher edition only.
ANSWER_TAG = "answer"


def is_answer(cell) -> bool:
    """Whether a cell is a worked answer (tagged ``answer``)."""
    return ANSWER_TAG in cell.get("metadata", {}).get("tags", [])


def student_edition(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without its answer cells."""
    out = nbformat.from_dict(nb)  # a deep copy
    out.cells = [c for c in out.cells if not is_answer(c)]
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    jupytext.write(student_edition(jupytext.read(SOURCE)), out)
    print(f"student edition: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
