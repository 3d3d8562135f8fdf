"""Writing build output: whole files or nothing, and write failures as :class:`OutputError`.

A file is written to a temporary name in its own folder, flushed to disk and renamed over the target, so a reader
(or the next build, after a crash) sees either the old file or the new one, never a part. An ``OSError`` met while
writing (disk full, no permission, read-only file system …) becomes an :class:`OutputError` naming the path and
saying what to do.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

#: What to do about a failed write, by ``errno``.
_REMEDIES = {
    errno.ENOSPC: "the disk is full: free space on it (or build into another folder with --out), then build again",
    errno.EDQUOT: "the disk quota is used up: free space (or build into another folder with --out), then build again",
    errno.EACCES: "no permission to write there: let this user write to the folder, or build elsewhere with --out",
    errno.EPERM: "the operation is not permitted there: let this user write to the folder, or build elsewhere "
                 "with --out",
    errno.EROFS: "the file system is read-only: build into a folder on a writable disk with --out",
}


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole: a temporary file in the same folder, flushed, then renamed over ``path``."""
    tmp_name = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    handle = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # mode as umask allows, like open()
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(tmp_name, path)
    except BaseException as exc:
        tmp_name.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # os.write and os.fsync do not say which file
        raise


def _errno_named_in(exc: OSError) -> int | None:
    """The errno of the remedies whose text the message of an ``OSError`` without one quotes: the store's engine
    (RocksDB, through pyoxigraph) reports "IO error: No space left on device" as text only."""
    text = str(exc.args[0]) if exc.args else ""
    return next((code for code in _REMEDIES if os.strerror(code) in text), None)


def output_error(exc: OSError, path: Path, unchanged: str = "") -> OutputError:
    """The :class:`OutputError` for ``exc``, naming the file it names (else ``path``); ``unchanged`` says what
    was left as it was (e.g. which release ``DIR/current`` still points to)."""
    failed = exc.filename if exc.filename is not None else path
    code = exc.errno or _errno_named_in(exc)
    reason = os.strerror(code) if code else str(exc.args[0] if exc.args else exc)
    remedy = _REMEDIES.get(code or 0, "check the disk and the folder, then build again")
    hint = remedy[0].upper() + remedy[1:] + "."
    if unchanged:
        hint += f" {unchanged}"
    return OutputError(f"{failed}: cannot be written ({reason})", hint)


@contextmanager
def writing(path: Path, unchanged: str = "") -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into :func:`output_error` for ``path``."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, path, unchanged) from None


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` made a hard link to ``source`` (a copy where links are not possible)."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)
