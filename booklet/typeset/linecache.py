"""A paragraph's content key → its set lines, and an article's measured items → its page
breaks, kept between builds (docs/architecture.md, 2).

Line and page breaking are pure functions of their arguments, so their results can be looked
up by a digest of them instead of computed. `LineCache` holds the results: in the process for `booklet
watch` (the objects themselves), and for the command line in one verified entry of the store
per booklet (`lines/<pack>`), in which every result also carries its own digest. Values go to
disk as marshal data (floats exact), so lines read back are equal to lines computed, and a
build from the cache is byte-identical to a clean one. A damaged pack or entry is a miss.

The cache in use is ambient (`using`), so that every paragraph of the story, wherever in
typeset/ it is made, shares it without being handed it.
"""

from __future__ import annotations

import importlib
import marshal
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator

from reportlab import Version as REPORTLAB_VERSION

from .. import __version__
from ..cache import Store, digest
from .drawn import DrawnPages, Kept

_CURRENT: ContextVar[LineCache | None] = ContextVar("line_cache", default=None)


class LineCache:
    """Results by key (bytes). `store` and `pack` None: in the process only, and then the
    pages of text drawn (`drawn`, drawn.py) and the pages made of each article (`articles`)
    are kept from one build to the next as well."""

    def __init__(self, store: Store | None = None, pack: str | None = None):
        self.store, self.pack = store, pack
        self._values: dict[bytes, Any] = {}
        self._blobs: dict[bytes, tuple[bytes, bytes]] = {}  # key → (entry digest, marshal data)
        self._used: set[bytes] = set()
        self._changed = False
        self.hits = self.misses = 0
        self.drawn = DrawnPages() if store is None else None
        self.articles = Kept() if store is None else None  # made pages by article (document.py)
        if store is not None and pack is not None:
            self._blobs = _read_pack(store.read("lines", pack))

    def get(self, key: bytes, decode: Callable[[Any], Any]) -> Any | None:
        """The value kept under `key`, or None (a miss: compute it and `put` it)."""
        value = self._values.get(key)
        if value is None and key in self._blobs:
            entry_digest, blob = self._blobs.pop(key)
            if digest(key, blob) == entry_digest:
                try:
                    value = self._values[key] = decode(marshal.loads(blob))
                    self._blobs[key] = (entry_digest, blob)
                except (ValueError, EOFError, TypeError, IndexError):
                    value = None  # what this code does not write: computed again
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used.add(key)
        return value

    def put(self, key: bytes, value: Any, encode: Callable[[Any], Any]) -> None:
        self._values[key] = value
        self._used.add(key)
        self._changed = True
        if self.store is not None:
            blob = marshal.dumps(encode(value))
            self._blobs[key] = (digest(key, blob), blob)

    def forget_made(self) -> None:
        """Forget the pages made and drawn in the last builds (their content keys name fonts by
        their names and files by their paths, which stay when a font file is replaced)."""
        if self.drawn is not None:
            self.drawn = DrawnPages()
            self.articles = Kept()

    def finish(self) -> None:
        """End of a build: keep only what it used (an edited paragraph's old lines go) and write
        the pack when it changed."""
        stale = (self._values.keys() | self._blobs.keys()) - self._used
        changed = self._changed or bool(stale)
        self._values = {key: value for key, value in self._values.items() if key in self._used}
        self._blobs = {key: blob for key, blob in self._blobs.items() if key in self._used}
        if changed and self.store is not None and self.pack is not None:
            self.store.write("lines", self.pack, marshal.dumps(self._blobs))
        self._used = set()
        self._changed = False
        if self.drawn is not None:
            self.drawn.finish()
        if self.articles is not None:
            self.articles.finish()


def _read_pack(payload: bytes | None) -> dict[bytes, tuple[bytes, bytes]]:
    if payload is None:
        return {}
    try:
        blobs = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(blobs, dict):
        return {}
    return {key: value for key, value in blobs.items()
            if isinstance(key, bytes) and isinstance(value, tuple) and len(value) == 2
            and all(isinstance(part, bytes) for part in value)}


@contextmanager
def using(cache: LineCache | None) -> Iterator[None]:
    """Make `cache` the one paragraphs consult while the block runs."""
    token = _CURRENT.set(cache)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current() -> LineCache | None:
    return _CURRENT.get()


@cache
def code_stamp(*modules: str) -> bytes:
    """booklet's and ReportLab's versions and the source of `modules` (imported names): a key
    made with it changes with any edit to the code that computes the value, even without a
    new version number."""
    sources = b""
    for name in modules:
        try:
            sources += Path(importlib.import_module(name).__file__).read_bytes()
        except (OSError, TypeError):
            pass
    return digest(__version__.encode(), REPORTLAB_VERSION.encode(), sources)
