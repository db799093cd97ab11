"""A set line's parts → the PDF text operators that print it, its strike-through and its links.

ReportLab's text object does this through a call per operator, a font lookup per call and a
re-encoding of every string into the font's subsets (`TTFont.splitString`); drawing was a third
of a rebuild in `booklet watch`. Here a line's operators are written as one string, equal byte
for byte to what the text object writes for the same calls (`BT`, `Tm`, `Tz`, `Tc`, `Tw`,
`Tf … TL`, `Ts`, `Tj`, `ET`, joined by spaces), so the pages are the same. Each word is encoded
once per document: ReportLab gives a character its subset code the first time it sees it in a
document and never changes it, and encodes character by character, so a string seen before in
the same document always encodes the same, and a run's encoding is its words' encodings joined."""

from __future__ import annotations

from typing import Callable, Sequence
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont

from .words import Fragment, letter_spaced

__all__ = ["draw_line"]

STRIKE_HEIGHT = 0.27  # ems above the baseline
STRIKE_WEIGHT = 0.055  # ems

Part = Fragment | tuple[str, float, float]  # a space: (font, size, width)


def draw_line(canvas, parts: Sequence[Part], x: float, y: float, scale: float = 1.0, char_space: float = 0.0,
              word_space: float = 0.0) -> None:
    """Draw `parts` from (x, y), the baseline's start in points, with the horizontal `scale`
    (1.0: none), `char_space` (points after every character but those of fragments not
    `letter_spaced`) and `word_space` (extra points per space) that justify them; struck text
    gets its line and linked text its clickable rectangle, one over words and the spaces between."""
    spacing = (scale, char_space, word_space)
    operators, marked = _encoder(canvas._doc).operators(canvas._doc, parts, x, y, *spacing)
    canvas.addLiteral(operators)
    if marked:
        for _, x0, x1, size in _segments(parts, x, *spacing, _struck):
            # through the middle of the lower-case letters (about half the x-height of the
            # bundled faces), as thick as the letters' hairlines
            canvas.saveState()
            canvas.setLineWidth(size * STRIKE_WEIGHT)
            canvas.line(x0, y + size * STRIKE_HEIGHT, x1, y + size * STRIKE_HEIGHT)
            canvas.restoreState()
        for url, x0, x1, size in _segments(parts, x, *spacing, _linked):
            canvas.linkURL(url, (x0, y - size * 0.25, x1, y + size * 0.85), relative=1, thickness=0)


def _struck(part: Fragment) -> bool:
    return part.strike and not part.rise  # a raised note call is not struck through


def _linked(part: Fragment) -> str | None:
    return part.link


def _segments(parts: Sequence[Part], x: float, scale: float, char_space: float, word_space: float,
              key_of: Callable[[Fragment], object]) -> list[list]:
    """[key, x0, x1, size] for each stretch of fragments with the same true `key_of`: a stretch
    goes on over spaces and ends at a fragment with another key; `size` is its largest."""
    segments: list[list] = []
    open_key = None
    cursor = x
    for part in parts:
        if part.__class__ is Fragment:
            width = (part.width + (len(part.text) * char_space if letter_spaced(part.text) else 0.0)) * scale
            key = key_of(part)
            if key and key == open_key:
                segments[-1][2] = cursor + width
                segments[-1][3] = max(segments[-1][3], part.size)
            elif key:
                segments.append([key, cursor, cursor + width, part.size])
            open_key = key or None
            cursor += width
        else:
            cursor += (part[2] + char_space + word_space) * scale
    return segments


