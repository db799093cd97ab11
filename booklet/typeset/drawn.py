"""Pages of text drawn in one build and used again in the next (`booklet watch`).

After a one-word edit almost every page is what it was: the same lines at the same places. Drawing
them again (the text operators, the fonts' subset codes) is most of a rebuild, so a page of text
remembers the operators it drew and, in the next build, puts them back instead of drawing.

Two things make a page's operators what they are. Its content: the pieces the page builder placed,
and where (a piece is recognised by the very line objects it draws, which the line cache hands
out unchanged while their paragraph is; a page holding anything but lines and space, a figure, a
link or a footnote call, is always drawn). And the state of the document's fonts: ReportLab
gives each character of a TrueType font its subset code when it is first drawn, document-wide.
So a page drawn again only when the fonts' state before it is the one it was drawn with, and the
characters it gave codes to then are given them again, in the same order ("replayed"): the fonts
end in the state that drawing would leave, and the PDF is byte for byte the one a build without
any kept page makes (tests/test_incremental.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DocState = tuple
"""What drawing a page of text may change in the document (`doc_state`). Its first three
parts (the fonts and the PDF version) decide what drawing the page leads to: a kept page is
put back only where they are what they were when it was drawn."""


def doc_state(canvas) -> DocState:
    """The state of the document that decides the operators a page of text gets, and that
    drawing it may change: of every TrueType font the document uses, its name, PDF name,
    next subset code and the characters given codes, in the order they got them; the PDF
    names of all fonts; the PDF version (a colour with alpha raises it to 1.4); the graphics
    states and objects registered."""
    doc = canvas._doc
    fonts = []
    for font in pdfmetrics._fonts.values():
        if isinstance(font, TTFont):
            state = font.state.get(doc)
            if state is not None:
                fonts.append((font.fontName, state.internalName, state.nextCode, tuple(state.assignments)))
    return (tuple(fonts), tuple(doc.fontMapping.values()), doc._pdfVersion, len(canvas._extgstate._c),
            len(doc.idToObject))


def _replay(doc, before: DocState, after: DocState) -> None:
    """Change the document as drawing a kept page did: give codes to the characters it gave
    codes to, PDF names to the fonts it named, raise the PDF version as it did. `before` is the
    document's state now, `after` the state the page's drawing led to."""
    had = {name: (internal, chars) for name, internal, _, chars in before[0]}
    named = []
    for name, internal, _, chars in after[0]:
        font = pdfmetrics.getFont(name)
        had_internal, had_chars = had.get(name, (None, ()))
        if len(chars) > len(had_chars):
            font.splitString("".join(map(chr, chars[len(had_chars):])), doc)
        if internal is not None and had_internal is None:
            named.append((int(internal.lstrip("F")), font))
    for _, font in sorted(named, key=lambda pair: pair[0]):  # PDF names in the order drawing gave them
        font.getSubsetInternalName(0, doc)
    doc._pdfVersion = after[2]


def _replayable(before: DocState, after: DocState) -> bool:
    """Whether drawing changed nothing but what `_replay` can do again: no font but TrueType
    ones named, no graphics state or object registered."""
    named = sum(1 for font in after[0] if font[1] is not None) - sum(1 for font in before[0] if font[1] is not None)
    return len(after[1]) - len(before[1]) == named and after[3:] == before[3:]


class Kept:
    """Objects kept in the process from one build to the next (`booklet watch`), by key; those
    a build did not use are dropped at its end (`finish`)."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}
        self._used: set[Any] = set()

    def get(self, key: Any) -> Any | None:
        value = self._values.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self._values[key] = value
        self._used.add(key)

    def finish(self) -> None:
        self._values = {key: value for key, value in self._values.items() if key in self._used}
        self._used = set()


@dataclass
class _Drawn:
    code: list[str]
    before: DocState
    after: DocState
    keep_alive: list[Any]  # the objects whose ids are in the page's signature


class DrawnPages:
    """Pages of text by their signature (makeup.page_signature: the page's place and the ids
    of what it draws) → the operators drawn for them."""

    def __init__(self) -> None:
        self._pages = Kept()  # signature → _Drawn
        self._streams = Kept()  # a stream's bytes → compressed
        self.reused = self.drawn = 0

    def draw(self, signature: tuple | None, objects: list[Any], canvas, draw) -> None:
        """Draw a page (`draw()`), or put back its operators when it was drawn as it is now
        (`signature` None: always drawn; `objects`: those whose ids it holds, kept alive with
        the page so that no other object takes their id)."""
        if signature is None:
            draw()
            self.drawn += 1
            return
        before = doc_state(canvas)
        kept = self._pages.get(signature)
        if kept is not None and kept.before[:3] == before[:3]:
            _replay(canvas._doc, before, kept.after)
            if doc_state(canvas)[:3] != kept.after[:3]:
                raise RuntimeError("a kept page's drawing could not be replayed")  # a bug, not the user's
            canvas._code.extend(kept.code)
            self.reused += 1
            return
        start = len(canvas._code)
        draw()
        self.drawn += 1
        after = doc_state(canvas)
        if _replayable(before, after):
            self._pages.put(signature, _Drawn(canvas._code[start:], before, after, objects))

    @contextmanager
    def compression(self) -> Iterator[None]:
        """While a document is built and saved, a stream compressed in the last build is not
        compressed again. ReportLab compresses every page's operators and every font subset
        and its character map when it saves, and after an edit almost all are what they were
        (a tenth of a rebuild of the typical booklet). Its one Flate filter object is looked
        up by every stream it makes, so it is swapped for one that remembers, meanwhile."""
        original = pdfdoc.PDFZCompress
        pdfdoc.PDFZCompress = _KeptCompression(self)
        try:
            yield
        finally:
            pdfdoc.PDFZCompress = original

    def compressed(self, data: bytes, compress) -> bytes:
        packed = self._streams.get(data)
        if packed is None:
            packed = compress(data)
            self._streams.put(data, packed)
        return packed

    def finish(self) -> None:
        """End of a build: keep only the pages and streams it drew or used."""
        self._pages.finish()
        self._streams.finish()


class _KeptCompression(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter, through the streams kept (`DrawnPages.compression`)."""

    def __init__(self, kept: DrawnPages):
        self.kept = kept

    def encode(self, text) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else bytes(text)
        return self.kept.compressed(data, super().encode)
