"""Execute the teaching notebooks (``notebooks/0*.py``, Jupytext percent scripts) end to end.

Each script is converted to a notebook with Jupytext and run by nbclient in a ``python3`` kernel
that uses this interpreter (a kernel spec written for the test, so a ``python3`` kernel
installed elsewhere on the machine is never picked up), with ``BNPL_NOTEBOOK_SMALL=1`` so the
notebooks shrink their populations. A notebook's own ``assert`` cells check that its narrative
matches its numbers, so a failure here can mean the text no longer tells the truth.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("0*.py"))
#: Seconds a single cell may take (the whole notebook takes well under a minute when small).
CELL_TIMEOUT = 180


@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory) -> list[str]:
    """A folder holding a ``python3`` kernel spec that runs ``sys.executable``."""
    for name in ("jupytext", "nbclient", "nbformat", "ipykernel"):
        pytest.importorskip(name, reason=f"the notebook tests need {name} (pip install -e '.[dev]')")
    root = tmp_path_factory.mktemp("kernels")
    spec = root / "python3"
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (bnpl-stress tests)",
        "language": "python",
        "env": {"BNPL_NOTEBOOK_SMALL": "1"},
    }))
    return [str(root)]


def test_the_notebooks_are_the_four_teaching_notebooks():
    # a notebook added, renamed or lost changes what test_notebook_executes runs: say so here
    assert [p.name for p in NOTEBOOKS] == ["01_first_run.py", "02_follow_a_borrower.py",
                                          "03_what_if_policies.py", "04_classroom_exercise.py"]


def _student_edition_module():
    spec = importlib.util.spec_from_file_location("student_edition", NOTEBOOK_DIR / "student_edition.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_student_edition_has_no_answer_cells(tmp_path):
    pytest.importorskip("jupytext", reason="the notebook tests need jupytext (pip install -e '.[dev]')")
    import jupytext

    editions = _student_edition_module()
    teacher = jupytext.read(editions.SOURCE)
    answers = [c for c in teacher.cells if editions.is_answer(c)]
    assert len(answers) >= 6  # the worked answers Q1-Q4 and the teacher's checks
    assert any("## Worked answers" in c.source for c in answers)
    for suffix in (".ipynb", ".py"):
        out = tmp_path / f"student{suffix}"
        assert editions.main([str(out)]) == 0
        student = jupytext.read(out)
        assert not [c for c in student.cells if editions.is_answer(c)]
        text = "\n".join(c.source for c in student.cells)
        assert "## Worked answers" not in text
        assert "## Teacher's checks" not in text and "print(f\"Q1." not in text
        assert "*Your answer (Q1–Q5):*" in text and "PARAMETERS" in text
        # every other cell is kept, in order
        assert [c.source for c in student.cells] == [c.source for c in teacher.cells if not editions.is_answer(c)]


def _execute(nb, name: str, kernel_dirs: list[str]) -> list[dict]:
    """Run ``nb`` in the test kernel; its code cells' outputs."""
    import nbclient
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    # First cell: the kernel runs this interpreter (where the package is installed).
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        f"import sys\nassert sys.executable == {sys.executable!r}, sys.executable"))
    ksm = KernelSpecManager(kernel_dirs=kernel_dirs, ensure_native_kernel=False)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ksm)
    client = nbclient.NotebookClient(nb, km=km, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    t0 = time.perf_counter()
    try:
        client.execute(cleanup_kc=True)  # raises CellExecutionError with the failing cell's traceback
    finally:
        if km.has_kernel:  # the client leaves a kernel it did not start running: stop it
            km.shutdown_kernel(now=True)
    seconds = time.perf_counter() - t0
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # no warning or other text on stderr (shown in red in Jupyter), e.g. tqdm's "IProgress not found"
    stderr = [o["text"] for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"{name}: output on stderr: {stderr}"
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"{name}: no chart was displayed"
    print(f"{name}: {seconds:.1f} s, {len(images)} charts")
    return outputs


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, kernel_dirs: list[str], monkeypatch):
    import jupytext

    monkeypatch.setenv("BNPL_NOTEBOOK_SMALL", "1")
    _execute(jupytext.read(path), path.name, kernel_dirs)


@pytest.mark.slow
def test_student_edition_executes(kernel_dirs: list[str], monkeypatch):
    import jupytext

    monkeypatch.setenv("BNPL_NOTEBOOK_SMALL", "1")
    editions = _student_edition_module()
    outputs = _execute(editions.student_edition(jupytext.read(editions.SOURCE)), "student edition", kernel_dirs)
    text = "".join(o.get("text", "") for o in outputs)
    assert "Q1." not in text and "Teacher's checks passed" not in text


def test_run_result_notebook_helpers():
    """The RunResult conveniences the notebooks use: figures of the run charts, sweep-style rows."""
    from matplotlib.figure import Figure

    from simulator.outputs.results import RunResult
    from simulator.outputs.sweep import policy_tradeoff_table
    from simulator.studies.runner import run_scenario

    runs = {p: run_scenario(f"policy={p}", n_borrowers=2_000, replicates=2, months=24)
            for p in ("none", "hardship")}
    res = runs["none"]
    for fig in (res.plot_default_rate(), res.plot_buckets(), res.plot_segments(), res.plot_vintages(),
                res.plot_causes(), RunResult.plot_compare(runs, legend_title="Policy")):
        assert isinstance(fig, Figure) and fig.axes
    rows = res.summary_rows(run="a", policy="none", economy="baseline")
    assert set(rows["statistic"]) == {"mean", "p05", "p50", "p95"}
    assert set(rows["metric"]) == set(res.summary["metrics"])
    assert (rows["n_borrowers"] == 2_000).all() and (rows["policy"] == "none").all()
    mean = rows.set_index(["metric", "statistic"])["value"]
    assert mean["cum_default_rate", "mean"] == res.metrics.loc["cum_default_rate", "mean"]
    summary = pd.concat([r.summary_rows(run=p, policy=p) for p, r in runs.items()], ignore_index=True)
    table = policy_tradeoff_table(summary)
    assert list(table["policy"]) == ["hardship"]
    m0, m1 = runs["none"].metrics["mean"], runs["hardship"].metrics["mean"]
    assert table["defaults_prevented"].iloc[0] == pytest.approx(100 * (m0.cum_default_rate - m1.cum_default_rate))
    assert table["volume_lost"].iloc[0] == pytest.approx(100 * (m0.purchases - m1.purchases) / m0.purchases)
