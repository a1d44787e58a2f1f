"""Atomic output: every file is written under a temporary name in its target folder and renamed
into place only when complete, so an interrupted or failed build never leaves a half-written file
and never destroys an earlier good output."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from saksgen.errors import OutputError

TEMP_PREFIX = ".saksgen-tmp-"


def _describe(exc: OSError) -> str:
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "mangler skrivetilgang"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disken er full"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "en fil står der det skal være en mappe"
    if exc.errno == errno.EISDIR:
        return "en mappe står der det skal være en fil"
    if exc.errno == errno.ENOENT:
        return "mappen finnes ikke"
    if exc.errno == errno.ENAMETOOLONG:
        return "navnet er for langt"
    # The operating system's own text is English; its symbolic code is at least searchable.
    return f"systemfeil {errno.errorcode.get(exc.errno or 0, exc.errno)}"


def ensure_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"kan ikke opprette mappen {path}: {_describe(exc)}") from None


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds.

    The temporary file is removed on any failure, including KeyboardInterrupt.
    """
    ensure_dir(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise OutputError(f"kan ikke skrive i {target.parent}: {_describe(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"kan ikke skrive {target}: {_describe(exc)}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM back until the block is done.

    For "write an output, then record it in the cache": interrupted in between, the file would
    be on disk but unknown to the cache, and built again next time for nothing. The block is a
    rename and one appended line, so holding a signal back costs microseconds. A signal that
    arrived meanwhile is delivered when the block ends (Python raises KeyboardInterrupt there).
    """
    usable = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"kan ikke skrive {target}: {_describe(exc)}") from None


def clean_temporaries(folder: Path) -> None:
    """Remove temporary files a killed earlier run may have left behind."""
    if not folder.is_dir():
        return
    for leftover in folder.rglob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if leftover.is_dir():
                import shutil

                shutil.rmtree(leftover)
            else:
                leftover.unlink()
