"""Output files written whole or not at all: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import BookletError

_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO}
"""Errors of the disk, not of the program: reported as one line, not a traceback."""


def check_output_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise BookletError("output folder is a file, not a folder", folder)
    if not folder.is_dir():
        raise BookletError("output folder does not exist (create it first)", folder)
    if not os.access(folder, os.W_OK):
        raise BookletError("output folder is not writable", folder)


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces `target`.

    On any error the temporary file is removed and an existing `target` stays as it was.
    """
    check_output_dir(target.parent)
    if target.is_dir():
        raise BookletError("cannot write the output: a folder of that name is in the way", target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise BookletError(f"cannot write in the output folder: {exc.strerror}", target.parent) from None
    os.close(handle)
    temporary = Path(name)
    try:
        try:
            yield temporary
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise
            raise BookletError(f"cannot write: {exc.strerror}; the previous file is unchanged", target) from None
        try:
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except OSError as exc:
            raise BookletError(f"cannot write: {exc.strerror}; the previous file is unchanged", target) from None
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> None:
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
