"""Work kept between builds → the same bytes back, verified: a store of entries by key, on disk.

Every entry is written as MAGIC, a BLAKE2b digest of its kind, key and payload, then the
payload. A read recomputes the digest, so an entry that is damaged, cut short, or not written by
this store under this key (a foreign file) is a miss, computed again and written anew: it is
never used. The store lives in $XDG_CACHE_HOME/booklet (default ~/.cache/booklet), one folder
per kind of work: images, hyphenation, lines (typeset paragraphs). A folder that cannot be
written turns the store into no store, with one warning (`take_warnings`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from functools import cache
from pathlib import Path

from .errors import Problem

MAGIC = b"booklet-cache 1\n"
DIGEST_SIZE = 32

LIMIT = 512 * 1024 * 1024
"""Bytes a kind may hold before its least recently used entries are dropped (to 3/4 of it)."""


def default_folder() -> Path:
    """$XDG_CACHE_HOME/booklet (default ~/.cache/booklet)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "booklet"


def digest(*parts: bytes) -> bytes:
    """BLAKE2b-256 of the parts, each length-prefixed (so ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


class Store:
    """Entries in `folder`/KIND/KEY; `folder` None is no store at all (every read a miss)."""

    def __init__(self, folder: Path | None):
        self.folder = None if folder is None else Path(folder)
        self._warnings: list[Problem] = []
        self._pruned: set[str] = set()
        self._lock = threading.Lock()

    def read(self, kind: str, key: str) -> bytes | None:
        """The payload written under (kind, key), or None for a missing or unverifiable entry."""
        if self.folder is None:
            return None
        path = self.folder / kind / key
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + DIGEST_SIZE
        payload = raw[head:]
        if raw[:len(MAGIC)] != MAGIC or raw[len(MAGIC):head] != digest(kind.encode(), key.encode(), payload):
            return None
        try:
            os.utime(path)  # recently used: kept when the kind is pruned
        except OSError:
            pass
        return payload

    def write(self, kind: str, key: str, payload: bytes) -> None:
        """Keep `payload` under (kind, key), replacing the entry whole (never half-written)."""
        if self.folder is None:
            return
        folder = self.folder / kind
        data = MAGIC + digest(kind.encode(), key.encode(), payload) + payload
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, folder / key)
            except BaseException:
                os.unlink(temporary)
                raise
            if kind not in self._pruned:
                self._pruned.add(kind)
                prune(folder, LIMIT)
        except OSError as exc:
            with self._lock:  # image threads write at once: one of them warns
                if self.folder is not None:
                    self._warnings.append(Problem(f"the cache folder cannot be written ({exc.strerror or exc}); "
                                                  "building without a cache", self.folder, severity="warning"))
                self.folder = None  # no store from now on: one warning, not one per entry

    def take_warnings(self) -> list[Problem]:
        """The warnings since the last call (at most one: the first write that failed)."""
        warnings, self._warnings = self._warnings, []
        return warnings


def prune(folder: Path, limit: int) -> None:
    """Past `limit` bytes in `folder`, drop the least recently used entries down to 3/4 of it."""
    entries = []
    total = 0
    for path in folder.iterdir():
        try:
            stat = path.stat()
        except FileNotFoundError:  # another thread's temporary file, renamed since iterdir saw it
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
        total += stat.st_size
    if total <= limit:
        return
    for _, size, path in sorted(entries):
        path.unlink(missing_ok=True)
        total -= size
        if total <= limit * 3 // 4:
            break


@cache
def _store(folder: Path) -> Store:
    return Store(folder)


def store(folder: Path | None = None) -> Store:
    """The store of this process for `folder` (default: `default_folder()`, read each time, so
    that a changed XDG_CACHE_HOME takes effect)."""
    return _store(Path(folder) if folder is not None else default_folder())
