"""Atomic file output: every file and run directory of the output layer is written through here.

A file is written under a fresh temporary name in its destination folder (so the final
``os.replace`` is a rename within one file system, hence atomic) and renamed into place; the
temporary file never lingers, even when writing fails. A reader therefore sees either the old
file or the complete new one, never a half-written one.

A run directory is filled through a staging folder (:func:`staged_dir`): everything is written
into a hidden ``.incomplete-*`` folder inside it and moved into place at the end, the completion
marker (``summary.json``) last, so an interrupted run never looks finished.

No ``fsync`` is done (as before this module existed): the guarantee is against interrupted and
failed runs, not against a power cut.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "atomic_write",
    "move_entries",
    "remove_leftovers",
    "remove_paths",
    "replace_path",
    "save_figure",
    "staged_dir",
    "temp_path",
    "write_bytes",
    "write_parquet",
    "write_text",
]


def temp_path(dest: str | Path) -> Path:
    """A fresh temporary name beside ``dest``: ``.NAME.PID-RANDOM.tmp`` in the same folder.

    The file is not created here (the writer creates it, so it gets the usual permissions;
    ``mkstemp`` would make it private to the owner).
    """
    dest = Path(dest)
    return dest.with_name(f".{dest.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")


def atomic_write(dest: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` with a temporary path beside ``dest``, then rename it onto ``dest``.

    The destination folder is created if missing. On any error the temporary file is removed,
    ``dest`` is left as it was and the error propagates.

    Returns:
        ``dest`` as a :class:`~pathlib.Path`.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(dest)
    try:
        write(tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def write_text(dest: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``dest`` atomically (see :func:`atomic_write`) and return the path."""
    return atomic_write(dest, lambda p: p.write_text(text, encoding=encoding))


def write_bytes(dest: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``dest`` atomically (see :func:`atomic_write`) and return the path."""
    return atomic_write(dest, lambda p: p.write_bytes(data))


def write_parquet(dest: str | Path, df: pd.DataFrame) -> Path:
    """Write ``df`` as a Parquet file (without its index) to ``dest`` atomically; return the path."""
    return atomic_write(dest, lambda p: df.to_parquet(p, index=False))


def save_figure(fig: Figure, dest: str | Path, dpi: float) -> Path:
    """Save ``fig`` as a PNG at ``dpi`` to ``dest`` atomically, then clear the figure; return the path."""
    path = atomic_write(dest, lambda p: fig.savefig(p, dpi=dpi, format="png"))
    fig.clear()
    return path


def replace_path(src: str | Path, dest: str | Path) -> Path:
    """Move the file or folder ``src`` onto ``dest``, replacing what is there.

    An existing folder at ``dest`` is removed first (``os.replace`` cannot replace a non-empty
    folder); a file is replaced by the rename itself. ``src`` and ``dest`` must be on the same
    file system (e.g. a staging folder inside the destination's folder).

    Returns:
        ``dest`` as a :class:`~pathlib.Path`.
    """
    dest = Path(dest)
    if dest.is_dir():
        shutil.rmtree(dest)
    os.replace(src, dest)
    return dest


def move_entries(src_dir: str | Path, dest_dir: str | Path, last: Iterable[str] = ()) -> list[Path]:
    """Move every entry of ``src_dir`` into ``dest_dir`` with :func:`replace_path`.

    Entries are moved in name order, those named in ``last`` (e.g. ``("summary.json",)``, the
    completion marker of a run directory) after all the others.

    Returns:
        The destination paths, in the order moved.
    """
    late = set(last)
    entries = sorted(Path(src_dir).iterdir(), key=lambda p: (p.name in late, p.name))
    return [replace_path(p, Path(dest_dir) / p.name) for p in entries]


@contextmanager
def staged_dir(out_dir: str | Path, *, marker: str = "summary.json",
               prefix: str = ".incomplete-") -> Iterator[Path]:
    """Fill the directory ``out_dir`` atomically through a staging folder.

    ``out_dir`` is created if missing and its ``marker`` file is removed first (the old contents
    no longer look complete). The ``with`` block writes into the yielded staging folder (a hidden
    ``PREFIX*`` folder inside ``out_dir``); when the block ends without an error every entry is
    moved into ``out_dir`` (:func:`move_entries`), ``marker`` last. The staging folder is removed
    in every case, so on an error nothing new is moved into place and no ``marker`` exists.

    Example::

        with staged_dir(run_dir) as tmp:
            df.to_parquet(tmp / "timeseries.parquet")
            (tmp / "summary.json").write_text("{}")
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / marker).unlink(missing_ok=True)
    remove_leftovers(out, prefix)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=out))
    try:
        yield tmp
        move_entries(tmp, out, last=(marker,))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_paths(paths: Iterable[str | Path]) -> None:
    """Remove each file or folder in ``paths`` that exists, in order."""
    for p in map(Path, paths):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)


def remove_leftovers(folder: str | Path, prefix: str = ".incomplete-") -> None:
    """Remove staging folders (``PREFIX*``) and temporary files (``.*.tmp``) an interrupted writer left.

    A run folder is written by one process at a time, so anything of this kind found when a
    run starts is a leftover of an earlier, interrupted one.
    """
    d = Path(folder)
    if not d.is_dir():
        return
    remove_paths([p for p in d.iterdir() if (p.name.startswith(prefix) and p.is_dir())
                  or (p.name.startswith(".") and p.name.endswith(".tmp") and p.is_file())])
