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
from reportlab.platypus import Flowable, KeepTogether

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

    Spaces shrink to 0.75 of the natural space (issue #4 asks for "about 0.8"; glyphs give up
    to 2 % more) and stretch by 0.45 of it at badness 100, the point where a line's word gaps
    reach 1.45 × natural after the glyphs have widened by 2 %. Tuned on the benchmark corpora
    (benchmarks/typography.py): a higher hyphen penalty buys fewer hyphens with looser lines.
    """

    stretch: float = 0.45
    shrink: float = 0.25
    hyphen_penalty: float = 100.0
    explicit_hyphen_penalty: float = 100.0
    dash_penalty: float = 50.0
    url_penalty: float = 1000.0
    single_letter_penalty: float = INFINITY  # as a no-break space; lower it to allow in need
    anywhere_penalty: float = 5000.0
    ragged_stretch: float = 3.0  # ems of stretch at each line end of ragged text
    emergency_stretch: float = 0.0  # ems added to every line in the breaker's last pass
    expansion: float = 0.02  # glyphs may widen or narrow by this share (horizontal scale)
    protrusion: bool = True  # hang punctuation at the right margin of justified text


PROTRUSION = {
    "-": 0.6, "\u2010": 0.6, ".": 0.6, ",": 0.6, ":": 0.35, ";": 0.35, "!": 0.2, "?": 0.2,
    "\u2019": 0.5, "\u201d": 0.5, "'": 0.5, '"': 0.5, "\u00bb": 0.4, ")": 0.2, "\u2013": 0.3, "\u2014": 0.2,
}
"""Share of a glyph's width that may hang past the right margin when it ends a justified
line (after microtype's defaults, Thành 2000: "Micro-typographic extensions to TeX")."""


SPACING = Spacing()
PARAMETERS = Parameters(pretolerance=100.0, tolerance=300.0, line_penalty=10.0, adj_demerits=10000.0,
                        double_hyphen_demerits=10000.0, final_hyphen_demerits=5000.0, max_hyphen_run=2)

_SPACES = " \t\r\n"
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"
_SEPARATORS = re.compile(f"[{_SPACES}]+|[{_NO_BREAK_SPACES}]")
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
    return TypesetParagraph(runs, style, hyph, tie_single_letters=ties_single_letters(language))


TIE_LANGUAGES = ("uk", "ru", "be", "bg", "pl", "cs", "sk")
"""Languages whose typography keeps a one-letter word (у, в, з, і, a, w, z …) on the line of
the word that follows it."""


def ties_single_letters(language: str) -> bool:
    return language.replace("-", "_").split("_")[0].lower() in TIE_LANGUAGES


# --- measuring -------------------------------------------------------------------------

_widths: dict[tuple[str, str, float], float] = {}


def fragment(text: str, font: str, size: float, link: str | None) -> Fragment:
    return Fragment(text, font, size, link, text_width(text, font, size))


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
    width: float = 0.0  # of the text in points, filled in by `fragment`


# --- runs → items ------------------------------------------------------------------------


def paragraph_items(runs: Sequence[Run], style: TextStyle, hyph: Hyphenator | None,
                    spacing: Spacing = SPACING, tie_single_letters: bool = False) -> list[Item]:
    """The boxes, glue and penalties of a paragraph, ending with the forced final break.

    With `tie_single_letters`, a line does not end after a one-letter word unless nothing
    else will do (a penalty of `spacing.single_letter_penalty` instead of free glue).
    """
    justify = style.align == "justify"
    items: list[Item] = []
    raw_word: list[tuple[str, Run]] = []
    previous_word = [""]  # text of the last word flushed

    def flush_word() -> None:
        if not raw_word:
            return
        if tie_single_letters:
            previous_word[0] = "".join(piece for piece, _ in raw_word)
        if len(raw_word) == 1:
            # one face: the same word set the same way gives the same items (they are
            # immutable), and words recur all through a booklet
            piece, run = raw_word[0]
            key = (piece, run.font, run.size, run.link, id(hyph), justify, id(spacing))
            word = _word_cache.get(key)
            if word is None:
                word = _word_cache[key] = _finished_word(raw_word, hyph, spacing, justify)
        else:
            word = _finished_word(raw_word, hyph, spacing, justify)
        items.extend(word)
        raw_word.clear()

    def add_space(run: Run) -> None:
        if not items and not raw_word:
            return  # leading space
        flush_word()
        if items and (isinstance(items[-1], Glue) and not _is_nbsp_glue(items, len(items) - 1)
                      or isinstance(items[-1], Penalty) and items[-1].data != "hang"):
            return  # collapse runs of spaces
        key = (run.font, run.size, justify, id(spacing))
        glue = _space_cache.get(key)
        if glue is None:
            space = text_width(" ", run.font, run.size)
            if justify:
                glue = (Glue(space, space * spacing.stretch, space * spacing.shrink, (run.font, run.size, space)),)
            else:
                em = run.size * spacing.ragged_stretch
                glue = (Glue(0.0, em, 0.0, None), Penalty(0.0, 0.0), Glue(space, -em, 0.0, (run.font, run.size, space)))
            _space_cache[key] = glue
        if tie_single_letters and len(previous_word[0]) == 1 and previous_word[0].isalpha():
            tie = Penalty(0.0, spacing.single_letter_penalty)
            if justify:  # the penalty before the glue is the only break left
                glue = (tie, *glue)
            else:
                glue = (glue[0], tie, glue[2])
        items.extend(glue)

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
        for match in _SEPARATORS.finditer(text):
            i = match.start()
            if i > piece_start:
                raw_word.append((text[piece_start:i], run))
            piece_start = match.end()
            if match.group()[0] in _SPACES:
                add_space(run)
            else:
                flush_word()
                # glue that may stretch but never breaks: a penalty of INFINITY before it
                # makes it illegal (glue breaks only after a box)
                space = text_width(" ", run.font, run.size)
                items.append(Penalty(0.0, INFINITY))
                stretch = space * spacing.stretch if justify else 0.0
                shrink = space * spacing.shrink if justify else 0.0
                items.append(Glue(space, stretch, shrink, (run.font, run.size, space)))
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


_word_cache: dict[tuple, list[Item]] = {}
_space_cache: dict[tuple, tuple[Item, ...]] = {}


def _finished_word(pieces: list[tuple[str, Run]], hyph: Hyphenator | None, spacing: Spacing,
                   justify: bool) -> list[Item]:
    """A word's items, and after them, in justified text, the penalty that lets a final
    punctuation mark hang into the margin when the line breaks there."""
    word = _word_items(pieces, hyph, spacing, justify)
    last = word[-1]
    if justify and spacing.protrusion and isinstance(last, Box) and last.data:
        final = last.data[-1]
        hang = PROTRUSION.get(final.text[-1], 0.0)
        if hang:
            # a break here lets the mark hang: the line counts as that much shorter
            width = text_width(final.text[-1], final.font, final.size)
            word = [*word, Penalty(-hang * width, 0.0, False, "hang")]
    return word


def _word_items(pieces: list[tuple[str, Run]], hyph: Hyphenator | None, spacing: Spacing,
                justify: bool = True) -> list[Item]:
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
    expansion = spacing.expansion if justify else 0.0
    if not points:
        return [_box(_fragments(pieces, 0, len(text)), expansion)]
    items: list[Item] = []
    last = 0
    for p in sorted(points):
        kind, penalty = points[p]
        fragments = _fragments(pieces, last, p)
        if not fragments:
            continue
        items.append(_box(fragments, expansion))
        if kind == "hyphen":
            font, size = fragments[-1].font, fragments[-1].size
            width = text_width("-", font, size)
            if justify and spacing.protrusion:
                width *= 1.0 - PROTRUSION["-"]
            items.append(Penalty(width, penalty, True, (font, size)))
        else:
            items.append(Penalty(0.0, penalty, kind == "explicit", None))
        last = p
    rest = _fragments(pieces, last, len(text))
    if rest:
        items.append(_box(rest, expansion))
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
                out.append(fragment(text, run.font, run.size, run.link))
        offset += len(piece)
    return tuple(out)


def _box(fragments: tuple[Fragment, ...], expansion: float = 0.0) -> Box:
    width = sum(f.width for f in fragments)
    return Box(width, fragments, width * expansion, width * expansion)


def with_emergency_points(items: list[Item], width: float, spacing: Spacing = SPACING) -> list[Item]:
    """Items where every box wider than `width` may also break between any two characters
    (no sign added): the last resort against overflowing the margin."""
    out: list[Item] = []
    for item in items:
        if not isinstance(item, Box) or item.width <= width or not item.data:
            out.append(item)
            continue
        chars = [fragment(ch, f.font, f.size, f.link) for f in item.data for ch in f.text]
        for n, char in enumerate(chars):
            if n:
                out.append(Penalty(0.0, spacing.anywhere_penalty, False, None))
            out.append(_box((char,), spacing.expansion if item.stretch else 0.0))
    return out


# --- lines ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One set line. `parts` are fragments and spaces ((font, size) pairs) in order;
    `glyphs` is the natural width of the fragments, `spaces` that of the spaces; `hang` is
    how far the last mark may hang past `width`. `justified` lines fill `width` + `hang`."""

    parts: tuple[Fragment | tuple[str, float, float], ...]  # spaces: (font, size, width)
    glyphs: float
    spaces: float
    space_count: int
    width: float
    hang: float
    justified: bool
    hyphenated: bool

    @property
    def natural(self) -> float:
        return self.glyphs + self.spaces


def set_lines(items: list[Item], breaks: list[Break], justify: bool) -> list[Line]:
    """Breaks → lines ready to draw."""
    lines: list[Line] = []
    spans = line_items(items, breaks)
    count = len(breaks)
    for number, ((start, end), brk) in enumerate(zip(spans, breaks)):
        parts: list = []
        glyphs = spaces = 0.0
        for item in items[start:end]:
            if isinstance(item, Box):
                parts.extend(item.data)
                glyphs += item.width
            elif isinstance(item, Glue):
                if item.data is None:
                    continue  # the invisible stretch of ragged text
                parts.append(item.data)  # (font, size, width) of a space
                spaces += item.width
        # no spaces at the line end (the glue before a forced break)
        while parts and not isinstance(parts[-1], Fragment):
            spaces -= parts.pop()[2]
        space_count = sum(1 for part in parts if not isinstance(part, Fragment))
        hang = 0.0
        hyphen = False
        brk_item = items[brk.index] if brk.index < len(items) else None
        if isinstance(brk_item, Penalty):
            if brk_item.flagged and brk_item.data is not None:  # a hyphen is drawn
                font, size = brk_item.data
                last = parts[-1] if parts else None
                link = last.link if isinstance(last, Fragment) else None
                width = text_width("-", font, size)
                parts.append(fragment("-", font, size, link))
                glyphs += width
                hang = width - brk_item.width
                hyphen = True
            elif brk_item.flagged:
                hyphen = True  # an explicit hyphen ends the line
            elif brk_item.data == "hang":
                hang = -brk_item.width
        forced_end = number == count - 1 or (
            isinstance(brk_item, Penalty) and brk_item.penalty <= -INFINITY)
        justified = justify and not forced_end and space_count > 0
        lines.append(Line(tuple(parts), glyphs, spaces, space_count, brk.line_width,
                          hang if justified else 0.0, justified, hyphen))
    return lines


def line_adjustment(line: Line, spacing: Spacing = SPACING) -> tuple[float, float]:
    """(horizontal scale, extra word space in points) that make a justified line fill its
    measure. A loose line widens its glyphs first (up to `expansion`) and only then its
    spaces, so that word gaps stay as even as the line allows; a tight line narrows both in
    proportion to what each may give."""
    if not line.justified:
        return 1.0, 0.0
    target = line.width + line.hang
    slack = target - line.natural
    expand = line.glyphs * spacing.expansion
    if slack >= 0:
        scale = 1.0 + min(slack, expand) / line.glyphs if line.glyphs > 0 else 1.0
    else:
        flexible = line.spaces * spacing.shrink + expand
        ratio = max(-1.0, slack / flexible) if flexible > 0 else 0.0
        scale = 1.0 + ratio * spacing.expansion
    # Th × (glyphs + spaces + n × Tw) = target  (PDF 32000-1 §9.4.4: Tw is scaled by Th)
    word_space = (target / scale - line.natural) / line.space_count
    return scale, word_space


# --- the flowable ------------------------------------------------------------------------------


class TypesetParagraph(Flowable):
    """A paragraph broken into lines by total fit; splits only between lines, never leaving
    fewer than two lines on either side of a page break (so a paragraph of three lines or
    fewer moves whole)."""

    def __init__(self, runs: Sequence[Run], style: TextStyle, hyph: Hyphenator | None,
                 lines: list[Line] | None = None, lines_width: float | None = None, first: bool = True,
                 tie_single_letters: bool = False):
        super().__init__()
        self.tie_single_letters = tie_single_letters
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
        if keep > 2 and lines[keep - 1].hyphenated:
            keep -= 1  # no word divided across pages (TeX's \brokenpenalty), at one line's cost
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
            self._items = paragraph_items(self.runs, self.style, self.hyph,
                                          tie_single_letters=self.tie_single_letters)
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
    narrowest = min(widths)
    if any(i.width > narrowest and i.__class__ is Box for i in items):
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
        scale, word_space = line_adjustment(line)
        _draw_line(canvas, line, x, y, scale, word_space)
        y -= leading


def _draw_line(canvas, line: Line, x: float, y: float, scale: float, word_space: float) -> None:
    text = canvas.beginText(x, y)
    if scale != 1.0:
        text.setHorizScale(scale * 100.0)
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
            width = part.width * scale
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
            space_font, space_size, space_width = part
            if space_font != font or space_size != size:
                if buffer:
                    text.textOut("".join(buffer))
                    buffer.clear()
                font, size = space_font, space_size
                text.setFont(font, size)
            buffer.append(" ")
            cursor += (space_width + word_space) * scale
    if buffer:
        text.textOut("".join(buffer))
    if word_space:
        text.setWordSpace(0)
    if scale != 1.0:
        text.setHorizScale(100.0)
    canvas.drawText(text)
    for url, x0, x1, size in links:
        canvas.linkURL(url, (x0, y - size * 0.25, x1, y + size * 0.85), relative=1, thickness=0)


class KeepWithLines(KeepTogether):
    """ReportLab's group for `keepWithNext` flowables (a heading, a title and its dateline)
    and what follows them, except that when the group does not fit, a paragraph at its end may
    split so that the heading travels with the paragraph's first lines (two at least: the
    paragraph's own split never leaves fewer) instead of leaving a hole at the page foot.

    Set as the document template's `keepTogetherClass`.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        content = self._content
        last = content[-1] if content else None
        if isinstance(last, TypesetParagraph) and len(content) > 1:
            heights = [f.wrap(available_width, available_height)[1] for f in content]
            spaces = [f.getSpaceBefore() + f.getSpaceAfter() for f in content]
            if sum(heights) + sum(spaces) > available_height:
                used = sum(heights[:-1]) + sum(spaces[:-1]) + last.getSpaceBefore()
                if used < available_height:
                    parts = last.split(available_width, available_height - used)
                    if parts:
                        return [*content[:-1], *parts]
        return super().split(available_width, available_height)
