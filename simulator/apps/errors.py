"""The one error path of every command: one line on stderr, a documented exit code.

Every ``bnpl-stress*`` command reports a failure a user can cause as ``PROG: error: ...`` (one
line naming what is wrong and what is allowed) and exits with one of these codes:

======  ==================================================================================
code    meaning
======  ==================================================================================
0       success
1       ``bnpl-stress-validate``: a check failed (the table says which)
2       bad input: a key, value, option, file or output folder a user gave
3       the outputs could not be written (disk full, I/O error) — nothing looks finished
130     interrupted (Ctrl-C / SIGINT); 143: terminated (SIGTERM). No summary is written.
======  ==================================================================================
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from simulator.config import EXIT_BAD_INPUT, ConfigError

__all__ = ["EXIT_OK", "EXIT_CHECK_FAILED", "EXIT_BAD_INPUT", "EXIT_WRITE_FAILED", "EXIT_SIGINT",
           "EXIT_SIGTERM", "INTERRUPTED", "Interrupted", "fail", "guarded", "check_out_file",
           "check_out_dir"]

EXIT_OK = 0
#: ``bnpl-stress-validate``: at least one check failed.
EXIT_CHECK_FAILED = 1
#: The outputs could not be written (disk full, I/O error).
EXIT_WRITE_FAILED = 3
EXIT_SIGINT = 130
EXIT_SIGTERM = 143
#: The line printed when a run is interrupted.
INTERRUPTED = "interrupted; no summary written; rerun with run.skip_existing=true"


class Interrupted(BaseException):
    """Raised by the SIGTERM handler (a BaseException, like KeyboardInterrupt: no ``except Exception`` eats it)."""


def fail(prog: str, msg: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``PROG: error: MSG`` (one line) on stderr and exit with ``code``."""
    print(f"{prog}: error: {' '.join(str(msg).split())}", file=sys.stderr, flush=True)
    sys.exit(code)


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001
    raise Interrupted


def _os_error(exc: OSError) -> tuple[str, int]:
    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
        return f"cannot write{where}: {reason}; nothing was marked finished, free space and rerun", \
            EXIT_WRITE_FAILED
    return f"cannot write{where}: {reason}; allowed: a writable folder", EXIT_BAD_INPUT


@contextmanager
def guarded(prog: str, interrupted: str = INTERRUPTED) -> Iterator[None]:
    """Run a command's work: bad input, write errors and interrupts become one line and an exit code.

    SIGTERM is turned into :class:`Interrupted` while the block runs, so staging folders are
    removed on the way out (``finally`` blocks run) and nothing looks finished.
    """
    old = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread
        old = None
    try:
        yield
    except ConfigError as exc:
        fail(prog, str(exc))
    except KeyboardInterrupt:
        fail(prog, interrupted, EXIT_SIGINT)
    except Interrupted:
        fail(prog, interrupted, EXIT_SIGTERM)
    except OSError as exc:
        msg, code = _os_error(exc)
        fail(prog, msg, code)
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def check_out_file(prog: str, option: str, path: Path) -> None:
    """Before any work: ``path`` can be written as a file (its folder exists and is writable, it is no folder)."""
    path = Path(path)
    if path.is_dir():
        fail(prog, f"{option}={str(path)!r}: is a folder; allowed: a file path in an existing writable folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail(prog, f"{option}={str(path)!r}: folder {str(parent)!r} does not exist; allowed: a file path in an "
                   "existing writable folder")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(prog, f"{option}={str(path)!r}: not writable; allowed: a file path in an existing writable folder")


def check_out_dir(prog: str, option: str, path: Path) -> None:
    """Before any work: ``path`` is (or can be created as) a writable folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        fail(prog, f"{option}={str(path)!r}: is a file; allowed: a folder (existing or new) that can be written")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        fail(prog, f"{option}={str(path)!r}: {str(probe)!r} is not a writable folder; allowed: a folder "
                   "(existing or new) that can be written")
