"""Output files written whole or not at all, as a set: temporaries beside the targets, renamed
into place together, under a lock on the output folder.

A build's outputs (reading PDF, print PDF, shop PDF, guide) are one set: each is written to a
hidden temporary `.booklet-NAME.XXXX.tmp` in the output folder; when all are written, a commit
journal naming them is put in place (one atomic rename), then each temporary is renamed over its
target, then the journal is removed. A build killed before the journal leaves only temporaries,
which the next build into the folder deletes: the previous set is untouched. A build killed after
it (while renaming, a few microseconds) leaves the journal, and the next `booklet` run into the
folder finishes the renames first: the new set. Two builds into one folder take turns (an
advisory lock on the folder; the second waits up to LOCK_WAIT seconds, then stops with one line).
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .errors import BookletError

LOCK_WAIT = 20.0
"""Seconds a build waits for another one writing into the same folder before it gives up."""

TEMPORARY_PREFIX = ".booklet-"
JOURNAL = ".booklet-commit"
"""The commit journal: present only while a set of outputs is being renamed into place."""


def check_output_dir(folder: Path) -> None:
    """Refuse early (before any work) an output folder that cannot be made or written; a folder
    that does not exist yet is created when the outputs are written."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise BookletError("output folder is a file, not a folder", existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BookletError("output folder is not writable", existing)


class Outputs:
    """The files of one set being written: `temporary(target)` gives the path to write each to."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.staged: dict[Path, Path] = {}  # target → its temporary
        self.removed: list[Path] = []  # files of an earlier set that this one does not have

    def temporary(self, target: Path) -> Path:
        """A new empty temporary file for `target` (which must be in the set's folder)."""
        target = Path(target)
        if target.parent.resolve() != self.folder.resolve():
            raise ValueError(f"{target} is not in the output folder {self.folder}")
        if target.is_dir():
            raise BookletError("cannot write the output: a folder of that name is in the way", target)
        for suffix in ("tmp", "part"):  # temporaries as booklet named them before sets (killed builds)
            for legacy in self.folder.glob(f".{target.name}.*.{suffix}"):
                legacy.unlink(missing_ok=True)
        handle, name = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{target.name}.", suffix=".tmp", dir=self.folder)
        os.close(handle)
        self.staged[target] = Path(name)
        return Path(name)

    def write(self, target: Path, data: bytes) -> None:
        self.temporary(target).write_bytes(data)

    def remove(self, target: Path) -> None:
        """Delete `target` with the set's commit, if it is there (a shop PDF that this build
        was not asked for is not left beside the new set as if it were of it)."""
        if (self.folder / Path(target).name).is_file():
            self.removed.append(self.folder / Path(target).name)


@contextmanager
def atomic_outputs(folder: Path) -> Iterator[Outputs]:
    """Write a set of files into `folder` (created with its parents when missing): each file
    is written to `outputs.temporary(target)`; when the block ends without error all replace
    their targets together, and on any error none does (the previous files stay as they were).
    """
    folder = Path(folder)
    check_output_dir(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BookletError(f"cannot create the output folder: {exc.strerror}", folder) from None
    with _folder_lock(folder):
        finish_interrupted(folder)
        outputs = Outputs(folder)
        committing = False
        try:
            try:
                yield outputs
                committing = True
                _commit(outputs)
            except OSError as exc:  # the disk's (full, read-only, failing): one line, not a traceback
                unchanged = "; the previous files are unchanged" if not (folder / JOURNAL).exists() else \
                    "; the next build into this folder finishes replacing them"
                raise BookletError(f"cannot write: {exc.strerror or exc}{unchanged}", folder) from None
        finally:
            if not (committing and (folder / JOURNAL).exists()):
                for temporary in outputs.staged.values():
                    temporary.unlink(missing_ok=True)


def write_output(target: Path, write: Callable[[BinaryIO], None], outputs: Outputs | None = None) -> None:
    """Write `target` through `write(stream)`: as one file of `outputs`, or on its own (a set of one)."""
    if outputs is None:
        with atomic_outputs(Path(target).parent) as alone:
            write_output(target, write, alone)
        return
    with open(outputs.temporary(target), "wb") as stream:
        write(stream)


def write_atomic(target: Path, data: bytes, outputs: Outputs | None = None) -> None:
    write_output(target, lambda stream: stream.write(data), outputs)


def finish_interrupted(folder: Path) -> None:
    """Complete the renames of a set whose commit was interrupted (its journal is there), then
    delete the temporaries of builds that were killed before they committed. Call it only
    holding the folder's lock: then no other build is writing there."""
    journal = folder / JOURNAL
    if journal.exists():
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pairs = []
        for temporary, target in pairs if isinstance(pairs, list) else []:
            if temporary is None and _plain_name(target):
                (folder / target).unlink(missing_ok=True)
            elif _plain_name(temporary) and _plain_name(target) and (folder / temporary).is_file():
                os.replace(folder / temporary, folder / target)
        journal.unlink(missing_ok=True)
    for stale in folder.glob(f"{TEMPORARY_PREFIX}*.tmp"):
        stale.unlink(missing_ok=True)


def _plain_name(name: object) -> bool:
    """A file name of the folder itself (a journal names nothing elsewhere, even when edited)."""
    return isinstance(name, str) and bool(name) and Path(name).name == name and name not in (".", "..")


def _commit(outputs: Outputs) -> None:
    folder = outputs.folder
    for temporary in outputs.staged.values():
        _sync(temporary)
        os.chmod(temporary, 0o644)
    pairs = [[temporary.name, target.name] for target, temporary in outputs.staged.items()]
    pairs += [[None, target.name] for target in outputs.removed]
    handle, name = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}commit.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(pairs, stream)
        _sync(Path(name))
        os.replace(name, folder / JOURNAL)  # from here on the new set is decided
    finally:
        Path(name).unlink(missing_ok=True)
    for target, temporary in outputs.staged.items():
        os.replace(temporary, target)
    for target in outputs.removed:
        target.unlink(missing_ok=True)
    os.unlink(folder / JOURNAL)


def _sync(path: Path) -> None:
    """Flush a file to the disk, so that a crash after the renames cannot leave an empty file."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def tidy_output_dir(folder: Path) -> None:
    """At the start of a build: finish or clear what a killed build left in `folder`, so that the
    folder holds one whole set even if this build fails before it writes (unless another build
    is writing there now: it does the same before it commits)."""
    if not folder.is_dir():
        return
    try:
        with _folder_lock(folder, wait=0.0):
            finish_interrupted(folder)
    except BookletError:
        pass  # busy: the build that holds the lock tidies up


@contextmanager
def _folder_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """An exclusive advisory lock on the folder itself (flock on its descriptor: no lock file to
    leave behind, and a killed build's lock goes with its process); waits up to `wait` seconds
    (LOCK_WAIT by default) for another holder."""
    wait = LOCK_WAIT if wait is None else wait
    handle = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BookletError(f"another booklet is writing into this folder (waited {wait:g} s); "
                                       f"try again when it has finished", folder) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)
