"""The one decorator of the compiled kernels, and the guard that keeps numba's disk cache fresh.

Every compiled function of the package is decorated with :data:`kernel`, i.e.
``numba.njit(cache=True, error_model="numpy", nogil=True, _nrt=False)``: compiled to machine code
on first use and cached on disk (an ``*.nbi`` index and ``*.nbc`` code files per function, in this
package's ``__pycache__``), numpy's floating-point semantics (``x / 0`` gives inf or nan instead
of raising), the GIL released so that blocks of borrowers can run in worker threads, and without
numba's reference counting (NRT).

Why no reference counting. The kernels receive the borrower arrays as one named tuple
(:data:`~simulator.core.state.PopArrays`, some 50 arrays). With NRT on, every call of a helper
kernel that takes it (``line_cap(P, i, ...)``, ``primary_cause(P, i, ...)``, once per borrower
it applies to) increments and decrements the reference count of every array in it: about a
hundred atomic operations per call, on counters shared by the worker threads. That was a third of
``review_lines``' time and kept the two threads from scaling (measured, ``benchmarks/README.md``).
The kernels only read and write arrays allocated by numpy; none allocates one, so none needs NRT.
A kernel that must allocate (``np.empty`` inside, an array expression, an array returned) does not
compile under :data:`kernel` ("NRT required but not enabled"); decorate it with
:data:`kernel_nrt`. The arithmetic is the same either way (no ``fastmath``): same numbers.

Why a guard. numba checks a cached function against its *own* source file only. A kernel that
calls a kernel of another file (``accounts.balance``) or reads another file's constants
(``state.ACTIVE``; numba freezes module globals at compile time) keeps loading its old machine
code after that other file is edited: a stale kernel would run silently.

How the guard works. This module is imported by every module that defines kernels, before it
defines them, so :func:`guard_cache` runs once per process before anything is compiled or loaded
from the cache. It hashes (SHA-256) the bytes of :data:`KERNEL_SOURCES` — every module that
defines kernels, and every module of this package they import — and compares the hash with the
one saved in ``__pycache__/kernel-sources.sha256``. When they differ (or nothing was saved), it
deletes this package's ``*.nbi`` and ``*.nbc`` files, so every kernel is recompiled (about half
a minute), and saves the new hash. A test (``tests/test_core_structure.py``) checks that
:data:`KERNEL_SOURCES` is complete. Only documented numba behaviour is relied on (the cache files
are recreated when missing); no numba internals.

Limits: the guard cleans the in-tree cache only. With ``NUMBA_CACHE_DIR`` set, or when the
package folder is read-only (numba then caches in the user's cache folder), the guard does
nothing; after editing a kernel file there, delete that cache folder by hand.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from numba import njit

__all__ = ["kernel", "kernel_nrt", "KERNEL_OPTIONS", "KERNEL_SOURCES", "guard_cache", "sources_hash"]

#: Options of every compiled kernel (``_nrt=False``: no reference counting, see the module docstring).
KERNEL_OPTIONS = {"cache": True, "error_model": "numpy", "nogil": True, "_nrt": False}

#: Decorator of every compiled kernel of the package.
kernel = njit(**KERNEL_OPTIONS)

#: The same with numba's reference counting on, for a kernel that allocates arrays (slower when it
#: passes the borrower arrays to other kernels).
kernel_nrt = njit(**{**KERNEL_OPTIONS, "_nrt": True})

#: The files (in this package) whose code or constants end up in compiled kernels.
KERNEL_SOURCES = ("jit.py", "accounts.py", "state.py", "economy.py", "rng.py", "causes.py", "borrower_rules.py",
                  "scoring.py", "lender.py", "recorder.py", "sums.py", "pool.py", "population.py")

_HERE = Path(__file__).resolve().parent
_STAMP = "kernel-sources.sha256"


def sources_hash(folder: Path = _HERE) -> str:
    """SHA-256 of the bytes of :data:`KERNEL_SOURCES` in ``folder``, in the listed order."""
    h = hashlib.sha256()
    for name in KERNEL_SOURCES:
        h.update(name.encode())
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def guard_cache(folder: Path = _HERE) -> bool:
    """Delete the cached kernels in ``folder/__pycache__`` when a kernel source changed since the
    last call; return whether it did. A folder that cannot be written is left alone.
    """
    cache = folder / "__pycache__"
    stamp = cache / _STAMP
    now = sources_hash(folder)
    try:
        if stamp.read_text() == now:
            return False
    except OSError:
        pass
    try:
        for f in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
            f.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        tmp = cache / f"{_STAMP}.{os.getpid()}"
        tmp.write_text(now)
        os.replace(tmp, stamp)  # atomic: concurrent processes never read half a hash
    except OSError:
        return False
    return True


guard_cache()
