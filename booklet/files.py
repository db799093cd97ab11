"""Output files written whole or not at all: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import BookletError


def check_output_dir(folder: Path) -> None:
    if not folder.is_dir():
        raise BookletError("output folder does not exist", folder)
    if not os.access(folder, os.W_OK):
        raise BookletError("output folder is not writable", folder)


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces `target`.

    On any error the temporary file is removed and an existing `target` stays as it was.
    """
    check_output_dir(target.parent)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> None:
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
