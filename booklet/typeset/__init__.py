"""Typesetting: the model and a layout → the reading PDF (the only user of reportlab.platypus).

reportlab.platypus is imported here first, with one regular expression of its `paragraph`
module compiled when it is first used instead of at import: the pattern of URLs that
ReportLab's own Paragraph splits at line ends (`uri_pat`, with IGNORECASE over
[a-z\\xa1-\\uffff]) takes 29 ms to compile, a thirtieth of a cold build, and booklet sets no
ReportLab Paragraph. Nothing else changes: every other pattern is compiled as it was.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

_URL_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
"""How reportlab/platypus/paragraph.py's `uri_pat` begins (ReportLab 4 and 5)."""


class _CompiledOnUse:
    """A regular expression that is compiled when one of its attributes is first asked for."""

    def __init__(self, pattern: str, flags: int):
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


@contextmanager
def _url_pattern_compiled_on_use() -> Iterator[None]:
    compile_now = re.compile

    def compile(pattern, flags=0):
        if isinstance(pattern, str) and pattern.startswith(_URL_PATTERN_START) and flags == re.IGNORECASE:
            return _CompiledOnUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile
    try:
        yield
    finally:
        re.compile = compile_now


with _url_pattern_compiled_on_use():
    import reportlab.platypus  # noqa: F401  (the first import runs paragraph.py's module code)
