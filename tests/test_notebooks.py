"""Execute the teaching notebooks (``notebooks/0*.py``, Jupytext percent scripts) end to end.

Each script is converted to a notebook with Jupytext and run by nbclient in a ``python3`` kernel
that uses this interpreter (a kernel spec written for the test, so a ``python3`` kernel
installed elsewhere on the machine is never picked up), with ``BNPL_NOTEBOOK_SMALL=1`` so the
notebooks shrink their populations. A notebook's own ``assert`` cells check that its narrative
matches its numbers, so a failure here can mean the text no longer tells the truth.
"""

from __future__ import annotations

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


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, kernel_dirs: list[str], monkeypatch):
    import jupytext
    import nbclient
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    monkeypatch.setenv("BNPL_NOTEBOOK_SMALL", "1")
    nb = jupytext.read(path)
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
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"{path.name}: no chart was displayed"
    print(f"{path.name}: {seconds:.1f} s, {len(images)} charts")


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