class _Encoder:
    """The text operators of one PDF document's lines, with its words' encodings kept. (It
    holds no reference to the document: it is the document's value in `_ENCODERS`.)"""

    def __init__(self) -> None:
        # face → text → its (subset, escaped string) pieces
        self._encoded: dict[str, dict[str, tuple[tuple[int, str], ...]]] = {}
        self._selects: dict[tuple[str, float, int], str] = {}

    def operators(self, doc, parts: Sequence[Part], x: float, y: float, scale: float,
                  char_space: float, word_space: float) -> tuple[str, bool]:
        """What PDFTextObject writes in the PDF document `doc` for beginText(x, y),
        setHorizScale, setCharSpace, setWordSpace, then a setFont at each change of face or size,
        a setRise at each change of rise and a textOut of each stretch between them, and the
        settings undone at the end; and whether a part is linked or struck. (A textOut of
        nothing would add an empty operator: fragments are never empty.)"""
        code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
        if scale != 1.0:
            code.append(f"{fp_str(scale * 100.0)} Tz")
        if char_space:
            code.append(f"{fp_str(char_space)} Tc")
        if word_space:
            code.append(f"{fp_str(word_space)} Tw")
        spaced = char_space  # the character spacing in force: none in a fragment not letter-spaced
        font = size = None
        rise = 0.0
        subset = -1  # selected last (textOut selects a subset; setFont of a TrueType font none)
        encoded: dict[str, tuple[tuple[int, str], ...]] = {}
        strings: list[str] = []  # escaped text in `subset`, not shown yet
        marked = False
        for part in parts:
            if part.__class__ is Fragment:
                part_font, part_size, part_rise, text = part.font, part.size, part.rise, part.text
                if part.link or part.strike:
                    marked = True
            else:
                part_font, part_size, _ = part
                part_rise, text = 0.0, " "
            if part_font != font or part_size != size or part_rise != rise:
                if strings:
                    code.append(f"({''.join(strings)}) Tj")
                    strings = []
                if part_font != font or part_size != size:
                    font, size, subset = part_font, part_size, -1
                    encoded = self._encoded.get(font) or self._encoded.setdefault(font, {})
                if part_rise != rise:
                    rise = part_rise
                    code.append(f"{fp_str(rise)} Ts")
            if char_space and (part.__class__ is not Fragment or letter_spaced(text)) != (spaced != 0.0):
                if strings:
                    code.append(f"({''.join(strings)}) Tj")
                    strings = []
                spaced = char_space if spaced == 0.0 else 0.0
                code.append(f"{fp_str(spaced)} Tc")
            fixed = word_space and text == " " and part.__class__ is Fragment  # a space of code
            if fixed:
                if strings:
                    code.append(f"({''.join(strings)}) Tj")
                    strings = []
                code.append("0 Tw")
            for text_subset, escaped in encoded.get(text) or self._encode(doc, font, text):
                if text_subset != subset:
                    if strings:
                        code.append(f"({''.join(strings)}) Tj")
                        strings = []
                    code.append(self._select(doc, font, size, text_subset))
                    subset = text_subset
                strings.append(escaped)
            if fixed:
                code.append(f"({''.join(strings)}) Tj")
                strings = []
                code.append(f"{fp_str(word_space)} Tw")
        if strings:
            code.append(f"({''.join(strings)}) Tj")
        if rise:
            code.append("0 Ts")
        if word_space:
            code.append("0 Tw")
        if spaced:
            code.append("0 Tc")
        if scale != 1.0:
            code.append("100 Tz")
        code.append("ET")
        return " ".join(code), marked

    def _encode(self, doc, font: str, text: str) -> tuple[tuple[int, str], ...]:
        """`text` in `font`'s subsets of this document, escaped for a PDF string (the escapes
        are byte by byte, so escaped pieces join as the pieces do)."""
        encoded = self._encoded[font][text] = tuple(
            (subset, escapePDF(chars)) for subset, chars in getFont(font).splitString(text, doc))
        return encoded

    def _select(self, doc, font: str, size: float, subset: int) -> str:
        select = self._selects.get((font, size, subset))
        if select is None:
            name = getFont(font).getSubsetInternalName(subset, doc)
            select = self._selects[font, size, subset] = f"{name} {fp_str(size)} Tf {fp_str(size * 1.2)} TL"
        return select


_ENCODERS: WeakKeyDictionary = WeakKeyDictionary()  # PDF document → its _Encoder, gone with it


def _encoder(doc) -> _Encoder:
    encoder = _ENCODERS.get(doc)
    if encoder is None:
        encoder = _ENCODERS[doc] = _Encoder()
    return encoder
