"""Styled runs of text → a paragraph flowable set with total-fit line breaking.

`make_paragraph` turns runs (text in one face each) into boxes, glue and penalties
(`linebreak.py`), breaks them into lines with the Knuth–Plass algorithm at the width the
frame offers, splits between lines at page breaks without widows or orphans, and draws
each line with the canvas: justified lines through the PDF word spacing operator (`Tw`), so
the text keeps its real spaces for copy and paste and for text extraction.

Break opportunities inside a word: hyphenation points from pyphen (`hyphenate.py`, a hyphen
is drawn), soft hyphens of the source (never printed otherwise), explicit hyphens and dashes
(no sign added), and in URLs after / . - _ (no sign). A token wider than the measure may
break anywhere, as the very last resort, so nothing overflows the margin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..hyphenate import SOFT_HYPHEN, Hyphenator, hyphenator
from ..layouts import Hyphenation, TextStyle
from .linebreak import FIL, INFINITY, Box, Break, Glue, Item, Parameters, Penalty, break_lines, line_items


@dataclass(frozen=True)
class Run:
    """A piece of text in one face; a run whose text is "\\n" is a forced line break."""

    text: str
    font: str  # a registered ReportLab font name
    size: float
    link: str | None = None


@dataclass(frozen=True)
class Spacing:
    """How inter-word space may vary, as fractions of the font's space; and break costs.

    Shrink to 0.8 of the natural space (issue #4); stretch is what the line breaker may use
    before a line counts as loose (badness 100 at stretch × 1).
    """

    stretch: float = 0.5
    shrink: float = 0.2
    hyphen_penalty: float = 50.0
    explicit_hyphen_penalty: float = 50.0
    dash_penalty: float = 50.0
    url_penalty: float = 100.0
    anywhere_penalty: float = 5000.0
    ragged_stretch: float = 3.0  # ems of stretch at each line end of ragged text
    emergency_stretch: float = 3.0  # ems added to every line in the breaker's last pass


SPACING = Spacing()
PARAMETERS = Parameters(pretolerance=100.0, tolerance=400.0, line_penalty=10.0, adj_demerits=10000.0,
                        double_hyphen_demerits=10000.0, final_hyphen_demerits=5000.0, max_hyphen_run=2)

_SPACES = " \t\r\n"
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"
_HYPHEN_CHARS = "-\u2010"
_DASHES = "\u2013\u2014"
_URL_BREAK_AFTER = "/.-_?&=#"
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)|^[^\s@]+@[^\s@]+\.[a-z]{2,}$", re.I)
_MAX_SPLIT_LINES = 3  # a paragraph of this many lines or fewer never splits


def make_paragraph(runs: list[Run], style: TextStyle, language: str, hyphenation: Hyphenation) -> Flowable:
    """A paragraph flowable for `runs` set in `style` (lengths in points).

    Hyphenates in `language` when the style asks for it and pyphen knows the language.
    """
    hyph = hyphenator(language, hyphenation) if style.hyphenate else None
    return TypesetParagraph(runs, style, hyph)


# --- measuring -------------------------------------------------------------------------

_widths: dict[tuple[str, str, float], float] = {}


def text_width(text: str, font: str, size: float) -> float:
    """Width of `text` in points (cached: the same words recur all through a booklet)."""
    key = (text, font, size)
    width = _widths.get(key)
    if width is None:
        width = _widths[key] = stringWidth(text, font, size)
    return width


@dataclass(frozen=True, slots=True)
class Fragment:
    """Text in one face, all of it on one line once set (soft hyphens already removed)."""

    text: str
    font: str
    size: float
    link: str | None


# --- runs → items ------------------------------------------------------------------------


def paragraph_items(runs: Sequence[Run], style: TextStyle, hyph: Hyphenator | None,
                    spacing: Spacing = SPACING) -> list[Item]:
    """The boxes, glue and penalties of a paragraph, ending with the forced final break."""
    justify = style.align == "justify"
    items: list[Item] = []
    word: list[Fragment] = []
    raw_word: list[tuple[str, Run]] = []

    def flush_word() -> None:
        if raw_word:
            items.extend(_word_items(raw_word, hyph, spacing))
            raw_word.clear()

    def add_space(run: Run) -> None:
        if not items and not raw_word:
            return  # leading space
        flush_word()
        if items and isinstance(items[-1], (Glue, Penalty)) and not _is_nbsp_glue(items, len(items) - 1):
            return  # collapse runs of spaces
        space = text_width(" ", run.font, run.size)
        if justify:
            items.append(Glue(space, space * spacing.stretch, space * spacing.shrink, (run.font, run.size)))
        else:
            em = run.size * spacing.ragged_stretch
            items.append(Glue(0.0, em, 0.0, None))
            items.append(Penalty(0.0, 0.0))
            items.append(Glue(space, -em, 0.0, (run.font, run.size)))

    for run in runs:
        if run.text == "\n":
            flush_word()
            while items and (isinstance(items[-1], Glue) or
                             (isinstance(items[-1], Penalty) and -INFINITY < items[-1].penalty < INFINITY)):
                items.pop()
            items.append(Glue(0.0, FIL, 0.0))
            items.append(Penalty(0.0, -INFINITY))
            continue
        piece_start = 0
        text = run.text
        for i, ch in enumerate(text):
            if ch in _SPACES:
                if i > piece_start:
                    raw_word.append((text[piece_start:i], run))
                add_space(run)
                piece_start = i + 1
            elif ch in _NO_BREAK_SPACES:
                if i > piece_start:
                    raw_word.append((text[piece_start:i], run))
                flush_word()
                # glue that may stretch but never breaks: a penalty of INFINITY before it
                # makes it illegal (glue breaks only after a box)
                space = text_width(" ", run.font, run.size)
                items.append(Penalty(0.0, INFINITY))
                stretch = space * spacing.stretch if justify else 0.0
                shrink = space * spacing.shrink if justify else 0.0
                items.append(Glue(space, stretch, shrink, (run.font, run.size)))
                piece_start = i + 1
        if piece_start < len(text):
            raw_word.append((text[piece_start:], run))
    flush_word()
    while items and (isinstance(items[-1], Glue) or
                     (isinstance(items[-1], Penalty) and items[-1].penalty > -INFINITY)):
        items.pop()
    # trailing forced breaks would make an empty last line
    while items and isinstance(items[-1], Penalty) and items[-1].penalty <= -INFINITY:
        items.pop()
        while items and isinstance(items[-1], Glue):
            items.pop()
    if items:
        items.append(Glue(0.0, FIL, 0.0))
        items.append(Penalty(0.0, -INFINITY))
    return items


def _is_nbsp_glue(items: list[Item], index: int) -> bool:
    return index > 0 and isinstance(items[index], Glue) and isinstance(items[index - 1], Penalty) \
        and items[index - 1].penalty >= INFINITY


def _word_items(pieces: list[tuple[str, Run]], hyph: Hyphenator | None, spacing: Spacing) -> list[Item]:
    """One word (possibly in several faces: *the*, or a link inside a word) → boxes split at
    its break opportunities, with the penalties between them."""
    text = "".join(piece for piece, _ in pieces)
    points: dict[int, tuple[str, float]] = {}  # offset → (kind, penalty)
    looks_like_url = bool(_URL.match(text.strip("(<[«“\"'"))) or any(r.link and r.link.rstrip("/") in text
                                                                         for _, r in pieces if r.link)
    if looks_like_url:
        for i, ch in enumerate(text[:-1]):
            if ch in _URL_BREAK_AFTER and i > 0 and text[i + 1] not in _URL_BREAK_AFTER:
                points[i + 1] = ("url", spacing.url_penalty)
    else:
        if SOFT_HYPHEN in text or hyph is not None:
            if hyph is not None:
                found = hyph.points(text)
            else:
                found = tuple(i + 1 for i, ch in enumerate(text) if ch == SOFT_HYPHEN and 0 < i + 1 < len(text))
            for p in found:
                points[p] = ("hyphen", spacing.hyphen_penalty)
        for i, ch in enumerate(text[:-1]):
            if i == 0:
                continue
            if ch in _HYPHEN_CHARS and text[i - 1].isalpha() and text[i + 1].isalpha():
                points[i + 1] = ("explicit", spacing.explicit_hyphen_penalty)
            elif ch in _DASHES and text[i + 1] not in _DASHES + ",.;:!?»”)":
                points[i + 1] = ("dash", spacing.dash_penalty)
    if not points:
        return [_box(_fragments(pieces, 0, len(text)))]
    items: list[Item] = []
    last = 0
    for p in sorted(points):
        kind, penalty = points[p]
        fragments = _fragments(pieces, last, p)
        if not fragments:
            continue
        items.append(_box(fragments))
        if kind == "hyphen":
            font, size = fragments[-1].font, fragments[-1].size
            items.append(Penalty(text_width("-", font, size), penalty, True, (font, size)))
        else:
            items.append(Penalty(0.0, penalty, kind == "explicit", None))
        last = p
    rest = _fragments(pieces, last, len(text))
    if rest:
        items.append(_box(rest))
    elif items and isinstance(items[-1], Penalty):
        items.pop()
    return items


def _fragments(pieces: list[tuple[str, Run]], start: int, end: int) -> tuple[Fragment, ...]:
    """The fragments of the word's characters start:end (soft hyphens dropped)."""
    out: list[Fragment] = []
    offset = 0
    for piece, run in pieces:
        a, b = max(start, offset), min(end, offset + len(piece))
        if a < b:
            text = piece[a - offset:b - offset].replace(SOFT_HYPHEN, "")
            if text:
                out.append(Fragment(text, run.font, run.size, run.link))
        offset += len(piece)
    return tuple(out)


def _box(fragments: tuple[Fragment, ...]) -> Box:
    return Box(sum(text_width(f.text, f.font, f.size) for f in fragments), fragments)


def with_emergency_points(items: list[Item], width: float, spacing: Spacing = SPACING) -> list[Item]:
    """Items where every box wider than `width` may also break between any two characters
    (no sign added): the last resort against overflowing the margin."""
    out: list[Item] = []
    for item in items:
        if not isinstance(item, Box) or item.width <= width or not item.data:
            out.append(item)
            continue
        chars = [Fragment(ch, f.font, f.size, f.link) for f in item.data for ch in f.text]
        for n, fragment in enumerate(chars):
            if n:
                out.append(Penalty(0.0, spacing.anywhere_penalty, False, None))
            out.append(_box((fragment,)))
    return out


# --- lines ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One set line: `parts` are fragments and spaces (None) in order; `natural` is its width
    with natural spaces; `justified` lines are stretched to `width`."""

    parts: tuple[Fragment | tuple[str, float] | None, ...]
    natural: float
    spaces: int
    width: float
    justified: bool
    hyphenated: bool


def set_lines(items: list[Item], breaks: list[Break], justify: bool) -> list[Line]:
    """Breaks → lines ready to draw."""
    lines: list[Line] = []
    spans = line_items(items, breaks)
    count = len(breaks)
    for number, ((start, end), brk) in enumerate(zip(spans, breaks)):
        parts: list = []
        natural = 0.0
        spaces = 0
        for item in items[start:end]:
            if isinstance(item, Box):
                parts.extend(item.data)
                natural += item.width
            elif isinstance(item, Glue):
                if item.data is None:
                    continue  # the invisible stretch of ragged text
                parts.append(item.data)  # (font, size) of a space
                natural += item.width
                spaces += 1
        # drop spaces at the line end (the glue before a forced break)
        while parts and isinstance(parts[-1], tuple) and not isinstance(parts[-1], Fragment):
            font, size = parts.pop()
            natural -= text_width(" ", font, size)
            spaces -= 1
        hyphen = False
        if brk.index < len(items):
            brk_item = items[brk.index]
            if isinstance(brk_item, Penalty) and brk_item.width > 0 and brk_item.data is not None:
                font, size = brk_item.data
                last = parts[-1] if parts else None
                link = last.link if isinstance(last, Fragment) else None
                parts.append(Fragment("-", font, size, link))
                natural += brk_item.width
                hyphen = True
            elif isinstance(brk_item, Penalty) and brk_item.flagged:
                hyphen = True
        forced_end = number == count - 1 or (
            brk.index < len(items) and isinstance(items[brk.index], Penalty)
            and items[brk.index].penalty <= -INFINITY)
        lines.append(Line(tuple(parts), natural, spaces, brk.line_width,
                          justify and not forced_end and spaces > 0, hyphen))
    return lines


# --- the flowable ------------------------------------------------------------------------------


class TypesetParagraph(Flowable):
    """A paragraph broken into lines by total fit; splits only between lines, never leaving
    fewer than two lines on either side of a page break (so a paragraph of three lines or
    fewer moves whole)."""

    def __init__(self, runs: Sequence[Run], style: TextStyle, hyph: Hyphenator | None,
                 lines: list[Line] | None = None, lines_width: float | None = None, first: bool = True):
        super().__init__()
        self.runs = list(runs)
        self.style = style
        self.hyph = hyph
        self.leading = style.leading
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.first = first  # holds the paragraph's first line (and its indent)
        self._items: list[Item] | None = None
        self._cache: dict[float, list[Line]] = {}
        if lines is not None and lines_width is not None:
            self._cache[lines_width] = lines
        self.lines: list[Line] = []
        self.width = self.height = 0.0

    # Platypus protocol -------------------------------------------------------------------

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = self.lines_for(available_width)
        self.width = available_width
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines_for(available_width)
        count = len(lines)
        fit = int((available_height + 1e-6) // self.leading)
        if count <= _MAX_SPLIT_LINES or fit < 2:
            return []
        keep = min(fit, count - 2)  # two lines at least on the next page: no widow
        if keep < 2:
            return []
        head = TypesetParagraph(self.runs, self.style, self.hyph, lines[:keep], available_width, self.first)
        tail = TypesetParagraph(self.runs, self.style, self.hyph, lines[keep:], available_width, False)
        head.spaceAfter = 0.0
        tail.spaceBefore = 0.0
        for part in (head, tail):
            part._items = self._items
        return [head, tail]

    def draw(self) -> None:
        draw_lines(self.canv, self.lines, self.style, self.height, self.leading, self.first, self.width)

    # line breaking ----------------------------------------------------------------------------

    def items(self) -> list[Item]:
        if self._items is None:
            self._items = paragraph_items(self.runs, self.style, self.hyph)
        return self._items

    def lines_for(self, width: float) -> list[Line]:
        lines = self._cache.get(width)
        if lines is None:
            if self._cache:
                # a part of a split paragraph asked for another width: keep the lines (they
                # were broken for the frame it left; our frames all have one width)
                lines = next(iter(self._cache.values()))
            else:
                lines = self._cache[width] = break_paragraph(self.items(), self.style, width)
        return lines


def break_paragraph(items: list[Item], style: TextStyle, width: float,
                    parameters: Parameters = PARAMETERS, spacing: Spacing = SPACING) -> list[Line]:
    """Items → lines at a measure of `width` points (the first line shortened by the indent)."""
    if not items:
        return []
    justify = style.align == "justify"
    indent = style.first_indent if style.align in ("justify", "left") else 0.0
    widths = [max(width - indent, 1.0), width] if indent else [width]
    if any(isinstance(i, Box) and i.width > widths[0] for i in items):
        items = with_emergency_points(items, min(widths), spacing)
    if parameters.emergency_stretch == 0.0:
        parameters = replace(parameters, emergency_stretch=spacing.emergency_stretch * style.size)
    if not justify:
        parameters = replace(parameters, pretolerance=-1.0)
    breaks = break_lines(items, widths, parameters)
    return set_lines(items, breaks, justify)


def draw_lines(canvas, lines: list[Line], style: TextStyle, height: float, leading: float,
               first: bool, frame_width: float) -> None:
    """Draw lines top down from `height`; baselines at `style.size` below each line's top."""
    y = height - style.size
    for number, line in enumerate(lines):
        indent = style.first_indent if first and number == 0 and style.align in ("justify", "left") else 0.0
        if style.align == "center":
            x = (frame_width - line.natural) / 2
        elif style.align == "right":
            x = frame_width - line.natural
        else:
            x = indent
        word_space = (line.width - line.natural) / line.spaces if line.justified else 0.0
        _draw_line(canvas, line, x, y, word_space)
        y -= leading


def _draw_line(canvas, line: Line, x: float, y: float, word_space: float) -> None:
    text = canvas.beginText(x, y)
    if word_space:
        text.setWordSpace(word_space)
    font = size = None
    buffer: list[str] = []
    links: list[list] = []  # [url, x0, x1, size]; the last one is open while spaces follow it
    link_open = False
    cursor = x
    for part in line.parts:
        if isinstance(part, Fragment):
            if part.font != font or part.size != size:
                if buffer:
                    text.textOut("".join(buffer))
                    buffer.clear()
                font, size = part.font, part.size
                text.setFont(font, size)
            buffer.append(part.text)
            width = text_width(part.text, part.font, part.size)
            if part.link:
                if link_open and links[-1][0] == part.link:
                    links[-1][2] = cursor + width  # one rectangle over words and spaces
                    links[-1][3] = max(links[-1][3], part.size)
                else:
                    links.append([part.link, cursor, cursor + width, part.size])
                link_open = True
            else:
                link_open = False
            cursor += width
        else:
            space_font, space_size = part
            if space_font != font or space_size != size:
                if buffer:
                    text.textOut("".join(buffer))
                    buffer.clear()
                font, size = space_font, space_size
                text.setFont(font, size)
            buffer.append(" ")
            cursor += text_width(" ", space_font, space_size) + word_space
    if buffer:
        text.textOut("".join(buffer))
    if word_space:
        text.setWordSpace(0)
    canvas.drawText(text)
    for url, x0, x1, size in links:
        canvas.linkURL(url, (x0, y - size * 0.25, x1, y + size * 0.85), relative=1, thickness=0)
