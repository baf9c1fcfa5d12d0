"""Structure of the core layer: the stage table, the numba cache guard, shared formulas, policies."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import simulator.core as core
from simulator.config import PolicyConfig
from simulator.core import jit, recorder
from simulator.core.accounts import balance, free_income, owed
from simulator.core.model import CreditModel
from simulator.core.month import ACCOUNT_STAGES, BORROWER, LENDER, MONTH, STAGES
from simulator.core.policies import POLICIES, Policy
from simulator.core.state import Population

CORE = Path(core.__file__).parent


def _runtime_core_imports(path: Path) -> set[str]:
    """Modules of simulator.core imported at module level (not under ``if TYPE_CHECKING``)."""
    out = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simulator.core."):
            out.add(node.module.rsplit(".", 1)[1] + ".py")
    return out


# --- the month as data -----------------------------------------------------------------------
def test_month_table_order_and_actors():
    assert [s.name for s in MONTH] == ["economy", "pool", "risk_appetite", "income_and_shocks", "open_accounts",
                                       "review_lines", "spend", "repay", "age_accounts", "policies", "metrics"]
    assert [s.actor for s in ACCOUNT_STAGES] == [BORROWER, LENDER, LENDER, BORROWER, BORROWER, LENDER]
    assert set(STAGES) == {s.name for s in MONTH}
    # only the borrower stages that read random numbers draw them
    assert [s.name for s in MONTH if s.draws is not None] == ["income_and_shocks", "spend"]


def test_model_docstring_lists_the_month_from_the_table():
    doc = inspect.getdoc(CreditModel)
    positions = [doc.index(f"{k}. ``{s.name}``") for k, s in enumerate(MONTH, start=1)]
    assert positions == sorted(positions)
    assert "{month}" not in doc
    for s in MONTH:
        assert s.doc in doc


# --- the numba cache guard -------------------------------------------------------------------
def test_kernel_sources_lists_every_kernel_module_and_what_it_imports():
    listed = set(jit.KERNEL_SOURCES)
    with_kernels = {p.name for p in CORE.glob("*.py") if "@kernel" in p.read_text() or "njit" in p.read_text()}
    assert with_kernels - {"jit.py"} <= listed, "a module defines kernels but is not in KERNEL_SOURCES"
    for name in listed:
        missing = _runtime_core_imports(CORE / name) - listed
        assert not missing, f"{name} imports {missing}, which are not in KERNEL_SOURCES"


def test_guard_cache_deletes_stale_kernels_only_when_a_source_changed(tmp_path):
    for name in jit.KERNEL_SOURCES:
        shutil.copy(CORE / name, tmp_path / name)
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    stale = [cache / "lender.open_accounts-1.py311.nbi", cache / "lender.open_accounts-1.py311.1.nbc"]
    other = cache / "lender.cpython-311.pyc"
    for f in [*stale, other]:
        f.write_bytes(b"x")
    assert jit.guard_cache(tmp_path)  # nothing saved yet: clean
    assert not any(f.exists() for f in stale) and other.exists()
    for f in stale:
        f.write_bytes(b"x")  # recompiled and cached again
    assert not jit.guard_cache(tmp_path)  # sources unchanged: keep
    assert all(f.exists() for f in stale)
    with open(tmp_path / "state.py", "a") as fh:  # another file than the cached kernel's (constants)
        fh.write("\n# edited\n")
    assert jit.guard_cache(tmp_path)
    assert not any(f.exists() for f in stale) and other.exists()


def test_guard_cache_leaves_a_read_only_folder_alone(tmp_path, monkeypatch):
    for name in jit.KERNEL_SOURCES:
        shutil.copy(CORE / name, tmp_path / name)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert jit.guard_cache(tmp_path) is False


# --- one home per formula --------------------------------------------------------------------
def _pop(n: int = 50) -> Population:
    g = np.random.default_rng(3)
    pop = Population.empty(n)
    for name in ("bill", "bill_next", "inst_balance", "inst_new", "arrears", "other_debt"):
        getattr(pop, name)[:] = g.gamma(1.0, 300.0, n) * (g.random(n) < 0.7)
    pop.base_income[:] = g.gamma(4.0, 800.0, n)
    return pop


def test_population_balance_and_kernel_balance_are_the_same_formula():
    pop = _pop()
    P = pop.arrays()
    parts = [getattr(pop, k) for k in ("bill", "bill_next", "inst_balance", "inst_new", "arrears")]
    # the kernel adds in float64, Population.balance in float32; both in the order of owed()
    want64 = owed.py_func(*(a.astype(np.float64) for a in parts))
    assert np.array_equal([balance(P, i) for i in range(pop.n)], want64)
    assert np.array_equal(pop.balance(), parts[0] + parts[1] + parts[2] + parts[3] + parts[4])
    assert pop.balance().dtype == np.float32
    np.testing.assert_allclose(pop.balance(), want64, rtol=1e-6)
    assert np.array_equal(pop.balance(slice(3, 7)), pop.balance()[3:7])


def test_free_income_floor_and_formula():
    pop = _pop()
    P = pop.arrays()
    got = np.array([free_income(P, i, 0.5) for i in range(pop.n)])
    want = np.maximum(pop.base_income.astype(np.float64) * 0.5 - pop.other_debt, 1.0)
    assert np.array_equal(got, want)


def test_recorder_kernel_addresses_accumulators_by_name():
    src = inspect.getsource(recorder._reduce_block.py_func)
    assert not re.search(r"\[\s*\d", src), "a bare position number indexes an accumulator"
    assert [recorder._COUNTS[getattr(recorder, f"C_{n.upper()}")] for n in recorder._COUNTS] == list(recorder._COUNTS)
    assert [recorder._SUMS[getattr(recorder, f"S_{n.upper()}")] for n in recorder._SUMS] == list(recorder._SUMS)


# --- imports -----------------------------------------------------------------------------------
# --- policies ----------------------------------------------------------------------------------
def test_every_policy_has_a_label_a_description_and_a_config():
    fields = {f.name for f in dataclasses.fields(PolicyConfig)}
    assert set(POLICIES) <= fields
    for name, cls in POLICIES.items():
        assert cls.name == name
        assert cls.label and cls.label != Policy.label, name
        assert cls.description and "\n" not in cls.description, name
    assert len({cls.label for cls in POLICIES.values()}) == len(POLICIES)


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_policy_config_has_an_enabled_switch(name):
    assert hasattr(getattr(PolicyConfig(), name), "enabled")
