"""Typesetting: the model and a layout → the reading PDF (the only user of reportlab.platypus).

reportlab.platypus is imported here first, with two regular expressions that its import
compiles and booklet never uses compiled when first used instead: the pattern of URLs that
ReportLab's own Paragraph splits at line ends (`paragraph.uri_pat`, IGNORECASE over
[a-z\\xa1-\\uffff]: 29 ms, a thirtieth of a cold build) and the CJK wrapper's (`textsplit.rx`,
[\\u2e80-\\uffff]: 5 ms); booklet sets no ReportLab Paragraph and wraps no text with ReportLab.
Every other pattern is compiled as it was.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

_UNUSED_PATTERNS = (
    ("(^(?:[a-z0-9\\.\\-\\+]*)://)", re.IGNORECASE),  # how paragraph.uri_pat begins (ReportLab 4 and 5)
    ("([\u2e80-\uffff])", re.UNICODE),  # textsplit.rx, all of it
)
"""The openings and flags of the patterns left to compile on first use."""


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
def _unused_patterns_compiled_on_use() -> Iterator[None]:
    compile_now = re.compile

    def compile(pattern, flags=0):
        if isinstance(pattern, str) and any(pattern.startswith(opening) and flags == unused_flags
                                            for opening, unused_flags in _UNUSED_PATTERNS):
            return _CompiledOnUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile
    try:
        yield
    finally:
        re.compile = compile_now


with _unused_patterns_compiled_on_use():
    import reportlab.platypus  # noqa: F401  (the first import runs paragraph.py's module code)
