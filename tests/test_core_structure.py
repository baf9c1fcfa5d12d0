"""Structure of the core layer: the numba cache guard."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import simulator.core as core
from simulator.core import jit

CORE = Path(core.__file__).parent


def _runtime_core_imports(path: Path) -> set[str]:
    """Modules of simulator.core imported at module level (not under ``if TYPE_CHECKING``)."""
    out = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simulator.core."):
            out.add(node.module.rsplit(".", 1)[1] + ".py")
    return out


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
